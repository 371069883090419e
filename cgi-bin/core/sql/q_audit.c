/*
** q_audit.c -- see q_audit.h.  audit_head (one row) holds the last id, MAC,
** time and the switch to the keyed chain; locking it serialises appends,
** so the chain has no forks and ids have no gaps.
*/
#include "q_audit.h"
#include "err.h"
#include "str.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static unsigned char g_key[AUDIT_KEYLEN];
static int g_have_key;

void audit_set_key(const unsigned char key[AUDIT_KEYLEN]){
  if( key ){ memcpy(g_key, key, AUDIT_KEYLEN); g_have_key = 1; }
  else{ sodium_memzero(g_key, sizeof g_key); g_have_key = 0; }
}

const unsigned char *audit_key(void){ return g_have_key ? g_key : NULL; }

/* ------------------------------------------------------------------ */
/* the two encodings                                                   */

static void feed(crypto_hash_sha256_state *st, const char *s){
  /* length-prefixed, so field boundaries cannot be shifted */
  char len[24];
  if( s==NULL ) s = "";
  snprintf(len, sizeof len, "%zu:", strlen(s));
  crypto_hash_sha256_update(st, (const unsigned char*)len, strlen(len));
  crypto_hash_sha256_update(st, (const unsigned char*)s, strlen(s));
}

void audit_hash(char out[65], const char *prev, long long id, const char *at,
                const AUDIT *r){
  crypto_hash_sha256_state st;
  unsigned char h[32];
  char ids[24], uid[24];
  snprintf(ids, sizeof ids, "%lld", id);
  snprintf(uid, sizeof uid, "%lld", r->user_id);
  crypto_hash_sha256_init(&st);
  feed(&st, prev); feed(&st, ids); feed(&st, at); feed(&st, uid);
  feed(&st, r->login); feed(&st, r->ip); feed(&st, r->ua); feed(&st, r->action);
  feed(&st, r->object); feed(&st, r->result); feed(&st, r->detail);
  crypto_hash_sha256_final(&st, h);
  hex_encode(out, h, 32);
}

static void mfeed(crypto_auth_hmacsha256_state *st, const char *s){
  char len[24];
  if( s==NULL ) s = "";
  snprintf(len, sizeof len, "%zu:", strlen(s));
  crypto_auth_hmacsha256_update(st, (const unsigned char*)len, strlen(len));
  crypto_auth_hmacsha256_update(st, (const unsigned char*)s, strlen(s));
}

void audit_mac(char out[65], const unsigned char key[AUDIT_KEYLEN], const char *prev,
               long long id, const char *at, const AUDIT *r){
  crypto_auth_hmacsha256_state st;
  unsigned char h[32];
  char ids[24], uid[24], unit[24];
  snprintf(ids, sizeof ids, "%lld", id);
  snprintf(uid, sizeof uid, "%lld", r->user_id);
  snprintf(unit, sizeof unit, "%lld", r->unit_id);
  crypto_auth_hmacsha256_init(&st, key, AUDIT_KEYLEN);
  mfeed(&st, "diaodu-audit-v2");
  mfeed(&st, prev); mfeed(&st, ids); mfeed(&st, at); mfeed(&st, uid);
  mfeed(&st, r->login); mfeed(&st, r->role); mfeed(&st, unit); mfeed(&st, r->unit);
  mfeed(&st, r->ip); mfeed(&st, r->ua); mfeed(&st, r->req_id); mfeed(&st, r->action);
  mfeed(&st, r->object); mfeed(&st, r->result); mfeed(&st, r->detail);
  crypto_auth_hmacsha256_final(&st, h);
  hex_encode(out, h, 32);
  sodium_memzero(&st, sizeof st);
}

/* ------------------------------------------------------------------ */
/* append                                                              */

NEOERR *audit_append(DB *db, ARENA *a, const AUDIT *rec){
  NEOERR *err;
  DB_STMT *st;
  char at[40], mac[65], prev[65], last_at[40];
  struct timespec now;
  struct tm tm;
  if( !db_in_tx(db) ) return nerr_raise(NERR_ASSERT, "audit_append outside a transaction");
  /* the head locked, and with it (scalar subqueries: read, not locked) who
  ** the account is now -- its unit and the roles it holds -- in one round
  ** trip; 0 asks for nobody */
  int alg = g_have_key ? 2 : 1;
  long long who = alg==2 && rec->user_id>0 && rec->role==NULL ? rec->user_id : 0;
  err = db_query(db, &st, "SELECT seq, hash, COALESCE(keyed_from, 0),"
                 " COALESCE(DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f'), ''),"
                 " (SELECT u.org_unit_id FROM app_user u WHERE u.id = ?),"
                 " (SELECT o.code FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id WHERE u.id = ?),"
                 " (SELECT GROUP_CONCAT(DISTINCT r.code ORDER BY r.sort SEPARATOR ',')"
                 "  FROM user_role ur JOIN role r ON r.id = ur.role_id WHERE ur.user_id = ?)"
                 " FROM audit_head WHERE id = 1 FOR UPDATE", "iii", who, who, who);
  if( err ) return nerr_pass(err);
  if( !db_step(st) ) return nerr_raise(NERR_DB, "audit_head row missing");
  long long id = db_int(st, 0) + 1, keyed_from = db_int(st, 2);
  snprintf(prev, sizeof prev, "%s", db_text(st, 1));
  snprintf(last_at, sizeof last_at, "%s", db_text(st, 3));
  AUDIT r = *rec;
  if( who && db_text(st, 5) ){        /* the account exists */
    r.unit_id = db_int(st, 4);
    r.unit = db_text(st, 5);
    r.role = db_text(st, 6) ? db_text(st, 6) : "";
  }
  db_done(st);

  if( alg==1 && keyed_from )
    return nerr_raise(ERR_UNAVAIL, "audit_key");   /* never fall back to the unkeyed chain */

  clock_gettime(CLOCK_REALTIME, &now);
  gmtime_r(&now.tv_sec, &tm);
  size_t n = strftime(at, sizeof at, "%Y-%m-%d %H:%M:%S", &tm);
  snprintf(at + n, sizeof at - n, ".%06ld", now.tv_nsec / 1000);
  /* times never go backwards along the chain (a clock stepped back by NTP
  ** would otherwise break "a time range is an id range") */
  if( strcmp(at, last_at)<0 ) snprintf(at, sizeof at, "%s", last_at);

  if( r.login==NULL ) r.login = "";
  if( r.ip==NULL ) r.ip = "";
  if( r.ua==NULL ) r.ua = "";
  if( r.object==NULL ) r.object = "";
  if( r.result==NULL ) r.result = "ok";
  if( r.detail==NULL ) r.detail = "";
  if( r.role==NULL ) r.role = "";
  if( r.unit==NULL ) r.unit = "";
  if( r.req_id==NULL ) r.req_id = "";
  if( alg==1 ){ r.role = ""; r.unit = ""; r.unit_id = 0; r.req_id = ""; }
  /* the stored columns are bounded and utf8mb4: make the values fit and
  ** valid before the MAC, so the insert cannot fail and verify agrees */
  r.login = utf8_sanitize(a, r.login, 64);
  r.role = utf8_sanitize(a, r.role, 100);
  r.unit = utf8_sanitize(a, r.unit, 32);
  r.ip = utf8_sanitize(a, r.ip, 45);
  r.ua = utf8_sanitize(a, r.ua, 255);
  r.req_id = utf8_sanitize(a, r.req_id, 32);
  r.action = utf8_sanitize(a, r.action, 40);
  r.object = utf8_sanitize(a, r.object, 200);
  r.result = utf8_sanitize(a, r.result, 16);
  r.detail = utf8_sanitize(a, r.detail, 16000000);

  if( alg==2 ) audit_mac(mac, g_key, prev, id, at, &r);
  else audit_hash(mac, prev, id, at, &r);
  err = db_exec(db,
    "INSERT INTO audit_log (id, alg, at, user_id, login, role, unit_id, unit, ip, ua, req_id,"
    " action, object, result, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "iisissns" "sssssssss", id, (long long)alg, at, r.user_id, r.login, r.role, r.unit_id, r.unit,
    r.ip, r.ua, r.req_id, r.action, r.object, r.result, r.detail, prev, mac);
  if( err ) return nerr_pass(err);
  if( alg==2 && !keyed_from ) keyed_from = id;
  return nerr_pass(db_exec(db, "UPDATE audit_head SET seq = ?, hash = ?, at = ?, keyed_from = ? WHERE id = 1",
                           "issn", id, mac, at, keyed_from));
}

/* ------------------------------------------------------------------ */
/* reading                                                             */

NEOERR *q_audit_head(DB *db, AUDIT_HEAD *h){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, "SELECT seq, hash, COALESCE(keyed_from, 0),"
                         " COALESCE(DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f'), '') FROM audit_head WHERE id = 1", "");
  if( err ) return nerr_pass(err);
  memset(h, 0, sizeof *h);
  if( !db_step(st) ) return nerr_raise(NERR_DB, "audit_head row missing");
  h->seq = db_int(st, 0);
  h->mac = db_text(st, 1);
  h->keyed_from = db_int(st, 2);
  h->at = db_text(st, 3);
  db_done(st);
  return STATUS_OK;
}

#define ROW_COLS "id, alg, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f'), COALESCE(user_id, 0), login, role," \
  " COALESCE(unit_id, 0), unit, ip, ua, req_id, action, object, result, detail, prev_hash, hash"

static void read_row(DB_STMT *st, AUDIT_ROW *w){
  memset(w, 0, sizeof *w);
  w->id = db_int(st, 0);
  w->alg = (int)db_int(st, 1);
  w->at = db_text(st, 2);
  w->r.user_id = db_int(st, 3);
  w->r.login = db_text(st, 4);
  w->r.role = db_text(st, 5);
  w->r.unit_id = db_int(st, 6);
  w->r.unit = db_text(st, 7);
  w->r.ip = db_text(st, 8);
  w->r.ua = db_text(st, 9);
  w->r.req_id = db_text(st, 10);
  w->r.action = db_text(st, 11);
  w->r.object = db_text(st, 12);
  w->r.result = db_text(st, 13);
  w->r.detail = db_text(st, 14);
  w->prev = db_text(st, 15);
  w->mac = db_text(st, 16);
}

NEOERR *q_audit_rows(DB *db, long long after, int max, AUDIT_ROW **rows, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, "SELECT " ROW_COLS " FROM audit_log WHERE id > ? ORDER BY id LIMIT ?",
                         "ii", after, (long long)max);
  if( err ) return nerr_pass(err);
  *rows = arena_alloc(db_arena(db), sizeof(AUDIT_ROW) * (size_t)(max > 0 ? max : 1));
  *n = 0;
  while( *n<max && db_step(st) ) read_row(st, &(*rows)[(*n)++]);
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_audit_get(DB *db, long long id, AUDIT_ROW *row, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, "SELECT " ROW_COLS " FROM audit_log WHERE id = ?", "i", id);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ) read_row(st, row);
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_audit_first_id(DB *db, long long *id){
  int found;
  return nerr_pass(db_one_int(db, id, &found, "SELECT COALESCE(MIN(id), 0) FROM audit_log", ""));
}

NEOERR *q_audit_id_from(DB *db, const char *at, long long *id){
  int found;
  NEOERR *err = db_one_int(db, id, &found, "SELECT id FROM audit_log WHERE at >= ? ORDER BY at, id LIMIT 1", "s", at);
  if( !err && !found ) *id = -1;     /* nothing that late */
  return nerr_pass(err);
}

NEOERR *q_audit_id_before(DB *db, const char *at, long long *id){
  int found;
  NEOERR *err = db_one_int(db, id, &found,
                           "SELECT id FROM audit_log WHERE at < ? ORDER BY at DESC, id DESC LIMIT 1", "s", at);
  if( !err && !found ) *id = -1;     /* nothing that early */
  return nerr_pass(err);
}

NEOERR *q_audit_delete_upto(DB *db, long long last, int step, long long *n){
  *n = 0;
  for(;;){
    NEOERR *err = db_exec(db, "DELETE FROM audit_log WHERE id <= ? ORDER BY id LIMIT ?", "ii", last, (long long)step);
    if( err ) return nerr_pass(err);
    if( db_affected(db)==0 ) return STATUS_OK;
    *n += (long long)db_affected(db);
  }
}

/* ------------------------------------------------------------------ */
/* the viewer                                                          */

/* One WHERE for every filter.  An empty filter is a condition that is true
** before the plan is made (MariaDB plans each execution with the values
** bound), so the index of the filter that is set drives the scan; the
** EXPLAIN of each case is in docs/ARCHITECTURE.md. */
#define FILTER_WHERE \
  " id >= ? AND (? = 0 OR id <= ?) AND (? = 0 OR id < ?)" \
  " AND (? = '' OR login = ?) AND (? = '' OR action = ?) AND (? = '' OR object = ?)" \
  " AND (? = '' OR obj_type = ?) AND (? = '' OR result = ?) AND (? = '' OR ip = ?)" \
  " AND (? = 0 OR unit_id = ?)" \
  " AND (? = ''" \
  "   OR (? = 'grants' AND action IN ('user.grant', 'user.revoke', 'auditor.grant', 'auditor.revoke', 'auditor.reset', 'auditor.confirm', 'auditor.reject', 'officer.grant', 'officer.revoke'))" \
  "   OR (? = 'io' AND (action LIKE 'import.%' OR action LIKE 'export.%' OR action = 'entry.import'))" \
  "   OR (? = 'resets' AND action IN ('user.reset', 'password.reset', 'auditor.reset'))" \
  "   OR (? = 'lockouts' AND action IN ('login.lockout', 'login.locked'))" \
  "   OR (? = 'loginfail' AND action = 'login.fail'))" \
  " AND (? = 0 OR HOUR(at + INTERVAL ? SECOND) < ? OR HOUR(at + INTERVAL ? SECOND) >= ?" \
  "   OR (? = 1 AND DAYOFWEEK(at + INTERVAL ? SECOND) IN (1, 7)))"
#define FILTER_FMT "iiiii" "ssssss" "ssssss" "ii" "ssssss" "iiiiiii"
#define S_(x) ((x) ? (x) : "")
#define FILTER_ARGS(f) \
  (f)->from_id, (f)->to_id, (f)->to_id, (f)->before, (f)->before, \
  S_((f)->login), S_((f)->login), S_((f)->action), S_((f)->action), S_((f)->object), S_((f)->object), \
  S_((f)->obj_type), S_((f)->obj_type), S_((f)->result), S_((f)->result), S_((f)->ip), S_((f)->ip), \
  (f)->unit_id, (f)->unit_id, \
  S_((f)->group), S_((f)->group), S_((f)->group), S_((f)->group), S_((f)->group), S_((f)->group), \
  (long long)(f)->off_hours, (long long)(f)->tz_offset, (long long)(f)->off_start, \
  (long long)(f)->tz_offset, (long long)(f)->off_end, (long long)(f)->off_weekend, (long long)(f)->tz_offset

NEOERR *q_audit_page(DB *db, HDF *hdf, const char *prefix, const AUDIT_FILTER *f,
                     int limit, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s'), login, role, unit, ip, action, object, result, req_id"
    " FROM audit_log WHERE" FILTER_WHERE " ORDER BY id DESC LIMIT ?",
    FILTER_FMT "i", FILTER_ARGS(f), (long long)limit);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, hdf, prefix, "id,at,login,role,unit,ip,action,object,result,req_id", n));
}

NEOERR *q_audit_list(DB *db, const AUDIT_FILTER *f, int limit, AUDIT_ROW **rows, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT " ROW_COLS " FROM audit_log WHERE" FILTER_WHERE " ORDER BY id DESC LIMIT ?",
    FILTER_FMT "i", FILTER_ARGS(f), (long long)limit);
  if( err ) return nerr_pass(err);
  *rows = arena_alloc(db_arena(db), sizeof(AUDIT_ROW) * (size_t)(limit > 0 ? limit : 1));
  *n = 0;
  while( *n<limit && db_step(st) ) read_row(st, &(*rows)[(*n)++]);
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_audit_count(DB *db, const AUDIT_FILTER *f, long long *n){
  int found;
  return nerr_pass(db_one_int(db, n, &found, "SELECT COUNT(*) FROM audit_log WHERE" FILTER_WHERE,
                              FILTER_FMT, FILTER_ARGS(f)));
}

/* a skip scan over (action, id): one index lookup per distinct action.
** (SELECT DISTINCT uses "index for group-by" on its first execution only:
** re-executed as a prepared statement, MariaDB 10.11 read the whole index,
** 0.2 s with 10^6 records) */
NEOERR *q_audit_actions(DB *db, HDF *hdf, const char *prefix, int *n){
  char prev[64] = "";
  *n = 0;
  for(int i=0; i<500; i++){
    DB_STMT *st;
    NEOERR *err = db_query(db, &st, "SELECT MIN(action) FROM audit_log WHERE action > ?", "s", prev);
    if( err ) return nerr_pass(err);
    const char *a = db_step(st) ? db_text(st, 0) : NULL;
    if( a ) snprintf(prev, sizeof prev, "%s", a);
    db_done(st);
    if( a==NULL ) break;
    if( (err = hdf_set_valuef(hdf, "%s.%d.action=%s", prefix, (*n)++, prev)) ) return nerr_pass(err);
  }
  return STATUS_OK;
}

NEOERR *q_audit_fail_by(DB *db, HDF *hdf, const char *prefix, const char *column,
                        long long from_id, long long min, int *n){
  DB_STMT *st;
  NEOERR *err;
  if( strcmp(column, "ip")==0 )
    err = db_query(db, &st, "SELECT ip, COUNT(*) AS n FROM audit_log WHERE id >= ? AND action = 'login.fail'"
                   " GROUP BY ip HAVING n >= ? ORDER BY n DESC, ip LIMIT 20", "ii", from_id, min);
  else
    err = db_query(db, &st, "SELECT login, COUNT(*) AS n FROM audit_log WHERE id >= ? AND action = 'login.fail'"
                   " GROUP BY login HAVING n >= ? ORDER BY n DESC, login LIMIT 20", "ii", from_id, min);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, hdf, prefix, "key,n", n));
}

NEOERR *q_audit_archives(DB *db, HDF *hdf, const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, "SELECT record_id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s'), object, detail"
                         " FROM audit_archive ORDER BY record_id DESC", "");
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, hdf, prefix, "id,at,object,detail", n));
}

NEOERR *q_audit_archive_index(DB *db, long long record_id){
  return nerr_pass(db_exec(db, "INSERT INTO audit_archive (record_id, at, object, detail)"
                           " SELECT id, at, object, detail FROM audit_log WHERE id = ? AND action = 'audit.archive'",
                           "i", record_id));
}

NEOERR *q_audit_archive_detail(DB *db, ARENA *a, long long record_id, const char **detail, int *found){
  DB_STMT *st;
  *detail = NULL;
  *found = 0;
  NEOERR *err = db_query(db, &st, "SELECT detail FROM audit_archive WHERE record_id = ?", "i", record_id);
  if( err ) return nerr_pass(err);
  if( db_step(st) ){
    const char *d = db_text(st, 0);
    *detail = arena_strdup(a, d ? d : "");
    *found = 1;
    db_done(st);
  }
  return STATUS_OK;
}
