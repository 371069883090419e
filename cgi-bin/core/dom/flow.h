/*
** flow.h -- the approval flow: a submitted sheet is not a fact until the
** steps of its form's chain have approved it.
**
** The chain is part of the form's definition (FORM.steps, fdef.c): ordered
** steps, each a role held where the step says relative to the submitting
** unit.  When a sheet is first submitted, the chain in force is recorded on
** it (entry_step, entry_cc), so a later change of the definition does not
** move sheets already under way; a form without steps makes a sheet final
** (approved) when it is submitted.
**
**   draft --submit--> submitted(step 1) --approve--> step 2 ... --approve--> approved
**   submitted(step k) --reject (reason)--> returned --submit--> submitted(step 1)
**   submitted(step k) --back (reason)--> submitted(step k-1)        退回上一步
**   submitted(step k) --transfer (reason)--> step k, one approver   转交
**   submitted(step k) --add X (reason)--> step k approved; X approves next,
**                          a step added for this sheet only            加签
**   submitted(step 1) --withdraw (the submitter)--> draft            撤回
**   submitted(step k+1) --recall (who approved step k, before step k+1
**                          acted)--> submitted(step k)              撤回审批
**   approved --correct (reason)--> a new revision, a draft copied from it,
**                                  through the chain again; reports count
**                                  the latest approved revision (counted)
**
** Who acts: the holders of the step's role whose grant is where the step
** says and whose data scope reaches the submitting unit (in SQL:
** q_flow.c), never the submitter, and nobody for their own submission
** through a stand-in either.  A stand-in named by an approver for a date
** range acts for them, recorded as "acting for"; a stand-in's own
** stand-ins get nothing (no passing on).
**
** Every action is one transaction: the sheet's row is locked, the version
** the page showed must still be the version (else the refusal names who
** acted first), the state and the person are checked, the row moves with a
** conditional UPDATE, the history row and the audit record are written.  A
** refused action is audited too ("refused", with the reason), in the same
** transaction, and changes nothing else.
*/
#ifndef DIAODU_FLOW_H
#define DIAODU_FLOW_H
#include "ctx.h"
#include "fdef.h"
#include "fdiff.h"
#include "entry.h"
#include "q_flow.h"

typedef enum { FL_APPROVE = 1, FL_REJECT, FL_BACK, FL_TRANSFER, FL_WITHDRAW, FL_RECALL, FL_ADD } FLOW_OP;
const char *flow_op_name(FLOW_OP op);            /* approve reject back transfer withdraw recall add */
FLOW_OP flow_op(const char *name);               /* 0 if unknown */

/* what became of an action */
typedef enum { FLOW_OK = 0, FLOW_INPUT, FLOW_DENIED, FLOW_NOTFOUND, FLOW_CONFLICT, FLOW_STATE } FLOW_KIND;
typedef struct {
  FLOW_KIND kind;
  const char *msg;                 /* Lang key of the refusal; NULL when done */
  const char *by, *at, *did;       /* flow.conflict: who acted first, when (UTC), what (action name) */
  const char *status;              /* the sheet's status after it */
  int step;                        /* the step now waiting (0 none) */
  long long entry_id;              /* the sheet; after a correction the new revision */
  long long version;               /* the sheet's version after it */
  long long form_id;               /* what the sheet is (0: not found) */
  const char *unit_name, *period_key;
} FLOW_RES;

/* one action on a sheet at the version the page showed.  note: 审批意见
** (approve, optional) or the reason (reject, back, transfer, add:
** required); to_user: the transfer's target, or the approver added */
NEOERR *flow_act(CTX *c, FLOW_OP op, long long id, long long version, const char *note, long long to_user,
                 FLOW_RES *r);
/* 更正: an approved current revision gets a successor, a draft copied from
** it (r->entry_id), with the reason in its history; the period is reopened
** for the unit when its window has closed, so the draft can be saved */
NEOERR *flow_correct(CTX *c, long long id, long long version, const char *reason, FLOW_RES *r);

/* entry.c's submit, inside its transaction: record the chain in force the
** first time, start it (or make the sheet final); *status the sheet's
** status now; *msg flow.chain_broken when a role or unit of the chain is
** missing (the submit is refused) */
NEOERR *flow_submitted(CTX *c, const FORM *f, long long entry_id, const char **status, const char **msg);
/* a new sheet whose submit is final at once: its form has no chain and
** informs nobody.  entry.c then inserts the sheet's row approved and
** counted (q_entry_create, `final`) -- what flow_submitted would have
** moved it to -- and calls flow_submitted_final for the rest: the history */
int flow_final_on_submit(const FORM *f);
NEOERR *flow_submitted_final(CTX *c, long long entry_id);
/* sheets submitted before the flow existed join it: the chain of their
** form now, waiting at step 1 since they were submitted (or approved when
** the form has none); the server operator runs it (./diaodu on start);
** *n the sheets adopted */
NEOERR *flow_adopt(CTX *c, int *n);
/* the chain's roles exist (form_apply, with file and line); a unit that
** does not exist (yet) is logged as a warning */
NEOERR *flow_chain_check(CTX *c, const FORM *f, FDEF_ERRS *errs);

/* a sheet as the user may see it and what they may do with it
** (ERR_NOTFOUND, ERR_DENIED when they may not even see it) */
typedef struct {
  QFENTRY e;
  int may_act, may_back, may_withdraw, may_recall, may_correct;
  long long acting_for;            /* may_act as a stand-in for this approver */
  const char *for_name;
} FLOW_VIEW;
NEOERR *flow_view(CTX *c, long long id, FLOW_VIEW *v);
/* the sheet's cells (entry.h) for a user flow_view() let see it: read as
** the system, so a stand-in or an informed role without a data scope of
** its own sees the sheet it acts on */
NEOERR *flow_sheet(CTX *c, const FLOW_VIEW *v, SHEET *s);
/* the accounts a sheet may be transferred to (its current step's other
** approvers), and those that may be added after the current step (加签) */
NEOERR *flow_targets(CTX *c, const FLOW_VIEW *v, QFUSER **out, int *n);
NEOERR *flow_addable(CTX *c, const FLOW_VIEW *v, QFUSER **out, int *n);

/* what changed since the previous revision */
typedef struct {
  const char *label;
  const char *old, *now;
  int changed;
} FDCELL;
typedef struct {
  FDKIND kind;
  int old_line, new_line;          /* 1-based, 0 absent */
  FDCELL *c;                       /* one per row field */
} FDLINE;
typedef struct {
  int has_prev;
  long long prev_id;
  int prev_revision;
  FDCELL *h;                       /* header fields */
  int nh;
  const char **cols;               /* row field labels */
  int ncols;
  FDLINE *rows;
  int nrows;
  int changed, added, removed;     /* counts of rows */
  int hchanged;                    /* header fields changed */
} FLOW_DIFF;
/* the sheet's values against the revision it corrects (v from flow_view) */
NEOERR *flow_diff(CTX *c, const FLOW_VIEW *v, int en, FLOW_DIFF *d);

/* the inbox (待我审批): q fills filters and paging; user, today, now are set here */
NEOERR *flow_inbox(CTX *c, QINBOX *q, HDF *out, const char *prefix, int *n);
/* by form and unit, with counts (q_flow.h) */
NEOERR *flow_inbox_summary(CTX *c, QFSUM **out, int *n);

/* the portal's reminders */
typedef struct {
  long long waiting, overdue;      /* 待我审批, past due */
  long long returned, returned_late;   /* my submissions returned, not fixed in time */
  long long team_late;             /* returned sheets of units I head, not fixed in time */
} FLOW_PORTAL;
NEOERR *flow_portal(CTX *c, FLOW_PORTAL *p);

/* stand-ins: the acting user names one (login) for [from, to] (company
** dates); refusals in *msg (flow.si_*) */
NEOERR *flow_standin_add(CTX *c, const char *login, const char *from, const char *to, const char *reason,
                         const char **msg);
NEOERR *flow_standin_end(CTX *c, long long id, const char **msg);

/* the company's date and the instant of the action, as the SQL wants them */
const char *flow_today(CTX *c);
const char *flow_now(CTX *c);

#endif
