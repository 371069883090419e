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

#define SESS_COOKIE "dd_sess"
#define CSRF_COOKIE "dd_csrf"
#define TOKEN_LEN 43                 /* base64url of 32 bytes */

/* a fresh random token and the SHA-256 of its raw bytes */
void sess_token_new(char tok[TOKEN_LEN + 1], unsigned char hash[32]);
/* SHA-256 of a token's raw bytes; -1 if tok is not a well-formed token */
int sess_token_hash(const char *tok, unsigned char hash[32]);

/* the request's user, or *out = NULL (no cookie, unknown, expired) */
NEOERR *sess_load(REQ *r, DB *db, USER **out);
/* a new session for user_id: row + cookie (call inside the login transaction) */
NEOERR *sess_start(REQ *r, DB *db, long long user_id);
/* delete the session and clear the cookie */
NEOERR *sess_end(REQ *r, DB *db, USER *u);
/* the pre-login CSRF token (set as a cookie when missing) */
const char *sess_pre_csrf(REQ *r);
/* 1 if the POST carries the right CSRF token for u (or for the pre-login cookie) */
int sess_csrf_ok(REQ *r, USER *u);

#endif
