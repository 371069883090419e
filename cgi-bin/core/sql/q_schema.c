/*
** q_schema.c -- see q_schema.h.
*/
#include "q_schema.h"
#include "q_ddl.h"
#include "err.h"
#include <string.h>

const char *q_schema_policy(const char *table){
  if( strcmp(table, "audit_log")==0 || strcmp(table, "audit_archive")==0 ) return "SELECT,INSERT";
  if( strcmp(table, "schema_version")==0 || strcmp(table, "ddl_change")==0 ) return "SELECT";
  /* the form registry is written by diaodu-ctl forms apply as the owner */
  if( strcmp(table, "form")==0 || strcmp(table, "form_field")==0 || strcmp(table, "form_version")==0 ) return "SELECT";
  if( strcmp(table, "schema_step")==0 ) return "";
  return "SELECT,INSERT,UPDATE,DELETE";
}

NEOERR *q_schema_create_db(DB *db, ARENA *a, const char *name){
  if( !q_ident_ok(name) ) return nerr_raise(NERR_ASSERT, "database name \"%.80s\" is not [a-z][a-z0-9_]*", name);
  /* lint: sql-built reviewed: DDL; the name passed q_ident_ok() */
  return nerr_pass(db_exec_text(db, arena_printf(a,
    "CREATE DATABASE IF NOT EXISTS `%s` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", name)));
}

NEOERR *q_schema_init(DB *db){
  NEOERR *err = db_exec_text(db,
    "CREATE TABLE IF NOT EXISTS schema_version (version INT PRIMARY KEY,"
    " name VARCHAR(100) NOT NULL, applied_at DATETIME NOT NULL) ENGINE=InnoDB");
  if( err ) return nerr_pass(err);
  return nerr_pass(db_exec_text(db,
    "CREATE TABLE IF NOT EXISTS schema_step (version INT NOT NULL, stmt INT NOT NULL,"
    " stmt_hash CHAR(64) NOT NULL, applied_at DATETIME NOT NULL,"
    " PRIMARY KEY (version, stmt)) ENGINE=InnoDB"));
}

NEOERR *q_schema_lock(DB *db, int wait, int *got){
  long long v;
  int found;
  NEOERR *err = db_one_int(db, &v, &found, "SELECT GET_LOCK('diaodu.migrate', ?)", "i", (long long)wait);
  if( err ) return nerr_pass(err);
  *got = found && v==1;
  return STATUS_OK;
}

NEOERR *q_schema_unlock(DB *db){
  long long v;
  int found;
  return nerr_pass(db_one_int(db, &v, &found, "SELECT RELEASE_LOCK('diaodu.migrate')", ""));
}

NEOERR *q_schema_applied(DB *db, int version, int *found){
  long long v;
  return nerr_pass(db_one_int(db, &v, found, "SELECT 1 FROM schema_version WHERE version = ?",
                              "i", (long long)version));
}

NEOERR *q_schema_step_get(DB *db, ARENA *a, int version, int stmt, const char **hash, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, "SELECT stmt_hash FROM schema_step WHERE version = ? AND stmt = ?",
                         "ii", (long long)version, (long long)stmt);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  *hash = *found ? arena_strdup(a, db_text(st, 0)) : NULL;
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_schema_step_put(DB *db, int version, int stmt, const char *hash){
  return nerr_pass(db_exec(db,
    "INSERT INTO schema_step (version, stmt, stmt_hash, applied_at) VALUES (?, ?, ?, UTC_TIMESTAMP())",
    "iis", (long long)version, (long long)stmt, hash));
}

NEOERR *q_schema_done(DB *db, int version, const char *name){
  NEOERR *err = db_exec(db, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, UTC_TIMESTAMP())",
                        "is", (long long)version, name);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_exec(db, "DELETE FROM schema_step WHERE version = ?", "i", (long long)version));
}

NEOERR *q_schema_tables(DB *db, ARENA *a, const char *schema, const char ***names, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"
    " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME", "s", schema);
  if( err ) return nerr_pass(err);
  int cap = 16;
  const char **v = arena_alloc(a, sizeof(*v) * (size_t)cap);
  *n = 0;
  while( db_step(st) ){
    if( *n==cap ){
      const char **w = arena_alloc(a, sizeof(*w) * (size_t)cap * 2);
      memcpy(w, v, sizeof(*v) * (size_t)cap);
      v = w;
      cap *= 2;
    }
    v[(*n)++] = db_text(st, 0);
  }
  *names = v;
  return STATUS_OK;
}

int q_host_ok(const char *s){
  size_t n = s ? strlen(s) : 0;
  if( n<1 || n>60 ) return 0;
  return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.%_:-")==n;
}

static NEOERR *account_ok(const char *user, const char *host){
  if( !q_ident_ok(user) ) return nerr_raise(NERR_ASSERT, "account name \"%.80s\" is not [a-z][a-z0-9_]*", user);
  if( !q_host_ok(host) ) return nerr_raise(NERR_ASSERT, "account host \"%.80s\" is not [A-Za-z0-9.%%_:-]+", host);
  return STATUS_OK;
}

NEOERR *q_schema_account(DB *db, ARENA *a, const char *user, const char *host,
                         const char *password, long timeout){
  const char *pw;
  NEOERR *err = account_ok(user, host);
  if( err ) return nerr_pass(err);
  if( (err = db_quote(db, a, password, &pw)) ) return nerr_pass(err);
  /* lint: sql-built reviewed: account_ok() names, db_quote()d password */
  err = db_exec_text(db, arena_printf(a, "CREATE USER IF NOT EXISTS '%s'@'%s' IDENTIFIED BY %s", user, host, pw));
  /* lint: sql-built reviewed: as above */
  if( !err ) err = db_exec_text(db, arena_printf(a,
    "ALTER USER '%s'@'%s' IDENTIFIED BY %s WITH MAX_STATEMENT_TIME %ld", user, host, pw, timeout>0 ? timeout : 0));
  if( err ){
    /* the statement holds the password: keep it out of the log */
    int e = err_status(err);
    nerr_ignore(&err);
    return nerr_raise(e==503 ? ERR_UNAVAIL : NERR_DB, "creating or altering the account '%s'@'%s' failed", user, host);
  }
  return STATUS_OK;
}

NEOERR *q_schema_privs(DB *db, ARENA *a, const char *user, const char *host,
                       const char *schema, Q_PRIV **out, int *n){
  const char *grantee = arena_printf(a, "'%s'@'%s'", user, host);
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT TABLE_NAME, PRIVILEGE_TYPE, IS_GRANTABLE, 0 FROM information_schema.TABLE_PRIVILEGES"
    " WHERE GRANTEE = ? AND TABLE_SCHEMA = ?"
    " UNION ALL SELECT NULL, PRIVILEGE_TYPE, IS_GRANTABLE, 0 FROM information_schema.SCHEMA_PRIVILEGES"
    " WHERE GRANTEE = ? AND TABLE_SCHEMA = ?"
    " UNION ALL SELECT '*', PRIVILEGE_TYPE, IS_GRANTABLE, 1 FROM information_schema.USER_PRIVILEGES"
    " WHERE GRANTEE = ? AND PRIVILEGE_TYPE <> 'USAGE'",
    "sssss", grantee, schema, grantee, schema, grantee);
  if( err ) return nerr_pass(err);
  int cap = 32;
  Q_PRIV *v = arena_alloc(a, sizeof(*v) * (size_t)cap);
  *n = 0;
  while( db_step(st) ){
    if( *n + 2>cap ){
      Q_PRIV *w = arena_alloc(a, sizeof(*w) * (size_t)cap * 2);
      memcpy(w, v, sizeof(*v) * (size_t)*n);
      v = w;
      cap *= 2;
    }
    Q_PRIV p = { db_text(st, 0), db_text(st, 1), (int)db_int(st, 3) };
    v[(*n)++] = p;
    if( db_text(st, 2) && strcmp(db_text(st, 2), "YES")==0 ){
      Q_PRIV g = { p.table, "GRANT OPTION", p.global };
      v[(*n)++] = g;
    }
  }
  *out = v;
  return STATUS_OK;
}

static int privs_ok(const char *privs){
  if( privs==NULL || *privs==0 ) return 0;
  return strspn(privs, "ABCDEFGHIJKLMNOPQRSTUVWXYZ ,")==strlen(privs);
}

NEOERR *q_schema_grant(DB *db, ARENA *a, int grant, const char *privs, int global,
                       const char *schema, const char *table, const char *user, const char *host){
  NEOERR *err = account_ok(user, host);
  if( err ) return nerr_pass(err);
  if( !privs_ok(privs) ) return nerr_raise(NERR_ASSERT, "privileges \"%.80s\"", privs);
  const char *on;
  if( global ) on = "*.*";
  else{
    if( !q_ident_ok(schema) ) return nerr_raise(NERR_ASSERT, "schema \"%.80s\"", schema);
    /* a privilege left on a table with an odd name must still be revocable:
    ** such a name is only ever revoked, with backquotes doubled */
    if( table && !q_ident_ok(table) && (grant || strchr(table, '`')) )
      return nerr_raise(NERR_ASSERT, "table \"%.80s\"", table);
    on = table ? arena_printf(a, "`%s`.`%s`", schema, table) : arena_printf(a, "`%s`.*", schema);
  }
  /* lint: sql-built reviewed: privs_ok(), q_ident_ok(), account_ok() */
  return nerr_pass(db_exec_text(db, arena_printf(a, "%s %s ON %s %s '%s'@'%s'",
    grant ? "GRANT" : "REVOKE", privs, on, grant ? "TO" : "FROM", user, host)));
}
