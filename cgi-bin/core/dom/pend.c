/*
** pend.c -- see pend.h.
*/
#include "pend.h"
#include "conf.h"
#include "err.h"
#include "q_imp.h"
#include "q_org.h"
#include "q_user.h"
#include <stdio.h>
#include <string.h>

static NEOERR *code_tx(CTX *c, const USERROW *u, const unsigned char h[32], int days){
  long long n;
  NEOERR *err = q_user_set_activation(c->db, u->id, h, days);
  if( !err ) err = q_sessions_drop(c->db, u->id);
  if( !err ) err = q_lock_clear(c->db, acct_lock_key(c->arena, u->login));
  if( !err ) err = q_pending_count(c->db, u->id, &n);
  if( err ) return nerr_pass(err);
  return nerr_pass(ctx_audit(c, "account.code", arena_printf(c->arena, "user:%s", u->login), "ok",
                             arena_printf(c->arena, "{\"by\":\"diaodu-ctl\",\"pending_grants\":%lld}", n)));
}

NEOERR *pend_code(CTX *c, const char *login, char code[ACT_CODE_LEN + 1], const char **msg){
  USERROW u;
  int found;
  unsigned char h[32];
  *msg = NULL;
  if( !ctx_is_operator(c) ) return nerr_raise(ERR_DENIED, "denied");
  NEOERR *err = q_user_row(c->db, 0, login, &u, &found);
  if( err ) return nerr_pass(err);
  if( !found ){ *msg = "org.bad_login"; return STATUS_OK; }
  if( !u.active ){ *msg = "imp.user_inactive"; return STATUS_OK; }
  acct_code_new(code, h);
  int days = (int)conf_int(c->conf, "Login.ActivationDays", 14);
  return nerr_pass(DB_TX(c->db, NULL, code_tx(c, &u, h, days)));
}
