/*
** ctx.c -- see ctx.h.
*/
#include "ctx.h"
#include "q_audit.h"
#include <string.h>

static GRANT g_op_grant = { CAP_ENTRY | CAP_APPROVE | CAP_DISPATCH | CAP_REPORT | CAP_ADMIN | CAP_AUDIT,
                            0, "/", SCOPE_ALL };
static USER g_operator = { .id = 0, .login = "system", .name = "system", .unit_path = "/",
                           .caps = CAP_ENTRY | CAP_APPROVE | CAP_DISPATCH | CAP_REPORT | CAP_ADMIN | CAP_AUDIT,
                           .grants = &g_op_grant, .ngrants = 1 };

void ctx_operator(CTX *c, DB *db, ARENA *a, HDF *conf, const char *source){
  memset(c, 0, sizeof *c);
  c->db = db;
  c->arena = a;
  c->conf = conf;
  c->user = &g_operator;
  c->ip = "127.0.0.1";
  c->ua = source ? source : "diaodu-ctl";
}

int ctx_is_operator(const CTX *c){ return c->user==&g_operator; }

NEOERR *ctx_audit_as(CTX *c, long long user_id, const char *login, const char *action,
                     const char *object, const char *result, const char *detail){
  AUDIT rec = { user_id, login, c->ip, c->ua, action, object, result, detail ? detail : "{}" };
  return nerr_pass(audit_append(c->db, c->arena, &rec));
}

NEOERR *ctx_audit(CTX *c, const char *action, const char *object,
                  const char *result, const char *detail){
  return nerr_pass(ctx_audit_as(c, c->user->id, c->user->login, action, object, result, detail));
}

time_t ctx_now(const CTX *c){ return c->now ? c->now : time(NULL); }
