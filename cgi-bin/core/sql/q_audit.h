/*
** q_audit.h -- the audit log: append (inside the caller's transaction) and
** verify the hash chain.
**
** Every change is one transaction together with its audit record: callers
** run audit_append() between db_begin() and db_commit(), so a change without
** its record (or a record of a change that was rolled back) cannot exist.
*/
#ifndef DIAODU_Q_AUDIT_H
#define DIAODU_Q_AUDIT_H
#include "db.h"

typedef struct {
  long long user_id;         /* 0: no account (failed login of an unknown name) */
  const char *login, *ip, *ua;
  const char *action;        /* "login.ok", "password.change" ... */
  const char *object;        /* what was acted on, e.g. "user:12" */
  const char *result;        /* "ok", "fail", "denied" */
  const char *detail;        /* JSON text: before/after values, reasons */
} AUDIT;

NEOERR *audit_append(DB *db, ARENA *a, const AUDIT *rec);
/* check the chain from the first record; *bad_id = 0 when intact */
NEOERR *audit_verify(DB *db, ARENA *a, long long *checked, long long *bad_id);
/* SHA-256 (hex) of a record's fields after prev_hash: exposed for tests */
void audit_hash(char out[65], const char *prev, long long id, const char *at,
                const AUDIT *rec);

#endif
