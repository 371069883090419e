/*
** import.c -- see import.h.
**
** Each kind has a column table (key, label, header aliases) and one
** function that checks every row and, when applying, writes the changes.
** Checking always runs in full before anything is written, so a dry run
** and an apply of the same file report the same errors.
*/
#include "import.h"
#include "acct.h"
#include "csv.h"
#include "err.h"
#include "hmap.h"
#include "json.h"
#include "conf.h"
#include "q_base.h"
#include "q_org.h"
#include "q_user.h"
#include "str.h"
#include "val.h"
#include "xlsx.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct { const char *key, *label, *aliases; int required; } COL;

static const COL UNIT_COLS[] = {
  { "code", "单位编码", "单位编码|编码|单位代码|code|unitcode", 1 },
  { "name", "单位名称", "单位名称|名称|name|unitname", 1 },
  { "parent", "上级单位编码", "上级单位编码|上级编码|上级单位代码|parent|parentcode", 0 },
  { "kind", "类型", "类型|单位类型|kind|type", 0 },
  { "sort", "排序", "排序|排序号|顺序|sort|order", 0 },
  { "old_code", "原编码", "原编码|旧编码|原单位编码|oldcode", 0 },
  { "active", "状态", "状态|active|status", 0 },
  { 0, 0, 0, 0 }
};

static const COL USER_COLS[] = {
  { "login", "账户", "账户|账号|登录名|用户名|login|account|username", 1 },
  { "name", "姓名", "姓名|name|fullname", 1 },
  { "unit", "单位编码", "单位编码|所属单位编码|部门编码|unit|unitcode", 1 },
  { "roles", "角色", "角色|roles|role", 0 },
  { "scope", "数据范围", "数据范围|范围|scope", 0 },
  { "phone", "电话", "电话|手机|手机号|联系电话|phone|mobile", 0 },
  { "old_login", "原账户", "原账户|旧账户|原账号|oldlogin", 0 },
  { 0, 0, 0, 0 }
};

#define MAXCOLS 24

typedef struct {
  DB *db;
  ARENA *a;
  HDF *conf;
  const USER *actor;
  CTX *ctx;                        /* who acts, from where (audit) */
  IMP_RESULT *res;
  TABLE t;
  int hdr;                         /* index of the header row in t.rows */
  COL cols[MAXCOLS];
  int ncols;
  int at[MAXCOLS];                 /* column index in the file, -1 if absent */
  int apply;
  long long batch_id;
} RUN;

/* ------------------------------------------------------------------ */
/* text helpers                                                        */

/* a header cell for matching: no white space, '*', '_' or '-', ASCII lower
** case, full-width brackets as ASCII */
static char *norm(ARENA *a, const char *s){
  char *o = arena_alloc(a, strlen(s) + 1), *p = o;
  if( (unsigned char)s[0]==0xEF && (unsigned char)s[1]==0xBB && (unsigned char)s[2]==0xBF ) s += 3;
  while( *s ){
    unsigned char c = (unsigned char)*s;
    if( c==' ' || c=='\t' || c=='*' || c=='_' || c=='-' || c=='\r' || c=='\n' ){ s++; continue; }
    if( c==0xE3 && (unsigned char)s[1]==0x80 && (unsigned char)s[2]==0x80 ){ s += 3; continue; }
    if( c==0xEF && (unsigned char)s[1]==0xBC && (unsigned char)s[2]==0x88 ){ *p++ = '('; s += 3; continue; }
    if( c==0xEF && (unsigned char)s[1]==0xBC && (unsigned char)s[2]==0x89 ){ *p++ = ')'; s += 3; continue; }
    *p++ = (c>='A' && c<='Z') ? (char)(c + 32) : (char)c;
    s++;
  }
  *p = 0;
  return o;
}

/* the part of a normalised header before a trailing "(...)" note */
static char *strip_note(ARENA *a, const char *n){
  const char *open = strrchr(n, '(');
  if( open==NULL || open==n || n[strlen(n)-1]!=')' ) return NULL;
  return arena_strndup(a, n, (size_t)(open - n));
}

static int alias_match(ARENA *a, const COL *c, const char *n){
  char buf[512];
  snprintf(buf, sizeof buf, "%s", c->aliases);
  for(char *save = NULL, *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save))
    if( strcmp(norm(a, t), n)==0 ) return 1;
  return 0;
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

/* ------------------------------------------------------------------ */
/* reading the file                                                    */

static void err_add(RUN *c, int rowno, const char *key, const char *value, const char *msgkey){
  IMP_RESULT *r = c->res;
  r->n_errors++;
  if( r->nerrors>=IMPORT_MAX_ERRORS ) return;
  const char *label = key;
  for(int i=0; i<c->ncols; i++) if( strcmp(c->cols[i].key, key)==0 ) label = c->cols[i].label;
  IMP_ERR *e = &r->errors[r->nerrors++];
  e->rowno = rowno;
  e->column = label;
  e->value = value ? utf8_cut(c->a, value, 60) : "";
  e->key = msgkey;
}

static const char *cell(RUN *c, const TROW *row, const char *key){
  for(int i=0; i<c->ncols; i++){
    if( strcmp(c->cols[i].key, key)!=0 ) continue;
    int k = c->at[i];
    if( k<0 || k>=row->ncol ) return "";
    return str_trim(c->a, row->cols[k]);
  }
  return "";
}

/* decode and parse; find the header row among the first five non-blank
** rows (a title row above the header is common in users' sheets) */
static NEOERR *read_table(RUN *c, const char *data, size_t len){
  IMP_RESULT *r = c->res;
  NEOERR *err;
  unsigned char h[32];
  char hex[65];
  crypto_hash_sha256(h, (const unsigned char*)data, len);
  hex_encode(hex, h, 32);
  r->sha256 = arena_strdup(c->a, hex);
  if( xlsx_sniff(data, len) ){
    r->encoding = "XLSX";
    err = xlsx_read(c->a, data, len, &c->t, IMPORT_MAX_ROWS);
  }else{
    char *text;
    size_t tlen;
    err = csv_decode(c->a, data, len, &text, &tlen, &r->encoding);
    if( err==STATUS_OK ) err = csv_parse(c->a, text, tlen, &c->t, IMPORT_MAX_ROWS);
  }
  if( err ){
    const char *k = err_key(err);
    if( err_status(err)!=400 || k==NULL ) return nerr_pass(err);
    r->file_key = arena_strdup(c->a, k);    /* k lives in err, which goes now */
    nerr_ignore(&err);
    return STATUS_OK;
  }
  int seen = 0, first = -1;
  for(int i=0; i<c->t.nrow && seen<5; i++){
    if( csv_row_blank(&c->t.rows[i]) ) continue;
    seen++;
    if( first<0 ) first = i;
    int ok = 1;
    for(int j=0; j<c->ncols; j++){
      c->at[j] = -1;
      for(int k=0; k<c->t.rows[i].ncol && c->at[j]<0; k++){
        char *n = norm(c->a, c->t.rows[i].cols[k]);
        char *bare = strip_note(c->a, n);
        if( alias_match(c->a, &c->cols[j], n) || (bare && alias_match(c->a, &c->cols[j], bare)) )
          c->at[j] = k;
      }
      if( c->cols[j].required && c->at[j]<0 ) ok = 0;
    }
    if( ok ){ c->hdr = i; return STATUS_OK; }
  }
  if( first<0 ){ r->file_key = "empty_file"; return STATUS_OK; }
  /* report the required columns missing from the first non-blank row */
  STRING miss;
  string_init(&miss);
  for(int j=0; j<c->ncols; j++){
    if( !c->cols[j].required ) continue;
    int found = 0;
    for(int k=0; k<c->t.rows[first].ncol && !found; k++){
      char *n = norm(c->a, c->t.rows[first].cols[k]);
      char *bare = strip_note(c->a, n);
      found = alias_match(c->a, &c->cols[j], n) || (bare && alias_match(c->a, &c->cols[j], bare));
    }
    if( !found ){ if( miss.len ) string_append(&miss, "、"); string_append(&miss, c->cols[j].label); }
  }
  r->file_key = "bad_header";
  r->file_detail = arena_strdup(c->a, miss.buf ? miss.buf : "");
  string_clear(&miss);
  return STATUS_OK;
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
  while( db_step(st) ) hmap_put(*out, db_text(st, 0), (void*)1);
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* units                                                               */

typedef struct urow {
  int rowno;
  const char *code, *name, *parent, *kind, *old;
  int sort, has_sort;
  UNITROW *ex;                     /* the existing unit this row updates */
  int depth, bad, same, skip;      /* skip: an inactive unit listed as such */
  long long id;                    /* after apply */
} UROW;

static const char *unit_kind(const char *s){
  if( !*s ) return "";
  if( strcmp(s, "公司")==0 || strcasecmp(s, "company")==0 ) return "company";
  if( strcmp(s, "部门")==0 || strcmp(s, "中心")==0 || strcasecmp(s, "dept")==0 ) return "dept";
  if( strcmp(s, "班组")==0 || strcmp(s, "车队")==0 || strcasecmp(s, "team")==0 ) return "team";
  return NULL;
}

/* the parent code of a unit after the import: the file's row decides
** (blank parent: an existing unit stays where it is, a new one is top
** level), else the database; "" for the top */
static const char *final_parent(HMAP *infile, HMAP *bycode, HMAP *byid, ARENA *a, const char *code){
  UROW *f = hmap_get(infile, code);
  if( f && *f->parent ) return f->parent;
  if( f && !f->ex ) return "";
  UNITROW *d = f ? f->ex : hmap_get(bycode, code);
  if( d==NULL || d->parent_id==0 ) return "";
  UNITROW *p = hmap_get(byid, arena_printf(a, "%lld", d->parent_id));
  return p ? p->code : "";
}

static NEOERR *do_units(RUN *c){
  IMP_RESULT *r = c->res;
  ARENA *a = c->a;
  UNITROW *units;
  int nunits;
  NEOERR *err = q_units_all(c->db, &units, &nunits);
  if( err ) return nerr_pass(err);
  HMAP *bycode = hmap_new(a, nunits), *byid = hmap_new(a, nunits);
  for(int i=0; i<nunits; i++){
    hmap_put(bycode, units[i].code, &units[i]);
    hmap_put(byid, arena_printf(a, "%lld", units[i].id), &units[i]);
  }
  UROW *rows = arena_alloc(a, sizeof(UROW) * (size_t)(c->t.nrow + 1));
  int n = 0;
  HMAP *infile = hmap_new(a, c->t.nrow), *retired;
  if( (err = retired_codes(c, "unit", &retired)) ) return nerr_pass(err);

  for(int i=c->hdr + 1; i<c->t.nrow; i++){
    TROW *tr = &c->t.rows[i];
    if( csv_row_blank(tr) ) continue;
    UROW *u = &rows[n++];
    u->rowno = tr->rowno;
    u->code = cell(c, tr, "code");
    u->name = cell(c, tr, "name");
    u->parent = cell(c, tr, "parent");
    u->kind = unit_kind(cell(c, tr, "kind"));
    u->old = cell(c, tr, "old_code");
    const char *sort = cell(c, tr, "sort");
    if( !str_code_ok(u->code, 32) ){ err_add(c, u->rowno, "code", u->code, *u->code ? "bad_code" : "required"); u->bad = 1; }
    if( !*u->name ){ err_add(c, u->rowno, "name", u->name, "required"); u->bad = 1; }
    else if( utf8_len(u->name)>100 ){ err_add(c, u->rowno, "name", u->name, "too_long"); u->bad = 1; }
    if( u->kind==NULL ){ err_add(c, u->rowno, "kind", cell(c, tr, "kind"), "bad_unit_kind"); u->bad = 1; }
    if( *sort ){
      static const VALPARAM intp = { .has_range = 1, .min = -2147483647 - 1, .max = 2147483647 };
      const char *sv, *why;
      if( !val_check(VAL_INT, &intp, sort, a, &sv, &why) ){ err_add(c, u->rowno, "sort", sort, why); u->bad = 1; }
      else{ u->sort = atoi(sv); u->has_sort = 1; }
    }
    if( *u->parent && strcmp(u->parent, u->code)==0 ){ err_add(c, u->rowno, "parent", u->parent, "cycle"); u->bad = 1; }
    if( *u->code ){
      UROW *dup = hmap_get(infile, u->code);
      if( dup ){
        err_add(c, u->rowno, "code", arena_printf(a, "%s（第 %d 行）", u->code, dup->rowno), "dup_in_file");
        u->bad = 1;
      }else hmap_put(infile, u->code, u);
    }
    /* the existing unit: by code, or by the old code (a rename) */
    UNITROW *ex = hmap_get(bycode, u->code);
    if( *u->old ){
      UNITROW *exo = hmap_get(bycode, u->old);
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
    if( !ex && hmap_get(retired, u->code) ){ err_add(c, u->rowno, "code", u->code, "code_retired"); u->bad = 1; }
    if( ex && !ex->active && says_inactive ) u->skip = 1;
    else if( ex && !ex->active ){ err_add(c, u->rowno, "code", u->code, "code_inactive"); u->bad = 1; }
    else if( says_inactive ){ err_add(c, u->rowno, "active", st, "no_deactivate"); u->bad = 1; }
    u->ex = ex;
  }
  r->rows = n;

  /* parents, cycles and scope, in the state after the import */
  for(int i=0; i<n; i++){
    UROW *u = &rows[i];
    if( u->bad || u->skip || !*u->parent ) continue;
    UROW *pf = hmap_get(infile, u->parent);
    UNITROW *pd = hmap_get(bycode, u->parent);
    if( !pf && !pd ){ err_add(c, u->rowno, "parent", u->parent, "unknown_parent"); u->bad = 1; continue; }
    if( !pf && pd && !pd->active ){ err_add(c, u->rowno, "parent", u->parent, "parent_inactive"); u->bad = 1; }
  }
  for(int i=0; i<n; i++){
    UROW *u = &rows[i];
    if( u->bad || u->skip ) continue;
    /* walk up the tree as it will be after the import */
    const char *cur = u->code, *top_path = NULL;
    int depth = 0, cyc = 0;
    for(;;){
      const char *p = final_parent(infile, bycode, byid, a, cur);
      if( !*p ) break;
      if( strcmp(p, u->code)==0 || depth>nunits + n ){ cyc = 1; break; }
      UNITROW *d = hmap_get(bycode, p);
      if( d && top_path==NULL ) top_path = d->path;
      cur = p;
      depth++;
    }
    if( cyc ){ err_add(c, u->rowno, "parent", u->parent, "cycle"); u->bad = 1; continue; }
    u->depth = depth;
    /* the actor must administer the unit where it is and, if it moves,
    ** where it goes */
    int moves = 0;
    if( u->ex && *u->parent ){
      UNITROW *now_parent = u->ex->parent_id ? hmap_get(byid, arena_printf(a, "%lld", u->ex->parent_id)) : NULL;
      moves = now_parent==NULL || strcmp(now_parent->code, u->parent)!=0;
    }
    if( (u->ex && !may(c, u->ex->path)) || (!u->ex && !may(c, top_path)) ||
        (moves && !may(c, top_path)) ){
      err_add(c, u->rowno, "code", u->code, "no_scope");
      u->bad = 1;
    }
  }
  /* count what would change */
  for(int i=0; i<n; i++){
    UROW *u = &rows[i];
    if( u->bad ) continue;
    if( u->skip ){ u->same = 1; r->n_same++; continue; }
    if( !u->ex ){ r->n_new++; continue; }
    UNITROW *p = u->ex->parent_id ? hmap_get(byid, arena_printf(a, "%lld", u->ex->parent_id)) : NULL;
    int same = strcmp(u->ex->code, u->code)==0 && strcmp(u->ex->name, u->name)==0
      && (!*u->parent || (p && strcmp(p->code, u->parent)==0))
      && (!*u->kind || strcmp(u->kind, u->ex->kind)==0)
      && (!u->has_sort || u->sort==u->ex->sort);
    u->same = same;
    if( same ) r->n_same++; else r->n_updated++;
  }
  if( !c->apply || r->n_errors ) return STATUS_OK;

  /* apply, shallowest first so that a parent exists before its children */
  for(int d=0, done=0; done<n && d<=n + nunits + 1; d++){
    for(int i=0; i<n; i++){
      UROW *u = &rows[i];
      if( u->depth!=d ) continue;
      done++;
      if( u->same ){ u->id = u->ex->id; continue; }     /* unchanged: no write, no new version */
      long long parent_id = 0;
      if( *u->parent ){
        UROW *pf = hmap_get(infile, u->parent);
        UNITROW *pd = hmap_get(bycode, u->parent);
        parent_id = pf && pf->id ? pf->id : pd ? pd->id : 0;
      }
      if( !u->ex ){
        err = q_unit_insert(c->db, parent_id, u->code, u->name, *u->kind ? u->kind : "dept",
                            u->sort, &u->id);
        if( err ) return nerr_pass(err);
      }else{
        int ok;
        u->id = u->ex->id;
        if( !*u->parent ) parent_id = u->ex->parent_id;
        err = q_unit_update(c->db, u->ex->id, u->ex->version, u->code, u->name, parent_id,
                            *u->kind ? u->kind : u->ex->kind, u->has_sort ? u->sort : u->ex->sort, &ok);
        if( err ) return nerr_pass(err);
        if( !ok ) return nerr_raise(ERR_CONFLICT, "busy");
        if( *u->old && strcmp(u->old, u->code)!=0 &&
            (err = q_code_map(c->db, "unit", u->old, u->code)) ) return nerr_pass(err);
      }
    }
  }
  if( (err = q_unit_paths_rebuild(c->db)) ) return nerr_pass(err);
  return nerr_pass(audit(c, "import.units"));
}

/* ------------------------------------------------------------------ */
/* accounts                                                            */

typedef struct {
  int rowno, bad;
  const char *login, *name, *unit, *phone, *old, *scope_s;
  UNITROW *u;
  USERROW *ex;
  long long roles[8];
  const char *scopes[8];
  int nroles, roles_given, same, auditor;
} AROW;

static const char *parse_scope(const char *s){
  if( !*s ) return "";
  if( strcmp(s, "本单位")==0 || strcasecmp(s, "unit")==0 ) return "unit";
  if( strcmp(s, "本单位及下级")==0 || strcmp(s, "本单位及下属")==0 || strcasecmp(s, "subtree")==0 ) return "subtree";
  if( strcmp(s, "全部")==0 || strcmp(s, "全公司")==0 || strcasecmp(s, "all")==0 ) return "all";
  return NULL;
}

static NEOERR *do_users(RUN *c){
  IMP_RESULT *r = c->res;
  ARENA *a = c->a;
  UNITROW *units; USERROW *users; ROLEROW *roles;
  int nunits, nusers, nroles;
  NEOERR *err;
  if( (err = q_units_all(c->db, &units, &nunits)) ) return nerr_pass(err);
  if( (err = q_users_all(c->db, &users, &nusers)) ) return nerr_pass(err);
  if( (err = q_roles(c->db, &roles, &nroles)) ) return nerr_pass(err);
  HMAP *ucode = hmap_new(a, nunits), *ulogin = hmap_new(a, nusers), *infile = hmap_new(a, c->t.nrow);
  HMAP *retired;
  for(int i=0; i<nunits; i++) hmap_put(ucode, units[i].code, &units[i]);
  for(int i=0; i<nusers; i++) hmap_put(ulogin, users[i].login, &users[i]);
  if( (err = retired_codes(c, "user", &retired)) ) return nerr_pass(err);
  int all_scope = may(c, NULL);
  AROW *rows = arena_alloc(a, sizeof(AROW) * (size_t)(c->t.nrow + 1));
  int n = 0;
  int days = (int)conf_int(c->conf, "Login.ActivationDays", 14);

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
    if( !str_login_ok(w->login) ){ err_add(c, w->rowno, "login", w->login, *w->login ? "bad_login" : "required"); w->bad = 1; }
    if( !*w->name ){ err_add(c, w->rowno, "name", w->name, "required"); w->bad = 1; }
    else if( utf8_len(w->name)>32 ){ err_add(c, w->rowno, "name", w->name, "too_long"); w->bad = 1; }
    if( strlen(w->phone)>32 ){ err_add(c, w->rowno, "phone", w->phone, "too_long"); w->bad = 1; }
    if( sc==NULL ){ err_add(c, w->rowno, "scope", cell(c, tr, "scope"), "bad_scope"); w->bad = 1; sc = ""; }
    w->u = hmap_get(ucode, w->unit);
    if( !*w->unit ){ err_add(c, w->rowno, "unit", w->unit, "required"); w->bad = 1; }
    else if( !w->u ){ err_add(c, w->rowno, "unit", w->unit, "unknown_unit"); w->bad = 1; }
    else if( !w->u->active ){ err_add(c, w->rowno, "unit", w->unit, "unit_inactive"); w->bad = 1; }
    else if( !may(c, w->u->path) ){ err_add(c, w->rowno, "unit", w->unit, "no_scope"); w->bad = 1; }
    /* roles: codes or names, separated by ; , 、 | or spaces */
    w->roles_given = *rs!=0;
    int is_admin = 0, is_auditor = 0;
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
        int hit = -1;
        for(int j=0; j<nroles; j++)
          if( strcasecmp(p, roles[j].code)==0 || strcmp(p, roles[j].name_zh)==0 ||
              strcasecmp(p, roles[j].name_en)==0 ) hit = j;
        if( hit<0 ){ err_add(c, w->rowno, "roles", p, "unknown_role"); w->bad = 1; }
        else if( w->nroles<8 ){
          const char *s = *sc ? sc : (strcmp(roles[hit].code, "clerk")==0 || strcmp(roles[hit].code, "head")==0)
                                    ? "unit" : strcmp(roles[hit].code, "admin")==0 ? "subtree" : "all";
          if( strcmp(s, "all")==0 && !all_scope ){ err_add(c, w->rowno, "scope", *sc ? cell(c, tr, "scope") : s, "no_scope_all"); w->bad = 1; }
          else if( w->u && may(c, w->u->path) && !auth_covers(c->actor, CAP_ADMIN, w->u->path, auth_scope_parse(s)) ){
            err_add(c, w->rowno, "scope", *sc ? cell(c, tr, "scope") : s, "no_scope"); w->bad = 1;
          }
          if( strcmp(roles[hit].code, "auditor")==0 && !all_scope ){ err_add(c, w->rowno, "roles", p, "no_scope"); w->bad = 1; }
          if( strcmp(roles[hit].code, "auditor")==0 ) w->auditor = 1;
          w->roles[w->nroles] = roles[hit].id;
          w->scopes[w->nroles++] = s;
          if( strcmp(roles[hit].code, "admin")==0 ) is_admin = 1;
          if( strcmp(roles[hit].code, "auditor")==0 ) is_auditor = 1;
        }
      }
      if( save==0 ) break;
      p = q + seplen;
    }
    if( is_admin && is_auditor ){ err_add(c, w->rowno, "roles", rs, "admin_auditor"); w->bad = 1; }
    if( *w->login ){
      AROW *dup = hmap_get(infile, w->login);
      if( dup ){ err_add(c, w->rowno, "login", arena_printf(a, "%s（第 %d 行）", w->login, dup->rowno), "dup_in_file"); w->bad = 1; }
      else hmap_put(infile, w->login, w);
    }
    USERROW *ex = hmap_get(ulogin, w->login);
    if( *w->old ){
      USERROW *exo = hmap_get(ulogin, w->old);
      if( exo && ex && exo!=ex ){ err_add(c, w->rowno, "old_login", w->old, "old_and_new_exist"); w->bad = 1; }
      else if( !exo && !ex ){ err_add(c, w->rowno, "old_login", w->old, "unknown_old_code"); w->bad = 1; }
      else if( exo ) ex = exo;
    }
    if( !ex && *w->login && hmap_get(retired, w->login) ){ err_add(c, w->rowno, "login", w->login, "code_retired"); w->bad = 1; }
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
    ** (diaodu-ctl, the server operator, is exempt: its codes stay on the server) */
    if( w->auditor && c->actor->id && (!ex || !ex->has_password || ex->activation_pending) ){
      err_add(c, w->rowno, "roles", cell(c, tr, "roles"), "auditor_after_activation"); w->bad = 1;
    }
    w->ex = ex;
    if( w->bad ) continue;
    if( !ex ) r->n_new++;
    else if( strcmp(ex->login, w->login)==0 && strcmp(ex->name, w->name)==0 && ex->unit_id==w->u->id
             && strcmp(ex->phone, w->phone)==0 && !w->roles_given ){ r->n_same++; w->same = 1; }
    else r->n_updated++;
  }
  r->rows = n;
  if( !c->apply || r->n_errors ) return STATUS_OK;

  r->codes = arena_alloc(a, sizeof(IMP_CODE) * (size_t)(r->n_new + 1));
  for(int i=0; i<n; i++){
    AROW *w = &rows[i];
    long long id;
    if( !w->ex ){
      char code[ACT_CODE_LEN + 1];
      unsigned char h[32];
      acct_code_new(code, h);
      if( (err = q_user_create(c->db, w->login, w->name, w->u->id, w->phone, h, days, &id)) ) return nerr_pass(err);
      if( (err = q_sheet_add(c->db, c->batch_id, id, code, c->actor->id, days)) ) return nerr_pass(err);
      IMP_CODE *k = &r->codes[r->ncodes++];
      k->login = w->login; k->name = w->name; k->unit_name = w->u->name; k->code = arena_strdup(a, code);
    }else{
      int ok;
      id = w->ex->id;
      if( w->same ) continue;
      if( (err = q_user_update(c->db, id, w->ex->version, w->login, w->name, w->u->id, w->phone, &ok)) ) return nerr_pass(err);
      if( !ok ) return nerr_raise(ERR_CONFLICT, "busy");
      if( *w->old && strcmp(w->old, w->login)!=0 && (err = q_code_map(c->db, "user", w->old, w->login)) ) return nerr_pass(err);
      if( w->roles_given && (err = q_grants_clear(c->db, id)) ) return nerr_pass(err);
    }
    if( !w->ex || w->roles_given ){
      for(int k=0; k<w->nroles; k++)
        if( (err = q_grant_add(c->db, id, w->roles[k], w->u->id, w->scopes[k])) ) return nerr_pass(err);
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
  for(int i=0; i<nunits; i++) hmap_put(ucode, units[i].code, &units[i]);
  for(int i=0; i<nitems; i++) hmap_put(icode, items[i].code, &items[i]);
  BASEITEM *rows = arena_alloc(a, sizeof(BASEITEM) * (size_t)(c->t.nrow + 1));
  BASEITEM **exs = arena_alloc(a, sizeof(BASEITEM*) * (size_t)(c->t.nrow + 1));
  const char **olds = arena_alloc(a, sizeof(char*) * (size_t)(c->t.nrow + 1));
  int *same_v = arena_alloc(a, sizeof(int) * (size_t)(c->t.nrow + 1));
  int n = 0;
  const char *entity = arena_printf(a, "base:%s", k->code);
  HMAP *retired;
  if( (err = retired_codes(c, entity, &retired)) ) return nerr_pass(err);

  for(int i=c->hdr + 1; i<c->t.nrow; i++){
    TROW *tr = &c->t.rows[i];
    if( csv_row_blank(tr) ) continue;
    BASEITEM *it = &rows[n];
    int rowno = tr->rowno, bad = 0;
    it->code = cell(c, tr, "code");
    it->name = cell(c, tr, "name");
    const char *unit = cell(c, tr, "unit"), *act = cell(c, tr, "active"), *old = cell(c, tr, "old_code");
    if( !str_code_ok(it->code, 64) ){ err_add(c, rowno, "code", it->code, *it->code ? "bad_code" : "required"); bad = 1; }
    if( !*it->name ){ err_add(c, rowno, "name", it->name, "required"); bad = 1; }
    else if( utf8_len(it->name)>100 ){ err_add(c, rowno, "name", it->name, "too_long"); bad = 1; }
    UNITROW *u = *unit ? hmap_get(ucode, unit) : NULL;
    if( *unit && !u ){ err_add(c, rowno, "unit", unit, "unknown_unit"); bad = 1; }
    else if( u && !u->active ){ err_add(c, rowno, "unit", unit, "unit_inactive"); bad = 1; }
    else if( !may(c, u ? u->path : NULL) ){ err_add(c, rowno, "unit", unit, "no_scope"); bad = 1; }
    it->unit_id = u ? u->id : 0;
    for(int f=0; f<k->nfields; f++){
      const BASEFIELD *fd = &k->f[f];
      const char *key = arena_printf(a, "a%d", fd->col);
      const char *v = cell(c, tr, key), *canon, *why;
      it->a[fd->col - 1] = *v ? v : NULL;
      if( !*v ){ if( fd->required ){ err_add(c, rowno, key, v, "required"); bad = 1; } continue; }
      if( utf8_len(v)>200 ){ err_add(c, rowno, key, v, "too_long"); bad = 1; }
      else if( !typed(c, fd, v, &canon, &why) ){ err_add(c, rowno, key, v, why); bad = 1; }
      else it->a[fd->col - 1] = canon;
    }
    it->active = -1;
    if( *act ){
      if( strcmp(act, "启用")==0 || strcmp(act, "是")==0 || strcmp(act, "1")==0 || strcasecmp(act, "active")==0 || strcasecmp(act, "yes")==0 ) it->active = 1;
      else if( strcmp(act, "停用")==0 || strcmp(act, "否")==0 || strcmp(act, "0")==0 || strcasecmp(act, "inactive")==0 || strcasecmp(act, "no")==0 ) it->active = 0;
      else{ err_add(c, rowno, "active", act, "bad_active"); bad = 1; }
    }
    if( *it->code ){
      BASEITEM *dup = hmap_get(infile, it->code);
      if( dup ){ err_add(c, rowno, "code", it->code, "dup_in_file"); bad = 1; }
      else hmap_put(infile, it->code, it);
    }
    BASEITEM *ex = hmap_get(icode, it->code);
    if( *old ){
      BASEITEM *exo = hmap_get(icode, old);
      if( exo && ex && exo!=ex ){ err_add(c, rowno, "old_code", old, "old_and_new_exist"); bad = 1; }
      else if( !exo && !ex ){ err_add(c, rowno, "old_code", old, "unknown_old_code"); bad = 1; }
      else if( exo ) ex = exo;
    }
    if( ex && !may(c, ex->unit_id ? ex->unit_path : NULL) ){ err_add(c, rowno, "code", it->code, "no_scope"); bad = 1; }
    if( !ex && hmap_get(retired, it->code) ){ err_add(c, rowno, "code", it->code, "code_retired"); bad = 1; }
    if( bad ) continue;
    exs[n] = ex;
    olds[n] = old;
    if( !ex ) r->n_new++;
    else{
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
      same_v[n] = same;
      if( same ) r->n_same++; else r->n_updated++;
    }
    n++;
  }
  r->rows = n + r->n_errors;   /* rows with errors are not kept in rows[] */
  if( !c->apply || r->n_errors ) return STATUS_OK;
  for(int i=0; i<n; i++){
    BASEITEM *it = &rows[i];
    long long id;
    if( !exs[i] ){
      if( it->active<0 ) it->active = 1;
      if( (err = q_item_insert(c->db, k->id, it, &id)) ) return nerr_pass(err);
    }else if( !same_v[i] ){
      int ok;
      it->id = exs[i]->id;
      it->version = exs[i]->version;
      if( it->active<0 ) it->active = exs[i]->active;
      if( (err = q_item_update(c->db, it, &ok)) ) return nerr_pass(err);
      if( !ok ) return nerr_raise(ERR_CONFLICT, "busy");
      if( *olds[i] && strcmp(olds[i], it->code)!=0 && (err = q_code_map(c->db, entity, olds[i], it->code)) )
        return nerr_pass(err);
    }
  }
  return nerr_pass(audit(c, arena_printf(a, "import.%s", entity)));
}

/* ------------------------------------------------------------------ */

static int base_cols(RUN *c, const BASEKIND *k){
  static const COL head[] = {
    { "code", "编码", "编码|编号|代码|code", 1 },
    { "name", "名称", "名称|name", 1 },
    { "unit", "所属单位编码", "所属单位编码|单位编码|所属单位|unit|unitcode", 0 },
  };
  int n = 0;
  for(size_t i=0; i<sizeof head/sizeof head[0]; i++) c->cols[n++] = head[i];
  for(int f=0; f<k->nfields && n<MAXCOLS - 2; f++){
    COL *col = &c->cols[n++];
    col->key = arena_printf(c->a, "a%d", k->f[f].col);
    col->label = k->f[f].label;
    col->aliases = arena_printf(c->a, "%s|%s", k->f[f].label, k->f[f].code);
    col->required = k->f[f].required;
  }
  c->cols[n++] = (COL){ "active", "状态", "状态|启用|active|status", 0 };
  c->cols[n++] = (COL){ "old_code", "原编码", "原编码|旧编码|oldcode", 0 };
  return n;
}

static void set_cols(RUN *c, const COL *cols){
  c->ncols = 0;
  while( cols[c->ncols].key ){ c->cols[c->ncols] = cols[c->ncols]; c->ncols++; }
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
static NEOERR *run_kind(RUN *c, const char *kind, BASEKIND *k){
  if( strcmp(kind, "units")==0 ) return nerr_pass(do_units(c));
  if( strcmp(kind, "users")==0 ) return nerr_pass(do_users(c));
  return nerr_pass(do_base(c, k));
}

/* one attempt at applying: everything or (refused, *msg set) nothing */
static NEOERR *apply_tx(RUN *c, const char *kind, BASEKIND *k, const IMP_RESULT *read,
                        const char **msg){
  NEOERR *err;
  *c->res = *read;                 /* a retried attempt starts from the file as read */
  if( strcmp(kind, "units")==0 && (err = q_tree_lock(c->db)) ) return nerr_pass(err);
  if( (err = run_kind(c, kind, k)) ) return nerr_pass(err);
  if( c->res->n_errors || c->res->file_key ){ *msg = "imp.refused"; return STATUS_OK; }
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
  RUN c;
  BASEKIND k;
  int ok;
  NEOERR *err;
  DB *db = ctx->db;
  memset(&c, 0, sizeof c);
  memset(res, 0, sizeof *res);
  c.db = db; c.a = ctx->arena; c.conf = ctx->conf; c.actor = ctx->user; c.ctx = ctx; c.res = res;
  c.apply = apply; c.batch_id = batch_id;
  res->kind = kind;
  res->errors = arena_alloc(c.a, sizeof(IMP_ERR) * IMPORT_MAX_ERRORS);
  if( (err = import_kind(db, kind, &res->kind_name, &ok)) ) return nerr_pass(err);
  if( !ok ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( strcmp(kind, "units")==0 ) set_cols(&c, UNIT_COLS);
  else if( strcmp(kind, "users")==0 ) set_cols(&c, USER_COLS);
  else{
    int found;
    if( (err = q_kind_get(db, kind + 5, &k, &found)) ) return nerr_pass(err);
    c.ncols = base_cols(&c, &k);
  }
  if( (err = read_table(&c, data, len)) ) return nerr_pass(err);
  if( res->file_key ) return STATUS_OK;
  if( !apply ) return nerr_pass(run_kind(&c, kind, &k));
  IMP_RESULT read = *res;
  const char *refused;
  return nerr_pass(DB_TX(db, &refused, apply_tx(&c, kind, &k, &read, &refused)));
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
  int ncol = base_cols(&c, &k);
  t->rows = arena_alloc(a, sizeof(TROW) * 2);
  t->nrow = 2;
  for(int i=0; i<2; i++){
    t->rows[i].rowno = i + 1;
    t->rows[i].ncol = ncol;
    t->rows[i].cols = arena_alloc(a, sizeof(char*) * (size_t)ncol);
  }
  for(int j=0; j<ncol; j++){
    t->rows[0].cols[j] = arena_strdup(a, c.cols[j].label);
    const char *ex = "";
    if( strcmp(c.cols[j].key, "code")==0 ) ex = "001";
    else if( strcmp(c.cols[j].key, "name")==0 ) ex = "示例";
    else if( strcmp(c.cols[j].key, "unit")==0 ) ex = "100010";
    else if( strcmp(c.cols[j].key, "active")==0 ) ex = "启用";
    t->rows[1].cols[j] = arena_strdup(a, ex);
  }
  return STATUS_OK;
}
