/*
** admin.c -- the admin executable (系统管理): organisation tree, accounts
** and role grants, the permission matrix, base data, bulk import with dry
** run, exports, activation-code sheets, go-live readiness, the applied
** form definitions (read-only: they change through diaodu-ctl forms apply).
**
** Every route needs CAP_ADMIN (checked by the core before a handler runs);
** each handler still checks the admin's organisation scope on the record
** it touches (org.c), so editing ids in a URL or form reaches nothing
** outside the admin's units.
*/
#include "app.h"
#include "conf.h"
#include "csv.h"
#include "err.h"
#include "hset.h"
#include "form.h"
#include "import.h"
#include "q_imp.h"
#include "ready.h"
#include "q_form.h"
#include "sheet.h"
#include "org.h"
#include "pdf.h"
#include "str.h"
#include "dl.h"
#include "view.h"
#include "xlsx.h"
#include <stdlib.h>
#include <string.h>

#define PAGE 50

static long long num(REQ *r, const char *name){
  const char *v = req_param(r, name);
  if( v==NULL || *v==0 ) return 0;
  char *end;
  long long n = strtoll(v, &end, 10);
  if( *end || n<0 ) return -1;
  return n;
}

static long long need_id(REQ *r, const char *name, NEOERR **err){
  long long id = num(r, name);
  if( id<=0 ) *err = nerr_raise(ERR_INPUT, "bad_request");
  return id;
}

static void set(REQ *r, const char *name, const char *value){
  hset_str(req_hdf(r), name, value ? value : "");
}

static void seti(REQ *r, const char *name, long long v){
  hset_int(req_hdf(r), name, v);
}

/* a refusal: the form again with the message, status 400 or 409 */
static NEOERR *refuse(REQ *r, const char *msg){
  view_set_text(r, "Form.Error", msg);
  req_set_status(r, strcmp(msg, "org.conflict")==0 ? 409 : 400);
  return STATUS_OK;
}

static void notice(REQ *r, const char *key){ view_set_text(r, "Form.Notice", key); }

/* every active unit the admin may use, indented, for <select>s; keep_id
** is offered even outside the admin's scope (a unit's current parent, so
** that saving the form unchanged does not move the unit) */
static NEOERR *unit_options(REQ *r, const char *prefix, long long exclude_subtree_of, long long keep_id){
  UNITROW *u;
  int n, k = 0;
  ARENA *a = req_arena(r);
  const char *skip = NULL;
  NEOERR *err = q_units_all(app_db(r), &u, &n);
  if( err ) return nerr_pass(err);
  for(int i=0; i<n; i++) if( u[i].id==exclude_subtree_of ) skip = u[i].path;
  for(int i=0; i<n; i++){
    if( !u[i].active || (!org_may(app_ctx(r), u[i].path) && u[i].id!=keep_id) ) continue;
    if( skip && strncmp(u[i].path, skip, strlen(skip))==0 ) continue;
    int depth = 0;
    for(const char *p=u[i].path; *p; p++) if( *p=='/' ) depth++;
    STRING s;
    string_init(&s);
    for(int d=2; d<depth; d++) string_append(&s, "\xE3\x80\x80");   /* ideographic space */
    string_appendf(&s, "%s (%s)", u[i].name, u[i].code);
    hset_fmt(req_hdf(r), "%s.%d.id=%lld", prefix, k, u[i].id);
    hset_fmt(req_hdf(r), "%s.%d.label=%s", prefix, k, s.buf);
    string_clear(&s);
    k++;
  }
  (void)a;
  return STATUS_OK;
}

/* the roles for a <select>: <prefix>.<i>.{code,name} */
static NEOERR *role_options_as(REQ *r, const char *prefix){
  ROLEROW *roles;
  int n;
  NEOERR *err = q_roles(app_db(r), &roles, &n);
  if( err ) return nerr_pass(err);
  int en = strcmp(view_lang(r), "en")==0;
  for(int i=0; i<n; i++){
    hset_fmt(req_hdf(r), "%s.%d.code=%s", prefix, i, roles[i].code);
    hset_fmt(req_hdf(r), "%s.%d.name=%s", prefix, i, en ? roles[i].name_en : roles[i].name_zh);
  }
  return STATUS_OK;
}

static NEOERR *role_options(REQ *r){
  ROLEROW *roles;
  int n;
  NEOERR *err = q_roles(app_db(r), &roles, &n);
  if( err ) return nerr_pass(err);
  int en = strcmp(view_lang(r), "en")==0;
  for(int i=0; i<n; i++){
    hset_fmt(req_hdf(r), "Roles.%d.code=%s", i, roles[i].code);
    hset_fmt(req_hdf(r), "Roles.%d.name=%s", i, en ? roles[i].name_en : roles[i].name_zh);
    static const struct { unsigned cap; const char *n; } caps[] = {
      { CAP_ENTRY, "Entry" }, { CAP_APPROVE, "Approve" }, { CAP_DISPATCH, "Dispatch" },
      { CAP_REPORT, "Report" }, { CAP_ADMIN, "Admin" }, { CAP_AUDIT, "Audit" }, { CAP_SECURITY, "Security" } };
    for(size_t c=0; c<sizeof caps/sizeof caps[0]; c++)
      if( roles[i].caps & caps[c].cap ) hset_fmt(req_hdf(r), "Roles.%d.cap.%s=1", i, caps[c].n);
  }
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* home, roles, readiness                                              */

static NEOERR *home(REQ *r){
  int n;
  NEOERR *err = q_kinds_hdf(app_db(r), req_hdf(r), "Kinds", &n);
  if( err ) return nerr_pass(err);
  return nerr_pass(app_page(r, "admin_home"));
}

static NEOERR *roles(REQ *r){
  NEOERR *err = role_options(r);
  if( err ) return nerr_pass(err);
  return nerr_pass(app_page(r, "admin_roles"));
}

/* the admin's own units with what each still needs, and totals */
static NEOERR *readiness_data(REQ *r, int *n){
  READY *y;
  HDF *h = req_hdf(r);
  ARENA *a = req_arena(r);
  NEOERR *err = ready_list(app_ctx(r), &y, n);
  if( err ) return nerr_pass(err);
  int with_head = 0, with_clerk = 0, required = 0, ready = 0;
  long long accounts = 0, activated = 0;
  for(int i=0; i<*n; i++){
    const READY *x = &y[i];
    hset_fmt(h, "Ready.%d.id=%lld", i, x->u->id);
    hset_fmt(h, "Ready.%d.code=%s", i, x->u->code);
    hset_fmt(h, "Ready.%d.name=%s", i, x->u->name);
    hset_fmt(h, "Ready.%d.depth=%d", i, x->depth);
    hset_fmt(h, "Ready.%d.accounts=%d", i, x->r.accounts);
    hset_fmt(h, "Ready.%d.activated=%d", i, x->r.activated);
    hset_fmt(h, "Ready.%d.pct=%d", i, x->r.accounts ? x->r.activated * 100 / x->r.accounts : 0);
    hset_fmt(h, "Ready.%d.has_head=%d", i, x->has_head);
    hset_fmt(h, "Ready.%d.has_clerk=%d", i, x->r.clerks>0);
    hset_fmt(h, "Ready.%d.base_items=%d", i, x->r.base_items);
    hset_fmt(h, "Ready.%d.required=%d", i, x->required);
    hset_fmt(h, "Ready.%d.forced=%d", i, x->forced);
    hset_fmt(h, "Ready.%d.ready=%d", i, x->ready);
    if( x->why ) hset_fmt(h, "Ready.%d.why=%s", i, view_text(r, x->why));
    STRING m;
    string_init(&m);
    for(int j=0; j<x->nmissing; j++){
      if( j ) string_append(&m, view_text(r, "ready.sep"));
      string_append(&m, view_text(r, x->missing[j]));
    }
    if( m.len ) hset_fmt(h, "Ready.%d.missing=%s", i, m.buf);
    if( x->r.first_entry ) hset_fmt(h, "Ready.%d.first_local=%s", i, app_local_time(r, x->r.first_entry));
    string_clear(&m);
    const char *state = x->ready ? view_text(r, "ready.ok")
      : !x->required ? arena_printf(a, "%s%s%s", view_text(r, "ready.not_required"), view_text(r, "ready.colon"), x->why ? view_text(r, x->why) : "")
      : arena_printf(a, "%s%s%s", view_text(r, "ready.not_yet"), view_text(r, "ready.colon"), hdf_get_valuef(h, "Ready.%d.missing", i));
    hset_fmt(h, "Ready.%d.state=%s", i, state);
    with_head += x->has_head;
    with_clerk += x->r.clerks>0;
    accounts += x->r.accounts;
    activated += x->r.activated;
    required += x->required;
    ready += x->ready;
  }
  seti(r, "Total.units", *n);
  seti(r, "Total.with_head", with_head);
  seti(r, "Total.with_clerk", with_clerk);
  seti(r, "Total.accounts", accounts);
  seti(r, "Total.activated", activated);
  seti(r, "Total.pct", accounts ? activated * 100 / accounts : 0);
  seti(r, "Total.required", required);
  seti(r, "Total.ready", ready);
  return STATUS_OK;
}

/* the admin says whether a unit submits forms (or lets the rules decide) */
static NEOERR *readiness_forms(REQ *r){
  NEOERR *err = STATUS_OK;
  const char *msg;
  long long id = need_id(r, "id", &err);
  if( err ) return err;
  const char *v = req_form(r, "forms");
  if( v==NULL ) return nerr_raise(ERR_INPUT, "bad_request");
  int forms = strcmp(v, "auto")==0 ? -1 : strcmp(v, "1")==0 ? 1 : strcmp(v, "0")==0 ? 0 : -2;
  if( (err = ready_set_forms(app_ctx(r), id, forms, &msg)) ) return nerr_pass(err);
  if( msg ){ refuse(r, msg); int n; if( (err = readiness_data(r, &n)) ) return nerr_pass(err); return nerr_pass(app_page(r, "admin_readiness")); }
  req_redirect(r, "/admin/readiness?ok=1");
  return STATUS_OK;
}

static NEOERR *readiness(REQ *r){
  int n;
  NEOERR *err = readiness_data(r, &n);
  if( err ) return nerr_pass(err);
  if( req_query(r, "ok") ) notice(r, "org.saved");
  return nerr_pass(app_page(r, "admin_readiness"));
}

/* ------------------------------------------------------------------ */
/* units                                                               */

static NEOERR *units(REQ *r){
  UNITROW *u;
  int n, k = 0;
  NEOERR *err = q_units_all(app_db(r), &u, &n);
  if( err ) return nerr_pass(err);
  HDF *h = req_hdf(r);
  for(int i=0; i<n; i++){
    if( !org_may(app_ctx(r), u[i].path) ) continue;
    int depth = 0;
    for(const char *p=u[i].path; *p; p++) if( *p=='/' ) depth++;
    hset_fmt(h, "Units.%d.id=%lld", k, u[i].id);
    hset_fmt(h, "Units.%d.code=%s", k, u[i].code);
    hset_fmt(h, "Units.%d.name=%s", k, u[i].name);
    hset_fmt(h, "Units.%d.kind=%s", k, u[i].kind);
    hset_fmt(h, "Units.%d.depth=%d", k, depth - 2);
    hset_fmt(h, "Units.%d.active=%d", k, u[i].active);
    k++;
  }
  if( (err = unit_options(r, "Parents", 0, 0)) ) return nerr_pass(err);
  const char *msg = req_query(r, "ok");
  if( msg && strcmp(msg, "1")==0 ) notice(r, "org.saved");
  return nerr_pass(app_page(r, "admin_units"));
}

static NEOERR *unit_new(REQ *r){
  long long id;
  const char *msg;
  NEOERR *err;
  long long parent = num(r, "parent");
  if( parent<0 ) return nerr_raise(ERR_INPUT, "bad_request");
  err = org_unit_create(app_ctx(r), str_trim(req_arena(r), req_form(r, "code")),
                        str_trim(req_arena(r), req_form(r, "name")), parent,
                        req_form(r, "kind"), (int)num(r, "sort"), &id, &msg);
  if( err ) return nerr_pass(err);
  if( msg ){
    refuse(r, msg);
    set(r, "Form.code", req_form(r, "code"));
    set(r, "Form.name", req_form(r, "name"));
    return nerr_pass(units(r));
  }
  req_redirect(r, "/admin/units?ok=1");
  return STATUS_OK;
}

static NEOERR *unit_form(REQ *r, long long id){
  UNITROW u;
  int found;
  NEOERR *err = q_unit_get(app_db(r), id, &u, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( !org_may(app_ctx(r), u.path) ) return nerr_raise(ERR_DENIED, "denied");
  seti(r, "Unit.id", u.id);
  set(r, "Unit.code", u.code);
  if( !hdf_get_value(req_hdf(r), "Unit.name", NULL) ) set(r, "Unit.name", u.name);
  set(r, "Unit.kind", u.kind);
  seti(r, "Unit.sort", u.sort);
  seti(r, "Unit.version", u.version);
  seti(r, "Unit.parent_id", u.parent_id);
  seti(r, "Unit.active", u.active);
  seti(r, "Unit.users", u.active_users);
  seti(r, "Unit.children", u.active_children);
  if( (err = unit_options(r, "Parents", u.id, u.parent_id)) ) return nerr_pass(err);
  return nerr_pass(app_page(r, "admin_unit"));
}

static NEOERR *unit_edit(REQ *r){
  NEOERR *err = STATUS_OK;
  long long id = need_id(r, "id", &err);
  if( err ) return err;
  if( req_query(r, "ok") ) notice(r, "org.saved");
  return nerr_pass(unit_form(r, id));
}

static NEOERR *unit_save(REQ *r){
  NEOERR *err = STATUS_OK;
  const char *msg;
  long long id = need_id(r, "id", &err);
  if( err ) return err;
  long long parent = num(r, "parent");
  if( parent<0 ) return nerr_raise(ERR_INPUT, "bad_request");
  err = org_unit_update(app_ctx(r), id, num(r, "version"), str_trim(req_arena(r), req_form(r, "name")),
                        parent, req_form(r, "kind"), (int)num(r, "sort"), &msg);
  if( err ) return nerr_pass(err);
  if( msg ){ refuse(r, msg); set(r, "Unit.name", req_form(r, "name")); return nerr_pass(unit_form(r, id)); }
  req_redirect(r, arena_printf(req_arena(r), "/admin/units/edit?id=%lld&ok=1", id));
  return STATUS_OK;
}

static NEOERR *unit_active(REQ *r){
  NEOERR *err = STATUS_OK;
  const char *msg;
  long long id = need_id(r, "id", &err);
  if( err ) return err;
  err = org_unit_set_active(app_ctx(r), id, num(r, "active")==1, &msg);
  if( err ) return nerr_pass(err);
  if( msg ){ refuse(r, msg); return nerr_pass(unit_form(r, id)); }
  req_redirect(r, arena_printf(req_arena(r), "/admin/units/edit?id=%lld&ok=1", id));
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* accounts                                                            */

static NEOERR *users(REQ *r){
  int n;
  const char *after = req_query(r, "after");
  const char *q = req_query(r, "q");
  long long unit = num(r, "unit");
  if( unit<0 ) return nerr_raise(ERR_INPUT, "bad_request");
  NEOERR *err = q_users_page(app_db(r), req_hdf(r), "Users", app_user(r)->id, CAP_ADMIN, unit,
                             q && *q ? q : NULL, after, PAGE + 1, &n);
  if( err ) return nerr_pass(err);
  if( n>PAGE ){
    set(r, "Next", hdf_get_valuef(req_hdf(r), "Users.%d.login", PAGE - 1));
    hdf_remove_tree(req_hdf(r), arena_printf(req_arena(r), "Users.%d", PAGE));
  }
  seti(r, "Filter.unit", unit);
  set(r, "Filter.q", q);
  if( (err = unit_options(r, "UnitOpts", 0, 0)) ) return nerr_pass(err);
  return nerr_pass(app_page(r, "admin_users"));
}

static NEOERR *user_new_form(REQ *r){
  NEOERR *err = unit_options(r, "UnitOpts", 0, 0);
  if( !err ) err = role_options(r);
  if( err ) return nerr_pass(err);
  return nerr_pass(app_page(r, "admin_user_new"));
}

static NEOERR *show_code(REQ *r, const char *login, const char *name, const char *code){
  set(r, "Code.login", login);
  set(r, "Code.name", name);
  set(r, "Code.code", code);
  seti(r, "Code.days", conf_int(req_conf(r), "Login.ActivationDays", 14));
  return nerr_pass(app_page(r, "admin_code"));
}

static NEOERR *user_new(REQ *r){
  long long id;
  char code[16];
  const char *msg;
  ARENA *a = req_arena(r);
  const char *login = str_trim(a, req_form(r, "login")), *name = str_trim(a, req_form(r, "name"));
  NEOERR *err = org_user_create(app_ctx(r), login, name, num(r, "unit"), str_trim(a, req_form(r, "phone")),
                                req_form(r, "role"), req_form(r, "scope"), &id, code, &msg);
  if( err ) return nerr_pass(err);
  if( msg ){
    refuse(r, msg);
    set(r, "Form.login", login); set(r, "Form.name", name); set(r, "Form.phone", req_form(r, "phone"));
    seti(r, "Form.unit", num(r, "unit"));
    return nerr_pass(user_new_form(r));
  }
  return nerr_pass(show_code(r, login, name, code));
}

static NEOERR *user_form(REQ *r, long long id){
  USERROW u;
  int found;
  NEOERR *err = q_user_row(app_db(r), id, NULL, &u, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  int ok;
  if( (err = org_user_in_scope(app_ctx(r), u.id, u.unit_path, &ok)) ) return nerr_pass(err);
  if( !ok ) return nerr_raise(ERR_DENIED, "denied");
  seti(r, "U.id", u.id);
  set(r, "U.login", u.login);
  if( !hdf_get_value(req_hdf(r), "U.name", NULL) ) set(r, "U.name", u.name);
  set(r, "U.phone", u.phone);
  seti(r, "U.unit_id", u.unit_id);
  set(r, "U.unit_name", u.unit_name);
  seti(r, "U.active", u.active);
  seti(r, "U.has_password", u.has_password);
  seti(r, "U.pending", u.activation_pending);
  seti(r, "U.locked", u.locked);
  set(r, "U.last_login", u.last_login ? app_local_time(r, u.last_login) : NULL);
  seti(r, "U.version", u.version);
  seti(r, "U.self", u.id==app_user(r)->id);
  if( (err = q_grants_hdf(app_db(r), u.id, req_hdf(r), "Grants")) ) return nerr_pass(err);
  int npend;
  if( (err = q_pending_hdf(app_db(r), u.id, req_hdf(r), "PendingGrants", &npend)) ) return nerr_pass(err);
  if( (err = unit_options(r, "UnitOpts", 0, 0)) ) return nerr_pass(err);
  if( (err = role_options(r)) ) return nerr_pass(err);
  return nerr_pass(app_page(r, "admin_user"));
}

static NEOERR *user_edit(REQ *r){
  NEOERR *err = STATUS_OK;
  long long id = need_id(r, "id", &err);
  if( err ) return err;
  if( req_query(r, "ok") ) notice(r, "org.saved");
  return nerr_pass(user_form(r, id));
}

typedef NEOERR *(*USER_OP)(REQ *r, long long id, const char **msg);

static NEOERR *user_after(REQ *r, long long id, NEOERR *err, const char *msg){
  if( err ) return nerr_pass(err);
  if( msg ){ refuse(r, msg); return nerr_pass(user_form(r, id)); }
  req_redirect(r, arena_printf(req_arena(r), "/admin/users/edit?id=%lld&ok=1", id));
  return STATUS_OK;
}

static NEOERR *user_save(REQ *r){
  NEOERR *err = STATUS_OK;
  const char *msg = NULL;
  long long id = need_id(r, "id", &err);
  if( err ) return err;
  err = org_user_update(app_ctx(r), id, num(r, "version"), str_trim(req_arena(r), req_form(r, "name")),
                        num(r, "unit"), str_trim(req_arena(r), req_form(r, "phone")), &msg);
  if( msg ) set(r, "U.name", req_form(r, "name"));
  return user_after(r, id, err, msg);
}

static NEOERR *user_active(REQ *r){
  NEOERR *err = STATUS_OK;
  const char *msg = NULL;
  long long id = need_id(r, "id", &err);
  if( err ) return err;
  err = org_user_set_active(app_ctx(r), id, num(r, "active")==1, &msg);
  return user_after(r, id, err, msg);
}

static NEOERR *user_unlock(REQ *r){
  NEOERR *err = STATUS_OK;
  const char *msg = NULL;
  long long id = need_id(r, "id", &err);
  if( err ) return err;
  err = org_user_unlock(app_ctx(r), id, &msg);
  return user_after(r, id, err, msg);
}

static NEOERR *user_reset(REQ *r){
  NEOERR *err = STATUS_OK;
  const char *msg = NULL;
  char code[16];
  long long id = need_id(r, "id", &err);
  if( err ) return err;
  err = org_user_reset(app_ctx(r), id, code, &msg);
  if( err || msg ) return user_after(r, id, err, msg);
  USERROW u;
  int found;
  if( (err = q_user_row(app_db(r), id, NULL, &u, &found)) ) return nerr_pass(err);
  return nerr_pass(show_code(r, u.login, u.name, code));
}

static NEOERR *user_grant(REQ *r){
  NEOERR *err = STATUS_OK;
  const char *msg = NULL;
  long long id = need_id(r, "id", &err);
  if( err ) return err;
  err = org_grant_add(app_ctx(r), id, req_form(r, "role"), num(r, "gunit"), req_form(r, "scope"), &msg);
  return user_after(r, id, err, msg);
}

static NEOERR *user_revoke(REQ *r){
  NEOERR *err = STATUS_OK;
  const char *msg = NULL;
  long long id = need_id(r, "id", &err);
  long long grant = err ? 0 : need_id(r, "grant", &err);
  if( err ) return err;
  err = org_grant_del(app_ctx(r), grant, &msg);
  return user_after(r, id, err, msg);
}

/* ------------------------------------------------------------------ */
/* base data                                                           */

static NEOERR *base(REQ *r){
  int n;
  NEOERR *err = q_kinds_hdf(app_db(r), req_hdf(r), "Kinds", &n);
  if( err ) return nerr_pass(err);
  if( req_query(r, "ok") ) notice(r, "org.saved");
  return nerr_pass(app_page(r, "admin_base"));
}

static NEOERR *kind_new(REQ *r){
  const char *msg;
  ARENA *a = req_arena(r);
  NEOERR *err = org_kind_create(app_ctx(r), str_trim(a, req_form(r, "code")), str_trim(a, req_form(r, "name")),
                                req_form(r, "fields"), &msg);
  if( err ) return nerr_pass(err);
  if( msg ){
    refuse(r, msg);
    set(r, "Form.code", req_form(r, "code")); set(r, "Form.name", req_form(r, "name"));
    set(r, "Form.fields", req_form(r, "fields"));
    return nerr_pass(base(r));
  }
  req_redirect(r, "/admin/base?ok=1");
  return STATUS_OK;
}

static NEOERR *load_kind(REQ *r, BASEKIND *k){
  int found;
  const char *code = req_param(r, "k");
  if( code==NULL ) return nerr_raise(ERR_INPUT, "bad_request");
  NEOERR *err = q_kind_get(app_db(r), code, k, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  set(r, "Kind.code", k->code);
  set(r, "Kind.name", k->name);
  for(int i=0; i<k->nfields; i++){
    hset_fmt(req_hdf(r), "Fields.%d.col=%d", i, k->f[i].col);
    hset_fmt(req_hdf(r), "Fields.%d.code=%s", i, k->f[i].code);
    hset_fmt(req_hdf(r), "Fields.%d.label=%s", i, k->f[i].label);
    hset_fmt(req_hdf(r), "Fields.%d.type=%s", i, k->f[i].type);
    hset_fmt(req_hdf(r), "Fields.%d.required=%d", i, k->f[i].required);
  }
  return STATUS_OK;
}

static NEOERR *kind_items(REQ *r){
  BASEKIND k;
  int n;
  NEOERR *err = load_kind(r, &k);
  if( err ) return nerr_pass(err);
  err = q_items_page(app_db(r), &k, req_hdf(r), "Items", app_user(r)->id, CAP_ADMIN, req_query(r, "after"),
                     PAGE + 1, &n);
  if( err ) return nerr_pass(err);
  if( n>PAGE ){
    set(r, "Next", hdf_get_valuef(req_hdf(r), "Items.%d.code", PAGE - 1));
    hdf_remove_tree(req_hdf(r), arena_printf(req_arena(r), "Items.%d", PAGE));
  }
  if( req_query(r, "ok") ) notice(r, "org.saved");
  return nerr_pass(app_page(r, "admin_kind"));
}

static NEOERR *item_form(REQ *r, BASEKIND *k, long long id){
  NEOERR *err;
  if( id ){
    BASEITEM it;
    int found;
    if( (err = q_item_get(app_db(r), k->id, id, NULL, &it, &found)) ) return nerr_pass(err);
    if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
    if( !org_may(app_ctx(r), it.unit_id ? it.unit_path : NULL) ) return nerr_raise(ERR_DENIED, "denied");
    if( !hdf_get_value(req_hdf(r), "Item.code", NULL) ){
      set(r, "Item.code", it.code);
      set(r, "Item.name", it.name);
      seti(r, "Item.unit", it.unit_id);
      seti(r, "Item.active", it.active);
      for(int i=0; i<k->nfields; i++)
        hset_fmt(req_hdf(r), "Fields.%d.value=%s", i, it.a[k->f[i].col - 1] ? it.a[k->f[i].col - 1] : "");
    }
    seti(r, "Item.id", it.id);
    seti(r, "Item.version", it.version);
  }else if( !hdf_get_value(req_hdf(r), "Item.active", NULL) ){
    seti(r, "Item.active", 1);
  }
  if( (err = unit_options(r, "UnitOpts", 0, 0)) ) return nerr_pass(err);
  return nerr_pass(app_page(r, "admin_item"));
}

static NEOERR *item_edit(REQ *r){
  BASEKIND k;
  NEOERR *err = load_kind(r, &k);
  if( err ) return nerr_pass(err);
  long long id = num(r, "id");
  if( id<0 ) return nerr_raise(ERR_INPUT, "bad_request");
  return nerr_pass(item_form(r, &k, id));
}

static NEOERR *item_save(REQ *r){
  BASEKIND k;
  BASEITEM it;
  const char *msg;
  ARENA *a = req_arena(r);
  NEOERR *err = load_kind(r, &k);
  if( err ) return nerr_pass(err);
  memset(&it, 0, sizeof it);
  it.id = num(r, "id");
  it.version = num(r, "version");
  it.code = str_trim(a, req_form(r, "code"));
  it.name = str_trim(a, req_form(r, "name"));
  it.unit_id = num(r, "unit");
  it.active = num(r, "active")==1;
  if( it.id<0 || it.unit_id<0 ) return nerr_raise(ERR_INPUT, "bad_request");
  for(int i=0; i<k.nfields; i++){
    const char *v = req_form(r, arena_printf(a, "a%d", k.f[i].col));
    it.a[k.f[i].col - 1] = v ? str_trim(a, v) : NULL;
  }
  if( (err = org_item_save(app_ctx(r), &k, &it, &msg)) ) return nerr_pass(err);
  if( msg ){
    refuse(r, msg);
    set(r, "Item.code", it.code); set(r, "Item.name", it.name);
    seti(r, "Item.unit", it.unit_id); seti(r, "Item.active", it.active);
    for(int i=0; i<k.nfields; i++){
      hset_fmt(req_hdf(r), "Fields.%d.value=%s", i, it.a[k.f[i].col - 1] ? it.a[k.f[i].col - 1] : "");
      if( it.why[k.f[i].col - 1] )
        hset_fmt(req_hdf(r), "Fields.%d.error=%s", i, view_text(r, it.why[k.f[i].col - 1]));
    }
    return nerr_pass(item_form(r, &k, it.id));
  }
  req_redirect(r, arena_printf(a, "/admin/base/kind?k=%s&ok=1", k.code));
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* downloads                                                           */

/* every export or download leaves one audit record, written before the
** file is sent (a download the log cannot show does not happen) */
static NEOERR *downloaded(REQ *r, const char *action, const char *object, long long rows, const char *fmt){
  CTX *c = app_ctx(r);
  const char *detail = arena_printf(req_arena(r), "{\"format\":\"%s\",\"rows\":%lld}",
                                    fmt && strcmp(fmt, "xlsx")==0 ? "xlsx" : fmt && strcmp(fmt, "pdf")==0 ? "pdf" : "csv", rows);
  return nerr_pass(DB_TX(c->db, NULL, ctx_audit(c, action, object, "ok", detail)));
}

/* a TABLE from an HDF list: columns by child name, header from labels */
static TABLE *hdf_table(REQ *r, const char *list, int ncol, const char *const *names,
                        const char *const *labels){
  ARENA *a = req_arena(r);
  HDF *l = hdf_get_obj(req_hdf(r), list);
  int n = 0;
  for(HDF *c = l ? hdf_obj_child(l) : NULL; c; c = hdf_obj_next(c)) n++;
  TABLE *t = arena_alloc(a, sizeof(TABLE));
  t->rows = arena_alloc(a, sizeof(TROW) * (size_t)(n + 1));
  t->nrow = n + 1;
  for(int i=0; i<=n; i++){
    t->rows[i].rowno = i + 1;
    t->rows[i].ncol = ncol;
    t->rows[i].cols = arena_alloc(a, sizeof(char*) * (size_t)ncol);
  }
  for(int j=0; j<ncol; j++) t->rows[0].cols[j] = (char*)labels[j];
  int i = 1;
  for(HDF *c = l ? hdf_obj_child(l) : NULL; c; c = hdf_obj_next(c), i++)
    for(int j=0; j<ncol; j++) t->rows[i].cols[j] = hdf_get_value(c, names[j], "");
  return t;
}

static NEOERR *export(REQ *r){
  const char *what = req_query(r, "what"), *fmt = req_query(r, "fmt");
  NEOERR *err;
  int n;
  if( what==NULL ) return nerr_raise(ERR_INPUT, "bad_request");
  if( strcmp(what, "units")==0 ){
    UNITROW *u;
    int nu, k = 0;
    if( (err = q_units_all(app_db(r), &u, &nu)) ) return nerr_pass(err);
    for(int i=0; i<nu; i++){
      if( !org_may(app_ctx(r), u[i].path) ) continue;
      const char *pc = "";
      for(int j=0; j<nu; j++) if( u[j].id==u[i].parent_id ) pc = u[j].code;
      hset_fmt(req_hdf(r), "X.%d.code=%s", k, u[i].code);
      hset_fmt(req_hdf(r), "X.%d.name=%s", k, u[i].name);
      hset_fmt(req_hdf(r), "X.%d.parent=%s", k, pc);
      hset_fmt(req_hdf(r), "X.%d.kind=%s", k, strcmp(u[i].kind, "company")==0 ? "公司" : strcmp(u[i].kind, "team")==0 ? "班组" : "部门");
      hset_fmt(req_hdf(r), "X.%d.sort=%d", k, u[i].sort);
      hset_fmt(req_hdf(r), "X.%d.active=%s", k, u[i].active ? "启用" : "停用");
      k++;
    }
    static const char *const nm[] = { "code", "name", "parent", "kind", "sort", "active" };
    static const char *const lb[] = { "单位编码", "单位名称", "上级单位编码", "类型", "排序", "状态" };
    if( (err = downloaded(r, "export.units", "export:units", k, fmt)) ) return nerr_pass(err);
    return nerr_pass(dl_table(r, hdf_table(r, "X", 6, nm, lb), "组织机构", fmt));
  }
  if( strcmp(what, "users")==0 ){
    if( (err = q_users_page(app_db(r), req_hdf(r), "X", app_user(r)->id, CAP_ADMIN, 0, NULL, "", 1000000, &n)) )
      return nerr_pass(err);
    HDF *x = hdf_get_obj(req_hdf(r), "X");
    for(HDF *c = x ? hdf_obj_child(x) : NULL; c; c = hdf_obj_next(c)){
      hset_str(c, "state", hdf_get_int_value(c, "active", 0) ? "启用" : "停用");
      hset_str(c, "activated", hdf_get_int_value(c, "has_password", 0) ? "是" : "否");
      const char *ll = hdf_get_value(c, "last_login", NULL);
      hset_str(c, "last", ll ? app_local_time(r, ll) : "");
    }
    static const char *const nm[] = { "login", "name", "unit_code", "unit_name", "roles", "state", "activated", "last" };
    static const char *const lb[] = { "账户", "姓名", "单位编码", "单位名称", "角色", "状态", "已激活", "最后登录" };
    if( (err = downloaded(r, "export.users", "export:users", n, fmt)) ) return nerr_pass(err);
    return nerr_pass(dl_table(r, hdf_table(r, "X", 8, nm, lb), "账户", fmt));
  }
  if( strcmp(what, "readiness")==0 ){
    if( (err = readiness_data(r, &n)) ) return nerr_pass(err);
    static const char *const nm[] = { "code", "name", "accounts", "activated", "has_head", "has_clerk", "base_items", "state" };
    static const char *const lb[] = { "单位编码", "单位名称", "账户数", "已激活", "有审核人", "有录入员", "基础数据", "状态" };
    if( (err = downloaded(r, "export.readiness", "export:readiness", n, fmt)) ) return nerr_pass(err);
    return nerr_pass(dl_table(r, hdf_table(r, "Ready", 8, nm, lb), "上线准备度", fmt));
  }
  if( strncmp(what, "base:", 5)==0 ){
    BASEKIND k;
    int found;
    if( (err = q_kind_get(app_db(r), what + 5, &k, &found)) ) return nerr_pass(err);
    if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
    if( (err = q_items_page(app_db(r), &k, req_hdf(r), "X", app_user(r)->id, CAP_ADMIN, "", 1000000, &n)) )
      return nerr_pass(err);
    const char *nm[BASE_MAXF + 4], *lb[BASE_MAXF + 4];
    int nc = 0;
    nm[nc] = "code"; lb[nc++] = "编码";
    nm[nc] = "name"; lb[nc++] = "名称";
    nm[nc] = "unit_code"; lb[nc++] = "所属单位编码";
    for(int i=0; i<k.nfields; i++){ nm[nc] = arena_printf(req_arena(r), "a%d", k.f[i].col); lb[nc++] = k.f[i].label; }
    for(HDF *c = hdf_get_obj(req_hdf(r), "X") ? hdf_obj_child(hdf_get_obj(req_hdf(r), "X")) : NULL; c; c = hdf_obj_next(c))
      hset_str(c, "state", hdf_get_int_value(c, "active", 0) ? "启用" : "停用");
    nm[nc] = "state"; lb[nc++] = "状态";
    if( (err = downloaded(r, "export.base", arena_printf(req_arena(r), "kind:%s", k.code), n, fmt)) ) return nerr_pass(err);
    return nerr_pass(dl_table(r, hdf_table(r, "X", nc, nm, lb), k.name, fmt));
  }
  return nerr_raise(ERR_NOTFOUND, "not_found");
}

/* ------------------------------------------------------------------ */
/* import                                                              */

/* an import kind's name in the user's language: the kinds' own names for base data */
static const char *kind_title(REQ *r, const char *kind, const char *name){
  if( strcmp(kind, "units")==0 ) return view_text(r, "adm.units");
  if( strcmp(kind, "users")==0 ) return view_text(r, "adm.users");
  return name;
}

static NEOERR *import_kinds(REQ *r){
  int n, nk;
  NEOERR *err = q_kinds_hdf(app_db(r), req_hdf(r), "Kinds", &nk);
  if( err ) return nerr_pass(err);
  if( (err = q_batches_hdf(app_db(r), app_user(r)->id, req_hdf(r), "Batches", &n)) ) return nerr_pass(err);
  HDF *b = hdf_get_obj(req_hdf(r), "Batches"), *k = hdf_get_obj(req_hdf(r), "Kinds");
  for(HDF *x = b ? hdf_obj_child(b) : NULL; x; x = hdf_obj_next(x)){
    const char *kind = hdf_get_value(x, "kind", ""), *name = kind;
    for(HDF *y = k ? hdf_obj_child(k) : NULL; y; y = hdf_obj_next(y))
      if( strncmp(kind, "base:", 5)==0 && strcmp(kind + 5, hdf_get_value(y, "code", ""))==0 ) name = hdf_get_value(y, "name", kind);
    hset_str(x, "kind_name", kind_title(r, kind, name));
  }
  return STATUS_OK;
}

static NEOERR *import_page(REQ *r){
  NEOERR *err = import_kinds(r);
  if( err ) return nerr_pass(err);
  set(r, "Import.kind", req_query(r, "kind") ? req_query(r, "kind") : "units");
  seti(r, "Import.max_mb", conf_int(req_conf(r), "Limits.UploadMax", 10485760) / 1048576);
  return nerr_pass(app_page(r, "admin_import"));
}

static NEOERR *import_template_get(REQ *r){
  TABLE t;
  const char *kind = req_query(r, "kind"), *name;
  int ok;
  if( kind==NULL ) return nerr_raise(ERR_INPUT, "bad_request");
  NEOERR *err = import_kind(app_db(r), kind, &name, &ok);
  if( err ) return nerr_pass(err);
  if( !ok ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( (err = import_template(app_db(r), req_arena(r), kind, &t)) ) return nerr_pass(err);
  if( (err = downloaded(r, "export.template", arena_printf(req_arena(r), "import:%s", kind), 0, req_query(r, "fmt"))) )
    return nerr_pass(err);
  return nerr_pass(dl_table(r, &t, arena_printf(req_arena(r), "%s导入模板", name), req_query(r, "fmt")));
}

static const char *col_state(int st){
  switch( st ){
  case ICS_AUTO: return "auto";
  case ICS_SAVED: return "saved";
  case ICS_NEW: return "new";
  case ICS_IGNORED: return "ignored";
  case ICS_DUP: return "dup";
  case ICS_LEGACY: return "legacy";
  }
  return "unknown";
}

static const char *letter(REQ *r, int k){
  return k<26 ? arena_printf(req_arena(r), "%c", 'A' + k)
              : arena_printf(req_arena(r), "%c%c", 'A' + k/26 - 1, 'A' + k%26);
}

static void rows_hdf(REQ *r, const char *prefix, const IMP_ERR *e, int n){
  HDF *h = req_hdf(r);
  for(int i=0; i<n; i++){
    hset_fmt(h, "%s.%d.row=%d", prefix, i, e[i].rowno);
    hset_fmt(h, "%s.%d.column=%s", prefix, i, e[i].column);
    hset_fmt(h, "%s.%d.value=%s", prefix, i, e[i].value);
    const char *k = e[i].key;      /* "bad_code" under imp., or a whole key: "val.frac.4" */
    hset_fmt(h, "%s.%d.msg=%s", prefix, i, view_text(r, strchr(k, '.') ? k : arena_printf(req_arena(r), "imp.%s", k)));
  }
}

/* the result of a dry run or an apply: counts, columns and their mapping,
** role words, errors, values not stored, the records that change */
static NEOERR *show_result(REQ *r, const IMP_RESULT *res, long long batch, long long upload, int applied){
  HDF *h = req_hdf(r);
  NEOERR *err;
  set(r, "Result.kind", res->kind);
  set(r, "Result.kind_name", kind_title(r, res->kind, res->kind_name));
  set(r, "Result.encoding", res->encoding);
  set(r, "Result.sha256", res->sha256);
  seti(r, "Result.checked", res->checked);
  seti(r, "Result.rows", res->rows);
  seti(r, "Result.new", res->n_new);
  seti(r, "Result.updated", res->n_updated);
  seti(r, "Result.same", res->n_same);
  seti(r, "Result.errors", res->n_errors);
  seti(r, "Result.error_rows", res->n_error_rows);
  seti(r, "Result.shown", res->nerrors);
  seti(r, "Result.applied", applied);
  seti(r, "Result.codes", res->ncodes);
  seti(r, "Result.header_row", res->header_row);
  seti(r, "Result.need_map", res->need_map);
  seti(r, "Result.is_base", res->is_base);
  seti(r, "Result.upload", upload);
  seti(r, "Result.preview_more", res->preview_more);
  seti(r, "Batch.id", batch);
  if( res->file_key ){
    view_set_text(r, "Result.file_msg", arena_printf(req_arena(r), "imp.%s", res->file_key));
    set(r, "Result.file_detail", res->file_detail);
  }
  rows_hdf(r, "Errors", res->errors, res->nerrors);
  rows_hdf(r, "Warnings", res->warnings, res->nwarnings);
  if( upload ){
    for(int i=0; i<res->ncols; i++){
      const IMP_COL *c = &res->cols[i];
      hset_fmt(h, "Cols.%d.col=%d", i, c->col);
      hset_fmt(h, "Cols.%d.letter=%s", i, letter(r, c->col));
      hset_fmt(h, "Cols.%d.header=%s", i, c->header);
      hset_fmt(h, "Cols.%d.sample=%s", i, c->sample);
      hset_fmt(h, "Cols.%d.state=%s", i, col_state(c->state));
      hset_fmt(h, "Cols.%d.field=%s", i, c->key);
      hset_fmt(h, "Cols.%d.label=%s", i, c->label);
      if( c->dup_col>=0 ) hset_fmt(h, "Cols.%d.dup_letter=%s", i, letter(r, c->dup_col));
    }
    for(int i=0; i<res->nfields; i++){
      hset_fmt(h, "FieldOpts.%d.key=%s", i, res->field_keys[i]);
      hset_fmt(h, "FieldOpts.%d.label=%s", i, res->field_labels[i]);
    }
    for(int i=0; i<res->nwords; i++){
      hset_fmt(h, "Words.%d.idx=%d", i, i);
      hset_fmt(h, "Words.%d.word=%s", i, res->words[i].word);
      hset_fmt(h, "Words.%d.rows=%d", i, res->words[i].rows);
      hset_fmt(h, "Words.%d.role=%s", i, res->words[i].role);
      hset_fmt(h, "Words.%d.builtin=%d", i, res->words[i].builtin);
    }
    if( res->nwords && (err = role_options_as(r, "RoleOpts")) ) return nerr_pass(err);
  }
  for(int i=0; i<res->nadopt; i++){
    hset_fmt(h, "Adopt.%d.what=%s", i, res->adopt[i].what);
    hset_fmt(h, "Adopt.%d.old_code=%s", i, res->adopt[i].old_code);
    hset_fmt(h, "Adopt.%d.old_name=%s", i, res->adopt[i].old_name);
    hset_fmt(h, "Adopt.%d.new_code=%s", i, res->adopt[i].new_code);
    hset_fmt(h, "Adopt.%d.new_name=%s", i, res->adopt[i].new_name);
  }
  for(int i=0; i<res->npreview; i++){
    const IMP_ROW *p = &res->preview[i];
    hset_fmt(h, "Preview.%d.row=%d", i, p->rowno);
    hset_fmt(h, "Preview.%d.status=%s", i, p->is_new ? "new" : "upd");
    hset_fmt(h, "Preview.%d.depth=%d", i, p->depth);
    hset_fmt(h, "Preview.%d.key=%s", i, p->key);
    hset_fmt(h, "Preview.%d.name=%s", i, p->name);
    for(int j=0; j<p->nchg; j++){
      hset_fmt(h, "Preview.%d.Chg.%d.label=%s", i, j, p->chg[j].label);
      hset_fmt(h, "Preview.%d.Chg.%d.old=%s", i, j, p->chg[j].old);
      hset_fmt(h, "Preview.%d.Chg.%d.now=%s", i, j, p->chg[j].now);
    }
  }
  for(int i=0; i<res->npending; i++){
    hset_fmt(h, "Pending.%d.login=%s", i, res->pending_login[i]);
    hset_fmt(h, "Pending.%d.name=%s", i, res->pending_name[i]);
  }
  if( !applied && (res->file_key || res->n_errors || res->need_map) ) req_set_status(r, 422);
  return nerr_pass(app_page(r, "admin_import_result"));
}

/* a file that passed its dry run: kept until it is confirmed */
static NEOERR *batch_new(REQ *r, const char *kind, const char *filename, const char *data, size_t len,
                         const IMP_RESULT *res, long long *batch){
  BATCH b;
  memset(&b, 0, sizeof b);
  b.kind = kind;
  b.filename = filename;
  b.sha256 = res->sha256; b.encoding = res->encoding;
  b.content = data; b.len = len;
  b.user_id = app_user(r)->id;
  b.n_rows = res->rows; b.n_new = res->n_new; b.n_updated = res->n_updated; b.n_errors = res->n_errors;
  /* kept with a record of the file's hash (the upload that will be confirmed) */
  CTX *c = app_ctx(r);
  const char *detail = arena_printf(req_arena(r), "{\"kind\":\"%s\",\"sha256\":\"%s\",\"rows\":%d,\"new\":%d,\"updated\":%d}",
                                    kind, res->sha256, res->rows, res->n_new, res->n_updated);
  return nerr_pass(DB_TX(c->db, NULL, ({
    NEOERR *e = q_batch_insert(c->db, &b, batch);
    if( !e ) e = q_batch_options_set(c->db, *batch, res->options);
    if( !e ) e = ctx_audit(c, "import.check", arena_printf(req_arena(r), "batch:%lld", *batch), "ok", detail);
    e; })));
}

/* after a dry run: a batch to confirm when it passed; the upload is kept
** either way so that the columns can be mapped on the page */
static NEOERR *check_done(REQ *r, const char *kind, const char *filename, const char *data, size_t len,
                          IMP_RESULT *res, long long upload){
  long long batch = 0;
  NEOERR *err;
  if( !upload && res->header_row &&
      (err = q_upload_insert(app_db(r), kind, filename, data, len, app_user(r)->id, &upload)) ) return nerr_pass(err);
  if( !res->file_key && !res->n_errors && !res->need_map &&
      (err = batch_new(r, kind, filename, data, len, res, &batch)) ) return nerr_pass(err);
  set(r, "Result.filename", filename);
  return nerr_pass(show_result(r, res, batch, upload, 0));
}

static NEOERR *import_check(REQ *r){
  const char *kind = req_form(r, "kind"), *name;
  const PART *file = req_file(r, "file");
  int ok;
  IMP_RESULT res;
  NEOERR *err;
  if( kind==NULL ) return nerr_raise(ERR_INPUT, "bad_request");
  if( (err = import_kind(app_db(r), kind, &name, &ok)) ) return nerr_pass(err);
  if( !ok ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( file==NULL || file->len==0 ){
    memset(&res, 0, sizeof res);
    res.kind = kind; res.kind_name = name; res.file_key = "empty_file";
    return nerr_pass(show_result(r, &res, 0, 0, 0));
  }
  if( (err = import_run_with(app_ctx(r), kind, file->data, file->len, 0, 0, NULL, &res)) ) return nerr_pass(err);
  const char *filename = utf8_sanitize(req_arena(r), file->filename ? file->filename : "", 255);
  return nerr_pass(check_done(r, kind, filename, file->data, file->len, &res, 0));
}

/* the admin's choices for the columns and role words of an upload:
** remembered, then the dry run again without a new upload */
static NEOERR *import_map(REQ *r){
  NEOERR *err = STATUS_OK;
  ARENA *a = req_arena(r);
  const char *kind, *filename, *data;
  size_t len;
  int found;
  IMP_RESULT res;
  long long upload = need_id(r, "upload", &err);
  if( err ) return err;
  if( (err = q_upload_get(app_db(r), upload, app_user(r)->id, &kind, &filename, &data, &len, &found)) )
    return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "upload_gone");
  if( (err = import_run_with(app_ctx(r), kind, data, len, 0, 0, NULL, &res)) ) return nerr_pass(err);
  if( !res.header_key ) return nerr_raise(ERR_INPUT, "bad_request");
  /* the columns: one entry per file column, each a field of the kind, "-", "+" (base data) or "" */
  STRING m;
  string_init(&m);
  int last = res.ncols ? res.cols[res.ncols - 1].col : -1;
  for(int k=0, i=0; k<=last; k++){
    if( k ) string_append(&m, "|");
    if( i<res.ncols && res.cols[i].col==k ){
      const char *v = req_form(r, arena_printf(a, "m%d", k));
      int valid = v==NULL || !*v || strcmp(v, "-")==0 || (strcmp(v, "+")==0 && res.is_base);
      for(int f=0; f<res.nfields && !valid; f++) if( strcmp(v, res.field_keys[f])==0 ) valid = 1;
      if( !valid ){ string_clear(&m); return nerr_raise(ERR_INPUT, "bad_request"); }
      string_append(&m, v ? v : "");
      i++;
    }
  }
  const char *mapping = arena_strdup(a, m.buf ? m.buf : "");
  string_clear(&m);
  /* role words: only the file's own, each to a role, the pending auditor or none */
  ROLEROW *roles;
  int nroles, nw = 0;
  if( (err = q_roles(app_db(r), &roles, &nroles)) ) return nerr_pass(err);
  const char **words = arena_alloc(a, sizeof(char*) * (size_t)(res.nwords + 1));
  const char **wroles = arena_alloc(a, sizeof(char*) * (size_t)(res.nwords + 1));
  for(int i=0; i<res.nwords; i++){
    const char *w = req_form(r, arena_printf(a, "wv%d", i)), *role = req_form(r, arena_printf(a, "w%d", i));
    if( w==NULL || role==NULL || !*role ) continue;
    int known = -1;
    for(int j=0; j<res.nwords; j++) if( strcmp(res.words[j].word, w)==0 ) known = j;
    int valid = strcmp(role, "auditor+pending")==0;
    if( known>=0 && !res.words[known].builtin ){
      if( strcmp(role, "-")==0 ) valid = 1;
      for(int j=0; j<nroles && !valid; j++) if( strcmp(roles[j].code, role)==0 ) valid = 1;
    }else if( known>=0 && strcmp(role, "auditor")==0 ) valid = 1;
    if( known<0 || !valid ) return nerr_raise(ERR_INPUT, "bad_request");
    words[nw] = w;
    wroles[nw++] = role;
  }
  if( (err = import_remember(app_ctx(r), kind, res.header_key, res.header, mapping, nw, words, wroles)) )
    return nerr_pass(err);
  if( (err = import_run_with(app_ctx(r), kind, data, len, 0, 0, NULL, &res)) ) return nerr_pass(err);
  notice(r, "imp.mapping_saved");
  return nerr_pass(check_done(r, kind, filename, data, len, &res, upload));
}

static NEOERR *import_apply(REQ *r){
  NEOERR *err = STATUS_OK;
  BATCH b;
  int found;
  IMP_RESULT res;
  const char *options;
  long long id = need_id(r, "batch", &err);
  if( err ) return err;
  if( (err = q_batch_get(app_db(r), id, app_user(r)->id, &b, &found)) ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( strcmp(b.status, "checked")!=0 ) return nerr_raise(ERR_CONFLICT, "already_applied");
  if( (err = q_batch_options(app_db(r), id, &options)) ) return nerr_pass(err);
  if( (err = import_run_with(app_ctx(r), b.kind, b.content, b.len, id, 1, options, &res)) ) return nerr_pass(err);
  set(r, "Result.filename", b.filename);
  return nerr_pass(show_result(r, &res, id, 0, !res.file_key && !res.n_errors && !res.need_map));
}

static NEOERR *codes(REQ *r){
  long long batch = num(r, "batch"), user = num(r, "user");
  const char *fmt = req_query(r, "fmt");
  int n;
  if( batch<0 || user<0 || (!batch && !user) ) return nerr_raise(ERR_INPUT, "bad_request");
  NEOERR *err = q_sheet_hdf(app_db(r), batch, user, app_user(r)->id, req_hdf(r), "X", &n);
  if( err ) return nerr_pass(err);
  if( n==0 ) return nerr_raise(ERR_NOTFOUND, "no_codes");
  HDF *l = hdf_get_obj(req_hdf(r), "X");
  for(HDF *c = hdf_obj_child(l); c; c = hdf_obj_next(c))
    hset_str(c, "expires_local", app_local_time(r, hdf_get_value(c, "expires", "")));
  /* activation codes are credentials: who took them, and when, is recorded */
  if( (err = downloaded(r, "export.codes", batch ? arena_printf(req_arena(r), "batch:%lld", batch)
                        : arena_printf(req_arena(r), "user:%s", hdf_get_value(req_hdf(r), "X.0.login", "")), n,
                        fmt && strcmp(fmt, "pdf")==0 ? "pdf" : fmt)) ) return nerr_pass(err);
  if( fmt && strcmp(fmt, "pdf")==0 ){
    PDF_SLIP *s = arena_alloc(req_arena(r), sizeof(PDF_SLIP) * (size_t)n);
    const char *url = conf_str(req_conf(r), "Site.Url", "");
    int i = 0;
    for(HDF *c = hdf_obj_child(l); c; c = hdf_obj_next(c), i++){
      s[i].title = view_text(r, "slip.title");
      s[i].label[0] = view_text(r, "slip.name");    s[i].value[0] = hdf_get_value(c, "name", "");
      s[i].label[1] = view_text(r, "slip.unit");    s[i].value[1] = hdf_get_value(c, "unit_name", "");
      s[i].label[2] = view_text(r, "slip.login");   s[i].value[2] = hdf_get_value(c, "login", "");
      s[i].label[3] = view_text(r, "slip.code");    s[i].value[3] = hdf_get_value(c, "code", "");
      s[i].label[4] = view_text(r, "slip.expires"); s[i].value[4] = hdf_get_value(c, "expires_local", "");
      s[i].label[5] = view_text(r, "slip.how");
      s[i].value[5] = *url ? arena_printf(req_arena(r), "%s/activate", url) : view_text(r, "slip.how_text");
      s[i].nlines = 6;
    }
    STRING out;
    string_init(&out);
    err = pdf_slips(conf_str(req_conf(r), "Pdf.Font", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), s, n, &out);
    if( !err ) err = dl_file(r, arena_printf(req_arena(r), "%s.pdf", view_text(r, "slip.file")), "application/pdf", out.buf, (size_t)out.len);
    string_clear(&out);
    return nerr_pass(err);
  }
  static const char *const nm[] = { "login", "name", "unit_code", "unit_name", "code", "expires_local" };
  static const char *const lb[] = { "账户", "姓名", "单位编码", "单位名称", "激活码", "有效期至" };
  return nerr_pass(dl_table(r, hdf_table(r, "X", 6, nm, lb), "激活码", fmt));
}

static NEOERR *codes_clear(REQ *r){
  NEOERR *err = STATUS_OK;
  long long batch = need_id(r, "batch", &err);
  if( err ) return err;
  if( (err = org_codes_clear(app_ctx(r), batch)) ) return nerr_pass(err);
  req_redirect(r, "/admin/import");
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* form definitions (applied with diaodu-ctl forms apply; shown here)   */

/* minutes as "9 小时", "7 天", "30 分钟" */
static const char *span(REQ *r, long m){
  const char *u = view_text(r, "frm.min");
  long v = m < 0 ? -m : m;
  if( v && v % 1440==0 ){ v /= 1440; u = view_text(r, "frm.day"); }
  else if( v && v % 60==0 ){ v /= 60; u = view_text(r, "frm.hour"); }
  return arena_printf(req_arena(r), "%s%ld %s", m<0 ? "-" : "", v, u);
}

static void form_row(REQ *r, const char *pre, const QFORM *q){
  HDF *h = req_hdf(r);
  int en = strcmp(view_lang(r), "en")==0;
  hset_fmt(h, "%s.code=%s", pre, q->code);
  hset_fmt(h, "%s.name=%s", pre, en && q->name_en ? q->name_en : q->name);
  hset_fmt(h, "%s.version=%d", pre, q->version);
  hset_fmt(h, "%s.period=%s", pre, q->period);
  hset_fmt(h, "%s.units=%s", pre, q->units);
  hset_fmt(h, "%s.kinds=%s", pre, q->unit_kinds);
  hset_fmt(h, "%s.opens=%s", pre, span(r, q->opens));
  hset_fmt(h, "%s.cutoff=%s", pre, span(r, q->cutoff));
  if( q->closes ) hset_fmt(h, "%s.closes=%s", pre, span(r, q->closes));
  hset_fmt(h, "%s.active=%d", pre, q->active);
  hset_fmt(h, "%s.file=%s", pre, q->file);
  hset_fmt(h, "%s.applied=%s", pre, app_local_time(r, q->applied_at));
}

static NEOERR *forms(REQ *r){
  QFORM *fs;
  int n;
  NEOERR *err = q_forms(app_db(r), &fs, &n);
  if( err ) return nerr_pass(err);
  for(int i=0; i<n; i++) form_row(r, arena_printf(req_arena(r), "Forms.%d", i), &fs[i]);
  return nerr_pass(app_page(r, "admin_forms"));
}

static NEOERR *form_detail(REQ *r){
  const char *code = req_query(r, "code");
  QFORM q;
  QFIELD *fl;
  const FORM *f;
  int found, n;
  if( code==NULL ) return nerr_raise(ERR_INPUT, "bad_request");
  NEOERR *err = q_form_get(app_db(r), code, 0, &q, NULL, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  form_row(r, "Form", &q);
  if( (err = form_get(app_ctx(r), code, &f)) ) return nerr_pass(err);
  if( (err = q_form_fields(app_db(r), q.id, &fl, &n)) ) return nerr_pass(err);
  HDF *h = req_hdf(r);
  for(int i=0; i<n; i++){
    const FFIELD *x = f ? fdef_field(f, fl[i].code) : NULL;
    hset_fmt(h, "Fields.%d.code=%s", i, fl[i].code);
    hset_fmt(h, "Fields.%d.label=%s", i, fl[i].label);
    hset_fmt(h, "Fields.%d.part=%s", i, fl[i].part);
    hset_fmt(h, "Fields.%d.type=%s", i, view_text(r, arena_printf(req_arena(r), "frm.t.%s", fl[i].type)));
    hset_fmt(h, "Fields.%d.active=%d", i, fl[i].active);
    hset_fmt(h, "Fields.%d.added=%d", i, fl[i].added);
    if( fl[i].removed ) hset_fmt(h, "Fields.%d.removed=%d", i, fl[i].removed);
    if( x==NULL ) continue;
    STRING d;
    string_init(&d);
    if( x->required ) string_appendf(&d, "%s ", view_text(r, "frm.required"));
    if( x->type==FT_DEC || x->type==FT_COMPUTED )
      string_appendf(&d, "%s %s ", sheet_text(r, "frm.prec", arena_printf(req_arena(r), "%d", x->prec)),
                     sheet_text(r, "frm.scale", arena_printf(req_arena(r), "%d", x->scale)));
    if( x->unit ) string_appendf(&d, "[%s] ", x->unit);
    if( x->has_min ){ char b[DEC_BUFSZ]; string_appendf(&d, "≥ %s ", dec_format(x->min, b)); }
    if( x->has_max ){ char b[DEC_BUFSZ]; string_appendf(&d, "≤ %s ", dec_format(x->max, b)); }
    if( x->type==FT_TEXT || x->type==FT_TEXTAREA ) string_appendf(&d, "≤ %d %s ", x->maxlen, view_text(r, "frm.chars"));
    if( x->pattern ) string_appendf(&d, "%s ", x->pattern_msg ? x->pattern_msg : view_text(r, "frm.pattern"));
    if( x->type==FT_SELECT ) for(int k=0; k<x->nopt; k++) string_appendf(&d, "%s%s", k ? "、" : "", x->options[k]);
    if( x->type==FT_LOOKUP ){
      const char *what = view_text(r, x->lk==LK_ORG ? "frm.lk_org" : "frm.lk_user");
      if( x->lk==LK_BASE ){
        BASEKIND k;
        int kfound;
        if( (err = q_kind_get(app_db(r), x->lk_kind, &k, &kfound)) ){ string_clear(&d); return nerr_pass(err); }
        what = kfound ? k.name : x->lk_kind;
      }
      string_appendf(&d, "%s%s", what, x->own ? view_text(r, "frm.own") : "");
    }
    if( x->type==FT_COMPUTED && x->expr )
      string_appendf(&d, "= %s", fdef_expr_show(req_arena(r), x->expr, view_text(r, "frm.sum"), view_text(r, "frm.prev")));
    hset_fmt(h, "Fields.%d.rules=%s", i, d.buf ? d.buf : "");
    string_clear(&d);
  }
  for(int i=0; f && i<f->nrules; i++){
    hset_fmt(h, "Rules.%d.code=%s", i, f->rules[i].code);
    hset_fmt(h, "Rules.%d.message=%s", i, f->rules[i].message);
    hset_fmt(h, "Rules.%d.check=%s", i, fdef_expr_show(req_arena(r), f->rules[i].check, view_text(r, "frm.sum"), view_text(r, "frm.prev")));
    hset_fmt(h, "Rules.%d.field=%s", i, f->rules[i].field ? f->rules[i].field->label : "");
  }
  if( (err = q_form_versions_hdf(app_db(r), q.id, h, "Versions", &n)) ) return nerr_pass(err);
  for(HDF *c = hdf_get_child(h, "Versions"); c; c = hdf_obj_next(c))
    hset_str(c, "applied_local", app_local_time(r, hdf_get_value(c, "applied_at", "")));
  return nerr_pass(app_page(r, "admin_form"));
}

#define A CAP_ADMIN
#define L R_LOGIN
static const ROUTE routes[] = {
  { "GET",  "/admin/",               home,          L, A, 0, 0 },
  { "GET",  "/admin/roles",          roles,         L, A, 0, 0 },
  { "GET",  "/admin/readiness",      readiness,     L, A, 0, 0 },
  { "POST", "/admin/readiness/forms", readiness_forms, L, A, 0, 0 },
  { "GET",  "/admin/units",          units,         L, A, 0, 0 },
  { "POST", "/admin/units/new",      unit_new,      L, A, 0, 0 },
  { "GET",  "/admin/units/edit",     unit_edit,     L, A, 0, 0 },
  { "POST", "/admin/units/edit",     unit_save,     L, A, 0, 0 },
  { "POST", "/admin/units/active",   unit_active,   L, A, 0, 0 },
  { "GET",  "/admin/users",          users,         L, A, 0, 0 },
  { "GET",  "/admin/users/new",      user_new_form, L, A, 0, 0 },
  { "POST", "/admin/users/new",      user_new,      L, A, 0, 0 },
  { "GET",  "/admin/users/edit",     user_edit,     L, A, 0, 0 },
  { "POST", "/admin/users/edit",     user_save,     L, A, 0, 0 },
  { "POST", "/admin/users/active",   user_active,   L, A, 0, 0 },
  { "POST", "/admin/users/unlock",   user_unlock,   L, A, 0, 0 },
  { "POST", "/admin/users/reset",    user_reset,    L, A, 0, 0 },
  { "POST", "/admin/users/grant",    user_grant,    L, A, 0, 0 },
  { "POST", "/admin/users/revoke",   user_revoke,   L, A, 0, 0 },
  { "GET",  "/admin/base",           base,          L, A, 0, 0 },
  { "POST", "/admin/base/kinds",     kind_new,      L, A, 0, 0 },
  { "GET",  "/admin/base/kind",      kind_items,    L, A, 0, 0 },
  { "GET",  "/admin/base/item",      item_edit,     L, A, 0, 0 },
  { "POST", "/admin/base/item",      item_save,     L, A, 0, 0 },
  { "GET",  "/admin/import",         import_page,   L, A, 0, 0 },
  { "GET",  "/admin/import/template", import_template_get, L, A, 0, 0 },
  { "POST", "/admin/import/check",   import_check,  L, A, ROUTE_UPLOAD, 0 },
  { "POST", "/admin/import/map",     import_map,    L, A, 0, 0 },
  { "POST", "/admin/import/apply",   import_apply,  L, A, 0, 0 },
  { "GET",  "/admin/import/codes",   codes,         L, A, 0, 0 },
  { "POST", "/admin/import/codes/clear", codes_clear, L, A, 0, 0 },
  { "GET",  "/admin/export",         export,        L, A, 0, 0 },
  { "GET",  "/admin/forms",          forms,         L, A, 0, 0 },
  { "GET",  "/admin/forms/form",     form_detail,   L, A, 0, 0 },
  { 0, 0, 0, 0, 0, 0, 0 }
};

int main(int argc, char **argv){
  return app_main("admin", routes, argc, argv);
}
