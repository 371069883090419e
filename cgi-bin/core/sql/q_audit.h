/*
** q_audit.h -- the audit log: append (inside the caller's transaction), the
** chain's arithmetic, and the SQL the verifier, the archiver and the
** auditor's viewer read it with.
**
** Every change is one transaction together with its audit record: callers
** run audit_append() inside a DB_TX, so a change without its record (or a
** record of a change that was rolled back) cannot exist.
**
** The chain.  Each record carries a MAC over the previous record's MAC and
** its own canonical content (every column but the MAC, length-prefixed so
** that no byte can move from one field to the next):
**   alg 2  HMAC-SHA-256 keyed by the secret of Audit.KeyFile (outside the
**          database), so someone who can write the database cannot forge
**          or re-compute a record;
**   alg 1  plain SHA-256, the chain written before the key existed (kept
**          verifiable; never written once the chain has switched).
** audit_head (one row, locked by each append) holds the last id, MAC and
** time, and keyed_from: the first keyed record.
*/
#ifndef DIAODU_Q_AUDIT_H
#define DIAODU_Q_AUDIT_H
#include "db.h"
#include <ClearSilver.h>

typedef struct {
  long long user_id;         /* 0: no account (failed login of an unknown name) */
  const char *login, *ip, *ua;
  const char *action;        /* "login.ok", "password.change" ... */
  const char *object;        /* what was acted on, "type:key", e.g. "user:zhang" */
  const char *result;        /* "ok", "fail", "denied" */
  const char *detail;        /* JSON text: before/after values, reasons */
  /* filled by audit_append from the account (alg 2 only) */
  const char *role, *unit;   /* role codes held, the account's unit code */
  long long unit_id;
  const char *req_id;        /* the request or command that wrote it */
} AUDIT;

#define AUDIT_KEYLEN 32
#define AUDIT_ZERO "0000000000000000000000000000000000000000000000000000000000000000"

/* the key appends use from now on (NULL: none, alg 1 while the chain has
** not switched; an append after the switch without a key fails) */
void audit_set_key(const unsigned char key[AUDIT_KEYLEN]);
const unsigned char *audit_key(void);

NEOERR *audit_append(DB *db, ARENA *a, const AUDIT *rec);

/* alg 1: SHA-256 (hex) of a record's fields after prev: exposed for tests */
void audit_hash(char out[65], const char *prev, long long id, const char *at,
                const AUDIT *rec);
/* alg 2: HMAC-SHA-256 (hex) of prev and every field of the record */
void audit_mac(char out[65], const unsigned char key[AUDIT_KEYLEN], const char *prev,
               long long id, const char *at, const AUDIT *rec);

/* one stored record, as the verifier and the viewer read it */
typedef struct {
  long long id;
  int alg;
  const char *at;            /* "YYYY-MM-DD HH:MM:SS.ffffff" UTC */
  AUDIT r;
  const char *prev, *mac;
} AUDIT_ROW;

typedef struct {
  long long seq, keyed_from;
  const char *mac, *at;
} AUDIT_HEAD;

NEOERR *q_audit_head(DB *db, AUDIT_HEAD *h);
/* up to max records with id > after, in id order, into *rows (db's arena) */
NEOERR *q_audit_rows(DB *db, long long after, int max, AUDIT_ROW **rows, int *n);
/* the lowest id stored (0 when empty) */
NEOERR *q_audit_first_id(DB *db, long long *id);
/* the last id at or before a UTC time, and the first at or after one */
NEOERR *q_audit_id_before(DB *db, const char *at, long long *id);
NEOERR *q_audit_id_from(DB *db, const char *at, long long *id);
/* delete records first..last (an owner account: the application's account
** may not); in steps of at most step rows, *n = rows deleted */
NEOERR *q_audit_delete_upto(DB *db, long long last, int step, long long *n);

/* the auditor's filters; empty fields do not filter */
typedef struct {
  long long from_id, to_id;    /* from the time range (0: open) */
  const char *login, *action, *object, *obj_type, *result, *ip;
  long long unit_id;
  const char *group;           /* grants io resets lockouts loginfail (the dashboard) */
  int off_hours;               /* only records outside working hours: */
  int off_start, off_end;      /*   local hours [start, end) are working hours */
  int off_weekend;             /*   and Saturday and Sunday are not */
  long tz_offset;              /*   the company zone's offset from UTC, seconds */
  long long before;            /* keyset: records with id < before (0: newest) */
} AUDIT_FILTER;

/* a page of records newest first: <prefix>.N.{id,at,login,role,unit,ip,
** action,object,result,req_id} ; *n rows (ask for one more than shown) */
NEOERR *q_audit_page(DB *db, HDF *hdf, const char *prefix, const AUDIT_FILTER *f,
                     int limit, int *n);
/* the same rows as AUDIT_ROWs (exports), at most limit */
NEOERR *q_audit_list(DB *db, const AUDIT_FILTER *f, int limit, AUDIT_ROW **rows, int *n);
NEOERR *q_audit_get(DB *db, long long id, AUDIT_ROW *row, int *found);
/* how many records match (the dashboard's counts) */
NEOERR *q_audit_count(DB *db, const AUDIT_FILTER *f, long long *n);
/* the distinct actions recorded (the filter's list) */
NEOERR *q_audit_actions(DB *db, HDF *hdf, const char *prefix, int *n);
/* the dashboard: repeated login failures by account and by address since
** from_id, at least min each, most first */
NEOERR *q_audit_fail_by(DB *db, HDF *hdf, const char *prefix, const char *column,
                        long long from_id, long long min, int *n);
/* archives recorded in the chain (action audit.archive), newest first */
NEOERR *q_audit_archives(DB *db, HDF *hdf, const char *prefix, int *n);
/* the archive index (audit_archive): copy the audit.archive record
** record_id into it (in the record's transaction); read a copy's detail */
NEOERR *q_audit_archive_index(DB *db, long long record_id);
NEOERR *q_audit_archive_detail(DB *db, ARENA *a, long long record_id, const char **detail, int *found);
#endif
