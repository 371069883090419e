/*
** test_ddl.c -- the pure half of the DDL module (q_ddl.h): the identifier
** whitelist, the checks of a definition, and the exact SQL generated for
** CREATE TABLE, ADD COLUMN and ADD INDEX.  Every name is backquoted, every
** name that is not [a-z][a-z0-9_]{0,63} is refused before any SQL exists,
** and a refused definition produces no statement at all.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "q_ddl.h"
#include "err.h"

static ARENA *A;
static int setup(void **state){ NEOERR *e = err_init(); nerr_ignore(&e); A = arena_new(4096); return 0; }
static int teardown(void **state){ arena_free(A); return 0; }

static const DDL_COL COLS[] = {
  { "unit_id", DDL_INT, 0, 0, 0 },
  { "seq", DDL_BIGINT, 0, 0, 1 },
  { "amount", DDL_DECIMAL, 12, 2, 1 },
  { "plate", DDL_VARCHAR, 16, 0, 0 },
  { "day", DDL_DATE, 0, 0, 0 },
  { "start_at", DDL_TIME, 0, 0, 1 },
  { "done_at", DDL_DATETIME, 0, 0, 1 },
  { "note", DDL_TEXT, 0, 0, 1 },
};
static const DDL_INDEX IDX[] = {
  { "uk_day_plate", 1, { "day", "plate", NULL } },
  { "ix_unit", 0, { "unit_id", NULL } },
};
static const DDL_TABLE T = { "f_vehicle_trip", COLS, 8, IDX, 2 };

/* the error key of a refused definition ("ddl_name" ...), "" when accepted */
static const char *refusal(NEOERR *err){
  static char key[64];
  if( err==STATUS_OK ) return "";
  const char *k = err_key(err);
  snprintf(key, sizeof key, "%s", k ? k : "(no key)");
  nerr_ignore(&err);
  return key;
}

static void identifiers(void **state){
  assert_true(q_ident_ok("a"));
  assert_true(q_ident_ok("f_vehicle_trip2"));
  char max[65]; memset(max, 'a', 64); max[64] = 0;
  assert_true(q_ident_ok(max));
  char over[66]; memset(over, 'a', 65); over[65] = 0;
  assert_false(q_ident_ok(over));
  const char *bad[] = { "", "1abc", "_a", "A", "aB", "a-b", "a b", "a`b", "a;b", "a'b", "a.b", "表", "a\n", NULL };
  for(int i=0; bad[i]; i++) assert_false(q_ident_ok(bad[i]));
  assert_false(q_ident_ok(NULL));
}

static void create_exact(void **state){
  const char *sql = NULL;
  assert_null(q_ddl_create(A, &T, &sql));
  assert_string_equal(sql,
    "CREATE TABLE `f_vehicle_trip` (\n"
    "  `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,\n"
    "  `unit_id` INT NOT NULL,\n"
    "  `seq` BIGINT NULL,\n"
    "  `amount` DECIMAL(12,2) NULL,\n"
    "  `plate` VARCHAR(16) NOT NULL,\n"
    "  `day` DATE NOT NULL,\n"
    "  `start_at` TIME NULL,\n"
    "  `done_at` DATETIME NULL,\n"
    "  `note` TEXT NULL,\n"
    "  UNIQUE KEY `uk_day_plate` (`day`, `plate`),\n"
    "  KEY `ix_unit` (`unit_id`)\n"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci");
}

static void alter_exact(void **state){
  const char *sql = NULL;
  assert_null(q_ddl_add_column(A, &T, &T.cols[2], &sql));
  assert_string_equal(sql, "ALTER TABLE `f_vehicle_trip` ADD COLUMN `amount` DECIMAL(12,2) NULL");
  assert_null(q_ddl_add_index(A, &T, &T.idx[0], &sql));
  assert_string_equal(sql, "ALTER TABLE `f_vehicle_trip` ADD UNIQUE KEY `uk_day_plate` (`day`, `plate`)");
  assert_null(q_ddl_add_index(A, &T, &T.idx[1], &sql));
  assert_string_equal(sql, "ALTER TABLE `f_vehicle_trip` ADD KEY `ix_unit` (`unit_id`)");
  /* a column added to a table with rows must allow NULL */
  sql = NULL;
  assert_string_equal(refusal(q_ddl_add_column(A, &T, &T.cols[0], &sql)), "ddl_notnull_add");
  assert_null(sql);
  /* a column or index of another definition is a programming error */
  DDL_COL other = { "x", DDL_INT, 0, 0, 1 };
  assert_string_not_equal(refusal(q_ddl_add_column(A, &T, &other, &sql)), "");
}

/* a definition with one thing wrong: refused with that key, no SQL
** (key "": accepted) */
static void expect(const DDL_TABLE *t, const char *key){
  const char *sql = NULL;
  assert_string_equal(refusal(q_ddl_create(A, t, &sql)), key);
  if( *key ) assert_null(sql); else assert_non_null(sql);
}

static void hostile_names(void **state){
  const char *names[] = { "x`; DROP TABLE app_user; --", "Upper", "id", "a b", "", NULL };
  for(int i=0; names[i]; i++){
    DDL_COL c[] = { { names[i], DDL_INT, 0, 0, 1 } };
    DDL_TABLE t = { "t", c, 1, NULL, 0 };
    expect(&t, "ddl_name");
    DDL_COL ok[] = { { "a", DDL_INT, 0, 0, 1 } };
    DDL_TABLE t2 = { names[i], ok, 1, NULL, 0 };
    if( strcmp(names[i], "id")!=0 ) expect(&t2, "ddl_name");
    DDL_INDEX x[] = { { names[i], 0, { "a", NULL } } };
    DDL_TABLE t3 = { "t", ok, 1, x, 1 };
    if( strcmp(names[i], "id")!=0 ) expect(&t3, "ddl_name");
  }
  DDL_COL dup[] = { { "a", DDL_INT, 0, 0, 1 }, { "a", DDL_TEXT, 0, 0, 1 } };
  DDL_TABLE t = { "t", dup, 2, NULL, 0 };
  expect(&t, "ddl_name");
}

static void types_and_sizes(void **state){
  struct { DDL_TYPE type; int len, scale; const char *key; } c[] = {
    { DDL_VARCHAR, 0, 0, "ddl_type" }, { DDL_VARCHAR, 4001, 0, "ddl_type" }, { DDL_VARCHAR, 4000, 0, "" },
    { DDL_DECIMAL, 0, 0, "ddl_type" }, { DDL_DECIMAL, 39, 2, "ddl_type" }, { DDL_DECIMAL, 5, 6, "ddl_type" },
    { DDL_DECIMAL, 12, 11, "ddl_type" }, { DDL_DECIMAL, 38, 10, "" }, { DDL_DECIMAL, 5, -1, "ddl_type" },
    { (DDL_TYPE)0, 0, 0, "ddl_type" }, { (DDL_TYPE)99, 0, 0, "ddl_type" },
  };
  for(size_t i=0; i<sizeof c/sizeof c[0]; i++){
    DDL_COL col[] = { { "v", c[i].type, c[i].len, c[i].scale, 1 } };
    DDL_TABLE t = { "t", col, 1, NULL, 0 };
    expect(&t, c[i].key);
  }
  DDL_TABLE none = { "t", COLS, 0, NULL, 0 };
  expect(&none, "ddl_type");
}

static void indexes(void **state){
  DDL_COL c[] = { { "a", DDL_INT, 0, 0, 1 }, { "b", DDL_TEXT, 0, 0, 1 }, { "w", DDL_VARCHAR, 700, 0, 1 },
                  { "v", DDL_VARCHAR, 100, 0, 1 } };
  DDL_INDEX nocol[] = { { "ix", 0, { "zz", NULL } } };
  DDL_INDEX text[] = { { "ix", 0, { "b", NULL } } };
  DDL_INDEX empty[] = { { "ix", 0, { NULL } } };
  DDL_INDEX twice[] = { { "ix", 0, { "a", "a", NULL } } };
  DDL_INDEX wide[] = { { "ix", 0, { "w", "v", NULL } } };      /* 2802 + 402 bytes > 3072 */
  DDL_INDEX fits[] = { { "ix", 1, { "w", "a", NULL } } };
  DDL_INDEX same[] = { { "ix", 0, { "a", NULL } }, { "ix", 0, { "v", NULL } } };
  DDL_INDEX prim[] = { { "primary", 0, { "a", NULL } } };
  struct { const DDL_INDEX *x; int n; const char *key; } cases[] = {
    { nocol, 1, "ddl_index" }, { text, 1, "ddl_index" }, { empty, 1, "ddl_index" }, { twice, 1, "ddl_index" },
    { wide, 1, "ddl_index" }, { fits, 1, "" }, { same, 2, "ddl_name" }, { prim, 1, "ddl_name" },
  };
  for(size_t i=0; i<sizeof cases/sizeof cases[0]; i++){
    DDL_TABLE t = { "t", c, 4, cases[i].x, cases[i].n };
    expect(&t, cases[i].key);
  }
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(identifiers),
    cmocka_unit_test(create_exact),
    cmocka_unit_test(alter_exact),
    cmocka_unit_test(hostile_names),
    cmocka_unit_test(types_and_sizes),
    cmocka_unit_test(indexes),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
