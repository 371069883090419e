/*
** org.c -- see org.h.
*/
#include "org.h"
#include "acct.h"
#include "ctx.h"
#include "conf.h"
#include "err.h"
#include "json.h"
#include "sec.h"
#include "q_user.h"
#include "str.h"
#include "val.h"
#include <stdlib.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

int org_admin_all(CTX *c){
  const USER *u = c->user;
  for(int i=0; i<u->ngrants; i++)
    if( (u->grants[i].caps & CAP_ADMIN) && u->grants[i].scope==SCOPE_ALL ) return 1;
  return 0;
}

int org_may(CTX *c, const char *path){
  const USER *u = c->user;
  if( path==NULL ) return org_admin_all(c);
  return auth_unit_ok(u, CAP_ADMIN, path);
}

/* a refusal by rule (三员分立, an account's own protection, the last
** administrator): the message for the form, and a record of it (ctx_deny) */
static void policy(CTX *c, const char **msg, const char *key, const char *action, const char *object){
  *msg = key;
  ctx_deny(c, action, object, key);
}

/* an administrator (not the operator) may not touch an account that holds,
** or ever held, an auditor or security-officer grant (sec.h) */
static NEOERR *privileged_guard(CTX *c, const USERROW *u, const char *action, const char **msg){
  int priv;
  if( ctx_is_operator(c) ) return STATUS_OK;
  NEOERR *err = sec_account_privileged(c, u->id, &priv);
  if( !err && priv ) policy(c, msg, "org.privileged_account", action, arena_printf(c->arena, "user:%s", u->login));
  return nerr_pass(err);
}

static const char *kind_ok(const char *k){
  if( k && (strcmp(k, "company")==0 || strcmp(k, "dept")==0 || strcmp(k, "team")==0) ) return k;
  return NULL;
}

static NEOERR *unit_json(JSON *j, const char *key, const UNITROW *u, const char *parent_code){
  json_obj(j, key);
  json_str(j, "code", u->code);
  json_str(j, "name", u->name);
  json_str(j, "parent", parent_code);
  json_str(j, "kind", u->kind);
  json_int(j, "sort", u->sort);
  json_int(j, "active", u->active);
  json_end(j);
  return STATUS_OK;
}

static NEOERR *parent_code(DB *db, long long pid, const char **code){
  UNITROW p;
  int found = 0;
  *code = NULL;
  if( pid==0 ) return STATUS_OK;
  NEOERR *err = q_unit_get(db, pid, &p, &found);
  if( err ) return nerr_pass(err);
  if( found ) *code = p.code;
  return STATUS_OK;
}

static NEOERR *unit_create_tx(CTX *c, const char *code, const char *name, long long parent_id,
                              const char *kind, int sort, long long *id, const char **msg){
  DB *db = c->db;
  UNITROW p;
  int found = 0, retired;
  NEOERR *err;
  if( (err = q_tree_lock(c->db)) ) return nerr_pass(err);
  if( parent_id && (err = q_unit_get(db, parent_id, &p, &found)) ) return nerr_pass(err);
  if( parent_id && (!found || !p.active) ){ *msg = "org.bad_parent"; return STATUS_OK; }
  if( !org_may(c, parent_id ? p.path : NULL) ) return nerr_raise(ERR_DENIED, "denied");
  if( (err = q_code_retired(db, "unit", code, &retired)) ) return nerr_pass(err);
  if( retired ){ *msg = "org.dup_code"; return STATUS_OK; }
  err = q_unit_insert(db, parent_id, code, name, kind, sort, id);
  if( db_is_dup(err) ){ nerr_ignore(&err); *msg = "org.dup_code"; return STATUS_OK; }
  if( err ) return nerr_pass(err);
  JSON j;
  UNITROW after = { *id, parent_id, code, name, kind, "", sort, 1, 1, 0, 0 };
  json_open(&j);
  unit_json(&j, "after", &after, parent_id ? p.code : NULL);
  json_end(&j);
  return nerr_pass(ctx_audit(c, "unit.create", arena_printf(c->arena, "unit:%s", code), "ok",
                             json_done(&j, c->arena)));
}

NEOERR *org_unit_create(CTX *c, const char *code, const char *name, long long parent_id,
                        const char *kind, int sort, long long *id, const char **msg){
  *msg = NULL;
  if( !str_code_ok(code, 32) ){ *msg = "org.bad_code"; return STATUS_OK; }
  if( !name || !*name || utf8_len(name)>100 ){ *msg = "org.bad_name"; return STATUS_OK; }
  if( !kind_ok(kind) ){ *msg = "org.bad_kind"; return STATUS_OK; }
  return nerr_pass(DB_TX(c->db, msg, unit_create_tx(c, code, name, parent_id, kind, sort, id, msg)));
}

static NEOERR *unit_update_tx(CTX *c, long long id, long long version, const char *name,
                              long long parent_id, const char *kind, int sort, const char **msg){
  DB *db = c->db;
  UNITROW u, p;
  int found, pfound = 0, ok;
  const char *before_parent;
  NEOERR *err;
  if( (err = q_tree_lock(c->db)) ) return nerr_pass(err);
  /* read and check inside the locked transaction: two concurrent moves
  ** cannot build a cycle between them */
  if( (err = q_unit_get(db, id, &u, &found)) ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( !org_may(c, u.path) ) return nerr_raise(ERR_DENIED, "denied");
  if( parent_id && (err = q_unit_get(db, parent_id, &p, &pfound)) ) return nerr_pass(err);
  if( parent_id && (!pfound || !p.active) ){ *msg = "org.bad_parent"; return STATUS_OK; }
  if( parent_id && strncmp(p.path, u.path, strlen(u.path))==0 ){ *msg = "org.cycle"; return STATUS_OK; }
  if( parent_id!=u.parent_id && !org_may(c, parent_id ? p.path : NULL) ) return nerr_raise(ERR_DENIED, "denied");
  if( (err = parent_code(db, u.parent_id, &before_parent)) ) return nerr_pass(err);
  /* nothing changes: nothing is written or recorded */
  if( strcmp(name, u.name)==0 && parent_id==u.parent_id && strcmp(kind, u.kind)==0 && sort==u.sort ) return STATUS_OK;
  if( (err = q_unit_update(db, id, version, u.code, name, parent_id, kind, sort, &ok)) ) return nerr_pass(err);
  if( !ok ){ *msg = "org.conflict"; return STATUS_OK; }
  if( parent_id!=u.parent_id && (err = q_unit_paths_rebuild(db)) ) return nerr_pass(err);
  JSON j;
  UNITROW after = u;
  after.name = name; after.kind = kind; after.sort = sort; after.parent_id = parent_id;
  json_open(&j);
  unit_json(&j, "before", &u, before_parent);
  unit_json(&j, "after", &after, parent_id ? p.code : NULL);
  json_end(&j);
  return nerr_pass(ctx_audit(c, parent_id!=u.parent_id ? "unit.move" : "unit.update",
                             arena_printf(c->arena, "unit:%s", u.code), "ok", json_done(&j, c->arena)));
}

NEOERR *org_unit_update(CTX *c, long long id, long long version, const char *name,
                        long long parent_id, const char *kind, int sort, const char **msg){
  *msg = NULL;
  if( !name || !*name || utf8_len(name)>100 ){ *msg = "org.bad_name"; return STATUS_OK; }
  if( !kind_ok(kind) ){ *msg = "org.bad_kind"; return STATUS_OK; }
  return nerr_pass(DB_TX(c->db, msg, unit_update_tx(c, id, version, name, parent_id, kind, sort, msg)));
}

static NEOERR *unit_active_tx(CTX *c, long long id, int active, const char **msg){
  DB *db = c->db;
  UNITROW u;
  int found;
  NEOERR *err;
  if( (err = q_tree_lock(c->db)) ) return nerr_pass(err);
  if( (err = q_unit_get(db, id, &u, &found)) ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( !org_may(c, u.path) ) return nerr_raise(ERR_DENIED, "denied");
  /* already so: nothing is written or recorded */
  if( (u.active!=0)==(active!=0) ){ *msg = active ? "org.unit_already_active" : "org.unit_already_inactive"; return STATUS_OK; }
  if( !active && u.active_children ){ *msg = "org.has_children"; return STATUS_OK; }
  if( !active && u.active_users ){ *msg = "org.has_users"; return STATUS_OK; }
  if( active && u.parent_id ){
    UNITROW p;
    int pf;
    if( (err = q_unit_get(db, u.parent_id, &p, &pf)) ) return nerr_pass(err);
    if( pf && !p.active ){ *msg = "org.parent_inactive"; return STATUS_OK; }
  }
  if( (err = q_unit_set_active(db, id, active)) ) return nerr_pass(err);
  return nerr_pass(ctx_audit(c, active ? "unit.activate" : "unit.deactivate",
                   arena_printf(c->arena, "unit:%s", u.code), "ok",
                   arena_printf(c->arena, "{\"before\":{\"active\":%d},\"after\":{\"active\":%d}}", u.active, active)));
}

NEOERR *org_unit_set_active(CTX *c, long long id, int active, const char **msg){
  *msg = NULL;
  return nerr_pass(DB_TX(c->db, msg, unit_active_tx(c, id, active, msg)));
}

/* ------------------------------------------------------------------ */

static void user_json(JSON *j, const char *key, const USERROW *u, const char *unit_code){
  json_obj(j, key);
  json_str(j, "login", u->login);
  json_str(j, "name", u->name);
  json_str(j, "unit", unit_code);
  json_str(j, "phone", u->phone);
  json_int(j, "active", u->active);
  json_end(j);
}

/* may the request's user administer this account?  Its home unit must be
** in scope, and so must every role grant it holds: a sub-admin must not
** reset or edit an account that reaches further than the sub-admin does */
NEOERR *org_user_in_scope(CTX *c, long long user_id, const char *unit_path, int *ok){
  GRANT *g;
  int n;
  const USER *me = c->user;
  *ok = org_may(c, unit_path);
  if( !*ok ) return STATUS_OK;
  NEOERR *err = q_user_grants(c->db, c->arena, user_id, &g, &n);
  if( err ) return nerr_pass(err);
  for(int i=0; i<n && *ok; i++){
    if( !auth_covers(me, CAP_ADMIN, g[i].unit_path, g[i].scope) ) *ok = 0;
    /* auditor and global admin accounts: only a global admin */
    if( (g[i].caps & (CAP_AUDIT | CAP_ADMIN)) && g[i].scope==SCOPE_ALL && !org_admin_all(c) ) *ok = 0;
    if( (g[i].caps & CAP_AUDIT) && !org_admin_all(c) ) *ok = 0;
  }
  return STATUS_OK;
}

static NEOERR *load_user(CTX *c, long long id, USERROW *u){
  int found, ok;
  NEOERR *err = q_user_row(c->db, id, NULL, u, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( (err = org_user_in_scope(c, id, u->unit_path, &ok)) ) return nerr_pass(err);
  if( !ok ) return nerr_raise(ERR_DENIED, "denied");
  return STATUS_OK;
}

/* role code -> id, and whether the actor may grant it with that scope on
** that unit; a refusal by rule is recorded as action on object */
static NEOERR *check_grant(CTX *c, long long user_id, const char *role, const UNITROW *unit,
                           const char *scope, long long *role_id, const char **msg,
                           const char *action, const char *object){
  DB *db = c->db;
  ROLEROW *roles;
  int n, has;
  NEOERR *err = q_roles(db, &roles, &n);
  if( err ) return nerr_pass(err);
  *role_id = 0;
  for(int i=0; i<n; i++) if( role && strcmp(roles[i].code, role)==0 ) *role_id = roles[i].id;
  if( !*role_id ){ *msg = "org.bad_role"; return STATUS_OK; }
  if( !auth_scope_parse(scope) ){ *msg = "org.bad_scope"; return STATUS_OK; }
  /* a grant never reaches further than the granting admin's own */
  if( !auth_covers(c->user, CAP_ADMIN, unit->path, auth_scope_parse(scope)) )
    return nerr_raise(ERR_DENIED, "denied");
  if( sec_role_privileged(role) && !org_admin_all(c) ) return nerr_raise(ERR_DENIED, "denied");
  /* 三员分立: admin, security officer and auditor never on one account;
  ** never to oneself */
  if( strcmp(role, "auditor")==0 || strcmp(role, "admin")==0 || strcmp(role, "secofficer")==0 ){
    if( user_id && user_id==c->user->id ){ policy(c, msg, "org.self_grant", action, object); return STATUS_OK; }
    static const char *const three[] = { "admin", "auditor", "secofficer" };
    for(size_t i=0; user_id && i<sizeof three/sizeof three[0]; i++){
      if( strcmp(three[i], role)==0 ) continue;
      if( (err = q_user_has_role(db, user_id, three[i], &has)) ) return nerr_pass(err);
      if( has ){
        policy(c, msg, strcmp(three[i], "secofficer")==0 || strcmp(role, "secofficer")==0 ? "sec.one_duty" : "org.admin_auditor",
               action, object);
        return STATUS_OK;
      }
    }
  }
  /* auditors and officers are not in an administrator's power at all */
  if( sec_role_privileged(role) && !ctx_is_operator(c) ){ policy(c, msg, "org.privileged_role", action, object); return STATUS_OK; }
  return STATUS_OK;
}

NEOERR *org_user_create(CTX *c, const char *login, const char *name, long long unit_id,
                        const char *phone, const char *role, const char *scope,
                        long long *id, char code[16], const char **msg){
  DB *db = c->db;
  UNITROW unit;
  int found;
  long long role_id = 0;
  unsigned char h[32];
  NEOERR *err;
  *msg = NULL;
  if( !str_login_ok(login) ){ *msg = "org.bad_login"; return STATUS_OK; }
  if( !name || !*name || utf8_len(name)>32 ){ *msg = "org.bad_name"; return STATUS_OK; }
  if( phone && strlen(phone)>32 ){ *msg = "org.bad_phone"; return STATUS_OK; }
  if( (err = q_unit_get(db, unit_id, &unit, &found)) ) return nerr_pass(err);
  if( !found || !unit.active ){ *msg = "org.bad_unit"; return STATUS_OK; }
  if( !org_may(c, unit.path) ) return nerr_raise(ERR_DENIED, "denied");
  /* 三员分立: an auditor account is activated by its holder before it gets the
  ** role, so no admin ever knows a working auditor password */
  const char *object = arena_printf(c->arena, "user:%s", login);
  if( role && strcmp(role, "auditor")==0 ){ policy(c, msg, "org.auditor_after_activation", "user.create", object); return STATUS_OK; }
  if( role && *role && (err = check_grant(c, 0, role, &unit, scope, &role_id, msg, "user.create", object)) ) return nerr_pass(err);
  if( *msg ) return STATUS_OK;
  int retired;
  if( (err = q_code_retired(db, "user", login, &retired)) ) return nerr_pass(err);
  if( retired ){ *msg = "org.dup_login"; return STATUS_OK; }
  int days = (int)conf_int(c->conf, "Login.ActivationDays", 14);
  acct_code_new(code, h);
  return nerr_pass(DB_TX(db, msg, ({
    err = q_user_create(db, login, name, unit_id, phone, h, days, id);
    if( db_is_dup(err) ){ nerr_ignore(&err); *msg = "org.dup_login"; }
    if( !err && !*msg && role_id ) err = q_grant_add(db, *id, role_id, unit_id, scope);
    if( !err && !*msg ) err = q_sheet_add(db, 0, *id, code, c->user->id, days);
    if( !err && !*msg ){
      JSON j;
      USERROW after;
      memset(&after, 0, sizeof after);
      after.login = login; after.name = name; after.phone = phone; after.active = 1;
      json_open(&j);
      user_json(&j, "after", &after, unit.code);
      json_str(&j, "role", role && *role ? role : NULL);
      json_str(&j, "scope", role && *role ? scope : NULL);
      json_end(&j);
      err = ctx_audit(c, "user.create", arena_printf(c->arena, "user:%s", login), "ok",
                      json_done(&j, c->arena));
    }
    err; })));
}

NEOERR *org_user_update(CTX *c, long long id, long long version, const char *name,
                        long long unit_id, const char *phone, const char **msg){
  DB *db = c->db;
  USERROW u;
  UNITROW unit;
  int found, ok;
  NEOERR *err;
  *msg = NULL;
  if( (err = load_user(c, id, &u)) ) return nerr_pass(err);
  if( (err = privileged_guard(c, &u, "user.update", msg)) || *msg ) return nerr_pass(err);
  if( !name || !*name || utf8_len(name)>32 ){ *msg = "org.bad_name"; return STATUS_OK; }
  if( phone && strlen(phone)>32 ){ *msg = "org.bad_phone"; return STATUS_OK; }
  if( (err = q_unit_get(db, unit_id, &unit, &found)) ) return nerr_pass(err);
  if( !found || !unit.active ){ *msg = "org.bad_unit"; return STATUS_OK; }
  if( !org_may(c, unit.path) ) return nerr_raise(ERR_DENIED, "denied");
  /* nothing changes: nothing is written or recorded */
  if( strcmp(name, u.name)==0 && unit_id==u.unit_id && strcmp(phone ? phone : "", u.phone ? u.phone : "")==0
      && version==u.version ) return STATUS_OK;
  return nerr_pass(DB_TX(db, msg, ({
    NEOERR *e = q_user_update(db, id, version, u.login, name, unit_id, phone, &ok);
    if( !e && !ok ) *msg = "org.conflict";
    if( !e && ok ){
      JSON j;
      USERROW after = u;
      after.name = name; after.phone = phone;
      json_open(&j);
      user_json(&j, "before", &u, u.unit_code);
      user_json(&j, "after", &after, unit.code);
      json_end(&j);
      e = ctx_audit(c, "user.update", arena_printf(c->arena, "user:%s", u.login), "ok",
                    json_done(&j, c->arena));
    }
    e; })));
}

/* would the change leave no active admin with scope all? */
static NEOERR *last_admin_guard(CTX *c, const char **msg){
  long long n;
  NEOERR *err = q_admins_all_count(c->db, &n);
  if( err ) return nerr_pass(err);
  if( n<1 ) policy(c, msg, "org.last_admin", "user.revoke", "role:admin");
  return STATUS_OK;
}

NEOERR *org_user_set_active(CTX *c, long long id, int active, const char **msg){
  DB *db = c->db;
  USERROW u;
  NEOERR *err;
  *msg = NULL;
  if( (err = load_user(c, id, &u)) ) return nerr_pass(err);
  const char *action = active ? "user.activate" : "user.deactivate", *object = arena_printf(c->arena, "user:%s", u.login);
  if( id==c->user->id && !active ){ policy(c, msg, "org.self_deactivate", action, object); return STATUS_OK; }
  if( (err = privileged_guard(c, &u, action, msg)) || *msg ) return nerr_pass(err);
  /* already so: nothing is written or recorded */
  if( (u.active!=0)==(active!=0) ){ *msg = active ? "org.already_active" : "org.already_inactive"; return STATUS_OK; }
  return nerr_pass(DB_TX(db, msg, ({
    NEOERR *e = q_user_set_active(db, id, active);
    if( !e && !active ) e = q_sessions_drop(db, id);
    if( !e && !active ) e = last_admin_guard(c, msg);
    if( !e && !*msg ) e = ctx_audit(c, active ? "user.activate" : "user.deactivate",
                           arena_printf(c->arena, "user:%s", u.login), "ok",
                           arena_printf(c->arena, "{\"before\":{\"active\":%d},\"after\":{\"active\":%d}}", u.active, active));
    e; })));
}

NEOERR *org_user_unlock(CTX *c, long long id, const char **msg){
  DB *db = c->db;
  USERROW u;
  NEOERR *err;
  *msg = NULL;
  if( (err = load_user(c, id, &u)) ) return nerr_pass(err);
  if( !u.locked ){ *msg = "org.not_locked"; return STATUS_OK; }     /* nothing to do, nothing recorded */
  return nerr_pass(DB_TX(db, msg, ({
    NEOERR *e = q_lock_clear(db, acct_lock_key(c->arena, u.login));
    if( !e ) e = ctx_audit(c, "user.unlock", arena_printf(c->arena, "user:%s", u.login), "ok",
                           arena_printf(c->arena, "{\"before\":{\"locked\":%d},\"after\":{\"locked\":0}}", u.locked));
    e; })));
}

NEOERR *org_user_reset(CTX *c, long long id, char code[16], const char **msg){
  DB *db = c->db;
  USERROW u;
  unsigned char h[32];
  NEOERR *err;
  *msg = NULL;
  if( (err = load_user(c, id, &u)) ) return nerr_pass(err);
  const char *object = arena_printf(c->arena, "user:%s", u.login);
  if( id==c->user->id ){ policy(c, msg, "org.self_reset", "user.reset", object); return STATUS_OK; }
  int priv;
  if( (err = sec_account_privileged(c, id, &priv)) ) return nerr_pass(err);
  if( priv && !ctx_is_operator(c) ){ policy(c, msg, "org.auditor_reset", "user.reset", object); return STATUS_OK; }
  int days = (int)conf_int(c->conf, "Login.ActivationDays", 14);
  acct_code_new(code, h);
  return nerr_pass(DB_TX(db, msg, ({
    NEOERR *e = q_user_set_activation(db, id, h, days);
    if( !e ) e = q_sessions_drop(db, id);
    if( !e ) e = q_lock_clear(db, acct_lock_key(c->arena, u.login));
    if( !e ) e = q_sheet_add(db, 0, id, code, c->user->id, days);
    if( !e ) e = ctx_audit(c, "user.reset", arena_printf(c->arena, "user:%s", u.login), "ok",
                           "{\"before\":{\"password\":\"set\"},\"after\":{\"password\":\"activation code\"}}");
    e; })));
}

NEOERR *org_grant_add(CTX *c, long long user_id, const char *role, long long unit_id,
                      const char *scope, const char **msg){
  DB *db = c->db;
  USERROW u;
  UNITROW unit;
  int found;
  long long role_id;
  NEOERR *err;
  *msg = NULL;
  if( (err = load_user(c, user_id, &u)) ) return nerr_pass(err);
  if( (err = q_unit_get(db, unit_id, &unit, &found)) ) return nerr_pass(err);
  if( !found || !unit.active ){ *msg = "org.bad_unit"; return STATUS_OK; }
  if( (err = check_grant(c, user_id, role, &unit, scope, &role_id, msg, "user.grant",
                         arena_printf(c->arena, "user:%s", u.login))) ) return nerr_pass(err);
  if( *msg ) return STATUS_OK;
  if( (err = privileged_guard(c, &u, "user.grant", msg)) || *msg ) return nerr_pass(err);
  if( role && strcmp(role, "auditor")==0 && (!u.has_password || u.activation_pending) ){
    *msg = "org.auditor_after_activation"; return STATUS_OK;
  }
  return nerr_pass(DB_TX(db, msg, ({
    err = q_grant_add(db, user_id, role_id, unit_id, scope);
    if( db_is_dup(err) ){ nerr_ignore(&err); *msg = "org.dup_grant"; }
    if( !err && !*msg ){
      JSON j;
      json_open(&j);
      json_obj(&j, "after");
      json_str(&j, "role", role); json_str(&j, "unit", unit.code); json_str(&j, "scope", scope);
      json_end(&j);
      json_end(&j);
      err = ctx_audit(c, "user.grant", arena_printf(c->arena, "user:%s", u.login), "ok",
                      json_done(&j, c->arena));
    }
    err; })));
}

NEOERR *org_grant_del(CTX *c, long long grant_id, const char **msg){
  DB *db = c->db;
  long long user_id;
  const char *role, *path, *scope;
  int found;
  USERROW u;
  NEOERR *err;
  *msg = NULL;
  if( (err = q_grant_get(db, grant_id, &user_id, &role, &path, &scope, &found)) ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( (err = load_user(c, user_id, &u)) ) return nerr_pass(err);
  if( !org_may(c, path) ) return nerr_raise(ERR_DENIED, "denied");
  const char *object = arena_printf(c->arena, "user:%s", u.login);
  if( user_id==c->user->id && strcmp(role, "admin")==0 ){ policy(c, msg, "org.self_demote", "user.revoke", object); return STATUS_OK; }
  if( sec_role_privileged(role) && !ctx_is_operator(c) ){ policy(c, msg, "org.privileged_role", "user.revoke", object); return STATUS_OK; }
  if( (err = privileged_guard(c, &u, "user.revoke", msg)) || *msg ) return nerr_pass(err);
  return nerr_pass(DB_TX(db, msg, ({
    NEOERR *e = q_grant_del(db, grant_id);
    if( !e && strcmp(role, "admin")==0 ) e = last_admin_guard(c, msg);
    if( !e && !*msg ){
      JSON j;
      json_open(&j);
      json_obj(&j, "before");
      json_str(&j, "role", role); json_str(&j, "unit_path", path); json_str(&j, "scope", scope);
      json_end(&j);
      json_end(&j);
      e = ctx_audit(c, "user.revoke", arena_printf(c->arena, "user:%s", u.login), "ok",
                    json_done(&j, c->arena));
    }
    e; })));
}

NEOERR *org_codes_clear(CTX *c, long long batch_id){
  return nerr_pass(DB_TX(c->db, NULL, ({
    NEOERR *e = q_sheet_clear(c->db, batch_id, c->user->id);
    /* another admin's batch, or one already cleared: nothing happened */
    if( !e && db_affected(c->db)>0 )
      e = ctx_audit(c, "import.codes.clear", arena_printf(c->arena, "batch:%lld", batch_id), "ok",
                    arena_printf(c->arena, "{\"before\":{\"codes\":%llu},\"after\":{\"codes\":0}}", db_affected(c->db)));
    e; })));
}

/* ------------------------------------------------------------------ */
/* the first run and the server operator                               */

static NEOERR *setup_tx(CTX *c, const ORG_SETUP *s, const char *pw_hash, const char **msg){
  long long root, info, uid;
  char code[16];
  NEOERR *err;
  if( (err = org_unit_create(c, s->company_code, s->company_name, 0, "company", 0, &root, msg)) || *msg )
    return nerr_pass(err);
  if( (err = org_unit_create(c, s->admin_unit_code, s->admin_unit_name, root, "dept", 90, &info, msg)) || *msg )
    return nerr_pass(err);
  if( (err = org_user_create(c, s->login, s->name, info, NULL, "admin", "all", &uid, code, msg)) || *msg )
    return nerr_pass(err);
  /* the first admin gets a one-time password instead of the code */
  if( (err = q_user_set_password(c->db, uid, pw_hash, 1)) ) return nerr_pass(err);
  if( (err = q_sheet_drop_user(c->db, uid)) ) return nerr_pass(err);
  return nerr_pass(ctx_audit(c, "setup", arena_printf(c->arena, "user:%s", s->login), "ok",
                             arena_printf(c->arena, "{\"units\":[\"%s\",\"%s\"],\"account\":\"%s\"}",
                                          s->company_code, s->admin_unit_code, s->login)));
}

NEOERR *org_setup(CTX *c, const ORG_SETUP *s, const char *pw_hash, int *done, const char **msg){
  long long n;
  NEOERR *err = q_user_count(c->db, &n);
  *msg = NULL;
  *done = 0;
  if( err ) return nerr_pass(err);
  if( n>0 ) return STATUS_OK;
  if( (err = DB_TX(c->db, msg, setup_tx(c, s, pw_hash, msg))) ) return nerr_pass(err);
  *done = *msg==NULL;
  return STATUS_OK;
}

NEOERR *org_user_initial_password(CTX *c, const char *login, const char *pw_hash, const char **msg){
  ACCOUNT acc;
  int found;
  *msg = NULL;
  NEOERR *err = q_user_by_login(c->db, c->arena, login, &acc, &found);
  if( err ) return nerr_pass(err);
  if( !found ){ *msg = "org.bad_login"; return STATUS_OK; }
  return nerr_pass(DB_TX(c->db, msg, ({
    NEOERR *e = q_user_set_password(c->db, acc.id, pw_hash, 1);
    if( !e ) e = q_sessions_drop(c->db, acc.id);
    if( !e ) e = q_lock_clear(c->db, acct_lock_key(c->arena, acc.login));
    if( !e ) e = ctx_audit(c, "password.reset", arena_printf(c->arena, "user:%s", acc.login),
                           "ok", "{\"by\":\"diaodu-ctl\"}");
    e; })));
}

/* ------------------------------------------------------------------ */

/* a field type in English or Chinese, or NULL */
static const char *field_type(const char *t){
  if( strcmp(t, "text")==0 || strcmp(t, "文本")==0 ) return "text";
  if( strcmp(t, "integer")==0 || strcmp(t, "整数")==0 ) return "integer";
  if( strcmp(t, "decimal")==0 || strcmp(t, "小数")==0 || strcmp(t, "数字")==0 ) return "decimal";
  return NULL;
}

/* fields: one per line "[code:]label[:text|integer|decimal|文本|整数|小数][:required|必填]" */
NEOERR *org_kind_create(CTX *c, const char *code, const char *name, const char *fields,
                        const char **msg){
  DB *db = c->db;
  ARENA *a = c->arena;
  long long id;
  struct { const char *code, *label, *type; int req; } f[BASE_MAXF];
  int nf = 0;
  NEOERR *err;
  *msg = NULL;
  if( !org_may(c, NULL) ) return nerr_raise(ERR_DENIED, "denied");
  /* the kind's code is internal (addresses, import kinds): made up when not given */
  if( code && !*code ){
    unsigned char rnd[4];
    randombytes_buf(rnd, sizeof rnd);
    code = arena_printf(a, "k%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3]);
  }
  if( !code || !str_is_name(code, strlen(code), 32) ){ *msg = "org.bad_kind_code"; return STATUS_OK; }
  if( !name || !*name || utf8_len(name)>32 ){ *msg = "org.bad_name"; return STATUS_OK; }
  char *buf = arena_strdup(a, fields ? fields : "");
  for(char *save = NULL, *line = strtok_r(buf, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)){
    char *t = str_trim(a, line);
    if( !*t ) continue;
    if( nf>=BASE_MAXF ){ *msg = "org.too_many_fields"; return STATUS_OK; }
    /* split on ':' or the full-width '：' (whole characters, never bytes) */
    char *parts[4] = { 0 };
    int np = 0;
    for(char *p = t; np<4; ){
      char *q = p;
      size_t sep = 0;
      for(; *q; q++){
        if( *q==':' ){ sep = 1; break; }
        if( strncmp(q, "：", 3)==0 ){ sep = 3; break; }
      }
      char ch = *q;
      *q = 0;
      parts[np++] = str_trim(a, p);
      if( ch==0 ) break;
      p = q + sep;
    }
    /* "code:label[:type][:required]", or without the code "label[:type][:required]"
    ** (the code is then made up); types in English or Chinese (文本 整数 小数) */
    int with_code = np>=2 && str_is_name(parts[0], strlen(parts[0]), 32) && !field_type(parts[1])
                    && strcmp(parts[1], "必填")!=0 && strcmp(parts[1], "required")!=0;
    char *p[5] = { 0 };
    int pn = with_code ? np : np + 1;
    for(int i=0; i<np; i++) p[with_code ? i : i + 1] = parts[i];
    const char *type = pn>2 && *p[2] ? field_type(p[2]) : "text";
    int req = (pn>3 && (strcmp(p[3], "required")==0 || strcmp(p[3], "必填")==0)) ||
              (pn==3 && (strcmp(p[2], "required")==0 || strcmp(p[2], "必填")==0));
    if( pn==3 && req ) type = "text";
    if( !*p[1] || utf8_len(p[1])>32 || type==NULL ){ *msg = "org.bad_fields"; return STATUS_OK; }
    f[nf].code = with_code ? parts[0] : arena_printf(a, "f%d", nf + 1);
    f[nf].label = p[1];
    f[nf].type = type;
    f[nf].req = req;
    nf++;
  }
  return nerr_pass(DB_TX(db, msg, ({
    err = q_kind_create(db, code, name, &id);
    if( db_is_dup(err) ){ nerr_ignore(&err); *msg = "org.dup_code"; }
    for(int i=0; i<nf && !err && !*msg; i++) err = q_field_add(db, id, i + 1, f[i].code, f[i].label, f[i].type, f[i].req);
    if( db_is_dup(err) ){ nerr_ignore(&err); *msg = "org.bad_fields"; }
    if( !err && !*msg ){
      JSON j;
      json_open(&j);
      json_obj(&j, "after");
      json_str(&j, "code", code); json_str(&j, "name", name); json_str(&j, "fields", fields);
      json_end(&j);
      json_end(&j);
      err = ctx_audit(c, "base.kind.create", arena_printf(a, "kind:%s", code), "ok", json_done(&j, a));
    }
    err; })));
}

static void item_json(JSON *j, const char *key, const BASEKIND *k, const BASEITEM *it){
  json_obj(j, key);
  json_str(j, "code", it->code);
  json_str(j, "name", it->name);
  json_int(j, "unit_id", it->unit_id);
  for(int i=0; i<k->nfields; i++) json_str(j, k->f[i].code, it->a[k->f[i].col - 1]);
  json_int(j, "active", it->active);
  json_end(j);
}

NEOERR *org_item_save(CTX *c, const BASEKIND *k, BASEITEM *it, const char **msg){
  DB *db = c->db;
  ARENA *a = c->arena;
  BASEITEM old;
  UNITROW unit;
  int found = 0, ok, update = it->id!=0;
  NEOERR *err;
  *msg = NULL;
  if( update ){
    if( (err = q_item_get(db, k->id, it->id, NULL, &old, &found)) ) return nerr_pass(err);
    if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
    if( !org_may(c, old.unit_id ? old.unit_path : NULL) ) return nerr_raise(ERR_DENIED, "denied");
  }
  if( !str_code_ok(it->code, 64) ){ *msg = "org.bad_code"; return STATUS_OK; }
  if( !it->name || !*it->name || utf8_len(it->name)>100 ){ *msg = "org.bad_name"; return STATUS_OK; }
  if( it->unit_id ){
    if( (err = q_unit_get(db, it->unit_id, &unit, &found)) ) return nerr_pass(err);
    if( !found || !unit.active ){ *msg = "org.bad_unit"; return STATUS_OK; }
  }
  if( !org_may(c, it->unit_id ? unit.path : NULL) ) return nerr_raise(ERR_DENIED, "denied");
  /* typed fields through val: the canonical text is stored (so the export
  ** imports back unchanged); each refused field gets its reason */
  for(int i=0; i<k->nfields; i++){
    const char **v = &it->a[k->f[i].col - 1], *cv, *why = NULL, *m = NULL;
    VALTYPE vt;
    VALPARAM vp;
    if( *v && strcmp(k->f[i].type, "text")!=0 && val_field(k->f[i].type, 0, &vt, &vp) ){
      if( val_check(vt, &vp, *v, a, &cv, &why) ) *v = cv;
      else m = "org.bad_number";
    }
    if( !m && *v && !**v ) *v = NULL;
    if( !m && !*v && k->f[i].required ){ why = "val.required"; m = "org.field_required"; }
    if( !m && *v && utf8_len(*v)>200 ){ why = "val.too_long"; m = "org.too_long"; }
    if( m ){ it->why[k->f[i].col - 1] = why; if( !*msg ) *msg = m; }
  }
  if( *msg ) return STATUS_OK;
  if( !update ){
    int retired;
    if( (err = q_code_retired(db, arena_printf(a, "base:%s", k->code), it->code, &retired)) ) return nerr_pass(err);
    if( retired ){ *msg = "org.dup_code"; return STATUS_OK; }
  }
  if( update ){
    /* nothing changes: nothing is written or recorded */
    int same = strcmp(it->code, old.code)==0 && strcmp(it->name, old.name)==0 && it->unit_id==old.unit_id
               && (it->active!=0)==(old.active!=0);
    for(int i=0; i<BASE_MAXF && same; i++)
      same = strcmp(it->a[i] ? it->a[i] : "", old.a[i] ? old.a[i] : "")==0;
    if( same ) return STATUS_OK;
  }
  return nerr_pass(DB_TX(db, msg, ({
    JSON j;
    json_open(&j);
    if( update ){
      err = q_item_update(db, it, &ok);
      if( !err && !*msg && !ok ) *msg = "org.conflict";
      item_json(&j, "before", k, &old);
    }else{
      err = q_item_insert(db, k->id, it, &it->id);
    }
    item_json(&j, "after", k, it);
    json_end(&j);
    const char *detail = json_done(&j, a);
    if( db_is_dup(err) ){
      nerr_ignore(&err); *msg = "org.dup_code";
    }
    if( !err && !*msg && !*msg )
      err = ctx_audit(c, update ? "base.item.update" : "base.item.create",
                      arena_printf(a, "base:%s:%s", k->code, it->code), "ok", detail);
    err; })));
}
