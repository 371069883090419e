/*
** q_sec.h -- SQL of 三员分立: which accounts are out of the administrators'
** reach (they hold, or ever held, an auditor or security-officer grant),
** marking them so for good, and the security officer's list.
*/
#ifndef DIAODU_Q_SEC_H
#define DIAODU_Q_SEC_H
#include "db.h"

/* does the account hold, or did it ever hold, an auditor or a
** security-officer grant? */
NEOERR *q_sec_privileged(DB *db, long long user_id, int *priv);
/* the logins of all such accounts (imports check a whole file at once) */
NEOERR *q_sec_privileged_logins(DB *db, const char ***logins, int *n);
/* remember for good that the account held the role (auditor, secofficer) */
NEOERR *q_sec_mark(DB *db, long long user_id, const char *role_code);
/* the officer's list: every such account with its state and grants of
** those roles: <prefix>.N.{id,login,name,unit,active,has_password,pending,
** roles,ever_auditor,ever_officer} and <prefix>.N.grants (id:role ...) */
NEOERR *q_sec_accounts_hdf(DB *db, HDF *hdf, const char *prefix, int *n);
/* the auditor and officer grants of an account: <prefix>.N.{id,role} */
NEOERR *q_sec_grants_hdf(DB *db, long long user_id, HDF *hdf, const char *prefix, int *n);

/* auditor (and officer) grants waiting in pending_grant (an import):
** <prefix>.N.{id,login,name,unit,role,activated,by,confirmed} */
NEOERR *q_sec_pending_hdf(DB *db, HDF *hdf, const char *prefix, int *n);
NEOERR *q_sec_pending_get(DB *db, long long id, long long *user_id, long long *role_id, long long *unit_id,
                          const char **role, int *found);
NEOERR *q_sec_pending_confirm(DB *db, long long id, long long officer);
NEOERR *q_sec_pending_drop(DB *db, long long id);

#endif
