/*
** pend.h -- auditor grants that wait for their holder (三员分立 at go-live).
**
** An import may give the auditor role to an account its holder has not
** activated yet.  Then the grant waits (pending_grant), no admin ever sees
** a working code for that account (the import creates it without one, or
** voids the code an admin has seen, and admins cannot reset it), the server
** operator issues a code on the server (pend_code: diaodu-ctl
** activation-code) and hands it over in person, and the grant takes effect
** in the same transaction in which the holder activates (acct_activate).
*/
#ifndef DIAODU_PEND_H
#define DIAODU_PEND_H
#include "ctx.h"
#include "acct.h"

/* the operator only: a new one-time activation code for login, shown to
** nobody else (not on any admin's sheet).  *msg a Lang key on refusal */
NEOERR *pend_code(CTX *c, const char *login, char code[ACT_CODE_LEN + 1], const char **msg);

#endif
