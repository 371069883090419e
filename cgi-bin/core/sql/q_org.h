/*
** q_org.h -- SQL for administering the organisation: units, accounts,
** role grants, activation codes, legacy-code mapping, readiness.
*/
#ifndef DIAODU_Q_ORG_H
#define DIAODU_Q_ORG_H
#include "db.h"

typedef struct {
  long long id, parent_id;
  const char *code, *name, *kind, *path;
  int sort, active;
  long long version;
  int active_children, active_users;
} UNITROW;

typedef struct {
  long long id;
  const char *login, *name, *phone;
  long long unit_id;
  const char *unit_code, *unit_name, *unit_path;
  int active, must_change, has_password, activation_pending, locked;
  const char *last_login;
  long long version;
} USERROW;

typedef struct {
  long long id;
  const char *code, *name_zh, *name_en;
  unsigned caps;
} ROLEROW;

/* every unit in tree order: a unit, then its sub-units; siblings by sort,
** then code */
NEOERR *q_units_all(DB *db, UNITROW **rows, int *n);
NEOERR *q_unit_get(DB *db, long long id, UNITROW *u, int *found);
/* *ok = 0 when the version no longer matches (someone else saved first) */
NEOERR *q_unit_update(DB *db, long long id, long long version, const char *code,
                      const char *name, long long parent_id, const char *kind, int sort, int *ok);
NEOERR *q_unit_set_active(DB *db, long long id, int active);
/* serialise changes of the tree's shape (create, move, (de)activate,
** imports): lock the first unit's row until the transaction ends */
NEOERR *q_tree_lock(DB *db);
/* has this code been retired by a rename (code_map)? */
NEOERR *q_code_retired(DB *db, const char *entity, const char *code, int *retired);
/* every retired code of an entity: column 0 */
NEOERR *q_code_map_list(DB *db, DB_STMT **st, const char *entity);
/* recompute every materialised path from parent_id (after moves) */
NEOERR *q_unit_paths_rebuild(DB *db);
NEOERR *q_code_map(DB *db, const char *entity, const char *old_code, const char *new_code);

NEOERR *q_roles(DB *db, ROLEROW **rows, int *n);
/* accounts page: within path_like (NULL: all), optional unit id and text
** filter, keyset after a login, ordered by login */
NEOERR *q_users_page(DB *db, HDF *out, const char *prefix, long long scope_user, unsigned cap,
                     long long unit_id, const char *search, const char *after, int limit, int *n);
NEOERR *q_user_row(DB *db, long long id, const char *login, USERROW *u, int *found);
NEOERR *q_users_all(DB *db, USERROW **rows, int *n);
NEOERR *q_user_create(DB *db, const char *login, const char *name, long long unit_id,
                      const char *phone, const unsigned char act_hash[32], int days, long long *id);
NEOERR *q_user_update(DB *db, long long id, long long version, const char *login,
                      const char *name, long long unit_id, const char *phone, int *ok);
NEOERR *q_user_set_active(DB *db, long long id, int active);
/* a new one-time activation code: the password is cleared */
NEOERR *q_user_set_activation(DB *db, long long id, const unsigned char act_hash[32], int days);
/* the account whose pending activation code hashes to act_hash (0 if none/expired) */
NEOERR *q_user_by_activation(DB *db, const char *login, const unsigned char act_hash[32],
                             long long *id);
NEOERR *q_sessions_drop(DB *db, long long user_id);

NEOERR *q_grants_hdf(DB *db, long long user_id, HDF *out, const char *prefix);
NEOERR *q_grant_get(DB *db, long long grant_id, long long *user_id, const char **role_code,
                    const char **unit_path, const char **scope, int *found);
NEOERR *q_grant_add(DB *db, long long user_id, long long role_id, long long unit_id,
                    const char *scope);
NEOERR *q_grant_del(DB *db, long long grant_id);
NEOERR *q_grants_clear(DB *db, long long user_id);
/* does the account hold role_code (any unit), or will it when its holder
** activates (a pending grant)? */
NEOERR *q_user_has_role(DB *db, long long user_id, const char *role_code, int *has);
/* active accounts holding admin with scope all */
NEOERR *q_admins_all_count(DB *db, long long *n);

NEOERR *q_sheet_add(DB *db, long long batch_id, long long user_id, const char *code,
                    long long created_by, int days);
/* activation codes of a batch (batch_id) or of one account (user_id), for
** CSV/PDF: login,name,unit_name,code,expires */
NEOERR *q_sheet_hdf(DB *db, long long batch_id, long long user_id, long long created_by,
                    HDF *out, const char *prefix, int *n);
NEOERR *q_sheet_drop_user(DB *db, long long user_id);
NEOERR *q_sheet_clear(DB *db, long long batch_id, long long created_by);

typedef struct {
  long long id, user_id;
  const char *kind, *filename, *sha256, *encoding, *status, *created_at;
  const char *content;
  size_t len;
  int n_rows, n_new, n_updated, n_errors;
} BATCH;

NEOERR *q_batch_insert(DB *db, const BATCH *b, long long *id);
/* the batch if it belongs to user_id */
NEOERR *q_batch_get(DB *db, long long id, long long user_id, BATCH *b, int *found);
/* *ok = 0 if the batch was applied already (a double submit) */
NEOERR *q_batch_applied(DB *db, long long id, int n_new, int n_updated, int *ok);
NEOERR *q_batches_hdf(DB *db, long long user_id, HDF *out, const char *prefix, int *n);

/* per active unit, what go-live readiness is judged by */
typedef struct {
  long long unit_id;
  int accounts, activated;          /* active accounts; of those, logged in at least once */
  int heads, heads_active;          /* accounts with 审核人 on the unit; activated */
  int clerks, clerks_active;        /* the same for 录入员 */
  int heads_below, heads_below_active;  /* 审核人 whose scope reaches the sub-units */
  int staff;                        /* accounts holding dispatcher, leader, admin or auditor (or pending) */
  int base_items;
  int forms;                        /* -1 automatic, 0 no forms, 1 forms */
  const char *first_entry;          /* when the unit first submitted a sheet (UTC), or NULL */
} READYROW;
NEOERR *q_ready_rows(DB *db, READYROW **rows, int *n);
/* forms: -1 automatic, 0 or 1 */
NEOERR *q_unit_set_forms(DB *db, long long id, int forms);
#endif
