/*
** q_sess.h -- SQL for sessions.
*/
#ifndef DIAODU_Q_SESS_H
#define DIAODU_Q_SESS_H
#include "db.h"
#include "auth.h"

NEOERR *q_sess_insert(DB *db, const unsigned char hash[32], long long user_id,
                      const char *csrf, const char *ip, const char *ua, long long *id);
/* the session with this token hash, its user (active accounts only) and
** the user's grants (u->grants, u->ngrants; at most Q_SESS_MAX_GRANTS, in
** the order of q_user_grants), in one query; *age and *idle are seconds
** since creation and since last seen */
#define Q_SESS_MAX_GRANTS 64
NEOERR *q_sess_find(DB *db, ARENA *a, const unsigned char hash[32], USER *u,
                    long long *age, long long *idle, int *found);
NEOERR *q_sess_touch(DB *db, long long id);
NEOERR *q_sess_delete(DB *db, long long id);
NEOERR *q_sess_delete_others(DB *db, long long user_id, long long keep_id);
NEOERR *q_sess_purge(DB *db, long idle_secs, long abs_secs);

#endif
