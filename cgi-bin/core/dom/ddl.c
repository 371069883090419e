/*
** ddl.c -- see ddl.h.
*/
#include "ddl.h"
#include "err.h"
#include "log.h"
#include <string.h>
#include <sodium.h>

static void sha256_hex(char out[65], const char *s){
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, (const unsigned char*)s, strlen(s));
  sodium_bin2hex(out, 65, h, sizeof h);
}

static NEOERR *outside_tx(DB *db){
  if( db_in_tx(db) ) return nerr_raise(NERR_ASSERT, "DDL inside a transaction (MariaDB would commit it)");
  return STATUS_OK;
}

/* does the column in the database match the definition? */
static int same_type(const DDL_COL *c, const DDL_COLINFO *i){
  const char *t = i->data_type ? i->data_type : "";
  switch( c->type ){
    case DDL_INT: return strcmp(t, "int")==0;
    case DDL_BIGINT: return strcmp(t, "bigint")==0;
    case DDL_DECIMAL: return strcmp(t, "decimal")==0 && i->prec==c->len && i->scale==c->scale;
    case DDL_VARCHAR: return strcmp(t, "varchar")==0 && i->len==c->len;
    case DDL_DATE: return strcmp(t, "date")==0;
    case DDL_TIME: return strcmp(t, "time")==0;
    case DDL_DATETIME: return strcmp(t, "datetime")==0;
    case DDL_TEXT: return strcmp(t, "text")==0;
  }
  return 0;
}

typedef struct { const char *kind, *obj, *stmt; } PLAN;

static NEOERR *record_plan(DB *db, const DDL_TABLE *t, const PLAN *p, int n){
  NEOERR *err = STATUS_OK;
  for(int i=0; i<n && !err; i++){
    char hash[65];
    long long id;
    sha256_hex(hash, p[i].stmt);
    err = q_ddl_change_plan(db, p[i].kind, t->name, p[i].obj, p[i].stmt, hash, &id);
  }
  return nerr_pass(err);
}

NEOERR *ddl_plan(DB *db, ARENA *a, const DDL_TABLE *t, int *n){
  NEOERR *err;
  int found;
  PLAN *p = arena_alloc(a, sizeof(*p) * (size_t)(1 + t->ncols + t->nidx));
  *n = 0;
  if( (err = outside_tx(db)) || (err = q_ddl_check(t)) ) return nerr_pass(err);
  if( (err = q_ddl_table_exists(db, t->name, &found)) ) return nerr_pass(err);
  if( !found ){
    p[0].kind = "create"; p[0].obj = "";
    if( (err = q_ddl_create(a, t, &p[0].stmt)) ) return nerr_pass(err);
    *n = 1;
  }else{
    for(int i=0; i<t->ncols; i++){
      DDL_COLINFO info;
      const DDL_COL *c = &t->cols[i];
      if( (err = q_ddl_column(db, t->name, c->name, &info, &found)) ) return nerr_pass(err);
      if( found ){
        if( !same_type(c, &info) || info.nullable!=(c->nullable!=0) )
          return nerr_pass_ctx(nerr_raise(ERR_CONFLICT, "ddl_mismatch"), "%s.%s is %s(%lld,%lld)%s, the definition says %s %s",
                            t->name, c->name, info.data_type ? info.data_type : "?",
                            info.len ? info.len : info.prec, info.scale, info.nullable ? " NULL" : " NOT NULL",
                            q_ddl_type(a, c), c->nullable ? "NULL" : "NOT NULL");
        continue;
      }
      p[*n].kind = "add_column"; p[*n].obj = c->name;
      if( (err = q_ddl_add_column(a, t, c, &p[*n].stmt)) ) return nerr_pass(err);
      (*n)++;
    }
    for(int i=0; i<t->nidx; i++){
      if( (err = q_ddl_index_exists(db, t->name, t->idx[i].name, &found)) ) return nerr_pass(err);
      if( found ) continue;
      p[*n].kind = "add_index"; p[*n].obj = t->idx[i].name;
      if( (err = q_ddl_add_index(a, t, &t->idx[i], &p[*n].stmt)) ) return nerr_pass(err);
      (*n)++;
    }
  }
  /* the whole plan is recorded at once, before anything runs */
  return *n ? nerr_pass(DB_TX(db, NULL, record_plan(db, t, p, *n))) : STATUS_OK;
}

static NEOERR *in_effect(DB *db, const DDL_CHANGE *c, int *yes){
  DDL_COLINFO info;
  if( strcmp(c->kind, "create")==0 ) return nerr_pass(q_ddl_table_exists(db, c->tbl, yes));
  if( strcmp(c->kind, "add_column")==0 ) return nerr_pass(q_ddl_column(db, c->tbl, c->obj, &info, yes));
  return nerr_pass(q_ddl_index_exists(db, c->tbl, c->obj, yes));
}

NEOERR *ddl_apply(DB *db, ARENA *a, int max, DDL_RESULT *res){
  DDL_CHANGE *plan = arena_alloc(a, sizeof(*plan) * 256);
  int n;
  NEOERR *err;
  memset(res, 0, sizeof *res);
  if( (err = outside_tx(db)) ) return nerr_pass(err);
  if( (err = q_ddl_changes_planned(db, plan, 256, &n)) ) return nerr_pass(err);
  for(int i=0; i<n && (max<0 || i<max); i++){
    DDL_CHANGE *c = &plan[i];
    char hash[65];
    int yes;
    sha256_hex(hash, c->stmt);
    if( strcmp(hash, c->hash)!=0 ){
      if( (err = q_ddl_change_done(db, c->id, "failed", "the statement does not match its recorded hash")) )
        return nerr_pass(err);
      continue;
    }
    if( (err = in_effect(db, c, &yes)) ) return nerr_pass(err);
    if( yes ){
      /* it ran before a crash took its journal entry with it */
      if( (err = q_ddl_change_done(db, c->id, "applied", NULL)) ) return nerr_pass(err);
      res->applied++;
      continue;
    }
    /* lint: sql-built reviewed: made by q_ddl_*, hash-checked above */
    err = db_exec_text(db, c->stmt);
    if( err && err_status(err)==503 ) return nerr_pass(err);   /* no connection: stays planned */
    if( err ){
      STRING s;
      string_init(&s);
      nerr_error_string(err, &s);
      nerr_ignore(&err);
      log_warn("DDL change %lld (%s %s %s) failed: %s", c->id, c->kind, c->tbl, c->obj, s.buf ? s.buf : "");
      err = q_ddl_change_done(db, c->id, "failed", s.buf ? s.buf : "error");
      string_clear(&s);
      if( err ) return nerr_pass(err);
      continue;
    }
    if( (err = q_ddl_change_done(db, c->id, "applied", NULL)) ) return nerr_pass(err);
    res->applied++;
  }
  if( (err = q_ddl_changes_failed(db, res->fail, DDL_MAXFAIL, &res->nfailed)) ) return nerr_pass(err);
  res->failed = res->nfailed;
  return STATUS_OK;
}

NEOERR *ddl_resume(DB *db, ARENA *a, DDL_RESULT *res){
  return nerr_pass(ddl_apply(db, a, -1, res));
}

NEOERR *ddl_sync(DB *db, ARENA *a, const DDL_TABLE *t, DDL_RESULT *res){
  int n;
  NEOERR *err = ddl_resume(db, a, res);        /* an earlier run's leftovers first */
  if( err ) return nerr_pass(err);
  int earlier = res->applied;
  if( (err = ddl_plan(db, a, t, &n)) ) return nerr_pass(err);
  if( (err = ddl_apply(db, a, -1, res)) ) return nerr_pass(err);
  res->planned = n;
  res->applied += earlier;
  for(int i=0; i<res->nfailed; i++)
    if( strcmp(res->fail[i].tbl, t->name)==0 )
      return nerr_raise(NERR_DB, "ddl_failed: change %lld (%s %s %s): %s", res->fail[i].id, res->fail[i].kind,
                        res->fail[i].tbl, res->fail[i].obj, res->fail[i].error ? res->fail[i].error : "");
  return STATUS_OK;
}
