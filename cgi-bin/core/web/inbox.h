/*
** inbox.h -- the approval flow on pages: the portal's reminders (待我审批
** with its count, overdue items, returned sheets not fixed in time), and
** messages with several {placeholders}.  Shared by the approval executable
** and the portal of the login executable.
**
** Portal data set:  Flow.waiting Flow.overdue Flow.returned
**                   Flow.returned_late Flow.team_late
*/
#ifndef DIAODU_INBOX_H
#define DIAODU_INBOX_H
#include "app.h"
#include "flow.h"

/* the portal's reminders (Flow.*) */
NEOERR *inbox_portal_hdf(REQ *r);
/* Lang.<key> with {name} replaced by values: n pairs name, value */
const char *inbox_text(REQ *r, const char *key, int n, const char *const *names, const char *const *values);
/* the sentence of a refused action (res->msg), with who acted first */
const char *inbox_refusal(REQ *r, const FLOW_RES *res);

#endif
