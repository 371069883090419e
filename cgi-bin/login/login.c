/*
** login.c -- the login executable: log in and out, the portal (with a
** clerk's sheets of today), change
** password, language choice.  Routes and thin handlers only; the work is
** in the core (acct.c, sess.c, view.c).
*/
#include "app.h"
#include "acct.h"
#include "err.h"
#include "hset.h"
#include "inbox.h"
#include "remind.h"
#include "sess.h"
#include "sheet.h"
#include "str.h"
#include "view.h"
#include <string.h>

/* a local path to go to after login: "/x..." but never "//host" */
static const char *safe_next(const char *next){
  if( !req_local_path(next) ) return "/";
  if( strncmp(next, "/login", 6)==0 || strncmp(next, "/logout", 7)==0 ) return "/";
  return next;
}

static NEOERR *login_form(REQ *r){
  if( app_user(r) ){ req_redirect(r, "/"); return STATUS_OK; }
  hset_str(req_hdf(r), "Form.Next", safe_next(req_query(r, "next")));
  return nerr_pass(app_page(r, "login"));
}

static NEOERR *login_post(REQ *r){
  HDF *h = req_hdf(r);
  const char *login = str_trim(req_arena(r), req_form(r, "login"));
  const char *pw = req_form(r, "password");
  const char *next = safe_next(req_form(r, "next"));
  int result;
  NEOERR *err;

  hset_str(h, "Form.Next", next);
  if( login==NULL || *login==0 || pw==NULL || *pw==0 ){
    view_set_text(r, "Form.Error", "login.fill_all");
    hset_str(h, "Form.Login", login ? login : "");
    req_set_status(r, 400);
    return nerr_pass(app_page(r, "login"));
  }
  /* the column holds 64 bytes: a longer name cannot exist, treat it as such */
  login = utf8_sanitize(req_arena(r), login, 64);
  char tok[TOKEN_LEN + 1];
  if( (err = acct_login(app_ctx(r), login, pw, &result, tok)) ) return nerr_pass(err);
  if( result==LOGIN_OK ){
    sess_set_cookie(r, tok);
    req_redirect(r, next);
    return STATUS_OK;
  }
  hset_str(h, "Form.Login", login);
  if( result==LOGIN_LOCKED ){
    view_set_text(r, "Form.Error", "login.locked");
    req_set_status(r, 429);
  }else{
    view_set_text(r, "Form.Error", "login.bad");
    req_set_status(r, 401);
  }
  return nerr_pass(app_page(r, "login"));
}

static NEOERR *logout_post(REQ *r){
  NEOERR *err = app_user(r) ? acct_logout(app_ctx(r)) : STATUS_OK;
  if( err ) return nerr_pass(err);
  sess_set_cookie(r, NULL);
  req_redirect(r, "/login?bye=1");
  return STATUS_OK;
}

static NEOERR *portal(REQ *r){
  /* a clerk sees today's sheets of their units first */
  if( auth_has(app_user(r), CAP_ENTRY) ){
    NEOERR *err = sheet_today_hdf(r);
    if( err ) return nerr_pass(err);
  }
  /* an approver what waits for them; clerks and heads returned sheets not fixed in time */
  if( auth_has(app_user(r), CAP_ENTRY) || auth_has(app_user(r), CAP_APPROVE) || auth_has(app_user(r), CAP_DISPATCH) ){
    NEOERR *err = inbox_portal_hdf(r);
    if( err ) return nerr_pass(err);
    /* 催报: reminders to a clerk, escalations to a head, until the sheet is submitted */
    if( (err = remind_portal_hdf(r)) ) return nerr_pass(err);
  }
  return nerr_pass(app_page(r, "portal"));
}

static NEOERR *password_form(REQ *r){
  return nerr_pass(app_page(r, "password"));
}

static NEOERR *password_post(REQ *r){
  const char *msg;
  int ended;
  NEOERR *err = acct_change_password(app_ctx(r), req_form(r, "old"), req_form(r, "new"),
                                     req_form(r, "again"), &msg, &ended);
  if( err ) return nerr_pass(err);
  if( ended ) sess_set_cookie(r, NULL);
  if( msg ){
    view_set_text(r, "Form.Error", msg);
    req_set_status(r, 400);
    return nerr_pass(app_page(r, "password"));
  }
  req_redirect(r, "/?changed=1");
  return STATUS_OK;
}

static NEOERR *activate_form(REQ *r){
  if( app_user(r) ){ req_redirect(r, "/"); return STATUS_OK; }
  hset_str(req_hdf(r), "Form.Login", req_query(r, "login") ? req_query(r, "login") : "");
  return nerr_pass(app_page(r, "activate"));
}

static NEOERR *activate_post(REQ *r){
  const char *msg;
  const char *login = utf8_sanitize(req_arena(r), str_trim(req_arena(r), req_form(r, "login") ? req_form(r, "login") : ""), 64);
  char tok[TOKEN_LEN + 1];
  NEOERR *err = acct_activate(app_ctx(r), login, req_form(r, "code"), req_form(r, "new"),
                              req_form(r, "again"), &msg, tok);
  if( err ) return nerr_pass(err);
  if( tok[0] ) sess_set_cookie(r, tok);
  if( msg ){
    hset_str(req_hdf(r), "Form.Login", login);
    view_set_text(r, "Form.Error", msg);
    req_set_status(r, strcmp(msg, "login.locked")==0 ? 429 : 400);
    return nerr_pass(app_page(r, "activate"));
  }
  req_redirect(r, "/?activated=1");
  return STATUS_OK;
}

static NEOERR *lang(REQ *r){
  const char *to = req_query(r, "to");
  if( to && (strcmp(to, "en")==0 || strcmp(to, "zh_CN")==0) )
    req_set_cookie(r, "dd_lang", to, 365L*86400);
  req_redirect(r, safe_next(req_query(r, "next")));
  return STATUS_OK;
}

static const ROUTE routes[] = {
  { "GET",  "/",         portal,        R_LOGIN,              0, 0, 0 },
  { "GET",  "/login",    login_form,    R_PUBLIC,             0, 0, 0 },
  { "POST", "/login",    login_post,    R_PUBLIC,             0, 4096, 0 },
  { "POST", "/logout",   logout_post,   R_LOGIN | R_PWCHANGE, 0, 1024, 0 },
  { "GET",  "/password", password_form, R_LOGIN | R_PWCHANGE, 0, 0, 0 },
  { "POST", "/password", password_post, R_LOGIN | R_PWCHANGE, 0, 4096, 0 },
  { "GET",  "/lang",     lang,          R_PUBLIC,             0, 0, 0 },
  { "GET",  "/activate", activate_form, R_PUBLIC,             0, 0, 0 },
  { "POST", "/activate", activate_post, R_PUBLIC,             0, 4096, 0 },
  { 0, 0, 0, 0, 0, 0, 0 }
};

int main(int argc, char **argv){
  return app_main("login", routes, argc, argv);
}
