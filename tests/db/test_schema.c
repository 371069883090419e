/*
** test_schema.c -- migrations and grants (dom/schema.c) against the test
** instance's MariaDB: the grant step changes nothing when nothing is
** missing (no REVOKE ALL on every start: live workers never see "command
** denied"); extra privileges -- a table's DROP, the schema's ALTER, a
** global FILE -- are revoked one by one; a table created later gets its
** DML grants; the application account has SELECT+INSERT only on
** audit_log and SELECT only on schema_version; a migration that fails at
** its second statement is reported with the statement and line, resumes
** after its first statement once fixed, and a statement edited after it
** ran is refused; migrate is idempotent.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dbowner.h"
#include "ddl.h"
#include "schema.h"
#include "q_schema.h"

static ARENA *A;
static DB *OWN;
static HDF *OCONF;
static char T[64], MIG[128], DIR[64];

static int setup(void **state){
  A = arena_new(65536);
  OWN = dbo_open(1, A, &OCONF);
  snprintf(T, sizeof T, "zz_grant_%d", (int)getpid());
  snprintf(MIG, sizeof MIG, "zz_mig_%d", (int)getpid());
  snprintf(DIR, sizeof DIR, "/tmp/diaodu-mig.%d", (int)getpid());
  return 0;
}

static void run(const char *sql){
  NEOERR *err = db_exec_text(OWN, sql);
  if( err ){ nerr_log_error(err); nerr_ignore(&err); fail_msg("%s", sql); }
}

static int teardown(void **state){
  char p[200];
  NEOERR *err;
  const char *drops[] = { T, MIG, NULL };
  for(int i=0; drops[i]; i++){
    char sql[200];
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS `%s`", drops[i]);
    err = db_exec_text(OWN, sql); nerr_ignore(&err);
  }
  err = db_exec(OWN, "DELETE FROM ddl_change WHERE tbl = ?", "s", T); nerr_ignore(&err);
  err = db_exec(OWN, "DELETE FROM schema_version WHERE version = 999", ""); nerr_ignore(&err);
  err = db_exec(OWN, "DELETE FROM schema_step WHERE version = 999", ""); nerr_ignore(&err);
  snprintf(p, sizeof p, "%s/999_zz_test.sql", DIR); unlink(p);
  rmdir(DIR);
  SCHEMA_RESULT r;
  err = schema_grants(OWN, dbo_load(), A, &r); nerr_ignore(&err);   /* revoke what the drops left */
  db_close(OWN);
  hdf_destroy(&OCONF);
  hdf_destroy(&dbo_conf);
  arena_free(A);
  return 0;
}

/* the application account's privileges on one table, "A,B" sorted */
static const char *privs(const char *table){
  DB_STMT *st;
  NEOERR *err = db_query(OWN, &st,
    "SELECT GROUP_CONCAT(PRIVILEGE_TYPE ORDER BY PRIVILEGE_TYPE) FROM information_schema.TABLE_PRIVILEGES"
    " WHERE GRANTEE = '''diaodu''@''localhost''' AND TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", "s", table);
  assert_null(err);
  const char *v = db_step(st) ? db_text(st, 0) : NULL;
  db_done(st);
  return v ? v : "";
}

static void policy(void **state){
  assert_string_equal(schema_policy("audit_log"), "SELECT,INSERT");
  assert_string_equal(schema_policy("schema_version"), "SELECT");
  assert_string_equal(schema_policy("ddl_change"), "SELECT");
  assert_string_equal(schema_policy("schema_step"), "");
  assert_string_equal(schema_policy("app_user"), "SELECT,INSERT,UPDATE,DELETE");
}

static void up_to_date_changes_nothing(void **state){
  SCHEMA_RESULT r;
  memset(&r, 0, sizeof r);
  assert_null(schema_grants(OWN, dbo_load(), A, &r));
  assert_null(schema_grants(OWN, dbo_load(), A, &r));
  memset(&r, 0, sizeof r);
  assert_null(schema_grants(OWN, dbo_load(), A, &r));
  assert_int_equal(r.granted, 0);
  assert_int_equal(r.revoked, 0);
  assert_string_equal(privs("app_user"), "DELETE,INSERT,SELECT,UPDATE");
  assert_string_equal(privs("audit_log"), "INSERT,SELECT");
  assert_string_equal(privs("schema_version"), "SELECT");
  assert_string_equal(privs("schema_step"), "");
}

static void extra_privileges_revoked(void **state){
  char sql[400];
  const char *db = conf_str(dbo_load(), "Db.Name", "diaodu");
  snprintf(sql, sizeof sql, "GRANT DROP, ALTER ON `%s`.app_user TO 'diaodu'@'localhost'", db); run(sql);
  snprintf(sql, sizeof sql, "GRANT UPDATE, DELETE ON `%s`.audit_log TO 'diaodu'@'localhost'", db); run(sql);
  snprintf(sql, sizeof sql, "GRANT CREATE ON `%s`.* TO 'diaodu'@'localhost'", db); run(sql);
  run("GRANT FILE ON *.* TO 'diaodu'@'localhost'");
  snprintf(sql, sizeof sql, "REVOKE UPDATE ON `%s`.org_unit FROM 'diaodu'@'localhost'", db); run(sql);
  SCHEMA_RESULT r;
  memset(&r, 0, sizeof r);
  assert_null(schema_grants(OWN, dbo_load(), A, &r));
  assert_int_equal(r.revoked, 4);          /* app_user, audit_log, the schema, global */
  assert_int_equal(r.granted, 1);          /* org_unit's UPDATE back */
  assert_string_equal(privs("app_user"), "DELETE,INSERT,SELECT,UPDATE");
  assert_string_equal(privs("audit_log"), "INSERT,SELECT");
  assert_string_equal(privs("org_unit"), "DELETE,INSERT,SELECT,UPDATE");
  long long v = -1;
  int found;
  assert_null(db_one_int(OWN, &v, &found, "SELECT COUNT(*) FROM information_schema.SCHEMA_PRIVILEGES"
                         " WHERE GRANTEE = '''diaodu''@''localhost'''", ""));
  assert_int_equal(v, 0);
  assert_null(db_one_int(OWN, &v, &found, "SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES"
                         " WHERE GRANTEE = '''diaodu''@''localhost''' AND PRIVILEGE_TYPE <> 'USAGE'", ""));
  assert_int_equal(v, 0);
}

static void new_table_gets_dml(void **state){
  DDL_COL c[] = { { "a", DDL_INT, 0, 0, 1 } };
  DDL_TABLE t = { T, c, 1, NULL, 0 };
  DDL_RESULT dr;
  assert_null(ddl_sync(OWN, A, &t, &dr));
  assert_string_equal(privs(T), "");
  SCHEMA_RESULT r;
  memset(&r, 0, sizeof r);
  assert_null(schema_grants(OWN, dbo_load(), A, &r));
  assert_int_equal(r.granted, 1);
  assert_int_equal(r.revoked, 0);
  assert_string_equal(privs(T), "DELETE,INSERT,SELECT,UPDATE");

  /* the application uses it at once, and still cannot touch audit_log */
  ARENA *a = arena_new(4096);
  DB *app = dbo_open(0, a, NULL);
  char sql[200];
  snprintf(sql, sizeof sql, "INSERT INTO `%s` (a) VALUES (1)", T);
  assert_null(db_exec_text(app, sql));
  NEOERR *err = db_exec_text(app, "UPDATE audit_log SET login = login WHERE id = 0");
  assert_non_null(err); nerr_ignore(&err);
  err = db_exec_text(app, "DELETE FROM audit_log WHERE id = 0");
  assert_non_null(err); nerr_ignore(&err);
  err = db_exec_text(app, "DELETE FROM schema_version WHERE version = 0");
  assert_non_null(err); nerr_ignore(&err);
  db_close(app);
  arena_free(a);
}

static void write_migration(const char *second){
  char p[200];
  mkdir(DIR, 0700);
  snprintf(p, sizeof p, "%s/999_zz_test.sql", DIR);
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fprintf(f, "-- a test migration\nCREATE TABLE %s (\n  a INT\n) ENGINE=InnoDB;\n\n%s;\n", MIG, second);
  fclose(f);
}

static void migration_resumes_after_failure(void **state){
  SCHEMA_RESULT r;
  char bad[200], good[200];
  snprintf(bad, sizeof bad, "INSERT INTO %s (no_such_column) VALUES (1)", MIG);
  snprintf(good, sizeof good, "INSERT INTO %s (a) VALUES (1)", MIG);
  write_migration(bad);
  NEOERR *err = schema_migrate(dbo_load(), A, DIR, &r);
  assert_non_null(err);
  STRING s; string_init(&s); nerr_error_traceback(err, &s);
  assert_non_null(strstr(s.buf, "statement 2 (line 6)"));
  string_clear(&s);
  nerr_ignore(&err);
  long long v = -1;
  int found;
  assert_null(db_one_int(OWN, &v, &found, "SELECT COUNT(*) FROM schema_step WHERE version = 999", ""));
  assert_int_equal(v, 1);
  /* fixed: the CREATE is not run again (it would fail), the INSERT is */
  write_migration(good);
  assert_null(schema_migrate(dbo_load(), A, DIR, &r));
  assert_int_equal(r.migrations, 1);
  assert_null(db_one_int(OWN, &v, &found, "SELECT COUNT(*) FROM schema_version WHERE version = 999", ""));
  assert_int_equal(v, 1);
  assert_null(db_one_int(OWN, &v, &found, "SELECT COUNT(*) FROM schema_step WHERE version = 999", ""));
  assert_int_equal(v, 0);
  assert_string_equal(privs(MIG), "DELETE,INSERT,SELECT,UPDATE");
  /* applied once: again, nothing */
  assert_null(schema_migrate(dbo_load(), A, DIR, &r));
  assert_int_equal(r.migrations, 0);
  assert_int_equal(r.granted + r.revoked, 0);
}

static void edited_statement_refused(void **state){
  SCHEMA_RESULT r;
  char sql[200];
  snprintf(sql, sizeof sql, "DELETE FROM schema_version WHERE version = 999");
  assert_null(db_exec_text(OWN, sql));
  assert_null(q_schema_step_put(OWN, 999, 1, "0000000000000000000000000000000000000000000000000000000000000000"));
  NEOERR *err = schema_migrate(dbo_load(), A, DIR, &r);
  assert_non_null(err);
  STRING s; string_init(&s); nerr_error_traceback(err, &s);
  assert_non_null(strstr(s.buf, "was edited after it had been applied"));
  string_clear(&s);
  nerr_ignore(&err);
}

static void real_migrations_idempotent(void **state){
  SCHEMA_RESULT r;
  assert_null(schema_migrate(dbo_load(), A, "schema", &r));
  assert_int_equal(r.migrations, 0);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(policy),
    cmocka_unit_test(up_to_date_changes_nothing),
    cmocka_unit_test(extra_privileges_revoked),
    cmocka_unit_test(new_table_gets_dml),
    cmocka_unit_test(migration_resumes_after_failure),
    cmocka_unit_test(edited_statement_refused),
    cmocka_unit_test(real_migrations_idempotent),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
