/*
** track.h -- submission tracking (上报情况) and reminders (催报).
**
** For a form, the matrix of its submitting units (form_unit_ok) in the
** reader's scope x its periods over a range: each cell is the state of the
** unit's current sheet for that period, judged against the form's window
** (form.h) in the company's time zone at ctx_now():
**
**   approved (已通过) and submitted (已提交): on time
**   late (迟报): submitted or approved after the cut-off
**   returned (已退回), draft (草稿): a sheet that is not submitted
**   missing (未报): no sheet and the cut-off has passed
**   pending (待报): no sheet yet, the window open and the cut-off ahead
**   none: not due -- the period has not opened, or it ended before the
**         form went live (history)
**
** with counts per unit and per period, and the reminders and escalations
** sent for each cell.  Dispatchers (CAP_DISPATCH) read every unit their
** grants reach, heads (CAP_APPROVE) theirs and below, leaders
** (CAP_REPORT) theirs: the scope is Q_SCOPE in SQL.
**
** 催报: the due list holds today's and the previous period of every form
** where a unit in scope has not submitted.  A dispatcher reminds a unit's
** clerks (track_remind: one transaction with its audit record; the page's
** count of reminders makes a double click one reminder); the server
** operator escalates units still not submitted Track.EscalateMinutes after
** the cut-off to their heads (track_escalate, `diaodu-ctl track
** escalate`, idempotent per form, unit and period).  Recipients see them
** on their portal until the sheet is submitted (track_portal).
*/
#ifndef DIAODU_TRACK_H
#define DIAODU_TRACK_H
#include "ctx.h"
#include "form.h"
#include "q_track.h"

/* who reads the matrix; who sees the due list; who reminds */
#define TRACK_READ (CAP_APPROVE | CAP_DISPATCH | CAP_REPORT)
#define TRACK_DUE (CAP_APPROVE | CAP_DISPATCH)
#define TRACK_SEND CAP_DISPATCH
#define TRACK_MAXPER 93            /* periods in one matrix (a month of three shifts) */

typedef enum { TS_NONE = 0, TS_PENDING, TS_APPROVED, TS_SUBMITTED, TS_LATE, TS_RETURNED, TS_DRAFT, TS_MISSING,
               TS_COUNT } TSTATE;
const char *track_state_name(TSTATE s);   /* none pending approved submitted late returned draft missing */
/* not submitted yet (a reminder makes sense) */
int track_open(TSTATE s);

typedef struct {
  TSTATE state;
  int approved;                    /* TS_LATE: and approved since */
  long long entry_id;
  const char *submitted_at;
  const QTREMIND *remind;          /* the latest reminder, NULL none */
  const QTREMIND *escalate;        /* the escalation, NULL none */
  int nremind;                     /* reminders sent so far */
} TCELL;

typedef struct {
  const QTUNIT *u;
  TCELL *cells;                    /* one per period */
  int count[TS_COUNT];
} TROW;

/* a unit in tree order with its depth (the matrix's filter) */
typedef struct { const QTUNIT *u; int depth; } TUNIT;

typedef struct {
  const FORM *f;
  int nper;
  PERIOD *per;
  char (*keys)[DAY_KEYSZ];
  FWIN *win;
  int *history;                    /* the period ended before the form went live */
  int (*pcount)[TS_COUNT];         /* per period */
  int total[TS_COUNT];
  TROW *rows;
  int nrows;
  char from[DAY_KEYSZ], to[DAY_KEYSZ];   /* the first and last day covered */
  long long unit_id;               /* the filter (0 none) */
  TUNIT *units;                    /* every unit in reach, in tree order (for the filter) */
  int nunits;
} TMATRIX;

/* the matrix of a form over [from, to] (dates; "" or NULL: the default
** range of the form's period -- this month of days or shifts, the last 8
** weeks, the last 12 months), for the units in scope, under unit_id when
** not 0.  Refusals in *msg (track.*): a bad or too long range.  Unknown
** form: ERR_NOTFOUND; a unit out of scope: ERR_DENIED */
NEOERR *track_matrix(CTX *c, const char *form_code, const char *from, const char *to, long long unit_id,
                     TMATRIX *m, const char **msg);

/* the active forms, by code */
NEOERR *track_forms(CTX *c, const FORM ***out, int *n);

/* the due list: every cell of today's and the previous period of each
** active form that is not submitted, for the units in scope */
typedef struct {
  const FORM *f;
  const QTUNIT *u;
  PERIOD period;
  char key[DAY_KEYSZ];
  FWIN win;
  TCELL cell;
} TDUE;
NEOERR *track_due(CTX *c, long long form_id, TDUE **out, int *n);

/* a reminder to the clerks of a unit for a form's period.  seen: the
** reminders the page showed; a second POST with the same count (a double
** click) reminds nobody again and sets *again.  Refusals in *msg:
** track.done (submitted already), track.not_due, track.no_clerk,
** track.bad_period, track.not_submitting */
NEOERR *track_remind(CTX *c, const char *form_code, long long unit_id, const char *period_key, int seen,
                     const char **msg, int *again, long long *recipients);

/* escalate every unit still not submitted Track.EscalateMinutes after its
** cut-off (periods whose escalation time is within Track.EscalateDays) to
** its heads: each one transaction with its audit record; a unit, form and
** period escalated before is left alone.  form_code: that form only (NULL
** every active one).  *n escalations made now, *heads the notices they
** made, *none escalations that found no head */
NEOERR *track_escalate(CTX *c, const char *form_code, int *n, long long *heads, int *none);

/* the portal: reminders and escalations to the acting user in the last
** Track.PortalDays whose sheet is still not submitted, newest first, one
** per form, unit, period and kind */
NEOERR *track_portal(CTX *c, QTNOTE **out, int *n);

#endif
