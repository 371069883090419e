/*
** approval.c -- the approval executable (审批, /approval/): the inbox
** (待我审批: oldest first, overdue marked, filters, keyset pages, approving
** several at once), a sheet as its approver sees it (the data, what
** changed since the previous revision, the chain, the history, and the
** actions the user may take: approve, return, back, transfer, 加签, recall),
** the submitter's withdrawal, corrections
** (更正), returned sheets not yet fixed, sheets the user is informed of
** (抄送), and stand-ins (代理人).
**
** Routes and thin handlers only: who may act, the states, the versions and
** the audit records are the domain's (dom/flow.c); the inbox and every
** qualification are SQL (sql/q_flow.c).  Acting needs CAP_APPROVE or
** CAP_DISPATCH (the route table); withdrawing and correcting CAP_ENTRY;
** reading a sheet any business capability plus the flow's own check.
*/
#include "app.h"
#include "err.h"
#include "hset.h"
#include "inbox.h"
#include "sheet.h"
#include "str.h"
#include "view.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 50
#define BATCH_MAX 100

static long long num(REQ *r, const char *name){
  const char *v = req_param(r, name);
  if( v==NULL || *v==0 ) return 0;
  char *end;
  long long n = strtoll(v, &end, 10);
  if( *end || n<0 ) return -1;
  return n;
}

static void set(REQ *r, const char *name, const char *value){
  hset_str(req_hdf(r), name, value ? value : "");
}

static int date_ok(const char *s){
  int y, m, d;
  char tail;
  return s && strlen(s)==10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail)==3 && day_ymd_ok(y, m, d);
}

static int en(REQ *r){ return strcmp(view_lang(r), "en")==0; }

/* a form's name in the request's language */
static const char *form_name(REQ *r, HDF *row){
  const char *e = hdf_get_value(row, "form_name_en", NULL);
  return en(r) && e && *e ? e : hdf_get_value(row, "form_name", "");
}

/* a period's label from its key; the calendar is read once per worker (a
** changed configuration comes with new workers: SIGHUP recycles them) */
static const char *period_label(REQ *r, const char *key){
  static DAYCAL cal;
  static int have;
  PERIOD p;
  if( !have ){
    NEOERR *err = day_cal_conf(&cal, req_conf(r));
    if( err ){ nerr_ignore(&err); return key ? key : ""; }
    have = 1;
  }
  if( key==NULL || day_period_parse(&cal, key, &p) ) return key ? key : "";
  return sheet_period_label(r, &p);
}

/* the status of a refusal */
static int status_of(FLOW_KIND k){
  switch( k ){
    case FLOW_OK: return 200;
    case FLOW_INPUT: return 400;
    case FLOW_DENIED: return 403;
    case FLOW_NOTFOUND: return 404;
    default: return 409;
  }
}

/* ------------------------------------------------------------------ */
/* the inbox                                                           */

static NEOERR *inbox(REQ *r){
  HDF *h = req_hdf(r);
  QINBOX q;
  NEOERR *err;
  int n;
  memset(&q, 0, sizeof q);
  q.form_id = num(r, "form");
  q.unit_id = num(r, "unit");
  if( q.form_id<0 || q.unit_id<0 ) return nerr_raise(ERR_INPUT, "bad_request");
  const char *from = req_query(r, "from"), *to = req_query(r, "to"), *after = req_query(r, "after");
  q.from = from && *from ? from : "";
  q.to = to && *to ? to : "";
  if( (*q.from && !date_ok(q.from)) || (*q.to && !date_ok(q.to)) ){
    view_set_text(r, "Form.Error", "entry.bad_date");
    q.from = q.to = "";
  }
  q.after_at = "";
  if( after && *after ){
    /* the keyset: "<state_at>_<id>" of the last row shown */
    const char *us = strrchr(after, '_');
    time_t t;
    if( us==NULL || us - after!=19 ) return nerr_raise(ERR_INPUT, "bad_request");
    q.after_at = arena_strndup(req_arena(r), after, 19);
    q.after_id = atoll(us + 1);
    if( day_utc_parse(q.after_at, &t) || q.after_id<=0 ) return nerr_raise(ERR_INPUT, "bad_request");
  }
  q.limit = PAGE + 1;
  if( (err = flow_inbox(app_ctx(r), &q, h, "List", &n)) ) return nerr_pass(err);
  int i = 0;
  for(HDF *c = hdf_get_child(h, "List"); c; c = hdf_obj_next(c), i++){
    if( i==PAGE ){
      hdf_remove_tree(h, arena_printf(req_arena(r), "List.%d", PAGE));
      break;
    }
    hset_str(c, "form", form_name(r, c));
    hset_str(c, "period_label", period_label(r, hdf_get_value(c, "period_key", NULL)));
    hset_str(c, "waiting_local", app_local_time(r, hdf_get_value(c, "state_at", NULL)));
    hset_str(c, "submitted_local", app_local_time(r, hdf_get_value(c, "submitted_at", NULL)));
    if( i==PAGE - 1 && n>PAGE ){
      const char *at = hdf_get_value(c, "state_at", "");
      set(r, "Next", arena_printf(req_arena(r), "%s_%s", at, hdf_get_value(c, "id", "")));
    }
  }
  /* the filters' forms and units and the totals, from one query */
  QFSUM *sum;
  int ns, nf = 0, nu = 0;
  long long waiting = 0, overdue = 0;
  if( (err = flow_inbox_summary(app_ctx(r), &sum, &ns)) ) return nerr_pass(err);
  long long *units = arena_alloc(req_arena(r), sizeof(long long) * (size_t)(ns + 1));
  long long *un = arena_alloc(req_arena(r), sizeof(long long) * (size_t)(ns + 1));
  for(int k=0; k<ns; k++){
    waiting += sum[k].n;
    overdue += sum[k].overdue;
    if( k==0 || sum[k].form_id!=sum[k - 1].form_id ){
      long long fn = 0;
      for(int j=k; j<ns && sum[j].form_id==sum[k].form_id; j++) fn += sum[j].n;
      hset_fmt(h, "Forms.%d.id=%lld", nf, sum[k].form_id);
      hset_fmt(h, "Forms.%d.name=%s", nf, en(r) && sum[k].form_name_en && *sum[k].form_name_en ? sum[k].form_name_en : sum[k].form_name);
      hset_fmt(h, "Forms.%d.n=%lld", nf, fn);
      nf++;
    }
    int seen = -1;
    for(int j=0; j<nu && seen<0; j++) if( units[j]==sum[k].unit_id ) seen = j;
    if( seen<0 ){
      units[nu] = sum[k].unit_id;
      un[nu] = 0;
      hset_fmt(h, "Units.%d.id=%lld", nu, sum[k].unit_id);
      hset_fmt(h, "Units.%d.name=%s", nu, sum[k].unit_name);
      seen = nu++;
    }
    un[seen] += sum[k].n;
    hset_fmt(h, "Units.%d.n=%lld", seen, un[seen]);
  }
  hset_int(h, "Flow.waiting", waiting);
  hset_int(h, "Flow.overdue", overdue);
  hset_int(h, "Filter.form", q.form_id);
  hset_int(h, "Filter.unit", q.unit_id);
  set(r, "Filter.from", q.from);
  set(r, "Filter.to", q.to);
  set(r, "Filter.after", after);
  view_set_text(r, "Page.Title", "flow.title");
  return nerr_pass(app_page(r, "approval_home"));
}

/* approve every row checked, each on its own: one refusal does not undo
** the others; the page lists what became of each */
static NEOERR *batch(REQ *r){
  HDF *h = req_hdf(r);
  CTX *c = app_ctx(r);
  const char *note = req_form(r, "note");
  int n = req_rows(r, "row"), picked = 0, ok = 0, bad = 0;
  NEOERR *err;
  for(int i=0; i<n; i++){
    const char *pick = req_row(r, "row", i, "pick");
    if( pick==NULL || strcmp(pick, "1")!=0 ) continue;
    const char *ids = req_row(r, "row", i, "id"), *vs = req_row(r, "row", i, "v");
    char *e1, *e2;
    long long id = ids ? strtoll(ids, &e1, 10) : 0, v = vs ? strtoll(vs, &e2, 10) : 0;
    if( !ids || !vs || *e1 || *e2 || id<=0 || v<=0 ) return nerr_raise(ERR_INPUT, "bad_request");
    if( ++picked>BATCH_MAX ) return nerr_raise(ERR_INPUT, "bad_request");
    FLOW_RES res;
    if( (err = flow_act(c, FL_APPROVE, id, v, note, 0, &res)) ) return nerr_pass(err);
    HDF *row;
    if( (err = hdf_get_node(h, arena_printf(req_arena(r), "Done.%d", picked - 1), &row)) ) return nerr_pass(err);
    hset_int(row, "id", id);
    if( res.form_id ){
      const FORM *f;
      if( (err = form_get_id(c, res.form_id, &f)) ) return nerr_pass(err);
      hset_str(row, "form", f ? (en(r) && f->name_en ? f->name_en : f->name) : "");
      hset_str(row, "unit", res.unit_name ? res.unit_name : "");
      hset_str(row, "period", period_label(r, res.period_key));
    }
    if( res.msg ){
      bad++;
      hset_str(row, "error", inbox_refusal(r, &res));
    }else{
      ok++;
      hset_str(row, "status", res.status);
      hset_int(row, "step", res.step);
    }
  }
  if( picked==0 ){
    view_set_text(r, "Form.Error", "flow.batch_none");
    req_set_status(r, 400);
    return nerr_pass(inbox(r));
  }
  hset_int(h, "Batch.ok", ok);
  hset_int(h, "Batch.bad", bad);
  char okt[24], badt[24];
  snprintf(okt, sizeof okt, "%d", ok);
  snprintf(badt, sizeof badt, "%d", bad);
  static const char *const k[] = { "ok", "bad" };
  const char *vals[] = { okt, badt };
  set(r, "Batch.summary", inbox_text(r, "flow.batch_summary", 2, k, vals));
  view_set_text(r, "Page.Title", "flow.batch_title");
  return nerr_pass(app_page(r, "approval_batch"));
}

/* ------------------------------------------------------------------ */
/* one sheet                                                           */

static void diff_hdf(REQ *r, const FLOW_DIFF *d){
  HDF *h = req_hdf(r);
  static const char *const KIND[] = { "same", "changed", "added", "removed" };
  hset_int(h, "Diff.prev_id", d->prev_id);
  hset_int(h, "Diff.prev_revision", d->prev_revision);
  hset_int(h, "Diff.changed", d->changed);
  hset_int(h, "Diff.added", d->added);
  hset_int(h, "Diff.removed", d->removed);
  hset_int(h, "Diff.hchanged", d->hchanged);
  for(int i=0, k=0; i<d->nh; i++){
    if( !d->h[i].changed ) continue;
    hset_fmt(h, "Diff.H.%d.label=%s", k, d->h[i].label);
    hset_fmt(h, "Diff.H.%d.old=%s", k, d->h[i].old);
    hset_fmt(h, "Diff.H.%d.now=%s", k, d->h[i].now);
    k++;
  }
  for(int i=0; i<d->ncols; i++) hset_fmt(h, "Diff.Cols.%d=%s", i, d->cols[i]);
  for(int k=0; k<d->nrows; k++){
    const FDLINE *l = &d->rows[k];
    hset_fmt(h, "Diff.Rows.%d.kind=%s", k, KIND[l->kind]);
    hset_fmt(h, "Diff.Rows.%d.old_line=%d", k, l->old_line);
    hset_fmt(h, "Diff.Rows.%d.new_line=%d", k, l->new_line);
    for(int i=0; i<d->ncols; i++){
      hset_fmt(h, "Diff.Rows.%d.c.%d.old=%s", k, i, l->c[i].old);
      hset_fmt(h, "Diff.Rows.%d.c.%d.now=%s", k, i, l->c[i].now);
      if( l->c[i].changed ) hset_fmt(h, "Diff.Rows.%d.c.%d.changed=1", k, i);
    }
  }
}

static NEOERR *entry_page(REQ *r, long long id, int status){
  CTX *c = app_ctx(r);
  HDF *h = req_hdf(r);
  FLOW_VIEW v;
  SHEET s;
  FLOW_DIFF d;
  int n;
  NEOERR *err = flow_view(c, id, &v);
  if( !err ) err = flow_sheet(c, &v, &s);
  if( !err ) err = sheet_hdf(r, &s, 0);
  if( err ) return nerr_pass(err);
  const QFENTRY *e = &v.e;
  hset_int(h, "Flow.id", e->id);
  hset_int(h, "Flow.version", e->version);
  hset_int(h, "Flow.revision", e->revision);
  hset_int(h, "Flow.step", e->step);
  hset_int(h, "Flow.nsteps", e->nsteps<0 ? 0 : e->nsteps);
  hset_int(h, "Flow.cur", e->cur);
  hset_int(h, "Flow.counted", e->counted);
  if( e->step_label ) set(r, "Flow.step_label", e->step_label);
  if( e->state_at ) set(r, "Flow.since", app_local_time(r, e->state_at));
  if( e->due_at ){
    time_t t;
    set(r, "Flow.due", app_local_time(r, e->due_at));
    if( day_utc_parse(e->due_at, &t)==0 && t<=ctx_now(c) ) hset_int(h, "Flow.late", 1);
  }
  if( e->assignee_name ) set(r, "Flow.assignee", e->assignee_name);
  hset_int(h, "May.act", v.may_act);
  hset_int(h, "May.back", v.may_back);
  hset_int(h, "May.withdraw", v.may_withdraw);
  hset_int(h, "May.recall", v.may_recall);
  hset_int(h, "May.correct", v.may_correct);
  hset_int(h, "May.view", e->in_scope);
  hset_int(h, "May.edit", (strcmp(e->status, "draft")==0 || strcmp(e->status, "returned")==0)
                          && e->entry_scope && auth_has(app_user(r), CAP_ENTRY));
  if( v.for_name ) set(r, "Flow.acting_for", v.for_name);
  if( v.may_act ){
    QFUSER *t;
    int nt;
    if( (err = flow_targets(c, &v, &t, &nt)) ) return nerr_pass(err);
    for(int i=0; i<nt; i++){
      hset_fmt(h, "Targets.%d.id=%lld", i, t[i].id);
      hset_fmt(h, "Targets.%d.label=%s (%s)", i, t[i].name, t[i].login);
    }
    if( (err = flow_addable(c, &v, &t, &nt)) ) return nerr_pass(err);
    for(int i=0; i<nt; i++){
      hset_fmt(h, "Addable.%d.id=%lld", i, t[i].id);
      hset_fmt(h, "Addable.%d.label=%s (%s)", i, t[i].name, t[i].login);
    }
  }
  if( (err = q_flow_steps_hdf(c->db, e->id, h, "Steps", &n)) ) return nerr_pass(err);
  if( (err = q_flow_history_hdf(c->db, e->id, h, "History", &n)) ) return nerr_pass(err);
  for(HDF *x = hdf_get_child(h, "History"); x; x = hdf_obj_next(x))
    hset_str(x, "at_local", app_local_time(r, hdf_get_value(x, "at", NULL)));
  if( (err = q_flow_revisions_hdf(c->db, e->form_id, e->unit_id, e->period_key, h, "Revisions", &n)) ) return nerr_pass(err);
  if( (err = flow_diff(c, &v, en(r), &d)) ) return nerr_pass(err);
  if( d.has_prev ) diff_hdf(r, &d);
  const char *ok = req_query(r, "ok");
  if( ok && status==200 && (flow_op(ok) || strcmp(ok, "correct")==0) )
    view_set_text(r, "Form.Notice", arena_printf(req_arena(r), "flow.done.%s", ok));
  req_set_status(r, status);
  view_set_text(r, "Page.Title", "flow.title_entry");
  return nerr_pass(app_page(r, "approval_entry"));
}

static NEOERR *show(REQ *r){
  long long id = num(r, "id");
  if( id<=0 ) return nerr_raise(ERR_INPUT, "bad_request");
  return nerr_pass(entry_page(r, id, 200));
}

/* after an action: the sheet again (303), or the refusal on it */
static NEOERR *outcome(REQ *r, long long id, const FLOW_RES *res, const char *done){
  if( res->msg==NULL ){
    req_redirect(r, arena_printf(req_arena(r), "/approval/entry?id=%lld&ok=%s", res->entry_id ? res->entry_id : id, done));
    return STATUS_OK;
  }
  if( res->kind==FLOW_NOTFOUND ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( res->kind==FLOW_DENIED && strcmp(res->msg, "flow.denied")==0 ) return nerr_raise(ERR_DENIED, "denied");
  set(r, "Form.Error", inbox_refusal(r, res));
  set(r, "Form.note", req_form(r, "note"));
  return nerr_pass(entry_page(r, id, status_of(res->kind)));
}

static NEOERR *act(REQ *r){
  long long id = num(r, "id"), v = num(r, "version"), to = num(r, "to");
  FLOW_OP op = flow_op(req_form(r, "op"));
  if( id<=0 || v<=0 || to<0 || op==0 || op==FL_WITHDRAW ) return nerr_raise(ERR_INPUT, "bad_request");
  FLOW_RES res;
  NEOERR *err = flow_act(app_ctx(r), op, id, v, req_form(r, "note"), to, &res);
  if( err ) return nerr_pass(err);
  return nerr_pass(outcome(r, id, &res, flow_op_name(op)));
}

static NEOERR *withdraw(REQ *r){
  long long id = num(r, "id"), v = num(r, "version");
  if( id<=0 || v<=0 ) return nerr_raise(ERR_INPUT, "bad_request");
  FLOW_RES res;
  NEOERR *err = flow_act(app_ctx(r), FL_WITHDRAW, id, v, NULL, 0, &res);
  if( err ) return nerr_pass(err);
  return nerr_pass(outcome(r, id, &res, "withdraw"));
}

static NEOERR *correct(REQ *r){
  long long id = num(r, "id"), v = num(r, "version");
  if( id<=0 || v<=0 ) return nerr_raise(ERR_INPUT, "bad_request");
  FLOW_RES res;
  NEOERR *err = flow_correct(app_ctx(r), id, v, req_form(r, "reason"), &res);
  if( err ) return nerr_pass(err);
  if( res.msg==NULL ){
    /* the new revision, to fill in */
    req_redirect(r, arena_printf(req_arena(r), "/entry/edit?id=%lld&ok=saved", res.entry_id));
    return STATUS_OK;
  }
  set(r, "Form.reason", req_form(r, "reason"));
  return nerr_pass(outcome(r, id, &res, "correct"));
}

/* ------------------------------------------------------------------ */
/* returned, informed, stand-ins                                       */

static NEOERR *returned(REQ *r){
  HDF *h = req_hdf(r);
  CTX *c = app_ctx(r);
  int n;
  NEOERR *err = q_flow_returned_hdf(c->db, c->user->id, CAP_APPROVE, flow_now(c), 200, h, "List", &n);
  if( err ) return nerr_pass(err);
  for(HDF *x = hdf_get_child(h, "List"); x; x = hdf_obj_next(x)){
    hset_str(x, "form", form_name(r, x));
    hset_str(x, "period_label", period_label(r, hdf_get_value(x, "period_key", NULL)));
    hset_str(x, "since_local", app_local_time(r, hdf_get_value(x, "state_at", NULL)));
  }
  hset_int(h, "May.entry", auth_has(app_user(r), CAP_ENTRY));
  view_set_text(r, "Page.Title", "flow.title_returned");
  return nerr_pass(app_page(r, "approval_returned"));
}

static NEOERR *informed(REQ *r){
  HDF *h = req_hdf(r);
  CTX *c = app_ctx(r);
  int n;
  long long after = num(r, "after");
  if( after<0 ) return nerr_raise(ERR_INPUT, "bad_request");
  NEOERR *err = q_flow_cc_hdf(c->db, c->user->id, after, PAGE + 1, h, "List", &n);
  if( err ) return nerr_pass(err);
  int i = 0;
  for(HDF *x = hdf_get_child(h, "List"); x; x = hdf_obj_next(x), i++){
    if( i==PAGE ){
      hdf_remove_tree(h, arena_printf(req_arena(r), "List.%d", PAGE));
      break;
    }
    hset_str(x, "form", form_name(r, x));
    hset_str(x, "period_label", period_label(r, hdf_get_value(x, "period_key", NULL)));
    hset_str(x, "decided_local", app_local_time(r, hdf_get_value(x, "decided_at", NULL)));
    if( i==PAGE - 1 && n>PAGE ) set(r, "Next", hdf_get_value(x, "id", ""));
  }
  view_set_text(r, "Page.Title", "flow.title_cc");
  return nerr_pass(app_page(r, "approval_cc"));
}

static NEOERR *standins(REQ *r){
  HDF *h = req_hdf(r);
  CTX *c = app_ctx(r);
  int n;
  const char *today = flow_today(c), *now = flow_now(c);
  NEOERR *err = q_standin_hdf(c->db, c->user->id, 0, today, now, h, "Given", &n);
  if( !err ) err = q_standin_hdf(c->db, c->user->id, 1, today, now, h, "Received", &n);
  if( err ) return nerr_pass(err);
  set(r, "Today", today);
  const char *ok = req_query(r, "ok");
  if( ok && strcmp(ok, "added")==0 ) view_set_text(r, "Form.Notice", "flow.si_added");
  if( ok && strcmp(ok, "ended")==0 ) view_set_text(r, "Form.Notice", "flow.si_ended");
  view_set_text(r, "Page.Title", "flow.title_standins");
  return nerr_pass(app_page(r, "approval_standins"));
}

static NEOERR *standin_add(REQ *r){
  const char *msg;
  NEOERR *err = flow_standin_add(app_ctx(r), req_form(r, "login"), req_form(r, "from"), req_form(r, "to"),
                                 req_form(r, "reason"), &msg);
  if( err ) return nerr_pass(err);
  if( msg ){
    view_set_text(r, "Form.Error", msg);
    set(r, "Form.login", req_form(r, "login"));
    set(r, "Form.from", req_form(r, "from"));
    set(r, "Form.to", req_form(r, "to"));
    set(r, "Form.reason", req_form(r, "reason"));
    req_set_status(r, 400);
    return nerr_pass(standins(r));
  }
  req_redirect(r, "/approval/standins?ok=added");
  return STATUS_OK;
}

static NEOERR *standin_end(REQ *r){
  long long id = num(r, "id");
  const char *msg;
  if( id<=0 ) return nerr_raise(ERR_INPUT, "bad_request");
  NEOERR *err = flow_standin_end(app_ctx(r), id, &msg);
  if( err ) return nerr_pass(err);
  if( msg ){
    view_set_text(r, "Form.Error", msg);
    req_set_status(r, 404);
    return nerr_pass(standins(r));
  }
  req_redirect(r, "/approval/standins?ok=ended");
  return STATUS_OK;
}

#define L R_LOGIN
#define APPROVERS (CAP_APPROVE | CAP_DISPATCH)
#define READERS (CAP_ENTRY | CAP_APPROVE | CAP_DISPATCH | CAP_REPORT)
static const ROUTE routes[] = {
  { "GET",  "/approval/",            inbox,       L | R_ANYCAP, APPROVERS, 0, 0 },
  { "POST", "/approval/batch",       batch,       L | R_ANYCAP, APPROVERS, 65536, 3 * BATCH_MAX + 20 },
  { "GET",  "/approval/entry",       show,        L | R_ANYCAP, READERS, 0, 0 },
  { "POST", "/approval/act",         act,         L | R_ANYCAP, APPROVERS, 0, 0 },
  { "POST", "/approval/withdraw",    withdraw,    L, CAP_ENTRY, 0, 0 },
  { "POST", "/approval/correct",     correct,     L, CAP_ENTRY, 0, 0 },
  { "GET",  "/approval/returned",    returned,    L | R_ANYCAP, CAP_ENTRY | CAP_APPROVE, 0, 0 },
  { "GET",  "/approval/cc",          informed,    L | R_ANYCAP, READERS, 0, 0 },
  { "GET",  "/approval/standins",    standins,    L | R_ANYCAP, APPROVERS, 0, 0 },
  { "POST", "/approval/standin",     standin_add, L | R_ANYCAP, APPROVERS, 0, 0 },
  { "POST", "/approval/standin/end", standin_end, L | R_ANYCAP, APPROVERS, 0, 0 },
  { 0, 0, 0, 0, 0, 0, 0 }
};

int main(int argc, char **argv){
  return app_main("approval", routes, argc, argv);
}
