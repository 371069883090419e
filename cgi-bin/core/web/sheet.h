/*
** sheet.h -- sheets on pages: the page data (HDF) of a sheet, of today's
** sheets and of the words around them (statuses, periods, deadlines in the
** company's time zone, messages with their {arg}), shared by the entry
** executable and the portal of the login executable.
**
** A sheet's data set:
**   Sheet.*          form, unit, period, status, version, token, window
**   H.<i>.*          header fields: code label type unit hint required
**                    raw shown err (the message text) opt (select options)
**                    lk (1: a lookup with options under Opts.<code>)
**   Cols.<i>.*       row fields (the same, without values)
**   Rows.<r>.id      and Rows.<r>.c.<i>.raw / shown / err
**   Opts.<code>.<k>  code and label of each record a lookup may choose;
**                    Search.<code> = 1 when there are too many for a
**                    <select> (a text box with a list then)
*/
#ifndef DIAODU_SHEET_H
#define DIAODU_SHEET_H
#include "app.h"
#include "entry.h"

/* the data set of a sheet; with_options: the choices of selects and
** lookups (an editable page) */
NEOERR *sheet_hdf(REQ *r, SHEET *s, int with_options);
/* today's sheets (Today.<i>.*, Today.due) */
NEOERR *sheet_today_hdf(REQ *r);
/* an instant (UTC) as local "YYYY-MM-DD HH:MM" */
const char *sheet_local(REQ *r, time_t t);
/* a period's label in the request's language */
const char *sheet_period_label(REQ *r, const PERIOD *p);
/* the text of a message key with {arg} filled in */
const char *sheet_text(REQ *r, const char *key, const char *arg);
/* a fresh one-time token for a form */
const char *sheet_token(REQ *r);

#endif
