/*
** entry.h -- sheets: one form filled in by a unit for a period.
**
** A SHEET holds the form, the unit, the period with its window, and every
** cell twice: as typed (raw, kept whatever happens, so a page shown again
** after a mistake still has everything the person typed) and as checked
** (val: the canonical text the column stores, or an error -- a Lang key,
** or a rule's own message -- next to the cell).  The web layer fills raw
** cells from the request; everything else happens here:
**
**   entry_new / entry_load    a blank sheet for (form, unit, period) or a
**                             stored one, with the scope checked in SQL
**   entry_check               every cell again on the server: types,
**                             required, min/max, length, pattern, options,
**                             lookups (active records, the unit's own where
**                             the field says Own), computed fields, rules
**   entry_save                draft or submit: one transaction with the
**                             one-time token, the scope, the window, the
**                             version (edit conflicts), the checks, the
**                             header and rows, and the audit record with
**                             every changed field (row and field named)
**
** Statuses: draft -> submitted -> approved, or returned (editable again);
** a clerk edits draft and returned sheets of units the grant reaches with
** CAP_ENTRY.  A submit hands the sheet to the approval flow (flow.h: its
** form's chain, or approved at once when the form has none);
** entry_decide() approves or returns it at its current step through
** flow_act(), in one call.
*/
#ifndef DIAODU_ENTRY_H
#define DIAODU_ENTRY_H
#include "ctx.h"
#include "form.h"
#include "q_entry.h"

/* who may read sheets: the clerk, the head, the dispatch centre */
#define ENTRY_READ (CAP_ENTRY | CAP_APPROVE | CAP_DISPATCH)

typedef struct {
  const char *raw;                 /* as typed, or as stored (lookups: the code) */
  const char *val;                 /* canonical text to store ("" empty; lookups: the id) */
  const char *shown;               /* lookups: "CODE 名称"; else raw */
  const char *err;                 /* Lang key, or the rule's message when literal */
  const char *arg;                 /* {arg}, or the rule's English message */
  int literal;
} ECELL;

typedef struct {
  long long id;                    /* 0: a new row */
  ECELL *c;                        /* one per row field */
  int empty;                       /* nothing typed in any input cell */
} EROW;

typedef struct {
  const FORM *f;
  QENTRY e;                        /* e.id 0: not saved yet */
  QUNIT unit;
  PERIOD period;
  char key[DAY_KEYSZ];
  char pstart[DAY_KEYSZ];          /* the period's first day */
  FWIN win;
  FWSTATE state;                   /* at the time of loading */
  int reopened;                    /* a dispatcher reopened the closed period */
  int history;                     /* the period ended before the form went live */
  int editable;                    /* draft or returned (or new) */
  ECELL *h;                        /* one per header field */
  EROW *rows;
  int nrows, cap;
  const char *msg, *msg_arg;       /* about the sheet as a whole */
  int nerr;                        /* cells with an error */
  long long other_id;              /* the sheet that exists already (refusal entry.exists) */
  unsigned caps;                   /* who may write it: CAP_ENTRY (an administrator's
                                      ledger import: CAP_ENTRY | CAP_ADMIN, any of them) */
} SHEET;

/* a blank sheet; *msg a refusal (entry.*) when the unit may not enter it */
NEOERR *entry_new(CTX *c, const char *form_code, long long unit_id, const char *period_key,
                  SHEET *s, const char **msg);
/* the same for whoever holds one of caps over the unit (a ledger import) */
NEOERR *entry_new_caps(CTX *c, unsigned caps, const char *form_code, long long unit_id,
                       const char *period_key, SHEET *s, const char **msg);
/* a stored sheet with its cells; caps: CAP_ENTRY to edit, ENTRY_READ to
** read (ERR_NOTFOUND, ERR_DENIED) */
NEOERR *entry_load(CTX *c, long long id, unsigned caps, SHEET *s);

/* the web layer's hands on the cells */
void entry_rows(SHEET *s, ARENA *a, int n);          /* exactly n rows (new ones empty) */
void entry_set(SHEET *s, ARENA *a, int row, int field, const char *raw);   /* row -1: header */
void entry_add_rows(SHEET *s, ARENA *a, int n);
void entry_drop_row(SHEET *s, int row);
/* 复制上期: the rows of the unit's latest earlier sheet of the form, as
** new rows (computed cells left to the save); *found 0 when there is none */
NEOERR *entry_copy_prev(CTX *c, SHEET *s, int *found);

/* check (strict: for submitting -- required, rules, MinRows); computes
** the computed cells; s->nerr, s->msg */
NEOERR *entry_check(CTX *c, SHEET *s, int strict);

/* save as a draft or submit.  token: the page's one-time token; when it
** was used before, nothing is done and *dup is 1 (s->e.id is the sheet the
** first POST made).  Refusals in *msg: entry.has_errors (see the cells),
** entry.conflict (someone saved first: the version moved on), entry.exists
** (s->other_id), entry.not_open, entry.closed, entry.not_editable ... */
NEOERR *entry_save(CTX *c, SHEET *s, int submit, const char *token, const char **msg, int *dup);

/* approve (1) or return (0, reason required) at the current step (flow_act) */
NEOERR *entry_decide(CTX *c, long long id, long long version, int approve, const char *reason,
                     const char **msg);
/* a dispatcher opens a closed period again for one unit, with a reason;
** a submitted sheet goes back to the unit as returned */
NEOERR *entry_reopen(CTX *c, const char *form_code, long long unit_id, const char *period_key,
                     const char *reason, const char **msg);

/* the records a lookup cell may choose (active; Own: the unit's) */
NEOERR *entry_options(CTX *c, const SHEET *s, const FFIELD *f, int limit, QREF **out, int *n);

/* today's sheets of every unit the user enters for: one per form the unit
** submits, its current period, state and window */
typedef struct {
  const FORM *f;
  QUNIT unit;
  PERIOD period;
  char key[DAY_KEYSZ];
  FWIN win;
  FWSTATE state;
  long long entry_id;
  const char *status;              /* "" none yet */
  int late;                        /* submitted late, or due and past the cut-off */
} ETODAY;
NEOERR *entry_today(CTX *c, ETODAY **out, int *n, int *due);

/* does the acting user reach every unit with one of caps (a grant with
** scope all, or the operator)?  Lists then need no scope condition */
int entry_reach_all(const CTX *c, unsigned caps);

/* the company calendar (Site.TimeZone, Site.ShiftStarts) */
NEOERR *entry_cal(CTX *c, DAYCAL *cal);
/* a period key from a date (and shift) for a form's period kind */
int entry_period_key(const FORM *f, const DAYCAL *cal, const char *date, int shift, char key[DAY_KEYSZ]);

#endif
