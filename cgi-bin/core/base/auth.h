/*
** auth.h -- who the user is and what they may do.
**
** A role is a set of capabilities; a grant gives a role for an org unit
** with a data scope (the unit, the unit and below, or all).  A handler asks
** auth_unit_ok(user, CAP_X, unit_path) before it reads or changes a record
** of another unit; the route table (app.h) already checked CAP_X itself.
*/
#ifndef DIAODU_AUTH_H
#define DIAODU_AUTH_H

enum {
  CAP_ENTRY    = 1,    /* fill and submit forms */
  CAP_APPROVE  = 2,    /* approve / reject a department's entries */
  CAP_DISPATCH = 4,    /* dispatch centre: second approval, 催报 */
  CAP_REPORT   = 8,    /* read statistical reports */
  CAP_ADMIN    = 16,   /* organisation, accounts, base data, imports */
  CAP_AUDIT    = 32,   /* read and verify the audit log */
  CAP_SECURITY = 64    /* grant, reset and revoke auditors (安全保密管理员) */
};

enum { SCOPE_UNIT = 1, SCOPE_SUBTREE = 2, SCOPE_ALL = 3 };

typedef struct {
  unsigned caps;
  long long unit_id;
  const char *unit_path;     /* "/1/5/" */
  int scope;
} GRANT;

typedef struct user {
  long long id;
  const char *login, *name;
  long long unit_id;
  const char *unit_code, *unit_name, *unit_path;
  int must_change;           /* first login or reset: only /password works */
  int pw_expired;            /* Password.MaxAgeDays passed */
  unsigned caps;             /* union over grants */
  GRANT *grants;
  int ngrants;
  long long sess_id;
  const char *csrf;          /* the session's CSRF token */
} USER;

int auth_has(const USER *u, unsigned cap);
/* may u use cap on a record of the unit whose path is unit_path? */
int auth_unit_ok(const USER *u, unsigned cap, const char *unit_path);
int auth_scope_parse(const char *s);
/* does u hold cap over everything a grant (unit_path, scope) reaches?
** all needs all; a subtree needs a subtree or all above it; a unit needs
** that unit, a subtree above it, or all */
int auth_covers(const USER *u, unsigned cap, const char *unit_path, int scope);          /* "unit" "subtree" "all" -> SCOPE_* or 0 */

#endif
