/*
** remind.h -- the portal's 催报 reminders (dom/track.c) on the login
** executable's portal: reminders to a clerk, escalations to a head, each
** while its sheet is still not submitted.
**
** Portal data set:  Remind.<i>.kind (remind | escalate) .text .href .go
*/
#ifndef DIAODU_REMIND_H
#define DIAODU_REMIND_H
#include "app.h"

NEOERR *remind_portal_hdf(REQ *r);

#endif
