/*
** flow.c -- see flow.h.
*/
#include "flow.h"
#include "conf.h"
#include "entry.h"
#include "err.h"
#include "form.h"
#include "json.h"
#include "log.h"
#include "q_entry.h"
#include "q_user.h"
#include "str.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOTE_MAX 500
#define ADD_MAX  20        /* steps of a sheet, added ones included (nsteps is a TINYINT) */

static const char *const OPS[] = { NULL, "approve", "reject", "back", "transfer", "withdraw", "recall", "add" };

const char *flow_op_name(FLOW_OP op){ return op>=FL_APPROVE && op<=FL_ADD ? OPS[op] : "?"; }

FLOW_OP flow_op(const char *name){
  for(int i=FL_APPROVE; i<=FL_ADD; i++) if( name && strcmp(name, OPS[i])==0 ) return (FLOW_OP)i;
  return 0;
}

/* ------------------------------------------------------------------ */
/* time                                                                */

const char *flow_now(CTX *c){
  char buf[DAY_KEYSZ];
  return arena_strdup(c->arena, day_utc_text(ctx_now(c), buf));
}

/* the company calendar, kept by the worker while the configuration names
** the same zone and shifts (day_cal_conf reads the zone's file) */
static const DAYCAL *calendar(CTX *c){
  static DAYCAL cal;
  static char key[160];
  char now[160];
  snprintf(now, sizeof now, "%s|%s", conf_str(c->conf, "Site.TimeZone", "Asia/Shanghai"),
           conf_str(c->conf, "Site.ShiftStarts", "08:00,20:00"));
  if( strcmp(now, key)!=0 ){
    NEOERR *err = entry_cal(c, &cal);
    if( err ){ nerr_ignore(&err); return NULL; }     /* Site.TimeZone was checked at start */
    snprintf(key, sizeof key, "%s", now);
  }
  return &cal;
}

const char *flow_today(CTX *c){
  char buf[DAY_KEYSZ];
  const DAYCAL *cal = calendar(c);
  if( cal==NULL ) return "1970-01-01";
  return arena_strdup(c->arena, day_ymd_text(day_today(cal, ctx_now(c)), buf));
}

/* now + minutes, as the SQL wants instants */
static const char *after(CTX *c, long minutes){
  char buf[DAY_KEYSZ];
  return arena_strdup(c->arena, day_utc_text(ctx_now(c) + (time_t)minutes * 60, buf));
}

static long default_overdue(CTX *c){
  long h = (long)conf_int(c->conf, "Flow.OverdueHours", 24);
  return (h>0 ? h : 24) * 60;
}

static long returned_minutes(CTX *c){
  long h = (long)conf_int(c->conf, "Flow.ReturnedHours", 24);
  return (h>0 ? h : 24) * 60;
}

/* the deadline of a recorded step from now */
static NEOERR *step_due(CTX *c, long long id, int step, const char **due){
  long m;
  int found;
  NEOERR *err = q_flow_step_overdue(c->db, id, step, &m, &found);
  if( err ) return nerr_pass(err);
  *due = after(c, found && m>0 ? m : default_overdue(c));
  return STATUS_OK;
}

static NEOERR *read(CTX *c, long long id, int lock, QFENTRY *e, int *found){
  return nerr_pass(q_flow_entry(c->db, id, lock, c->user->id, ENTRY_READ, CAP_ENTRY, flow_today(c), flow_now(c),
                                e, found));
}

/* may the user see the sheet at all */
static int visible(CTX *c, const QFENTRY *e){
  return e->in_scope || e->self_ok || e->for_id || e->for_own || e->cc_ok || e->acted
      || e->submitted_by==c->user->id;
}

/* ------------------------------------------------------------------ */
/* the chain in force                                                  */

static const char *const KIND[] = { NULL, "unit", "up", "at" };

NEOERR *flow_chain_check(CTX *c, const FORM *f, FDEF_ERRS *errs){
  NEOERR *err;
  for(int i=0; i<f->nsteps + f->ncc; i++){
    const FSTEP *s = i<f->nsteps ? &f->steps[i] : NULL;
    const char *role = s ? s->role : f->cc[i - f->nsteps];
    int line = s ? s->line : f->chain_line;
    long long id;
    int found;
    if( (err = q_flow_role_id(c->db, role, &id, &found)) ) return nerr_pass(err);
    if( !found && errs->n<FDEF_MAXERR ) errs->e[errs->n++] = (FDEF_ERR){ f->file, line, s ? s->code : "", "chain_role_unknown", role };
    if( !found ) errs->total++;
    /* a unit may come later than the definition (the customer's units are
    ** imported after the first start): said, not refused; until it exists
    ** the form's sheets cannot be submitted (flow.chain_broken) */
    if( s && s->scope==FS_AT ){
      if( (err = q_flow_unit_id(c->db, s->at, &id, &found)) ) return nerr_pass(err);
      if( !found ) log_warn("form %s (%s:%d): step %s names the unit %s, which does not exist (yet); its sheets"
                            " cannot be submitted until it does", f->code, f->file, line, s->code, s->at);
    }
  }
  return STATUS_OK;
}

/* write the chain of f on the sheet; *ok 0 when a role or unit is missing */
static NEOERR *record_chain(CTX *c, const FORM *f, long long id, int *ok){
  NEOERR *err;
  *ok = 0;
  for(int i=0; i<f->nsteps; i++){
    const FSTEP *s = &f->steps[i];
    long long role, unit = 0;
    int found;
    if( (err = q_flow_role_id(c->db, s->role, &role, &found)) ) return nerr_pass(err);
    if( !found ) return STATUS_OK;
    if( s->scope==FS_AT ){
      if( (err = q_flow_unit_id(c->db, s->at, &unit, &found)) ) return nerr_pass(err);
      if( !found ) return STATUS_OK;
    }
    if( (err = q_flow_step_add(c->db, id, i + 1, role, KIND[s->scope], unit, s->label ? s->label : "",
                               s->overdue>0 ? s->overdue : default_overdue(c))) ) return nerr_pass(err);
  }
  for(int i=0; i<f->ncc; i++){
    long long role;
    int found;
    if( (err = q_flow_role_id(c->db, f->cc[i], &role, &found)) ) return nerr_pass(err);
    if( !found ) return STATUS_OK;
    if( (err = q_flow_cc_add(c->db, id, role)) ) return nerr_pass(err);
  }
  *ok = 1;
  return STATUS_OK;
}

NEOERR *flow_submitted(CTX *c, const FORM *f, long long id, const char **status, const char **msg){
  QFENTRY e;
  int found, ok;
  const char *now = flow_now(c);
  NEOERR *err = read(c, id, 0, &e, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(NERR_ASSERT, "flow_submitted: no sheet %lld", id);
  int nsteps = e.nsteps;
  if( nsteps<0 ){
    if( (err = record_chain(c, f, id, &ok)) ) return nerr_pass(err);
    if( !ok ){ *msg = "flow.chain_broken"; return STATUS_OK; }
    nsteps = f->nsteps;
  }
  if( nsteps==0 ){
    /* no chain: final on submit, and what reports count */
    if( (err = q_flow_started(c->db, id, 0, 0, now, NULL)) ) return nerr_pass(err);
    QFMOVE m = { "approved", 0, now, NULL, 0, 1, c->user->id, 0, NULL };
    if( (err = q_flow_move(c->db, id, e.version, &m, &ok)) ) return nerr_pass(err);
    if( !ok ) return nerr_raise(NERR_ASSERT, "flow_submitted: sheet %lld moved under a lock", id);
    if( (err = q_flow_count_this(c->db, id, e.form_id, e.unit_id, e.period_key)) ) return nerr_pass(err);
    *status = "approved";
    if( (err = q_flow_wait_sync(c->db, id)) ) return nerr_pass(err);
  }else{
    const char *due;
    if( (err = step_due(c, id, 1, &due)) ) return nerr_pass(err);
    if( (err = q_flow_started(c->db, id, nsteps, 1, now, due)) ) return nerr_pass(err);
    if( (err = q_flow_wait_sync(c->db, id)) ) return nerr_pass(err);
    *status = "submitted";
  }
  /* a correction keeps the late mark of the revision it corrects */
  if( e.prev_id && (err = q_flow_keep_late(c->db, id, e.prev_id)) ) return nerr_pass(err);
  return nerr_pass(q_flow_action_add(c->db, id, "submit", 0, c->user->id, 0, 0, NULL, now));
}

int flow_final_on_submit(const FORM *f){ return f->nsteps==0 && f->ncc==0; }

NEOERR *flow_submitted_final(CTX *c, long long id){
  /* nothing waits (flow_wait holds submitted sheets only), nothing came
  ** before it (a new sheet is no correction) */
  return nerr_pass(q_flow_action_add(c->db, id, "submit", 0, c->user->id, 0, 0, NULL, flow_now(c)));
}

static NEOERR *adopt_tx(CTX *c, const QFOLD *o, int *done){
  const FORM *f;
  QFENTRY e;
  int found, ok;
  *done = 0;
  NEOERR *err = form_get_id(c, o->form_id, &f);
  if( err || f==NULL ) return nerr_pass(err);
  if( (err = read(c, o->id, 1, &e, &found)) ) return nerr_pass(err);
  if( !found || e.nsteps>=0 || strcmp(e.status, "submitted")!=0 ) return STATUS_OK;    /* moved meanwhile */
  if( (err = record_chain(c, f, o->id, &ok)) ) return nerr_pass(err);
  if( !ok ){ log_warn("flow adopt: the chain of %s is broken; sheet %lld left as it is", f->code, o->id); return STATUS_OK; }
  const char *at = o->submitted_at, *due;
  if( f->nsteps==0 ){
    if( (err = q_flow_started(c->db, o->id, 0, 0, at, NULL)) ) return nerr_pass(err);
    QFMOVE m = { "approved", 0, at, NULL, 0, 1, o->submitted_by, 0, NULL };
    if( (err = q_flow_move(c->db, o->id, e.version, &m, &ok)) ) return nerr_pass(err);
    if( (err = q_flow_count_this(c->db, o->id, e.form_id, e.unit_id, e.period_key)) ) return nerr_pass(err);
  }else{
    time_t t;
    long m;
    char buf[DAY_KEYSZ];
    if( (err = q_flow_step_overdue(c->db, o->id, 1, &m, &found)) ) return nerr_pass(err);
    if( day_utc_parse(at, &t) ) t = ctx_now(c);
    due = arena_strdup(c->arena, day_utc_text(t + (time_t)(found && m>0 ? m : default_overdue(c)) * 60, buf));
    if( (err = q_flow_started(c->db, o->id, f->nsteps, 1, at, due)) ) return nerr_pass(err);
  }
  if( (err = q_flow_wait_sync(c->db, o->id)) ) return nerr_pass(err);
  if( (err = q_flow_action_add(c->db, o->id, "submit", 0, o->submitted_by, 0, 0, NULL, at)) ) return nerr_pass(err);
  JSON j;
  json_open(&j);
  json_str(&j, "form", f->code);
  json_int(&j, "steps", f->nsteps);
  json_end(&j);
  if( (err = ctx_audit(c, "flow.adopt", arena_printf(c->arena, "entry:%lld", o->id), "ok", json_done(&j, c->arena))) )
    return nerr_pass(err);
  *done = 1;
  return STATUS_OK;
}

NEOERR *flow_adopt(CTX *c, int *n){
  *n = 0;
  for(;;){
    QFOLD *v;
    int k, moved = 0;
    NEOERR *err = q_flow_unadopted(c->db, 200, &v, &k);
    if( err ) return nerr_pass(err);
    for(int i=0; i<k; i++){
      int done;
      if( (err = DB_TX(c->db, NULL, adopt_tx(c, &v[i], &done))) ) return nerr_pass(err);
      *n += done;
      moved += done;
    }
    if( k<200 || moved==0 ) return STATUS_OK;
  }
}

/* ------------------------------------------------------------------ */
/* actions                                                             */

typedef struct {
  FLOW_OP op;
  long long id, version, to;
  const char *note;
  FLOW_RES *r;
} ACT;

static void detail_common(JSON *j, const QFENTRY *e){
  json_str(j, "unit", e->unit_code);
  json_str(j, "period", e->period_key);
  json_int(j, "revision", e->revision);
  json_str(j, "status", e->status);
  json_int(j, "step", e->step);
}

/* a refusal: recorded in the audit log (in this transaction), nothing else */
static NEOERR *refuse(CTX *c, const char *action, long long id, const QFENTRY *e, FLOW_RES *r, FLOW_KIND kind,
                      const char *msg, long long version){
  JSON j;
  r->kind = kind;
  r->msg = msg;
  json_open(&j);
  json_str(&j, "refused", msg);
  json_int(&j, "version", version);
  if( e ) detail_common(&j, e);
  if( r->by ) json_str(&j, "first", r->by);
  json_end(&j);
  return nerr_pass(ctx_audit(c, action, arena_printf(c->arena, "entry:%lld", id), "refused", json_done(&j, c->arena)));
}

/* a stale version: who acted first, when and how */
static NEOERR *conflict(CTX *c, const char *action, const QFENTRY *e, FLOW_RES *r, long long version){
  QFLAST l;
  int found;
  NEOERR *err = q_flow_last(c->db, e->id, &l, &found);
  if( err ) return nerr_pass(err);
  if( found ){
    r->by = l.actor_id==c->user->id ? "" : l.actor_name;     /* "": you, a moment ago (a resent form) */
    r->at = l.at;
    r->did = l.action;
  }
  return nerr_pass(refuse(c, action, e->id, e, r, FLOW_CONFLICT, "flow.conflict", version));
}

static NEOERR *act_tx(CTX *c, ACT *a){
  FLOW_RES *r = a->r;
  QFENTRY e;
  int found, ok;
  const char *now = flow_now(c), *action = arena_printf(c->arena, "flow.%s", flow_op_name(a->op));
  long long me = c->user->id;
  memset(r, 0, sizeof *r);
  r->entry_id = a->id;
  NEOERR *err = read(c, a->id, 1, &e, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_pass(refuse(c, action, a->id, NULL, r, FLOW_NOTFOUND, "flow.not_found", a->version));
  r->status = e.status;
  r->step = e.step;
  r->version = e.version;
  if( !visible(c, &e) ) return nerr_pass(refuse(c, action, a->id, &e, r, FLOW_DENIED, "flow.denied", a->version));
  r->form_id = e.form_id;
  r->unit_name = e.unit_name;
  r->period_key = e.period_key;
  if( e.version!=a->version ) return nerr_pass(conflict(c, action, &e, r, a->version));

  QFMOVE m;
  memset(&m, 0, sizeof m);
  m.status = "submitted";
  m.state_at = now;
  long long for_id = 0;
  int step = e.step;                   /* the step the history records */
  const char *note = a->note ? str_trim(c->arena, a->note) : "";
  if( utf8_len(note)>NOTE_MAX ) return nerr_pass(refuse(c, action, a->id, &e, r, FLOW_INPUT, "flow.note_long", a->version));

  switch( a->op ){
    case FL_APPROVE: case FL_REJECT: case FL_BACK: case FL_TRANSFER: case FL_ADD:
      if( strcmp(e.status, "submitted")!=0 || e.step<1 )
        return nerr_pass(refuse(c, action, a->id, &e, r, FLOW_STATE, "flow.not_waiting", a->version));
      if( e.submitted_by==me ) return nerr_pass(refuse(c, action, a->id, &e, r, FLOW_DENIED, "flow.own", a->version));
      if( e.self_ok ) for_id = 0;
      else if( e.for_id ) for_id = e.for_id;
      else if( e.for_own ) return nerr_pass(refuse(c, action, a->id, &e, r, FLOW_DENIED, "flow.own", a->version));
      else if( e.assignee_id && e.assignee_id!=me ){
        r->by = e.assignee_name;
        return nerr_pass(refuse(c, action, a->id, &e, r, FLOW_DENIED, "flow.assigned", a->version));
      }else return nerr_pass(refuse(c, action, a->id, &e, r, FLOW_DENIED, "flow.not_approver", a->version));
      if( a->op!=FL_APPROVE && !*note )
        return nerr_pass(refuse(c, action, a->id, &e, r, FLOW_INPUT, "flow.reason", a->version));
      if( a->op==FL_APPROVE ){
        if( e.step>=e.nsteps ){
          m.status = "approved";
          m.step = 0;
          m.decided = 1;
          m.decided_by = me;
        }else{
          m.step = e.step + 1;
          if( (err = step_due(c, e.id, m.step, &m.due_at)) ) return nerr_pass(err);
        }
      }else if( a->op==FL_REJECT ){
        m.status = "returned";
        m.step = 0;
        m.due_at = after(c, returned_minutes(c));
        m.decided = 1;
        m.decided_by = me;
        m.set_reason = 1;
        m.reason = note;
      }else if( a->op==FL_ADD ){
        /* 加签: this step approves, and the account named approves next */
        int may = 0;
        if( a->to>0 && a->to!=me && a->to!=for_id && a->to!=e.submitted_by
            && (err = q_flow_may_approve(c->db, e.id, a->to, &may)) ) return nerr_pass(err);
        if( !may ) return nerr_pass(refuse(c, action, a->id, &e, r, FLOW_INPUT, "flow.add_target", a->version));
        if( e.nsteps>=ADD_MAX ) return nerr_pass(refuse(c, action, a->id, &e, r, FLOW_STATE, "flow.add_many", a->version));
        if( (err = q_flow_step_insert(c->db, e.id, e.step, a->to, default_overdue(c))) ) return nerr_pass(err);
        m.step = e.step + 1;
        if( (err = step_due(c, e.id, m.step, &m.due_at)) ) return nerr_pass(err);
      }else if( a->op==FL_BACK ){
        if( e.step<=1 ) return nerr_pass(refuse(c, action, a->id, &e, r, FLOW_STATE, "flow.back_first", a->version));
        m.step = e.step - 1;
        if( (err = step_due(c, e.id, m.step, &m.due_at)) ) return nerr_pass(err);
      }else{
        QFUSER *t;
        int nt;
        if( a->to==me || (for_id && a->to==for_id) )
          return nerr_pass(refuse(c, action, a->id, &e, r, FLOW_INPUT, "flow.transfer_self", a->version));
        if( (err = q_flow_approvers(c->db, e.id, a->to, &t, &nt)) ) return nerr_pass(err);
        if( a->to<=0 || nt!=1 ) return nerr_pass(refuse(c, action, a->id, &e, r, FLOW_INPUT, "flow.transfer_target", a->version));
        m.step = e.step;
        m.state_at = e.state_at;       /* the sheet has waited all along */
        m.due_at = e.due_at;
        m.assignee = a->to;
      }
      break;
    case FL_WITHDRAW:
      if( e.submitted_by!=me || !e.entry_scope )
        return nerr_pass(refuse(c, action, a->id, &e, r, FLOW_DENIED, "flow.withdraw_not_submitter", a->version));
      if( strcmp(e.status, "submitted")!=0 || e.step!=1 )
        return nerr_pass(refuse(c, action, a->id, &e, r, FLOW_STATE, "flow.withdraw_late", a->version));
      m.status = "draft";
      m.step = 0;
      break;
    case FL_RECALL: {
      QFLAST l;
      if( strcmp(e.status, "approved")==0 )
        return nerr_pass(refuse(c, action, a->id, &e, r, FLOW_STATE, "flow.recall_final", a->version));
      if( (err = q_flow_last(c->db, e.id, &l, &found)) ) return nerr_pass(err);
      if( strcmp(e.status, "submitted")!=0 || e.step<2 || !found
          || (strcmp(l.action, "approve")!=0 && strcmp(l.action, "add")!=0) || l.actor_id!=me || l.step!=e.step - 1 )
        return nerr_pass(refuse(c, action, a->id, &e, r, FLOW_STATE, "flow.recall_none", a->version));
      /* an approver added by this approval goes with it */
      if( strcmp(l.action, "add")==0 && (err = q_flow_step_remove(c->db, e.id, e.step)) ) return nerr_pass(err);
      m.step = e.step - 1;
      step = m.step;
      if( (err = step_due(c, e.id, m.step, &m.due_at)) ) return nerr_pass(err);
      break;
    }
    default:
      return nerr_raise(ERR_INPUT, "bad_request");
  }

  if( (err = q_flow_move(c->db, e.id, e.version, &m, &ok)) ) return nerr_pass(err);
  if( !ok ) return nerr_pass(conflict(c, action, &e, r, a->version));
  if( (err = q_flow_wait_sync(c->db, e.id)) ) return nerr_pass(err);
  if( strcmp(m.status, "approved")==0 && (err = q_flow_count_this(c->db, e.id, e.form_id, e.unit_id, e.period_key)) )
    return nerr_pass(err);
  if( (err = q_flow_action_add(c->db, e.id, flow_op_name(a->op), step, me, for_id,
                               a->op==FL_TRANSFER || a->op==FL_ADD ? a->to : 0, note, now)) ) return nerr_pass(err);
  JSON j;
  json_open(&j);
  detail_common(&j, &e);
  json_str(&j, "to_status", m.status);
  json_int(&j, "to_step", m.step);
  if( *note ) json_str(&j, a->op==FL_APPROVE ? "comment" : "reason", note);
  if( for_id ){
    ACCOUNT acc;
    if( (err = q_user_by_id(c->db, c->arena, for_id, &acc, &found)) ) return nerr_pass(err);
    json_str(&j, "acting_for", found ? acc.login : "?");
  }
  if( a->op==FL_TRANSFER || a->op==FL_ADD ){
    ACCOUNT acc;
    if( (err = q_user_by_id(c->db, c->arena, a->to, &acc, &found)) ) return nerr_pass(err);
    json_str(&j, "to", found ? acc.login : "?");
  }
  json_end(&j);
  if( (err = ctx_audit(c, action, arena_printf(c->arena, "entry:%lld", e.id), "ok", json_done(&j, c->arena))) )
    return nerr_pass(err);
  r->status = m.status;
  r->step = m.step;
  r->version = e.version + 1;
  return STATUS_OK;
}

NEOERR *flow_act(CTX *c, FLOW_OP op, long long id, long long version, const char *note, long long to_user,
                 FLOW_RES *r){
  if( op<FL_APPROVE || op>FL_ADD ) return nerr_raise(ERR_INPUT, "bad_request");
  ACT a = { op, id, version, to_user, note, r };
  /* every outcome commits: a refusal's audit record is kept */
  return nerr_pass(DB_TX(c->db, NULL, act_tx(c, &a)));
}

/* ------------------------------------------------------------------ */
/* corrections                                                         */

typedef struct {
  long long id, version;
  const char *reason;
  FLOW_RES *r;
} CORR;

static QFCOPY copy_of(ARENA *a, const FORM *f, int part){
  QFCOPY t;
  const FFIELD *fs = part==FP_ROW ? f->rf : f->hf;
  int n = part==FP_ROW ? f->nrf : f->nhf;
  t.table = form_table(a, f, part);
  t.cols = arena_alloc(a, sizeof(char*) * (size_t)(n ? n : 1));
  for(int i=0; i<n; i++) t.cols[i] = fs[i].code;
  t.ncols = n;
  t.rows = part==FP_ROW;
  return t;
}

static NEOERR *correct_tx(CTX *c, CORR *k){
  FLOW_RES *r = k->r;
  QFENTRY e;
  int found, ok;
  const char *now = flow_now(c), *action = "flow.correct";
  memset(r, 0, sizeof *r);
  r->entry_id = k->id;
  NEOERR *err = read(c, k->id, 1, &e, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_pass(refuse(c, action, k->id, NULL, r, FLOW_NOTFOUND, "flow.not_found", k->version));
  r->status = e.status;
  if( !visible(c, &e) ) return nerr_pass(refuse(c, action, k->id, &e, r, FLOW_DENIED, "flow.denied", k->version));
  if( !e.entry_scope || !auth_has(c->user, CAP_ENTRY) )
    return nerr_pass(refuse(c, action, k->id, &e, r, FLOW_DENIED, "flow.correct_denied", k->version));
  if( e.version!=k->version ) return nerr_pass(conflict(c, action, &e, r, k->version));
  if( strcmp(e.status, "approved")!=0 ) return nerr_pass(refuse(c, action, k->id, &e, r, FLOW_STATE, "flow.correct_state", k->version));
  if( !e.cur ) return nerr_pass(refuse(c, action, k->id, &e, r, FLOW_STATE, "flow.correct_old", k->version));
  const char *reason = str_trim(c->arena, k->reason ? k->reason : "");
  if( !*reason || utf8_len(reason)>NOTE_MAX ) return nerr_pass(refuse(c, action, k->id, &e, r, FLOW_INPUT, "flow.reason", k->version));
  const FORM *f;
  if( (err = form_get_id(c, e.form_id, &f)) ) return nerr_pass(err);
  if( f==NULL ) return nerr_raise(ERR_NOTFOUND, "not_found");

  if( (err = q_flow_supersede(c->db, e.id, e.version, &ok)) ) return nerr_pass(err);
  if( !ok ) return nerr_pass(conflict(c, action, &e, r, k->version));
  long long nid;
  if( (err = q_flow_revision_add(c->db, e.id, f->version, c->user->id, now, &nid)) ) return nerr_pass(err);
  if( f->nhf ){
    QFCOPY t = copy_of(c->arena, f, FP_HEADER);
    if( (err = q_flow_copy(c->db, &t, e.id, nid)) ) return nerr_pass(err);
  }
  if( f->nrf ){
    QFCOPY t = copy_of(c->arena, f, FP_ROW);
    if( (err = q_flow_copy(c->db, &t, e.id, nid)) ) return nerr_pass(err);
  }
  if( (err = q_flow_action_add(c->db, nid, "correct", 0, c->user->id, 0, 0, reason, now)) ) return nerr_pass(err);
  /* a closed period is opened again for the unit, so the draft can be saved */
  DAYCAL cal;
  PERIOD p;
  FWIN w;
  int reopened = 0;
  if( (err = entry_cal(c, &cal)) ) return nerr_pass(err);
  if( day_period_parse(&cal, e.period_key, &p)==0 ){
    form_window(f, &cal, &p, &w);
    if( form_state_of(f, &w, ctx_now(c))==FW_CLOSED ){
      if( (err = q_reopen_add(c->db, f->id, e.unit_id, e.period_key, reason, c->user->id, now,
                              conf_int(c->conf, "Entry.ReopenHours", 72))) ) return nerr_pass(err);
      reopened = 1;
    }
  }
  JSON j;
  json_open(&j);
  detail_common(&j, &e);
  json_str(&j, "form", f->code);
  json_int(&j, "new_revision", e.revision + 1);
  json_int(&j, "new_id", nid);
  json_str(&j, "reason", reason);
  if( reopened ) json_int(&j, "reopened", 1);
  json_end(&j);
  if( (err = ctx_audit(c, action, arena_printf(c->arena, "entry:%lld", e.id), "ok", json_done(&j, c->arena))) )
    return nerr_pass(err);
  r->entry_id = nid;
  r->status = "draft";
  r->version = 1;
  return STATUS_OK;
}

NEOERR *flow_correct(CTX *c, long long id, long long version, const char *reason, FLOW_RES *r){
  CORR k = { id, version, reason, r };
  return nerr_pass(DB_TX(c->db, NULL, correct_tx(c, &k)));
}

/* ------------------------------------------------------------------ */
/* what a user sees                                                    */

NEOERR *flow_view(CTX *c, long long id, FLOW_VIEW *v){
  int found;
  long long me = c->user->id;
  memset(v, 0, sizeof *v);
  NEOERR *err = read(c, id, 0, &v->e, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( !visible(c, &v->e) ) return nerr_raise(ERR_DENIED, "denied");
  QFENTRY *e = &v->e;
  int waiting = strcmp(e->status, "submitted")==0 && e->step>=1;
  v->may_act = waiting && e->submitted_by!=me && (e->self_ok || e->for_id);
  v->acting_for = v->may_act && !e->self_ok ? e->for_id : 0;
  v->may_back = v->may_act && e->step>1;
  v->may_withdraw = waiting && e->step==1 && e->submitted_by==me && e->entry_scope;
  v->may_correct = strcmp(e->status, "approved")==0 && e->cur && e->entry_scope && auth_has(c->user, CAP_ENTRY);
  if( waiting && e->step>=2 ){
    QFLAST l;
    if( (err = q_flow_last(c->db, e->id, &l, &found)) ) return nerr_pass(err);
    v->may_recall = found && (strcmp(l.action, "approve")==0 || strcmp(l.action, "add")==0) && l.actor_id==me
                  && l.step==e->step - 1;
  }
  if( v->acting_for ){
    ACCOUNT acc;
    if( (err = q_user_by_id(c->db, c->arena, v->acting_for, &acc, &found)) ) return nerr_pass(err);
    v->for_name = found ? acc.name : "";
  }
  return STATUS_OK;
}

NEOERR *flow_targets(CTX *c, const FLOW_VIEW *v, QFUSER **out, int *n){
  QFUSER *all;
  int na;
  NEOERR *err = q_flow_approvers(c->db, v->e.id, 0, &all, &na);
  if( err ) return nerr_pass(err);
  *out = arena_alloc(c->arena, sizeof(QFUSER) * (size_t)(na + 1));
  *n = 0;
  for(int i=0; i<na; i++){
    if( all[i].id==c->user->id || all[i].id==v->acting_for ) continue;
    (*out)[(*n)++] = all[i];
  }
  return STATUS_OK;
}

NEOERR *flow_sheet(CTX *c, const FLOW_VIEW *v, SHEET *s){
  CTX sys;
  ctx_operator(&sys, c->db, c->arena, c->conf, "flow");
  sys.now = c->now;
  return nerr_pass(entry_load(&sys, v->e.id, ENTRY_READ, s));
}

NEOERR *flow_addable(CTX *c, const FLOW_VIEW *v, QFUSER **out, int *n){
  QFUSER *all;
  int na;
  NEOERR *err = q_flow_addable(c->db, v->e.id, &all, &na);
  if( err ) return nerr_pass(err);
  *out = arena_alloc(c->arena, sizeof(QFUSER) * (size_t)(na + 1));
  *n = 0;
  for(int i=0; i<na; i++){
    if( all[i].id==c->user->id || all[i].id==v->acting_for ) continue;
    (*out)[(*n)++] = all[i];
  }
  return STATUS_OK;
}

/* the cells of a stored sheet as text: header, and rows [n][nrf] */
static const char *cell_text(const FFIELD *f, const ECELL *cl){
  if( f->type==FT_LOOKUP ) return cl->shown && *cl->shown ? cl->shown : cl->raw ? cl->raw : "";
  return cl->raw ? cl->raw : "";
}

NEOERR *flow_diff(CTX *c, const FLOW_VIEW *v, int en, FLOW_DIFF *d){
  memset(d, 0, sizeof *d);
  if( !v->e.prev_id ) return STATUS_OK;
  /* the user may see this sheet (flow_view); its previous revision is read
  ** as the system, whoever reads it now */
  CTX sys;
  SHEET *now = arena_alloc(c->arena, sizeof *now), *old = arena_alloc(c->arena, sizeof *old);
  ctx_operator(&sys, c->db, c->arena, c->conf, "flow");
  sys.now = c->now;
  NEOERR *err = entry_load(&sys, v->e.id, ENTRY_READ, now);
  if( !err ) err = entry_load(&sys, v->e.prev_id, ENTRY_READ, old);
  if( err ) return nerr_pass(err);
  const FORM *f = now->f;
  ARENA *a = c->arena;
  d->has_prev = 1;
  d->prev_id = v->e.prev_id;
  d->prev_revision = old->e.revision;
  d->nh = f->nhf;
  d->h = arena_alloc(a, sizeof(FDCELL) * (size_t)(f->nhf + 1));
  for(int i=0; i<f->nhf; i++){
    FDCELL *x = &d->h[i];
    x->label = en && f->hf[i].label_en ? f->hf[i].label_en : f->hf[i].label;
    x->old = cell_text(&f->hf[i], &old->h[i]);
    x->now = cell_text(&f->hf[i], &now->h[i]);
    x->changed = fdiff_cell(x->old, x->now);
    d->hchanged += x->changed;
  }
  d->ncols = f->nrf;
  d->cols = arena_alloc(a, sizeof(char*) * (size_t)(f->nrf + 1));
  for(int i=0; i<f->nrf; i++) d->cols[i] = en && f->rf[i].label_en ? f->rf[i].label_en : f->rf[i].label;
  const char ***ra = arena_alloc(a, sizeof(char**) * (size_t)(old->nrows + 1));
  const char ***rb = arena_alloc(a, sizeof(char**) * (size_t)(now->nrows + 1));
  for(int r=0; r<old->nrows; r++){
    ra[r] = arena_alloc(a, sizeof(char*) * (size_t)(f->nrf + 1));
    for(int i=0; i<f->nrf; i++) ra[r][i] = cell_text(&f->rf[i], &old->rows[r].c[i]);
  }
  for(int r=0; r<now->nrows; r++){
    rb[r] = arena_alloc(a, sizeof(char*) * (size_t)(f->nrf + 1));
    for(int i=0; i<f->nrf; i++) rb[r][i] = cell_text(&f->rf[i], &now->rows[r].c[i]);
  }
  FDROW *pairs;
  int np = fdiff_rows(a, (const char *const *const *)ra, old->nrows, (const char *const *const *)rb, now->nrows,
                      f->nrf, &pairs);
  d->rows = arena_alloc(a, sizeof(FDLINE) * (size_t)(np + 1));
  for(int k=0; k<np; k++){
    FDLINE *l = &d->rows[d->nrows++];
    l->kind = pairs[k].kind;
    l->old_line = pairs[k].a + 1;
    l->new_line = pairs[k].b + 1;
    l->c = arena_alloc(a, sizeof(FDCELL) * (size_t)(f->nrf + 1));
    for(int i=0; i<f->nrf; i++){
      l->c[i].label = d->cols[i];
      l->c[i].old = pairs[k].a>=0 ? ra[pairs[k].a][i] : "";
      l->c[i].now = pairs[k].b>=0 ? rb[pairs[k].b][i] : "";
      l->c[i].changed = l->kind==FD_CHANGED && fdiff_cell(l->c[i].old, l->c[i].now);
    }
    if( l->kind==FD_CHANGED ) d->changed++;
    else if( l->kind==FD_ADDED ) d->added++;
    else if( l->kind==FD_REMOVED ) d->removed++;
  }
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* the inbox and the portal                                            */

NEOERR *flow_inbox(CTX *c, QINBOX *q, HDF *out, const char *prefix, int *n){
  q->user = c->user->id;
  q->today = flow_today(c);
  q->now = flow_now(c);
  if( q->from==NULL ) q->from = "";
  if( q->to==NULL ) q->to = "";
  if( q->after_at==NULL ) q->after_at = "";
  return nerr_pass(q_flow_inbox(c->db, q, out, prefix, n));
}

NEOERR *flow_inbox_summary(CTX *c, QFSUM **out, int *n){
  return nerr_pass(q_flow_inbox_summary(c->db, c->user->id, flow_today(c), flow_now(c), out, n));
}

NEOERR *flow_portal(CTX *c, FLOW_PORTAL *p){
  memset(p, 0, sizeof *p);
  const char *now = flow_now(c);
  NEOERR *err = q_flow_inbox_count(c->db, c->user->id, flow_today(c), now, &p->waiting, &p->overdue);
  if( err ) return nerr_pass(err);
  if( !auth_has(c->user, CAP_ENTRY) && !auth_has(c->user, CAP_APPROVE) ) return STATUS_OK;
  return nerr_pass(q_flow_returned_count(c->db, c->user->id, CAP_APPROVE, now, &p->returned, &p->returned_late,
                                         &p->team_late));
}

/* ------------------------------------------------------------------ */
/* stand-ins                                                           */

static int date_ok(const char *s){
  int y, m, d;
  char tail;
  return s && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail)==3 && day_ymd_ok(y, m, d) && strlen(s)==10;
}

static long daynum(const char *s){
  int y, m, d;
  sscanf(s, "%4d-%2d-%2d", &y, &m, &d);
  return day_num(y, m, d);
}

typedef struct {
  const char *login, *from, *to, *reason;
  const char **msg;
} SI;

static NEOERR *standin_tx(CTX *c, SI *s){
  ACCOUNT acc;
  int found;
  const char *today = flow_today(c), *now = flow_now(c);
  NEOERR *err = q_user_by_login(c->db, c->arena, s->login, &acc, &found);
  if( err ) return nerr_pass(err);
  if( !found || !acc.active || acc.pw_hash==NULL ){ *s->msg = "flow.si_user"; return STATUS_OK; }
  if( acc.id==c->user->id ){ *s->msg = "flow.si_self"; return STATUS_OK; }
  GRANT *g;
  int ng;
  unsigned caps = 0;
  if( (err = q_user_grants(c->db, c->arena, acc.id, &g, &ng)) ) return nerr_pass(err);
  for(int i=0; i<ng; i++) caps |= g[i].caps;
  if( !(caps & (CAP_APPROVE | CAP_DISPATCH)) ){ *s->msg = "flow.si_not_approver"; return STATUS_OK; }
  long long n;
  if( (err = q_standin_overlap(c->db, c->user->id, s->from, s->to, now, &n)) ) return nerr_pass(err);
  if( n ){ *s->msg = "flow.si_overlap"; return STATUS_OK; }
  long long id;
  if( (err = q_standin_add(c->db, c->user->id, acc.id, s->from, s->to, s->reason, now, &id)) ) return nerr_pass(err);
  (void)today;
  JSON j;
  json_open(&j);
  json_str(&j, "standin", acc.login);
  json_str(&j, "from", s->from);
  json_str(&j, "to", s->to);
  json_str(&j, "reason", s->reason);
  json_end(&j);
  return nerr_pass(ctx_audit(c, "flow.standin", arena_printf(c->arena, "standin:%lld", id), "ok", json_done(&j, c->arena)));
}

NEOERR *flow_standin_add(CTX *c, const char *login, const char *from, const char *to, const char *reason,
                         const char **msg){
  *msg = NULL;
  login = str_trim(c->arena, login ? login : "");
  from = str_trim(c->arena, from ? from : "");
  to = str_trim(c->arena, to ? to : "");
  reason = str_trim(c->arena, reason ? reason : "");
  if( !*login ){ *msg = "flow.si_user"; return STATUS_OK; }
  if( !date_ok(from) || !date_ok(to) || daynum(from)>daynum(to) ){ *msg = "flow.si_dates"; return STATUS_OK; }
  if( daynum(to)<daynum(flow_today(c)) ){ *msg = "flow.si_past"; return STATUS_OK; }
  long max = (long)conf_int(c->conf, "Flow.StandinMaxDays", 90);
  if( daynum(to) - daynum(from) + 1>max ){ *msg = "flow.si_long"; return STATUS_OK; }
  if( utf8_len(reason)>200 ){ *msg = "flow.si_reason_long"; return STATUS_OK; }
  SI s = { login, from, to, reason, msg };
  return nerr_pass(DB_TX(c->db, msg, standin_tx(c, &s)));
}

static NEOERR *standin_end_tx(CTX *c, long long id, const char **msg){
  int ok;
  NEOERR *err = q_standin_end(c->db, id, c->user->id, flow_today(c), flow_now(c), &ok);
  if( err ) return nerr_pass(err);
  if( !ok ){ *msg = "flow.si_not_found"; return STATUS_OK; }
  return nerr_pass(ctx_audit(c, "flow.standin_end", arena_printf(c->arena, "standin:%lld", id), "ok", "{}"));
}

NEOERR *flow_standin_end(CTX *c, long long id, const char **msg){
  *msg = NULL;
  return nerr_pass(DB_TX(c->db, msg, standin_end_tx(c, id, msg)));
}
