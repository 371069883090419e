/*
** acct.c -- see acct.h.
**
** Throttling: counters in login_lock under 'u:<login in lower case>' --
** whether or not that account exists, so being locked tells nothing about
** existence -- and 'ip:<address>'.  Login.MaxFailures failures lock the key
** for Login.LockMinutes.  Unknown names cost one dummy argon2id verify, so
** timing tells nothing either.  Attempts against a locked key are counted in
** the lock row; the audit log gets the 1st, 10th, 100th ... of them (with the
** count), so a script hammering a locked name cannot grow the log without
** bound while the evidence stays.
*/
#include "acct.h"
#include "q_imp.h"
#include "conf.h"
#include "err.h"
#include "log.h"
#include "pw.h"
#include "q_user.h"
#include "q_sess.h"
#include "q_org.h"
#include "str.h"
#include <sodium.h>
#include <ctype.h>
#include <string.h>

void acct_token_new(char tok[TOKEN_LEN + 1], unsigned char hash[32]){
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  b64url_encode(tok, raw, sizeof raw);
  crypto_hash_sha256(hash, raw, sizeof raw);
  sodium_memzero(raw, sizeof raw);
}

int acct_token_hash(const char *tok, unsigned char hash[32]){
  unsigned char raw[33];
  if( tok==NULL || strlen(tok)!=TOKEN_LEN ) return -1;
  if( b64url_decode(raw, sizeof raw, tok)!=32 ) return -1;
  crypto_hash_sha256(hash, raw, 32);
  return 0;
}

const char *acct_lock_key(ARENA *a, const char *login){
  char *k = arena_printf(a, "u:%s", utf8_sanitize(a, login ? login : "", 100));
  for(char *p = k; *p; p++) if( *p>='A' && *p<='Z' ) *p = (char)(*p + 32);
  return k;
}

/* a new session row for user_id; tok gets its token */
static NEOERR *session_new(CTX *c, long long user_id, char tok[TOKEN_LEN + 1]){
  char csrf[TOKEN_LEN + 1];
  unsigned char hash[32], unused[32];
  long long id;
  acct_token_new(tok, hash);
  acct_token_new(csrf, unused);
  NEOERR *err = q_sess_purge(c->db, conf_int(c->conf, "Session.IdleMinutes", 30) * 60,
                             conf_int(c->conf, "Session.AbsoluteHours", 12) * 3600);
  if( err ) return nerr_pass(err);
  return nerr_pass(q_sess_insert(c->db, hash, user_id, csrf, c->ip, c->ua, &id));
}

/* an attempt against a locked key: counted; audited at 1, 10, 100 ... */
static NEOERR *locked_attempt(CTX *c, const char *login, const char *key, const char *by){
  long long n;
  NEOERR *err = q_lock_refused(c->db, key, &n);
  if( err ) return nerr_pass(err);
  long long p = 1;
  while( p<n && p<=1000000000000LL ) p *= 10;
  if( p!=n ) return STATUS_OK;
  return nerr_pass(ctx_audit_as(c, 0, login, "login.locked", arena_printf(c->arena, "login:%s", login),
                     "denied", arena_printf(c->arena, "{\"by\":\"%s\",\"attempts_while_locked\":%lld}", by, n)));
}

static NEOERR *login_tx(CTX *c, const char *login, int ok, int found, const ACCOUNT *acc,
                        const char *ukey, const char *ikey, int *result, char tok[TOKEN_LEN + 1]){
  ARENA *a = c->arena;
  DB *db = c->db;
  long max = conf_int(c->conf, "Login.MaxFailures", 5);
  long lock_min = conf_int(c->conf, "Login.LockMinutes", 30);
  int locked_now = 0, ip_locked_now = 0;
  NEOERR *err;
  *result = LOGIN_BAD;
  if( !ok ){
    if( (err = q_lock_fail(db, ukey, max, lock_min, &locked_now)) ) return nerr_pass(err);
    if( (err = q_lock_fail(db, ikey, conf_int(c->conf, "Login.IpMaxFailures", 50), lock_min,
                           &ip_locked_now)) ) return nerr_pass(err);
    const char *why = !found ? "unknown account" : !acc->active ? "inactive account" : "wrong password";
    if( (err = ctx_audit_as(c, found ? acc->id : 0, login, "login.fail", arena_printf(a, "login:%s", login),
                            "fail", arena_printf(a, "{\"reason\":\"%s\"}", why))) ) return nerr_pass(err);
    if( locked_now || ip_locked_now ){
      *result = LOGIN_LOCKED;
      return nerr_pass(ctx_audit_as(c, found ? acc->id : 0, login, "login.lockout",
                         arena_printf(a, "login:%s", login), "denied",
                         arena_printf(a, "{\"minutes\":%ld,\"by\":\"%s\"}", lock_min,
                                      locked_now ? "account" : "ip")));
    }
    return STATUS_OK;
  }
  if( (err = q_lock_clear(db, ukey)) ) return nerr_pass(err);
  if( (err = q_user_logged_in(db, acc->id)) ) return nerr_pass(err);
  if( (err = session_new(c, acc->id, tok)) ) return nerr_pass(err);
  if( (err = ctx_audit_as(c, acc->id, acc->login, "login.ok", arena_printf(a, "user:%s", acc->login),
                          "ok", "{}")) ) return nerr_pass(err);
  *result = LOGIN_OK;
  return STATUS_OK;
}

NEOERR *acct_login(CTX *c, const char *login, const char *password, int *result,
                   char tok[TOKEN_LEN + 1]){
  DB *db = c->db;
  ARENA *a = c->arena;
  NEOERR *err;
  ACCOUNT acc;
  int found;
  long long fails, locked_u = 0, locked_ip = 0;
  const char *ukey = acct_lock_key(a, login);
  const char *ikey = arena_printf(a, "ip:%s", c->ip);

  *result = LOGIN_BAD;
  tok[0] = 0;
  if( (err = q_lock_get(db, ukey, &fails, &locked_u)) ) return nerr_pass(err);
  if( (err = q_lock_get(db, ikey, &fails, &locked_ip)) ) return nerr_pass(err);
  if( locked_u>0 || locked_ip>0 ){
    *result = LOGIN_LOCKED;
    return nerr_pass(DB_TX(db, NULL, locked_attempt(c, login, locked_ip>0 ? ikey : ukey,
                                                    locked_ip>0 ? "ip" : "account")));
  }
  /* the expensive part runs outside any transaction */
  found = 0;
  if( str_login_ok(login) && (err = q_user_by_login(db, a, login, &acc, &found)) ) return nerr_pass(err);
  int ok;
  if( found && acc.pw_hash ) ok = pw_verify(acc.pw_hash, password);
  else{ pw_verify_dummy(password); ok = 0; }
  if( ok && !acc.active ) ok = 0;
  return nerr_pass(DB_TX(db, NULL, login_tx(c, login, ok, found, &acc, ukey, ikey, result, tok)));
}

static NEOERR *password_tx(CTX *c, const char *hash, const char *why, int wrong_old, int *ended){
  DB *db = c->db;
  const USER *u = c->user;
  int locked_now = 0;
  NEOERR *err;
  const char *obj = arena_printf(c->arena, "user:%s", u->login);
  if( why ){
    if( wrong_old && (err = q_lock_fail(db, acct_lock_key(c->arena, u->login),
                                        conf_int(c->conf, "Login.MaxFailures", 5),
                                        conf_int(c->conf, "Login.LockMinutes", 30), &locked_now)) )
      return nerr_pass(err);
    if( locked_now ){
      /* locked: the session ends too, whoever is at the keyboard */
      why = "login.locked";
      *ended = 1;
      if( (err = q_sess_delete(db, u->sess_id)) ) return nerr_pass(err);
    }
    return nerr_pass(ctx_audit(c, "password.change", obj, "fail",
                               arena_printf(c->arena, "{\"reason\":\"%s\"}", why)));
  }
  if( (err = q_user_set_password(db, u->id, hash, 0)) ) return nerr_pass(err);
  /* other sessions of this account end; this one goes on */
  if( (err = q_sess_delete_others(db, u->id, u->sess_id)) ) return nerr_pass(err);
  return nerr_pass(ctx_audit(c, "password.change", obj, "ok", "{}"));
}

NEOERR *acct_change_password(CTX *c, const char *old_pw, const char *new_pw,
                             const char *again, const char **msg, int *ended){
  DB *db = c->db;
  const USER *u = c->user;
  ARENA *a = c->arena;
  ACCOUNT acc;
  int found, wrong_old = 0;
  char hash[PW_HASH_MAX];
  long long fails, locked = 0;
  NEOERR *err;

  *msg = NULL;
  *ended = 0;
  if( (err = q_user_by_id(db, a, u->id, &acc, &found)) ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  /* guessing the current password is throttled like logging in */
  if( (err = q_lock_get(db, acct_lock_key(a, u->login), &fails, &locked)) ) return nerr_pass(err);
  if( locked>0 ) *msg = "login.locked";
  else if( old_pw==NULL || new_pw==NULL || again==NULL ) *msg = "acct.fill_all";
  else if( !acc.pw_hash || !pw_verify(acc.pw_hash, old_pw) ){ *msg = "acct.old_wrong"; wrong_old = 1; }
  else if( strcmp(new_pw, again)!=0 ) *msg = "acct.mismatch";
  else if( strcmp(new_pw, old_pw)==0 ) *msg = "acct.same";
  else *msg = pw_policy_check(c->conf, u->login, new_pw);
  if( *msg==NULL && (err = pw_hash(new_pw, hash)) ) return nerr_pass(err);
  /* a refusal is recorded and committed too (the lock counter, the record) */
  err = DB_TX(db, NULL, password_tx(c, hash, *msg, wrong_old, ended));
  if( *ended ) *msg = "login.locked";
  return nerr_pass(err);
}

NEOERR *acct_logout(CTX *c){
  const USER *u = c->user;
  return nerr_pass(DB_TX(c->db, NULL, ({
    NEOERR *e = q_sess_delete(c->db, u->sess_id);
    if( !e ) e = ctx_audit(c, "logout", arena_printf(c->arena, "user:%s", u->login), "ok", "{}");
    e; })));
}

static const char ACT_ALPHA[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";   /* 32 symbols */

void acct_code_new(char code[ACT_CODE_LEN + 1], unsigned char hash[32]){
  int j = 0;
  for(int i=0; i<10; i++){
    if( i==5 ) code[j++] = '-';
    code[j++] = ACT_ALPHA[randombytes_uniform(32)];
  }
  code[j] = 0;
  acct_code_hash(code, hash);
}

int acct_code_hash(const char *code, unsigned char hash[32]){
  char norm[16];
  int n = 0;
  if( code==NULL ) return -1;
  for(; *code; code++){
    if( *code=='-' || *code==' ' ) continue;
    char c = (char)toupper((unsigned char)*code);
    if( strchr(ACT_ALPHA, c)==NULL || n>=10 ) return -1;
    norm[n++] = c;
  }
  if( n!=10 ) return -1;
  crypto_hash_sha256(hash, (const unsigned char*)norm, 10);
  return 0;
}

static NEOERR *activate_tx(CTX *c, const char *login, long long id, const char *pwh,
                          const char *ukey, const char *ikey, const char **msg, char tok[TOKEN_LEN + 1]){
  DB *db = c->db;
  HDF *conf = c->conf;
  int locked_now = 0, ip_locked_now = 0;
  NEOERR *err;
  const char *obj = arena_printf(c->arena, "login:%s", login);
  if( id==0 ){
    *msg = "act.bad_code";
    if( (err = q_lock_fail(db, ukey, conf_int(conf, "Login.MaxFailures", 5),
                           conf_int(conf, "Login.LockMinutes", 30), &locked_now)) ) return nerr_pass(err);
    if( (err = q_lock_fail(db, ikey, conf_int(conf, "Login.IpMaxFailures", 50),
                           conf_int(conf, "Login.LockMinutes", 30), &ip_locked_now)) ) return nerr_pass(err);
    return nerr_pass(ctx_audit_as(c, 0, login, "account.activate", obj, "fail", "{\"reason\":\"bad code\"}"));
  }
  long long granted;
  if( (err = q_user_set_password(db, id, pwh, 0)) ) return nerr_pass(err);
  if( (err = q_sheet_drop_user(db, id)) ) return nerr_pass(err);
  if( (err = q_lock_clear(db, ukey)) ) return nerr_pass(err);
  if( (err = q_user_logged_in(db, id)) ) return nerr_pass(err);
  /* grants waiting for the holder (an imported auditor, pend.h) take effect now */
  if( (err = q_pending_apply(db, id, &granted)) ) return nerr_pass(err);
  if( (err = session_new(c, id, tok)) ) return nerr_pass(err);
  return nerr_pass(ctx_audit_as(c, id, login, "account.activate", arena_printf(c->arena, "user:%s", login), "ok",
                                granted ? arena_printf(c->arena, "{\"pending_granted\":%lld}", granted) : "{}"));
}

NEOERR *acct_activate(CTX *c, const char *login, const char *code, const char *new_pw,
                      const char *again, const char **msg, char tok[TOKEN_LEN + 1]){
  DB *db = c->db;
  ARENA *a = c->arena;
  unsigned char hash[32];
  long long id = 0, f, locked_u = 0, locked_ip = 0;
  NEOERR *err;
  const char *ukey = acct_lock_key(a, login);
  const char *ikey = arena_printf(a, "ip:%s", c->ip);

  *msg = NULL;
  tok[0] = 0;
  if( !*login || !code || !*code || !new_pw || !again ){ *msg = "act.fill_all"; return STATUS_OK; }
  if( (err = q_lock_get(db, ukey, &f, &locked_u)) ) return nerr_pass(err);
  if( (err = q_lock_get(db, ikey, &f, &locked_ip)) ) return nerr_pass(err);
  if( locked_u>0 || locked_ip>0 ){ *msg = "login.locked"; return STATUS_OK; }
  if( str_login_ok(login) && acct_code_hash(code, hash)==0 && (err = q_user_by_activation(db, login, hash, &id)) )
    return nerr_pass(err);
  if( id ){
    if( strcmp(new_pw, again)!=0 ) *msg = "acct.mismatch";
    else *msg = pw_policy_check(c->conf, login, new_pw);
    if( *msg ) return STATUS_OK;        /* the code stays valid: fix the password and retry */
  }
  char pwh[PW_HASH_MAX];
  if( id && (err = pw_hash(new_pw, pwh)) ) return nerr_pass(err);
  /* a wrong code is recorded and committed (counter, audit record) */
  const char *why = NULL;
  err = DB_TX(db, NULL, activate_tx(c, login, id, id ? pwh : NULL, ukey, ikey, &why, tok));
  *msg = why;
  return nerr_pass(err);
}
