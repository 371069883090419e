/*
** acct.h -- account operations behind the login executable: log in (with
** throttling), change password, log out.  Each is one transaction with
** its audit record.
*/
#ifndef DIAODU_ACCT_H
#define DIAODU_ACCT_H
#include "req.h"
#include "auth.h"

enum { LOGIN_OK = 0, LOGIN_BAD, LOGIN_LOCKED };

/* *result is LOGIN_*; on LOGIN_OK the session cookie is set */
NEOERR *acct_login(REQ *r, const char *login, const char *password, int *result);
/* NULL *msg on success, else a Lang key (pw.* or acct.*) */
NEOERR *acct_change_password(REQ *r, const char *old_pw, const char *new_pw,
                             const char *again, const char **msg);
NEOERR *acct_logout(REQ *r);

/* one-time activation codes: "ABCDE-FGHJK" (50 bits, no look-alikes); the
** account keeps SHA-256 of the code without the dash, upper case */
#define ACT_CODE_LEN 11
void acct_code_new(char code[ACT_CODE_LEN + 1], unsigned char hash[32]);
int acct_code_hash(const char *code, unsigned char hash[32]);   /* -1 if malformed */
/* activate: code + new password (policy) -> password set, session started.
** *msg NULL on success, else a Lang key */
NEOERR *acct_activate(REQ *r, const char *login, const char *code, const char *new_pw,
                      const char *again, const char **msg);

#endif
