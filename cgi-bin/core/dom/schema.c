/*
** schema.c -- see schema.h.
*/
#include "schema.h"
#include "conf.h"
#include "ddl.h"
#include "err.h"
#include "log.h"
#include "q_ddl.h"
#include "q_schema.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

const char *schema_policy(const char *table){ return q_schema_policy(table); }

static int in_list(const char *list, const char *word){
  size_t n = strlen(word);
  for(const char *p = list; *p; ){
    const char *e = strchr(p, ',');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if( len==n && strncmp(p, word, n)==0 ) return 1;
    p += len + (e ? 1 : 0);
  }
  return 0;
}

static void add(ARENA *a, const char **list, const char *word){
  *list = **list ? arena_printf(a, "%s,%s", *list, word) : arena_strdup(a, word);
}

NEOERR *schema_grants(DB *db, HDF *conf, ARENA *a, SCHEMA_RESULT *res){
  const char *schema = conf_str(conf, "Db.Name", "diaodu");
  const char *user = conf_str(conf, "Db.User", "diaodu");
  const char *host = conf_str(conf, "Db.Owner.AppHost", "localhost");
  const char *pw = conf_str(conf, "Db.Password", "");
  const char **tables;
  Q_PRIV *have;
  int ntab, nhave;
  NEOERR *err;

  if( *pw==0 ) return nerr_raise(NERR_ASSERT, "Db.Password is empty: set the application account's password");
  if( (err = q_schema_account(db, a, user, host, pw, conf_int(conf, "Db.StatementTimeout", 30))) )
    return nerr_pass(err);
  if( (err = q_schema_tables(db, a, schema, &tables, &ntab)) ) return nerr_pass(err);
  if( (err = q_schema_privs(db, a, user, host, schema, &have, &nhave)) ) return nerr_pass(err);

  /* what is held beyond the policy: on the schema, globally, on tables */
  const char *extra_schema = "", *extra_global = "";
  for(int i=0; i<nhave; i++){
    if( have[i].global ) add(a, &extra_global, have[i].priv);
    else if( have[i].table==NULL ) add(a, &extra_schema, have[i].priv);
  }
  if( *extra_global ){
    log_warn("revoking %s ON *.* from %s@%s", extra_global, user, host);
    if( (err = q_schema_grant(db, a, 0, extra_global, 1, schema, NULL, user, host)) ) return nerr_pass(err);
    res->revoked++;
  }
  if( *extra_schema ){
    log_warn("revoking %s ON %s.* from %s@%s", extra_schema, schema, user, host);
    if( (err = q_schema_grant(db, a, 0, extra_schema, 0, schema, NULL, user, host)) ) return nerr_pass(err);
    res->revoked++;
  }
  /* tables that are gone but still carry privileges */
  for(int i=0; i<nhave; i++){
    if( have[i].global || have[i].table==NULL ) continue;
    int exists = 0, seen = 0;
    for(int k=0; k<ntab && !exists; k++) exists = strcmp(tables[k], have[i].table)==0;
    for(int k=0; k<i && !seen; k++)
      seen = !have[k].global && have[k].table && strcmp(have[k].table, have[i].table)==0;
    if( exists || seen ) continue;
    const char *privs = "";
    for(int k=i; k<nhave; k++)
      if( !have[k].global && have[k].table && strcmp(have[k].table, have[i].table)==0 ) add(a, &privs, have[k].priv);
    if( (err = q_schema_grant(db, a, 0, privs, 0, schema, have[i].table, user, host)) ) return nerr_pass(err);
    res->revoked++;
  }
  for(int t=0; t<ntab; t++){
    const char *want = schema_policy(tables[t]), *missing = "", *excess = "";
    for(int i=0; i<nhave; i++)
      if( !have[i].global && have[i].table && strcmp(have[i].table, tables[t])==0 && !in_list(want, have[i].priv) )
        add(a, &excess, have[i].priv);
    for(const char *p = want; *p; ){
      const char *e = strchr(p, ',');
      const char *priv = e ? arena_strndup(a, p, (size_t)(e - p)) : p;
      int held = 0;
      for(int i=0; i<nhave && !held; i++)
        held = !have[i].global && have[i].table && strcmp(have[i].table, tables[t])==0 && strcmp(have[i].priv, priv)==0;
      if( !held ) add(a, &missing, priv);
      p = e ? e + 1 : p + strlen(p);
    }
    if( *excess ){
      log_warn("revoking %s ON %s.%s from %s@%s (beyond the policy)", excess, schema, tables[t], user, host);
      if( (err = q_schema_grant(db, a, 0, excess, 0, schema, tables[t], user, host)) ) return nerr_pass(err);
      res->revoked++;
    }
    if( *missing ){
      if( (err = q_schema_grant(db, a, 1, missing, 0, schema, tables[t], user, host)) ) return nerr_pass(err);
      res->granted++;
    }
  }
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */

static int is_migration(const char *n){
  size_t len = strlen(n);
  if( len<9 || strcmp(n + len - 4, ".sql")!=0 ) return 0;
  if( !(n[0]>='0' && n[0]<='9' && n[1]>='0' && n[1]<='9' && n[2]>='0' && n[2]<='9' && n[3]=='_') ) return 0;
  for(size_t i=4; i<len - 4; i++)
    if( !((n[i]>='a' && n[i]<='z') || (n[i]>='0' && n[i]<='9') || n[i]=='_') ) return 0;
  return 1;
}

static int cmp_names(const void *x, const void *y){
  return strcmp(*(const char* const*)x, *(const char* const*)y);
}

static NEOERR *read_file(ARENA *a, const char *path, const char **out){
  FILE *f = fopen(path, "rb");
  if( f==NULL ) return nerr_raise_errno(NERR_IO, "cannot open %s", path);
  STRING s;
  string_init(&s);
  char buf[8192];
  size_t n;
  while( (n = fread(buf, 1, sizeof buf, f))>0 ) string_appendn(&s, buf, (int)n);
  int bad = ferror(f);
  fclose(f);
  if( bad ){ string_clear(&s); return nerr_raise_errno(NERR_IO, "cannot read %s", path); }
  *out = arena_strdup(a, s.buf ? s.buf : "");
  string_clear(&s);
  return STATUS_OK;
}

static void sha256_hex(char out[65], const char *s){
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, (const unsigned char*)s, strlen(s));
  sodium_bin2hex(out, 65, h, sizeof h);
}

static NEOERR *apply_one(DB *db, ARENA *a, const char *dir, const char *file, int *applied){
  int version = atoi(file), found;
  char name[128];
  snprintf(name, sizeof name, "%.*s", (int)(strlen(file) - 4), file);
  NEOERR *err = q_schema_applied(db, version, &found);
  if( err || found ) return nerr_pass(err);
  const char *text = NULL;
  if( (err = read_file(a, arena_printf(a, "%s/%s", dir, file), &text)) ) return nerr_pass(err);
  log_info("migrating: %s", name);
  DB_SCRIPT sc;
  db_script_init(&sc, text);
  const char *stmt;
  int line, k = 0;
  while( (stmt = db_script_next(&sc, a, &line)) ){
    char hash[65];
    const char *done;
    k++;
    sha256_hex(hash, stmt);
    if( (err = q_schema_step_get(db, a, version, k, &done, &found)) ) return nerr_pass(err);
    if( found ){
      if( strcmp(done, hash)!=0 )
        return nerr_raise(NERR_ASSERT, "migration %s: statement %d (line %d) was edited after it had been applied;"
                          " restore it, or undo its effect and delete its row in schema_step", name, k, line);
      continue;                    /* done by an earlier run that stopped half-way */
    }
    /* lint: sql-built reviewed: a statement of schema/NNN_*.sql */
    if( (err = db_exec_text(db, stmt)) )
      return nerr_pass_ctx(err, "migration %s failed at statement %d (line %d); the statements before it"
                           " are applied and recorded: fix it and run migrate again", name, k, line);
    if( (err = q_schema_step_put(db, version, k, hash)) ) return nerr_pass(err);
  }
  if( (err = DB_TX(db, NULL, q_schema_done(db, version, name))) ) return nerr_pass(err);
  (*applied)++;
  return STATUS_OK;
}

static NEOERR *migrate_all(DB *db, ARENA *a, HDF *conf, const char *dir, SCHEMA_RESULT *res){
  DIR *d = opendir(dir);
  if( d==NULL ) return nerr_raise_errno(NERR_IO, "cannot open the migrations' folder %s", dir);
  const char *files[1000];
  int n = 0;
  struct dirent *e;
  while( (e = readdir(d)) && n<1000 )
    if( is_migration(e->d_name) ) files[n++] = arena_strdup(a, e->d_name);
  closedir(d);
  qsort(files, (size_t)n, sizeof files[0], cmp_names);
  for(int i=1; i<n; i++)
    if( strncmp(files[i-1], files[i], 3)==0 )
      return nerr_raise(NERR_ASSERT, "two migrations numbered %.3s: %s and %s", files[i], files[i-1], files[i]);
  NEOERR *err = q_schema_init(db);
  for(int i=0; i<n && !err; i++) err = apply_one(db, a, dir, files[i], &res->migrations);
  if( err ) return nerr_pass(err);

  DDL_RESULT dr;
  if( (err = ddl_resume(db, a, &dr)) ) return nerr_pass(err);
  res->ddl_finished = dr.applied;
  res->ddl_failed = dr.failed;
  for(int i=0; i<dr.nfailed; i++)
    log_warn("DDL change %lld (%s %s%s%s) failed: %s", dr.fail[i].id, dr.fail[i].kind, dr.fail[i].tbl,
             *dr.fail[i].obj ? "." : "", dr.fail[i].obj, dr.fail[i].error ? dr.fail[i].error : "");
  return nerr_pass(schema_grants(db, conf, a, res));
}

NEOERR *schema_migrate(HDF *conf, ARENA *a, const char *dir, SCHEMA_RESULT *res){
  HDF *oc = NULL;
  DB *db = NULL;
  NEOERR *err;
  const char *name = conf_str(conf, "Db.Name", "diaodu");
  memset(res, 0, sizeof *res);
  if( (err = conf_owner(conf, &oc)) ) return nerr_pass(err);
  /* first without a database: it may not exist yet */
  err = hdf_set_value(oc, "Db.Name", "");
  if( !err ) err = db_open(&db, oc, a);
  if( !err ) err = q_schema_create_db(db, a, name);
  db_close(db);
  db = NULL;
  if( !err ) err = hdf_set_value(oc, "Db.Name", name);
  if( !err ) err = db_open(&db, oc, a);
  if( err ){ db_close(db); hdf_destroy(&oc); return nerr_pass(err); }
  int got = 0;
  err = q_schema_lock(db, (int)conf_int(conf, "Db.Owner.LockWait", 120), &got);
  if( !err && !got ) err = nerr_raise(ERR_UNAVAIL, "another migrate holds the lock diaodu.migrate");
  if( !err ){
    err = migrate_all(db, a, conf, dir, res);
    NEOERR *e2 = q_schema_unlock(db);   /* also released when the connection closes */
    nerr_ignore(&e2);
  }
  db_close(db);
  hdf_destroy(&oc);
  return nerr_pass(err);
}
