/*
** org.h -- administering the organisation: units, accounts, role grants,
** base-data records.  Each operation checks the acting admin's scope on
** the server, runs as one transaction with its audit record (before and
** after values), and reports a refusal as a Lang key in *msg (nothing is
** changed then).  Errors are for failures, *msg for the user's mistakes.
*/
#ifndef DIAODU_ORG_H
#define DIAODU_ORG_H
#include "ctx.h"
#include "q_org.h"
#include "q_base.h"

/* does the acting user administer the whole organisation (a grant with
** scope all)?  Lists of everything else are limited in SQL by all of the
** user's grants (sql/q_scope.h: pass c->user->id and CAP_ADMIN) */
int org_admin_all(CTX *c);
/* may the acting user administer this account (its unit and every role
** it holds within the admin's reach)? */
NEOERR *org_user_in_scope(CTX *c, long long user_id, const char *unit_path, int *ok);
/* may the acting user administer a unit with this path (NULL: top level)? */
int org_may(CTX *c, const char *path);

NEOERR *org_unit_create(CTX *c, const char *code, const char *name, long long parent_id,
                        const char *kind, int sort, long long *id, const char **msg);
NEOERR *org_unit_update(CTX *c, long long id, long long version, const char *name,
                        long long parent_id, const char *kind, int sort, const char **msg);
NEOERR *org_unit_set_active(CTX *c, long long id, int active, const char **msg);

/* a new account gets a one-time activation code (code[] is shown once) */
NEOERR *org_user_create(CTX *c, const char *login, const char *name, long long unit_id,
                        const char *phone, const char *role, const char *scope,
                        long long *id, char code[16], const char **msg);
NEOERR *org_user_update(CTX *c, long long id, long long version, const char *name,
                        long long unit_id, const char *phone, const char **msg);
NEOERR *org_user_set_active(CTX *c, long long id, int active, const char **msg);
NEOERR *org_user_unlock(CTX *c, long long id, const char **msg);
NEOERR *org_user_reset(CTX *c, long long id, char code[16], const char **msg);
NEOERR *org_grant_add(CTX *c, long long user_id, const char *role, long long unit_id,
                      const char *scope, const char **msg);
NEOERR *org_grant_del(CTX *c, long long grant_id, const char **msg);

/* the first run (diaodu-ctl setup): the company root, the information
** centre and the first admin (with a one-time password: its argon2id hash
** in pw_hash), as the server operator, through the same functions as the
** admin pages, in one transaction.  *done = 0 when accounts exist already. */
typedef struct {
  const char *company_code, *company_name, *admin_unit_code, *admin_unit_name;
  const char *login, *name;
} ORG_SETUP;
NEOERR *org_setup(CTX *c, const ORG_SETUP *s, const char *pw_hash, int *done, const char **msg);
/* the operator's "lost the admin password": a new one-time password */
NEOERR *org_user_initial_password(CTX *c, const char *login, const char *pw_hash, const char **msg);

/* the acting admin marks its own activation codes of a batch handed out */
NEOERR *org_codes_clear(CTX *c, long long batch_id);

NEOERR *org_kind_create(CTX *c, const char *code, const char *name, const char *fields,
                        const char **msg);
NEOERR *org_item_save(CTX *c, const BASEKIND *k, BASEITEM *it, const char **msg);

#endif
