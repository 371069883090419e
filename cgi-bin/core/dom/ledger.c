/*
** ledger.c -- see ledger.h.
*/
#include "ledger.h"
#include "import.h"
#include "err.h"
#include "hmap.h"
#include "json.h"
#include "q_org.h"
#include "str.h"
#include "val.h"
#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* a title for matching: no white space or '*', ASCII lower case, a
** trailing "(km)" / "（元）" note dropped */
static char *norm(ARENA *a, const char *s){
  char *o = arena_alloc(a, strlen(s ? s : "") + 1), *p = o;
  for(const char *q = s ? s : ""; *q; ){
    size_t sp = str_space_at(q);
    if( sp ){ q += sp; continue; }
    if( *q=='*' ){ q++; continue; }
    *p++ = (char)tolower((unsigned char)*q++);
  }
  *p = 0;
  char *open = strrchr(o, '(');
  char *wide = strstr(o, "（");
  if( wide && (!open || wide<open) ) open = wide;
  size_t n = strlen(o);
  if( open && open>o && (o[n-1]==')' || (n>=3 && strcmp(o + n - 3, "）")==0)) ) *open = 0;
  return o;
}

static const char *const DATE_WORDS[] = { "日期", "期间", "填报日期", "date", NULL };
static const char *const SHIFT_WORDS[] = { "班次", "shift", NULL };

static int word_in(const char *h, const char *const *w){
  for(int i=0; w[i]; i++) if( strcmp(h, w[i])==0 ) return 1;
  return 0;
}

/* a column title -> a field code, "@date", "@shift", or NULL */
static const char *match(ARENA *a, const FORM *f, const char *title){
  const char *h = norm(a, title);
  if( !*h ) return NULL;
  if( word_in(h, DATE_WORDS) ) return "@date";
  if( f->period==DAY_P_SHIFT && word_in(h, SHIFT_WORDS) ) return "@shift";
  for(int i=0; i<f->nrf; i++){
    const FFIELD *x = &f->rf[i];
    if( x->type==FT_COMPUTED ) continue;
    if( strcmp(h, norm(a, x->label))==0 || strcmp(h, x->code)==0 || (x->label_en && strcmp(h, norm(a, x->label_en))==0) )
      return x->code;
  }
  return NULL;
}

static void lerr(LEDGER *L, ARENA *a, int rowno, const char *column, const char *value, const char *key,
                 const char *arg, int literal){
  L->n_errors++;
  if( L->nerrors>=LEDGER_MAX_ERRORS ) return;
  L->errors[L->nerrors++] = (LERR){ rowno, column ? column : "", value ? arena_strdup(a, value) : "",
                                    key, arg, literal };
}

static const char *field_label(const FORM *f, const char *code){
  if( !strcmp(code, "@date") ) return "日期";
  if( !strcmp(code, "@shift") ) return "班次";
  const FFIELD *x = fdef_field(f, code);
  return x ? x->label : code;
}

typedef struct {
  int n, cap;
  int *rows;                       /* indexes into the table */
} GROUP;

typedef struct {
  CTX *c;
  const FORM *f;
  long long unit;
  const char *period;
  long long batch;
  TABLE t;
  int hdr;
  LEDGER *L;
  int *at;                         /* per row field: the file's column, -1 */
  int date_col, shift_col;
  HMAP *groups;                    /* key -> GROUP* */
  const char **order;              /* keys in the order first seen */
  int ngroups;
} RUN;

static const char *cellv(RUN *r, const TROW *row, int col){
  if( col<0 || col>=row->ncol ) return "";
  return row->cols[col] ? row->cols[col] : "";
}

/* the file: header, columns, rows grouped by period; problems of the file
** as a whole in L->file_key */
static NEOERR *read_file(RUN *r, const char *data, size_t len, const char **choice, int nchoice){
  CTX *c = r->c;
  ARENA *a = c->arena;
  LEDGER *L = r->L;
  NEOERR *err = import_read(a, data, len, &r->t, &L->encoding, &L->sha256, &L->file_key);
  if( err || L->file_key ) return nerr_pass(err);
  /* the header: the row among the first five non-blank ones that names most fields */
  int best = 0, seen = 0;
  r->hdr = -1;
  for(int i=0; i<r->t.nrow && seen<5; i++){
    const TROW *row = &r->t.rows[i];
    int blank = 1, hits = 0;
    for(int k=0; k<row->ncol; k++){
      if( row->cols[k] && *str_trim(a, row->cols[k]) ) blank = 0;
      if( match(a, r->f, row->cols[k]) ) hits++;
    }
    if( blank ) continue;
    seen++;
    if( hits>best ){ best = hits; r->hdr = i; }
  }
  if( r->hdr<0 ){ L->file_key = "entry.ledger_no_header"; return STATUS_OK; }
  const TROW *h = &r->t.rows[r->hdr];
  L->header_row = h->rowno;
  L->ncols = h->ncol;
  L->cols = arena_alloc(a, sizeof(LCOL) * (size_t)(h->ncol + 1));
  r->at = arena_alloc(a, sizeof(int) * (size_t)(r->f->nrf + 1));
  for(int i=0; i<r->f->nrf; i++) r->at[i] = -1;
  r->date_col = r->shift_col = -1;
  for(int k=0; k<h->ncol; k++){
    LCOL *col = &L->cols[k];
    col->header = str_trim(a, h->cols[k] ? h->cols[k] : "");
    const char *m = NULL;
    if( choice && k<nchoice && choice[k] && *choice[k] ){
      col->chosen = 1;
      if( strcmp(choice[k], "-")==0 ) m = "";
      else if( !strcmp(choice[k], "@date") || (!strcmp(choice[k], "@shift") && r->f->period==DAY_P_SHIFT) ) m = choice[k];
      else{
        const FFIELD *x = fdef_field(r->f, choice[k]);
        if( x==NULL || x->part!=FP_ROW || x->type==FT_COMPUTED ) return nerr_raise(ERR_INPUT, "bad_request");
        m = x->code;
      }
    }else m = match(a, r->f, col->header);
    col->field = m ? m : "";
    if( !*col->field ) continue;
    /* one column per field: a second one is ignored (and said so) */
    int dup = 0;
    if( !strcmp(col->field, "@date") ){ dup = r->date_col>=0; if( !dup ) r->date_col = k; }
    else if( !strcmp(col->field, "@shift") ){ dup = r->shift_col>=0; if( !dup ) r->shift_col = k; }
    else{
      const FFIELD *x = fdef_field(r->f, col->field);
      dup = r->at[x->idx]>=0;
      if( !dup ) r->at[x->idx] = k;
    }
    if( dup ){
      if( col->chosen ){ L->file_key = "entry.ledger_dup_column"; L->cols[k].label = field_label(r->f, col->field); }
      col->field = "";
      continue;
    }
    col->label = field_label(r->f, col->field);
  }
  if( L->file_key ) return STATUS_OK;
  int any = 0;
  for(int i=0; i<r->f->nrf; i++) if( r->at[i]>=0 ) any = 1;
  if( !any ){ L->file_key = "entry.ledger_no_fields"; return STATUS_OK; }
  if( r->date_col<0 && (r->period==NULL || !*r->period) ){ L->file_key = "entry.ledger_no_period"; return STATUS_OK; }

  /* the rows, by period */
  DAYCAL cal;
  if( (err = entry_cal(c, &cal)) ) return nerr_pass(err);
  r->groups = hmap_new(a, 64);
  r->order = arena_alloc(a, sizeof(char*) * (size_t)(r->t.nrow + 1));
  VALPARAM vp;
  memset(&vp, 0, sizeof vp);
  vp.xlsx = L->encoding && !strcmp(L->encoding, "XLSX");
  for(int i=r->hdr + 1; i<r->t.nrow; i++){
    const TROW *row = &r->t.rows[i];
    int blank = 1;
    for(int k=0; k<row->ncol && blank; k++) if( row->cols[k] && *str_trim(a, row->cols[k]) ) blank = 0;
    if( blank ) continue;
    L->rows++;
    const char *key = r->period;
    if( r->date_col>=0 ){
      const char *d, *why;
      const char *raw = cellv(r, row, r->date_col);
      int ok = val_check(VAL_DATE, &vp, raw, a, &d, &why);
      if( !ok || !*d ){
        lerr(L, a, row->rowno, L->cols[r->date_col].header, raw, ok ? "val.required" : why, NULL, 0);
        continue;
      }
      long shift = 1;
      if( r->shift_col>=0 ){
        const char *sr = str_trim(a, cellv(r, row, r->shift_col));
        char *end;
        shift = strtol(sr, &end, 10);
        if( *end || shift<1 || shift>cal.nshift ){
          lerr(L, a, row->rowno, L->cols[r->shift_col].header, sr, "entry.ledger_shift", arena_printf(a, "%d", cal.nshift), 0);
          continue;
        }
      }
      char *k = arena_alloc(a, DAY_KEYSZ);
      if( entry_period_key(r->f, &cal, d, (int)shift, k) ){ lerr(L, a, row->rowno, L->cols[r->date_col].header, raw, "val.date", NULL, 0); continue; }
      key = k;
    }
    GROUP *g = hmap_get(r->groups, key);
    if( g==NULL ){
      g = arena_alloc(a, sizeof *g);
      g->cap = 16;
      g->rows = arena_alloc(a, sizeof(int) * (size_t)g->cap);
      hmap_put(r->groups, key, g);
      r->order[r->ngroups++] = key;
    }
    if( g->n==g->cap ){
      int *w = arena_alloc(a, sizeof(int) * (size_t)g->cap * 2);
      memcpy(w, g->rows, sizeof(int) * (size_t)g->cap);
      g->rows = w;
      g->cap *= 2;
    }
    g->rows[g->n++] = i;
  }
  return STATUS_OK;
}

static const char *token(ARENA *a){
  unsigned char b[24];
  char *t = arena_alloc(a, 40);
  randombytes_buf(b, sizeof b);
  sodium_bin2base64(t, 40, b, sizeof b, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return t;
}

/* every period's sheet: checked (dry run) or saved as a draft (apply);
** *refused when anything at all is wrong */
static NEOERR *sheets(RUN *r, int apply, const char **refused){
  CTX *c = r->c;
  ARENA *a = c->arena;
  LEDGER *L = r->L;
  NEOERR *err;
  *refused = NULL;
  L->sheets = arena_alloc(a, sizeof(LSHEET) * (size_t)(r->ngroups + 1));
  L->nsheets = 0;
  for(int gi=0; gi<r->ngroups; gi++){
    GROUP *g = hmap_get(r->groups, r->order[gi]);
    const TROW *first = &r->t.rows[g->rows[0]];
    const char *dcol = r->date_col>=0 ? L->cols[r->date_col].header : "日期";
    SHEET s;
    const char *msg;
    if( (err = entry_new_caps(c, CAP_ENTRY | CAP_ADMIN, r->f->code, r->unit, r->order[gi], &s, &msg)) )
      return nerr_pass(err);
    if( msg ){
      lerr(L, a, first->rowno, dcol, r->order[gi], msg, NULL, 0);
      continue;
    }
    LSHEET *ls = &L->sheets[L->nsheets++];
    memset(ls, 0, sizeof *ls);
    snprintf(ls->key, sizeof ls->key, "%s", s.key);
    ls->period = s.period;
    ls->rows = g->n;
    ls->first = first->rowno;
    entry_rows(&s, a, g->n);
    for(int k=0; k<g->n; k++){
      const TROW *row = &r->t.rows[g->rows[k]];
      for(int i=0; i<r->f->nrf; i++)
        if( r->at[i]>=0 ) entry_set(&s, a, k, i, cellv(r, row, r->at[i]));
    }
    if( apply ){
      int dup;
      if( (err = entry_save(c, &s, 0, token(a), &msg, &dup)) ) return nerr_pass(err);
      ls->id = s.e.id;
    }else{
      if( (err = entry_check(c, &s, 0)) ) return nerr_pass(err);
      msg = s.nerr ? "entry.has_errors" : s.msg;
    }
    if( s.msg && !s.nerr ) lerr(L, a, first->rowno, dcol, r->order[gi], s.msg, s.msg_arg, 0);
    else if( msg && !s.nerr ) lerr(L, a, first->rowno, dcol, r->order[gi], msg, NULL, 0);
    for(int k=0; k<s.nrows; k++){
      const TROW *row = &r->t.rows[g->rows[k]];
      for(int i=0; i<r->f->nrf; i++){
        const ECELL *cl = &s.rows[k].c[i];
        if( cl->err==NULL ) continue;
        const char *col = r->at[i]>=0 ? L->cols[r->at[i]].header : r->f->rf[i].label;
        lerr(L, a, row->rowno, col, cl->raw, cl->err, cl->arg, cl->literal);
      }
    }
  }
  if( L->n_errors ) *refused = "entry.ledger_refused";
  return STATUS_OK;
}

static NEOERR *apply_tx(RUN *r, const char **refused){
  r->L->nerrors = r->L->n_errors = 0;          /* a retried attempt starts afresh */
  NEOERR *err = sheets(r, 1, refused);
  if( err || *refused ) return nerr_pass(err);
  LEDGER *L = r->L;
  if( r->batch ){
    int once;
    if( (err = q_batch_applied(r->c->db, r->batch, L->nsheets, 0, &once)) ) return nerr_pass(err);
    if( !once ) return nerr_raise(ERR_CONFLICT, "already_applied");
  }
  JSON j;
  json_open(&j);
  json_str(&j, "form", r->f->code);
  json_int(&j, "unit", r->unit);
  json_str(&j, "sha256", L->sha256);
  json_str(&j, "encoding", L->encoding);
  json_int(&j, "rows", L->rows);
  json_int(&j, "sheets", L->nsheets);
  json_end(&j);
  return nerr_pass(ctx_audit(r->c, "entry.import", arena_printf(r->c->arena, "form:%s", r->f->code), "ok",
                             json_done(&j, r->c->arena)));
}

NEOERR *ledger_run(CTX *c, const char *form_code, long long unit_id, const char *period,
                   const char *data, size_t len, const char **choice, int nchoice, int apply,
                   long long batch_id, LEDGER *out){
  RUN r;
  NEOERR *err;
  memset(&r, 0, sizeof r);
  memset(out, 0, sizeof *out);
  out->errors = arena_alloc(c->arena, sizeof(LERR) * LEDGER_MAX_ERRORS);
  r.c = c;
  r.unit = unit_id;
  r.period = period;
  r.batch = batch_id;
  r.L = out;
  if( (err = form_get(c, form_code ? form_code : "", &r.f)) ) return nerr_pass(err);
  if( r.f==NULL || !r.f->active || r.f->nrf==0 ) return nerr_raise(ERR_NOTFOUND, "not_found");
  out->form_name = r.f->name;
  if( (err = read_file(&r, data, len, choice, nchoice)) ) return nerr_pass(err);
  if( out->file_key ) return STATUS_OK;
  if( !apply ){
    const char *refused;
    return nerr_pass(sheets(&r, 0, &refused));
  }
  if( out->n_errors ) return STATUS_OK;           /* the rows themselves are wrong: nothing to try */
  /* all or nothing: every draft and the record of the file, or none */
  const char *refused;
  err = DB_TX(c->db, &refused, apply_tx(&r, &refused));
  if( err ) return nerr_pass(err);
  out->applied = refused==NULL && out->n_errors==0;
  return STATUS_OK;
}
