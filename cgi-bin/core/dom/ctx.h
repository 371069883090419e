/*
** ctx.h -- who acts, where, with what: the context every domain function
** takes instead of the HTTP request.
**
** A domain function (org_*, acct_*, import_*, and the form, entry, flow,
** report and job code to come) needs a database connection, an arena for
** its results, the configuration, the acting user (for scope checks) and
** where the action came from (for the audit record).  The browser builds a
** CTX from its request (app_ctx), diaodu-ctl and the job runner build one
** for the server operator (ctx_operator), and a C test builds one by hand --
** so the same function serves all of them.
*/
#ifndef DIAODU_CTX_H
#define DIAODU_CTX_H
#include "db.h"
#include "auth.h"
#include "arena.h"
#include <ClearSilver.h>
#include <time.h>

typedef struct ctx {
  DB *db;
  ARENA *arena;              /* results live until the caller resets it */
  HDF *conf;
  const USER *user;          /* the acting user; never NULL */
  const char *ip, *ua;       /* where the action came from (audit) */
  time_t now;                /* 0: the clock; a test sets a fixed instant */
  const char *req_id;        /* the request (or command) that acts (audit) */
  /* a refusal by rule found during the action (see ctx_deny) */
  const char *deny_action, *deny_object, *deny_why;
} CTX;

/* the instant the action happens (c->now, or the clock) */
time_t ctx_now(const CTX *c);

/* the server operator (diaodu-ctl, the job runner): every capability over
** the whole organisation, audited as account 0 "system" from "diaodu-ctl" */
void ctx_operator(CTX *c, DB *db, ARENA *a, HDF *conf, const char *source);
int ctx_is_operator(const CTX *c);
/* a fresh request id: 16 hex digits, random */
const char *ctx_req_id(ARENA *a);

/* append an audit record for the acting user (inside a DB_TX) */
NEOERR *ctx_audit(CTX *c, const char *action, const char *object,
                  const char *result, const char *detail);
/* the same for another actor (a log-in attempt names the account tried) */
NEOERR *ctx_audit_as(CTX *c, long long user_id, const char *login, const char *action,
                     const char *object, const char *result, const char *detail);

/* An action refused by a rule of authority (三员分立, scope, an account's
** own protection, the last administrator) is recorded with result "denied"
** and why (a Lang key) -- but the transaction that found it rolls back, so
** the record is kept here and written by ctx_flush() in a transaction of
** its own: the dispatcher does it after every request, diaodu-ctl after its
** command.  Input that fails validation (a bad code, a duplicate, a stale
** version) is not a refusal of authority and is not recorded: the user
** sees the message, nothing happened.  One refusal per action: the first
** one found is kept. */
void ctx_deny(CTX *c, const char *action, const char *object, const char *why);
NEOERR *ctx_flush(CTX *c);

#endif
