/*
** sec.h -- 三员分立 that holds against the administrator.
**
** The three duties -- administrator (系统管理员), security officer
** (安全保密管理员) and auditor (审计员) -- are never held by one account.
** Auditor grants are not in an administrator's power at all: only the
** security officer grants, resets or revokes them (the server operator,
** diaodu-ctl, can too, and alone appoints security officers).  An account
** that ever held an auditor or officer grant is out of the administrators'
** reach for good (app_user.ever_auditor / ever_officer, never cleared):
** they can neither reset it, nor edit or deactivate it, nor grant it
** anything -- so "revoke the real auditor, reset the account, activate it
** and grant the role back" is closed as well as "create an account, activate
** it with the code you were shown and grant it the auditor role".  An
** auditor grant goes only to an account its holder has activated (no one
** but the holder knows the password).  Every refusal is recorded (ctx_deny).
*/
#ifndef DIAODU_SEC_H
#define DIAODU_SEC_H
#include "ctx.h"

/* may the acting user manage auditors (a security officer, or the operator)? */
int sec_is_officer(CTX *c);
/* is the role one of the privileged two (auditor, secofficer)? */
int sec_role_privileged(const char *role);
/* does the account hold, or did it ever hold, a privileged grant? */
NEOERR *sec_account_privileged(CTX *c, long long user_id, int *priv);

/* grant role (auditor: an officer or the operator; secofficer: the
** operator) to the account named login, scope all on its own unit */
NEOERR *sec_grant(CTX *c, const char *login, const char *role, const char **msg);
/* revoke an auditor (officer) or officer (operator) grant */
NEOERR *sec_revoke(CTX *c, long long grant_id, const char **msg);
/* a new one-time activation code for an account that holds or held the
** auditor role (an officer or the operator); code[] is shown once */
NEOERR *sec_reset(CTX *c, long long user_id, char code[16], const char **msg);

/* an auditor grant an administrator's import proposed (pending_grant):
** confirm it (accept: it takes effect now when the holder has activated,
** else at activation) or drop it; the security officer or the operator */
NEOERR *sec_pending(CTX *c, long long pending_id, int accept, const char **msg);

#endif
