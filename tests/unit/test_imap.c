/*
** test_imap.c -- imap.h: the customer's own column titles recognised per
** kind (部门编号, 上级部门, 所属科室, 岗位, 手机号码 ...), titles about
** something else left unrecognised, the header row below a title row, one
** column per field, remembered mappings, the header key, and numbers
** Excel turned into scientific notation.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "imap.h"
#include "err.h"

static ARENA *A;

static int setup(void **state){
  NEOERR *err = err_init();
  if( err ){ nerr_ignore(&err); return -1; }
  A = arena_new(64*1024);
  return 0;
}
static int teardown(void **state){ arena_free(A); A = NULL; return 0; }
static int reset(void **state){ arena_reset(A); return 0; }

/* the vehicle kind as the migration defines it */
static const IFIELD VEHICLE[] = {
  { "code", "编码", "编码|code", 1 },
  { "name", "名称", "名称|name", 1 },
  { "unit", "所属单位编码", "所属单位编码|单位编码|所属单位|unit|unitcode", 0 },
  { "a1", "车牌号", "车牌号|plate", 1 },
  { "a2", "车型", "车型|model", 0 },
  { "a3", "座位数", "座位数|seats", 0 },
  { "a4", "载重(吨)", "载重(吨)|load_t", 0 },
  { "active", "状态", "状态|启用|active|status", 0 },
  { "old_code", "原编码", "原编码|旧编码|oldcode", 0 },
};
#define NV (int)(sizeof VEHICLE / sizeof VEHICLE[0])

/* the key a header is recognised as, "" if none */
static const char *key(int ik, const char *header){
  int n, score;
  const IFIELD *f = ik==IK_BASE ? VEHICLE : imap_fields(ik, &n);
  if( ik==IK_BASE ) n = NV;
  int i = imap_guess(A, ik, f, n, header, &score);
  return i<0 ? "" : f[i].key;
}

static void test_norm(void **state){
  assert_string_equal(imap_norm(A, " Unit_Code "), "unitcode");
  assert_string_equal(imap_norm(A, "\xEF\xBB\xBF单位编码（必填）"), "单位编码");
  assert_string_equal(imap_norm(A, "★上级　部门"), "上级部门");
  assert_string_equal(imap_norm(A, "载重(吨)"), "载重");
  assert_string_equal(imap_norm(A, "(备注)"), "(备注)");
}

static void test_units_words(void **state){
  static const char *const cases[][2] = {
    { "单位编码", "code" }, { "部门编号", "code" }, { "机构代码", "code" }, { "编号", "code" },
    { "代码", "code" }, { "科室编号", "code" },
    { "单位名称", "name" }, { "部门", "name" }, { "单位", "name" }, { "全称", "name" },
    { "部门全称", "name" }, { "组织机构", "name" }, { "科室名称", "name" }, { "name", "name" },
    { "上级单位编码", "parent" }, { "上级部门", "parent" }, { "父级编号", "parent" },
    { "所属部门", "parent" }, { "上级部门名称", "parent" }, { "parent", "parent" },
    { "旧编号", "old_code" }, { "原编码", "old_code" }, { "原单位代码", "old_code" },
    { "类型", "kind" }, { "单位类型", "kind" }, { "排序号", "sort" }, { "顺序", "sort" },
    { "状态", "active" }, { "Type", "kind" },
    { "部门负责人", "" }, { "备注", "" }, { "联系电话", "" }, { "成立日期", "" },
  };
  for(size_t i=0; i<sizeof cases / sizeof cases[0]; i++){
    const char *got = key(IK_UNITS, cases[i][0]);
    if( strcmp(got, cases[i][1])!=0 ) print_error("units: %s -> %s, want %s\n", cases[i][0], got, cases[i][1]);
    assert_string_equal(got, cases[i][1]);
  }
}

static void test_users_words(void **state){
  static const char *const cases[][2] = {
    { "账户", "login" }, { "账号", "login" }, { "工号", "login" }, { "登录名", "login" },
    { "用户名", "login" }, { "姓名", "name" }, { "员工姓名", "name" },
    { "单位编码", "unit" }, { "所属部门", "unit" }, { "部门", "unit" }, { "科室", "unit" },
    { "所在单位名称", "unit" }, { "岗位", "roles" }, { "职务", "roles" }, { "角色", "roles" },
    { "数据范围", "scope" }, { "权限范围", "scope" }, { "手机号码", "phone" }, { "联系电话", "phone" },
    { "原账号", "old_login" }, { "旧账户", "old_login" },
    { "备注", "" }, { "入职日期", "" }, { "身份证号", "" },
  };
  for(size_t i=0; i<sizeof cases / sizeof cases[0]; i++){
    const char *got = key(IK_USERS, cases[i][0]);
    if( strcmp(got, cases[i][1])!=0 ) print_error("users: %s -> %s, want %s\n", cases[i][0], got, cases[i][1]);
    assert_string_equal(got, cases[i][1]);
  }
}

static void test_base_words(void **state){
  static const char *const cases[][2] = {
    { "车辆编号", "code" }, { "编号", "code" }, { "车辆名称", "name" }, { "车牌号", "a1" },
    { "车牌号码", "a1" }, { "载重", "a4" }, { "载重（吨）", "a4" }, { "seats", "a3" },
    { "使用部门", "unit" }, { "所属单位", "unit" }, { "所属单位编码", "unit" },
    { "旧编号", "old_code" }, { "状态", "active" }, { "购置日期", "" }, { "备注", "" },
  };
  for(size_t i=0; i<sizeof cases / sizeof cases[0]; i++){
    const char *got = key(IK_BASE, cases[i][0]);
    if( strcmp(got, cases[i][1])!=0 ) print_error("base: %s -> %s, want %s\n", cases[i][0], got, cases[i][1]);
    assert_string_equal(got, cases[i][1]);
  }
}

/* a table from rows of cells ("" ends a row's list at NULL) */
static TABLE *table(int nrow, const char *const rows[][6]){
  TABLE *t = arena_alloc(A, sizeof(TABLE));
  t->nrow = nrow;
  t->rows = arena_alloc(A, sizeof(TROW) * (size_t)nrow);
  for(int i=0; i<nrow; i++){
    int n = 0;
    while( n<6 && rows[i][n] ) n++;
    t->rows[i].rowno = i + 1;
    t->rows[i].ncol = n;
    t->rows[i].cols = arena_alloc(A, sizeof(char*) * (size_t)(n + 1));
    for(int k=0; k<n; k++) t->rows[i].cols[k] = arena_strdup(A, rows[i][k]);
  }
  return t;
}

static void test_header_row(void **state){
  static const char *const rows[][6] = {
    { "某某公司组织机构表（2026年）", "", "", 0 },
    { "", "", "", 0 },
    { "序号", "部门编号", "部门名称", "上级部门", 0 },
    { "1", "A01", "车队", "", 0 },
  };
  int n;
  const IFIELD *f = imap_fields(IK_UNITS, &n);
  assert_int_equal(imap_header_row(A, IK_UNITS, f, n, table(4, rows)), 2);
  /* nothing recognised at all: the first non-blank row */
  static const char *const none[][6] = { { "", 0 }, { "甲列", "乙列", 0 }, { "1", "2", 0 } };
  assert_int_equal(imap_header_row(A, IK_UNITS, f, n, table(3, none)), 1);
  static const char *const empty[][6] = { { "", " ", 0 } };
  assert_int_equal(imap_header_row(A, IK_UNITS, f, n, table(1, empty)), -1);
}

static void test_columns(void **state){
  static const char *const rows[][6] = {
    { "部门编号", "部门名称", "编号", "", "负责人", "" },
    { "A01", "车队", "7", "", "张三", "" },
    { "A02", "维修", "8", "x", "", "" },
  };
  int n, nc;
  const IFIELD *f = imap_fields(IK_UNITS, &n);
  TABLE *t = table(3, rows);
  ICOL *c = imap_columns(A, IK_UNITS, f, n, t, 0, NULL, &nc);
  assert_int_equal(nc, 5);                     /* the last, empty column is not shown */
  assert_int_equal(c[0].field, 0);             /* code */
  assert_int_equal(c[1].field, 1);             /* name */
  assert_int_equal(c[2].field, IM_NONE);       /* a second code column */
  assert_int_equal(c[2].how, IH_DUP);
  assert_int_equal(c[2].dup_of, 0);
  assert_int_equal(c[3].col, 3);               /* no title, but data below */
  assert_string_equal(c[3].header, "");
  assert_int_equal(c[3].field, IM_NONE);
  assert_int_equal(c[4].field, IM_NONE);       /* 负责人: not a field */
  assert_string_equal(imap_string(A, f, c, nc), "code|name|||");
  /* the admin's choices, remembered and read back */
  imap_choose(f, n, &c[2], "sort");
  imap_choose(f, n, &c[3], "-");
  imap_choose(f, n, &c[4], "nosuchfield");
  assert_int_equal(c[4].field, IM_NONE);
  imap_choose(f, n, &c[4], "-");
  const char *saved = imap_string(A, f, c, nc);
  assert_string_equal(saved, "code|name|sort|-|-");
  ICOL *d = imap_columns(A, IK_UNITS, f, n, t, 0, saved, &nc);
  assert_int_equal(d[2].field, 4);
  assert_int_equal(d[2].how, IH_SAVED);
  assert_int_equal(d[3].field, IM_IGNORE);
  assert_int_equal(d[4].field, IM_IGNORE);
  /* a saved entry naming a field twice: the saved one wins, the other goes */
  ICOL *e = imap_columns(A, IK_UNITS, f, n, t, 0, "|code", &nc);
  assert_int_equal(e[1].field, 0);
  assert_int_equal(e[0].how, IH_DUP);
}

static void test_new_field(void **state){
  static const char *const rows[][6] = { { "编号", "名称", "旧编号(系统)", 0 }, { "1", "甲", "x-1", 0 } };
  TABLE *t = table(2, rows);
  int nc;
  ICOL *c = imap_columns(A, IK_BASE, VEHICLE, NV, t, 0, "code|name|+", &nc);
  assert_int_equal(c[2].field, IM_NEW);
  /* once the field exists (an earlier import added it), the same entry is that field */
  IFIELD more[NV + 1];
  memcpy(more, VEHICLE, sizeof VEHICLE);
  more[NV] = (IFIELD){ "a5", "旧编号(系统)", "旧编号(系统)|x5", 0 };
  c = imap_columns(A, IK_BASE, more, NV + 1, t, 0, "code|name|+", &nc);
  assert_int_equal(c[2].field, NV);
}

static void test_header_key(void **state){
  static const char *const a[][6] = { { " 部门编号", "部门名称 ", "", 0 } };
  static const char *const b[][6] = { { "部门编号", "部门名称", 0 } };
  static const char *const c[][6] = { { "部门名称", "部门编号", 0 } };
  const char *ka = imap_header_key(A, &table(1, a)->rows[0]);
  assert_int_equal(strlen(ka), 64);
  assert_string_equal(ka, imap_header_key(A, &table(1, b)->rows[0]));
  assert_string_not_equal(ka, imap_header_key(A, &table(1, c)->rows[0]));
}

static void test_sci(void **state){
  assert_true(imap_sci("1.38E+10"));
  assert_true(imap_sci("1.38e+10"));
  assert_true(imap_sci("1E+5"));
  assert_true(imap_sci("13.800138E+9"));
  assert_false(imap_sci("13800138000"));
  assert_false(imap_sci("1.38E10"));
  assert_false(imap_sci("1.38E-3"));
  assert_false(imap_sci("E+10"));
  assert_false(imap_sci("1.E+10"));
  assert_false(imap_sci("12.5"));
  assert_false(imap_sci("1.38E+10x"));
  assert_false(imap_sci(""));
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(test_norm, reset),
    cmocka_unit_test_setup(test_units_words, reset),
    cmocka_unit_test_setup(test_users_words, reset),
    cmocka_unit_test_setup(test_base_words, reset),
    cmocka_unit_test_setup(test_header_row, reset),
    cmocka_unit_test_setup(test_columns, reset),
    cmocka_unit_test_setup(test_new_field, reset),
    cmocka_unit_test_setup(test_header_key, reset),
    cmocka_unit_test_setup(test_sci, reset),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
