/*
** q_user.h -- SQL for accounts, org units, role grants and login counters.
*/
#ifndef DIAODU_Q_USER_H
#define DIAODU_Q_USER_H
#include "db.h"
#include "auth.h"

typedef struct {
  long long id;
  const char *login, *name, *pw_hash;
  int active, must_change;
  long long pw_age_days;     /* -1 when never set */
} ACCOUNT;

NEOERR *q_user_by_login(DB *db, ARENA *a, const char *login, ACCOUNT *out, int *found);
NEOERR *q_user_by_id(DB *db, ARENA *a, long long id, ACCOUNT *out, int *found);
NEOERR *q_user_count(DB *db, long long *n);
NEOERR *q_user_logged_in(DB *db, long long id);
NEOERR *q_user_set_password(DB *db, long long id, const char *hash, int must_change);
NEOERR *q_user_insert(DB *db, const char *login, const char *name, long long unit_id,
                      const char *pw_hash, int must_change, long long *id);
NEOERR *q_user_grants(DB *db, ARENA *a, long long user_id, GRANT **out, int *n);
NEOERR *q_grant_insert(DB *db, long long user_id, const char *role_code,
                       long long unit_id, const char *scope);

NEOERR *q_unit_insert(DB *db, long long parent_id, const char *code, const char *name,
                      const char *kind, int sort, long long *id);
NEOERR *q_unit_id_by_code(DB *db, const char *code, long long *id, int *found);

/* login counters: *locked_secs > 0 while the key is locked */
NEOERR *q_lock_get(DB *db, const char *key, long long *failures, long long *locked_secs);
/* count one failure; lock for lock_minutes once failures reach max.
** *locked_now = 1 when this failure set the lock */
NEOERR *q_lock_fail(DB *db, const char *key, long max, long lock_minutes, int *locked_now);
NEOERR *q_lock_clear(DB *db, const char *key);
/* one more attempt against a locked key; *n = attempts since it locked */
NEOERR *q_lock_refused(DB *db, const char *key, long long *n);

#endif
