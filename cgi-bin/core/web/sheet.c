/*
** sheet.c -- see sheet.h.
*/
#include "sheet.h"
#include "conf.h"
#include "hset.h"
#include "str.h"
#include "view.h"
#include <sodium.h>
#include <string.h>

const char *sheet_text(REQ *r, const char *key, const char *arg){
  const char *t = view_text(r, key);
  if( arg==NULL || strstr(t, "{arg}")==NULL ) return t;
  STRING s;
  string_init(&s);
  for(const char *p = t; *p; ){
    const char *q = strstr(p, "{arg}");
    if( q==NULL ){ string_append(&s, p); break; }
    string_appendn(&s, p, (int)(q - p));
    string_append(&s, arg);
    p = q + 5;
  }
  const char *out = arena_strdup(req_arena(r), s.buf ? s.buf : "");
  string_clear(&s);
  return out;
}

const char *sheet_local(REQ *r, time_t t){
  DAYCAL cal;
  YMD d;
  int secs;
  if( t==0 ) return "";
  NEOERR *err = day_cal_conf(&cal, req_conf(r));
  if( err ){ nerr_ignore(&err); return ""; }
  day_local(&cal, t, &d, &secs);
  return arena_printf(req_arena(r), "%04d-%02d-%02d %02d:%02d", d.y, d.m, d.d, secs / 3600, secs / 60 % 60);
}

const char *sheet_period_label(REQ *r, const PERIOD *p){
  static const char *k[] = { "day.label.day", "day.label.shift", "day.label.week", "day.label.month" };
  return day_period_label(req_arena(r), p, view_text(r, k[p->kind]));
}

const char *sheet_token(REQ *r){
  unsigned char b[32];
  char *t = arena_alloc(req_arena(r), 48);
  randombytes_buf(b, sizeof b);
  b64url_encode(t, b, sizeof b);
  return t;
}

static const char *const STATE[] = { "early", "open", "late", "closed" };

static const char *cell_msg(REQ *r, const ECELL *c){
  if( c->err==NULL ) return NULL;
  if( c->literal ) return strcmp(view_lang(r), "en")==0 && c->arg ? c->arg : c->err;
  return sheet_text(r, c->err, c->arg);
}

static void field_meta(REQ *r, HDF *h, const char *pre, const FFIELD *f){
  int en = strcmp(view_lang(r), "en")==0;
  hset_fmt(h, "%s.code=%s", pre, f->code);
  hset_fmt(h, "%s.label=%s", pre, en && f->label_en ? f->label_en : f->label);
  hset_fmt(h, "%s.type=%s", pre, fdef_type_name(f->type));
  if( f->unit ) hset_fmt(h, "%s.unit=%s", pre, f->unit);
  if( f->hint ) hset_fmt(h, "%s.hint=%s", pre, f->hint);
  if( f->required ) hset_fmt(h, "%s.required=1", pre);
  if( f->maxlen ) hset_fmt(h, "%s.maxlen=%d", pre, f->maxlen);
  if( f->type==FT_SELECT )
    for(int k=0; k<f->nopt; k++) hset_fmt(h, "%s.opt.%d=%s", pre, k, f->options[k]);
  if( f->type==FT_LOOKUP ) hset_fmt(h, "%s.lk=1", pre);
  if( f->type==FT_DATE ) hset_fmt(h, "%s.hint=%s", pre, f->hint ? f->hint : view_text(r, "entry.date_hint"));
  if( f->type==FT_TIME ) hset_fmt(h, "%s.hint=%s", pre, f->hint ? f->hint : view_text(r, "entry.time_hint"));
}

static void cell_hdf(REQ *r, HDF *h, const char *pre, const ECELL *c){
  hset_fmt(h, "%s.raw=%s", pre, c->raw ? c->raw : "");
  hset_fmt(h, "%s.shown=%s", pre, c->shown && *c->shown ? c->shown : c->raw ? c->raw : "");
  const char *m = cell_msg(r, c);
  if( m ) hset_fmt(h, "%s.err=%s", pre, m);
}

/* the choices of the lookup fields (each field once) */
static NEOERR *options(REQ *r, SHEET *s){
  HDF *h = req_hdf(r);
  int limit = (int)conf_int(req_conf(r), "Entry.OptionsMax", 500);
  int selmax = (int)conf_int(req_conf(r), "Entry.SelectMax", 30);
  for(int i=0; i<s->f->nhf + s->f->nrf; i++){
    const FFIELD *f = i<s->f->nhf ? &s->f->hf[i] : &s->f->rf[i - s->f->nhf];
    if( f->type!=FT_LOOKUP ) continue;
    QREF *o;
    int n;
    NEOERR *err = entry_options(app_ctx(r), s, f, limit, &o, &n);
    if( err ) return nerr_pass(err);
    for(int k=0; k<n; k++){
      hset_fmt(h, "Opts.%s.%d.code=%s", f->code, k, o[k].code);
      hset_fmt(h, "Opts.%s.%d.label=%s %s", f->code, k, o[k].code, o[k].name);
    }
    if( n>selmax ) hset_fmt(h, "Search.%s=1", f->code);
  }
  return STATUS_OK;
}

NEOERR *sheet_hdf(REQ *r, SHEET *s, int with_options){
  HDF *h = req_hdf(r);
  const FORM *f = s->f;
  int en = strcmp(view_lang(r), "en")==0;
  hset_str(h, "Sheet.form", f->code);
  hset_str(h, "Sheet.form_name", en && f->name_en ? f->name_en : f->name);
  hset_int(h, "Sheet.form_version", f->version);
  hset_int(h, "Sheet.id", s->e.id);
  hset_int(h, "Sheet.version", s->e.version);
  hset_str(h, "Sheet.status", s->e.status && *s->e.status ? s->e.status : "new");
  hset_int(h, "Sheet.late", s->e.late);
  hset_int(h, "Sheet.editable", s->editable);
  hset_int(h, "Sheet.unit_id", s->unit.id);
  hset_str(h, "Sheet.unit_name", s->unit.name ? s->unit.name : "");
  hset_str(h, "Sheet.unit_code", s->unit.code ? s->unit.code : "");
  hset_str(h, "Sheet.period", s->key);
  hset_str(h, "Sheet.period_label", sheet_period_label(r, &s->period));
  hset_str(h, "Sheet.period_kind", fdef_period_name(f->period));
  hset_str(h, "Sheet.state", STATE[s->state]);
  hset_str(h, "Sheet.cutoff", sheet_local(r, s->win.cutoff));
  if( s->win.closes ) hset_str(h, "Sheet.closes", sheet_local(r, s->win.closes));
  hset_int(h, "Sheet.reopened", s->reopened);
  hset_int(h, "Sheet.nerr", s->nerr);
  hset_int(h, "Sheet.has_rows", f->nrf>0);
  hset_int(h, "Sheet.max_rows", f->max_rows);
  if( s->e.reason ) hset_str(h, "Sheet.reason", s->e.reason);
  if( s->e.created_name ) hset_str(h, "Sheet.created_by", s->e.created_name);
  if( s->e.updated_at ) hset_str(h, "Sheet.updated_at", app_local_time(r, s->e.updated_at));
  if( s->e.updated_name ) hset_str(h, "Sheet.updated_by", s->e.updated_name);
  if( s->e.submitted_at ) hset_str(h, "Sheet.submitted_at", app_local_time(r, s->e.submitted_at));
  if( s->e.submitted_name ) hset_str(h, "Sheet.submitted_by", s->e.submitted_name);
  if( s->e.decided_at ) hset_str(h, "Sheet.decided_at", app_local_time(r, s->e.decided_at));
  if( s->e.decided_name ) hset_str(h, "Sheet.decided_by", s->e.decided_name);
  if( s->msg ) hset_str(h, "Sheet.msg", sheet_text(r, s->msg, s->msg_arg));
  if( f->head_title ) hset_str(h, "Sheet.head_title", en && f->head_title_en ? f->head_title_en : f->head_title);
  if( f->rows_title ) hset_str(h, "Sheet.rows_title", en && f->rows_title_en ? f->rows_title_en : f->rows_title);
  for(int i=0; i<f->nhf; i++){
    char pre[32];
    snprintf(pre, sizeof pre, "H.%d", i);
    field_meta(r, h, pre, &f->hf[i]);
    cell_hdf(r, h, pre, &s->h[i]);
  }
  for(int i=0; i<f->nrf; i++){
    char pre[32];
    snprintf(pre, sizeof pre, "Cols.%d", i);
    field_meta(r, h, pre, &f->rf[i]);
  }
  for(int k=0; k<s->nrows; k++){
    hset_fmt(h, "Rows.%d.id=%lld", k, s->rows[k].id);
    hset_fmt(h, "Rows.%d.n=%d", k, k + 1);
    for(int i=0; i<f->nrf; i++){
      char pre[48];
      snprintf(pre, sizeof pre, "Rows.%d.c.%d", k, i);
      cell_hdf(r, h, pre, &s->rows[k].c[i]);
    }
  }
  hset_int(h, "Sheet.nrows", s->nrows);
  return with_options ? nerr_pass(options(r, s)) : STATUS_OK;
}

NEOERR *sheet_today_hdf(REQ *r){
  ETODAY *t;
  int n, due;
  HDF *h = req_hdf(r);
  int en = strcmp(view_lang(r), "en")==0;
  NEOERR *err = entry_today(app_ctx(r), &t, &n, &due);
  if( err ) return nerr_pass(err);
  for(int i=0; i<n; i++){
    hset_fmt(h, "Today.%d.form=%s", i, t[i].f->code);
    hset_fmt(h, "Today.%d.form_name=%s", i, en && t[i].f->name_en ? t[i].f->name_en : t[i].f->name);
    hset_fmt(h, "Today.%d.unit_id=%lld", i, t[i].unit.id);
    hset_fmt(h, "Today.%d.unit_name=%s", i, t[i].unit.name);
    hset_fmt(h, "Today.%d.period=%s", i, t[i].key);
    hset_fmt(h, "Today.%d.period_label=%s", i, sheet_period_label(r, &t[i].period));
    hset_fmt(h, "Today.%d.state=%s", i, STATE[t[i].state]);
    hset_fmt(h, "Today.%d.cutoff=%s", i, sheet_local(r, t[i].win.cutoff));
    hset_fmt(h, "Today.%d.id=%lld", i, t[i].entry_id);
    hset_fmt(h, "Today.%d.status=%s", i, *t[i].status ? t[i].status : "none");
    if( t[i].late ) hset_fmt(h, "Today.%d.late=1", i);
  }
  hset_int(h, "TodayCount", n);
  hset_int(h, "TodayDue", due);
  return STATUS_OK;
}
