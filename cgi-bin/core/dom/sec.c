/*
** sec.c -- see sec.h.
*/
#include "sec.h"
#include "acct.h"
#include "conf.h"
#include "err.h"
#include "json.h"
#include "q_org.h"
#include "q_sec.h"
#include "q_user.h"
#include <string.h>

int sec_is_officer(CTX *c){ return ctx_is_operator(c) || auth_has(c->user, CAP_SECURITY); }

int sec_role_privileged(const char *role){
  return role && (strcmp(role, "auditor")==0 || strcmp(role, "secofficer")==0);
}

NEOERR *sec_account_privileged(CTX *c, long long user_id, int *priv){
  return nerr_pass(q_sec_privileged(c->db, user_id, priv));
}

/* a refusal by rule: the message, and a record of it */
static NEOERR *refuse(CTX *c, const char **msg, const char *key, const char *action, const char *object){
  *msg = key;
  ctx_deny(c, action, object, key);
  return STATUS_OK;
}

static NEOERR *deny(CTX *c, const char *action, const char *object){
  ctx_deny(c, action, object, "denied");
  return nerr_raise(ERR_DENIED, "denied");
}

static const char *obj(CTX *c, const char *login){ return arena_printf(c->arena, "user:%s", login); }

NEOERR *sec_grant(CTX *c, const char *login, const char *role, const char **msg){
  USERROW u;
  ROLEROW *roles;
  int found, nroles, has;
  long long role_id = 0;
  NEOERR *err;
  const char *action = role && strcmp(role, "secofficer")==0 ? "officer.grant" : "auditor.grant";
  *msg = NULL;
  if( !sec_role_privileged(role) ){ *msg = "org.bad_role"; return STATUS_OK; }
  /* auditors by an officer (or the operator); officers by the operator alone */
  if( strcmp(role, "secofficer")==0 ? !ctx_is_operator(c) : !sec_is_officer(c) )
    return nerr_pass(deny(c, action, obj(c, login ? login : "")));
  if( (err = q_user_row(c->db, 0, login, &u, &found)) ) return nerr_pass(err);
  if( !found || !u.active ){ *msg = "sec.no_account"; return STATUS_OK; }
  if( u.id==c->user->id ) return nerr_pass(refuse(c, msg, "org.self_grant", action, obj(c, u.login)));
  /* one duty per account */
  static const char *const others[] = { "admin", "auditor", "secofficer" };
  for(size_t i=0; i<sizeof others/sizeof others[0]; i++){
    if( strcmp(others[i], role)==0 ) continue;
    if( (err = q_user_has_role(c->db, u.id, others[i], &has)) ) return nerr_pass(err);
    if( has ) return nerr_pass(refuse(c, msg, "sec.one_duty", action, obj(c, u.login)));
  }
  /* only its holder knows the password: the holder activated it */
  if( !ctx_is_operator(c) && (!u.has_password || u.activation_pending) )
    return nerr_pass(refuse(c, msg, "sec.activate_first", action, obj(c, u.login)));
  if( (err = q_roles(c->db, &roles, &nroles)) ) return nerr_pass(err);
  for(int i=0; i<nroles; i++) if( strcmp(roles[i].code, role)==0 ) role_id = roles[i].id;
  if( !role_id ){ *msg = "org.bad_role"; return STATUS_OK; }
  return nerr_pass(DB_TX(c->db, msg, ({
    err = q_grant_add(c->db, u.id, role_id, u.unit_id, "all");
    if( db_is_dup(err) ){ nerr_ignore(&err); *msg = "org.dup_grant"; }
    if( !err && !*msg ) err = q_sec_mark(c->db, u.id, role);
    if( !err && !*msg ){
      JSON j;
      json_open(&j);
      json_obj(&j, "after");
      json_str(&j, "role", role); json_str(&j, "unit", u.unit_code); json_str(&j, "scope", "all");
      json_end(&j);
      json_end(&j);
      err = ctx_audit(c, action, obj(c, u.login), "ok", json_done(&j, c->arena));
    }
    err; })));
}

NEOERR *sec_revoke(CTX *c, long long grant_id, const char **msg){
  long long user_id;
  const char *role, *path, *scope;
  int found;
  USERROW u;
  *msg = NULL;
  NEOERR *err = q_grant_get(c->db, grant_id, &user_id, &role, &path, &scope, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( (err = q_user_row(c->db, user_id, NULL, &u, &found)) ) return nerr_pass(err);
  const char *action = strcmp(role, "secofficer")==0 ? "officer.revoke" : "auditor.revoke";
  if( !sec_role_privileged(role) ) return nerr_pass(deny(c, action, obj(c, u.login)));
  if( strcmp(role, "secofficer")==0 ? !ctx_is_operator(c) : !sec_is_officer(c) )
    return nerr_pass(deny(c, action, obj(c, u.login)));
  return nerr_pass(DB_TX(c->db, msg, ({
    NEOERR *e = q_grant_del(c->db, grant_id);
    if( !e ){
      JSON j;
      json_open(&j);
      json_obj(&j, "before");
      json_str(&j, "role", role); json_str(&j, "unit_path", path); json_str(&j, "scope", scope);
      json_end(&j);
      json_end(&j);
      e = ctx_audit(c, action, obj(c, u.login), "ok", json_done(&j, c->arena));
    }
    e; })));
}

NEOERR *sec_reset(CTX *c, long long user_id, char code[16], const char **msg){
  USERROW u;
  int found, priv;
  unsigned char h[32];
  *msg = NULL;
  NEOERR *err = q_user_row(c->db, user_id, NULL, &u, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( !sec_is_officer(c) ) return nerr_pass(deny(c, "auditor.reset", obj(c, u.login)));
  if( user_id==c->user->id ) return nerr_pass(refuse(c, msg, "org.self_reset", "auditor.reset", obj(c, u.login)));
  /* the officer's own kind is reset by the operator alone */
  int officer;
  if( (err = q_user_has_role(c->db, user_id, "secofficer", &officer)) ) return nerr_pass(err);
  if( officer && !ctx_is_operator(c) ) return nerr_pass(deny(c, "auditor.reset", obj(c, u.login)));
  if( (err = q_sec_privileged(c->db, user_id, &priv)) ) return nerr_pass(err);
  if( !priv ) return nerr_pass(refuse(c, msg, "sec.not_auditor", "auditor.reset", obj(c, u.login)));
  int days = (int)conf_int(c->conf, "Login.ActivationDays", 14);
  acct_code_new(code, h);
  return nerr_pass(DB_TX(c->db, msg, ({
    NEOERR *e = q_user_set_activation(c->db, user_id, h, days);
    if( !e ) e = q_sessions_drop(c->db, user_id);
    if( !e ) e = q_lock_clear(c->db, acct_lock_key(c->arena, u.login));
    if( !e ) e = ctx_audit(c, "auditor.reset", obj(c, u.login), "ok",
                           "{\"before\":{\"password\":\"set\"},\"after\":{\"password\":\"activation code\"}}");
    e; })));
}

NEOERR *sec_pending(CTX *c, long long pending_id, int accept, const char **msg){
  long long user_id, role_id, unit_id;
  const char *role;
  int found;
  USERROW u;
  *msg = NULL;
  NEOERR *err = q_sec_pending_get(c->db, pending_id, &user_id, &role_id, &unit_id, &role, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( (err = q_user_row(c->db, user_id, NULL, &u, &found)) ) return nerr_pass(err);
  const char *action = accept ? "auditor.confirm" : "auditor.reject";
  if( !sec_role_privileged(role) || (strcmp(role, "secofficer")==0 ? !ctx_is_operator(c) : !sec_is_officer(c)) )
    return nerr_pass(deny(c, action, obj(c, u.login)));
  if( accept && u.id==c->user->id ) return nerr_pass(refuse(c, msg, "org.self_grant", action, obj(c, u.login)));
  int now = accept && u.has_password && !u.activation_pending;
  if( now ){
    int has;
    static const char *const others[] = { "admin", "auditor", "secofficer" };
    for(size_t i=0; i<sizeof others/sizeof others[0]; i++){
      if( strcmp(others[i], role)==0 ) continue;
      if( (err = q_user_has_role(c->db, u.id, others[i], &has)) ) return nerr_pass(err);
      if( has ) return nerr_pass(refuse(c, msg, "sec.one_duty", action, obj(c, u.login)));
    }
  }
  return nerr_pass(DB_TX(c->db, msg, ({
    NEOERR *e = STATUS_OK;
    if( !accept ) e = q_sec_pending_drop(c->db, pending_id);
    else if( now ){
      e = q_grant_add(c->db, u.id, role_id, unit_id, "all");
      if( db_is_dup(e) ) nerr_ignore(&e);
      if( !e ) e = q_sec_pending_drop(c->db, pending_id);
      if( !e ) e = q_sec_mark(c->db, u.id, role);
    }else e = q_sec_pending_confirm(c->db, pending_id, c->user->id);
    if( !e ) e = ctx_audit(c, now ? (strcmp(role, "secofficer")==0 ? "officer.grant" : "auditor.grant") : action,
                           obj(c, u.login), "ok",
                           arena_printf(c->arena, "{\"pending\":%lld,\"after\":{\"role\":\"%s\",\"%s\":1}}",
                                        pending_id, role, accept ? (now ? "granted" : "confirmed") : "rejected"));
    e; })));
}
