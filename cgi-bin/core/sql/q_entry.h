/*
** q_entry.h -- the SQL of sheets (dom/entry.c): the common entry table,
** one-time form tokens, reopened periods, the lists, the lookups a sheet
** resolves, and the rows of each form's generated tables.
**
** Scope is checked in SQL: every function that reads or changes a sheet
** of a unit takes the acting user's id and the capabilities to check, and
** answers with in_scope from Q_SCOPE (sql/q_scope.h) -- never a list
** filtered afterwards in C.
**
** The generated tables (f_<code>, f_<code>_r) have columns named by the
** form definition, so their statements are built here from a QSHEET whose
** table and column names were checked (q_ident_ok) before any of them
** reaches SQL text; every value is a bound parameter.
*/
#ifndef DIAODU_Q_ENTRY_H
#define DIAODU_Q_ENTRY_H
#include "db.h"

typedef struct {
  long long id, form_id, unit_id;
  const char *unit_code, *unit_name, *unit_kind, *unit_path;
  const char *period_key, *period_start;
  int revision, late, form_version, nrows;
  const char *status;
  long long version;
  const char *created_at, *updated_at, *submitted_at, *decided_at, *reason;
  const char *created_name, *updated_name, *submitted_name, *decided_name;
  int in_scope;
} QENTRY;

typedef struct {
  long long id;
  const char *code, *name, *kind, *path;
  int active, in_scope;
} QUNIT;

/* one sheet by id; lock: SELECT ... FOR UPDATE (inside a transaction) */
NEOERR *q_entry_get(DB *db, long long id, int lock, long long user, unsigned caps, QENTRY *e, int *found);
/* the current sheet of a form, unit and period */
NEOERR *q_entry_find(DB *db, long long form_id, long long unit_id, const char *period_key,
                     long long *id, int *found);
/* the unit's latest current sheet of the form before a period (0: none) */
NEOERR *q_entry_before(DB *db, long long form_id, long long unit_id, const char *period_start,
                       long long *id);
/* `at` is the instant of the action, UTC "YYYY-MM-DD HH:MM:SS" (the
** domain's clock, so a sheet's times and its late mark agree) */
/* A new sheet's row, inserted as it is once saved (q_entry_saved's values:
** version 2, status, rows, late mark, who submitted), so a new sheet costs
** one statement; `final`: a submit that the flow makes final at once (no
** chain, nobody informed: flow_final_on_submit), inserted approved and
** counted with its step and decision as the flow would move it (version 3). */
typedef struct {
  long long form_id, unit_id, user;
  const char *period_key, *period_start, *at, *status;
  int form_version, nrows, late, submit, final;
} QNEW;
NEOERR *q_entry_create(DB *db, const QNEW *n, long long *id);
/* the sheet after a save: version + 1 where it still is `version` (*ok 0 otherwise) */
NEOERR *q_entry_saved(DB *db, long long id, long long version, const char *status, int nrows,
                      int late, int submit, long long user, int form_version, const char *at, int *ok);
/* approve or return (with a reason) */
NEOERR *q_entry_decided(DB *db, long long id, long long version, const char *status,
                        const char *reason, long long user, const char *at, int *ok);

NEOERR *q_unit_for(DB *db, long long unit_id, long long user, unsigned caps, QUNIT *u, int *found);
/* active units the user reaches with caps (by path: parents first) */
NEOERR *q_units_for(DB *db, long long user, unsigned caps, QUNIT **out, int *n);

/* the active units the user reaches with caps (by path) with their current
** sheets of the given period keys (day, shift, week, month of today), in
** one statement: a row per unit and sheet, a unit without one once with
** form_id 0 */
typedef struct {
  QUNIT u;
  long long form_id, id;
  const char *period_key, *status;
  int late;
} QTODAY;
NEOERR *q_entry_today(DB *db, long long user, unsigned caps, const char *keys[4], QTODAY **out, int *n);

typedef struct {
  long long form_id, unit_id;
  const char *status;              /* "" all */
  const char *from, *to;           /* period_start range, "" open */
  const char *after_start;         /* keyset: "" first page */
  long long after_id;
  int limit;
  int all;                         /* the user reaches every unit with caps (a grant
                                      with scope all): no scope condition, and the
                                      page is read along an index, newest first */
} QLIST;
/* a keyset page of current sheets, newest period first (period_start
** DESC, id DESC); only the units the user reaches with any of caps */
NEOERR *q_entry_page(DB *db, long long user, unsigned caps, const QLIST *l, HDF *out,
                     const char *prefix, int *n);

/* one-time form tokens.  q_token_put records a token with the outcome of
** the save that used it, as the save's last statement (ERR_CONFLICT
** "duplicate": the token was used, and the save must roll back);
** q_token_seen reads a token with a locking read, so it sees a save that
** committed meanwhile and waits for one still under way: *found 0 when the
** token was never used, else the earlier sheet and outcome */
NEOERR *q_token_put(DB *db, long long user, const char *token, long long entry_id, const char *outcome);
NEOERR *q_token_seen(DB *db, long long user, const char *token, int *found, long long *entry_id,
                     const char **outcome);

NEOERR *q_reopen_add(DB *db, long long form_id, long long unit_id, const char *period_key,
                     const char *reason, long long user, const char *at, long hours);
NEOERR *q_reopen_active(DB *db, long long form_id, long long unit_id, const char *period_key,
                        const char *at, int *found);

NEOERR *q_entry_count(DB *db, long long *n);
/* the first active account of a unit that holds a role there (the demo's
** clerk and head of each unit) */
NEOERR *q_unit_account(DB *db, long long unit_id, const char *role, const char **login, int *found);

/* ---- lookups ---- */
enum { QL_BASE = 1, QL_ORG, QL_USER };
typedef struct {
  long long id;
  const char *code, *name, *path;  /* path: the record's unit ("" none) */
  int active;
} QREF;
/* records by code (codes[] of n) */
NEOERR *q_refs_by_code(DB *db, int kind, const char *base_kind, const char **codes, int n, QREF **out, int *nout);
/* the same for several lists at once (a sheet's lookup fields), in one
** statement; each list's records land in its own out and nout */
typedef struct {
  int kind;
  const char *base_kind, **codes;
  int n;
  QREF *out;
  int nout;
} QREFS;
NEOERR *q_refs_by_codes(DB *db, QREFS *q, int nq);
NEOERR *q_refs_by_id(DB *db, int kind, const long long *ids, int n, QREF **out, int *nout);
/* the active records to choose from, ordered by code; own_path: only
** records of that unit and below (and records without a unit) */
NEOERR *q_refs_options(DB *db, int kind, const char *base_kind, const char *own_path, int limit,
                       QREF **out, int *nout);

/* ---- the generated tables ---- */
typedef struct {
  const char *table;
  const char **cols;               /* column names, checked */
  int ncols;
} QSHEET;
NEOERR *q_sheet_check(const QSHEET *s);
/* the header's values (NULL: none stored) */
NEOERR *q_sheet_header(DB *db, const QSHEET *s, long long entry_id, const char ***vals, int *found);
/* the rows, by line: ids and values */
NEOERR *q_sheet_rows(DB *db, const QSHEET *s, long long entry_id, long long **ids, const char ****vals, int *n);
NEOERR *q_sheet_put_header(DB *db, const QSHEET *s, long long entry_id, long long unit_id,
                           const char *period_start, const char **vals);
/* rows: ids[i] 0 for a new row, else a row of this sheet (checked by the
** caller); rows of the sheet not in ids are deleted; lines are 1..n */
NEOERR *q_sheet_put_rows(DB *db, const QSHEET *s, long long entry_id, long long unit_id,
                         const char *period_start, const long long *ids, const char ***vals, int n,
                         int fresh);
/* the latest value of column val per key column value, from the unit's
** approved sheets of the form before period_start (back to `since`):
** column 0 the key, 1 the value; the latest first */
NEOERR *q_sheet_prev(DB *db, const char *rows_table, const char *key, const char *val, long long form_id,
                     long long unit_id, const char *period_start, const char *since, DB_STMT **st);

#endif
