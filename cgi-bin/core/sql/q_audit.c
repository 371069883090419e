/*
** q_audit.c -- see q_audit.h.  audit_head (one row) holds the last sequence
** number and hash; locking it serialises appends, so the chain has no forks.
*/
#include "q_audit.h"
#include "str.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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

NEOERR *audit_append(DB *db, ARENA *a, const AUDIT *rec){
  NEOERR *err;
  DB_STMT *st;
  char at[40], hash[65];
  struct timespec now;
  struct tm tm;
  if( !db_in_tx(db) ) return nerr_raise(NERR_ASSERT, "audit_append outside a transaction");
  err = db_query(db, &st, "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE", "");
  if( err ) return nerr_pass(err);
  if( !db_step(st) ) return nerr_raise(NERR_DB, "audit_head row missing");
  long long id = db_int(st, 0) + 1;
  char prev[65];
  snprintf(prev, sizeof prev, "%s", db_text(st, 1));
  db_done(st);

  clock_gettime(CLOCK_REALTIME, &now);
  gmtime_r(&now.tv_sec, &tm);
  size_t n = strftime(at, sizeof at, "%Y-%m-%d %H:%M:%S", &tm);
  snprintf(at + n, sizeof at - n, ".%06ld", now.tv_nsec / 1000);

  AUDIT r = *rec;
  if( r.login==NULL ) r.login = "";
  if( r.ip==NULL ) r.ip = "";
  if( r.ua==NULL ) r.ua = "";
  if( r.object==NULL ) r.object = "";
  if( r.result==NULL ) r.result = "ok";
  if( r.detail==NULL ) r.detail = "";
  /* the stored columns are bounded and utf8mb4: make the values fit and
  ** valid before hashing, so the insert cannot fail and verify agrees */
  r.login = utf8_sanitize(a, r.login, 64);
  r.ip = utf8_sanitize(a, r.ip, 45);
  r.ua = utf8_sanitize(a, r.ua, 255);
  r.action = utf8_sanitize(a, r.action, 40);
  r.object = utf8_sanitize(a, r.object, 200);
  r.result = utf8_sanitize(a, r.result, 16);
  r.detail = utf8_sanitize(a, r.detail, 16000000);

  audit_hash(hash, prev, id, at, &r);
  err = db_exec(db,
    "INSERT INTO audit_log (id, at, user_id, login, ip, ua, action, object, result,"
    " detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
    "isnssssssss" "s", id, at, r.user_id, r.login, r.ip, r.ua, r.action, r.object,
    r.result, r.detail, prev, hash);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_exec(db, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1",
                           "is", id, hash));
}

NEOERR *audit_verify(DB *db, ARENA *a, long long *checked, long long *bad_id){
  DB_STMT *st;
  char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
  char h[65];
  (void)a;
  *checked = 0;
  *bad_id = 0;
  NEOERR *err = db_query(db, &st,
    "SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f'), COALESCE(user_id, 0), login,"
    " ip, ua, action, object, result, detail, prev_hash, hash FROM audit_log ORDER BY id", "");
  if( err ) return nerr_pass(err);
  long long expect = 1;
  while( db_step(st) ){
    AUDIT r = { db_int(st, 2), db_text(st, 3), db_text(st, 4), db_text(st, 5),
                db_text(st, 6), db_text(st, 7), db_text(st, 8), db_text(st, 9) };
    long long id = db_int(st, 0);
    audit_hash(h, prev, id, db_text(st, 1), &r);
    if( id!=expect || strcmp(prev, db_text(st, 10))!=0 || strcmp(h, db_text(st, 11))!=0 ){
      *bad_id = id;
      db_done(st);
      return STATUS_OK;
    }
    snprintf(prev, sizeof prev, "%s", h);
    expect++;
    (*checked)++;
  }
  return STATUS_OK;
}
