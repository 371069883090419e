/*
** acct.h -- account operations behind the login executable: log in (with
** throttling), change password, log out.  Each is one transaction with
** its audit record.
*/
#ifndef DIAODU_ACCT_H
#define DIAODU_ACCT_H
#include "ctx.h"

enum { LOGIN_OK = 0, LOGIN_BAD, LOGIN_LOCKED };

/* session tokens: 32 random bytes as base64url; only their SHA-256 is stored */
#define TOKEN_LEN 43
void acct_token_new(char tok[TOKEN_LEN + 1], unsigned char hash[32]);
/* SHA-256 of a token's raw bytes; -1 if tok is not a well-formed token */
int acct_token_hash(const char *tok, unsigned char hash[32]);

/* the throttle key of an account name: "u:" + the name in lower case (names
** are ASCII and compared ignoring case), so Admin, ADMIN and admin share one
** lock, and unlock, reset and the lists find it whatever case was typed */
const char *acct_lock_key(ARENA *a, const char *login);

/* *result is LOGIN_*; on LOGIN_OK a session was started and tok holds its
** token (the caller hands it to the browser) */
NEOERR *acct_login(CTX *c, const char *login, const char *password, int *result,
                   char tok[TOKEN_LEN + 1]);
/* NULL *msg on success, else a Lang key (pw.* or acct.*); *ended = 1 when
** the account got locked and the acting session was ended */
NEOERR *acct_change_password(CTX *c, const char *old_pw, const char *new_pw,
                             const char *again, const char **msg, int *ended);
/* ends the acting user's session */
NEOERR *acct_logout(CTX *c);

/* one-time activation codes: "ABCDE-FGHJK" (50 bits, no look-alikes); the
** account keeps SHA-256 of the code without the dash, upper case */
#define ACT_CODE_LEN 11
void acct_code_new(char code[ACT_CODE_LEN + 1], unsigned char hash[32]);
int acct_code_hash(const char *code, unsigned char hash[32]);   /* -1 if malformed */
/* activate: code + new password (policy) -> password set, session started
** (its token in tok).
** *msg NULL on success, else a Lang key */
NEOERR *acct_activate(CTX *c, const char *login, const char *code, const char *new_pw,
                      const char *again, const char **msg, char tok[TOKEN_LEN + 1]);

#endif
