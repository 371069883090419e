/*
** report.c -- report definitions: parsing the HDF text (built-in files
** under conf/reports/ and the builder's saved reports are the same text),
** checking every name against the applied form, the built-ins of a process,
** finding a report the acting user may run, and saving builder reports.
** Running and rendering are in rrun.c and rfmt.c; the SQL in sql/q_report.c.
*/
#include "report.h"
#include "conf.h"
#include "err.h"
#include "form.h"
#include "json.h"
#include "q_report.h"
#include "str.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int fail(REPORT_ERR *e, const char *where, const char *key, const char *arg){
  if( e ){ e->line = 0; e->where = where ? where : ""; e->key = key; e->arg = arg ? arg : ""; }
  return 1;
}

static const struct { const char *name; RMEAS_FN fn; } FNS[] = {
  { "count", RM_COUNT }, { "sheets", RM_SHEETS }, { "sum", RM_SUM }, { "avg", RM_AVG },
  { "min", RM_MIN }, { "max", RM_MAX }, { "span", RM_SPAN }, { "ratio", RM_RATIO },
  { "prev", RM_PREV }, { "change", RM_CHANGE }, { NULL, 0 }
};
static const struct { const char *name; RDIM_KIND k; } DIMS[] = {
  { "unit", RD_UNIT }, { "day", RD_DAY }, { "week", RD_WEEK }, { "month", RD_MONTH }, { "field", RD_FIELD }, { NULL, 0 }
};
static const char *OPS[] = { "eq", "ne", "lt", "le", "gt", "ge", NULL };

const char *report_fn_name(RMEAS_FN fn){
  for(int i=0; FNS[i].name; i++) if( FNS[i].fn==fn ) return FNS[i].name;
  return "";
}
const char *report_dim_name(RDIM_KIND k){
  for(int i=0; DIMS[i].name; i++) if( DIMS[i].k==k ) return DIMS[i].name;
  return "";
}
const char *report_period_name(RPERIOD p){
  switch( p ){ case RP_DAY: return "day"; case RP_WEEK: return "week"; case RP_MONTH: return "month"; case RP_RANGE: return "range"; }
  return "";
}
RPERIOD report_period_of(const char *s){
  if( s==NULL ) return 0;
  if( !strcmp(s, "day") ) return RP_DAY;
  if( !strcmp(s, "week") ) return RP_WEEK;
  if( !strcmp(s, "month") ) return RP_MONTH;
  if( !strcmp(s, "range") ) return RP_RANGE;
  return 0;
}

static const char *val(ARENA *a, HDF *h, const char *name){
  const char *v = hdf_get_value(h, name, NULL);
  if( v==NULL ) return NULL;
  v = str_trim(a, v);
  return *v ? v : NULL;
}

static int name_ok(const char *s){ return s && str_is_name(s, strlen(s), FDEF_FIELD_MAX) && s[0]>='a' && s[0]<='z'; }

static int meas_index(const REPORT_DEF *d, const char *code){
  for(int i=0; i<d->nmeas; i++) if( strcmp(d->meas[i].code, code)==0 ) return i;
  return -1;
}

int report_parse(ARENA *a, const char *file, const char *text, REPORT_DEF **out, REPORT_ERR *e){
  HDF *h;
  NEOERR *err;
  *out = NULL;
  if( (err = hdf_init(&h)) ){ nerr_ignore(&err); return fail(e, "", "syntax", file); }
  if( (err = hdf_read_string(h, text)) ){ nerr_ignore(&err); hdf_destroy(&h); return fail(e, "", "syntax", file); }
  REPORT_DEF *d = arena_alloc(a, sizeof *d);
  int bad = 0;
  d->arena = a;
  d->text = arena_strdup(a, text);
  d->code = val(a, h, "Code");
  d->name = val(a, h, "Name");
  d->name_en = val(a, h, "NameEn");
  d->form = val(a, h, "Form");
  const char *p = val(a, h, "Period");
  d->period = p ? report_period_of(p) : RP_MONTH;
  if( d->code==NULL || !name_ok(d->code) ) bad = fail(e, "Code", "bad_code", d->code);
  else if( d->name==NULL ) bad = fail(e, "Name", "no_name", "");
  else if( utf8_len(d->name) > 40 ) bad = fail(e, "Name", "long_name", "40");
  else if( d->form==NULL || !name_ok(d->form) ) bad = fail(e, "Form", "no_form", d->form);
  else if( d->period==0 ) bad = fail(e, "Period", "bad_period", p);
  /* group-by dimensions */
  HDF *g = hdf_get_obj(h, "Group");
  for(HDF *c = g ? hdf_obj_child(g) : NULL; c && !bad; c = hdf_obj_next(c)){
    const char *where = arena_printf(a, "Group.%s", hdf_obj_name(c));
    if( d->ndim==REPORT_MAXDIM ){ bad = fail(e, where, "too_many_dims", "4"); break; }
    RDIM *x = &d->dims[d->ndim++];
    const char *by = val(a, c, "By");
    for(int i=0; by && DIMS[i].name; i++) if( !strcmp(by, DIMS[i].name) ) x->kind = DIMS[i].k;
    if( x->kind==0 ){ bad = fail(e, where, "bad_by", by); break; }
    x->field = val(a, c, "Field");
    x->label = val(a, c, "Label");
    if( x->kind==RD_FIELD && !name_ok(x->field) ){ bad = fail(e, where, "no_field", x->field); break; }
    for(int i=0; i<d->ndim-1; i++)
      if( d->dims[i].kind==x->kind && (x->kind!=RD_FIELD || !strcmp(d->dims[i].field, x->field)) ){
        bad = fail(e, where, "dup_dim", ""); break;
      }
  }
  /* measures */
  HDF *m = hdf_get_obj(h, "Measures");
  for(HDF *c = m ? hdf_obj_child(m) : NULL; c && !bad; c = hdf_obj_next(c)){
    const char *where = arena_printf(a, "Measures.%s", hdf_obj_name(c));
    if( d->nmeas==REPORT_MAXMEAS ){ bad = fail(e, where, "too_many_meas", "16"); break; }
    RMEAS *x = &d->meas[d->nmeas];
    x->code = arena_strdup(a, hdf_obj_name(c));
    if( !name_ok(x->code) ){ bad = fail(e, where, "bad_code", x->code); break; }
    if( meas_index(d, x->code)>=0 ){ bad = fail(e, where, "dup_meas", x->code); break; }
    d->nmeas++;
    const char *fn = val(a, c, "Fn");
    for(int i=0; fn && FNS[i].name; i++) if( !strcmp(fn, FNS[i].name) ) x->fn = FNS[i].fn;
    if( x->fn==0 ){ bad = fail(e, where, "bad_fn", fn); break; }
    x->label = val(a, c, "Label");
    x->unit = val(a, c, "Unit");
    const char *sc = val(a, c, "Scale");
    x->scale = -1;
    if( sc ){
      char *end;
      long s = strtol(sc, &end, 10);
      if( *end || s<0 || s>6 ){ bad = fail(e, where, "bad_scale", sc); break; }
      x->scale = (int)s;
    }
    x->of_i = x->per_i = -1;
    switch( x->fn ){
      case RM_COUNT:
        x->field = val(a, c, "Field");
        if( x->field && !name_ok(x->field) ) bad = fail(e, where, "no_field", x->field);
        break;
      case RM_SHEETS: break;
      case RM_SUM: case RM_AVG: case RM_MIN: case RM_MAX:
        x->field = val(a, c, "Field");
        if( !name_ok(x->field) ) bad = fail(e, where, "no_field", x->field);
        break;
      case RM_SPAN:
        x->field = val(a, c, "From");
        x->field2 = val(a, c, "To");
        if( !name_ok(x->field) || !name_ok(x->field2) ) bad = fail(e, where, "no_span", "");
        break;
      case RM_RATIO: {
        x->of = val(a, c, "Of");
        x->per = val(a, c, "Per");
        const char *t = val(a, c, "Times");
        x->times = dec_from_i64(1);
        if( t && dec_parse(t, 12, 4, &x->times) ){ bad = fail(e, where, "bad_times", t); break; }
        x->times = dec_trim(x->times);
        if( x->of==NULL || x->per==NULL ){ bad = fail(e, where, "no_of", ""); break; }
        x->of_i = meas_index(d, x->of);
        x->per_i = meas_index(d, x->per);
        if( x->of_i<0 || x->per_i<0 ){ bad = fail(e, where, "of_before", x->of_i<0 ? x->of : x->per); break; }
        break;
      }
      case RM_PREV: case RM_CHANGE:
        x->of = val(a, c, "Of");
        x->of_i = x->of ? meas_index(d, x->of) : -1;
        if( x->of_i<0 ){ bad = fail(e, where, "of_before", x->of ? x->of : ""); break; }
        if( d->meas[x->of_i].fn==RM_PREV || d->meas[x->of_i].fn==RM_CHANGE ) bad = fail(e, where, "of_before", x->of);
        break;
    }
  }
  if( !bad && d->nmeas==0 ) bad = fail(e, "Measures", "no_meas", "");
  /* filters */
  HDF *fl = hdf_get_obj(h, "Filters");
  for(HDF *c = fl ? hdf_obj_child(fl) : NULL; c && !bad; c = hdf_obj_next(c)){
    const char *where = arena_printf(a, "Filters.%s", hdf_obj_name(c));
    if( d->nfilt==REPORT_MAXFILT ){ bad = fail(e, where, "too_many_filt", "8"); break; }
    RFILT *x = &d->filt[d->nfilt++];
    x->field = val(a, c, "Field");
    x->op = val(a, c, "Op");
    x->value = val(a, c, "Value");
    if( x->op==NULL ) x->op = "eq";
    int okop = 0;
    for(int i=0; OPS[i]; i++) if( !strcmp(OPS[i], x->op) ){ okop = 1; x->op = OPS[i]; }
    if( !name_ok(x->field) ) bad = fail(e, where, "no_field", x->field);
    else if( !okop ) bad = fail(e, where, "bad_op", x->op);
    else if( x->value==NULL ) bad = fail(e, where, "no_value", "");
    else if( strlen(x->value)>100 ) bad = fail(e, where, "no_value", "");
  }
  /* sort, chart, roles */
  const char *s = val(a, h, "Sort");
  if( !bad && s ){
    char *w = arena_strdup(a, s), *sp = strchr(w, ' ');
    if( sp ){ *sp++ = 0; while( *sp==' ' ) sp++; }
    int k = meas_index(d, w);
    if( k<0 ) bad = fail(e, "Sort", "bad_sort", w);
    else if( sp && *sp && strcmp(sp, "desc") && strcmp(sp, "asc") ) bad = fail(e, "Sort", "bad_sort", sp);
    else { d->sort_by = k + 1; d->sort_desc = sp && !strcmp(sp, "desc"); }
  }
  const char *ch = val(a, h, "Chart");
  if( !bad && ch ){
    int k = meas_index(d, ch);
    if( k<0 ) bad = fail(e, "Chart", "bad_chart", ch);
    else d->chart = k + 1;
  }
  const char *roles = val(a, h, "Roles");
  if( !bad && roles ){
    char *w = arena_strdup(a, roles), *save = NULL;
    for(char *t = strtok_r(w, ", ", &save); t; t = strtok_r(NULL, ", ", &save)){
      if( d->nroles==REPORT_MAXROLES || !name_ok(t) ){ bad = fail(e, "Roles", "bad_role", t); break; }
      d->roles[d->nroles++] = t;
    }
  }
  hdf_destroy(&h);
  if( bad ) return 1;
  *out = d;
  return 0;
}

/* ------------------------------------------------------------------ */
/* checking against the applied form                                   */

static int numeric(const FFIELD *f){
  return f->type==FT_INT || f->type==FT_DEC || (f->type==FT_COMPUTED && f->expr);
}

NEOERR *report_check(CTX *c, REPORT_DEF *d, REPORT_ERR *e, int *ok){
  const FORM *f;
  *ok = 0;
  NEOERR *err = form_get(c, d->form, &f);
  if( err ) return nerr_pass(err);
  if( f==NULL || !f->active ){ fail(e, "Form", "no_form", d->form); return STATUS_OK; }
  d->fm = f;
  for(int i=0; i<d->ndim; i++){
    RDIM *x = &d->dims[i];
    if( x->kind!=RD_FIELD ) continue;
    const FFIELD *ff = fdef_field(f, x->field);
    if( ff==NULL ){ fail(e, arena_printf(c->arena, "Group.%s", x->field), "unknown_field", x->field); return STATUS_OK; }
    if( ff->type!=FT_SELECT && ff->type!=FT_LOOKUP ){
      fail(e, arena_printf(c->arena, "Group.%s", x->field), "not_groupable", ff->label); return STATUS_OK;
    }
    x->f = ff;
  }
  for(int i=0; i<d->nmeas; i++){
    RMEAS *x = &d->meas[i];
    const char *where = arena_printf(c->arena, "Measures.%s", x->code);
    if( x->field ){
      x->f = fdef_field(f, x->field);
      if( x->f==NULL ){ fail(e, where, "unknown_field", x->field); return STATUS_OK; }
    }
    if( x->field2 ){
      x->f2 = fdef_field(f, x->field2);
      if( x->f2==NULL ){ fail(e, where, "unknown_field", x->field2); return STATUS_OK; }
    }
    switch( x->fn ){
      case RM_SUM: case RM_AVG: case RM_MIN: case RM_MAX:
        if( !numeric(x->f) ){ fail(e, where, "not_numeric", x->f->label); return STATUS_OK; }
        /* an average: the field's decimals, one for whole numbers */
        if( x->scale<0 ) x->scale = x->f->type==FT_INT ? (x->fn==RM_AVG ? 1 : 0) : x->f->scale;
        break;
      case RM_SPAN:
        if( x->f->type!=FT_TIME || x->f2->type!=FT_TIME || x->f->part!=x->f2->part ){
          fail(e, where, "not_time", x->f->type!=FT_TIME ? x->f->label : x->f2->label); return STATUS_OK;
        }
        if( x->scale<0 ) x->scale = 2;
        break;
      case RM_COUNT: case RM_SHEETS: x->scale = 0; break;
      case RM_RATIO: if( x->scale<0 ) x->scale = 2; break;
      case RM_PREV: x->scale = d->meas[x->of_i].scale; break;
      case RM_CHANGE: if( x->scale<0 ) x->scale = 1; break;
    }
    if( x->label==NULL ){
      /* the builder names no labels: the function and the field's label */
      /* copied into the definition's own arena: a built-in outlives the request */
      const char *fl = x->f ? x->f->label : "";
      switch( x->fn ){
        case RM_COUNT: x->label = x->f ? arena_printf(d->arena, "%s（条数）", fl) : "记录数"; break;
        case RM_SHEETS: x->label = "报表份数"; break;
        case RM_AVG: x->label = arena_printf(d->arena, "平均%s", fl); break;
        case RM_MIN: x->label = arena_printf(d->arena, "最小%s", fl); break;
        case RM_MAX: x->label = arena_printf(d->arena, "最大%s", fl); break;
        case RM_SPAN: x->label = "平均用时"; break;
        default: x->label = x->f ? arena_strdup(d->arena, fl) : x->code; break;
      }
    }
    if( x->unit==NULL && x->f && x->f->unit && (x->fn==RM_SUM || x->fn==RM_AVG || x->fn==RM_MIN || x->fn==RM_MAX) )
      x->unit = arena_strdup(d->arena, x->f->unit);
  }
  for(int i=0; i<d->nfilt; i++){
    RFILT *x = &d->filt[i];
    const char *where = arena_printf(c->arena, "Filters.%s", x->field);
    x->f = fdef_field(f, x->field);
    if( x->f==NULL ){ fail(e, where, "unknown_field", x->field); return STATUS_OK; }
    if( x->f->type==FT_TEXTAREA || x->f->type==FT_COMPUTED ){ fail(e, where, "not_filterable", x->f->label); return STATUS_OK; }
    if( (x->f->type==FT_SELECT || x->f->type==FT_LOOKUP || x->f->type==FT_TEXT) && strcmp(x->op, "eq") && strcmp(x->op, "ne") ){
      fail(e, where, "bad_op", x->op); return STATUS_OK;
    }
    if( x->f->type==FT_SELECT ){
      int found = 0;
      for(int k=0; k<x->f->nopt; k++) if( !strcmp(x->f->options[k], x->value) ) found = 1;
      if( !found ){ fail(e, where, "bad_option", x->value); return STATUS_OK; }
    }
    if( x->f->type==FT_INT || x->f->type==FT_DEC ){
      DEC v;
      if( dec_parse(x->value, DEC_MAXP, x->f->type==FT_INT ? 0 : x->f->scale, &v) ){ fail(e, where, "bad_number", x->value); return STATUS_OK; }
      char buf[DEC_BUFSZ];
      if( strcmp(dec_format(v, buf), x->value) ) x->value = arena_strdup(d->arena, buf);
    }
  }
  /* every field of a report is in one part: the rows, or the header alone */
  int rows = 0;
  for(int i=0; i<d->ndim; i++) if( d->dims[i].f && d->dims[i].f->part==FP_ROW ) rows = 1;
  for(int i=0; i<d->nmeas; i++) if( d->meas[i].f && d->meas[i].f->part==FP_ROW ) rows = 1;
  for(int i=0; i<d->nfilt; i++) if( d->filt[i].f->part==FP_ROW ) rows = 1;
  if( f->nrf > 0 && !rows ){
    /* counting with no field named counts rows when the form has them */
    for(int i=0; i<d->nmeas; i++) if( d->meas[i].fn==RM_COUNT && d->meas[i].f==NULL ) rows = 1;
  }
  d->rows = rows;
  /* summing a header field over rows would count it once per row */
  if( rows ){
    for(int i=0; i<d->ndim; i++) if( d->dims[i].f && d->dims[i].f->part==FP_HEADER ){ fail(e, "Group", "mixed_parts", d->dims[i].f->label); return STATUS_OK; }
    for(int i=0; i<d->nmeas; i++)
      if( (d->meas[i].f && d->meas[i].f->part==FP_HEADER) || (d->meas[i].f2 && d->meas[i].f2->part==FP_HEADER) ){
        fail(e, "Measures", "mixed_parts", d->meas[i].label); return STATUS_OK;
      }
    for(int i=0; i<d->nfilt; i++) if( d->filt[i].f->part==FP_HEADER ){ fail(e, "Filters", "mixed_parts", d->filt[i].f->label); return STATUS_OK; }
  }
  *ok = 1;
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* the definition as text (the builder saves it)                       */

static void kv(STRING *s, const char *ind, const char *k, const char *v){
  if( v==NULL || *v==0 ) return;
  string_appendf(s, "%s%s = %s\n", ind, k, v);
}

const char *report_text(ARENA *a, const REPORT_DEF *d){
  STRING s;
  string_init(&s);
  kv(&s, "", "Code", d->code);
  kv(&s, "", "Name", d->name);
  kv(&s, "", "NameEn", d->name_en);
  kv(&s, "", "Form", d->form);
  kv(&s, "", "Period", report_period_name(d->period));
  if( d->ndim ){
    string_append(&s, "Group {\n");
    for(int i=0; i<d->ndim; i++){
      string_appendf(&s, "  g%d {\n", i + 1);
      kv(&s, "    ", "By", report_dim_name(d->dims[i].kind));
      kv(&s, "    ", "Field", d->dims[i].field);
      string_append(&s, "  }\n");
    }
    string_append(&s, "}\n");
  }
  string_append(&s, "Measures {\n");
  for(int i=0; i<d->nmeas; i++){
    const RMEAS *x = &d->meas[i];
    char buf[DEC_BUFSZ];
    string_appendf(&s, "  %s {\n", x->code);
    kv(&s, "    ", "Fn", report_fn_name(x->fn));
    if( x->fn==RM_SPAN ){ kv(&s, "    ", "From", x->field); kv(&s, "    ", "To", x->field2); }
    else kv(&s, "    ", "Field", x->field);
    kv(&s, "    ", "Of", x->of);
    kv(&s, "    ", "Per", x->per);
    if( x->fn==RM_RATIO ) kv(&s, "    ", "Times", dec_format(x->times, buf));
    string_append(&s, "  }\n");
  }
  string_append(&s, "}\n");
  if( d->nfilt ){
    string_append(&s, "Filters {\n");
    for(int i=0; i<d->nfilt; i++){
      string_appendf(&s, "  f%d {\n", i + 1);
      kv(&s, "    ", "Field", d->filt[i].field);
      kv(&s, "    ", "Op", d->filt[i].op);
      kv(&s, "    ", "Value", d->filt[i].value);
      string_append(&s, "  }\n");
    }
    string_append(&s, "}\n");
  }
  if( d->sort_by ) string_appendf(&s, "Sort = %s%s\n", d->meas[d->sort_by - 1].code, d->sort_desc ? " desc" : "");
  if( d->chart ) string_appendf(&s, "Chart = %s\n", d->meas[d->chart - 1].code);
  if( d->nroles ){
    string_append(&s, "Roles = ");
    for(int i=0; i<d->nroles; i++) string_appendf(&s, "%s%s", i ? ", " : "", d->roles[i]);
    string_append(&s, "\n");
  }
  char *out = arena_strdup(a, s.buf ? s.buf : "");
  string_clear(&s);
  return out;
}

/* ------------------------------------------------------------------ */
/* built-ins                                                           */

/* parsed once per process (a changed file comes with new workers) */
static ARENA *bi_arena;
static REPORT_DEF **bi;
static int nbi, bi_loaded;

static int by_name(const void *x, const void *y){ return strcmp(*(char *const *)x, *(char *const *)y); }

NEOERR *report_builtins(CTX *c, REPORT_DEF ***out, int *n){
  if( !bi_loaded ){
    const char *dir = conf_str(c->conf, "Paths.Reports", "conf/reports");
    DIR *dh = opendir(dir);
    if( dh==NULL ) return nerr_raise_errno(NERR_IO, "reports: %s", dir);
    if( bi_arena==NULL ) bi_arena = arena_new(65536);
    char **names = NULL;
    int nn = 0, cap = 0;
    for(struct dirent *de; (de = readdir(dh)); ){
      size_t l = strlen(de->d_name);
      if( l<5 || strcmp(de->d_name + l - 4, ".hdf") || de->d_name[0]=='.' ) continue;
      if( nn==cap ){ cap = cap ? cap * 2 : 16; names = realloc(names, sizeof(char*) * (size_t)cap); }
      names[nn++] = arena_printf(bi_arena, "%s/%s", dir, de->d_name);
    }
    closedir(dh);
    qsort(names, (size_t)nn, sizeof(char*), by_name);
    bi = arena_alloc(bi_arena, sizeof(REPORT_DEF*) * (size_t)(nn + 1));
    nbi = 0;
    for(int i=0; i<nn; i++){
      char *text = NULL;
      NEOERR *err = ne_load_file(names[i], &text);
      if( err ){ free(names); return nerr_pass(err); }
      REPORT_DEF *d;
      REPORT_ERR e;
      int bad = report_parse(bi_arena, names[i], text, &d, &e);
      free(text);
      if( bad ){
        NEOERR *x = nerr_raise(NERR_ASSERT, "report %s: %s %s %s", names[i], e.where, e.key, e.arg);
        free(names);
        return x;
      }
      bi[nbi++] = d;
    }
    free(names);
    bi_loaded = 1;
  }
  /* checked against the forms as applied now (a form applied later is
  ** picked up: checking is cheap, the forms are cached per worker) */
  REPORT_DEF **ok = arena_alloc(c->arena, sizeof(REPORT_DEF*) * (size_t)(nbi + 1));
  int k = 0;
  for(int i=0; i<nbi; i++){
    REPORT_ERR e;
    int good;
    NEOERR *err = report_check(c, bi[i], &e, &good);
    if( err ) return nerr_pass(err);
    if( good ) ok[k++] = bi[i];
  }
  *out = ok;
  *n = k;
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* finding a report the user may run                                   */

/* readers of report data: any business capability; the data itself is cut
** to the user's grants by Q_SCOPE when it runs */
#define REPORT_CAPS (CAP_ENTRY | CAP_APPROVE | CAP_DISPATCH | CAP_REPORT)

NEOERR *report_find(CTX *c, const char *code, REPORT_DEF **out){
  *out = NULL;
  if( code==NULL ) return STATUS_OK;
  if( code[0]=='u' && code[1]>='1' && code[1]<='9' ){
    char *end;
    long long id = strtoll(code + 1, &end, 10);
    if( *end || id<=0 ) return STATUS_OK;
    QREPORT q;
    int found;
    NEOERR *err = q_report_get(c->db, id, c->user->id, &q, &found);
    if( err ) return nerr_pass(err);
    if( !found || !q.may_run ) return STATUS_OK;
    REPORT_DEF *d;
    REPORT_ERR e;
    if( report_parse(c->arena, code, q.text, &d, &e) ) return STATUS_OK;
    d->id = id;
    d->code = arena_printf(c->arena, "u%lld", id);
    d->owner_id = q.owner_id;
    int ok;
    if( (err = report_check(c, d, &e, &ok)) ) return nerr_pass(err);
    if( ok ) *out = d;
    return STATUS_OK;
  }
  REPORT_DEF **all;
  int n;
  NEOERR *err = report_builtins(c, &all, &n);
  if( err ) return nerr_pass(err);
  for(int i=0; i<n; i++) if( strcmp(all[i]->code, code)==0 ){ *out = all[i]; break; }
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* saved reports                                                       */

NEOERR *report_save(CTX *c, REPORT_DEF *d, const char **msg){
  *msg = NULL;
  if( ctx_is_operator(c) ){ *msg = "report.save_operator"; return STATUS_OK; }
  /* the roles must exist */
  for(int i=0; i<d->nroles; i++){
    int found;
    NEOERR *err = q_report_role_ok(c->db, d->roles[i], &found);
    if( err ) return nerr_pass(err);
    if( !found ){ *msg = "report.bad_role"; return STATUS_OK; }
  }
  const char *roles = "";
  for(int i=0; i<d->nroles; i++) roles = arena_printf(c->arena, "%s%s%s", roles, i ? "," : "", d->roles[i]);
  long long id = d->id;
  NEOERR *err = DB_TX(c->db, msg, ({
    NEOERR *e_ = STATUS_OK;
    int changed = 1;
    if( id ){
      int mine;
      e_ = q_report_update(c->db, id, c->user->id, d->name, d->form, report_text(c->arena, d), roles, &mine, &changed);
      if( !e_ && !mine ) *msg = "report.not_found";
    }else{
      e_ = q_report_insert(c->db, c->user->id, d->name, d->form, report_text(c->arena, d), roles, &id);
    }
    if( !e_ && *msg==NULL && changed ){
      JSON j;
      json_open(&j);
      json_str(&j, "name", d->name);
      json_str(&j, "form", d->form);
      json_str(&j, "roles", roles);
      json_end(&j);
      e_ = ctx_audit(c, id==d->id ? "report.update" : "report.save", arena_printf(c->arena, "report:%lld", id), "ok",
                     json_done(&j, c->arena));
    }
    e_; }));
  if( err ) return nerr_pass(err);
  if( *msg==NULL ){ d->id = id; d->code = arena_printf(c->arena, "u%lld", id); }
  return STATUS_OK;
}

NEOERR *report_delete(CTX *c, long long id, const char **msg){
  *msg = NULL;
  return nerr_pass(DB_TX(c->db, msg, ({
    int mine;
    NEOERR *e_ = q_report_delete(c->db, id, c->user->id, &mine);
    if( !e_ && !mine ) *msg = "report.not_found";
    if( !e_ && mine ) e_ = ctx_audit(c, "report.delete", arena_printf(c->arena, "report:%lld", id), "ok", "{}");
    e_; })));
}

NEOERR *report_saved_hdf(CTX *c, HDF *hdf, const char *prefix, int *n){
  return nerr_pass(q_report_list(c->db, c->user->id, hdf, prefix, n));
}
