/*
** rrun.c -- running a checked report definition: the period's days, the
** unit filter within the user's reach, the grouped aggregation (one SQL
** statement, q_report_run), the measures computed from it in DEC (averages,
** spans, ratios, the previous period and the change), totals from the same
** raw figures, the order, and the result table the formats render.
*/
#include "report.h"
#include "conf.h"
#include "day.h"
#include "err.h"
#include "form.h"
#include "hmap.h"
#include "q_report.h"
#include "str.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_CAPS (CAP_ENTRY | CAP_APPROVE | CAP_DISPATCH | CAP_REPORT)
#define RANGE_MAX 1830          /* a custom range: at most five years */

/* ------------------------------------------------------------------ */
/* the period                                                          */

static int ymd_parse(const char *s, long *n){
  int y, m, d;
  char tail;
  if( s==NULL || strlen(s)!=10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail)!=3 || !day_ymd_ok(y, m, d) ) return -1;
  *n = day_num(y, m, d);
  return 0;
}

static const char *ymd_text(ARENA *a, long n){
  char buf[DAY_KEYSZ];
  return arena_strdup(a, day_ymd_text(day_ymd(n), buf));
}

static NEOERR *today(CTX *c, long *n){
  DAYCAL cal;
  NEOERR *err = day_cal_conf(&cal, c->conf);
  if( err ) return nerr_pass(err);
  YMD t = day_today(&cal, ctx_now(c));
  *n = day_num(t.y, t.m, t.d);
  return STATUS_OK;
}

/* [f, t] and the period of the same kind just before it */
static NEOERR *bounds(CTX *c, const REPORT_ARGS *g, long *f, long *t, long *pf, long *pt){
  long at;
  if( g->period==RP_RANGE ){
    if( ymd_parse(g->from, f) || ymd_parse(g->to, t) ) return nerr_raise(ERR_INPUT, "report_bad_period");
    if( *t<*f || *t - *f>=RANGE_MAX ) return nerr_raise(ERR_INPUT, "report_bad_range");
    *pt = *f - 1;
    *pf = *pt - (*t - *f);
    return STATUS_OK;
  }
  if( g->date && *g->date ){
    if( ymd_parse(g->date, &at) ) return nerr_raise(ERR_INPUT, "report_bad_period");
  }else{
    NEOERR *err = today(c, &at);
    if( err ) return nerr_pass(err);
  }
  switch( g->period ){
    case RP_DAY: *f = *t = at; *pf = *pt = at - 1; break;
    case RP_WEEK: *f = at - (day_weekday(at) - 1); *t = *f + 6; *pf = *f - 7; *pt = *f - 1; break;
    case RP_MONTH: {
      YMD d = day_ymd(at);
      *f = day_num(d.y, d.m, 1);
      *t = *f + day_month_days(d.y, d.m) - 1;
      YMD p = day_ymd(*f - 1);
      *pf = day_num(p.y, p.m, 1);
      *pt = *f - 1;
      break;
    }
    default: return nerr_raise(ERR_INPUT, "report_bad_period");
  }
  return STATUS_OK;
}

NEOERR *report_period(CTX *c, const REPORT_ARGS *args, const char **from, const char **to,
                      const char **prev_from, const char **prev_to){
  long f = 0, t = 0, pf = 0, pt = 0;
  NEOERR *err = bounds(c, args, &f, &t, &pf, &pt);
  if( err ) return nerr_pass(err);
  *from = ymd_text(c->arena, f);
  *to = ymd_text(c->arena, t);
  if( prev_from ) *prev_from = ymd_text(c->arena, pf);
  if( prev_to ) *prev_to = ymd_text(c->arena, pt);
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* the raw figures of a group                                          */

typedef struct {
  int set;                      /* the SQL value was not NULL */
  DEC v;                        /* SUM / MIN / MAX / the sum of an average or span */
  long long n;                  /* COUNT, or the count of an average or span */
} RAW;

typedef struct {
  const char **key, **code, **name;   /* per dimension */
  RAW *raw;                     /* per measure */
  const char *k;                /* the dimensions' keys joined, to match periods */
  DEC *val;                     /* the measures' final values */
  int *has;
} GROUP;

typedef struct {
  GROUP *g;
  int n, cap;
  GROUP total;
} RUN;

/* a number as MariaDB prints a DECIMAL or an integer -> DEC */
static int num(const char *s, DEC *out){
  if( s==NULL ) return -1;
  const char *dot = strchr(s, '.');
  int sc = dot ? (int)strlen(dot + 1) : 0;
  if( sc>DEC_MAXP ) return -1;
  return dec_parse(s, DEC_MAXP, sc, out)==DEC_OK ? 0 : -1;
}

static int qfn(const RMEAS *m){
  switch( m->fn ){
    case RM_COUNT: return m->f ? QM_COUNTF : QM_COUNT;
    case RM_SHEETS: return QM_SHEETS;
    case RM_SUM: return QM_SUM;
    case RM_AVG: return QM_AVG;
    case RM_MIN: return QM_MIN;
    case RM_MAX: return QM_MAX;
    case RM_SPAN: return QM_SPAN;
    default: return QM_NONE;
  }
}

static void qrun_of(CTX *c, const REPORT_DEF *d, QRUN *q){
  memset(q, 0, sizeof *q);
  q->table = form_table(c->arena, d->fm, d->rows ? FP_ROW : FP_HEADER);
  q->form_id = d->fm->id;
  q->user_id = ctx_is_operator(c) ? 0 : c->user->id;
  q->caps = REPORT_CAPS;
  q->ndim = d->ndim;
  for(int i=0; i<d->ndim; i++){
    const RDIM *x = &d->dims[i];
    switch( x->kind ){
      case RD_UNIT: q->dim[i].kind = QD_UNIT; break;
      case RD_DAY: q->dim[i].kind = QD_DAY; break;
      case RD_WEEK: q->dim[i].kind = QD_WEEK; break;
      case RD_MONTH: q->dim[i].kind = QD_MONTH; break;
      case RD_FIELD:
        q->dim[i].col = x->f->code;
        if( x->f->type==FT_SELECT ) q->dim[i].kind = QD_SELECT;
        else if( x->f->lk==LK_ORG ) q->dim[i].kind = QD_ORG;
        else if( x->f->lk==LK_USER ) q->dim[i].kind = QD_USER;
        else { q->dim[i].kind = QD_BASE; q->dim[i].lk_kind = x->f->lk_kind; }
        break;
    }
  }
  q->nmeas = d->nmeas;
  for(int i=0; i<d->nmeas; i++){
    q->meas[i].fn = qfn(&d->meas[i]);
    q->meas[i].col = d->meas[i].f ? d->meas[i].f->code : NULL;
    q->meas[i].col2 = d->meas[i].f2 ? d->meas[i].f2->code : NULL;
  }
  q->nfilt = d->nfilt;
  for(int i=0; i<d->nfilt; i++){
    const RFILT *x = &d->filt[i];
    q->filt[i].col = x->f->code;
    q->filt[i].op = x->op;
    q->filt[i].value = x->value;
    switch( x->f->type ){
      case FT_INT: case FT_DEC: q->filt[i].kind = QF_NUM; break;
      case FT_LOOKUP:
        q->filt[i].kind = x->f->lk==LK_ORG ? QF_ORG : x->f->lk==LK_USER ? QF_USER : QF_BASE;
        q->filt[i].lk_kind = x->f->lk_kind;
        break;
      default: q->filt[i].kind = QF_TEXT; break;
    }
  }
}

static GROUP *group_new(RUN *r, ARENA *a, const REPORT_DEF *d){
  if( r->n==r->cap ){
    int cap = r->cap ? r->cap * 2 : 64;
    GROUP *g = arena_alloc(a, sizeof(GROUP) * (size_t)cap);
    if( r->n ) memcpy(g, r->g, sizeof(GROUP) * (size_t)r->n);
    r->g = g;
    r->cap = cap;
  }
  GROUP *g = &r->g[r->n++];
  memset(g, 0, sizeof *g);
  g->key = arena_alloc(a, sizeof(char*) * (size_t)(d->ndim + 1));
  g->code = arena_alloc(a, sizeof(char*) * (size_t)(d->ndim + 1));
  g->name = arena_alloc(a, sizeof(char*) * (size_t)(d->ndim + 1));
  g->raw = arena_alloc(a, sizeof(RAW) * (size_t)(d->nmeas + 1));
  g->val = arena_alloc(a, sizeof(DEC) * (size_t)(d->nmeas + 1));
  g->has = arena_alloc(a, sizeof(int) * (size_t)(d->nmeas + 1));
  return g;
}

static NEOERR *overflow(void){ return nerr_raise(ERR_INPUT, "report_overflow"); }

/* add a group's raw figures into the totals */
static NEOERR *raw_add(const REPORT_DEF *d, RAW *t, const RAW *x){
  for(int i=0; i<d->nmeas; i++){
    if( !x[i].set ) continue;
    RMEAS_FN fn = d->meas[i].fn;
    if( !t[i].set ){ t[i] = x[i]; continue; }
    t[i].n += x[i].n;
    if( fn==RM_MIN ){ if( dec_cmp(x[i].v, t[i].v)<0 ) t[i].v = x[i].v; }
    else if( fn==RM_MAX ){ if( dec_cmp(x[i].v, t[i].v)>0 ) t[i].v = x[i].v; }
    else if( dec_add(t[i].v, x[i].v, &t[i].v) ) return overflow();
  }
  return STATUS_OK;
}

/* the final values of a group from its raw figures (prev: the matching
** group of the previous period, or NULL) */
static NEOERR *finish(const REPORT_DEF *d, GROUP *g, const GROUP *prev){
  for(int i=0; i<d->nmeas; i++){
    const RMEAS *m = &d->meas[i];
    const RAW *x = &g->raw[i];
    DEC v;
    int has = 0;
    switch( m->fn ){
      case RM_COUNT: case RM_SHEETS: v = dec_from_i64(x->set ? x->n : 0); has = 1; break;
      case RM_SUM: case RM_MIN: case RM_MAX:
        if( x->set ){ if( dec_round(x->v, m->scale, &v) ) return overflow(); has = 1; }
        break;
      case RM_AVG:
        if( x->set && x->n>0 ){ if( dec_div_round(x->v, dec_from_i64(x->n), m->scale, &v) ) return overflow(); has = 1; }
        break;
      case RM_SPAN:
        if( x->set && x->n>0 ){
          if( dec_div_round(x->v, dec_from_i64(x->n * 3600), m->scale, &v) ) return overflow();
          has = 1;
        }
        break;
      case RM_RATIO: {
        /* of the operands' exact values (sums and counts: never rounded) */
        const DEC *o = &g->val[m->of_i], *p = &g->val[m->per_i];
        if( g->has[m->of_i] && g->has[m->per_i] && p->u!=0 ){
          DEC num;
          if( dec_mul(*o, m->times, &num) || dec_div_round(num, *p, m->scale, &v) ) return overflow();
          has = 1;
        }
        break;
      }
      case RM_PREV:
        if( prev && prev->has[m->of_i] ){ v = prev->val[m->of_i]; has = 1; }
        break;
      case RM_CHANGE:
        if( prev && prev->has[m->of_i] && g->has[m->of_i] && prev->val[m->of_i].u!=0 ){
          DEC diff, pct;
          if( dec_sub(g->val[m->of_i], prev->val[m->of_i], &diff) || dec_mul(diff, dec_from_i64(100), &pct)
              || dec_div_round(pct, prev->val[m->of_i], m->scale, &v) ) return overflow();
          has = 1;
        }
        break;
    }
    g->has[i] = has;
    if( has ) g->val[i] = v;
  }
  return STATUS_OK;
}

/* one period's groups and totals (prev: the previous period's run, for
** RM_PREV and RM_CHANGE; NULL when there is none) */
static NEOERR *run_period(CTX *c, const REPORT_DEF *d, QRUN *q, RUN *r, const RUN *prev){
  DB_STMT *st;
  ARENA *a = c->arena;
  NEOERR *err = q_report_run(c->db, a, q, &st);
  if( err ) return nerr_pass(err);
  memset(r, 0, sizeof *r);
  while( db_step(st) ){
    GROUP *g = group_new(r, a, d);
    int col = 0;
    STRING k;
    string_init(&k);
    for(int i=0; i<d->ndim; i++){
      const char *key = db_text(st, col), *code = db_text(st, col + 1), *name = db_text(st, col + 2);
      g->key[i] = arena_strdup(a, key ? key : "");
      g->code[i] = arena_strdup(a, code ? code : "");
      g->name[i] = arena_strdup(a, name ? name : "");
      string_append(&k, g->key[i]);
      string_append_char(&k, '\x1f');
      col += 3;
    }
    g->k = arena_strdup(a, k.buf ? k.buf : "");
    string_clear(&k);
    for(int i=0; i<d->nmeas; i++, col += 2){
      const char *v = db_text(st, col), *n = db_text(st, col + 1);
      RAW *x = &g->raw[i];
      switch( q->meas[i].fn ){
        case QM_COUNT: case QM_COUNTF: case QM_SHEETS:
          x->set = 1; x->n = atoll(v ? v : "0"); break;
        case QM_SUM: case QM_MIN: case QM_MAX:
          if( v ){ if( num(v, &x->v) ){ db_done(st); return nerr_raise(NERR_ASSERT, "report: number %s", v); } x->set = 1; }
          break;
        case QM_AVG: case QM_SPAN:
          if( v ){ if( num(v, &x->v) ){ db_done(st); return nerr_raise(NERR_ASSERT, "report: number %s", v); } x->set = 1; }
          x->n = atoll(n ? n : "0");
          break;
      }
    }
  }
  if( (err = db_finish(st)) ) return nerr_pass(err);
  /* totals from the raw figures */
  GROUP *t = &r->total;
  t->raw = arena_alloc(a, sizeof(RAW) * (size_t)(d->nmeas + 1));
  t->val = arena_alloc(a, sizeof(DEC) * (size_t)(d->nmeas + 1));
  t->has = arena_alloc(a, sizeof(int) * (size_t)(d->nmeas + 1));
  for(int i=0; i<r->n; i++) if( (err = raw_add(d, t->raw, r->g[i].raw)) ) return nerr_pass(err);
  /* sheets are not additive over groups that split a sheet (its rows) */
  for(int i=0; i<d->nmeas; i++){
    if( d->meas[i].fn!=RM_SHEETS || !d->rows ) continue;
    int split = 0;
    for(int k=0; k<d->ndim; k++) if( d->dims[k].kind==RD_FIELD && d->dims[k].f->part==FP_ROW ) split = 1;
    if( !split ) continue;
    long long n;
    if( (err = q_report_sheets(c->db, a, q, &n)) ) return nerr_pass(err);
    t->raw[i].set = 1;
    t->raw[i].n = n;
  }
  /* final values; the previous period's group of the same keys */
  HMAP *pm = NULL;
  if( prev && prev->n ){
    pm = hmap_new(a, prev->n);
    for(int k=0; k<prev->n; k++) hmap_put(pm, prev->g[k].k, &prev->g[k]);
  }
  for(int i=0; i<r->n; i++){
    const GROUP *pg = pm ? hmap_get(pm, r->g[i].k) : NULL;
    if( (err = finish(d, &r->g[i], pg)) ) return nerr_pass(err);
  }
  return nerr_pass(finish(d, t, prev ? &prev->total : NULL));
}

/* ------------------------------------------------------------------ */
/* order                                                               */

static const REPORT_DEF *sort_def;

static int opt_index(const FFIELD *f, const char *v){
  for(int i=0; i<f->nopt; i++) if( strcmp(f->options[i], v)==0 ) return i;
  return f->nopt;
}

static int by_dims(const GROUP *x, const GROUP *y){
  const REPORT_DEF *d = sort_def;
  for(int i=0; i<d->ndim; i++){
    int c;
    if( d->dims[i].kind==RD_FIELD && d->dims[i].f->type==FT_SELECT )
      c = opt_index(d->dims[i].f, x->key[i]) - opt_index(d->dims[i].f, y->key[i]);
    else if( d->dims[i].kind==RD_UNIT || d->dims[i].kind==RD_FIELD ){
      c = strcmp(x->code[i], y->code[i]);
      if( c==0 ) c = strcmp(x->key[i], y->key[i]);
    }
    else c = strcmp(x->key[i], y->key[i]);
    if( c ) return c;
  }
  return 0;
}

static int cmp_group(const void *a, const void *b){
  const GROUP *x = a, *y = b;
  const REPORT_DEF *d = sort_def;
  if( d->sort_by ){
    int i = d->sort_by - 1, c;
    if( x->has[i] && y->has[i] ) c = dec_cmp(x->val[i], y->val[i]);
    else c = x->has[i] - y->has[i];
    if( d->sort_desc ) c = -c;
    if( c ) return c;
  }
  return by_dims(x, y);
}

/* ------------------------------------------------------------------ */
/* the result                                                          */

static const char *dim_label(const RDIM *x, int en){
  if( x->label ) return x->label;
  switch( x->kind ){
    case RD_UNIT: return en ? "Unit" : "单位";
    case RD_DAY: return en ? "Day" : "日期";
    case RD_WEEK: return en ? "Week" : "周";
    case RD_MONTH: return en ? "Month" : "月份";
    case RD_FIELD: return en && x->f->label_en ? x->f->label_en : x->f->label;
  }
  return "";
}

static const char *dim_cell(ARENA *a, const RDIM *x, const GROUP *g, int i, int en){
  switch( x->kind ){
    case RD_WEEK: {
      long n;
      int wy, wk;
      if( ymd_parse(g->key[i], &n) ) return g->key[i];
      day_iso_week(n, &wy, &wk);
      return en ? arena_printf(a, "%d-W%02d", wy, wk) : arena_printf(a, "%d年第%d周", wy, wk);
    }
    case RD_MONTH: {
      int y, m;
      if( sscanf(g->key[i], "%d-%d", &y, &m)!=2 ) return g->key[i];
      return en ? g->key[i] : arena_printf(a, "%d年%d月", y, m);
    }
    case RD_FIELD:
      if( x->f->type==FT_SELECT ) return g->key[i];
      if( *g->name[i]==0 ) return *g->key[i] ? g->key[i] : "";
      return g->name[i];
    default: return g->name[i];
  }
}

static const char *meas_label(ARENA *a, const RMEAS *m){
  if( m->unit && *m->unit ) return arena_printf(a, "%s（%s）", m->label, m->unit);
  return m->label;
}

static const char *cell_of(ARENA *a, const GROUP *g, int i, int scale){
  if( !g->has[i] ) return "";
  DEC v;
  char buf[DEC_BUFSZ];
  if( dec_round(g->val[i], scale, &v) ) v = g->val[i];
  return arena_strdup(a, dec_format(v, buf));
}

static const char *period_text(ARENA *a, const char *from, const char *to, int en){
  if( strcmp(from, to)==0 ) return from;
  return arena_printf(a, en ? "%s to %s" : "%s 至 %s", from, to);
}

NEOERR *report_run(CTX *c, const REPORT_DEF *d, const REPORT_ARGS *args, REPORT_RESULT **out){
  ARENA *a = c->arena;
  NEOERR *err;
  int en = args->lang && strcmp(args->lang, "en")==0;
  REPORT_RESULT *res = arena_alloc(a, sizeof *res);
  res->def = d;
  res->pending = args->pending;
  if( d->fm==NULL ) return nerr_raise(NERR_ASSERT, "report %s not checked", d->code);
  if( (err = report_period(c, args, &res->from, &res->to, &res->prev_from, &res->prev_to)) ) return nerr_pass(err);
  QRUN q;
  qrun_of(c, d, &q);
  q.pending = args->pending;
  /* the unit filter: a unit within the user's reach, and below it */
  res->unit = en ? "All units in your scope" : "权限范围内全部单位";
  if( args->unit_id>0 ){
    const char *path, *name;
    int found;
    if( (err = q_report_unit(c->db, args->unit_id, q.user_id, q.caps, &path, &name, &found)) ) return nerr_pass(err);
    if( !found ) return nerr_raise(ERR_INPUT, "report_bad_unit");
    q.path = path;
    res->unit = arena_printf(a, en ? "%s and below" : "%s（含下级）", name);
  }else if( args->unit_id<0 ) return nerr_raise(ERR_INPUT, "report_bad_unit");
  /* the previous period first, when a measure needs it */
  int need_prev = 0;
  for(int i=0; i<d->nmeas; i++) if( d->meas[i].fn==RM_PREV || d->meas[i].fn==RM_CHANGE ) need_prev = 1;
  RUN prev, cur;
  if( need_prev ){
    QRUN qp = q;
    qp.from = res->prev_from;
    qp.to = res->prev_to;
    if( (err = run_period(c, d, &qp, &prev, NULL)) ) return nerr_pass(err);
  }
  q.from = res->from;
  q.to = res->to;
  if( (err = run_period(c, d, &q, &cur, need_prev ? &prev : NULL)) ) return nerr_pass(err);
  sort_def = d;
  if( cur.n>1 ) qsort(cur.g, (size_t)cur.n, sizeof(GROUP), cmp_group);
  sort_def = NULL;

  /* the table */
  res->ncol = d->ndim + d->nmeas;
  res->cols = arena_alloc(a, sizeof(RCOL) * (size_t)(res->ncol + 1));
  for(int i=0; i<d->ndim; i++){ res->cols[i].label = dim_label(&d->dims[i], en); res->cols[i].dim = 1; }
  for(int i=0; i<d->nmeas; i++){
    RCOL *x = &res->cols[d->ndim + i];
    x->label = meas_label(a, &d->meas[i]);
    x->numeric = 1;
    x->scale = d->meas[i].scale;
  }
  res->nrow = cur.n;
  res->cells = arena_alloc(a, sizeof(char**) * (size_t)(cur.n + 1));
  for(int r=0; r<cur.n; r++){
    const char **row = arena_alloc(a, sizeof(char*) * (size_t)(res->ncol + 1));
    for(int i=0; i<d->ndim; i++) row[i] = dim_cell(a, &d->dims[i], &cur.g[r], i, en);
    for(int i=0; i<d->nmeas; i++) row[d->ndim + i] = cell_of(a, &cur.g[r], i, d->meas[i].scale);
    res->cells[r] = row;
  }
  res->totals = arena_alloc(a, sizeof(char*) * (size_t)(res->ncol + 1));
  res->totals[0] = en ? "Total" : "合计";
  for(int i=0; i<d->nmeas; i++) res->totals[d->ndim + i] = cell_of(a, &cur.total, i, d->meas[i].scale);

  /* the words around it */
  const char *name = en && d->name_en ? d->name_en : d->name;
  res->title = args->pending ? arena_printf(a, en ? "%s (including sheets pending approval)" : "%s（含待审数据）", name) : name;
  res->company = conf_str(c->conf, "Site.CompanyName", "");
  res->period = period_text(a, res->from, res->to, en);
  DAYCAL cal;
  if( (err = day_cal_conf(&cal, c->conf)) ) return nerr_pass(err);
  YMD t;
  int secs;
  day_local(&cal, ctx_now(c), &t, &secs);
  res->generated_at = arena_printf(a, "%04d-%02d-%02d %02d:%02d", t.y, t.m, t.d, secs / 3600, secs / 60 % 60);
  res->en = en;
  /* the chart: the chosen measure per group, in the table's order */
  if( d->chart && cur.n>0 ){
    int m = d->chart - 1;
    RCHART *ch = arena_alloc(a, sizeof *ch);
    int n = cur.n<REPORT_CHART_MAX ? cur.n : REPORT_CHART_MAX;
    ch->label = res->cols[d->ndim + m].label;
    ch->n = n;
    ch->more = cur.n - n;
    ch->trend = d->ndim==1 && d->dims[0].kind>=RD_DAY && d->dims[0].kind<=RD_MONTH;
    ch->names = arena_alloc(a, sizeof(char*) * (size_t)n);
    ch->values = arena_alloc(a, sizeof(char*) * (size_t)n);
    ch->permille = arena_alloc(a, sizeof(int) * (size_t)n);
    DEC max = dec_from_i64(0);
    for(int r=0; r<n; r++) if( cur.g[r].has[m] && dec_cmp(cur.g[r].val[m], max)>0 ) max = cur.g[r].val[m];
    for(int r=0; r<n; r++){
      STRING s;
      string_init(&s);
      for(int i=0; i<d->ndim; i++){ if( i ) string_append(&s, " · "); string_append(&s, res->cells[r][i]); }
      ch->names[r] = arena_strdup(a, s.buf ? s.buf : "");
      string_clear(&s);
      ch->values[r] = res->cells[r][d->ndim + m];
      DEC p;
      if( cur.g[r].has[m] && max.u>0 && cur.g[r].val[m].u>0 && !dec_mul(cur.g[r].val[m], dec_from_i64(1000), &p)
          && !dec_div_round(p, max, 0, &p) ) ch->permille[r] = (int)p.u;
    }
    res->chart = ch;
  }
  *out = res;
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* the statements alone                                                */

static NEOERR *prepare(CTX *c, const REPORT_DEF *d, const REPORT_ARGS *args, QRUN *q, QRUN *qp, int *need_prev){
  const char *from, *to, *pf, *pt;
  NEOERR *err = report_period(c, args, &from, &to, &pf, &pt);
  if( err ) return nerr_pass(err);
  qrun_of(c, d, q);
  q->pending = args->pending;
  q->from = from;
  q->to = to;
  if( args->unit_id>0 ){
    const char *path, *name;
    int found;
    if( (err = q_report_unit(c->db, args->unit_id, q->user_id, q->caps, &path, &name, &found)) ) return nerr_pass(err);
    if( !found ) return nerr_raise(ERR_INPUT, "report_bad_unit");
    q->path = path;
  }
  *need_prev = 0;
  for(int i=0; i<d->nmeas; i++) if( d->meas[i].fn==RM_PREV || d->meas[i].fn==RM_CHANGE ) *need_prev = 1;
  *qp = *q;
  qp->from = pf;
  qp->to = pt;
  return STATUS_OK;
}

NEOERR *report_sql(CTX *c, const REPORT_DEF *d, const REPORT_ARGS *args, const char **sql){
  QRUN q, qp;
  int np;
  const char *fmt;
  DB_ARG *v;
  NEOERR *err = prepare(c, d, args, &q, &qp, &np);
  if( err ) return nerr_pass(err);
  return nerr_pass(q_report_sql(c->arena, &q, 0, sql, &fmt, &v));
}

NEOERR *report_raw(CTX *c, const REPORT_DEF *d, const REPORT_ARGS *args, int *rows){
  QRUN q, qp;
  int np;
  NEOERR *err = prepare(c, d, args, &q, &qp, &np);
  if( err ) return nerr_pass(err);
  *rows = 0;
  for(int k=np ? 0 : 1; k<2; k++){
    DB_STMT *st;
    if( (err = q_report_run(c->db, c->arena, k==0 ? &qp : &q, &st)) ) return nerr_pass(err);
    while( db_step(st) ) if( k==1 ) (*rows)++;
    if( (err = db_finish(st)) ) return nerr_pass(err);
  }
  return STATUS_OK;
}
