/*
** acct.c -- see acct.h.
**
** Throttling: counters in login_lock under 'u:<login>' -- whether or not
** that account exists, so being locked tells nothing about existence --
** and 'ip:<address>'.  Login.MaxFailures failures lock the key for
** Login.LockMinutes.  Unknown names cost one dummy argon2id verify, so
** timing tells nothing either.
*/
#include "acct.h"
#include "app.h"
#include "conf.h"
#include "err.h"
#include "log.h"
#include "pw.h"
#include "q_user.h"
#include "q_sess.h"
#include "q_org.h"
#include <sodium.h>
#include <ctype.h>
#include "sess.h"
#include "str.h"
#include <string.h>

/* the throttle key of a login name: account names are ASCII and compared
** ignoring case (the column's collation), so the key is the lower-cased
** name; anything else cannot be an account and is keyed as sent */
static const char *lock_key(ARENA *a, const char *login){
  char *k = arena_printf(a, "u:%s", utf8_sanitize(a, login, 100));
  for(char *p = k; *p; p++) if( *p>='A' && *p<='Z' ) *p = (char)(*p + 32);
  return k;
}

NEOERR *acct_login(REQ *r, const char *login, const char *password, int *result){
  DB *db = app_db(r);
  HDF *conf = req_conf(r);
  ARENA *a = req_arena(r);
  NEOERR *err;
  ACCOUNT acc;
  int found, locked_now = 0, ip_locked_now = 0;
  long long fails, locked_u = 0, locked_ip = 0;
  const char *ukey = lock_key(a, login);
  const char *ikey = arena_printf(a, "ip:%s", req_ip(r));
  long max = conf_int(conf, "Login.MaxFailures", 5);
  long lock_min = conf_int(conf, "Login.LockMinutes", 30);

  *result = LOGIN_BAD;
  if( (err = q_lock_get(db, ukey, &fails, &locked_u)) ) return nerr_pass(err);
  if( (err = q_lock_get(db, ikey, &fails, &locked_ip)) ) return nerr_pass(err);
  if( locked_u>0 || locked_ip>0 ){
    *result = LOGIN_LOCKED;
    if( (err = db_begin(db)) ) return nerr_pass(err);
    err = app_audit_as(r, 0, login, "login.locked", arena_printf(a, "login:%s", login),
                       "denied", locked_ip>0 ? "{\"by\":\"ip\"}" : "{\"by\":\"account\"}");
    if( err==STATUS_OK ) err = db_commit(db);
    return nerr_pass(err);
  }

  /* the expensive part runs outside any transaction */
  found = 0;
  if( str_login_ok(login) && (err = q_user_by_login(db, a, login, &acc, &found)) ) return nerr_pass(err);
  int ok;
  if( found && acc.pw_hash ) ok = pw_verify(acc.pw_hash, password);
  else{ pw_verify_dummy(password); ok = 0; }
  if( ok && !acc.active ) ok = 0;

  if( (err = db_begin(db)) ) return nerr_pass(err);
  do{
    if( !ok ){
      if( (err = q_lock_fail(db, ukey, max, lock_min, &locked_now)) ) break;
      if( (err = q_lock_fail(db, ikey, conf_int(conf, "Login.IpMaxFailures", 50), lock_min,
                             &ip_locked_now)) ) break;
      const char *why = !found ? "unknown account" : !acc.active ? "inactive account"
                        : "wrong password";
      err = app_audit_as(r, found ? acc.id : 0, login, "login.fail",
                         arena_printf(a, "login:%s", login), "fail",
                         arena_printf(a, "{\"reason\":\"%s\"}", why));
      if( err ) break;
      if( locked_now || ip_locked_now ){
        err = app_audit_as(r, found ? acc.id : 0, login, "login.lockout",
                           arena_printf(a, "login:%s", login), "denied",
                           arena_printf(a, "{\"minutes\":%ld,\"by\":\"%s\"}", lock_min,
                                        locked_now ? "account" : "ip"));
        if( err ) break;
        *result = LOGIN_LOCKED;
      }
      break;
    }
    if( (err = q_lock_clear(db, ukey)) ) break;
    if( (err = q_user_logged_in(db, acc.id)) ) break;
    if( (err = sess_start(r, db, acc.id)) ) break;
    if( (err = app_audit_as(r, acc.id, acc.login, "login.ok", arena_printf(a, "user:%lld", acc.id),
                            "ok", "{}")) ) break;
    *result = LOGIN_OK;
  }while(0);
  if( err ){ db_rollback(db); return nerr_pass(err); }
  return nerr_pass(db_commit(db));
}

NEOERR *acct_change_password(REQ *r, const char *old_pw, const char *new_pw,
                             const char *again, const char **msg){
  DB *db = app_db(r);
  USER *u = app_user(r);
  ARENA *a = req_arena(r);
  ACCOUNT acc;
  int found;
  char hash[PW_HASH_MAX];
  NEOERR *err;

  long long fails, locked = 0;
  int wrong_old = 0, locked_now = 0;
  const char *ukey = lock_key(a, u->login);
  *msg = NULL;
  if( (err = q_user_by_id(db, a, u->id, &acc, &found)) ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  /* guessing the current password is throttled like logging in */
  if( (err = q_lock_get(db, ukey, &fails, &locked)) ) return nerr_pass(err);
  if( locked>0 ) *msg = "login.locked";
  else if( old_pw==NULL || new_pw==NULL || again==NULL ) *msg = "acct.fill_all";
  else if( !acc.pw_hash || !pw_verify(acc.pw_hash, old_pw) ){ *msg = "acct.old_wrong"; wrong_old = 1; }
  else if( strcmp(new_pw, again)!=0 ) *msg = "acct.mismatch";
  else if( strcmp(new_pw, old_pw)==0 ) *msg = "acct.same";
  else *msg = pw_policy_check(req_conf(r), u->login, new_pw);

  if( (err = db_begin(db)) ) return nerr_pass(err);
  do{
    const char *obj = arena_printf(a, "user:%lld", u->id);
    if( *msg ){
      if( wrong_old && (err = q_lock_fail(db, ukey, conf_int(req_conf(r), "Login.MaxFailures", 5),
                                         conf_int(req_conf(r), "Login.LockMinutes", 30), &locked_now)) ) break;
      if( locked_now ){
        /* locked: the session ends too, whoever is at the keyboard */
        *msg = "login.locked";
        if( (err = sess_end(r, db, u)) ) break;
      }
      err = app_audit(r, "password.change", obj, "fail",
                      arena_printf(a, "{\"reason\":\"%s\"}", *msg));
      break;
    }
    if( (err = pw_hash(new_pw, hash)) ) break;
    if( (err = q_user_set_password(db, u->id, hash, 0)) ) break;
    /* other sessions of this account end; this one goes on */
    if( (err = q_sess_delete_others(db, u->id, u->sess_id)) ) break;
    err = app_audit(r, "password.change", obj, "ok", "{}");
  }while(0);
  if( err ){ db_rollback(db); return nerr_pass(err); }
  return nerr_pass(db_commit(db));
}

NEOERR *acct_logout(REQ *r){
  DB *db = app_db(r);
  USER *u = app_user(r);
  NEOERR *err;
  if( u==NULL ){ req_set_cookie(r, SESS_COOKIE, "", 0); return STATUS_OK; }
  if( (err = db_begin(db)) ) return nerr_pass(err);
  err = sess_end(r, db, u);
  if( err==STATUS_OK )
    err = app_audit(r, "logout", arena_printf(req_arena(r), "user:%lld", u->id), "ok", "{}");
  if( err ){ db_rollback(db); return nerr_pass(err); }
  return nerr_pass(db_commit(db));
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

NEOERR *acct_activate(REQ *r, const char *login, const char *code, const char *new_pw,
                      const char *again, const char **msg){
  DB *db = app_db(r);
  HDF *conf = req_conf(r);
  ARENA *a = req_arena(r);
  unsigned char hash[32];
  long long id = 0, f, locked_u = 0, locked_ip = 0;
  int locked_now = 0, ip_locked_now = 0;
  NEOERR *err;
  const char *ukey = lock_key(a, login);
  const char *ikey = arena_printf(a, "ip:%s", req_ip(r));

  *msg = NULL;
  if( !*login || !code || !*code || !new_pw || !again ){ *msg = "act.fill_all"; return STATUS_OK; }
  if( (err = q_lock_get(db, ukey, &f, &locked_u)) ) return nerr_pass(err);
  if( (err = q_lock_get(db, ikey, &f, &locked_ip)) ) return nerr_pass(err);
  if( locked_u>0 || locked_ip>0 ){ *msg = "login.locked"; return STATUS_OK; }
  if( str_login_ok(login) && acct_code_hash(code, hash)==0 && (err = q_user_by_activation(db, login, hash, &id)) )
    return nerr_pass(err);
  if( id ){
    if( strcmp(new_pw, again)!=0 ) *msg = "acct.mismatch";
    else *msg = pw_policy_check(conf, login, new_pw);
    if( *msg ) return STATUS_OK;        /* the code stays valid: fix the password and retry */
  }
  char pwh[PW_HASH_MAX];
  if( id && (err = pw_hash(new_pw, pwh)) ) return nerr_pass(err);
  if( (err = db_begin(db)) ) return nerr_pass(err);
  do{
    const char *obj = arena_printf(a, "login:%s", login);
    if( id==0 ){
      *msg = "act.bad_code";
      if( (err = q_lock_fail(db, ukey, conf_int(conf, "Login.MaxFailures", 5),
                             conf_int(conf, "Login.LockMinutes", 30), &locked_now)) ) break;
      if( (err = q_lock_fail(db, ikey, conf_int(conf, "Login.IpMaxFailures", 50),
                             conf_int(conf, "Login.LockMinutes", 30), &ip_locked_now)) ) break;
      err = app_audit_as(r, 0, login, "account.activate", obj, "fail", "{\"reason\":\"bad code\"}");
      break;
    }
    if( (err = q_user_set_password(db, id, pwh, 0)) ) break;
    if( (err = q_sheet_drop_user(db, id)) ) break;
    if( (err = q_lock_clear(db, ukey)) ) break;
    if( (err = q_user_logged_in(db, id)) ) break;
    if( (err = sess_start(r, db, id)) ) break;
    err = app_audit_as(r, id, login, "account.activate", arena_printf(a, "user:%lld", id), "ok", "{}");
  }while(0);
  if( err ){ db_rollback(db); return nerr_pass(err); }
  return nerr_pass(db_commit(db));
}
