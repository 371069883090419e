/*
** track.c -- see track.h.
*/
#include "track.h"
#include "conf.h"
#include "entry.h"
#include "err.h"
#include "hmap.h"
#include "json.h"
#include "log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const STATE[TS_COUNT] = { "none", "pending", "approved", "submitted", "late", "returned",
                                             "draft", "missing" };
const char *track_state_name(TSTATE s){ return s>=0 && s<TS_COUNT ? STATE[s] : "none"; }
int track_open(TSTATE s){ return s==TS_PENDING || s==TS_MISSING || s==TS_DRAFT || s==TS_RETURNED; }

static const char *utc_text(CTX *c, time_t t){
  char buf[DAY_KEYSZ];
  return arena_strdup(c->arena, day_utc_text(t, buf));
}

static int date_parse(const char *s, long *day){
  int y, m, d;
  char tail;
  if( s==NULL || strlen(s)!=10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail)!=3 || !day_ymd_ok(y, m, d) ) return -1;
  *day = day_num(y, m, d);
  return 0;
}

/* ------------------------------------------------------------------ */
/* units in tree order                                                 */

static const QTUNIT *g_sort;
static int by_parent(const void *x, const void *y){
  const QTUNIT *a = &g_sort[*(const int *)x], *b = &g_sort[*(const int *)y];
  if( a->parent_id!=b->parent_id ) return a->parent_id<b->parent_id ? -1 : 1;
  if( a->sort!=b->sort ) return a->sort<b->sort ? -1 : 1;
  return strcmp(a->code, b->code);
}

typedef struct { const QTUNIT *u; int *idx; int n; HMAP *byid; int *out; int *depth; int nout; ARENA *a; } TREE;

static const char *idkey(ARENA *a, long long id){ return arena_printf(a, "%lld", id); }

/* the children of `id` are a run of idx (sorted by parent): emit each, then its children */
static void walk(TREE *t, long long id, int depth){
  int lo = 0, hi = t->n;
  while( lo<hi ){                  /* the first with parent_id >= id */
    int mid = (lo + hi)/2;
    if( t->u[t->idx[mid]].parent_id<id ) lo = mid + 1; else hi = mid;
  }
  for(int i=lo; i<t->n && t->u[t->idx[i]].parent_id==id; i++){
    t->depth[t->nout] = depth;
    t->out[t->nout++] = t->idx[i];
    if( depth<64 ) walk(t, t->u[t->idx[i]].id, depth + 1);
  }
}

/* units in tree order: each, then its sub-units; siblings by sort, then
** code; a unit whose parent is out of reach starts a tree of its own */
static int *tree_order(ARENA *a, const QTUNIT *u, int n, int **depth){
  TREE t = { u, arena_alloc(a, sizeof(int) * (size_t)(n + 1)), n, hmap_new(a, n + 1),
             arena_alloc(a, sizeof(int) * (size_t)(n + 1)), arena_alloc(a, sizeof(int) * (size_t)(n + 1)), 0, a };
  if( depth ) *depth = t.depth;
  for(int i=0; i<n; i++){ t.idx[i] = i; hmap_put(t.byid, idkey(a, u[i].id), (void *)&u[i]); }
  g_sort = u;
  qsort(t.idx, (size_t)n, sizeof(int), by_parent);
  /* roots (parent not listed) in the order of the sort: by parent, sort, code */
  for(int i=0; i<n; i++){
    const QTUNIT *x = &u[t.idx[i]];
    if( x->parent_id && hmap_get(t.byid, idkey(a, x->parent_id)) ) continue;
    t.depth[t.nout] = 0;
    t.out[t.nout++] = t.idx[i];
    walk(&t, x->id, 1);
  }
  return t.out;
}

/* ------------------------------------------------------------------ */
/* the matrix                                                          */

static int reach_all(CTX *c, unsigned caps){ return entry_reach_all(c, caps); }

/* the default range of a form's period kind, ending today */
static void default_range(const DAYCAL *cal, DAY_PKIND k, time_t now, long *from, long *to){
  YMD t = day_today(cal, now);
  *to = day_num(t.y, t.m, t.d);
  switch( k ){
    case DAY_P_DAY: case DAY_P_SHIFT: *from = day_num(t.y, t.m, 1); break;
    case DAY_P_WEEK: *from = *to - 7*7; break;
    case DAY_P_MONTH: *from = t.m==12 ? day_num(t.y, 1, 1) : day_num(t.y - 1, t.m + 1, 1); break;
  }
}

/* the state of one cell */
static TSTATE judge(const FORM *f, const FWIN *w, time_t now, const QTSHEET *s, int *approved){
  *approved = 0;
  if( s ){
    if( strcmp(s->status, "approved")==0 ){ *approved = s->late; return s->late ? TS_LATE : TS_APPROVED; }
    if( strcmp(s->status, "submitted")==0 ) return s->late ? TS_LATE : TS_SUBMITTED;
    if( strcmp(s->status, "returned")==0 ) return TS_RETURNED;
    return TS_DRAFT;
  }
  if( form_history(f, w, now) ) return TS_NONE;
  switch( form_state_of(f, w, now) ){
    case FW_EARLY: return TS_NONE;
    case FW_OPEN: return TS_PENDING;
    default: return TS_MISSING;
  }
}

/* the matrix for the periods per[0..nper) of f over units in scope */
/* the units in reach (under a path, "" all), in tree order: read once per
** request however many forms are judged over them */
typedef struct { QTUNIT *u; int n; int *order, *depth; } UNITS;
static NEOERR *read_units(CTX *c, unsigned caps, const char *under, UNITS *us){
  NEOERR *err = q_track_units(c->db, reach_all(c, caps) ? 0 : c->user->id, caps, under, &us->u, &us->n);
  if( err ) return nerr_pass(err);
  us->order = tree_order(c->arena, us->u, us->n, &us->depth);
  return STATUS_OK;
}

static NEOERR *fill(CTX *c, const FORM *f, const DAYCAL *cal, PERIOD *per, int nper, unsigned caps,
                    const UNITS *us, TMATRIX *m){
  ARENA *a = c->arena;
  time_t now = ctx_now(c);
  long long user = reach_all(c, caps) ? 0 : c->user->id;
  NEOERR *err;
  m->f = f;
  m->nper = nper;
  m->per = per;
  m->keys = arena_alloc(a, sizeof(*m->keys) * (size_t)(nper + 1));
  m->win = arena_alloc(a, sizeof(FWIN) * (size_t)(nper + 1));
  m->history = arena_alloc(a, sizeof(int) * (size_t)(nper + 1));
  m->pcount = arena_alloc(a, sizeof(*m->pcount) * (size_t)(nper + 1));
  memset(m->pcount, 0, sizeof(*m->pcount) * (size_t)(nper + 1));
  memset(m->total, 0, sizeof m->total);
  HMAP *pk = hmap_new(a, nper + 1);
  for(int j=0; j<nper; j++){
    day_period_key(&per[j], m->keys[j]);
    form_window(f, cal, &per[j], &m->win[j]);
    m->history[j] = form_history(f, &m->win[j], now);
    hmap_put(pk, m->keys[j], (void *)(size_t)(j + 1));
  }
  day_ymd_text(day_ymd(per[0].first), m->from);
  {
    /* the last day the last period covers */
    PERIOD nx = day_period_next(cal, &per[nper - 1]);
    long last = per[nper - 1].kind==DAY_P_SHIFT ? per[nper - 1].first : nx.first - 1;
    day_ymd_text(day_ymd(last), m->to);
  }
  /* the units: in scope, submitting the form, in tree order */
  const QTUNIT *u = us->u;
  int nu = us->n;
  const int *order = us->order;
  m->rows = arena_alloc(a, sizeof(TROW) * (size_t)(nu + 1));
  m->nrows = 0;
  HMAP *byunit = hmap_new(a, nu + 1);
  for(int i=0; i<nu; i++){
    const QTUNIT *x = &u[order[i]];
    if( !form_unit_ok(f, x->code, x->kind) ) continue;
    TROW *r = &m->rows[m->nrows++];
    memset(r, 0, sizeof *r);
    r->u = x;
    r->cells = arena_alloc(a, sizeof(TCELL) * (size_t)nper);
    memset(r->cells, 0, sizeof(TCELL) * (size_t)nper);
    hmap_put(byunit, idkey(a, x->id), r);
  }
  /* the sheets and reminders of the range, placed by unit and period */
  QTSHEET *s;
  QTREMIND *rm;
  int ns, nr;
  /* the sheets and reminders of exactly these units (in reach by Q_SCOPE
  ** above), or of every unit when the reader reaches every one */
  const char *ids = NULL;
  if( user ){
    STRING j;
    string_init(&j);
    string_append(&j, "[");
    for(int k=0; k<m->nrows; k++) string_appendf(&j, "%s%lld", k ? "," : "", m->rows[k].u->id);
    string_append(&j, "]");
    ids = arena_strdup(a, j.buf);
    string_clear(&j);
  }
  if( (err = q_track_sheets(c->db, f->id, m->from, m->to, ids, &s, &ns)) ) return nerr_pass(err);
  const QTSHEET **at = arena_alloc(a, sizeof(QTSHEET *) * (size_t)(m->nrows * nper + 1));
  memset(at, 0, sizeof(QTSHEET *) * (size_t)(m->nrows * nper + 1));
  for(int i=0; i<ns; i++){
    TROW *r = hmap_get(byunit, idkey(a, s[i].unit_id));
    size_t j = (size_t)hmap_get(pk, s[i].period_key);
    if( r && j ) at[(r - m->rows) * nper + (long)j - 1] = &s[i];
  }
  if( (err = q_track_reminds(c->db, f->id, m->from, m->to, ids, &rm, &nr)) ) return nerr_pass(err);
  for(int i=0; i<nr; i++){
    TROW *r = hmap_get(byunit, idkey(a, rm[i].unit_id));
    size_t j = (size_t)hmap_get(pk, rm[i].period_key);
    if( !r || !j ) continue;
    TCELL *cl = &r->cells[j - 1];
    if( strcmp(rm[i].kind, "escalate")==0 ) cl->escalate = &rm[i];
    else{ cl->remind = &rm[i]; cl->nremind++; }
  }
  for(int k=0; k<m->nrows; k++){
    TROW *r = &m->rows[k];
    for(int j=0; j<nper; j++){
      TCELL *cl = &r->cells[j];
      const QTSHEET *x = at[k * nper + j];
      cl->state = judge(f, &m->win[j], now, x, &cl->approved);
      if( x ){ cl->entry_id = x->id; cl->submitted_at = x->submitted_at; }
      r->count[cl->state]++;
      m->pcount[j][cl->state]++;
      m->total[cl->state]++;
    }
  }
  return STATUS_OK;
}

/* a unit filter: in scope with caps, else ERR_DENIED; *path its path */
static NEOERR *unit_under(CTX *c, long long unit_id, unsigned caps, const char **path){
  QUNIT q;
  int found;
  *path = "";
  if( unit_id<=0 ) return STATUS_OK;
  NEOERR *err = q_unit_for(c->db, unit_id, c->user->id, caps, &q, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( !q.in_scope ) return nerr_raise(ERR_DENIED, "denied");
  *path = q.path;
  return STATUS_OK;
}

NEOERR *track_matrix(CTX *c, const char *form_code, const char *from, const char *to, long long unit_id,
                     TMATRIX *m, const char **msg){
  const FORM *f;
  DAYCAL cal;
  NEOERR *err;
  *msg = NULL;
  memset(m, 0, sizeof *m);
  m->unit_id = unit_id;
  if( (err = form_get(c, form_code ? form_code : "", &f)) ) return nerr_pass(err);
  if( f==NULL ) return nerr_raise(ERR_NOTFOUND, "not_found");
  m->f = f;
  const char *under;
  if( (err = unit_under(c, unit_id, TRACK_READ, &under)) ) return nerr_pass(err);
  if( (err = entry_cal(c, &cal)) ) return nerr_pass(err);
  long d0, d1;
  default_range(&cal, f->period, ctx_now(c), &d0, &d1);
  if( from && *from && date_parse(from, &d0) ){ *msg = "track.bad_date"; default_range(&cal, f->period, ctx_now(c), &d0, &d1); }
  else if( to && *to && date_parse(to, &d1) ){ *msg = "track.bad_date"; default_range(&cal, f->period, ctx_now(c), &d0, &d1); }
  else if( d1<d0 ){ *msg = "track.bad_range"; default_range(&cal, f->period, ctx_now(c), &d0, &d1); }
  PERIOD *per = arena_alloc(c->arena, sizeof(PERIOD) * (TRACK_MAXPER + 1));
  int nper = 0;
  PERIOD p = day_period_of_date(f->period, d0);
  while( p.first<=d1 ){
    if( nper==TRACK_MAXPER ){ *msg = "track.range_long"; break; }
    per[nper++] = p;
    p = day_period_next(&cal, &p);
  }
  UNITS us;
  if( (err = read_units(c, TRACK_READ, under, &us)) ) return nerr_pass(err);
  if( (err = fill(c, f, &cal, per, nper, TRACK_READ, &us, m)) ) return nerr_pass(err);
  /* every unit in reach, for a filter: the same read when there is no filter */
  UNITS all = us;
  if( *under && (err = read_units(c, TRACK_READ, "", &all)) ) return nerr_pass(err);
  m->units = arena_alloc(c->arena, sizeof(TUNIT) * (size_t)(all.n + 1));
  for(int i=0; i<all.n; i++){ m->units[i].u = &all.u[all.order[i]]; m->units[i].depth = all.depth[i]; }
  m->nunits = all.n;
  return STATUS_OK;
}


NEOERR *track_forms(CTX *c, const FORM ***out, int *n){
  QFORM *qf;
  int nf;
  NEOERR *err = q_forms(c->db, &qf, &nf);
  if( err ) return nerr_pass(err);
  *out = arena_alloc(c->arena, sizeof(FORM *) * (size_t)(nf + 1));
  *n = 0;
  for(int i=0; i<nf; i++){
    const FORM *f;
    if( !qf[i].active ) continue;
    if( (err = form_from(c, &qf[i], &f)) ) return nerr_pass(err);
    if( f ) (*out)[(*n)++] = f;
  }
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* the due list                                                        */

NEOERR *track_due(CTX *c, long long form_id, TDUE **out, int *n){
  QFORM *qf;
  int nf;
  DAYCAL cal;
  time_t now = ctx_now(c);
  NEOERR *err;
  *out = NULL;
  *n = 0;
  if( (err = entry_cal(c, &cal)) ) return nerr_pass(err);
  if( (err = q_forms(c->db, &qf, &nf)) ) return nerr_pass(err);
  int cap = 64;
  TDUE *v = arena_alloc(c->arena, sizeof(TDUE) * (size_t)cap);
  UNITS us;
  if( (err = read_units(c, TRACK_DUE, "", &us)) ) return nerr_pass(err);
  for(int i=0; i<nf; i++){
    if( !qf[i].active || (form_id && qf[i].id!=form_id) ) continue;
    const FORM *f;
    if( (err = form_from(c, &qf[i], &f)) ) return nerr_pass(err);
    if( f==NULL ) continue;
    /* the current period and the one before it */
    PERIOD per[2];
    per[1] = form_period_now(f, &cal, now);
    per[0] = day_period_prev(&cal, &per[1]);
    TMATRIX m;
    memset(&m, 0, sizeof m);
    if( (err = fill(c, f, &cal, per, 2, TRACK_DUE, &us, &m)) ) return nerr_pass(err);
    for(int j=1; j>=0; j--)
      for(int k=0; k<m.nrows; k++){
        const TCELL *cl = &m.rows[k].cells[j];
        if( !track_open(cl->state) ) continue;
        if( *n==cap ){
          TDUE *w = arena_alloc(c->arena, sizeof(TDUE) * (size_t)cap * 2);
          memcpy(w, v, sizeof(TDUE) * (size_t)cap);
          v = w;
          cap *= 2;
        }
        TDUE *d = &v[(*n)++];
        d->f = f;
        d->u = m.rows[k].u;
        d->period = per[j];
        memcpy(d->key, m.keys[j], DAY_KEYSZ);
        d->win = m.win[j];
        d->cell = *cl;
      }
  }
  *out = v;
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* reminders and escalations                                           */

typedef struct {
  const FORM *f;
  long long unit_id;
  const char *unit_code;
  const char *key, *pstart;
  const char *kind, *role;
  int seq;
  const char **msg;
  int *again;
  long long *recipients;
} SEND;

static NEOERR *send_tx(CTX *c, SEND *s){
  long long id;
  const char *status;
  NEOERR *err;
  /* the sheet is read inside the transaction: submitted since the page was shown? */
  if( (err = q_track_status(c->db, s->f->id, s->unit_id, s->key, &status)) ) return nerr_pass(err);
  if( strcmp(status, "submitted")==0 || strcmp(status, "approved")==0 ){ *s->msg = "track.done"; return STATUS_OK; }
  err = q_track_add(c->db, s->f->id, s->unit_id, s->key, s->pstart, s->kind, s->seq, c->user->id,
                    utc_text(c, ctx_now(c)), &id);
  if( err && db_is_dup(err) ){
    /* the same reminder again (a double click, another dispatcher on the same page) */
    nerr_ignore(&err);
    *s->again = 1;
    *s->msg = "track.again";
    return STATUS_OK;
  }
  if( err ) return nerr_pass(err);
  if( (err = q_track_notify(c->db, id, s->unit_id, s->role, s->recipients)) ) return nerr_pass(err);
  if( *s->recipients==0 && strcmp(s->kind, "remind")==0 ){ *s->msg = "track.no_clerk"; return STATUS_OK; }
  JSON j;
  json_open(&j);
  json_str(&j, "form", s->f->code);
  json_str(&j, "unit", s->unit_code);
  json_str(&j, "period", s->key);
  json_int(&j, "seq", s->seq);
  json_int(&j, "recipients", *s->recipients);
  json_end(&j);
  return nerr_pass(ctx_audit(c, strcmp(s->kind, "remind")==0 ? "track.remind" : "track.escalate",
                             arena_printf(c->arena, "unit:%lld", s->unit_id), "ok", json_done(&j, c->arena)));
}

NEOERR *track_remind(CTX *c, const char *form_code, long long unit_id, const char *period_key, int seen,
                     const char **msg, int *again, long long *recipients){
  const FORM *f;
  DAYCAL cal;
  QUNIT u;
  PERIOD p;
  FWIN w;
  int found;
  NEOERR *err;
  *msg = NULL;
  *again = 0;
  *recipients = 0;
  if( !auth_has(c->user, TRACK_SEND) && !ctx_is_operator(c) ) return nerr_raise(ERR_DENIED, "denied");
  if( (err = form_get(c, form_code ? form_code : "", &f)) ) return nerr_pass(err);
  if( f==NULL || !f->active ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( (err = q_unit_for(c->db, unit_id, c->user->id, TRACK_SEND, &u, &found)) ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( !u.in_scope ) return nerr_raise(ERR_DENIED, "denied");
  if( !u.active || !form_unit_ok(f, u.code, u.kind) ){ *msg = "track.not_submitting"; return STATUS_OK; }
  if( (err = entry_cal(c, &cal)) ) return nerr_pass(err);
  if( period_key==NULL || day_period_parse(&cal, period_key, &p) || p.kind!=f->period ){ *msg = "track.bad_period"; return STATUS_OK; }
  form_window(f, &cal, &p, &w);
  if( form_history(f, &w, ctx_now(c)) || form_state_of(f, &w, ctx_now(c))==FW_EARLY ){ *msg = "track.not_due"; return STATUS_OK; }
  if( seen<0 || seen>1000 ){ *msg = "track.bad_period"; return STATUS_OK; }
  char key[DAY_KEYSZ], pstart[DAY_KEYSZ];
  day_period_key(&p, key);
  day_ymd_text(day_ymd(p.first), pstart);
  SEND s = { f, unit_id, u.code, key, pstart, "remind", "clerk", seen + 1, msg, again, recipients };
  err = DB_TX(c->db, msg, send_tx(c, &s));
  if( err ) return nerr_pass(err);
  if( *again ) *msg = NULL;
  return STATUS_OK;
}

NEOERR *track_escalate(CTX *c, const char *form_code, int *n, long long *heads, int *none){
  QFORM *qf;
  int nf;
  DAYCAL cal;
  time_t now = ctx_now(c);
  long mins = conf_int(c->conf, "Track.EscalateMinutes", 120);
  long days = conf_int(c->conf, "Track.EscalateDays", 3);
  NEOERR *err;
  *n = 0;
  *heads = 0;
  *none = 0;
  if( mins<=0 ) return STATUS_OK;
  if( (err = entry_cal(c, &cal)) ) return nerr_pass(err);
  if( (err = q_forms(c->db, &qf, &nf)) ) return nerr_pass(err);
  UNITS us;
  if( (err = read_units(c, TRACK_READ, "", &us)) ) return nerr_pass(err);
  for(int i=0; i<nf; i++){
    if( !qf[i].active || (form_code && strcmp(qf[i].code, form_code)!=0) ) continue;
    const FORM *f;
    if( (err = form_from(c, &qf[i], &f)) ) return nerr_pass(err);
    if( f==NULL ) continue;
    /* back from the current period while the escalation time is recent */
    PERIOD p = form_period_now(f, &cal, now);
    for(int guard=0; guard<400; guard++, p = day_period_prev(&cal, &p)){
      FWIN w;
      form_window(f, &cal, &p, &w);
      time_t due = w.cutoff + mins * 60;
      if( due<now - days * 86400L ) break;
      if( due>now ) continue;
      if( form_history(f, &w, now) ) break;
      TMATRIX m;
      memset(&m, 0, sizeof m);
      PERIOD one = p;
      if( (err = fill(c, f, &cal, &one, 1, TRACK_READ, &us, &m)) ) return nerr_pass(err);
      for(int k=0; k<m.nrows; k++){
        const TCELL *cl = &m.rows[k].cells[0];
        if( !track_open(cl->state) || cl->escalate ) continue;
        const char *msg;
        int again = 0;
        long long got = 0;
        char pstart[DAY_KEYSZ];
        day_ymd_text(day_ymd(p.first), pstart);
        SEND s = { f, m.rows[k].u->id, m.rows[k].u->code, m.keys[0], pstart, "escalate", "head", 1, &msg, &again,
                   &got };
        if( (err = DB_TX(c->db, &msg, send_tx(c, &s))) ) return nerr_pass(err);
        if( msg ) continue;        /* submitted meanwhile, or escalated by another run */
        (*n)++;
        *heads += got;
        if( got==0 ){
          (*none)++;
          log_warn("track: %s %s of unit %s escalated, but the unit has no head", f->code, m.keys[0], m.rows[k].u->code);
        }
      }
    }
  }
  return STATUS_OK;
}

NEOERR *track_portal(CTX *c, QTNOTE **out, int *n){
  QTNOTE *v;
  int nv;
  long days = conf_int(c->conf, "Track.PortalDays", 7);
  const char *since = utc_text(c, ctx_now(c) - days * 86400L);
  NEOERR *err = q_track_portal(c->db, c->user->id, since, 100, &v, &nv);
  if( err ) return nerr_pass(err);
  /* one per form, unit, period and kind: the newest */
  HMAP *seen = hmap_new(c->arena, nv + 1);
  *out = arena_alloc(c->arena, sizeof(QTNOTE) * (size_t)(nv + 1));
  *n = 0;
  for(int i=0; i<nv && *n<20; i++){
    const char *k = arena_printf(c->arena, "%lld|%lld|%s|%s", v[i].form_id, v[i].unit_id, v[i].period_key, v[i].kind);
    if( hmap_get(seen, k) ) continue;
    hmap_put(seen, k, &v[i]);
    (*out)[(*n)++] = v[i];
  }
  return STATUS_OK;
}
