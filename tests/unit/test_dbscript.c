/*
** test_dbscript.c -- db_script_next() of db.h, the splitter of migration
** files: statements end with ';' at the end of a line, whole-line "--"
** comments and blank lines are dropped, a ';' inside a line does not end a
** statement, the line number of each statement is right, text after the
** last ';' is still returned, and the real schema/ files split into the
** statements they hold.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "db.h"

static ARENA *A;
static int setup(void **state){ A = arena_new(4096); return 0; }
static int teardown(void **state){ arena_free(A); return 0; }

static void two_statements(void **state){
  DB_SCRIPT sc;
  int line = 0;
  db_script_init(&sc, "-- header\n\nCREATE TABLE a (\n  x INT\n);\n\nINSERT INTO a VALUES (1);\n");
  assert_string_equal(db_script_next(&sc, A, &line), "CREATE TABLE a (\n  x INT\n)");
  assert_int_equal(line, 3);
  assert_string_equal(db_script_next(&sc, A, &line), "INSERT INTO a VALUES (1)");
  assert_int_equal(line, 7);
  assert_null(db_script_next(&sc, A, &line));
  assert_null(db_script_next(&sc, A, &line));
}

static void semicolon_inside_a_line(void **state){
  DB_SCRIPT sc;
  int line = 0;
  /* a ';' that is not the last character of its line does not split */
  db_script_init(&sc, "INSERT INTO t VALUES ('a;b'); \t\r\nSELECT 1;");
  assert_string_equal(db_script_next(&sc, A, &line), "INSERT INTO t VALUES ('a;b')");
  assert_string_equal(db_script_next(&sc, A, &line), "SELECT 1");
  assert_int_equal(line, 2);
  assert_null(db_script_next(&sc, A, &line));
}

static void comments_inside_a_statement(void **state){
  DB_SCRIPT sc;
  int line = 0;
  db_script_init(&sc, "CREATE TABLE b (\n  -- a comment ending with ;\n  y INT\n)\n;\n");
  assert_string_equal(db_script_next(&sc, A, &line), "CREATE TABLE b (\n  y INT\n)");
  assert_int_equal(line, 1);
  assert_null(db_script_next(&sc, A, &line));
}

static void no_final_semicolon(void **state){
  DB_SCRIPT sc;
  int line = 0;
  db_script_init(&sc, "SELECT 1;\n-- only a comment\n\nSELECT 2\n");
  assert_string_equal(db_script_next(&sc, A, &line), "SELECT 1");
  assert_string_equal(db_script_next(&sc, A, &line), "SELECT 2");
  assert_int_equal(line, 4);
  assert_null(db_script_next(&sc, A, &line));
}

static void empty_and_comment_only(void **state){
  DB_SCRIPT sc;
  int line = 0;
  db_script_init(&sc, "");
  assert_null(db_script_next(&sc, A, &line));
  db_script_init(&sc, "-- nothing\n   \n--;\n");
  assert_null(db_script_next(&sc, A, &line));
}

static void long_statement_grows(void **state){
  static char big[20000], want[20000];
  size_t n = 0, m = 0;
  n += (size_t)sprintf(big + n, "INSERT INTO t VALUES\n");
  m += (size_t)sprintf(want + m, "INSERT INTO t VALUES\n");
  for(int i=0; i<800; i++){
    n += (size_t)sprintf(big + n, "  (%d, 'x'),\n", i);
    m += (size_t)sprintf(want + m, "  (%d, 'x'),\n", i);
  }
  n += (size_t)sprintf(big + n, "  (0, 'y');\n");
  m += (size_t)sprintf(want + m, "  (0, 'y')");
  DB_SCRIPT sc;
  int line = 0;
  db_script_init(&sc, big);
  assert_string_equal(db_script_next(&sc, A, &line), want);
  assert_null(db_script_next(&sc, A, &line));
}

/* each real migration: count the statements by the rule, and check that
** none of them is empty or still holds a ';' at a line end */
static int split_file(const char *path){
  FILE *f = fopen(path, "rb");
  if( f==NULL ) return -1;
  static char text[200000];
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = 0;
  DB_SCRIPT sc;
  int line = 0, count = 0;
  const char *s;
  db_script_init(&sc, text);
  while( (s = db_script_next(&sc, A, &line)) ){
    assert_true(strlen(s)>0);
    assert_null(strstr(s, ";\n"));
    count++;
  }
  return count;
}

static void schema_files(void **state){
  assert_int_equal(split_file("schema/001_core.sql"), 10);   /* 8 tables, the roles, the audit head */
  assert_int_equal(split_file("schema/002_admin.sql"), 8);
  assert_int_equal(split_file("schema/004_ddl.sql"), 1);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(two_statements),
    cmocka_unit_test(semicolon_inside_a_line),
    cmocka_unit_test(comments_inside_a_statement),
    cmocka_unit_test(no_final_semicolon),
    cmocka_unit_test(empty_and_comment_only),
    cmocka_unit_test(long_statement_grows),
    cmocka_unit_test(schema_files),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
