/*
** import.c -- see import.h.
**
** A run reads the file, finds the header row and maps every column
** (imap.c), then one function per kind checks every row and, when
** applying, writes the changes.  Checking always runs in full before
** anything is written, so a dry run and an apply of the same file with the
** same mapping report the same errors.  Besides errors a run keeps what
** the admin must see before confirming: every column and what it became,
** the role words the file uses, the records that will be new or change
** (old -> new per field), values that will not be stored, and the units
** set-up created that the file takes over.
**
** Codes and logins are compared without letter case (the database's
** collation would refuse "ab" next to "AB" only when writing).
*/
#include "import.h"
#include "acct.h"
#include "csv.h"
#include "err.h"
#include "hmap.h"
#include "imap.h"
#include "json.h"
#include "conf.h"
#include "q_base.h"
#include "q_imp.h"
#include "q_org.h"
#include "q_sec.h"
#include "q_user.h"
#include "str.h"
#include "val.h"
#include "xlsx.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAXF 40

typedef struct {
  DB *db;
  ARENA *a;
  HDF *conf;
  const USER *actor;
  CTX *ctx;                        /* who acts, from where (audit) */
  int operator;                    /* diaodu-ctl: the server operator */
  IMP_RESULT *res;
  TABLE t;
  int hdr;                         /* index of the header row in t.rows, -1 none */
  int ik;                          /* IK_* */
  IFIELD f[MAXF];                  /* what a column can be */
  int nf;
  int at[MAXF];                    /* file column of f[i], -1 if none */
  ICOL *ic;                        /* the file's columns */
  int nic;
  const char *mapping;             /* a remembered or given mapping, or NULL */
  int nword;                       /* role words in effect */
  const char **wword, **wrole;
  const BASEKIND *kind;
  int apply;
  long long batch_id;
} RUN;

/* ------------------------------------------------------------------ */
/* text helpers                                                        */

/* the key a code or login is compared by: ASCII letters in lower case */
static const char *fold(ARENA *a, const char *s){
  char *o = arena_strdup(a, s);
  for(char *p = o; *p; p++) if( *p>='A' && *p<='Z' ) *p = (char)(*p + 32);
  return o;
}

/* a typed base-data field through val (the admin form's checker): 1 and
** the canonical text, or 0 and the reason (a Lang key) */
static int typed(RUN *c, const BASEFIELD *f, const char *v, const char **out, const char **why){
  VALTYPE t;
  VALPARAM p;
  *out = v;
  *why = NULL;
  if( strcmp(f->type, "text")==0 || !val_field(f->type, 0, &t, &p) ) return 1;
  p.xlsx = c->res->encoding && strcmp(c->res->encoding, "XLSX")==0;
  return val_check(t, &p, v, c->a, out, why);
}

static const char *unit_label(ARENA *a, const char *name, const char *code){
  return arena_printf(a, "%s（%s）", name, code);
}

/* ------------------------------------------------------------------ */
/* results                                                             */

/* the base_item column of a field key "a1".."a8", else 0 */
static int fcol(const char *key){
  if( key[0]!='a' || key[1]<'1' || key[1]>'8' || key[2] ) return 0;
  return key[1] - '0';
}

static int fidx(RUN *c, const char *key){
  for(int i=0; i<c->nf; i++) if( strcmp(c->f[i].key, key)==0 ) return i;
  return -1;
}

static const char *label_of(RUN *c, const char *key){
  int i = fidx(c, key);
  return i<0 ? key : c->f[i].label;
}

static void err_add(RUN *c, int rowno, const char *key, const char *value, const char *msgkey){
  IMP_RESULT *r = c->res;
  r->n_errors++;
  if( r->nerrors>=IMPORT_MAX_ERRORS ) return;
  IMP_ERR *e = &r->errors[r->nerrors++];
  e->rowno = rowno;
  e->column = label_of(c, key);
  e->value = value ? utf8_cut(c->a, value, 120) : "";
  e->key = msgkey;
}

static void warn_add(RUN *c, int rowno, const char *key, const char *value, const char *msgkey){
  IMP_RESULT *r = c->res;
  if( r->nwarnings>=IMPORT_MAX_ERRORS ) return;
  IMP_ERR *e = &r->warnings[r->nwarnings++];
  e->rowno = rowno;
  e->column = label_of(c, key);
  e->value = value ? utf8_cut(c->a, value, 60) : "";
  e->key = msgkey;
}

static const char *cell(RUN *c, const TROW *row, const char *key){
  int i = fidx(c, key);
  if( i<0 ) return "";
  int k = c->at[i];
  if( k<0 || k>=row->ncol ) return "";
  return str_trim(c->a, row->cols[k]);
}

/* a preview row; changes are added with chg() */
static IMP_ROW *pv(RUN *c, int rowno, int is_new, const char *key, const char *name){
  IMP_RESULT *r = c->res;
  if( r->npreview>=IMPORT_MAX_PREVIEW ){ r->preview_more++; return NULL; }
  IMP_ROW *p = &r->preview[r->npreview++];
  p->rowno = rowno;
  p->is_new = is_new;
  p->key = key;
  p->name = name;
  p->chg = arena_alloc(c->a, sizeof(IMP_CHG) * (size_t)(MAXF + 4));
  return p;
}

static void chg(IMP_ROW *p, const char *label, const char *old, const char *now){
  if( p==NULL || p->nchg>=MAXF + 4 ) return;
  p->chg[p->nchg].label = label;
  p->chg[p->nchg].old = old ? old : "";
  p->chg[p->nchg].now = now ? now : "";
  p->nchg++;
}

/* an updated field: listed only if it changes */
static void chg_if(IMP_ROW *p, const char *label, const char *old, const char *now){
  if( strcmp(old ? old : "", now ? now : "")!=0 ) chg(p, label, old, now);
}

/* ------------------------------------------------------------------ */
/* reading the file and mapping its columns                            */

NEOERR *import_read(ARENA *a, const char *data, size_t len, TABLE *t, const char **encoding,
                    const char **sha256, const char **file_key){
  NEOERR *err;
  unsigned char h[32];
  char hex[65];
  *file_key = NULL;
  crypto_hash_sha256(h, (const unsigned char*)data, len);
  hex_encode(hex, h, 32);
  *sha256 = arena_strdup(a, hex);
  if( xlsx_sniff(data, len) ){
    *encoding = "XLSX";
    err = xlsx_read(a, data, len, t, IMPORT_MAX_ROWS);
  }else{
    char *text;
    size_t tlen;
    err = csv_decode(a, data, len, &text, &tlen, encoding);
    if( err==STATUS_OK ) err = csv_parse(a, text, tlen, t, IMPORT_MAX_ROWS);
  }
  if( err ){
    if( err_status(err)!=400 || err_key(err)==NULL ) return nerr_pass(err);
    *file_key = arena_strdup(a, err_key(err));       /* the key lives in err, which goes now */
    nerr_ignore(&err);
  }
  return STATUS_OK;
}

static NEOERR *decode(RUN *c, const char *data, size_t len){
  IMP_RESULT *r = c->res;
  return nerr_pass(import_read(c->a, data, len, &c->t, &r->encoding, &r->sha256, &r->file_key));
}

static const char *col_letter(ARENA *a, int k){
  return k<26 ? arena_printf(a, "%c", 'A' + k) : arena_printf(a, "%c%c", 'A' + k/26 - 1, 'A' + k%26);
}

/* the options string: the mapping, then one "word<TAB>role" per line */
static void parse_options(RUN *c, const char *opts){
  char *s = arena_strdup(c->a, opts);
  char *nl = strchr(s, '\n');
  if( nl ) *nl++ = 0;
  c->mapping = s;
  int n = 0;
  for(char *p = nl; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) n++;
  c->wword = arena_alloc(c->a, sizeof(char*) * (size_t)(n + 1));
  c->wrole = arena_alloc(c->a, sizeof(char*) * (size_t)(n + 1));
  for(char *save = NULL, *t = nl ? strtok_r(nl, "\n", &save) : NULL; t; t = strtok_r(NULL, "\n", &save)){
    char *tab = strchr(t, '\t');
    if( tab==NULL ) continue;
    *tab = 0;
    c->wword[c->nword] = t;
    c->wrole[c->nword++] = tab + 1;
  }
}

static const char *options_string(RUN *c){
  STRING s;
  string_init(&s);
  string_append(&s, imap_string(c->a, c->f, c->ic, c->nic));
  for(int i=0; i<c->nword; i++) string_appendf(&s, "\n%s\t%s", c->wword[i], c->wrole[i]);
  char *out = arena_strdup(c->a, s.buf ? s.buf : "");
  string_clear(&s);
  return out;
}

/* the header row, the columns, what each maps to; a file-level problem
** (missing required columns) stops here, unmapped columns do not */
static NEOERR *map_columns(RUN *c, const char *kind, const char *options){
  IMP_RESULT *r = c->res;
  ARENA *a = c->a;
  NEOERR *err;
  for(int i=0; i<c->nf; i++) c->at[i] = -1;
  c->hdr = imap_header_row(a, c->ik, c->f, c->nf, &c->t);
  if( c->hdr<0 ){ r->file_key = "empty_file"; return STATUS_OK; }
  TROW *h = &c->t.rows[c->hdr];
  r->header_row = h->rowno;
  r->header_key = imap_header_key(a, h);
  STRING hs;
  string_init(&hs);
  for(int k=0; k<h->ncol; k++){ if( k ) string_append(&hs, ","); string_append(&hs, str_trim(a, h->cols[k])); }
  r->header = arena_strdup(a, hs.buf ? hs.buf : "");
  string_clear(&hs);
  if( options ) parse_options(c, options);
  else{
    if( (err = q_mapping_get(c->db, kind, r->header_key, &c->mapping)) ) return nerr_pass(err);
    if( c->ik==IK_USERS && (err = q_role_words(c->db, &c->wword, &c->wrole, &c->nword)) ) return nerr_pass(err);
  }
  c->ic = imap_columns(a, c->ik, c->f, c->nf, &c->t, c->hdr, c->mapping, &c->nic);
  r->cols = arena_alloc(a, sizeof(IMP_COL) * (size_t)(c->nic + 1));
  r->ncols = c->nic;
  for(int i=0; i<c->nic; i++){
    ICOL *x = &c->ic[i];
    IMP_COL *o = &r->cols[i];
    o->col = x->col;
    o->header = x->header;
    o->sample = "";
    for(int j=c->hdr + 1; j<c->t.nrow && !*o->sample; j++)
      if( x->col<c->t.rows[j].ncol ) o->sample = utf8_cut(a, str_trim(a, c->t.rows[j].cols[x->col]), 16);
    o->dup_col = x->dup_of;
    o->key = x->field>=0 ? c->f[x->field].key : x->field==IM_IGNORE ? "-" : x->field==IM_NEW ? "+" : "";
    o->label = x->field>=0 ? c->f[x->field].label : "";
    if( x->how==IH_DUP ) o->state = ICS_DUP;
    else if( x->field==IM_NONE ) o->state = ICS_UNKNOWN;
    else if( x->field==IM_IGNORE ) o->state = ICS_IGNORED;
    else if( x->field==IM_NEW ) o->state = c->ik==IK_BASE ? ICS_NEW : ICS_UNKNOWN;
    else o->state = x->how==IH_SAVED ? ICS_SAVED : ICS_AUTO;
    if( o->state==ICS_UNKNOWN || o->state==ICS_DUP ) r->need_map = 1;
    if( x->field>=0 ) c->at[x->field] = x->col;
  }
  /* what a column can be mapped to (new fields are not listed twice) */
  r->field_keys = arena_alloc(a, sizeof(char*) * (size_t)(c->nf + 1));
  r->field_labels = arena_alloc(a, sizeof(char*) * (size_t)(c->nf + 1));
  for(int i=0; i<c->nf; i++){
    r->field_keys[r->nfields] = c->f[i].key;
    r->field_labels[r->nfields++] = c->f[i].label;
  }
  r->is_base = c->ik==IK_BASE;
  /* required fields no column gives */
  STRING miss;
  string_init(&miss);
  for(int i=0; i<c->nf; i++){
    if( !c->f[i].required || c->at[i]>=0 ) continue;
    if( miss.len ) string_append(&miss, "、");
    string_append(&miss, c->f[i].label);
  }
  if( miss.len ){
    r->file_key = "bad_header";
    r->file_detail = arena_strdup(a, miss.buf);
  }
  string_clear(&miss);
  return STATUS_OK;
}

/* an automatically recognised old-code column none of whose values is an
** existing code is no rename: a legacy number the admin must place */
static void legacy_check(RUN *c, const char *key, HMAP *existing){
  int i = fidx(c, key);
  if( i<0 || c->at[i]<0 ) return;
  IMP_COL *o = NULL;
  int ici = -1;
  for(int k=0; k<c->nic; k++) if( c->ic[k].col==c->at[i] ){ o = &c->res->cols[k]; ici = k; }
  if( o==NULL || o->state!=ICS_AUTO ) return;
  int given = 0, known = 0;
  for(int j=c->hdr + 1; j<c->t.nrow; j++){
    TROW *tr = &c->t.rows[j];
    if( csv_row_blank(tr) ) continue;
    const char *v = cell(c, tr, key);
    if( !*v ) continue;
    given++;
    if( hmap_get(existing, fold(c->a, v)) ) known++;
  }
  if( given==0 || known>0 ) return;
  o->state = ICS_LEGACY;
  o->key = "";
  o->label = "";
  c->ic[ici].field = IM_NONE;
  c->at[i] = -1;
  c->res->need_map = 1;
}

/* may the actor administer a unit with this path?  NULL path: a record at
** the top (no unit) needs scope over everything */
static int may(RUN *c, const char *path){
  if( path==NULL ){
    for(int i=0; i<c->actor->ngrants; i++)
      if( (c->actor->grants[i].caps & CAP_ADMIN) && c->actor->grants[i].scope==SCOPE_ALL ) return 1;
    return 0;
  }
  return auth_unit_ok(c->actor, CAP_ADMIN, path);
}

static NEOERR *audit(RUN *c, const char *what){
  JSON j;
  IMP_RESULT *r = c->res;
  json_open(&j);
  json_str(&j, "kind", r->kind);
  json_int(&j, "batch", c->batch_id);
  json_str(&j, "sha256", r->sha256);
  json_str(&j, "encoding", r->encoding);
  json_int(&j, "rows", r->rows);
  json_int(&j, "new", r->n_new);
  json_int(&j, "updated", r->n_updated);
  json_int(&j, "unchanged", r->n_same);
  json_str(&j, "mapping", imap_string(c->a, c->f, c->ic, c->nic));
  for(int i=0; i<r->nadopt; i++){
    json_obj(&j, strcmp(r->adopt[i].what, "root")==0 ? "adopted_root" : "adopted_info");
    json_str(&j, "from", r->adopt[i].old_code);
    json_str(&j, "to", r->adopt[i].new_code);
    json_end(&j);
  }
  if( r->npending ) json_int(&j, "pending_auditors", r->npending);
  json_end(&j);
  return nerr_pass(ctx_audit(c->ctx, what, arena_printf(c->a, "batch:%lld", c->batch_id), "ok",
                             json_done(&j, c->a)));
}

/* codes retired by a rename (code_map) are never given out again */
static NEOERR *retired_codes(RUN *c, const char *entity, HMAP **out){
  DB_STMT *st;
  *out = hmap_new(c->a, 64);
  NEOERR *err = q_code_map_list(c->db, &st, entity);
  if( err ) return nerr_pass(err);
  while( db_step(st) ) hmap_put(*out, fold(c->a, db_text(st, 0)), (void*)1);
  return STATUS_OK;
}

/* a unit by code, else by its name if only one active unit has it; the
** candidates (for the message) when several have */
static UNITROW *unit_by(RUN *c, HMAP *ucode, HMAP *uname, const char *v, const char **cands){
  *cands = NULL;
  UNITROW *u = hmap_get(ucode, fold(c->a, v));
  if( u ) return u;
  UNITROW **list = hmap_get(uname, v);
  if( list==NULL ) return NULL;
  if( list[1]==NULL ) return list[0];
  STRING s;
  string_init(&s);
  string_append(&s, v);
  string_append(&s, "：");
  for(int i=0; list[i]; i++){
    if( i ) string_append(&s, "、");
    string_append(&s, unit_label(c->a, list[i]->name, list[i]->code));
  }
  *cands = arena_strdup(c->a, s.buf);
  string_clear(&s);
  return NULL;
}

/* name -> NULL-terminated list of active units of that name */
static HMAP *units_by_name(ARENA *a, UNITROW *units, int n){
  HMAP *m = hmap_new(a, n);
  for(int i=0; i<n; i++){
    if( !units[i].active ) continue;
    UNITROW **old = hmap_get(m, units[i].name);
    int k = 0;
    while( old && old[k] ) k++;
    UNITROW **l = arena_alloc(a, sizeof(UNITROW*) * (size_t)(k + 2));
    for(int j=0; j<k; j++) l[j] = old[j];
    l[k] = &units[i];
    hmap_put(m, units[i].name, l);
  }
  return m;
}

/* a value Excel turned into scientific notation: a key is refused, a plain
** value is left out (and shown) */
static int sci_key(RUN *c, int rowno, const char *key, const char *v){
  if( !imap_sci(v) ) return 0;
  err_add(c, rowno, key, v, "sci_key");
  return 1;
}

/* ------------------------------------------------------------------ */
/* units                                                               */

typedef struct urow {
  int rowno;
  const char *code, *name, *parent_in, *kind_in, *kind, *old;
  int sort, has_sort;
  UNITROW *ex;                     /* the existing unit this row updates */
  struct urow *pu;                 /* the parent: a row of the file ... */
  UNITROW *pd;                     /* ... or a unit not in the file (NULL both: the top) */
  int keep_parent;                 /* an existing unit with a blank parent stays where it is */
  int depth, bad, same, skip, adopt;
  const char *order;               /* sort key of the tree after the import */
  long long id;                    /* after apply */
} UROW;

static const char *unit_kind(const char *s){
  if( !*s ) return "";
  if( strcmp(s, "公司")==0 || strcasecmp(s, "company")==0 ) return "company";
  if( strcmp(s, "部门")==0 || strcmp(s, "中心")==0 || strcasecmp(s, "dept")==0 ) return "dept";
  if( strcmp(s, "班组")==0 || strcmp(s, "车队")==0 || strcasecmp(s, "team")==0 ) return "team";
  return NULL;
}

static const char *kind_word(const char *k){
  return strcmp(k, "company")==0 ? "公司" : strcmp(k, "team")==0 ? "班组" : "部门";
}

typedef struct {
  HMAP *bycode, *byid, *infile, *exrow;
} UMAPS;

/* the parent of a node after the import: a node is a file row (r) or a
** unit not in the file (d); *pr / *pd get the parent (both NULL: top) */
static void up(RUN *c, UMAPS *m, UROW *r, UNITROW *d, UROW **pr, UNITROW **pd){
  *pr = NULL; *pd = NULL;
  if( r ){
    if( r->pu ){ *pr = r->pu; return; }
    if( r->pd ) d = r->pd;
    else if( r->keep_parent && r->ex->parent_id )
      d = hmap_get(m->byid, arena_printf(c->a, "%lld", r->ex->parent_id));
    else return;
    if( d==NULL ) return;
    UROW *x = hmap_get(m->exrow, arena_printf(c->a, "%lld", d->id));
    if( x ) *pr = x; else *pd = d;
    return;
  }
  if( d==NULL || d->parent_id==0 ) return;
  UNITROW *p = hmap_get(m->byid, arena_printf(c->a, "%lld", d->parent_id));
  if( p==NULL ) return;
  UROW *x = hmap_get(m->exrow, arena_printf(c->a, "%lld", p->id));
  if( x ) *pr = x; else *pd = p;
}

static const char *node_code(UROW *r, UNITROW *d){ return r ? r->code : d ? d->code : ""; }
static const char *node_name(UROW *r, UNITROW *d){ return r ? r->name : d ? d->name : ""; }

/* the tree-order key of a node: its ancestors' keys, then sort and code */
static const char *order_key(RUN *c, UMAPS *m, UROW *r, UNITROW *d, int guard){
  if( r && r->order ) return r->order;
  if( guard<=0 ) return "";
  UROW *pr; UNITROW *pd;
  up(c, m, r, d, &pr, &pd);
  const char *base = (pr || pd) ? order_key(c, m, pr, pd, guard - 1) : "";
  int sort = r ? (r->has_sort ? r->sort : r->ex ? r->ex->sort : 0) : d->sort;
  const char *k = arena_printf(c->a, "%s%012lld %s\x01", base, (long long)sort + 100000000000LL,
                               fold(c->a, node_code(r, d)));
  if( r ) r->order = k;
  return k;
}

static int cmp_order(const void *x, const void *y){
  const IMP_ROW *a = x, *b = y;
  return strcmp(a->order ? a->order : "", b->order ? b->order : "");
}

static NEOERR *do_units(RUN *c){
  IMP_RESULT *r = c->res;
  ARENA *a = c->a;
  UNITROW *units;
  int nunits;
  NEOERR *err = q_units_all(c->db, &units, &nunits);
  if( err ) return nerr_pass(err);
  UMAPS m;
  m.bycode = hmap_new(a, nunits);
  m.byid = hmap_new(a, nunits);
  m.infile = hmap_new(a, c->t.nrow);
  m.exrow = hmap_new(a, c->t.nrow);
  for(int i=0; i<nunits; i++){
    hmap_put(m.bycode, fold(a, units[i].code), &units[i]);
    hmap_put(m.byid, arena_printf(a, "%lld", units[i].id), &units[i]);
  }
  HMAP *retired;
  if( (err = retired_codes(c, "unit", &retired)) ) return nerr_pass(err);
  legacy_check(c, "old_code", m.bycode);
  UROW *rows = arena_alloc(a, sizeof(UROW) * (size_t)(c->t.nrow + 1));
  int n = 0;

  /* 1. each row on its own, and the existing unit it updates */
  for(int i=c->hdr + 1; i<c->t.nrow; i++){
    TROW *tr = &c->t.rows[i];
    if( csv_row_blank(tr) ) continue;
    UROW *u = &rows[n++];
    u->rowno = tr->rowno;
    u->code = cell(c, tr, "code");
    u->name = cell(c, tr, "name");
    u->parent_in = cell(c, tr, "parent");
    u->kind_in = cell(c, tr, "kind");
    u->kind = unit_kind(u->kind_in);
    u->old = cell(c, tr, "old_code");
    const char *sort = cell(c, tr, "sort");
    if( sci_key(c, u->rowno, "code", u->code) ) u->bad = 1;
    else if( !str_code_ok(u->code, 32) ){ err_add(c, u->rowno, "code", u->code, *u->code ? "bad_code" : "required"); u->bad = 1; }
    if( !*u->name ){ err_add(c, u->rowno, "name", u->name, "required"); u->bad = 1; }
    else if( utf8_len(u->name)>100 ){ err_add(c, u->rowno, "name", u->name, "too_long"); u->bad = 1; }
    if( u->kind==NULL ){ err_add(c, u->rowno, "kind", u->kind_in, "bad_unit_kind"); u->bad = 1; }
    if( *sort ){
      static const VALPARAM intp = { .has_range = 1, .min = -2147483647 - 1, .max = 2147483647 };
      const char *sv, *why;
      if( !val_check(VAL_INT, &intp, sort, a, &sv, &why) ){ err_add(c, u->rowno, "sort", sort, why); u->bad = 1; }
      else{ u->sort = atoi(sv); u->has_sort = 1; }
    }
    if( *u->parent_in && strcmp(fold(a, u->parent_in), fold(a, u->code))==0 ){
      err_add(c, u->rowno, "parent", u->parent_in, "cycle"); u->bad = 1;
    }
    if( *u->code ){
      UROW *dup = hmap_get(m.infile, fold(a, u->code));
      if( dup && strcmp(dup->code, u->code)==0 ){
        err_add(c, u->rowno, "code", arena_printf(a, "%s（第 %d 行）", u->code, dup->rowno), "dup_in_file"); u->bad = 1;
      }else if( dup ){
        err_add(c, u->rowno, "code", arena_printf(a, "%s（第 %d 行：%s）", u->code, dup->rowno, dup->code), "dup_case"); u->bad = 1;
      }else hmap_put(m.infile, fold(a, u->code), u);
    }
    /* the existing unit: by code, or by the old code (a rename) */
    UNITROW *ex = hmap_get(m.bycode, fold(a, u->code));
    if( *u->old ){
      UNITROW *exo = hmap_get(m.bycode, fold(a, u->old));
      if( exo && ex && exo!=ex ){ err_add(c, u->rowno, "old_code", u->old, "old_and_new_exist"); u->bad = 1; }
      else if( !exo && !ex ){ err_add(c, u->rowno, "old_code", u->old, "unknown_old_code"); u->bad = 1; }
      else if( exo ) ex = exo;
    }
    /* 状态 as the export writes it: an inactive unit listed as 停用 is left
    ** alone (so an export imports back unchanged); imports never deactivate */
    const char *st = cell(c, tr, "active");
    int says_inactive = strcmp(st, "停用")==0 || strcasecmp(st, "inactive")==0 || strcmp(st, "0")==0;
    if( *st && !says_inactive && strcmp(st, "启用")!=0 && strcasecmp(st, "active")!=0 && strcmp(st, "1")!=0 ){
      err_add(c, u->rowno, "active", st, "bad_active"); u->bad = 1;
    }
    /* a code retired by a rename: not for a new unit, nor as a unit's new code */
    if( *u->code && hmap_get(retired, fold(a, u->code)) && (!ex || strcmp(fold(a, ex->code), fold(a, u->code))!=0) ){
      err_add(c, u->rowno, "code", u->code, "code_retired"); u->bad = 1;
    }
    if( ex && !ex->active && says_inactive ) u->skip = 1;
    else if( ex && !ex->active ){ err_add(c, u->rowno, "code", u->code, "code_inactive"); u->bad = 1; }
    else if( says_inactive ){ err_add(c, u->rowno, "active", st, "no_deactivate"); u->bad = 1; }
    /* a rename onto a code another existing unit has */
    if( ex && *u->old && !u->bad ){
      UNITROW *other = hmap_get(m.bycode, fold(a, u->code));
      if( other && other!=ex ){ err_add(c, u->rowno, "code", u->code, "old_and_new_exist"); u->bad = 1; }
    }
    u->ex = ex;
    if( ex && !u->bad ) hmap_put(m.exrow, arena_printf(a, "%lld", ex->id), u);
  }
  r->rows = n;

  /* 2. the install's own units: a database holding only what set-up made
  ** (the company root and perhaps 信息中心 under it) and a file that does
  ** not name them -- the file's root and information centre take them over */
  UNITROW *root = NULL, *info = NULL;
  int fresh = nunits>=1 && nunits<=2;
  for(int i=0; i<nunits && fresh; i++){
    if( !units[i].active ) fresh = 0;
    else if( units[i].parent_id==0 ){ if( root ) fresh = 0; else root = &units[i]; }
  }
  for(int i=0; i<nunits && fresh; i++) if( &units[i]!=root ) info = &units[i];
  if( fresh && (!root || (info && info->parent_id!=root->id)) ) fresh = 0;
  if( fresh && (hmap_get(m.exrow, arena_printf(a, "%lld", root->id)) ||
                (info && hmap_get(m.exrow, arena_printf(a, "%lld", info->id)))) ) fresh = 0;
  if( fresh ){
    UROW *top = NULL, *ic = NULL;
    int ntop = 0, nic = 0;
    for(int i=0; i<n; i++){
      UROW *u = &rows[i];
      if( u->bad || u->ex ) continue;
      if( info && (strcmp(u->name, info->name)==0 || strstr(u->name, "信息中心")) ){ nic++; ic = u; }
      else if( !*u->parent_in ){ ntop++; top = u; }
    }
    if( ntop==1 ){
      top->ex = root; top->adopt = 1;
      hmap_put(m.exrow, arena_printf(a, "%lld", root->id), top);
      IMP_ADOPT *x = &r->adopt[r->nadopt++];
      x->what = "root"; x->old_code = root->code; x->old_name = root->name;
      x->new_code = top->code; x->new_name = top->name;
    }
    if( info && nic==1 ){
      ic->ex = info; ic->adopt = 1;
      hmap_put(m.exrow, arena_printf(a, "%lld", info->id), ic);
      IMP_ADOPT *x = &r->adopt[r->nadopt++];
      x->what = "info"; x->old_code = info->code; x->old_name = info->name;
      x->new_code = ic->code; x->new_name = ic->name;
    }
  }

  /* 3. parents: by code (in the file or the database), else by a unique name */
  HMAP *fname = hmap_new(a, n);
  for(int i=0; i<n; i++){
    UROW *u = &rows[i];
    if( u->bad || !*u->name ) continue;
    UROW **old = hmap_get(fname, u->name);
    int k = 0;
    while( old && old[k] ) k++;
    UROW **l = arena_alloc(a, sizeof(UROW*) * (size_t)(k + 2));
    for(int j=0; j<k; j++) l[j] = old[j];
    l[k] = u;
    hmap_put(fname, u->name, l);
  }
  HMAP *dname = units_by_name(a, units, nunits);
  for(int i=0; i<n; i++){
    UROW *u = &rows[i];
    if( u->bad || u->skip ) continue;
    if( !*u->parent_in ){
      if( u->ex && !(u->adopt && u->ex==root) ) u->keep_parent = 1;
      /* in a fresh install every other top row goes under the company root */
      else if( fresh && !u->ex ){
        UROW *x = hmap_get(m.exrow, arena_printf(a, "%lld", root->id));
        if( x ) u->pu = x; else u->pd = root;
      }
      continue;
    }
    const char *pin = u->parent_in;
    UROW *pf = hmap_get(m.infile, fold(a, pin));
    UNITROW *pd = pf ? NULL : hmap_get(m.bycode, fold(a, pin));
    if( !pf && !pd ){
      /* by name: rows of the file, and units whose row (if any) keeps the name */
      UROW **fl = hmap_get(fname, pin);
      UNITROW **dl = hmap_get(dname, pin);
      int nc = 0;
      const char *cand[16];
      UROW *hitr = NULL; UNITROW *hitd = NULL;
      for(int k=0; fl && fl[k]; k++){ hitr = fl[k]; if( nc<16 ) cand[nc] = unit_label(a, fl[k]->name, fl[k]->code); nc++; }
      for(int k=0; dl && dl[k]; k++){
        UROW *x = hmap_get(m.exrow, arena_printf(a, "%lld", dl[k]->id));
        if( x ) continue;                  /* its row is counted by its own name */
        hitd = dl[k]; if( nc<16 ) cand[nc] = unit_label(a, dl[k]->name, dl[k]->code); nc++;
      }
      if( nc==0 ){ err_add(c, u->rowno, "parent", pin, "unknown_parent"); u->bad = 1; continue; }
      if( nc>1 ){
        STRING s;
        string_init(&s);
        string_appendf(&s, "%s：", pin);
        for(int k=0; k<nc && k<16; k++){ if( k ) string_append(&s, "、"); string_append(&s, cand[k]); }
        err_add(c, u->rowno, "parent", s.buf, "ambiguous_parent");
        string_clear(&s);
        u->bad = 1;
        continue;
      }
      pf = hitr; pd = hitr ? NULL : hitd;
      if( pf==u ){ err_add(c, u->rowno, "parent", pin, "cycle"); u->bad = 1; continue; }
    }
    if( pd ){
      UROW *x = hmap_get(m.exrow, arena_printf(a, "%lld", pd->id));
      if( x ){ pf = x; pd = NULL; }
    }
    if( pd && !pd->active ){ err_add(c, u->rowno, "parent", pin, "parent_inactive"); u->bad = 1; continue; }
    u->pu = pf;
    u->pd = pd;
  }

  /* 4. cycles and scope, in the tree as it will be */
  for(int i=0; i<n; i++){
    UROW *u = &rows[i];
    if( u->bad || u->skip ) continue;
    const char *top_path = NULL;
    int depth = 0, cyc = 0;
    UROW *cr = u; UNITROW *cd = NULL;
    for(;;){
      UROW *pr; UNITROW *pd;
      up(c, &m, cr, cd, &pr, &pd);
      if( !pr && !pd ) break;
      if( pr==u || depth>nunits + n ){ cyc = 1; break; }
      UNITROW *d = pd ? pd : pr && pr->ex ? pr->ex : NULL;
      if( d && top_path==NULL ) top_path = d->path;
      cr = pr; cd = pd;
      depth++;
    }
    if( cyc ){ err_add(c, u->rowno, "parent", u->parent_in, "cycle"); u->bad = 1; continue; }
    u->depth = depth;
    /* the actor must administer the unit where it is and, if it moves,
    ** where it goes */
    int moves = 0;
    if( u->ex && !u->keep_parent ){
      UROW *pr; UNITROW *pd;
      up(c, &m, u, NULL, &pr, &pd);
      UNITROW *to = pd ? pd : pr ? pr->ex : NULL;
      moves = to==NULL ? u->ex->parent_id!=0 : to->id!=u->ex->parent_id;
      if( pr && !pr->ex ) moves = 1;
    }
    if( (u->ex && !may(c, u->ex->path)) || (!u->ex && !may(c, top_path)) ||
        (moves && !may(c, top_path)) ){
      err_add(c, u->rowno, "code", u->code, "no_scope");
      u->bad = 1;
    }
  }

  /* 5. what changes: counts and the preview, in tree order */
  for(int i=0; i<n; i++){
    UROW *u = &rows[i];
    if( u->bad ){ r->n_error_rows++; continue; }
    if( u->skip ){ u->same = 1; r->n_same++; continue; }
    UROW *pr; UNITROW *pd;
    up(c, &m, u, NULL, &pr, &pd);
    const char *pcode = node_code(pr, pd), *pname = node_name(pr, pd);
    const char *kind = *u->kind ? u->kind : u->ex ? u->ex->kind : "dept";
    int sort = u->has_sort ? u->sort : u->ex ? u->ex->sort : 0;
    IMP_ROW *p;
    if( !u->ex ){
      r->n_new++;
      p = pv(c, u->rowno, 1, u->code, u->name);
      chg(p, "上级单位", NULL, *pcode ? unit_label(a, pname, pcode) : "（顶级）");
      chg(p, "类型", NULL, kind_word(kind));
      chg(p, "排序", NULL, arena_printf(a, "%d", sort));
    }else{
      UNITROW *op = u->ex->parent_id ? hmap_get(m.byid, arena_printf(a, "%lld", u->ex->parent_id)) : NULL;
      const char *ocode = op ? op->code : "";
      UROW *opr = op ? hmap_get(m.exrow, arena_printf(a, "%lld", op->id)) : NULL;
      /* the parent changes when it is another unit (a renamed parent is the same unit) */
      int parent_same = (pr ? (pr->ex && op && pr->ex->id==op->id) : pd ? (op && pd->id==op->id) : op==NULL);
      int same = strcmp(u->ex->code, u->code)==0 && strcmp(u->ex->name, u->name)==0 && parent_same
        && strcmp(kind, u->ex->kind)==0 && sort==u->ex->sort;
      u->same = same;
      if( same ){ r->n_same++; continue; }
      r->n_updated++;
      p = pv(c, u->rowno, 0, u->code, u->name);
      chg_if(p, "编码", u->ex->code, u->code);
      chg_if(p, "名称", u->ex->name, u->name);
      if( !parent_same )
        chg(p, "上级单位", op ? unit_label(a, op->name, ocode) : "（顶级）", *pcode ? unit_label(a, pname, pcode) : "（顶级）");
      else if( opr && strcmp(opr->code, ocode)!=0 )
        chg(p, "上级单位", unit_label(a, op->name, ocode), unit_label(a, opr->name, opr->code));
      if( strcmp(kind, u->ex->kind)!=0 ) chg(p, "类型", kind_word(u->ex->kind), kind_word(kind));
      if( sort!=u->ex->sort ) chg(p, "排序", arena_printf(a, "%d", u->ex->sort), arena_printf(a, "%d", sort));
    }
    if( p ){
      p->depth = u->depth;
      p->order = order_key(c, &m, u, NULL, n + nunits + 2);
    }
  }
  qsort(r->preview, (size_t)r->npreview, sizeof(IMP_ROW), cmp_order);
  r->checked = 1;
  if( !c->apply || r->n_errors || r->need_map ) return STATUS_OK;

  /* apply, shallowest first so that a parent exists before its children */
  for(int d=0, done=0; done<n && d<=n + nunits + 1; d++){
    for(int i=0; i<n; i++){
      UROW *u = &rows[i];
      if( u->depth!=d ) continue;
      done++;
      if( u->same ){ u->id = u->ex->id; continue; }     /* unchanged: no write, no new version */
      long long parent_id = 0;
      UROW *pr; UNITROW *pd;
      up(c, &m, u, NULL, &pr, &pd);
      if( pr ) parent_id = pr->id ? pr->id : pr->ex ? pr->ex->id : 0;
      else if( pd ) parent_id = pd->id;
      int sort = u->has_sort ? u->sort : u->ex ? u->ex->sort : 0;
      if( !u->ex ){
        err = q_unit_insert(c->db, parent_id, u->code, u->name, *u->kind ? u->kind : "dept", sort, &u->id);
        if( err ) return nerr_pass(err);
      }else{
        int ok;
        u->id = u->ex->id;
        err = q_unit_update(c->db, u->ex->id, u->ex->version, u->code, u->name, parent_id,
                            *u->kind ? u->kind : u->ex->kind, sort, &ok);
        if( err ) return nerr_pass(err);
        if( !ok ) return nerr_raise(ERR_CONFLICT, "busy");
        /* a rename retires the old code; set-up's own codes were never the customer's */
        if( !u->adopt && strcmp(fold(a, u->ex->code), fold(a, u->code))!=0 &&
            (err = q_code_map(c->db, "unit", u->ex->code, u->code)) ) return nerr_pass(err);
      }
    }
  }
  if( (err = q_unit_paths_rebuild(c->db)) ) return nerr_pass(err);
  return nerr_pass(audit(c, "import.units"));
}

/* ------------------------------------------------------------------ */
/* accounts                                                            */

#define MAXROLES 8

typedef struct {
  int rowno, bad;
  const char *login, *name, *unit, *phone, *old;
  UNITROW *u;
  USERROW *ex;
  ROLEROW *roles[MAXROLES];
  const char *scopes[MAXROLES];
  int pending[MAXROLES];           /* an auditor grant that waits for activation */
  int nroles, roles_given, same, npending;
  int keep_phone;                  /* the file's phone was mangled: the old one stays */
} AROW;

static const char *parse_scope(const char *s){
  if( !*s ) return "";
  if( strcmp(s, "本单位")==0 || strcasecmp(s, "unit")==0 ) return "unit";
  if( strcmp(s, "本单位及下级")==0 || strcmp(s, "本单位及下属")==0 || strcasecmp(s, "subtree")==0 ) return "subtree";
  if( strcmp(s, "全部")==0 || strcmp(s, "全公司")==0 || strcasecmp(s, "all")==0 ) return "all";
  return NULL;
}

static const char *scope_word(const char *s){
  return strcmp(s, "unit")==0 ? "本单位" : strcmp(s, "subtree")==0 ? "本单位及下级" : "全部";
}

/* the file's words for roles, counted for the page */
static IMP_WORD *word_seen(RUN *c, const char *w, int builtin){
  IMP_RESULT *r = c->res;
  for(int i=0; i<r->nwords; i++) if( strcmp(r->words[i].word, w)==0 ){ r->words[i].rows++; return &r->words[i]; }
  if( r->nwords>=64 ) return NULL;
  IMP_WORD *x = &r->words[r->nwords++];
  x->word = arena_strdup(c->a, w);
  x->rows = 1;
  x->builtin = builtin;
  x->role = "";
  for(int i=0; i<c->nword; i++) if( strcmp(c->wword[i], w)==0 ) x->role = c->wrole[i];
  return x;
}

static const char *word_role(RUN *c, const char *w){
  for(int i=0; i<c->nword; i++) if( strcmp(c->wword[i], w)==0 ) return c->wrole[i];
  return NULL;
}

/* the roles of an account as a text: 审核人（本单位及下级）、录入员（本单位） */
static const char *roles_text(ARENA *a, const char **role_zh, const char **unit_code, const char **scope,
                              const int *pending, int n, const char *own_unit){
  STRING s;
  string_init(&s);
  for(int i=0; i<n; i++){
    if( i ) string_append(&s, "、");
    string_append(&s, role_zh[i]);
    string_append(&s, "（");
    if( unit_code[i] && own_unit && strcmp(unit_code[i], own_unit)!=0 ){ string_append(&s, unit_code[i]); string_append(&s, " "); }
    string_append(&s, scope_word(scope[i]));
    if( pending && pending[i] ) string_append(&s, "，本人激活后生效");
    string_append(&s, "）");
  }
  char *o = arena_strdup(a, s.buf ? s.buf : "");
  string_clear(&s);
  return o;
}

static NEOERR *do_users(RUN *c){
  IMP_RESULT *r = c->res;
  ARENA *a = c->a;
  UNITROW *units; USERROW *users; ROLEROW *roles;
  GRANTROW *grants;
  int nunits, nusers, nroles, ngrants;
  NEOERR *err;
  if( (err = q_units_all(c->db, &units, &nunits)) ) return nerr_pass(err);
  if( (err = q_users_all(c->db, &users, &nusers)) ) return nerr_pass(err);
  if( (err = q_roles(c->db, &roles, &nroles)) ) return nerr_pass(err);
  if( (err = q_grants_all(c->db, &grants, &ngrants)) ) return nerr_pass(err);
  HMAP *ucode = hmap_new(a, nunits), *ulogin = hmap_new(a, nusers), *infile = hmap_new(a, c->t.nrow);
  HMAP *children = hmap_new(a, nunits), *gfirst = hmap_new(a, nusers);
  HMAP *uname = units_by_name(a, units, nunits), *retired;
  for(int i=0; i<nunits; i++){
    hmap_put(ucode, fold(a, units[i].code), &units[i]);
    if( units[i].parent_id && units[i].active ) hmap_put(children, arena_printf(a, "%lld", units[i].parent_id), (void*)1);
  }
  for(int i=0; i<nusers; i++) hmap_put(ulogin, fold(a, users[i].login), &users[i]);
  for(int i=ngrants - 1; i>=0; i--) hmap_put(gfirst, arena_printf(a, "%lld", grants[i].user_id), (void*)(long)(i + 1));
  if( (err = retired_codes(c, "user", &retired)) ) return nerr_pass(err);
  legacy_check(c, "old_login", ulogin);
  /* 三员分立: accounts out of an administrator's reach (sec.h) */
  const char **priv;
  int npriv;
  if( (err = q_sec_privileged_logins(c->db, &priv, &npriv)) ) return nerr_pass(err);
  HMAP *privileged = hmap_new(a, npriv + 1);
  for(int i=0; i<npriv; i++) hmap_put(privileged, fold(a, priv[i]), (void*)priv[i]);
  int all_scope = may(c, NULL);
  AROW *rows = arena_alloc(a, sizeof(AROW) * (size_t)(c->t.nrow + 1));
  int n = 0;
  int days = (int)conf_int(c->conf, "Login.ActivationDays", 14);
  r->words = arena_alloc(a, sizeof(IMP_WORD) * 64);

  for(int i=c->hdr + 1; i<c->t.nrow; i++){
    TROW *tr = &c->t.rows[i];
    if( csv_row_blank(tr) ) continue;
    AROW *w = &rows[n++];
    w->rowno = tr->rowno;
    w->login = cell(c, tr, "login");
    w->name = cell(c, tr, "name");
    w->unit = cell(c, tr, "unit");
    w->phone = cell(c, tr, "phone");
    w->old = cell(c, tr, "old_login");
    const char *rs = cell(c, tr, "roles");
    const char *sc = parse_scope(cell(c, tr, "scope"));
    if( sci_key(c, w->rowno, "login", w->login) ) w->bad = 1;
    else if( !str_login_ok(w->login) ){ err_add(c, w->rowno, "login", w->login, *w->login ? "bad_login" : "required"); w->bad = 1; }
    if( !*w->name ){ err_add(c, w->rowno, "name", w->name, "required"); w->bad = 1; }
    else if( utf8_len(w->name)>32 ){ err_add(c, w->rowno, "name", w->name, "too_long"); w->bad = 1; }
    if( imap_sci(w->phone) ){ warn_add(c, w->rowno, "phone", w->phone, "sci_notation"); w->phone = ""; w->keep_phone = 1; }
    else if( strlen(w->phone)>32 ){ err_add(c, w->rowno, "phone", w->phone, "too_long"); w->bad = 1; }
    if( sc==NULL ){ err_add(c, w->rowno, "scope", cell(c, tr, "scope"), "bad_scope"); w->bad = 1; sc = ""; }
    const char *cands;
    w->u = *w->unit ? unit_by(c, ucode, uname, w->unit, &cands) : NULL;
    if( !*w->unit ){ err_add(c, w->rowno, "unit", w->unit, "required"); w->bad = 1; }
    else if( cands ){ err_add(c, w->rowno, "unit", cands, "ambiguous_unit"); w->bad = 1; }
    else if( !w->u ){ err_add(c, w->rowno, "unit", w->unit, "unknown_unit"); w->bad = 1; }
    else if( !w->u->active ){ err_add(c, w->rowno, "unit", w->unit, "unit_inactive"); w->bad = 1; }
    else if( !may(c, w->u->path) ){ err_add(c, w->rowno, "unit", w->unit, "no_scope"); w->bad = 1; }
    USERROW *ex = hmap_get(ulogin, fold(a, w->login));
    if( *w->old ){
      USERROW *exo = hmap_get(ulogin, fold(a, w->old));
      if( exo && ex && exo!=ex ){ err_add(c, w->rowno, "old_login", w->old, "old_and_new_exist"); w->bad = 1; }
      else if( !exo && !ex ){ err_add(c, w->rowno, "old_login", w->old, "unknown_old_code"); w->bad = 1; }
      else if( exo ) ex = exo;
    }
    int activated = ex && ex->has_password && !ex->activation_pending;
    /* roles: codes, names or the customer's own words, separated by ; , 、 | or spaces */
    w->roles_given = *rs!=0;
    int is_admin = 0, is_auditor = 0, auditor_now = 0, is_officer = 0;
    char *buf = arena_strdup(a, rs);
    for(char *p = buf; *p; ){
      /* the next separator: ASCII ; , | / space, or full-width ，、；
      ** (whole UTF-8 sequences, never single bytes of other characters) */
      char *q = p;
      size_t seplen = 0;
      for(; *q; q++){
        if( strchr(";,|/ ", *q) ){ seplen = 1; break; }
        if( strncmp(q, "，", 3)==0 || strncmp(q, "、", 3)==0 || strncmp(q, "；", 3)==0 ){ seplen = 3; break; }
      }
      char save = *q;
      *q = 0;
      if( *p ){
        int hit = -1, pend = 0, none = 0;
        for(int j=0; j<nroles; j++)
          if( strcasecmp(p, roles[j].code)==0 || strcmp(p, roles[j].name_zh)==0 ||
              strcasecmp(p, roles[j].name_en)==0 ) hit = j;
        const char *mapped = word_role(c, p);
        if( hit>=0 && strcmp(roles[hit].code, "auditor")==0 && !activated && !c->operator ){
          /* 审计员 for an account its holder has not activated: offered as pending */
          word_seen(c, p, 1);
          if( mapped && strcmp(mapped, "auditor+pending")==0 ) pend = 1;
        }else if( hit<0 ){
          word_seen(c, p, 0);
          if( mapped && strcmp(mapped, "-")==0 ) none = 1;
          else if( mapped && strcmp(mapped, "auditor+pending")==0 ){
            for(int j=0; j<nroles; j++) if( strcmp(roles[j].code, "auditor")==0 ) hit = j;
            pend = !activated && !c->operator;
          }else if( mapped ){
            for(int j=0; j<nroles; j++) if( strcmp(roles[j].code, mapped)==0 ) hit = j;
          }
        }
        if( none ){}
        else if( hit<0 ){ err_add(c, w->rowno, "roles", p, "unknown_role"); w->bad = 1; }
        else if( w->nroles<MAXROLES ){
          const char *code = roles[hit].code;
          int has_children = w->u && hmap_get(children, arena_printf(a, "%lld", w->u->id))!=NULL;
          const char *s = *sc ? sc : strcmp(code, "clerk")==0 ? "unit"
                        : strcmp(code, "head")==0 ? (has_children ? "subtree" : "unit")
                        : strcmp(code, "admin")==0 ? "subtree" : "all";
          if( strcmp(s, "all")==0 && !all_scope ){ err_add(c, w->rowno, "scope", *sc ? cell(c, tr, "scope") : s, "no_scope_all"); w->bad = 1; }
          else if( w->u && may(c, w->u->path) && !auth_covers(c->actor, CAP_ADMIN, w->u->path, auth_scope_parse(s)) ){
            err_add(c, w->rowno, "scope", *sc ? cell(c, tr, "scope") : s, "no_scope"); w->bad = 1;
          }
          if( strcmp(code, "auditor")==0 && !all_scope ){ err_add(c, w->rowno, "roles", p, "no_scope"); w->bad = 1; }
          if( strcmp(code, "auditor")==0 ){ is_auditor = 1; if( !pend ) auditor_now = 1; }
          if( strcmp(code, "admin")==0 ) is_admin = 1;
          if( strcmp(code, "secofficer")==0 ) is_officer = 1;
          w->roles[w->nroles] = &roles[hit];
          w->pending[w->nroles] = pend;
          w->npending += pend;
          w->scopes[w->nroles++] = s;
        }
      }
      if( save==0 ) break;
      p = q + seplen;
    }
    if( (is_admin && is_auditor) || (is_officer && (is_admin || is_auditor)) ){ err_add(c, w->rowno, "roles", rs, "admin_auditor"); w->bad = 1; }
    if( *w->login ){
      AROW *dup = hmap_get(infile, fold(a, w->login));
      if( dup && strcmp(dup->login, w->login)==0 ){
        err_add(c, w->rowno, "login", arena_printf(a, "%s（第 %d 行）", w->login, dup->rowno), "dup_in_file"); w->bad = 1;
      }else if( dup ){
        err_add(c, w->rowno, "login", arena_printf(a, "%s（第 %d 行：%s）", w->login, dup->rowno, dup->login), "dup_case"); w->bad = 1;
      }else hmap_put(infile, fold(a, w->login), w);
    }
    /* a login retired by a rename: not for a new account, nor as an account's new name */
    if( *w->login && hmap_get(retired, fold(a, w->login)) && (!ex || strcmp(fold(a, ex->login), fold(a, w->login))!=0) ){
      err_add(c, w->rowno, "login", w->login, "login_retired"); w->bad = 1;
    }
    if( ex && *w->old ){
      USERROW *other = hmap_get(ulogin, fold(a, w->login));
      if( other && other!=ex && !w->bad ){ err_add(c, w->rowno, "login", w->login, "old_and_new_exist"); w->bad = 1; }
    }
    if( ex ){
      if( ex->id==c->actor->id ){ err_add(c, w->rowno, "login", w->login, "self"); w->bad = 1; }
      else if( !ex->active ){ err_add(c, w->rowno, "login", w->login, "user_inactive"); w->bad = 1; }
      else if( !may(c, ex->unit_path) ){ err_add(c, w->rowno, "login", w->login, "no_scope"); w->bad = 1; }
      else if( !all_scope ){
        /* every role the account holds must be within the importer's reach
        ** (an admin over everything reaches every role: no query needed) */
        GRANT *g;
        int ng;
        if( (err = q_user_grants(c->db, a, ex->id, &g, &ng)) ) return nerr_pass(err);
        for(int k=0; k<ng; k++){
          if( !auth_covers(c->actor, CAP_ADMIN, g[k].unit_path, g[k].scope) ||
              ((g[k].caps & CAP_AUDIT) && !all_scope) ){
            err_add(c, w->rowno, "login", w->login, "no_scope"); w->bad = 1; break;
          }
        }
      }
    }
    /* 三员分立: the auditor role only for accounts their holder has activated
    ** (diaodu-ctl, the server operator, is exempt: its codes stay on the server),
    ** or as a grant waiting for the holder's activation */
    if( auditor_now && !c->operator && !activated ){
      err_add(c, w->rowno, "roles", cell(c, tr, "roles"), "auditor_after_activation"); w->bad = 1;
    }
    /* ... and an administrator makes no one an auditor or officer: a working
    ** grant is refused, a pending one waits for the security officer's
    ** confirmation as well as for the holder (sec.h); nor may an import touch
    ** an account that holds or held those roles.  The operator (diaodu-ctl)
    ** may. */
    else if( (auditor_now || is_officer) && !c->operator && !w->bad ){
      err_add(c, w->rowno, "roles", cell(c, tr, "roles"), "privileged_role"); w->bad = 1;
    }
    if( ex && !c->operator && !w->bad && hmap_get(privileged, fold(a, ex->login)) ){
      err_add(c, w->rowno, "login", w->login, "privileged_account"); w->bad = 1;
    }
    w->ex = ex;
  }
  r->rows = n;

  /* what changes */
  for(int i=0; i<n; i++){
    AROW *w = &rows[i];
    if( w->bad ){ r->n_error_rows++; continue; }
    const char *rz[MAXROLES], *ru[MAXROLES];
    for(int k=0; k<w->nroles; k++){ rz[k] = w->roles[k]->name_zh; ru[k] = w->u->code; }
    const char *now_roles = roles_text(a, rz, ru, w->scopes, w->pending, w->nroles, w->u->code);
    const char *phone = w->keep_phone && w->ex ? w->ex->phone : w->phone;
    if( !w->ex ){
      r->n_new++;
      IMP_ROW *p = pv(c, w->rowno, 1, w->login, w->name);
      chg(p, "单位", NULL, unit_label(a, w->u->name, w->u->code));
      chg(p, "角色", NULL, w->nroles ? now_roles : "（无）");
      if( *phone ) chg(p, "电话", NULL, phone);
      continue;
    }
    /* the account's roles now, to compare with the file's */
    const char *oz[32], *ou[32], *os[32];
    int no = 0;
    long fi = (long)hmap_get(gfirst, arena_printf(a, "%lld", w->ex->id));
    for(long k = fi ? fi - 1 : ngrants; k<ngrants && grants[k].user_id==w->ex->id && no<32; k++){
      for(int j=0; j<nroles; j++) if( strcmp(roles[j].code, grants[k].role)==0 ) oz[no] = roles[j].name_zh;
      ou[no] = grants[k].unit_code; os[no++] = grants[k].scope;
    }
    const char *old_roles = roles_text(a, oz, ou, os, NULL, no, w->ex->unit_code);
    int roles_same = !w->roles_given || (!w->npending && strcmp(old_roles, roles_text(a, rz, ru, w->scopes, NULL, w->nroles, w->ex->unit_code))==0
                                         && w->u->id==w->ex->unit_id);
    if( strcmp(w->ex->login, w->login)==0 && strcmp(w->ex->name, w->name)==0 && w->ex->unit_id==w->u->id
        && strcmp(w->ex->phone, phone)==0 && roles_same ){ r->n_same++; w->same = 1; continue; }
    r->n_updated++;
    IMP_ROW *p = pv(c, w->rowno, 0, w->login, w->name);
    chg_if(p, "账户", w->ex->login, w->login);
    chg_if(p, "姓名", w->ex->name, w->name);
    if( w->ex->unit_id!=w->u->id )
      chg(p, "单位", unit_label(a, w->ex->unit_name, w->ex->unit_code), unit_label(a, w->u->name, w->u->code));
    if( !roles_same ) chg(p, "角色", no ? old_roles : "（无）", w->nroles ? now_roles : "（无）");
    chg_if(p, "电话", w->ex->phone, phone);
  }
  r->checked = 1;
  if( !c->apply || r->n_errors || r->need_map ) return STATUS_OK;

  r->codes = arena_alloc(a, sizeof(IMP_CODE) * (size_t)(r->n_new + 1));
  r->pending_login = arena_alloc(a, sizeof(char*) * (size_t)(n + 1));
  r->pending_name = arena_alloc(a, sizeof(char*) * (size_t)(n + 1));
  for(int i=0; i<n; i++){
    AROW *w = &rows[i];
    long long id;
    const char *phone = w->keep_phone && w->ex ? w->ex->phone : w->phone;
    if( !w->ex ){
      char code[ACT_CODE_LEN + 1];
      unsigned char h[32];
      acct_code_new(code, h);
      if( (err = q_user_create(c->db, w->login, w->name, w->u->id, phone, h, days, &id)) ) return nerr_pass(err);
      if( w->npending ){
        /* nobody sees this code: the operator issues one (diaodu-ctl activation-code) */
        if( (err = q_activation_revoke(c->db, id)) ) return nerr_pass(err);
      }else{
        if( (err = q_sheet_add(c->db, c->batch_id, id, code, c->actor->id, days)) ) return nerr_pass(err);
        IMP_CODE *k = &r->codes[r->ncodes++];
        k->login = w->login; k->name = w->name; k->unit_name = w->u->name; k->code = arena_strdup(a, code);
      }
    }else{
      int ok;
      id = w->ex->id;
      if( w->same ) continue;
      if( (err = q_user_update(c->db, id, w->ex->version, w->login, w->name, w->u->id, phone, &ok)) ) return nerr_pass(err);
      if( !ok ) return nerr_raise(ERR_CONFLICT, "busy");
      if( strcmp(fold(a, w->ex->login), fold(a, w->login))!=0 && (err = q_code_map(c->db, "user", w->ex->login, w->login)) ) return nerr_pass(err);
      if( w->roles_given && (err = q_grants_clear(c->db, id)) ) return nerr_pass(err);
      /* an admin has seen this account's code: it no longer works */
      if( w->npending && (err = q_activation_revoke(c->db, id)) ) return nerr_pass(err);
    }
    if( !w->ex || w->roles_given ){
      for(int k=0; k<w->nroles; k++){
        if( w->pending[k] ) err = q_pending_add(c->db, id, w->roles[k]->id, w->u->id, w->scopes[k], c->actor->id);
        else{
          err = q_grant_add(c->db, id, w->roles[k]->id, w->u->id, w->scopes[k]);
          if( !err ) err = q_sec_mark(c->db, id, w->roles[k]->code);
        }
        if( err ) return nerr_pass(err);
      }
    }
    if( w->npending ){
      r->pending_login[r->npending] = w->login;
      r->pending_name[r->npending++] = w->name;
    }
  }
  long long admins;
  if( (err = q_admins_all_count(c->db, &admins)) ) return nerr_pass(err);
  if( admins<1 ){ r->file_key = "last_admin"; r->n_errors++; return STATUS_OK; }
  return nerr_pass(audit(c, "import.users"));
}

/* ------------------------------------------------------------------ */
/* base data                                                           */

static NEOERR *do_base(RUN *c, const BASEKIND *k){
  IMP_RESULT *r = c->res;
  ARENA *a = c->a;
  UNITROW *units; BASEITEM *items;
  int nunits, nitems;
  NEOERR *err;
  if( (err = q_units_all(c->db, &units, &nunits)) ) return nerr_pass(err);
  if( (err = q_items_all(c->db, k->id, &items, &nitems)) ) return nerr_pass(err);
  HMAP *ucode = hmap_new(a, nunits), *icode = hmap_new(a, nitems), *infile = hmap_new(a, c->t.nrow);
  HMAP *uname = units_by_name(a, units, nunits);
  for(int i=0; i<nunits; i++) hmap_put(ucode, fold(a, units[i].code), &units[i]);
  for(int i=0; i<nitems; i++) hmap_put(icode, fold(a, items[i].code), &items[i]);
  legacy_check(c, "old_code", icode);
  /* new fields: a free column of base_item for each */
  int newcol[IMAP_MAXCOLS] = { 0 }, used[BASE_MAXF + 1] = { 0 }, nnew = 0;
  for(int f=0; f<k->nfields; f++) used[k->f[f].col] = 1;
  for(int i=0; i<c->nic; i++){
    if( c->ic[i].field!=IM_NEW ) continue;
    int col = 0;
    for(int x=1; x<=BASE_MAXF && !col; x++) if( !used[x] ){ col = x; used[x] = 1; }
    if( !col ){ r->file_key = "new_field_full"; return STATUS_OK; }
    if( c->nf>=MAXF ) continue;
    newcol[c->ic[i].col] = col;
    IFIELD *nf = &c->f[c->nf];
    nf->key = arena_printf(a, "a%d", col);
    nf->label = *c->ic[i].header ? c->ic[i].header : arena_printf(a, "第 %s 列", col_letter(a, c->ic[i].col));
    nf->aliases = NULL;
    nf->required = 0;
    c->at[c->nf++] = c->ic[i].col;
    nnew++;
  }
  BASEITEM *rows = arena_alloc(a, sizeof(BASEITEM) * (size_t)(c->t.nrow + 1));
  BASEITEM **exs = arena_alloc(a, sizeof(BASEITEM*) * (size_t)(c->t.nrow + 1));
  int *same_v = arena_alloc(a, sizeof(int) * (size_t)(c->t.nrow + 1));
  HMAP *inrow = hmap_new(a, c->t.nrow);          /* code -> its first row number */
  int n = 0;
  const char *entity = arena_printf(a, "base:%s", k->code);
  HMAP *retired;
  if( (err = retired_codes(c, entity, &retired)) ) return nerr_pass(err);

  for(int i=c->hdr + 1; i<c->t.nrow; i++){
    TROW *tr = &c->t.rows[i];
    if( csv_row_blank(tr) ) continue;
    BASEITEM *it = &rows[n++];
    int rowno = tr->rowno, bad = 0;
    it->code = cell(c, tr, "code");
    it->name = cell(c, tr, "name");
    const char *unit = cell(c, tr, "unit"), *act = cell(c, tr, "active"), *old = cell(c, tr, "old_code");
    if( sci_key(c, rowno, "code", it->code) ) bad = 1;
    else if( !str_code_ok(it->code, 64) ){ err_add(c, rowno, "code", it->code, *it->code ? "bad_code" : "required"); bad = 1; }
    if( !*it->name ){ err_add(c, rowno, "name", it->name, "required"); bad = 1; }
    else if( utf8_len(it->name)>100 ){ err_add(c, rowno, "name", it->name, "too_long"); bad = 1; }
    const char *cands = NULL;
    UNITROW *u = *unit ? unit_by(c, ucode, uname, unit, &cands) : NULL;
    if( cands ){ err_add(c, rowno, "unit", cands, "ambiguous_unit"); bad = 1; }
    else if( *unit && !u ){ err_add(c, rowno, "unit", unit, "unknown_unit"); bad = 1; }
    else if( u && !u->active ){ err_add(c, rowno, "unit", unit, "unit_inactive"); bad = 1; }
    else if( !may(c, u ? u->path : NULL) ){ err_add(c, rowno, "unit", unit, "no_scope"); bad = 1; }
    it->unit_id = u ? u->id : 0;
    it->unit_code = u ? u->code : NULL;
    for(int f=0; f<c->nf; f++){
      if( !fcol(c->f[f].key) ) continue;
      const BASEFIELD *fd = NULL;
      for(int x=0; x<k->nfields; x++) if( strcmp(arena_printf(a, "a%d", k->f[x].col), c->f[f].key)==0 ) fd = &k->f[x];
      int col = fcol(c->f[f].key);
      const char *key = c->f[f].key;
      const char *v = cell(c, tr, key), *canon, *why;
      it->a[col - 1] = *v ? v : NULL;
      if( imap_sci(v) ){
        it->a[col - 1] = NULL;
        if( fd && fd->required ){ err_add(c, rowno, key, v, "sci_key"); bad = 1; }
        else warn_add(c, rowno, key, v, "sci_notation");
        continue;
      }
      if( !*v ){ if( fd && fd->required ){ err_add(c, rowno, key, v, "required"); bad = 1; } continue; }
      if( utf8_len(v)>200 ){ err_add(c, rowno, key, v, "too_long"); bad = 1; }
      else if( fd && !typed(c, fd, v, &canon, &why) ){ err_add(c, rowno, key, v, why); bad = 1; }
      else if( fd ) it->a[col - 1] = canon;
    }
    it->active = -1;
    if( *act ){
      if( strcmp(act, "启用")==0 || strcmp(act, "是")==0 || strcmp(act, "1")==0 || strcasecmp(act, "active")==0 || strcasecmp(act, "yes")==0 ) it->active = 1;
      else if( strcmp(act, "停用")==0 || strcmp(act, "否")==0 || strcmp(act, "0")==0 || strcasecmp(act, "inactive")==0 || strcasecmp(act, "no")==0 ) it->active = 0;
      else{ err_add(c, rowno, "active", act, "bad_active"); bad = 1; }
    }
    if( *it->code ){
      BASEITEM *dup = hmap_get(infile, fold(a, it->code));
      int dup_row = (int)(long)hmap_get(inrow, fold(a, it->code));
      if( dup && strcmp(dup->code, it->code)==0 ){
        err_add(c, rowno, "code", arena_printf(a, "%s（第 %d 行）", it->code, dup_row), "dup_in_file"); bad = 1;
      }else if( dup ){
        err_add(c, rowno, "code", arena_printf(a, "%s（第 %d 行：%s）", it->code, dup_row, dup->code), "dup_case"); bad = 1;
      }else{
        hmap_put(infile, fold(a, it->code), it);
        hmap_put(inrow, fold(a, it->code), (void*)(long)rowno);
      }
    }
    BASEITEM *ex = hmap_get(icode, fold(a, it->code));
    if( *old ){
      BASEITEM *exo = hmap_get(icode, fold(a, old));
      if( exo && ex && exo!=ex ){ err_add(c, rowno, "old_code", old, "old_and_new_exist"); bad = 1; }
      else if( !exo && !ex ){ err_add(c, rowno, "old_code", old, "unknown_old_code"); bad = 1; }
      else if( exo ) ex = exo;
    }
    if( ex && !may(c, ex->unit_id ? ex->unit_path : NULL) ){ err_add(c, rowno, "code", it->code, "no_scope"); bad = 1; }
    if( *it->code && hmap_get(retired, fold(a, it->code)) && (!ex || strcmp(fold(a, ex->code), fold(a, it->code))!=0) ){
      err_add(c, rowno, "code", it->code, "code_retired"); bad = 1;
    }
    exs[n - 1] = ex;
    if( bad ){ r->n_error_rows++; continue; }
    const char *uname_s = u ? unit_label(a, u->name, u->code) : "（无）";
    if( !ex ){
      r->n_new++;
      IMP_ROW *p = pv(c, rowno, 1, it->code, it->name);
      chg(p, "所属单位", NULL, uname_s);
      for(int f=0; f<c->nf; f++){
        if( !fcol(c->f[f].key) ) continue;
        const char *v = it->a[fcol(c->f[f].key) - 1];
        if( v ) chg(p, c->f[f].label, NULL, v);
      }
    }else{
      int same = strcmp(ex->code, it->code)==0 && strcmp(ex->name, it->name)==0 && ex->unit_id==it->unit_id
                 && (it->active<0 || it->active==ex->active);
      for(int f=0; f<BASE_MAXF && same; f++){
        const char *x = ex->a[f] ? ex->a[f] : "", *y = it->a[f] ? it->a[f] : "", *cx, *why;
        /* stored values compare in canonical form too: a value saved
        ** before the checker was canonical ("12600.50") is unchanged */
        for(int g=0; g<k->nfields && *x; g++)
          if( k->f[g].col==f + 1 && typed(c, &k->f[g], x, &cx, &why) ) x = cx;
        if( strcmp(x, y)!=0 ) same = 0;
      }
      same_v[n - 1] = same;
      if( same ) r->n_same++;
      else{
        r->n_updated++;
        IMP_ROW *p = pv(c, rowno, 0, it->code, it->name);
        chg_if(p, "编码", ex->code, it->code);
        chg_if(p, "名称", ex->name, it->name);
        if( ex->unit_id!=it->unit_id )
          chg(p, "所属单位", ex->unit_id ? ex->unit_code : "（无）", uname_s);
        for(int f=0; f<c->nf; f++){
          if( !fcol(c->f[f].key) ) continue;
          int col = fcol(c->f[f].key) - 1;
          const char *x = ex->a[col] ? ex->a[col] : "", *cx, *why;
          for(int g=0; g<k->nfields && *x; g++)    /* "12600.50" stored is "12600.5" read */
            if( k->f[g].col==col + 1 && typed(c, &k->f[g], x, &cx, &why) && strcmp(cx, it->a[col] ? it->a[col] : "")==0 ) x = cx;
          if( strcmp(x, it->a[col] ? it->a[col] : "")!=0 ) chg(p, c->f[f].label, ex->a[col], it->a[col]);
        }
        if( it->active>=0 && it->active!=ex->active ) chg(p, "状态", ex->active ? "启用" : "停用", it->active ? "启用" : "停用");
      }
    }
  }
  r->rows = n;
  r->checked = 1;
  if( !c->apply || r->n_errors || r->need_map ) return STATUS_OK;
  /* the new fields first, then the items */
  for(int i=0; i<c->nic; i++){
    int col = newcol[c->ic[i].col];
    if( !col ) continue;
    const char *label = utf8_cut(a, *c->ic[i].header ? c->ic[i].header : arena_printf(a, "第 %s 列", col_letter(a, c->ic[i].col)), 60);
    if( (err = q_field_add(c->db, k->id, col, arena_printf(a, "x%d", col), label, "text", 0)) ) return nerr_pass(err);
  }
  (void)nnew;
  for(int i=0; i<n; i++){
    BASEITEM *it = &rows[i];
    long long id;
    if( !exs[i] ){
      if( it->active<0 ) it->active = 1;
      if( (err = q_item_insert(c->db, k->id, it, &id)) ) return nerr_pass(err);
    }else if( !same_v[i] ){
      int ok;
      const char *old_code = exs[i]->code;
      it->id = exs[i]->id;
      it->version = exs[i]->version;
      if( it->active<0 ) it->active = exs[i]->active;
      if( (err = q_item_update(c->db, it, &ok)) ) return nerr_pass(err);
      if( !ok ) return nerr_raise(ERR_CONFLICT, "busy");
      if( strcmp(fold(a, old_code), fold(a, it->code))!=0 && (err = q_code_map(c->db, entity, old_code, it->code)) )
        return nerr_pass(err);
    }
  }
  return nerr_pass(audit(c, arena_printf(a, "import.%s", entity)));
}

/* ------------------------------------------------------------------ */

static int base_fields(RUN *c, const BASEKIND *k){
  static const IFIELD head[] = {
    { "code", "编码", "编码|编号|代码|code", 1 },
    { "name", "名称", "名称|name", 1 },
    { "unit", "所属单位编码", "所属单位编码|单位编码|所属单位|unit|unitcode", 0 },
  };
  int n = 0;
  for(size_t i=0; i<sizeof head/sizeof head[0]; i++) c->f[n++] = head[i];
  for(int f=0; f<k->nfields && n<MAXF - 2; f++){
    IFIELD *x = &c->f[n++];
    x->key = arena_printf(c->a, "a%d", k->f[f].col);
    x->label = k->f[f].label;
    x->aliases = arena_printf(c->a, "%s|%s", k->f[f].label, k->f[f].code);
    x->required = k->f[f].required;
  }
  c->f[n++] = (IFIELD){ "active", "状态", "状态|启用|active|status", 0 };
  c->f[n++] = (IFIELD){ "old_code", "原编码", "原编码|旧编码|oldcode", 0 };
  return n;
}

NEOERR *import_kind(DB *db, const char *kind, const char **name, int *ok){
  *ok = 1;
  if( strcmp(kind, "units")==0 ){ *name = "组织机构"; return STATUS_OK; }
  if( strcmp(kind, "users")==0 ){ *name = "账户"; return STATUS_OK; }
  if( strncmp(kind, "base:", 5)==0 ){
    BASEKIND k;
    int found;
    NEOERR *err = q_kind_get(db, kind + 5, &k, &found);
    if( err ) return nerr_pass(err);
    *ok = found && k.active;
    *name = found ? k.name : "";
    return STATUS_OK;
  }
  *ok = 0;
  return STATUS_OK;
}

/* the checks (and, when applying, the writes) of one kind */
static NEOERR *run_kind(RUN *c, const char *kind, const BASEKIND *k){
  if( strcmp(kind, "units")==0 ) return nerr_pass(do_units(c));
  if( strcmp(kind, "users")==0 ) return nerr_pass(do_users(c));
  return nerr_pass(do_base(c, k));
}

/* what a run changes in RUN and the result, kept to start a retry from */
typedef struct {
  IMP_RESULT res;
  IMP_COL *cols;
  ICOL *ic;
  int nf, at[MAXF];
} READ;

static void keep(RUN *c, READ *x){
  x->res = *c->res;
  x->cols = arena_alloc(c->a, sizeof(IMP_COL) * (size_t)(c->res->ncols + 1));
  memcpy(x->cols, c->res->cols, sizeof(IMP_COL) * (size_t)c->res->ncols);
  x->ic = arena_alloc(c->a, sizeof(ICOL) * (size_t)(c->nic + 1));
  memcpy(x->ic, c->ic, sizeof(ICOL) * (size_t)c->nic);
  x->nf = c->nf;
  memcpy(x->at, c->at, sizeof x->at);
}

static void restore(RUN *c, const READ *x){
  *c->res = x->res;
  memcpy(c->res->cols, x->cols, sizeof(IMP_COL) * (size_t)c->res->ncols);
  memcpy(c->ic, x->ic, sizeof(ICOL) * (size_t)c->nic);
  c->nf = x->nf;
  memcpy(c->at, x->at, sizeof c->at);
}

/* one attempt at applying: everything or (refused, *msg set) nothing */
static NEOERR *apply_tx(RUN *c, const char *kind, const BASEKIND *k, const READ *read,
                        const char **msg){
  NEOERR *err;
  restore(c, read);                /* a retried attempt starts from the file as read */
  if( strcmp(kind, "units")==0 && (err = q_tree_lock(c->db)) ) return nerr_pass(err);
  if( (err = run_kind(c, kind, k)) ) return nerr_pass(err);
  if( c->res->n_errors || c->res->file_key || c->res->need_map ){ *msg = "imp.refused"; return STATUS_OK; }
  if( c->batch_id ){
    int once;
    if( (err = q_batch_applied(c->db, c->batch_id, c->res->n_new, c->res->n_updated, &once)) )
      return nerr_pass(err);
    if( !once ) return nerr_raise(ERR_CONFLICT, "already_applied");
  }
  return STATUS_OK;
}

NEOERR *import_run(CTX *ctx, const char *kind, const char *data, size_t len, long long batch_id,
                   int apply, IMP_RESULT *res){
  return nerr_pass(import_run_with(ctx, kind, data, len, batch_id, apply, NULL, res));
}

NEOERR *import_run_with(CTX *ctx, const char *kind, const char *data, size_t len, long long batch_id,
                        int apply, const char *options, IMP_RESULT *res){
  RUN c;
  BASEKIND k;
  int ok;
  NEOERR *err;
  DB *db = ctx->db;
  ARENA *a = ctx->arena;
  memset(&c, 0, sizeof c);
  memset(res, 0, sizeof *res);
  c.db = db; c.a = a; c.conf = ctx->conf; c.actor = ctx->user; c.ctx = ctx; c.res = res;
  c.operator = ctx_is_operator(ctx);
  c.apply = apply; c.batch_id = batch_id;
  res->kind = kind;
  res->errors = arena_alloc(a, sizeof(IMP_ERR) * IMPORT_MAX_ERRORS);
  res->warnings = arena_alloc(a, sizeof(IMP_ERR) * IMPORT_MAX_ERRORS);
  res->preview = arena_alloc(a, sizeof(IMP_ROW) * IMPORT_MAX_PREVIEW);
  if( (err = import_kind(db, kind, &res->kind_name, &ok)) ) return nerr_pass(err);
  if( !ok ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( strcmp(kind, "units")==0 || strcmp(kind, "users")==0 ){
    c.ik = strcmp(kind, "units")==0 ? IK_UNITS : IK_USERS;
    int nf;
    const IFIELD *f = imap_fields(c.ik, &nf);
    for(int i=0; i<nf; i++) c.f[i] = f[i];
    c.nf = nf;
  }else{
    int found;
    if( (err = q_kind_get(db, kind + 5, &k, &found)) ) return nerr_pass(err);
    c.ik = IK_BASE;
    c.kind = &k;
    c.nf = base_fields(&c, &k);
  }
  if( (err = decode(&c, data, len)) ) return nerr_pass(err);
  if( res->file_key ) return STATUS_OK;
  if( (err = map_columns(&c, kind, options)) ) return nerr_pass(err);
  if( res->file_key ) return STATUS_OK;
  if( !apply ){
    err = run_kind(&c, kind, &k);
    res->options = options_string(&c);
    return nerr_pass(err);
  }
  READ read;
  const char *refused;
  keep(&c, &read);
  err = DB_TX(db, &refused, apply_tx(&c, kind, &k, &read, &refused));
  res->options = options_string(&c);
  return nerr_pass(err);
}

/* the admin's choices for a header row, and role words */
static NEOERR *remember_tx(CTX *ctx, const char *kind, const char *header_key, const char *header,
                           const char *mapping, int nwords, const char **words, const char **roles){
  NEOERR *err = q_mapping_put(ctx->db, kind, header_key, header, mapping, ctx->user->id);
  for(int i=0; i<nwords && !err; i++) err = q_role_word_put(ctx->db, words[i], roles[i], ctx->user->id);
  if( err ) return nerr_pass(err);
  JSON j;
  json_open(&j);
  json_str(&j, "kind", kind);
  json_str(&j, "header", header);
  json_str(&j, "mapping", mapping);
  if( nwords ){
    json_obj(&j, "roles");
    for(int i=0; i<nwords; i++) json_str(&j, words[i], roles[i]);
    json_end(&j);
  }
  json_end(&j);
  return nerr_pass(ctx_audit(ctx, "import.mapping", arena_printf(ctx->arena, "%s:%.12s", kind, header_key),
                             "ok", json_done(&j, ctx->arena)));
}

NEOERR *import_remember(CTX *ctx, const char *kind, const char *header_key, const char *header,
                        const char *mapping, int nwords, const char **words, const char **roles){
  return nerr_pass(DB_TX(ctx->db, NULL, remember_tx(ctx, kind, header_key, header, mapping,
                                                    nwords, words, roles)));
}

NEOERR *import_template(DB *db, ARENA *a, const char *kind, TABLE *t){
  static const char *units[][6] = {
    { "单位编码", "单位名称", "上级单位编码", "类型", "排序", "原编码" },
    { "100", "后勤服务公司", "", "公司", "0", "" },
    { "100010", "车队", "100", "部门", "10", "" },
    { "10001001", "车队一班", "100010", "班组", "1", "" },
  };
  static const char *users[][7] = {
    { "账户", "姓名", "单位编码", "角色", "数据范围", "电话", "原账户" },
    { "zhangwei", "张伟", "100010", "录入员", "本单位", "13800000001", "" },
    { "lina", "李娜", "100010", "审核人;录入员", "本单位", "", "" },
  };
  RUN c;
  memset(&c, 0, sizeof c);
  c.a = a;
  t->nrow = 0;
  if( strcmp(kind, "units")==0 || strcmp(kind, "users")==0 ){
    int ncol = strcmp(kind, "units")==0 ? 6 : 7, nrow = strcmp(kind, "units")==0 ? 4 : 3;
    t->rows = arena_alloc(a, sizeof(TROW) * (size_t)nrow);
    for(int i=0; i<nrow; i++){
      t->rows[i].rowno = i + 1;
      t->rows[i].ncol = ncol;
      t->rows[i].cols = arena_alloc(a, sizeof(char*) * (size_t)ncol);
      for(int j=0; j<ncol; j++)
        t->rows[i].cols[j] = arena_strdup(a, ncol==6 ? units[i][j] : users[i][j]);
    }
    t->nrow = nrow;
    return STATUS_OK;
  }
  BASEKIND k;
  int found;
  if( strncmp(kind, "base:", 5)!=0 ) return nerr_raise(ERR_NOTFOUND, "not_found");
  NEOERR *err = q_kind_get(db, kind + 5, &k, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  int ncol = base_fields(&c, &k);
  t->rows = arena_alloc(a, sizeof(TROW) * 2);
  t->nrow = 2;
  for(int i=0; i<2; i++){
    t->rows[i].rowno = i + 1;
    t->rows[i].ncol = ncol;
    t->rows[i].cols = arena_alloc(a, sizeof(char*) * (size_t)ncol);
  }
  for(int j=0; j<ncol; j++){
    t->rows[0].cols[j] = arena_strdup(a, c.f[j].label);
    const char *ex = "";
    if( strcmp(c.f[j].key, "code")==0 ) ex = "001";
    else if( strcmp(c.f[j].key, "name")==0 ) ex = "示例";
    else if( strcmp(c.f[j].key, "unit")==0 ) ex = "100010";
    else if( strcmp(c.f[j].key, "active")==0 ) ex = "启用";
    t->rows[1].cols[j] = arena_strdup(a, ex);
  }
  return STATUS_OK;
}
