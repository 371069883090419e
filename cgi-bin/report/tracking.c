/*
** tracking.c -- the pages of submission tracking (上报情况, 催报) in the
** report executable (tracking.h has the routes it adds to its table):
**
**   the matrix of a form: its submitting units in the reader's scope (rows,
**   in tree order) x its periods over a range (columns): each cell the
**   state of the unit's sheet (a glyph, the words in its title and the
**   legend; a link to the sheet), whether the unit was reminded and
**   escalated and when; counts per unit (right) and per period (below).
**   One period shows each unit on a line with the words, the times and the
**   reminder button.
**
**   the due list (催报): today's and the previous period of each form,
**   every unit in scope that has not submitted, with its reminders and a
**   button to remind its clerks (dispatchers).
**
** Thin handlers: the states, scope, reminders and their audit records are
** the domain's (dom/track.c); this file moves parameters in and results
** into the page's data set.
*/
#include "tracking.h"
#include "conf.h"
#include "err.h"
#include "hset.h"
#include "inbox.h"
#include "sheet.h"
#include "view.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long long num(REQ *r, const char *name){
  const char *v = req_param(r, name);
  if( v==NULL || *v==0 ) return 0;
  char *end;
  long long n = strtoll(v, &end, 10);
  if( *end || n<0 ) return -1;
  return n;
}

static int date_ok(const char *s){
  int y, m, d;
  char tail;
  return s && strlen(s)==10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail)==3 && day_ymd_ok(y, m, d);
}

static int code_ok(const char *s){
  if( s==NULL || *s==0 || strlen(s)>64 ) return 0;
  for(const char *p = s; *p; p++) if( !((*p>='a' && *p<='z') || (*p>='0' && *p<='9') || *p=='_') ) return 0;
  return 1;
}

static int en(REQ *r){ return strcmp(view_lang(r), "en")==0; }
static const char *fname(REQ *r, const FORM *f){ return en(r) && f->name_en && *f->name_en ? f->name_en : f->name; }

static const char *num_text(REQ *r, long long n){ return arena_printf(req_arena(r), "%lld", n); }

/* "已催报 2 次，最近 11-30 09:30 张三" */
static const char *remind_text(REQ *r, const TCELL *cl){
  if( cl->remind==NULL ) return "";
  static const char *const k[] = { "n", "when", "who" };
  const char *v[] = { num_text(r, cl->nremind), app_local_time(r, cl->remind->sent_at),
                      *cl->remind->sender ? cl->remind->sender : view_text(r, "track.system") };
  return inbox_text(r, "track.reminded", 3, k, v);
}
static const char *escalate_text(REQ *r, const TCELL *cl){
  if( cl->escalate==NULL ) return "";
  static const char *const k[] = { "when", "n" };
  const char *v[] = { app_local_time(r, cl->escalate->sent_at), num_text(r, cl->escalate->recipients) };
  return inbox_text(r, "track.escalated", 2, k, v);
}

static void forms_hdf(REQ *r, const FORM **fs, int nf, const char *current){
  HDF *h = req_hdf(r);
  for(int i=0; i<nf; i++){
    hset_fmt(h, "Forms.%d.code=%s", i, fs[i]->code);
    hset_fmt(h, "Forms.%d.id=%lld", i, fs[i]->id);
    hset_fmt(h, "Forms.%d.name=%s", i, fname(r, fs[i]));
    if( current && strcmp(current, fs[i]->code)==0 ) hset_fmt(h, "Forms.%d.on=1", i);
  }
}

static const TSTATE SHOWN[] = { TS_APPROVED, TS_SUBMITTED, TS_LATE, TS_RETURNED, TS_DRAFT, TS_MISSING, TS_PENDING };
#define NSHOWN ((int)(sizeof SHOWN / sizeof SHOWN[0]))

static void ok_notice(REQ *r){
  const char *sent = req_query(r, "sent"), *again = req_query(r, "again");
  if( sent && *sent ){
    static const char *const k[] = { "n" };
    char b[16];
    snprintf(b, sizeof b, "%lld", atoll(sent));
    const char *v[] = { b };
    hset_str(req_hdf(r), "Form.Notice", inbox_text(r, "track.sent", 1, k, v));
  }else if( again ) view_set_text(r, "Form.Notice", "track.again");
}

/* ------------------------------------------------------------------ */
/* the matrix                                                          */

NEOERR *tracking_matrix(REQ *r){
  CTX *c = app_ctx(r);
  HDF *h = req_hdf(r);
  ARENA *a = req_arena(r);
  const FORM **fs;
  int nf;
  NEOERR *err;
  if( (err = track_forms(c, &fs, &nf)) ) return nerr_pass(err);
  const char *code = req_query(r, "form");
  if( (code==NULL || *code==0) && nf ) code = fs[0]->code;
  if( code==NULL || !code_ok(code) ) return nerr_raise(nf ? ERR_INPUT : ERR_NOTFOUND, nf ? "bad_request" : "not_found");
  long long unit = num(r, "unit");
  if( unit<0 ) return nerr_raise(ERR_INPUT, "bad_request");
  const char *from = req_query(r, "from"), *to = req_query(r, "to"), *msg;
  TMATRIX m;
  if( (err = track_matrix(c, code, from, to, unit, &m, &msg)) ) return nerr_pass(err);
  if( msg ) view_set_text(r, "Form.Error", msg);
  ok_notice(r);
  forms_hdf(r, fs, nf, code);
  int may_send = auth_has(app_user(r), TRACK_SEND);
  hset_str(h, "Track.form", m.f->code);
  hset_str(h, "Track.form_name", fname(r, m.f));
  hset_str(h, "Track.period", fdef_period_name(m.f->period));
  hset_str(h, "Track.from", m.from);
  hset_str(h, "Track.to", m.to);
  hset_int(h, "Track.unit", unit);
  hset_int(h, "Track.nper", m.nper);
  hset_int(h, "Track.nrows", m.nrows);
  hset_int(h, "Track.may_send", may_send);
  /* the range before and after, as long as this one */
  {
    int y, mo, d;
    sscanf(m.from, "%4d-%2d-%2d", &y, &mo, &d);
    long f0 = day_num(y, mo, d);
    sscanf(m.to, "%4d-%2d-%2d", &y, &mo, &d);
    long t0 = day_num(y, mo, d), len = t0 - f0 + 1;
    char b[DAY_KEYSZ];
    if( m.f->period==DAY_P_DAY || m.f->period==DAY_P_SHIFT ){
      /* whole months move by months */
      YMD s = day_ymd(f0), e = day_ymd(t0);
      if( s.d==1 && e.d==day_month_days(e.y, e.m) && s.y==e.y && s.m==e.m ){
        YMD p = s.m==1 ? (YMD){ s.y - 1, 12, 1 } : (YMD){ s.y, s.m - 1, 1 };
        YMD n = s.m==12 ? (YMD){ s.y + 1, 1, 1 } : (YMD){ s.y, s.m + 1, 1 };
        hset_str(h, "Track.prev_from", day_ymd_text(p, b));
        hset_str(h, "Track.prev_to", day_ymd_text((YMD){ p.y, p.m, day_month_days(p.y, p.m) }, b));
        hset_str(h, "Track.next_from", day_ymd_text(n, b));
        hset_str(h, "Track.next_to", day_ymd_text((YMD){ n.y, n.m, day_month_days(n.y, n.m) }, b));
        len = 0;
      }
    }
    if( len ){
      hset_str(h, "Track.prev_from", day_ymd_text(day_ymd(f0 - len), b));
      hset_str(h, "Track.prev_to", day_ymd_text(day_ymd(f0 - 1), b));
      hset_str(h, "Track.next_from", day_ymd_text(day_ymd(t0 + 1), b));
      hset_str(h, "Track.next_to", day_ymd_text(day_ymd(t0 + len), b));
    }
  }
  /* the unit filter */
  const TUNIT *us = m.units;
  int nu = m.nunits;
  for(int i=0, k=0; i<nu; i++){
    if( strcmp(us[i].u->kind, "team")==0 && !form_unit_ok(m.f, us[i].u->code, us[i].u->kind) ) continue;
    hset_fmt(h, "Units.%d.id=%lld", k, us[i].u->id);
    hset_fmt(h, "Units.%d.label=%s%s", k, us[i].depth ? arena_printf(a, "%*s", us[i].depth * 2, "") : "", us[i].u->name);
    k++;
  }
  /* columns */
  static const char *const COL[] = { "track.col.day", "track.col.shift", "track.col.week", "track.col.month" };
  const char *pat = view_text(r, COL[m.f->period]);
  for(int j=0; j<m.nper; j++){
    HDF *p;
    if( (err = hdf_get_node(h, arena_printf(a, "Per.%d", j), &p)) ) return nerr_pass(err);
    hset_str(p, "key", m.keys[j]);
    hset_str(p, "label", day_period_label(a, &m.per[j], pat));
    hset_str(p, "full", sheet_period_label(r, &m.per[j]));
    hset_str(p, "date", day_ymd_text(day_ymd(m.per[j].first), (char[DAY_KEYSZ]){0}));
    if( m.f->period==DAY_P_DAY && day_weekday(m.per[j].first)>=6 ) hset_int(p, "we", 1);
    if( m.nper==1 ) hset_str(p, "cutoff", sheet_local(r, m.win[j].cutoff));
  }
  /* rows: one node per row and cell, set relative to it (a month of 300
  ** units is 9,300 cells: no lookups from the root) */
  HDF *rows;
  if( (err = hdf_get_node(h, "Rows", &rows)) ) return nerr_pass(err);
  for(int i=0; i<m.nrows; i++){
    const TROW *w = &m.rows[i];
    HDF *row, *cells;
    if( (err = hdf_get_node(rows, arena_printf(a, "%d", i), &row)) ) return nerr_pass(err);
    hset_int(row, "id", w->u->id);
    hset_str(row, "name", w->u->name);
    hset_str(row, "code", w->u->code);
    for(int k=0; k<NSHOWN; k++) hset_fmt(row, "n.%s=%d", track_state_name(SHOWN[k]), w->count[SHOWN[k]]);
    if( (err = hdf_get_node(row, "c", &cells)) ) return nerr_pass(err);
    for(int j=0; j<m.nper; j++){
      const TCELL *cl = &w->cells[j];
      HDF *x;
      if( (err = hdf_get_node(cells, arena_printf(a, "%d", j), &x)) ) return nerr_pass(err);
      hset_str(x, "s", track_state_name(cl->state));
      if( cl->approved ) hset_int(x, "ap", 1);
      if( cl->nremind ) hset_int(x, "k", cl->nremind);
      if( cl->escalate ) hset_int(x, "x", 1);
      if( cl->nremind || cl->escalate ){
        const char *t = remind_text(r, cl), *e = escalate_text(r, cl);
        hset_str(x, "t", arena_printf(a, "%s%s%s", t, *t && *e ? "；" : "", e));
      }
      if( m.nper==1 ){
        if( cl->entry_id ) hset_int(x, "e", cl->entry_id);
        if( cl->submitted_at ) hset_str(x, "sub", app_local_time(r, cl->submitted_at));
        hset_str(x, "rt", remind_text(r, cl));
        hset_str(x, "et", escalate_text(r, cl));
        if( may_send && track_open(cl->state) ) hset_int(x, "may", 1);
      }
    }
  }
  /* counts per period and in all */
  for(int k=0; k<NSHOWN; k++){
    HDF *f;
    if( (err = hdf_get_node(h, arena_printf(a, "Foot.%d", k), &f)) ) return nerr_pass(err);
    hset_str(f, "s", track_state_name(SHOWN[k]));
    hset_int(f, "total", m.total[SHOWN[k]]);
    for(int j=0; j<m.nper; j++) hset_fmt(f, "c.%d=%d", j, m.pcount[j][SHOWN[k]]);
  }
  view_set_text(r, "Page.Title", "track.title");
  return nerr_pass(app_page(r, "track_matrix"));
}

/* ------------------------------------------------------------------ */
/* the due list                                                        */

NEOERR *tracking_due(REQ *r){
  CTX *c = app_ctx(r);
  HDF *h = req_hdf(r);
  ARENA *a = req_arena(r);
  const FORM **fs;
  int nf, n;
  NEOERR *err;
  long long form_id = num(r, "fid");
  if( form_id<0 ) return nerr_raise(ERR_INPUT, "bad_request");
  if( (err = track_forms(c, &fs, &nf)) ) return nerr_pass(err);
  forms_hdf(r, fs, nf, NULL);
  TDUE *d;
  if( (err = track_due(c, form_id, &d, &n)) ) return nerr_pass(err);
  int may_send = auth_has(app_user(r), TRACK_SEND);
  HDF *list;
  if( (err = hdf_get_node(h, "Due", &list)) ) return nerr_pass(err);
  int missing = 0;
  for(int i=0; i<n; i++){
    HDF *x;
    if( (err = hdf_get_node(list, arena_printf(a, "%d", i), &x)) ) return nerr_pass(err);
    hset_str(x, "form", d[i].f->code);
    hset_str(x, "form_name", fname(r, d[i].f));
    hset_int(x, "unit_id", d[i].u->id);
    hset_str(x, "unit", d[i].u->name);
    hset_str(x, "period", d[i].key);
    hset_str(x, "date", day_ymd_text(day_ymd(d[i].period.first), (char[DAY_KEYSZ]){0}));
    hset_str(x, "period_label", sheet_period_label(r, &d[i].period));
    hset_str(x, "s", track_state_name(d[i].cell.state));
    hset_str(x, "cutoff", sheet_local(r, d[i].win.cutoff));
    hset_int(x, "seen", d[i].cell.nremind);
    if( d[i].cell.entry_id ) hset_int(x, "e", d[i].cell.entry_id);
    hset_str(x, "rt", remind_text(r, &d[i].cell));
    hset_str(x, "et", escalate_text(r, &d[i].cell));
    if( may_send ) hset_int(x, "may", 1);
    if( d[i].cell.state==TS_MISSING ) missing++;
  }
  hset_int(h, "Track.n", n);
  hset_int(h, "Track.missing", missing);
  hset_int(h, "Track.fid", form_id);
  hset_int(h, "Track.may_send", may_send);
  long mins = conf_int(req_conf(r), "Track.EscalateMinutes", 120);
  if( mins>0 ){
    static const char *const k[] = { "n" };
    const char *v[] = { arena_printf(a, "%ld", mins % 60 ? mins : mins / 60) };
    hset_str(h, "Track.escalate_after", inbox_text(r, mins % 60 ? "track.after_minutes" : "track.after_hours", 1, k, v));
  }
  ok_notice(r);
  view_set_text(r, "Page.Title", "track.title_due");
  return nerr_pass(app_page(r, "track_due"));
}

/* ------------------------------------------------------------------ */
/* a reminder                                                          */

NEOERR *tracking_remind(REQ *r){
  const char *code = req_form(r, "form"), *period = req_form(r, "period"), *back = req_form(r, "back");
  const char *seen_s = req_form(r, "seen");
  long long unit = num(r, "unit");
  char *end;
  long seen = seen_s ? strtol(seen_s, &end, 10) : -1;
  if( !code_ok(code) || unit<=0 || period==NULL || seen_s==NULL || *end || seen<0 )
    return nerr_raise(ERR_INPUT, "bad_request");
  const char *msg;
  int again;
  long long n;
  NEOERR *err = track_remind(app_ctx(r), code, unit, period, (int)seen, &msg, &again, &n);
  if( err ) return nerr_pass(err);
  int to_matrix = back && strcmp(back, "matrix")==0;
  if( msg ){
    view_set_text(r, "Form.Error", msg);
    req_set_status(r, strcmp(msg, "track.done")==0 ? 409 : 400);
    return nerr_pass(tracking_due(r));
  }
  const char *tail = again ? "again=1" : arena_printf(req_arena(r), "sent=%lld", n);
  if( to_matrix ){
    const char *from = req_form(r, "from"), *to = req_form(r, "to");
    req_redirect(r, arena_printf(req_arena(r), "/report/track?form=%s&from=%s&to=%s&%s#u-%lld", code,
                                 date_ok(from) ? from : "", date_ok(to) ? to : "", tail, unit));
  }else{
    long long fid = num(r, "fid");
    req_redirect(r, arena_printf(req_arena(r), "/report/track/due?fid=%lld&%s#u-%lld-%s", fid>0 ? fid : 0, tail,
                                 unit, code));
  }
  return STATUS_OK;
}
