/*
** test_ddl.c -- the DDL module (dom/ddl.c) against the test instance's
** MariaDB, on a table of its own (zz_ddl_<pid>, dropped at the end):
** a table created from a definition, extended with columns and indexes,
** nothing planned when nothing changed; a run cut short after the first
** of two ALTERs, and one cut short after an ALTER but before its journal
** entry, both finished by ddl_resume(); a failed change (a unique index
** over duplicates) journalled as failed, reported, and done by a later
** sync once the data allows it; DDL refused inside a transaction; a type
** that differs reported, not altered; the application account unable to
** run DDL at all.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <unistd.h>
#include "dbowner.h"
#include "ddl.h"

static ARENA *A;
static DB *OWN;
static HDF *OCONF;
static char T[64];

static int setup(void **state){
  A = arena_new(65536);
  OWN = dbo_open(1, A, &OCONF);
  snprintf(T, sizeof T, "zz_ddl_%d", (int)getpid());
  return 0;
}

static int teardown(void **state){
  char sql[200];
  snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS `%s`", T);
  NEOERR *err = db_exec_text(OWN, sql);
  if( !err ) err = db_exec(OWN, "DELETE FROM ddl_change WHERE tbl = ?", "s", T);
  nerr_ignore(&err);
  db_close(OWN);
  hdf_destroy(&OCONF);
  hdf_destroy(&dbo_conf);
  arena_free(A);
  return 0;
}

static long long n_changes(const char *state_){
  long long v = 0;
  int found;
  NEOERR *err = db_one_int(OWN, &v, &found, "SELECT COUNT(*) FROM ddl_change WHERE tbl = ? AND state = ?",
                           "ss", T, state_);
  assert_null(err);
  return v;
}

static int has_column(const char *col){
  DDL_COLINFO info;
  int found;
  assert_null(q_ddl_column(OWN, T, col, &info, &found));
  return found;
}

static int has_index(const char *ix){
  int found;
  assert_null(q_ddl_index_exists(OWN, T, ix, &found));
  return found;
}

static DDL_COL C[] = {
  { "unit_id", DDL_INT, 0, 0, 0 },
  { "plate", DDL_VARCHAR, 20, 0, 1 },
  { "amount", DDL_DECIMAL, 10, 2, 1 },
  { "day", DDL_DATE, 0, 0, 1 },
  { "note", DDL_TEXT, 0, 0, 1 },
  { "km", DDL_BIGINT, 0, 0, 1 },
};
static DDL_INDEX X[] = {
  { "ix_unit", 0, { "unit_id", NULL } },
  { "uk_plate", 1, { "plate", NULL } },
  { "uk_unit", 1, { "unit_id", NULL } },
};

static void create_then_extend(void **state){
  DDL_TABLE t = { T, C, 2, X, 1 };
  DDL_RESULT r;
  assert_null(ddl_sync(OWN, A, &t, &r));
  assert_int_equal(r.planned, 1);
  assert_true(has_column("plate"));
  assert_true(has_index("ix_unit"));
  assert_int_equal(n_changes("applied"), 1);

  /* the same definition again: nothing to do */
  assert_null(ddl_sync(OWN, A, &t, &r));
  assert_int_equal(r.planned, 0);

  DDL_TABLE t2 = { T, C, 3, X, 2 };
  assert_null(ddl_sync(OWN, A, &t2, &r));
  assert_int_equal(r.planned, 2);
  assert_int_equal(r.applied, 2);
  assert_true(has_column("amount"));
  assert_true(has_index("uk_plate"));
  assert_int_equal(n_changes("applied"), 3);
}

static void crash_between_two_alters(void **state){
  DDL_TABLE t = { T, C, 5, X, 2 };
  DDL_RESULT r;
  int n;
  assert_null(ddl_plan(OWN, A, &t, &n));
  assert_int_equal(n, 2);                        /* day and note */
  assert_null(ddl_apply(OWN, A, 1, &r));         /* ... and the process dies here */
  assert_true(has_column("day"));
  assert_false(has_column("note"));
  assert_int_equal(n_changes("planned"), 1);
  /* the next run finishes it */
  assert_null(ddl_resume(OWN, A, &r));
  assert_int_equal(r.applied, 1);
  assert_true(has_column("note"));
  assert_int_equal(n_changes("planned"), 0);
}

static void crash_after_alter_before_journal(void **state){
  DDL_TABLE t = { T, C, 6, X, 2 };
  DDL_CHANGE plan[4];
  DDL_RESULT r;
  int n;
  assert_null(ddl_plan(OWN, A, &t, &n));
  assert_int_equal(n, 1);
  assert_null(q_ddl_changes_planned(OWN, plan, 4, &n));
  assert_int_equal(n, 1);
  assert_null(db_exec_text(OWN, plan[0].stmt));   /* the ALTER ran, its state was not written */
  assert_null(ddl_resume(OWN, A, &r));             /* found in effect: not run twice */
  assert_int_equal(r.applied, 1);
  assert_int_equal(r.failed, 0);
  assert_true(has_column("km"));
  assert_int_equal(n_changes("planned"), 0);
}

static void failed_change_reported_then_done(void **state){
  char sql[200];
  snprintf(sql, sizeof sql, "INSERT INTO `%s` (unit_id, plate) VALUES (7, 'A1'), (7, 'A2')", T);
  assert_null(db_exec_text(OWN, sql));
  DDL_TABLE t = { T, C, 6, X, 3 };                 /* uk_unit over two rows of unit 7 */
  DDL_RESULT r;
  NEOERR *err = ddl_sync(OWN, A, &t, &r);
  assert_non_null(err);
  nerr_ignore(&err);
  assert_int_equal(r.failed, 1);
  assert_string_equal(r.fail[0].obj, "uk_unit");
  assert_non_null(r.fail[0].error);
  assert_false(has_index("uk_unit"));
  assert_int_equal(n_changes("failed"), 1);
  /* reported again by the next run (diaodu-ctl migrate) */
  assert_null(ddl_resume(OWN, A, &r));
  assert_int_equal(r.failed, 1);
  /* once the data allows it, the next sync does it; the report is gone */
  snprintf(sql, sizeof sql, "DELETE FROM `%s` WHERE plate = 'A2'", T);
  assert_null(db_exec_text(OWN, sql));
  assert_null(ddl_sync(OWN, A, &t, &r));
  assert_int_equal(r.failed, 0);
  assert_true(has_index("uk_unit"));
}

static void refused_inside_a_transaction(void **state){
  DDL_COL more[] = { { "unit_id", DDL_INT, 0, 0, 0 }, { "extra", DDL_INT, 0, 0, 1 } };
  DDL_TABLE t = { T, more, 2, NULL, 0 };
  DDL_RESULT r;
  int n;
  assert_null(db_begin(OWN));
  NEOERR *err = ddl_sync(OWN, A, &t, &r);
  assert_non_null(err);
  nerr_ignore(&err);
  err = ddl_plan(OWN, A, &t, &n);
  assert_non_null(err);
  nerr_ignore(&err);
  db_rollback(OWN);
  assert_false(has_column("extra"));
}

static void type_mismatch_is_reported(void **state){
  DDL_COL other[] = { { "unit_id", DDL_INT, 0, 0, 0 }, { "plate", DDL_VARCHAR, 40, 0, 1 } };
  DDL_TABLE t = { T, other, 2, NULL, 0 };
  DDL_RESULT r;
  NEOERR *err = ddl_sync(OWN, A, &t, &r);
  assert_int_equal(err_status(err), 409);
  assert_string_equal(err_key(err), "ddl_mismatch");
  nerr_ignore(&err);
  DDL_COLINFO info;
  int found;
  assert_null(q_ddl_column(OWN, T, "plate", &info, &found));
  assert_int_equal(info.len, 20);                   /* untouched */
}

static void application_account_has_no_ddl(void **state){
  ARENA *a = arena_new(4096);
  DB *app = dbo_open(0, a, NULL);
  char sql[200];
  snprintf(sql, sizeof sql, "ALTER TABLE `%s` ADD COLUMN zz INT NULL", T);
  NEOERR *err = db_exec_text(app, sql);
  assert_non_null(err);
  nerr_ignore(&err);
  err = db_exec_text(app, "CREATE TABLE zz_app_may_not (a INT)");
  assert_non_null(err);
  nerr_ignore(&err);
  snprintf(sql, sizeof sql, "DROP TABLE `%s`", T);
  err = db_exec_text(app, sql);
  assert_non_null(err);
  nerr_ignore(&err);
  /* it may read the journal */
  long long v = -1;
  int found;
  assert_null(db_one_int(app, &v, &found, "SELECT COUNT(*) FROM ddl_change WHERE tbl = ?", "s", T));
  assert_true(v>=5);
  db_close(app);
  arena_free(a);
  assert_false(has_column("zz"));
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(create_then_extend),
    cmocka_unit_test(crash_between_two_alters),
    cmocka_unit_test(crash_after_alter_before_journal),
    cmocka_unit_test(failed_change_reported_then_done),
    cmocka_unit_test(refused_inside_a_transaction),
    cmocka_unit_test(type_mismatch_is_reported),
    cmocka_unit_test(application_account_has_no_ddl),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
