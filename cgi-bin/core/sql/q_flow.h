/*
** q_flow.h -- the SQL of the approval flow (dom/flow.c): a sheet's place in
** its chain, the chain in force (entry_step), the roles informed
** (entry_cc), the history (entry_action), stand-ins (flow_standin), the
** inbox (待我审批), the lists of returned and informed sheets, and the copy
** of a sheet's data into a new revision (更正).
**
** Who may act on a sheet is decided in SQL, never by filtering in C: a
** grant g qualifies for the sheet's current step s when it is of the
** step's role, held where the step says (the submitting unit itself; it or
** a unit above it; a named unit), its data scope reaches the submitting
** unit, its account is active, and the sheet is not transferred to someone
** else.  The acting user qualifies through their own grants, or as a
** stand-in through the grants of an approver whose stand-in they are on
** that company date (one level: a stand-in's own stand-ins get nothing).
** The inbox goes the other way round: from the reader's grants to the
** sheets through the work queue flow_wait (one row per waiting sheet), so
** it reads what waits for the reader, not every waiting sheet.
** Times are UTC "YYYY-MM-DD HH:MM:SS" from the domain's clock; `today` is
** the company's date "YYYY-MM-DD".
*/
#ifndef DIAODU_Q_FLOW_H
#define DIAODU_Q_FLOW_H
#include "db.h"

/* a sheet as the flow sees it, and as the acting user may touch it */
typedef struct {
  long long id, form_id, unit_id, version;
  const char *unit_code, *unit_name, *unit_path, *period_key, *period_start, *status;
  int revision, cur, counted, step, nsteps, late;   /* nsteps -1: chain not recorded */
  long long submitted_by, assignee_id, prev_id;
  const char *state_at, *due_at, *submitted_at, *decided_at;
  const char *submitted_name, *assignee_name, *reason;
  const char *step_label;
  int in_scope;                    /* ENTRY_READ reaches the unit */
  int entry_scope;                 /* CAP_ENTRY reaches the unit */
  int self_ok;                     /* the user's own grant qualifies for the current step */
  long long for_id;                /* else the approver (not the submitter) the user stands in for, 0 none */
  int for_own;                     /* an approver the user stands in for qualifies, but submitted it */
  int cc_ok;                       /* a role of the user is informed and reaches the unit */
  int acted;                       /* the user acted on it before */
} QFENTRY;

/* an account, as lists of approvers show it */
typedef struct { long long id; const char *login, *name; } QFUSER;

/* one sheet by id; lock: FOR UPDATE (inside a transaction) */
NEOERR *q_flow_entry(DB *db, long long id, int lock, long long user, unsigned read_caps, unsigned entry_caps,
                     const char *today, const char *now, QFENTRY *e, int *found);

/* ---- the chain in force ---- */
NEOERR *q_flow_role_id(DB *db, const char *code, long long *id, int *found);
NEOERR *q_flow_unit_id(DB *db, const char *code, long long *id, int *found);   /* active units only */
NEOERR *q_flow_step_add(DB *db, long long entry_id, int step, long long role_id, const char *at_kind,
                        long long at_unit_id, const char *label, long overdue_min);
NEOERR *q_flow_cc_add(DB *db, long long entry_id, long long role_id);
/* the overdue minutes of a recorded step (*found 0: no such step) */
NEOERR *q_flow_step_overdue(DB *db, long long entry_id, int step, long *minutes, int *found);
/* the steps recorded: step, role name (zh, en), label, at_kind, unit name */
NEOERR *q_flow_steps_hdf(DB *db, long long entry_id, HDF *out, const char *prefix, int *n);

/* ---- moving a sheet ---- */
/* after a submit (same transaction as the save, no version change):
** nsteps recorded, waiting at step 1 (or none), since `at` until `due` */
NEOERR *q_flow_started(DB *db, long long id, int nsteps, int step, const char *at, const char *due);
/* the conditional move of every action: where the version still is
** `version`; version + 1.  decided: also set decided_by/at (approve, reject);
** reason: set the reason (reject) or clear it (NULL with set_reason). */
typedef struct {
  const char *status;
  int step;
  const char *state_at, *due_at;   /* due NULL: none */
  long long assignee;              /* 0: none */
  int decided;
  long long decided_by;
  int set_reason;
  const char *reason;
} QFMOVE;
NEOERR *q_flow_move(DB *db, long long id, long long version, const QFMOVE *m, int *ok);
/* 加签: a step for one account after step `after` (later steps move up
** one, nsteps + 1), and its removal when the approval is recalled */
NEOERR *q_flow_step_insert(DB *db, long long entry_id, int after, long long user_id, long overdue_min);
NEOERR *q_flow_step_remove(DB *db, long long entry_id, int step);
/* may the account approve sheets of the sheet's unit (an approving grant
** whose scope reaches it, active and activated) */
NEOERR *q_flow_may_approve(DB *db, long long entry_id, long long user, int *ok);
/* the accounts that may be added (加签) to a sheet: those, but not its submitter */
NEOERR *q_flow_addable(DB *db, long long entry_id, QFUSER **out, int *n);
/* the work queue (flow_wait) after any move: the sheet's row when it
** waits at a step, none otherwise */
NEOERR *q_flow_wait_sync(DB *db, long long id);
/* the revision reports count: this one, no other of its form, unit and period */
/* no sheet of the form, unit and period counted any more */
NEOERR *q_flow_count_clear(DB *db, long long form_id, long long unit_id, const char *period_key);
NEOERR *q_flow_count_this(DB *db, long long id, long long form_id, long long unit_id, const char *period_key);
/* the late mark of the revision a correction started from */
NEOERR *q_flow_keep_late(DB *db, long long id, long long prev_id);
NEOERR *q_flow_action_add(DB *db, long long entry_id, const char *action, int step, long long actor,
                          long long for_id, long long to_id, const char *note, const char *at);

/* the last action on a sheet: *found 0 when none */
typedef struct {
  const char *action, *at, *actor_name, *actor_login;
  int step;
  long long actor_id;
} QFLAST;
NEOERR *q_flow_last(DB *db, long long entry_id, QFLAST *l, int *found);

/* the history: <prefix>.<i>.{action,step,label,at,note,actor,actor_login,
** for_name,for_login,to_name,to_login} */
NEOERR *q_flow_history_hdf(DB *db, long long entry_id, HDF *out, const char *prefix, int *n);
/* every revision of a sheet's form, unit and period: id revision status counted cur */
NEOERR *q_flow_revisions_hdf(DB *db, long long form_id, long long unit_id, const char *period_key,
                             HDF *out, const char *prefix, int *n);

/* the accounts whose grants qualify for the sheet's current step (the
** submitter and, unless with_assigned, the transfer ignored); only_user:
** just that account (0: all), for checking a transfer's target */
NEOERR *q_flow_approvers(DB *db, long long entry_id, long long only_user, QFUSER **out, int *n);

/* ---- the inbox ---- */
typedef struct {
  long long user;
  const char *today, *now;
  long long form_id, unit_id;      /* 0: all; unit: it and below */
  const char *from, *to;           /* period_start range, "" open */
  const char *after_at;            /* keyset: state_at of the last row shown, "" first page */
  long long after_id;
  int limit;
} QINBOX;
/* rows oldest first: id version form_code form_name form_name_en unit_id
** unit_code unit_name period_key period_start revision step nsteps label
** state_at due_at overdue submitted_at submitter self for_name */
NEOERR *q_flow_inbox(DB *db, const QINBOX *q, HDF *out, const char *prefix, int *n);
/* waiting for the user and overdue among them */
NEOERR *q_flow_inbox_count(DB *db, long long user, const char *today, const char *now, long long *waiting,
                           long long *overdue);
/* what waits for the user by form and unit: counts and overdue (the
** inbox's filters and totals from one query), by form code, unit path */
typedef struct {
  long long form_id, unit_id, n, overdue;
  const char *form_code, *form_name, *form_name_en, *unit_code, *unit_name;
} QFSUM;
NEOERR *q_flow_inbox_summary(DB *db, long long user, const char *today, const char *now, QFSUM **out, int *n);
/* EXPLAIN of the inbox query (docs and bench): one row per table */
NEOERR *q_flow_inbox_explain(DB *db, const QINBOX *q, HDF *out, const char *prefix, int *n);

/* returned sheets the user must see: submitted by them, or of units their
** CAP_APPROVE grants reach; *late: those past due_at */
NEOERR *q_flow_returned_count(DB *db, long long user, unsigned caps, const char *now, long long *mine,
                              long long *mine_late, long long *theirs_late);
NEOERR *q_flow_returned_hdf(DB *db, long long user, unsigned caps, const char *now, int limit, HDF *out,
                            const char *prefix, int *n);
/* approved sheets a role of the user is informed of, newest first
** (keyset: entry id below after_id, 0 first page) */
NEOERR *q_flow_cc_hdf(DB *db, long long user, long long after_id, int limit, HDF *out, const char *prefix, int *n);

/* ---- corrections ---- */
/* supersede the approved current revision (cur NULL, version + 1) */
NEOERR *q_flow_supersede(DB *db, long long id, long long version, int *ok);
/* the new revision, a draft copied from it; *new_id */
NEOERR *q_flow_revision_add(DB *db, long long from_id, int form_version, long long user, const char *at,
                            long long *new_id);
/* copy a sheet's stored values (the columns named, checked) to another */
typedef struct { const char *table; const char **cols; int ncols; int rows; } QFCOPY;
NEOERR *q_flow_copy(DB *db, const QFCOPY *t, long long from_id, long long to_id);

/* sheets submitted before the flow existed (no chain recorded): id,
** form_id, submitted_by, submitted_at; at most limit */
typedef struct { long long id, form_id, submitted_by; const char *submitted_at; } QFOLD;
NEOERR *q_flow_unadopted(DB *db, int limit, QFOLD **out, int *n);

/* ---- stand-ins ---- */
NEOERR *q_standin_add(DB *db, long long user, long long standin, const char *from, const char *to,
                      const char *reason, const char *at, long long *id);
/* delegations of user not ended that overlap [from, to] */
NEOERR *q_standin_overlap(DB *db, long long user, const char *from, const char *to, const char *now, long long *n);
NEOERR *q_standin_end(DB *db, long long id, long long user, const char *today, const char *at, int *ok);
/* given (user_id = user) and received (standin_id = user), not ended and
** not over: <prefix>.<i>.{id,login,name,from,to,reason,active} */
NEOERR *q_standin_hdf(DB *db, long long user, int received, const char *today, const char *now, HDF *out,
                      const char *prefix, int *n);

#endif
