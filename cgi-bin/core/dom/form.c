/*
** form.c -- see form.h.
*/
#include "form.h"
#include "ddl.h"
#include "flow.h"
#include "err.h"
#include "json.h"
#include "log.h"
#include "q_form.h"
#include "schema.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* the worker's cache of parsed definitions                            */

#define FCACHE_MAX 64
typedef struct {
  long long id;
  char code[FDEF_CODE_MAX + 1];
  char hash[65];
  ARENA *a;
  FORM *f;
} FCACHE;
static FCACHE g_cache[FCACHE_MAX];

static NEOERR *load(CTX *c, const QFORM *q, const FORM **out){
  FCACHE *slot = NULL;
  for(int i=0; i<FCACHE_MAX; i++){
    if( g_cache[i].f && g_cache[i].id==q->id ){
      if( strcmp(g_cache[i].hash, q->hash)==0 ){
        /* the definition is the same; its go-live instant is read every time */
        g_cache[i].f->since = 0;
        if( q->created_at ) day_utc_parse(q->created_at, &g_cache[i].f->since);
        *out = g_cache[i].f;
        return STATUS_OK;
      }
      slot = &g_cache[i];
      break;
    }
  }
  if( slot==NULL ) for(int i=0; i<FCACHE_MAX && !slot; i++) if( !g_cache[i].f ) slot = &g_cache[i];
  if( slot==NULL ) slot = &g_cache[q->id % FCACHE_MAX];      /* more forms than slots: reuse one */
  QFORM again;
  const char *source;
  int found;
  NEOERR *err = q_form_get(c->db, q->code, 1, &again, &source, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( slot->a ) arena_free(slot->a);
  memset(slot, 0, sizeof *slot);
  slot->a = arena_new(32768);
  FORM *f;
  FDEF_ERRS *errs = arena_alloc(slot->a, sizeof *errs);
  if( fdef_parse(slot->a, again.file, source, &f, errs) ){
    arena_free(slot->a);
    slot->a = NULL;
    return nerr_raise(NERR_ASSERT, "the applied definition of %s does not parse (%s:%d %s)", q->code,
                      errs->n ? errs->e[0].file : "", errs->n ? errs->e[0].line : 0, errs->n ? errs->e[0].key : "");
  }
  f->id = again.id;
  f->active = again.active;
  if( again.created_at ) day_utc_parse(again.created_at, &f->since);
  slot->id = again.id;
  snprintf(slot->code, sizeof slot->code, "%s", again.code);
  snprintf(slot->hash, sizeof slot->hash, "%s", again.hash);
  slot->f = f;
  *out = f;
  return STATUS_OK;
}

const FORM *form_cached(const char *code){
  for(int i=0; i<FCACHE_MAX; i++)
    if( g_cache[i].f && strcmp(g_cache[i].code, code)==0 ) return g_cache[i].f;
  return NULL;
}

NEOERR *form_get(CTX *c, const char *code, const FORM **f){
  QFORM q;
  int found;
  *f = NULL;
  NEOERR *err = q_form_get(c->db, code, 0, &q, NULL, &found);
  if( err || !found ) return nerr_pass(err);
  return nerr_pass(load(c, &q, f));
}

NEOERR *form_from(CTX *c, const QFORM *q, const FORM **f){
  *f = NULL;
  return nerr_pass(load(c, q, f));
}

NEOERR *form_get_id(CTX *c, long long id, const FORM **f){
  QFORM q;
  int found;
  *f = NULL;
  NEOERR *err = q_form_by_id(c->db, id, &q, &found);
  if( err || !found ) return nerr_pass(err);
  return nerr_pass(load(c, &q, f));
}

/* ------------------------------------------------------------------ */
/* the generated tables                                                */

const char *form_table(ARENA *a, const FORM *f, int part){
  return part==FP_ROW ? arena_printf(a, "f_%s_r", f->code) : arena_printf(a, "f_%s", f->code);
}

static DDL_COL col_of(const FFIELD *x){
  DDL_COL c = { x->code, DDL_VARCHAR, 200, 0, 1 };
  switch( x->type ){
    case FT_TEXT: c.len = 200; break;
    case FT_SELECT: c.len = 100; break;
    case FT_TEXTAREA: c.type = DDL_TEXT; c.len = 0; break;
    case FT_INT: case FT_LOOKUP: c.type = DDL_BIGINT; c.len = 0; break;
    case FT_DEC: case FT_COMPUTED: c.type = DDL_DECIMAL; c.len = x->prec; c.scale = x->scale; break;
    case FT_DATE: c.type = DDL_DATE; c.len = 0; break;
    case FT_TIME: c.type = DDL_TIME; c.len = 0; break;
  }
  return c;
}

static void one_table(ARENA *a, const FORM *f, int part, DDL_TABLE *t){
  const FFIELD *fs = part==FP_ROW ? f->rf : f->hf;
  int nf = part==FP_ROW ? f->nrf : f->nhf;
  DDL_COL *cols = arena_alloc(a, sizeof(DDL_COL) * (size_t)(nf + 4));
  DDL_INDEX *idx = arena_alloc(a, sizeof(DDL_INDEX) * (size_t)(nf + 2));
  int nc = 0, ni = 0;
  cols[nc++] = (DDL_COL){ "entry_id", DDL_BIGINT, 0, 0, 0 };
  if( part==FP_ROW ) cols[nc++] = (DDL_COL){ "line", DDL_INT, 0, 0, 0 };
  cols[nc++] = (DDL_COL){ "org_unit_id", DDL_INT, 0, 0, 0 };
  cols[nc++] = (DDL_COL){ "period_start", DDL_DATE, 0, 0, 0 };
  if( part==FP_ROW ) idx[ni++] = (DDL_INDEX){ "k_entry", 0, { "entry_id", "line", NULL } };
  else idx[ni++] = (DDL_INDEX){ "k_entry", 1, { "entry_id", NULL } };
  idx[ni++] = (DDL_INDEX){ "k_unit_period", 0, { "org_unit_id", "period_start", NULL } };
  for(int i=0; i<nf; i++){
    cols[nc++] = col_of(&fs[i]);
    if( fs[i].type==FT_LOOKUP ){
      DDL_INDEX *x = &idx[ni++];
      memset(x, 0, sizeof *x);
      x->name = arena_printf(a, "ix_%s", fs[i].code);
      x->cols[0] = fs[i].code;
    }
  }
  t->name = form_table(a, f, part);
  t->cols = cols;
  t->ncols = nc;
  t->idx = idx;
  t->nidx = ni;
}

void form_tables(ARENA *a, const FORM *f, DDL_TABLE *header, DDL_TABLE *rows){
  one_table(a, f, FP_HEADER, header);
  one_table(a, f, FP_ROW, rows);
}

/* ------------------------------------------------------------------ */
/* apply                                                               */

static FTYPE type_of(const char *name){ return fdef_type(name); }

static void err_add(FDEF_ERRS *e, const char *file, int line, const char *field, const char *key, const char *arg){
  e->total++;
  if( e->n<FDEF_MAXERR ) e->e[e->n++] = (FDEF_ERR){ file, line, field, key, arg };
}

static NEOERR *apply_one(CTX *c, const FORM *f, const QFIELD *old, int nold, int old_version,
                         FORM_APPLIED *out){
  ARENA *a = c->arena;
  QFORM q;
  long long id;
  memset(&q, 0, sizeof q);
  q.code = f->code; q.name = f->name; q.name_en = f->name_en; q.version = f->version;
  q.period = fdef_period_name(f->period); q.active = f->active; q.hash = f->hash;
  q.file = strrchr(f->file, '/') ? strrchr(f->file, '/') + 1 : f->file;   /* the file's name, not where it was */
  q.opens = f->opens; q.cutoff = f->cutoff; q.closes = f->closes;
  STRING s;
  string_init(&s);
  for(int i=0; i<f->nunits; i++) string_appendf(&s, "%s%s", i ? "," : "", f->units[i]);
  q.units = arena_strdup(a, s.buf ? s.buf : "");
  string_clear(&s);
  string_init(&s);
  for(int i=0; i<f->nkinds; i++) string_appendf(&s, "%s%s", i ? "," : "", f->unit_kinds[i]);
  q.unit_kinds = arena_strdup(a, s.buf ? s.buf : "");
  string_clear(&s);
  NEOERR *err = q_form_put(c->db, &q, f->source, &id);
  if( err ) return nerr_pass(err);
  for(int i=0; i<f->nhf + f->nrf; i++){
    const FFIELD *x = i<f->nhf ? &f->hf[i] : &f->rf[i - f->nhf];
    QFIELD qf = { x->code, x->part==FP_ROW ? "row" : "header", fdef_type_name(x->type), x->label,
                  x->prec, x->scale, 1, i, 0, 0 };
    if( (err = q_form_field_put(c->db, id, &qf, f->version)) ) return nerr_pass(err);
  }
  for(int j=0; j<nold; j++){
    if( !old[j].active || fdef_field(f, old[j].code) ) continue;
    if( (err = q_form_field_retire(c->db, id, old[j].code, f->version)) ) return nerr_pass(err);
  }
  if( (err = q_form_version_add(c->db, id, f->version, f->hash, f->source, out->added, out->removed)) )
    return nerr_pass(err);
  JSON j;
  json_open(&j);
  json_str(&j, "file", q.file);
  json_int(&j, "version", f->version);
  if( old_version ) json_int(&j, "from", old_version);
  json_str(&j, "hash", f->hash);
  json_str(&j, "added", out->added);
  json_str(&j, "removed", out->removed);
  json_end(&j);
  return nerr_pass(ctx_audit(c, old_version ? "form.change" : "form.create",
                             arena_printf(a, "form:%s", f->code), "ok", json_done(&j, a)));
}

NEOERR *form_apply(CTX *c, HDF *conf, FORM **forms, int n, int dry, FORM_APPLIED *out,
                   FDEF_ERRS *errs, int *ok){
  ARENA *a = c->arena;
  NEOERR *err;
  QFIELD **olds = arena_alloc(a, sizeof(QFIELD*) * (size_t)(n + 1));
  int *nolds = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
  *ok = 0;
  /* 1. check every definition against what was applied before */
  for(int i=0; i<n; i++){
    const FORM *f = forms[i];
    QFORM q;
    int found;
    memset(&out[i], 0, sizeof out[i]);
    out[i].code = f->code;
    out[i].file = f->file;
    out[i].version = f->version;
    out[i].added = out[i].removed = "";
    for(int k=0; k<i; k++)
      if( strcmp(forms[k]->code, f->code)==0 ) err_add(errs, f->file, 1, "", "dup_form", f->code);
    if( (err = q_form_get(c->db, f->code, 0, &q, NULL, &found)) ) return nerr_pass(err);
    /* the approval chain's roles and units exist (flow.c) */
    if( (err = flow_chain_check(c, f, errs)) ) return nerr_pass(err);
    if( !found ){ out[i].state = FA_NEW; olds[i] = NULL; nolds[i] = 0; }
    else{
      out[i].old_version = q.version;
      if( (err = q_form_fields(c->db, q.id, &olds[i], &nolds[i])) ) return nerr_pass(err);
      if( strcmp(q.hash, f->hash)==0 ){ out[i].state = FA_SAME; continue; }
      out[i].state = FA_CHANGED;
      if( f->version==q.version ) err_add(errs, f->file, 1, "", "version_same", arena_printf(a, "%d", q.version));
      else if( f->version<q.version ) err_add(errs, f->file, 1, "", "version_older", arena_printf(a, "%d", q.version));
      FDEF_OLD *fo = arena_alloc(a, sizeof(FDEF_OLD) * (size_t)(nolds[i] + 1));
      for(int k=0; k<nolds[i]; k++){
        fo[k].code = olds[i][k].code;
        fo[k].part = strcmp(olds[i][k].part, "row")==0 ? FP_ROW : FP_HEADER;
        fo[k].type = type_of(olds[i][k].type);
        fo[k].prec = olds[i][k].prec;
        fo[k].scale = olds[i][k].scale;
      }
      fdef_compat(f, fo, nolds[i], errs);
    }
    /* what changes: fields added (new, or back from removal) and removed */
    STRING add, rem;
    string_init(&add);
    string_init(&rem);
    for(int k=0; k<f->nhf + f->nrf; k++){
      const FFIELD *x = k<f->nhf ? &f->hf[k] : &f->rf[k - f->nhf];
      int was = 0;
      for(int j=0; j<nolds[i]; j++) if( strcmp(olds[i][j].code, x->code)==0 && olds[i][j].active ) was = 1;
      if( !was && out[i].state==FA_CHANGED ) string_appendf(&add, "%s%s", add.len ? "," : "", x->code);
    }
    for(int j=0; j<nolds[i]; j++)
      if( olds[i][j].active && !fdef_field(f, olds[i][j].code) )
        string_appendf(&rem, "%s%s", rem.len ? "," : "", olds[i][j].code);
    out[i].added = arena_strdup(a, add.buf ? add.buf : "");
    out[i].removed = arena_strdup(a, rem.buf ? rem.buf : "");
    string_clear(&add);
    string_clear(&rem);
  }
  if( errs->total || dry ){ *ok = errs->total==0; return STATUS_OK; }

  /* 2. the tables (DDL outside any transaction), then the registry */
  int changed = 0;
  for(int i=0; i<n; i++){
    const FORM *f = forms[i];
    if( out[i].state==FA_SAME ) continue;
    DDL_TABLE th, tr;
    DDL_RESULT res;
    form_tables(a, f, &th, &tr);
    if( (err = ddl_sync(c->db, a, &th, &res)) ) return nerr_pass(err);
    if( (err = ddl_sync(c->db, a, &tr, &res)) ) return nerr_pass(err);
    if( (err = DB_TX(c->db, NULL, apply_one(c, f, olds[i], nolds[i], out[i].old_version, &out[i]))) )
      return nerr_pass(err);
    log_info("form %s: version %d applied (%s%s%s)", f->code, f->version,
             out[i].state==FA_NEW ? "new" : "changed", *out[i].added ? "; added " : "", out[i].added);
    changed++;
  }
  /* 3. the application account's DML on new tables */
  if( changed ){
    SCHEMA_RESULT sr;
    memset(&sr, 0, sizeof sr);
    if( (err = schema_grants(c->db, conf, a, &sr)) ) return nerr_pass(err);
  }
  *ok = 1;
  return STATUS_OK;
}

static int by_name(const void *x, const void *y){
  return strcmp(*(const char *const *)x, *(const char *const *)y);
}

NEOERR *form_read_dir(ARENA *a, const char *dir, FORM ***forms, int *n, FDEF_ERRS *errs){
  DIR *d = opendir(dir);
  if( d==NULL ) return nerr_raise_errno(NERR_IO, "cannot open %s", dir);
  const char *names[256];
  int nn = 0;
  struct dirent *e;
  while( (e = readdir(d))!=NULL && nn<256 ){
    size_t l = strlen(e->d_name);
    if( l>4 && strcmp(e->d_name + l - 4, ".hdf")==0 && e->d_name[0]!='.' ) names[nn++] = arena_strdup(a, e->d_name);
  }
  closedir(d);
  qsort(names, (size_t)nn, sizeof names[0], by_name);
  *forms = arena_alloc(a, sizeof(FORM*) * (size_t)(nn + 1));
  *n = 0;
  memset(errs, 0, sizeof *errs);
  for(int i=0; i<nn; i++){
    const char *path = arena_printf(a, "%s/%s", dir, names[i]);
    FILE *fp = fopen(path, "rb");
    if( fp==NULL ) return nerr_raise_errno(NERR_IO, "cannot open %s", path);
    STRING s;
    string_init(&s);
    char buf[8192];
    size_t k;
    while( (k = fread(buf, 1, sizeof buf, fp))>0 ) string_appendn(&s, buf, (int)k);
    fclose(fp);
    FORM *f;
    FDEF_ERRS one;
    int bad = fdef_parse(a, path, s.buf ? s.buf : "", &f, &one);
    string_clear(&s);
    for(int j=0; j<one.n; j++) err_add(errs, one.e[j].file, one.e[j].line, one.e[j].field, one.e[j].key, one.e[j].arg);
    errs->total += one.total - one.n;
    if( !bad ){
      const char *want = arena_printf(a, "%s.hdf", f->code);
      if( strcmp(names[i], want)!=0 ){ err_add(errs, path, 1, "", "file_name", want); continue; }
      (*forms)[(*n)++] = f;
    }
  }
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* windows                                                             */

void form_window(const FORM *f, const DAYCAL *cal, const PERIOD *p, FWIN *w){
  day_period_bounds(cal, p, &w->start, &w->end);
  long start_secs = p->kind==DAY_P_SHIFT && p->shift>=1 && p->shift<=cal->nshift ? cal->shift[p->shift-1] * 60L : 0;
  w->opens = day_utc(cal, p->first, start_secs + f->opens * 60L);
  w->cutoff = day_deadline(cal, p, f->cutoff);
  w->closes = f->closes ? day_deadline(cal, p, f->closes) : 0;
}

FWSTATE form_state_of(const FORM *f, const FWIN *w, time_t now){
  /* history: the period ended before the form went live, and the form is
  ** live now -- a ledger or a late backlog loaded on day one is neither late
  ** nor closed */
  if( f->since && w->end<=f->since && now>=f->since ) return FW_OPEN;
  return form_state(w, now);
}

int form_history(const FORM *f, const FWIN *w, time_t now){
  return f->since && w->end<=f->since && now>=f->since;
}

FWSTATE form_state(const FWIN *w, time_t now){
  if( now<w->opens ) return FW_EARLY;
  if( w->closes && now>=w->closes ) return FW_CLOSED;
  if( now>=w->cutoff ) return FW_LATE;
  return FW_OPEN;
}

PERIOD form_period_now(const FORM *f, const DAYCAL *cal, time_t now){
  return day_period_at(cal, f->period, now);
}

int form_unit_ok(const FORM *f, const char *code, const char *kind){
  for(int i=0; i<f->nunits; i++) if( strcmp(f->units[i], code)==0 ) return 1;
  for(int i=0; i<f->nkinds; i++) if( kind && strcmp(f->unit_kinds[i], kind)==0 ) return 1;
  return 0;
}
