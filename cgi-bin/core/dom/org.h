/*
** org.h -- administering the organisation: units, accounts, role grants,
** base-data records.  Each operation checks the acting admin's scope on
** the server, runs as one transaction with its audit record (before and
** after values), and reports a refusal as a Lang key in *msg (nothing is
** changed then).  Errors are for failures, *msg for the user's mistakes.
*/
#ifndef DIAODU_ORG_H
#define DIAODU_ORG_H
#include "req.h"
#include "q_org.h"
#include "q_base.h"

/* the path that limits the admin's lists (NULL: sees everything) */
const char *org_admin_path(REQ *r);
/* the same as a LIKE pattern for unit paths: "/1/5/%" for a subtree,
** "/1/5/" for one unit, NULL for everything */
const char *org_admin_like(REQ *r);
/* may the request's user administer this account (its unit and every role
** it holds within the admin's reach)? */
NEOERR *org_user_in_scope(REQ *r, long long user_id, const char *unit_path, int *ok);
/* may the request's user administer a unit with this path (NULL: top level)? */
int org_may(REQ *r, const char *path);

NEOERR *org_unit_create(REQ *r, const char *code, const char *name, long long parent_id,
                        const char *kind, int sort, long long *id, const char **msg);
NEOERR *org_unit_update(REQ *r, long long id, long long version, const char *name,
                        long long parent_id, const char *kind, int sort, const char **msg);
NEOERR *org_unit_set_active(REQ *r, long long id, int active, const char **msg);

/* a new account gets a one-time activation code (code[] is shown once) */
NEOERR *org_user_create(REQ *r, const char *login, const char *name, long long unit_id,
                        const char *phone, const char *role, const char *scope,
                        long long *id, char code[16], const char **msg);
NEOERR *org_user_update(REQ *r, long long id, long long version, const char *name,
                        long long unit_id, const char *phone, const char **msg);
NEOERR *org_user_set_active(REQ *r, long long id, int active, const char **msg);
NEOERR *org_user_unlock(REQ *r, long long id, const char **msg);
NEOERR *org_user_reset(REQ *r, long long id, char code[16], const char **msg);
NEOERR *org_grant_add(REQ *r, long long user_id, const char *role, long long unit_id,
                      const char *scope, const char **msg);
NEOERR *org_grant_del(REQ *r, long long grant_id, const char **msg);

NEOERR *org_kind_create(REQ *r, const char *code, const char *name, const char *fields,
                        const char **msg);
NEOERR *org_item_save(REQ *r, const BASEKIND *k, BASEITEM *it, const char **msg);

#endif
