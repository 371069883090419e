/*
** rpages.c -- the report pages (/report/): the list of reports the user may
** run, a report as a page (period, unit and pending filters, the table with
** totals, the chart drawn by the server as SVG elements of the template),
** its downloads (CSV, XLSX, PDF: each one audited), and the report
** builder (a form, measures, group-by, filters, sort, chart; a preview;
** saved as a named report the roles its owner chooses may run).  Thin: the
** engine is dom/report.h.  The builder's choices become the same HDF text
** a built-in file holds, parsed and checked by the same code: nothing from
** the request reaches SQL but through a checked definition.
*/
#include "rpages.h"
#include "entry.h"
#include "err.h"
#include "form.h"
#include "hset.h"
#include "q_entry.h"
#include "q_form.h"
#include "q_report.h"
#include "report.h"
#include "str.h"
#include "view.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NMEAS 6
#define NDIM  3
#define NFILT 3

static int en(REQ *r){ return strcmp(view_lang(r), "en")==0; }
static void set(REQ *r, const char *name, const char *value){ hset_str(req_hdf(r), name, value ? value : ""); }

static const char *def_name(REQ *r, const REPORT_DEF *d){
  return en(r) && d->name_en ? d->name_en : d->name;
}
static const char *form_name(REQ *r, const FORM *f){
  return en(r) && f->name_en ? f->name_en : f->name;
}
static const char *field_label(REQ *r, const FFIELD *f){
  return en(r) && f->label_en ? f->label_en : f->label;
}

static int date_ok(const char *s){
  int y, m, d;
  char tail;
  return s && strlen(s)==10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail)==3 && day_ymd_ok(y, m, d);
}

/* ------------------------------------------------------------------ */
/* the list                                                            */

NEOERR *rp_home(REQ *r){
  HDF *h = req_hdf(r);
  REPORT_DEF **all;
  int n, ns;
  NEOERR *err = report_builtins(app_ctx(r), &all, &n);
  if( err ) return nerr_pass(err);
  for(int i=0; i<n; i++){
    hset_fmt(h, "Builtins.%d.code=%s", i, all[i]->code);
    hset_fmt(h, "Builtins.%d.name=%s", i, def_name(r, all[i]));
    hset_fmt(h, "Builtins.%d.form=%s", i, form_name(r, all[i]->fm));
    hset_fmt(h, "Builtins.%d.period=%s", i, report_period_name(all[i]->period));
  }
  if( (err = report_saved_hdf(app_ctx(r), h, "Saved", &ns)) ) return nerr_pass(err);
  const char *ok = req_query(r, "ok");
  if( ok && !strcmp(ok, "deleted") ) view_set_text(r, "Form.Notice", "report.deleted");
  view_set_text(r, "Page.Title", "report.title");
  return nerr_pass(app_page(r, "report_home"));
}

/* ------------------------------------------------------------------ */
/* the arguments of a run, from the query                              */

/* 0 and args filled, or a Lang key of what is wrong */
static const char *args_of(REQ *r, const REPORT_DEF *d, REPORT_ARGS *g){
  memset(g, 0, sizeof *g);
  const char *p = req_query(r, "period"), *date = req_query(r, "date");
  const char *from = req_query(r, "from"), *to = req_query(r, "to"), *unit = req_query(r, "unit");
  const char *pend = req_query(r, "pending");
  g->period = p && *p ? report_period_of(p) : d->period;
  g->lang = view_lang(r);
  if( g->period==0 ) return "err.report_bad_period";
  if( g->period==RP_RANGE ){
    if( !date_ok(from) || !date_ok(to) ) return "err.report_bad_range";
    g->from = from;
    g->to = to;
  }else if( date && *date ){
    if( !date_ok(date) ) return "err.report_bad_period";
    g->date = date;
  }
  if( unit && *unit ){
    char *end;
    g->unit_id = strtoll(unit, &end, 10);
    if( *end || g->unit_id<0 ) return "err.report_bad_unit";
  }
  g->pending = pend && !strcmp(pend, "1");
  return NULL;
}

/* the query string of a run (the downloads and the period links) */
static const char *query_of(REQ *r, const REPORT_DEF *d, const REPORT_ARGS *g, RPERIOD period, const char *date){
  ARENA *a = req_arena(r);
  const char *q = arena_printf(a, "r=%s&period=%s", url_encode(a, d->code), report_period_name(period));
  if( period==RP_RANGE ) q = arena_printf(a, "%s&from=%s&to=%s", q, g->from, g->to);
  else if( date ) q = arena_printf(a, "%s&date=%s", q, date);
  if( g->unit_id ) q = arena_printf(a, "%s&unit=%lld", q, g->unit_id);
  if( g->pending ) q = arena_printf(a, "%s&pending=1", q);
  return q;
}

static NEOERR *units(REQ *r){
  QUNIT *us;
  int nu;
  long long who = entry_reach_all(app_ctx(r), RP_READERS) ? 0 : app_user(r)->id;
  NEOERR *err = q_units_for(app_db(r), who, RP_READERS, &us, &nu);
  if( err ) return nerr_pass(err);
  for(int i=0; i<nu; i++){
    hset_fmt(req_hdf(r), "Units.%d.id=%lld", i, us[i].id);
    hset_fmt(req_hdf(r), "Units.%d.label=%s (%s)", i, us[i].name, us[i].code);
  }
  return STATUS_OK;
}

static const char *next_day(REQ *r, const char *ymd, int days){
  int y, m, d;
  char buf[DAY_KEYSZ];
  if( sscanf(ymd, "%d-%d-%d", &y, &m, &d)!=3 ) return ymd;
  return arena_strdup(req_arena(r), day_ymd_text(day_ymd(day_num(y, m, d) + days), buf));
}

/* the filters and the period links of the page */
static void filters_hdf(REQ *r, const REPORT_DEF *d, const REPORT_ARGS *g, const REPORT_RESULT *res){
  set(r, "Filter.r", d->code);
  set(r, "Filter.period", report_period_name(g->period));
  set(r, "Filter.date", g->date ? g->date : res ? res->from : "");
  set(r, "Filter.from", g->from ? g->from : res ? res->from : "");
  set(r, "Filter.to", g->to ? g->to : res ? res->to : "");
  hset_int(req_hdf(r), "Filter.unit", g->unit_id);
  hset_int(req_hdf(r), "Filter.pending", g->pending);
  if( res==NULL ) return;
  RPERIOD p = g->period;
  if( p==RP_RANGE ){
    /* the range just before, and just after, of the same length */
    REPORT_ARGS x = *g;
    x.from = res->prev_from; x.to = res->prev_to;
    set(r, "Nav.prev", query_of(r, d, &x, p, NULL));
    int y1, m1, d1, y2, m2, d2;
    sscanf(res->from, "%d-%d-%d", &y1, &m1, &d1);
    sscanf(res->to, "%d-%d-%d", &y2, &m2, &d2);
    long len = day_num(y2, m2, d2) - day_num(y1, m1, d1);
    x.from = next_day(r, res->to, 1); x.to = next_day(r, res->to, 1 + (int)len);
    set(r, "Nav.next", query_of(r, d, &x, p, NULL));
  }else{
    set(r, "Nav.prev", query_of(r, d, g, p, res->prev_from));
    set(r, "Nav.next", query_of(r, d, g, p, next_day(r, res->to, 1)));
  }
  for(int k=RP_DAY; k<=RP_MONTH; k++)
    hset_fmt(req_hdf(r), "Nav.kind.%s=%s", report_period_name(k), query_of(r, d, g, k, res->from));
  const char *q = query_of(r, d, g, p, p==RP_RANGE ? NULL : res->from);
  set(r, "Nav.here", q);
}

/* ------------------------------------------------------------------ */
/* a report as a page                                                  */

static NEOERR *find(REQ *r, REPORT_DEF **d){
  const char *code = req_query(r, "r");
  NEOERR *err = report_find(app_ctx(r), code, d);
  if( err ) return nerr_pass(err);
  if( *d==NULL ) return nerr_raise(ERR_NOTFOUND, "not_found");
  return STATUS_OK;
}

/* a refusal of the engine (ERR_INPUT with a Lang key) or NULL */
static const char *input_key(NEOERR **err){
  if( *err==NULL || err_status(*err)!=400 ) return NULL;
  const char *k = err_key(*err);
  static char buf[64];
  snprintf(buf, sizeof buf, "err.%s", k && !strncmp(k, "report_", 7) ? k : "report_bad_period");
  nerr_ignore(err);
  return buf;
}

static NEOERR *show(REQ *r, const REPORT_DEF *d, const REPORT_ARGS *g, const char *bad, int builder){
  REPORT_RESULT *res = NULL;
  NEOERR *err;
  if( bad==NULL ){
    err = report_run(app_ctx(r), d, g, &res);
    bad = input_key(&err);
    if( err ) return nerr_pass(err);
  }
  if( bad ){
    view_set_text(r, "Form.Error", bad);
    req_set_status(r, 400);
    res = NULL;
  }
  if( res && (err = report_hdf(res, req_hdf(r), "Report")) ) return nerr_pass(err);
  filters_hdf(r, d, g, res);
  set(r, "Report.name", def_name(r, d));
  set(r, "Report.code", d->code);
  set(r, "Report.form", form_name(r, d->fm));
  hset_int(req_hdf(r), "Report.saved", d->id);
  hset_int(req_hdf(r), "Report.mine", d->id && d->owner_id==app_user(r)->id);
  if( builder ) return STATUS_OK;
  if( (err = units(r)) ) return nerr_pass(err);
  hset_str(req_hdf(r), "Page.Title", def_name(r, d));
  return nerr_pass(app_page(r, "report_view"));
}

NEOERR *rp_view(REQ *r){
  REPORT_DEF *d;
  REPORT_ARGS g;
  NEOERR *err = find(r, &d);
  if( err ) return nerr_pass(err);
  return nerr_pass(show(r, d, &g, args_of(r, d, &g), 0));
}

/* ------------------------------------------------------------------ */
/* downloads                                                           */

static NEOERR *send(REQ *r, const char *filename, const char *ext, const char *ctype, const STRING *s){
  ARENA *a = req_arena(r);
  req_set_type(r, ctype);
  req_add_header(r, "Content-Disposition", arena_printf(a, "attachment; filename=\"diaodu-report.%s\"; filename*=UTF-8''%s",
                 ext, url_encode(a, arena_printf(a, "%s.%s", filename, ext))));
  return nerr_pass(req_append(r, s->buf ? s->buf : "", (size_t)s->len));
}

NEOERR *rp_export(REQ *r){
  REPORT_DEF *d;
  REPORT_ARGS g;
  REPORT_RESULT *res;
  NEOERR *err = find(r, &d);
  if( err ) return nerr_pass(err);
  const char *fmt = req_query(r, "fmt");
  if( fmt==NULL || (strcmp(fmt, "csv") && strcmp(fmt, "xlsx") && strcmp(fmt, "pdf")) ) return nerr_raise(ERR_INPUT, "bad_request");
  const char *bad = args_of(r, d, &g);
  if( bad==NULL ){
    err = report_run(app_ctx(r), d, &g, &res);
    bad = input_key(&err);
    if( err ) return nerr_pass(err);
  }
  if( bad ) return nerr_pass(show(r, d, &g, bad, 0));
  STRING s;
  string_init(&s);
  const char *name = arena_printf(req_arena(r), "%s_%s_%s", res->title, res->from, res->to);
  if( !strcmp(fmt, "csv") ) err = report_csv(res, &s);
  else if( !strcmp(fmt, "xlsx") ) err = report_xlsx(res, &s);
  else err = report_pdf(app_ctx(r), res, &s);
  if( !err ) err = report_audit(app_ctx(r), res, fmt);
  if( !err ){
    if( !strcmp(fmt, "csv") ) err = send(r, name, "csv", "text/csv; charset=utf-8", &s);
    else if( !strcmp(fmt, "xlsx") ) err = send(r, name, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &s);
    else err = send(r, name, "pdf", "application/pdf", &s);
  }
  string_clear(&s);
  return nerr_pass(err);
}

/* ------------------------------------------------------------------ */
/* the builder                                                         */

static const char *FNS[] = { "count", "sum", "avg", "min", "max", NULL };

static int numeric(const FFIELD *f){
  return f->type==FT_INT || f->type==FT_DEC || f->type==FT_COMPUTED;
}

/* a value for one line of HDF text: no line breaks, no braces */
static const char *line(REQ *r, const char *s){
  if( s==NULL ) return "";
  char *t = str_trim(req_arena(r), s);
  for(char *p = t; *p; p++) if( *p=='\r' || *p=='\n' || *p=='{' || *p=='}' || *p=='<' ) *p = ' ';
  return t;
}

/* the builder's choices (query or body) as definition text; NULL *text
** when no form is chosen yet */
static const char *builder_text(REQ *r, const FORM *f){
  ARENA *a = req_arena(r);
  STRING s;
  string_init(&s);
  const char *name = line(r, req_param(r, "name"));
  string_appendf(&s, "Code = custom\nName = %s\nForm = %s\n", *name ? name : (en(r) ? "Untitled report" : "未命名报表"), f->code);
  const char *p = req_param(r, "period");
  if( p && report_period_of(p) ) string_appendf(&s, "Period = %s\n", p);
  string_append(&s, "Group {\n");
  for(int i=1; i<=NDIM; i++){
    const char *g = line(r, req_param(r, arena_printf(a, "g%d", i)));
    if( *g==0 ) continue;
    if( !strncmp(g, "f:", 2) ) string_appendf(&s, "  g%d {\n    By = field\n    Field = %s\n  }\n", i, g + 2);
    else string_appendf(&s, "  g%d {\n    By = %s\n  }\n", i, g);
  }
  string_append(&s, "}\nMeasures {\n");
  for(int i=1; i<=NMEAS; i++){
    const char *fn = line(r, req_param(r, arena_printf(a, "m%d_fn", i)));
    const char *fld = line(r, req_param(r, arena_printf(a, "m%d_field", i)));
    if( *fn==0 ) continue;
    string_appendf(&s, "  m%d {\n    Fn = %s\n", i, fn);
    if( *fld ) string_appendf(&s, "    Field = %s\n", fld);
    string_append(&s, "  }\n");
  }
  string_append(&s, "}\nFilters {\n");
  for(int i=1; i<=NFILT; i++){
    const char *fld = line(r, req_param(r, arena_printf(a, "f%d_field", i)));
    const char *op = line(r, req_param(r, arena_printf(a, "f%d_op", i)));
    const char *v = line(r, req_param(r, arena_printf(a, "f%d_value", i)));
    if( *fld==0 ) continue;
    string_appendf(&s, "  f%d {\n    Field = %s\n    Op = %s\n    Value = %s\n  }\n", i, fld, *op ? op : "eq", v);
  }
  string_append(&s, "}\n");
  const char *sort = line(r, req_param(r, "sort")), *desc = req_param(r, "desc"), *chart = line(r, req_param(r, "chart"));
  if( *sort ) string_appendf(&s, "Sort = %s%s\n", sort, desc && !strcmp(desc, "1") ? " desc" : "");
  if( *chart ) string_appendf(&s, "Chart = %s\n", chart);
  const char *roles = "";
  for(HDF *c = hdf_get_child(req_hdf(r), "Roles"); c; c = hdf_obj_next(c)){
    const char *code = hdf_get_value(c, "code", "");
    const char *on = req_param(r, arena_printf(a, "role_%s", code));
    if( on && !strcmp(on, "1") ) roles = arena_printf(a, "%s%s%s", roles, *roles ? ", " : "", code);
  }
  if( *roles ) string_appendf(&s, "Roles = %s\n", roles);
  const char *out = arena_strdup(a, s.buf);
  string_clear(&s);
  return out;
}

/* the form's fields for the builder's choices */
static void fields_hdf(REQ *r, const FORM *f){
  HDF *h = req_hdf(r);
  int nn = 0, ng = 0, na = 0;
  for(int part=0; part<2; part++){
    const FFIELD *fs = part ? f->rf : f->hf;
    int n = part ? f->nrf : f->nhf;
    for(int i=0; i<n; i++){
      const FFIELD *x = &fs[i];
      if( numeric(x) ){
        hset_fmt(h, "Fields.num.%d.code=%s", nn, x->code);
        hset_fmt(h, "Fields.num.%d.label=%s", nn++, field_label(r, x));
      }
      if( x->type==FT_SELECT || x->type==FT_LOOKUP ){
        hset_fmt(h, "Fields.group.%d.code=f:%s", ng, x->code);
        hset_fmt(h, "Fields.group.%d.label=%s", ng++, field_label(r, x));
      }
      if( x->type!=FT_TEXTAREA && x->type!=FT_COMPUTED ){
        hset_fmt(h, "Fields.all.%d.code=%s", na, x->code);
        hset_fmt(h, "Fields.all.%d.label=%s", na++, field_label(r, x));
      }
    }
  }
}

/* the builder's current choices back into the page (from a definition) */
static void choices_of(REQ *r, const REPORT_DEF *d){
  HDF *h = req_hdf(r);
  set(r, "B.name", d->name);
  set(r, "B.period", report_period_name(d->period));
  for(int i=0; i<d->ndim && i<NDIM; i++){
    const RDIM *x = &d->dims[i];
    hset_fmt(h, "B.g%d=%s", i + 1, x->kind==RD_FIELD ? arena_printf(req_arena(r), "f:%s", x->field) : report_dim_name(x->kind));
  }
  for(int i=0; i<d->nmeas && i<NMEAS; i++){
    hset_fmt(h, "B.m%d_fn=%s", i + 1, report_fn_name(d->meas[i].fn));
    if( d->meas[i].field ) hset_fmt(h, "B.m%d_field=%s", i + 1, d->meas[i].field);
  }
  for(int i=0; i<d->nfilt && i<NFILT; i++){
    hset_fmt(h, "B.f%d_field=%s", i + 1, d->filt[i].field);
    hset_fmt(h, "B.f%d_op=%s", i + 1, d->filt[i].op);
    hset_fmt(h, "B.f%d_value=%s", i + 1, d->filt[i].value);
  }
  if( d->sort_by ){ set(r, "B.sort", d->meas[d->sort_by - 1].code); hset_int(h, "B.desc", d->sort_desc); }
  if( d->chart ) set(r, "B.chart", d->meas[d->chart - 1].code);
  for(int i=0; i<d->nroles; i++) hset_fmt(h, "B.role.%s=1", d->roles[i]);
}

/* measure codes in the builder are m1..m6 whatever the definition named them */
static void renumber(REPORT_DEF *d, ARENA *a){
  for(int i=0; i<d->nmeas; i++) d->meas[i].code = arena_printf(a, "m%d", i + 1);
}

static NEOERR *builder_page(REQ *r, const FORM *f, long long id){
  HDF *h = req_hdf(r);
  QFORM *fs;
  int nf;
  NEOERR *err = q_forms(app_db(r), &fs, &nf);
  if( err ) return nerr_pass(err);
  for(int i=0, k=0; i<nf; i++){
    if( !fs[i].active ) continue;
    hset_fmt(h, "Forms.%d.code=%s", k, fs[i].code);
    hset_fmt(h, "Forms.%d.name=%s", k++, en(r) && fs[i].name_en ? fs[i].name_en : fs[i].name);
  }
  for(int i=0; FNS[i]; i++) hset_fmt(h, "Fns.%d=%s", i, FNS[i]);
  for(int i=1; i<=NMEAS; i++) hset_fmt(h, "Slots.m.%d=%d", i - 1, i);
  for(int i=1; i<=NDIM; i++) hset_fmt(h, "Slots.g.%d=%d", i - 1, i);
  for(int i=1; i<=NFILT; i++) hset_fmt(h, "Slots.f.%d=%d", i - 1, i);
  if( f ){
    set(r, "B.form", f->code);
    set(r, "B.form_name", form_name(r, f));
    fields_hdf(r, f);
  }
  hset_int(h, "B.id", id);
  if( *hdf_get_value(h, "B.period", "")==0 ) set(r, "B.period", "month");
  view_set_text(r, "Page.Title", "report.build_title");
  return nerr_pass(app_page(r, "report_build"));
}

/* the definition the builder's request describes, checked; *bad a Lang key */
static NEOERR *builder_def(REQ *r, const FORM *f, REPORT_DEF **out, const char **bad){
  REPORT_DEF *d;
  REPORT_ERR e;
  int ok;
  *out = NULL;
  *bad = NULL;
  const char *text = builder_text(r, f);
  if( report_parse(req_arena(r), "builder", text, &d, &e) ){
    *bad = arena_printf(req_arena(r), "report.def.%s", e.key);
    set(r, "Form.ErrorArg", e.arg);
    return STATUS_OK;
  }
  NEOERR *err = report_check(app_ctx(r), d, &e, &ok);
  if( err ) return nerr_pass(err);
  if( !ok ){
    *bad = arena_printf(req_arena(r), "report.def.%s", e.key);
    set(r, "Form.ErrorArg", e.arg);
    return STATUS_OK;
  }
  *out = d;
  return STATUS_OK;
}

static NEOERR *roles_hdf(REQ *r){
  return nerr_pass(q_report_roles_hdf(app_db(r), req_hdf(r), "Roles"));
}

NEOERR *rp_build(REQ *r){
  const char *code = req_query(r, "form");
  const char *ids = req_query(r, "id");
  long long id = 0;
  NEOERR *err = roles_hdf(r);
  if( err ) return nerr_pass(err);
  if( ids && *ids ){
    char *end;
    id = strtoll(ids, &end, 10);
    if( *end || id<=0 ) return nerr_raise(ERR_INPUT, "bad_request");
  }
  /* editing a saved report: only its owner */
  if( id && (code==NULL || *code==0) ){
    REPORT_DEF *d;
    if( (err = report_find(app_ctx(r), arena_printf(req_arena(r), "u%lld", id), &d)) ) return nerr_pass(err);
    if( d==NULL || d->owner_id!=app_user(r)->id ) return nerr_raise(ERR_NOTFOUND, "not_found");
    renumber(d, req_arena(r));
    choices_of(r, d);
    return nerr_pass(builder_page(r, d->fm, id));
  }
  if( code==NULL || *code==0 ) return nerr_pass(builder_page(r, NULL, id));
  const FORM *f;
  if( (err = form_get(app_ctx(r), code, &f)) ) return nerr_pass(err);
  if( f==NULL || !f->active ) return nerr_raise(ERR_NOTFOUND, "not_found");
  /* the choices as they were posted back, for the page */
  static const char *keep[] = { "name", "period", "sort", "desc", "chart", NULL };
  for(int i=0; keep[i]; i++) set(r, arena_printf(req_arena(r), "B.%s", keep[i]), req_query(r, keep[i]));
  for(int i=1; i<=NMEAS; i++){
    set(r, arena_printf(req_arena(r), "B.m%d_fn", i), req_query(r, arena_printf(req_arena(r), "m%d_fn", i)));
    set(r, arena_printf(req_arena(r), "B.m%d_field", i), req_query(r, arena_printf(req_arena(r), "m%d_field", i)));
  }
  for(int i=1; i<=NDIM; i++) set(r, arena_printf(req_arena(r), "B.g%d", i), req_query(r, arena_printf(req_arena(r), "g%d", i)));
  for(int i=1; i<=NFILT; i++){
    static const char *fp[] = { "field", "op", "value" };
    for(int k=0; k<3; k++) set(r, arena_printf(req_arena(r), "B.f%d_%s", i, fp[k]), req_query(r, arena_printf(req_arena(r), "f%d_%s", i, fp[k])));
  }
  for(HDF *c = hdf_get_child(req_hdf(r), "Roles"); c; c = hdf_obj_next(c)){
    const char *rc = hdf_get_value(c, "code", "");
    const char *on = req_query(r, arena_printf(req_arena(r), "role_%s", rc));
    if( on && !strcmp(on, "1") ) hset_fmt(req_hdf(r), "B.role.%s=1", rc);
  }
  /* a preview: the same engine, with the period of the page */
  const char *preview = req_query(r, "preview");
  if( preview && !strcmp(preview, "1") ){
    REPORT_DEF *d;
    const char *bad;
    if( (err = builder_def(r, f, &d, &bad)) ) return nerr_pass(err);
    if( bad ){
      view_set_text(r, "Form.Error", bad);
      req_set_status(r, 400);
    }else{
      REPORT_ARGS g;
      d->code = "custom";
      if( (err = show(r, d, &g, args_of(r, d, &g), 1)) ) return nerr_pass(err);
      hset_int(req_hdf(r), "B.preview", 1);
    }
  }
  return nerr_pass(builder_page(r, f, id));
}

NEOERR *rp_save(REQ *r){
  const char *code = req_form(r, "form"), *ids = req_form(r, "id");
  long long id = 0;
  NEOERR *err = roles_hdf(r);
  if( err ) return nerr_pass(err);
  if( ids && *ids ){
    char *end;
    id = strtoll(ids, &end, 10);
    if( *end || id<0 ) return nerr_raise(ERR_INPUT, "bad_request");
  }
  const FORM *f = NULL;
  if( code && *code && (err = form_get(app_ctx(r), code, &f)) ) return nerr_pass(err);
  if( f==NULL || !f->active ) return nerr_raise(ERR_INPUT, "bad_request");
  const char *name = req_form(r, "name");
  REPORT_DEF *d = NULL;
  const char *bad = NULL;
  if( name==NULL || *str_trim(req_arena(r), name)==0 ) bad = "report.def.no_name";
  else if( (err = builder_def(r, f, &d, &bad)) ) return nerr_pass(err);
  if( bad==NULL ){
    d->id = id;
    if( (err = report_save(app_ctx(r), d, &bad)) ) return nerr_pass(err);
  }
  if( bad ){
    /* the page again with every choice kept */
    view_set_text(r, "Form.Error", bad);
    req_set_status(r, bad && !strcmp(bad, "report.not_found") ? 404 : 400);
    HDF *h = req_hdf(r);
    static const char *keep[] = { "name", "period", "sort", "desc", "chart", NULL };
    for(int i=0; keep[i]; i++) hset_fmt(h, "B.%s=%s", keep[i], line(r, req_form(r, keep[i])));
    for(int i=1; i<=NMEAS; i++){
      hset_fmt(h, "B.m%d_fn=%s", i, line(r, req_form(r, arena_printf(req_arena(r), "m%d_fn", i))));
      hset_fmt(h, "B.m%d_field=%s", i, line(r, req_form(r, arena_printf(req_arena(r), "m%d_field", i))));
    }
    for(int i=1; i<=NDIM; i++) hset_fmt(h, "B.g%d=%s", i, line(r, req_form(r, arena_printf(req_arena(r), "g%d", i))));
    for(int i=1; i<=NFILT; i++){
      static const char *fp[] = { "field", "op", "value" };
      for(int k=0; k<3; k++) hset_fmt(h, "B.f%d_%s=%s", i, fp[k], line(r, req_form(r, arena_printf(req_arena(r), "f%d_%s", i, fp[k]))));
    }
    return nerr_pass(builder_page(r, f, id));
  }
  req_redirect(r, arena_printf(req_arena(r), "/report/view?r=u%lld", d->id));
  return STATUS_OK;
}

NEOERR *rp_delete(REQ *r){
  const char *ids = req_form(r, "id");
  char *end;
  long long id = ids ? strtoll(ids, &end, 10) : 0;
  if( ids==NULL || *end || id<=0 ) return nerr_raise(ERR_INPUT, "bad_request");
  const char *msg;
  NEOERR *err = report_delete(app_ctx(r), id, &msg);
  if( err ) return nerr_pass(err);
  if( msg ) return nerr_raise(ERR_NOTFOUND, "not_found");
  req_redirect(r, "/report/?ok=deleted");
  return STATUS_OK;
}
