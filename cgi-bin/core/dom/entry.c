/*
** entry.c -- see entry.h.
*/
#include "entry.h"
#include "conf.h"
#include "flow.h"
#include "err.h"
#include "hmap.h"
#include "json.h"
#include "q_form.h"
#include "str.h"
#include "val.h"
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int entry_reach_all(const CTX *c, unsigned caps){
  if( ctx_is_operator(c) ) return 1;
  for(int i=0; i<c->user->ngrants; i++)
    if( (c->user->grants[i].caps & caps) && c->user->grants[i].scope==SCOPE_ALL ) return 1;
  return 0;
}

NEOERR *entry_cal(CTX *c, DAYCAL *cal){
  return nerr_pass(day_cal_conf(cal, c->conf));
}

int entry_period_key(const FORM *f, const DAYCAL *cal, const char *date, int shift, char key[DAY_KEYSZ]){
  int y, m, d;
  char tail;
  if( date==NULL || sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &tail)!=3 || !day_ymd_ok(y, m, d) ) return -1;
  PERIOD p = day_period_of_date(f->period, day_num(y, m, d));
  if( f->period==DAY_P_SHIFT ){
    if( shift<1 || shift>cal->nshift ) return -1;
    p.shift = shift;
  }
  day_period_key(&p, key);
  return 0;
}

/* the instant of the action as the database stores instants */
static const char *at_text(CTX *c){
  char buf[DAY_KEYSZ];
  return arena_strdup(c->arena, day_utc_text(ctx_now(c), buf));
}

/* ------------------------------------------------------------------ */
/* cells                                                               */

static ECELL *cells(ARENA *a, int n){
  ECELL *c = arena_alloc(a, sizeof(ECELL) * (size_t)(n ? n : 1));
  for(int i=0; i<n; i++) c[i].raw = c[i].val = c[i].shown = "";
  return c;
}

static void grow(SHEET *s, ARENA *a, int need){
  if( need<=s->cap ) return;
  int cap = s->cap ? s->cap : 4;
  while( cap<need ) cap *= 2;
  EROW *r = arena_alloc(a, sizeof(EROW) * (size_t)cap);
  if( s->nrows ) memcpy(r, s->rows, sizeof(EROW) * (size_t)s->nrows);
  s->rows = r;
  s->cap = cap;
}

void entry_add_rows(SHEET *s, ARENA *a, int n){
  grow(s, a, s->nrows + n);
  for(int i=0; i<n; i++){
    EROW *r = &s->rows[s->nrows++];
    r->id = 0;
    r->c = cells(a, s->f->nrf);
    r->empty = 1;
  }
}

void entry_rows(SHEET *s, ARENA *a, int n){
  if( n<s->nrows ) s->nrows = n;
  else entry_add_rows(s, a, n - s->nrows);
}

void entry_drop_row(SHEET *s, int row){
  if( row<0 || row>=s->nrows ) return;
  memmove(&s->rows[row], &s->rows[row + 1], sizeof(EROW) * (size_t)(s->nrows - row - 1));
  s->nrows--;
}

void entry_set(SHEET *s, ARENA *a, int row, int field, const char *raw){
  ECELL *c;
  if( row<0 ){
    if( field<0 || field>=s->f->nhf ) return;
    c = &s->h[field];
  }else{
    if( row>=s->nrows || field<0 || field>=s->f->nrf ) return;
    c = &s->rows[row].c[field];
  }
  c->raw = c->shown = raw ? raw : "";
  c->val = "";
  c->err = NULL;
  c->literal = 0;
  (void)a;
}

static void sheet_init(SHEET *s, ARENA *a, const FORM *f){
  memset(s, 0, sizeof *s);
  s->f = f;
  s->h = cells(a, f->nhf);
  s->editable = 1;
  s->caps = CAP_ENTRY;
}

/* the period of a key, its first day and window */
static int sheet_period(CTX *c, SHEET *s, const DAYCAL *cal, const char *key){
  if( key==NULL || day_period_parse(cal, key, &s->period) || s->period.kind!=s->f->period ) return -1;
  day_period_key(&s->period, s->key);
  day_ymd_text(day_ymd(s->period.first), s->pstart);
  form_window(s->f, cal, &s->period, &s->win);
  s->state = form_state_of(s->f, &s->win, ctx_now(c));
  s->history = form_history(s->f, &s->win, ctx_now(c));
  return 0;
}

/* ------------------------------------------------------------------ */
/* a new sheet, a stored one                                           */

NEOERR *entry_new(CTX *c, const char *form_code, long long unit_id, const char *period_key,
                  SHEET *s, const char **msg){
  return nerr_pass(entry_new_caps(c, CAP_ENTRY, form_code, unit_id, period_key, s, msg));
}

NEOERR *entry_new_caps(CTX *c, unsigned caps, const char *form_code, long long unit_id,
                       const char *period_key, SHEET *s, const char **msg){
  const FORM *f;
  DAYCAL cal;
  int found, ffound;
  NEOERR *err;
  QFORM qf;
  QUNIT u;
  *msg = NULL;
  if( form_code==NULL ) form_code = "";
  if( (err = entry_cal(c, &cal)) ) return nerr_pass(err);
  /* the form, the unit in scope and the period's sheet in one statement:
  ** the period's key from the definition this worker parsed last, which
  ** the form's registry row (its hash) then confirms */
  const FORM *guess = form_cached(form_code);
  char key[DAY_KEYSZ] = "";
  PERIOD p;
  if( guess && period_key && !day_period_parse(&cal, period_key, &p) && p.kind==guess->period )
    day_period_key(&p, key);
  long long other;
  if( (err = q_form_look(c->db, form_code, unit_id, c->user->id, caps, key, &qf, &ffound, &u, &found, &other)) )
    return nerr_pass(err);
  if( !ffound ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( (err = form_from(c, &qf, &f)) ) return nerr_pass(err);
  if( f==NULL || !f->active ) return nerr_raise(ERR_NOTFOUND, "not_found");
  sheet_init(s, c->arena, f);
  s->caps = caps;
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  s->unit = u;
  if( !s->unit.in_scope ) return nerr_raise(ERR_DENIED, "denied");
  if( !s->unit.active || !form_unit_ok(f, s->unit.code, s->unit.kind) ){ *msg = "entry.unit_not_submitting"; return STATUS_OK; }
  if( sheet_period(c, s, &cal, period_key) ){ *msg = "entry.bad_period"; return STATUS_OK; }
  /* a definition changed since: the period's sheet by its own key */
  if( strcmp(key, s->key)!=0 ){
    if( (err = q_entry_find(c->db, f->id, unit_id, s->key, &other, &found)) ) return nerr_pass(err);
    if( !found ) other = 0;
  }
  s->other_id = other;
  if( other ){ *msg = "entry.exists"; return STATUS_OK; }
  if( s->state==FW_EARLY ){ *msg = "entry.not_open"; return STATUS_OK; }
  if( s->state==FW_CLOSED ){
    if( (err = q_reopen_active(c->db, f->id, unit_id, s->key, at_text(c), &s->reopened)) ) return nerr_pass(err);
    if( !s->reopened ){ *msg = "entry.closed"; return STATUS_OK; }
  }
  s->e.unit_id = unit_id;
  s->e.form_id = f->id;
  s->e.status = "";
  if( f->nrf ) entry_add_rows(s, c->arena, f->min_rows>1 ? f->min_rows : 1);
  return STATUS_OK;
}


/* lookups: ids -> codes and names for a column of cells */
static NEOERR *show_refs(CTX *c, const FFIELD *f, ECELL **cl, int n){
  if( n==0 ) return STATUS_OK;
  long long *ids = arena_alloc(c->arena, sizeof(long long) * (size_t)n);
  int k = 0;
  for(int i=0; i<n; i++) if( cl[i]->val && *cl[i]->val ) ids[k++] = atoll(cl[i]->val);
  QREF *refs;
  int nr;
  NEOERR *err = q_refs_by_id(c->db, f->lk, ids, k, &refs, &nr);
  if( err ) return nerr_pass(err);
  for(int i=0; i<n; i++){
    if( !cl[i]->val || !*cl[i]->val ) continue;
    long long id = atoll(cl[i]->val);
    for(int j=0; j<nr; j++) if( refs[j].id==id ){
      cl[i]->raw = refs[j].code;
      cl[i]->shown = arena_printf(c->arena, "%s %s", refs[j].code, refs[j].name);
      break;
    }
  }
  return STATUS_OK;
}

/* the stored values of one sheet into cells (header, rows); rows from row
** table ids/vals of n rows */
static NEOERR *fill_stored(CTX *c, SHEET *s, const char **hv, long long *ids, const char ***rv, int n, int keep_ids){
  const FORM *f = s->f;
  ARENA *a = c->arena;
  NEOERR *err;
  for(int i=0; i<f->nhf && hv; i++){
    const char *v = hv[i] ? hv[i] : "";
    if( f->hf[i].type==FT_TIME && strlen(v)==8 ) v = arena_strndup(a, v, 5);
    s->h[i].raw = s->h[i].val = s->h[i].shown = v;
  }
  s->nrows = 0;
  entry_add_rows(s, a, n);
  for(int r=0; r<n; r++){
    s->rows[r].id = keep_ids ? ids[r] : 0;
    s->rows[r].empty = 0;
    for(int i=0; i<f->nrf; i++){
      const char *v = rv[r][i] ? rv[r][i] : "";
      if( f->rf[i].type==FT_TIME && strlen(v)==8 ) v = arena_strndup(a, v, 5);
      if( !keep_ids && f->rf[i].type==FT_COMPUTED ) v = "";
      s->rows[r].c[i].raw = s->rows[r].c[i].val = s->rows[r].c[i].shown = v;
    }
  }
  /* lookups: show codes */
  ECELL **col = arena_alloc(a, sizeof(ECELL*) * (size_t)(n + 1));
  for(int i=0; i<f->nhf; i++){
    if( f->hf[i].type!=FT_LOOKUP ) continue;
    col[0] = &s->h[i];
    if( (err = show_refs(c, &f->hf[i], col, 1)) ) return nerr_pass(err);
  }
  for(int i=0; i<f->nrf; i++){
    if( f->rf[i].type!=FT_LOOKUP ) continue;
    for(int r=0; r<n; r++) col[r] = &s->rows[r].c[i];
    if( (err = show_refs(c, &f->rf[i], col, n)) ) return nerr_pass(err);
  }
  return STATUS_OK;
}

static QSHEET qsheet(ARENA *a, const FORM *f, int part){
  QSHEET q;
  const FFIELD *fs = part==FP_ROW ? f->rf : f->hf;
  int n = part==FP_ROW ? f->nrf : f->nhf;
  q.table = form_table(a, f, part);
  q.cols = arena_alloc(a, sizeof(char*) * (size_t)(n ? n : 1));
  for(int i=0; i<n; i++) q.cols[i] = fs[i].code;
  q.ncols = n;
  return q;
}

/* the stored values of sheet id (header and rows) */
static NEOERR *read_stored(CTX *c, const FORM *f, long long id, const char ***hv, long long **ids,
                           const char ****rv, int *n){
  NEOERR *err;
  int found = 0;
  *hv = NULL;
  *n = 0;
  if( f->nhf ){
    QSHEET qh = qsheet(c->arena, f, FP_HEADER);
    if( (err = q_sheet_header(c->db, &qh, id, hv, &found)) ) return nerr_pass(err);
  }
  if( f->nrf ){
    QSHEET qr = qsheet(c->arena, f, FP_ROW);
    if( (err = q_sheet_rows(c->db, &qr, id, ids, rv, n)) ) return nerr_pass(err);
  }
  return STATUS_OK;
}

static int editable(const char *status){
  return strcmp(status, "draft")==0 || strcmp(status, "returned")==0;
}

NEOERR *entry_load(CTX *c, long long id, unsigned caps, SHEET *s){
  QENTRY e;
  int found;
  const FORM *f;
  DAYCAL cal;
  NEOERR *err = q_entry_get(c->db, id, 0, c->user->id, caps, &e, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( !e.in_scope ) return nerr_raise(ERR_DENIED, "denied");
  if( (err = form_get_id(c, e.form_id, &f)) ) return nerr_pass(err);
  if( f==NULL ) return nerr_raise(ERR_NOTFOUND, "not_found");
  sheet_init(s, c->arena, f);
  s->e = e;
  s->unit = (QUNIT){ e.unit_id, e.unit_code, e.unit_name, e.unit_kind, e.unit_path, 1, 1 };
  if( (err = entry_cal(c, &cal)) ) return nerr_pass(err);
  if( sheet_period(c, s, &cal, e.period_key) ) return nerr_raise(NERR_ASSERT, "stored period %s", e.period_key);
  if( s->state==FW_CLOSED && (err = q_reopen_active(c->db, f->id, e.unit_id, s->key, at_text(c), &s->reopened)) )
    return nerr_pass(err);
  s->editable = editable(e.status);
  const char **hv;
  long long *ids;
  const char ***rv;
  int n;
  if( (err = read_stored(c, f, id, &hv, &ids, &rv, &n)) ) return nerr_pass(err);
  return nerr_pass(fill_stored(c, s, hv, ids, rv, n, 1));
}

NEOERR *entry_copy_prev(CTX *c, SHEET *s, int *found){
  long long id = 0;
  NEOERR *err = q_entry_before(c->db, s->f->id, s->unit.id, s->pstart, &id);
  *found = 0;
  if( err || id==0 ) return nerr_pass(err);
  const char **hv;
  long long *ids;
  const char ***rv;
  int n;
  if( (err = read_stored(c, s->f, id, &hv, &ids, &rv, &n)) ) return nerr_pass(err);
  if( n==0 ) return STATUS_OK;
  *found = 1;
  /* the rows only: the header is this period's own */
  ECELL *keep = s->h;
  s->h = cells(c->arena, s->f->nhf);
  err = fill_stored(c, s, NULL, ids, rv, n, 0);
  s->h = keep;
  return nerr_pass(err);
}

/* ------------------------------------------------------------------ */
/* checking                                                            */

static void cell_err(SHEET *s, ECELL *c, const char *key, const char *arg){
  if( c->err ) return;                 /* the first problem of a cell is shown */
  c->err = key;
  c->arg = arg;
  c->literal = 0;
  s->nerr++;
}

static const char *dec_text(ARENA *a, DEC d){
  char buf[DEC_BUFSZ];
  return arena_strdup(a, dec_format(d, buf));
}

/* a typed cell (not lookup, not computed): canonical text or an error */
static void check_value(CTX *c, SHEET *s, const FFIELD *f, ECELL *cl, int strict){
  ARENA *a = c->arena;
  VALPARAM p;
  VALTYPE t = VAL_TEXT;
  const char *out, *why;
  memset(&p, 0, sizeof p);
  p.required = strict && f->required;
  switch( f->type ){
    case FT_INT: t = VAL_INT; break;
    case FT_DEC: t = VAL_DEC; p.prec = f->prec; p.scale = f->scale; break;
    case FT_DATE: t = VAL_DATE; break;
    case FT_TIME: t = VAL_TIME; break;
    case FT_TEXT: case FT_TEXTAREA: case FT_SELECT: t = VAL_TEXT; p.maxlen = f->maxlen ? f->maxlen : 100; break;
    default: return;
  }
  if( !val_check(t, &p, cl->raw, a, &out, &why) ){ cell_err(s, cl, why, NULL); return; }
  cl->val = out;
  if( !*out ) return;
  if( f->type==FT_INT || f->type==FT_DEC ){
    FVAL v = fdef_val(f, out);
    if( f->has_min && dec_cmp(v.v, f->min)<0 ){ cell_err(s, cl, "entry.min", dec_text(a, f->min)); return; }
    if( f->has_max && dec_cmp(v.v, f->max)>0 ){ cell_err(s, cl, "entry.max", dec_text(a, f->max)); return; }
  }
  if( f->type==FT_SELECT ){
    int ok = 0;
    for(int i=0; i<f->nopt && !ok; i++) ok = strcmp(f->options[i], out)==0;
    if( !ok ){ cell_err(s, cl, "entry.option", out); return; }
  }
  if( f->type==FT_TEXT && f->pattern ){
    regex_t re;
    if( regcomp(&re, f->pattern, REG_EXTENDED | REG_NOSUB)==0 ){
      int m = regexec(&re, out, 0, NULL, 0);
      regfree(&re);
      if( m!=0 ){
        if( f->pattern_msg ){
          cell_err(s, cl, f->pattern_msg, NULL);
          cl->literal = 1;
        }else cell_err(s, cl, "entry.pattern", NULL);
      }
    }
  }
}

static char *lower(ARENA *a, const char *s){
  char *o = arena_strdup(a, s);
  for(char *p = o; *p; p++) *p = (char)tolower((unsigned char)*p);
  return o;
}

/* the code typed in a lookup cell: "CL001 中巴01" -> "CL001" */
static const char *ref_code(ARENA *a, const char *raw){
  char *t = str_trim(a, raw ? raw : "");
  for(char *p = t; *p; p++){
    size_t sp = str_space_at(p);
    if( sp || *p==' ' ){ *p = 0; break; }
  }
  return t;
}

/* one lookup field over the given cells: the codes typed (q->codes, q->n)
** -- an empty required cell is an error here */
static void refs_codes(CTX *c, SHEET *s, const FFIELD *f, ECELL **cl, int n, int strict, QREFS *q){
  ARENA *a = c->arena;
  q->kind = f->lk;
  q->base_kind = f->lk_kind;
  q->codes = arena_alloc(a, sizeof(char*) * (size_t)(n + 1));
  q->n = 0;
  for(int i=0; i<n; i++){
    const char *code = ref_code(a, cl[i]->raw);
    cl[i]->val = "";
    if( !*code ){
      if( strict && f->required ) cell_err(s, cl[i], "val.required", NULL);
      continue;
    }
    q->codes[q->n++] = code;
  }
}

/* then the records found: check active and Own, the cells get their ids */
static void refs_apply(CTX *c, SHEET *s, const FFIELD *f, ECELL **cl, int n, const QREFS *q){
  ARENA *a = c->arena;
  if( q->n==0 ) return;
  HMAP *m = hmap_new(a, q->nout * 2 + 4);
  for(int j=0; j<q->nout; j++) hmap_put(m, lower(a, q->out[j].code), &q->out[j]);
  for(int i=0; i<n; i++){
    const char *code = ref_code(a, cl[i]->raw);
    if( !*code ) continue;
    QREF *r = hmap_get(m, lower(a, code));
    if( r==NULL ){ cell_err(s, cl[i], "entry.lookup_unknown", code); continue; }
    if( !r->active ){ cell_err(s, cl[i], "entry.lookup_inactive", r->code); continue; }
    if( f->own && *r->path && strncmp(r->path, s->unit.path, strlen(s->unit.path))!=0 ){
      cell_err(s, cl[i], "entry.lookup_own", r->code);
      continue;
    }
    cl[i]->val = arena_printf(a, "%lld", r->id);
    cl[i]->raw = r->code;
    cl[i]->shown = arena_printf(a, "%s %s", r->code, r->name);
  }
}

/* evaluation environment over a sheet */
typedef struct {
  CTX *c;
  SHEET *s;
  int row;
  HMAP *prev;                      /* "val/key" -> HMAP key value -> FVAL* */
  NEOERR *err;
} ENV;

static FVAL env_get(FENV *fe, const FFIELD *f){
  ENV *e = fe->data;
  const ECELL *cl = f->part==FP_ROW ? &e->s->rows[e->row].c[f->idx] : &e->s->h[f->idx];
  if( cl->err ) return (FVAL){ 0, { 0, 0 } };
  return fdef_val(f, cl->val);
}

static FVAL env_sum(FENV *fe, const FFIELD *f){
  ENV *e = fe->data;
  FVAL t = { 1, { 0, 0 } };
  for(int r=0; r<e->s->nrows; r++){
    if( e->s->rows[r].empty ) continue;
    const ECELL *cl = &e->s->rows[r].c[f->idx];
    FVAL v = fdef_val(f, cl->val);
    if( v.set && dec_add(t.v, v.v, &t.v) ) return (FVAL){ 0, { 0, 0 } };
  }
  return t;
}

static FVAL env_prev(FENV *fe, const FFIELD *f, const FFIELD *key){
  ENV *e = fe->data;
  FVAL none = { 0, { 0, 0 } };
  const char *k = e->s->rows[e->row].c[key->idx].val;
  if( k==NULL || !*k || e->err ) return none;
  ARENA *a = e->c->arena;
  const char *mk = arena_printf(a, "%s/%s", f->code, key->code);
  HMAP *vals = hmap_get(e->prev, mk);
  if( vals==NULL ){
    vals = hmap_new(a, 64);
    hmap_put(e->prev, mk, vals);
    long back = conf_int(e->c->conf, "Entry.PrevDays", 92);
    char since[DAY_KEYSZ];
    day_ymd_text(day_ymd(e->s->period.first - back), since);
    DB_STMT *st;
    e->err = q_sheet_prev(e->c->db, form_table(a, e->s->f, FP_ROW), key->code, f->code, e->s->f->id,
                          e->s->unit.id, e->s->pstart, since, &st);
    if( e->err ) return none;
    while( db_step(st) ){
      const char *kv = db_text(st, 0), *vv = db_text(st, 1);
      if( kv==NULL || vv==NULL || hmap_get(vals, kv) ) continue;     /* the latest first */
      FVAL *p = arena_alloc(a, sizeof *p);
      *p = fdef_val(f, vv);
      hmap_put(vals, arena_strdup(a, kv), p);
    }
  }
  FVAL *p = hmap_get(vals, k);
  return p ? *p : none;
}

static void computed(CTX *c, SHEET *s, ENV *env, const FFIELD *f, ECELL *cl){
  FENV fe = { env_get, env_sum, env_prev, env };
  int why = 0;
  FVAL v = fdef_eval(f->expr, &fe, &why);
  cl->val = cl->raw = cl->shown = "";
  cl->err = NULL;
  if( why==FX_OVERFLOW ){ cell_err(s, cl, "entry.computed_range", NULL); return; }
  if( why || !v.set ) return;               /* an empty operand or a division by zero: empty */
  DEC r;
  if( dec_round(v.v, f->scale, &r) || !dec_fits(r, f->prec, f->scale) ){
    cell_err(s, cl, "entry.computed_range", NULL);
    return;
  }
  cl->val = cl->raw = cl->shown = dec_text(c->arena, r);
}

static int blank(const char *s){
  while( s && *s ){
    size_t n = str_space_at(s);
    if( n==0 ) return 0;
    s += n;
  }
  return 1;
}

static int row_empty(const FORM *f, const EROW *r){
  for(int i=0; i<f->nrf; i++){
    if( f->rf[i].type==FT_COMPUTED ) continue;
    if( !blank(r->c[i].raw) ) return 0;
  }
  return 1;
}

NEOERR *entry_check(CTX *c, SHEET *s, int strict){
  const FORM *f = s->f;
  ARENA *a = c->arena;
  NEOERR *err;
  s->nerr = 0;
  s->msg = s->msg_arg = NULL;
  for(int i=0; i<f->nhf; i++){ s->h[i].err = NULL; s->h[i].val = ""; }
  int used = 0;
  for(int r=0; r<s->nrows; r++){
    for(int i=0; i<f->nrf; i++){ s->rows[r].c[i].err = NULL; s->rows[r].c[i].val = ""; }
    s->rows[r].empty = row_empty(f, &s->rows[r]);
    if( !s->rows[r].empty ) used++;
  }
  /* typed values */
  for(int i=0; i<f->nhf; i++) check_value(c, s, &f->hf[i], &s->h[i], strict);
  for(int r=0; r<s->nrows; r++){
    if( s->rows[r].empty ) continue;
    for(int i=0; i<f->nrf; i++) check_value(c, s, &f->rf[i], &s->rows[r].c[i], strict);
  }
  /* lookups: every lookup field's codes in one query */
  int nf = f->nhf + f->nrf, nq = 0;
  QREFS *q = arena_alloc(a, sizeof(QREFS) * (size_t)(nf + 1));
  ECELL ***cols = arena_alloc(a, sizeof(ECELL**) * (size_t)(nf + 1));
  int *ncol = arena_alloc(a, sizeof(int) * (size_t)(nf + 1));
  const FFIELD **lf = arena_alloc(a, sizeof(FFIELD*) * (size_t)(nf + 1));
  for(int i=0; i<nf; i++){
    const FFIELD *x = i<f->nhf ? &f->hf[i] : &f->rf[i - f->nhf];
    if( x->type!=FT_LOOKUP ) continue;
    ECELL **col = arena_alloc(a, sizeof(ECELL*) * (size_t)(s->nrows + 1));
    int n = 0;
    if( i<f->nhf ) col[n++] = &s->h[i];
    else for(int r=0; r<s->nrows; r++) if( !s->rows[r].empty ) col[n++] = &s->rows[r].c[i - f->nhf];
    refs_codes(c, s, x, col, n, strict, &q[nq]);
    cols[nq] = col;
    ncol[nq] = n;
    lf[nq++] = x;
  }
  if( (err = q_refs_by_codes(c->db, q, nq)) ) return nerr_pass(err);
  for(int j=0; j<nq; j++) refs_apply(c, s, lf[j], cols[j], ncol[j], &q[j]);
  /* computed fields, in their order (row fields for every row first) */
  ENV env = { c, s, 0, hmap_new(a, 8), NULL };
  for(int k=0; k<f->norder; k++){
    const FFIELD *x = f->order[k];
    if( x->part==FP_ROW ){
      for(int r=0; r<s->nrows; r++){
        if( s->rows[r].empty ) continue;
        env.row = r;
        computed(c, s, &env, x, &s->rows[r].c[x->idx]);
      }
    }else computed(c, s, &env, x, &s->h[x->idx]);
    if( env.err ) return nerr_pass(env.err);
  }
  /* rules, MinRows and MaxRows */
  if( strict ){
    FENV fe = { env_get, env_sum, env_prev, &env };
    for(int k=0; k<f->nrules; k++){
      const FRULE *ru = &f->rules[k];
      for(int r = 0; r<(ru->part==FP_ROW ? s->nrows : 1); r++){
        if( ru->part==FP_ROW && s->rows[r].empty ) continue;
        env.row = r;
        if( fdef_rule_ok(ru, &fe) ) continue;
        ECELL *cl = ru->field->part==FP_ROW ? &s->rows[r].c[ru->field->idx] : &s->h[ru->field->idx];
        if( cl->err ) continue;
        cell_err(s, cl, ru->message, ru->message_en);
        cl->literal = 1;
      }
    }
    if( f->nrf && used<f->min_rows && !s->msg ){ s->msg = "entry.min_rows"; s->msg_arg = arena_printf(a, "%d", f->min_rows); }
  }
  if( used>f->max_rows && !s->msg ){ s->msg = "entry.max_rows"; s->msg_arg = arena_printf(a, "%d", f->max_rows); }
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* saving                                                              */

/* the audit detail: one change per field that differs, rows by line */
typedef struct { STRING s; int n; } CHG;

static void chg_add(CHG *g, int row, const char *field, const char *old, const char *now){
  string_append(&g->s, g->n++ ? ",{" : "{");
  if( row ) string_appendf(&g->s, "\"row\":%d,", row);
  string_append(&g->s, "\"field\":");
  json_quote(&g->s, field);
  string_append(&g->s, ",\"old\":");
  if( old && *old ) json_quote(&g->s, old); else string_append(&g->s, "null");
  string_append(&g->s, ",\"new\":");
  if( now && *now ) json_quote(&g->s, now); else string_append(&g->s, "null");
  string_append(&g->s, "}");
}

/* the text a cell is audited as: lookups by code, the rest canonical */
static const char *audit_text(const FFIELD *f, const ECELL *cl){
  if( f->type==FT_LOOKUP ) return cl->val && *cl->val ? cl->raw : "";
  return cl->val;
}

typedef struct {
  SHEET *s;
  int submit;
  const char *token;
  const char **msg;
  int *dup;
} SAVE;

/* the token was used by a save that committed (or one that does while we
** wait for it): this one is a resent POST; nothing of it is kept */
static NEOERR *token_used(CTX *c, SAVE *sv, int *used){
  long long id;
  const char *outcome;
  NEOERR *err = q_token_seen(c->db, c->user->id, sv->token, used, &id, &outcome);
  if( err || !*used ) return nerr_pass(err);
  *sv->dup = 1;
  sv->s->e.id = id;
  sv->s->e.status = outcome;
  *sv->msg = "entry.dup";            /* rolls back; entry_save says dup */
  return STATUS_OK;
}

static NEOERR *save_work(CTX *c, SAVE *sv){
  SHEET *s = sv->s;
  const FORM *f = s->f;
  ARENA *a = c->arena;
  DB *db = c->db;
  DAYCAL cal;
  NEOERR *err;
  int found;

  /* the sheet as the database has it now, locked */
  int is_new = s->e.id==0;
  QENTRY now;
  if( !is_new ){
    if( (err = q_entry_get(db, s->e.id, 1, c->user->id, s->caps, &now, &found)) ) return nerr_pass(err);
    if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
    if( !now.in_scope ) return nerr_raise(ERR_DENIED, "denied");
    if( now.form_id!=f->id ) return nerr_raise(ERR_INPUT, "bad_request");
    if( now.version!=s->e.version ){ *sv->msg = "entry.conflict"; return STATUS_OK; }
    if( !editable(now.status) ){ *sv->msg = "entry.not_editable"; return STATUS_OK; }
    s->unit = (QUNIT){ now.unit_id, now.unit_code, now.unit_name, now.unit_kind, now.unit_path, 1, 1 };
  }else{
    QUNIT u;
    if( (err = q_unit_for(db, s->unit.id, c->user->id, s->caps, &u, &found)) ) return nerr_pass(err);
    if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
    if( !u.in_scope ) return nerr_raise(ERR_DENIED, "denied");
    if( !u.active || !form_unit_ok(f, u.code, u.kind) ){ *sv->msg = "entry.unit_not_submitting"; return STATUS_OK; }
    s->unit = u;
  }

  /* the window, at this instant */
  time_t t = ctx_now(c);
  if( (err = entry_cal(c, &cal)) ) return nerr_pass(err);
  if( sheet_period(c, s, &cal, is_new ? s->key : now.period_key) ) return nerr_raise(ERR_INPUT, "bad_request");
  s->state = form_state_of(f, &s->win, t);
  s->history = form_history(f, &s->win, t);
  if( s->state==FW_EARLY ){ *sv->msg = "entry.not_open"; return STATUS_OK; }
  if( s->state==FW_CLOSED ){
    if( (err = q_reopen_active(db, f->id, s->unit.id, s->key, at_text(c), &s->reopened)) ) return nerr_pass(err);
    if( !s->reopened ){ *sv->msg = "entry.closed"; return STATUS_OK; }
  }

  /* a new sheet for a period that has one (another tab, another clerk):
  ** say so before anything else when entry_new found it; one made since
  ** then is refused by the unique key below */
  if( is_new && s->other_id ){ *sv->msg = "entry.exists"; return STATUS_OK; }

  /* every cell, again, on the server */
  if( (err = entry_check(c, s, sv->submit)) ) return nerr_pass(err);
  if( s->nerr || s->msg ){ *sv->msg = s->msg ? s->msg : "entry.has_errors"; return STATUS_OK; }

  /* the sheet's row, the values before, the values now */
  const char **oh = NULL;
  long long *oid = NULL;
  const char ***orv = NULL;
  int on = 0;
  int nused = 0;
  for(int r=0; r<s->nrows; r++) nused += !s->rows[r].empty;
  int late = sv->submit && t>=s->win.cutoff && !s->history;
  const char *status = sv->submit ? "submitted" : "draft";
  /* a new sheet whose submit is final (no chain): its row goes in approved */
  int final = is_new && sv->submit && flow_final_on_submit(f);
  if( is_new ){
    for(int r=0; r<s->nrows; r++)
      if( s->rows[r].id ) return nerr_raise(ERR_INPUT, "bad_request");   /* a row of another sheet */
    QNEW qn = { f->id, s->unit.id, c->user->id, s->key, s->pstart, at_text(c), final ? "approved" : status,
                f->version, nused, late, sv->submit, final };
    err = q_entry_create(db, &qn, &s->e.id);
    if( db_is_dup(err) ){
      nerr_ignore(&err);
      s->e.id = 0;
      if( (err = q_entry_find(db, f->id, s->unit.id, s->key, &s->other_id, &found)) ) return nerr_pass(err);
      if( found || !final ){ *sv->msg = "entry.exists"; return STATUS_OK; }
      /* no current sheet: the key hit was the counted one, an approved
      ** revision left without a current one -- what reports count moves
      ** to this sheet, as flow_submitted does */
      if( (err = q_flow_count_clear(db, f->id, s->unit.id, s->key)) ) return nerr_pass(err);
      if( (err = q_entry_create(db, &qn, &s->e.id)) ) return nerr_pass(err);
    }
    if( err ) return nerr_pass(err);
    s->e.version = 1;
  }else{
    if( (err = read_stored(c, f, s->e.id, &oh, &oid, &orv, &on)) ) return nerr_pass(err);
    for(int r=0; r<s->nrows; r++){
      if( !s->rows[r].id ) continue;
      int mine = 0;
      for(int k=0; k<on && !mine; k++) mine = oid[k]==s->rows[r].id;
      if( !mine ) return nerr_raise(ERR_INPUT, "bad_request");     /* another sheet's row */
    }
  }
  nused = 0;
  long long *ids = arena_alloc(a, sizeof(long long) * (size_t)(s->nrows + 1));
  const char ***rv = arena_alloc(a, sizeof(char**) * (size_t)(s->nrows + 1));
  for(int r=0; r<s->nrows; r++){
    if( s->rows[r].empty ) continue;
    ids[nused] = s->rows[r].id;
    rv[nused] = arena_alloc(a, sizeof(char*) * (size_t)(f->nrf ? f->nrf : 1));
    for(int i=0; i<f->nrf; i++) rv[nused][i] = s->rows[r].c[i].val;
    nused++;
  }
  if( f->nhf ){
    const char **hv = arena_alloc(a, sizeof(char*) * (size_t)f->nhf);
    for(int i=0; i<f->nhf; i++) hv[i] = s->h[i].val;
    QSHEET qh = qsheet(a, f, FP_HEADER);
    if( (err = q_sheet_put_header(db, &qh, s->e.id, s->unit.id, s->pstart, hv)) ) return nerr_pass(err);
  }
  if( f->nrf ){
    QSHEET qr = qsheet(a, f, FP_ROW);
    if( (err = q_sheet_put_rows(db, &qr, s->e.id, s->unit.id, s->pstart, ids, rv, nused, is_new)) ) return nerr_pass(err);
  }
  if( !is_new ){
    int ok;
    if( (err = q_entry_saved(db, s->e.id, s->e.version, status, nused, late, sv->submit, c->user->id,
                             f->version, at_text(c), &ok)) ) return nerr_pass(err);
    if( !ok ){ *sv->msg = "entry.conflict"; return STATUS_OK; }
  }
  /* the approval flow takes the submitted sheet (flow.c): its chain, or final */
  if( final ){
    if( (err = flow_submitted_final(c, s->e.id)) ) return nerr_pass(err);
    status = "approved";
  }else if( sv->submit ){
    if( (err = flow_submitted(c, f, s->e.id, &status, sv->msg)) ) return nerr_pass(err);
    if( *sv->msg ) return STATUS_OK;
  }

  /* the audit record: what changed, field by field, row by row */
  CHG g;
  string_init(&g.s);
  g.n = 0;
  SHEET old;
  memset(&old, 0, sizeof old);
  if( !is_new ){
    sheet_init(&old, a, f);
    if( (err = fill_stored(c, &old, oh, oid, orv, on, 1)) ){ string_clear(&g.s); return nerr_pass(err); }
  }
  for(int i=0; i<f->nhf; i++){
    const char *o = is_new || !oh ? "" : audit_text(&f->hf[i], &old.h[i]), *n = audit_text(&f->hf[i], &s->h[i]);
    if( strcmp(o ? o : "", n ? n : "") ) chg_add(&g, 0, f->hf[i].code, o, n);
  }
  int line = 0;
  for(int r=0; r<s->nrows; r++){
    if( s->rows[r].empty ) continue;
    line++;
    const EROW *orow = NULL;
    for(int k=0; k<old.nrows && s->rows[r].id; k++) if( old.rows[k].id==s->rows[r].id ) orow = &old.rows[k];
    for(int i=0; i<f->nrf; i++){
      const char *o = orow ? audit_text(&f->rf[i], &orow->c[i]) : "", *n = audit_text(&f->rf[i], &s->rows[r].c[i]);
      if( strcmp(o ? o : "", n ? n : "") ) chg_add(&g, line, f->rf[i].code, o, n);
    }
  }
  for(int k=0; k<old.nrows; k++){
    int kept = 0;
    for(int r=0; r<s->nrows && !kept; r++) kept = !s->rows[r].empty && s->rows[r].id==old.rows[k].id;
    if( kept ) continue;
    string_appendf(&g.s, "%s{\"removed_row\":%d}", g.n++ ? "," : "", k + 1);
  }
  const char *action = sv->submit ? "entry.submit" : is_new ? "entry.create" : "entry.save";
  STRING d;
  string_init(&d);
  string_append(&d, "{\"form\":");
  json_quote(&d, f->code);
  string_append(&d, ",\"unit\":");
  json_quote(&d, s->unit.code);
  string_append(&d, ",\"period\":");
  json_quote(&d, s->key);
  string_appendf(&d, ",\"status\":\"%s\",\"version\":%lld,\"rows\":%d,\"created\":%d", status,
                 s->e.version + 1, nused, is_new);
  if( late ) string_append(&d, ",\"late\":1");
  if( s->reopened ) string_append(&d, ",\"reopened\":1");
  string_appendf(&d, ",\"changes\":[%s]}", g.s.buf ? g.s.buf : "");
  string_clear(&g.s);
  err = ctx_audit(c, action, arena_printf(a, "entry:%lld", s->e.id), "ok", arena_strdup(a, d.buf));
  string_clear(&d);
  if( err ) return nerr_pass(err);
  s->e.version++;
  s->e.status = status;
  s->e.late = late;
  /* the token, with what it did, last: a resent POST finds it (save_tx) */
  err = q_token_put(db, c->user->id, sv->token, s->e.id, status);
  if( db_is_dup(err) ){
    nerr_ignore(&err);
    int used;
    if( (err = token_used(c, sv, &used)) ) return nerr_pass(err);
    if( !used ) return nerr_raise(NERR_ASSERT, "entry token: duplicate, then not found");
  }
  return nerr_pass(err);
}

/* One round trip fewer than taking the token first: the token is written
** at the end with its outcome, and a save that is refused (a conflict, an
** existing sheet, a closed window, no scope) first asks whether its token
** was used -- with a locking read, so a resent POST whose first is still
** under way waits for it and shows its result, as before. */
static NEOERR *save_tx(CTX *c, SAVE *sv){
  *sv->dup = 0;
  NEOERR *err = save_work(c, sv);
  if( *sv->dup ) return nerr_pass(err);
  int st = err ? err_status(err) : 0;
  if( (err && st!=400 && st!=403 && st!=404) || (!err && *sv->msg==NULL) ) return nerr_pass(err);
  int used;
  NEOERR *e2 = token_used(c, sv, &used);
  if( e2 ){ nerr_ignore(&err); return nerr_pass(e2); }
  if( used ) nerr_ignore(&err);
  return nerr_pass(err);
}

static int token_ok(const char *t){
  if( t==NULL ) return 0;
  size_t n = strlen(t);
  if( n<16 || n>43 ) return 0;
  for(size_t i=0; i<n; i++) if( !isalnum((unsigned char)t[i]) && t[i]!='-' && t[i]!='_' ) return 0;
  return 1;
}

NEOERR *entry_save(CTX *c, SHEET *s, int submit, const char *token, const char **msg, int *dup){
  *msg = NULL;
  *dup = 0;
  if( !token_ok(token) ) return nerr_raise(ERR_INPUT, "bad_request");
  if( !s->e.id && !*s->key ) return nerr_raise(ERR_INPUT, "bad_request");
  SAVE sv = { s, submit, token, msg, dup };
  int outer = db_in_tx(c->db);
  /* a refusal rolls everything back, the token included: the person fixes
  ** the sheet and sends the same page again */
  NEOERR *err = DB_TX(c->db, msg, save_tx(c, &sv));
  if( !err && *dup ){
    /* a resent POST: nothing of it kept.  Inside a caller's transaction
    ** (an import) its work can be rolled back only by the caller: a
    ** refusal (fresh tokens there: it does not happen) */
    *msg = outer ? "entry.conflict" : NULL;
    if( outer ) *dup = 0;
  }
  return nerr_pass(err);
}

/* ------------------------------------------------------------------ */
/* decisions and reopened periods                                      */

/* the first step of the approval flow (flow.c), for the demo and tests
** that approve or return a sheet in one call */
NEOERR *entry_decide(CTX *c, long long id, long long version, int approve, const char *reason,
                     const char **msg){
  *msg = NULL;
  reason = reason ? str_trim(c->arena, reason) : "";
  if( !approve && (!*reason || utf8_len(reason)>500) ){ *msg = "entry.reason"; return STATUS_OK; }
  FLOW_RES r;
  NEOERR *err = flow_act(c, approve ? FL_APPROVE : FL_REJECT, id, version, approve ? NULL : reason, 0, &r);
  if( err ) return nerr_pass(err);
  *msg = r.msg;
  return STATUS_OK;
}

static NEOERR *reopen_tx(CTX *c, const FORM *f, long long unit_id, const char *period_key,
                         const char *reason, const char **msg){
  QUNIT u;
  int found;
  DAYCAL cal;
  PERIOD p;
  FWIN w;
  NEOERR *err = q_unit_for(c->db, unit_id, c->user->id, CAP_DISPATCH, &u, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( !u.in_scope ) return nerr_raise(ERR_DENIED, "denied");
  if( !form_unit_ok(f, u.code, u.kind) ){ *msg = "entry.unit_not_submitting"; return STATUS_OK; }
  if( (err = entry_cal(c, &cal)) ) return nerr_pass(err);
  if( period_key==NULL || day_period_parse(&cal, period_key, &p) || p.kind!=f->period ){ *msg = "entry.bad_period"; return STATUS_OK; }
  char key[DAY_KEYSZ];
  day_period_key(&p, key);
  form_window(f, &cal, &p, &w);
  if( form_state_of(f, &w, ctx_now(c))!=FW_CLOSED ){ *msg = "entry.not_closed"; return STATUS_OK; }
  long long id;
  if( (err = q_entry_find(c->db, f->id, unit_id, key, &id, &found)) ) return nerr_pass(err);
  const char *was = "";
  if( found ){
    QENTRY e;
    int ok;
    if( (err = q_entry_get(c->db, id, 1, c->user->id, CAP_DISPATCH, &e, &found)) ) return nerr_pass(err);
    was = e.status;
    if( strcmp(e.status, "approved")==0 ){ *msg = "entry.reopen_approved"; return STATUS_OK; }
    if( strcmp(e.status, "submitted")==0 ){
      if( (err = q_entry_decided(c->db, id, e.version, "returned", reason, c->user->id, at_text(c), &ok)) ) return nerr_pass(err);
      if( (err = q_flow_wait_sync(c->db, id)) ) return nerr_pass(err);        /* out of the approval queue */
    }
  }
  if( (err = q_reopen_add(c->db, f->id, unit_id, key, reason, c->user->id, at_text(c), conf_int(c->conf, "Entry.ReopenHours", 72))) )
    return nerr_pass(err);
  JSON j;
  json_open(&j);
  json_str(&j, "form", f->code);
  json_str(&j, "unit", u.code);
  json_str(&j, "period", key);
  json_str(&j, "reason", reason);
  if( *was ) json_str(&j, "sheet_was", was);
  json_end(&j);
  return nerr_pass(ctx_audit(c, "entry.reopen", arena_printf(c->arena, "form:%s/unit:%s/%s", f->code, u.code, key),
                             "ok", json_done(&j, c->arena)));
}

NEOERR *entry_reopen(CTX *c, const char *form_code, long long unit_id, const char *period_key,
                     const char *reason, const char **msg){
  const FORM *f;
  *msg = NULL;
  NEOERR *err = form_get(c, form_code ? form_code : "", &f);
  if( err ) return nerr_pass(err);
  if( f==NULL ) return nerr_raise(ERR_NOTFOUND, "not_found");
  reason = reason ? str_trim(c->arena, reason) : "";
  if( !*reason || utf8_len(reason)>500 ){ *msg = "entry.reason"; return STATUS_OK; }
  return nerr_pass(DB_TX(c->db, msg, reopen_tx(c, f, unit_id, period_key, reason, msg)));
}

/* ------------------------------------------------------------------ */
/* lists                                                               */

NEOERR *entry_options(CTX *c, const SHEET *s, const FFIELD *f, int limit, QREF **out, int *n){
  return nerr_pass(q_refs_options(c->db, f->lk, f->lk_kind, f->own ? s->unit.path : NULL, limit, out, n));
}

NEOERR *entry_today(CTX *c, ETODAY **out, int *n, int *due){
  QFORM *qf;
  QTODAY *rows;
  int nf, nr;
  DAYCAL cal;
  time_t t = ctx_now(c);
  NEOERR *err;
  *n = 0;
  *due = 0;
  *out = NULL;
  if( !auth_has(c->user, CAP_ENTRY) ) return STATUS_OK;
  if( (err = entry_cal(c, &cal)) ) return nerr_pass(err);
  static const DAY_PKIND kinds[4] = { DAY_P_DAY, DAY_P_SHIFT, DAY_P_WEEK, DAY_P_MONTH };
  char keys[4][DAY_KEYSZ];
  const char *kp[4];
  for(int i=0; i<4; i++){
    PERIOD p = day_period_at(&cal, kinds[i], t);
    kp[i] = day_period_key(&p, keys[i]);
  }
  if( (err = q_forms(c->db, &qf, &nf)) ) return nerr_pass(err);
  /* the units in reach with their sheets of today: one statement */
  if( (err = q_entry_today(c->db, entry_reach_all(c, CAP_ENTRY) ? 0 : c->user->id, CAP_ENTRY, kp, &rows, &nr)) )
    return nerr_pass(err);
  ETODAY *v = arena_alloc(c->arena, sizeof(ETODAY) * (size_t)(nf * nr + 1));
  for(int i=0; i<nf; i++){
    if( !qf[i].active ) continue;
    const FORM *f;
    if( (err = form_from(c, &qf[i], &f)) ) return nerr_pass(err);
    if( f==NULL ) continue;
    for(int k=0; k<nr; k++){
      if( k>0 && rows[k].u.id==rows[k-1].u.id ) continue;    /* the unit's first row */
      if( !form_unit_ok(f, rows[k].u.code, rows[k].u.kind) ) continue;
      ETODAY *d = &v[(*n)++];
      memset(d, 0, sizeof *d);
      d->f = f;
      d->unit = rows[k].u;
      d->period = form_period_now(f, &cal, t);
      day_period_key(&d->period, d->key);
      form_window(f, &cal, &d->period, &d->win);
      d->state = form_state_of(f, &d->win, t);
      d->status = "";
      /* its sheet, among the unit's rows */
      for(int m=k; m<nr && rows[m].u.id==rows[k].u.id; m++){
        if( rows[m].form_id!=f->id || strcmp(rows[m].period_key, d->key)!=0 ) continue;
        d->entry_id = rows[m].id;
        d->status = rows[m].status;
        d->late = rows[m].late;
      }
    }
  }
  for(int i=0; i<*n; i++){
    int done = strcmp(v[i].status, "submitted")==0 || strcmp(v[i].status, "approved")==0;
    if( !done && v[i].state!=FW_EARLY ) (*due)++;
    if( !done && v[i].state>=FW_LATE ) v[i].late = 1;
  }
  *out = v;
  return STATUS_OK;
}
