/*
** sess.c -- see sess.h.
*/
#include "sess.h"
#include "acct.h"
#include "q_sess.h"
#include "conf.h"
#include "str.h"
#include "log.h"
#include <sodium.h>
#include <string.h>

NEOERR *sess_load(REQ *r, DB *db, USER **out){
  unsigned char hash[32];
  long long age, idle;
  int found;
  HDF *conf = req_conf(r);
  ARENA *a = req_arena(r);
  *out = NULL;
  if( acct_token_hash(req_cookie(r, SESS_COOKIE), hash) ) return STATUS_OK;
  USER *u = arena_alloc(a, sizeof(*u));
  NEOERR *err = q_sess_find(db, a, hash, u, &age, &idle, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return STATUS_OK;
  long idle_max = conf_int(conf, "Session.IdleMinutes", 30) * 60;
  long abs_max = conf_int(conf, "Session.AbsoluteHours", 12) * 3600;
  if( idle>idle_max || age>abs_max ){
    err = q_sess_delete(db, u->sess_id);
    if( err ) return nerr_pass(err);
    req_set_cookie(r, SESS_COOKIE, "", 0);
    return STATUS_OK;
  }
  /* one write a minute at most: the hot path stays read-only */
  if( idle>=60 && (err = q_sess_touch(db, u->sess_id)) ) return nerr_pass(err);
  long max_age = conf_int(conf, "Password.MaxAgeDays", 0);
  u->pw_expired = (max_age>0 && u->pw_expired>=max_age);
  for(int i=0; i<u->ngrants; i++) u->caps |= u->grants[i].caps;
  *out = u;
  return STATUS_OK;
}

void sess_set_cookie(REQ *r, const char *tok){
  /* a session cookie: it ends with the browser, the server ends it sooner */
  req_set_cookie(r, SESS_COOKIE, tok && *tok ? tok : "", tok && *tok ? -1 : 0);
}

const char *sess_pre_csrf(REQ *r){
  const char *c = req_cookie(r, CSRF_COOKIE);
  unsigned char h[32];
  if( acct_token_hash(c, h)==0 ) return c;
  char tok[TOKEN_LEN + 1];
  acct_token_new(tok, h);
  c = arena_strdup(req_arena(r), tok);
  req_set_cookie(r, CSRF_COOKIE, c, -1);
  return c;
}

int sess_csrf_ok(REQ *r, USER *u){
  const char *sent = req_form(r, "csrf");
  const char *want = u ? u->csrf : req_cookie(r, CSRF_COOKIE);
  if( sent==NULL || want==NULL || strlen(want)!=TOKEN_LEN ) return 0;
  return str_ct_equal(sent, want);
}
