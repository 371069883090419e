/*
** sess.h -- sessions and CSRF tokens.
**
** The cookie dd_sess carries 32 random bytes (base64url); the database
** holds only their SHA-256.  Idle and absolute timeouts come from
** Session.IdleMinutes and Session.AbsoluteHours.  Each session has its own
** CSRF token; forms shown before login use a double-submit cookie dd_csrf.
*/
#ifndef DIAODU_SESS_H
#define DIAODU_SESS_H
#include "req.h"
#include "db.h"
#include "auth.h"
#include "acct.h"

#define SESS_COOKIE "dd_sess"
#define CSRF_COOKIE "dd_csrf"
/* the request's user, or *out = NULL (no cookie, unknown, expired) */
NEOERR *sess_load(REQ *r, DB *db, USER **out);
/* hand a session token to the browser (NULL or "": clear the cookie) */
void sess_set_cookie(REQ *r, const char *tok);
/* the pre-login CSRF token (set as a cookie when missing) */
const char *sess_pre_csrf(REQ *r);
/* 1 if the POST carries the right CSRF token for u (or for the pre-login cookie) */
int sess_csrf_ok(REQ *r, USER *u);

#endif
