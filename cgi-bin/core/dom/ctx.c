/*
** ctx.c -- see ctx.h.
*/
#include "ctx.h"
#include "q_audit.h"
#include "json.h"
#include "str.h"
#include <sodium.h>
#include <string.h>

static GRANT g_op_grant = { CAP_ENTRY | CAP_APPROVE | CAP_DISPATCH | CAP_REPORT | CAP_ADMIN | CAP_AUDIT | CAP_SECURITY,
                            0, "/", SCOPE_ALL };
static USER g_operator = { .id = 0, .login = "system", .name = "system", .unit_path = "/",
                           .caps = CAP_ENTRY | CAP_APPROVE | CAP_DISPATCH | CAP_REPORT | CAP_ADMIN | CAP_AUDIT | CAP_SECURITY,
                           .grants = &g_op_grant, .ngrants = 1 };

void ctx_operator(CTX *c, DB *db, ARENA *a, HDF *conf, const char *source){
  memset(c, 0, sizeof *c);
  c->db = db;
  c->arena = a;
  c->conf = conf;
  c->user = &g_operator;
  c->ip = "127.0.0.1";
  c->ua = source ? source : "diaodu-ctl";
  c->req_id = ctx_req_id(a);
}

const char *ctx_req_id(ARENA *a){
  unsigned char raw[8];
  char *hex = arena_alloc(a, 17);
  randombytes_buf(raw, sizeof raw);
  hex_encode(hex, raw, sizeof raw);
  return hex;
}

int ctx_is_operator(const CTX *c){ return c->user==&g_operator; }

NEOERR *ctx_audit_as(CTX *c, long long user_id, const char *login, const char *action,
                     const char *object, const char *result, const char *detail){
  AUDIT rec = { .user_id = user_id, .login = login, .ip = c->ip, .ua = c->ua, .action = action,
                .object = object, .result = result, .detail = detail ? detail : "{}",
                .req_id = c->req_id };
  if( user_id==0 && ctx_is_operator(c) ) rec.role = "operator";
  return nerr_pass(audit_append(c->db, c->arena, &rec));
}

void ctx_deny(CTX *c, const char *action, const char *object, const char *why){
  if( c->deny_action ) return;
  c->deny_action = action;
  c->deny_object = object ? object : "";
  c->deny_why = why ? why : "denied";
}

NEOERR *ctx_flush(CTX *c){
  if( c->deny_action==NULL ) return STATUS_OK;
  JSON j;
  json_open(&j);
  json_str(&j, "reason", c->deny_why);
  json_end(&j);
  const char *detail = json_done(&j, c->arena);
  NEOERR *err = DB_TX(c->db, NULL, ctx_audit(c, c->deny_action, c->deny_object, "denied", detail));
  c->deny_action = c->deny_object = c->deny_why = NULL;
  return nerr_pass(err);
}

NEOERR *ctx_audit(CTX *c, const char *action, const char *object,
                  const char *result, const char *detail){
  return nerr_pass(ctx_audit_as(c, c->user->id, c->user->login, action, object, result, detail));
}

time_t ctx_now(const CTX *c){ return c->now ? c->now : time(NULL); }
