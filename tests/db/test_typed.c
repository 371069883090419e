/*
** test_typed.c -- typed base-data fields through the domain functions
** against the test instance's MariaDB: org_item_save stores val's canonical
** text and names the reason of each refused field without writing anything;
** import_run reads the same spellings to the same text, refuses the same
** ones with the same keys, and finds the saved item unchanged.
*/
#include "dbtest.h"
#include "org.h"
#include "import.h"
#include "q_base.h"

static BASEKIND kind;

static void make_kind(void){
  const char *msg;
  int found;
  if( kind.id ) return;
  OK(org_kind_create(&dbt_op, U("ty"), "类型测试", "qty:数量:integer\nprice:单价:decimal\nrate:费率:decimal", &msg));
  assert_null(msg);
  OK(q_kind_get(dbt_db, U("ty"), &kind, &found));
  assert_true(found);
  assert_int_equal(kind.nfields, 3);
}

static long long items(void){
  return dbt_count("SELECT COUNT(*) FROM base_item b JOIN base_kind k ON k.id=b.kind_id WHERE k.code = ?", U("ty"));
}

static void save_stores_canonical_text(void **state){
  BASEITEM it, back;
  const char *msg;
  int found;
  make_kind();
  memset(&it, 0, sizeof it);
  it.code = "007";
  it.name = "七号";
  it.active = 1;
  it.a[0] = "１,０００";
  it.a[1] = "\xE3\x80\x80" "1,234.50";
  it.a[2] = "0.10";
  OK(org_item_save(&dbt_op, &kind, &it, &msg));
  assert_null(msg);
  OK(q_item_get(dbt_db, kind.id, it.id, NULL, &back, &found));
  assert_true(found);
  assert_string_equal(back.code, "007");
  assert_string_equal(back.a[0], "1000");
  assert_string_equal(back.a[1], "1234.5");
  assert_string_equal(back.a[2], "0.1");
}

static void refusals_name_the_field_and_write_nothing(void **state){
  BASEITEM it;
  const char *msg;
  make_kind();
  long long before = items();
  long long audits = dbt_count("SELECT COUNT(*) FROM audit_log", NULL);
  memset(&it, 0, sizeof it);
  it.code = "BAD";
  it.name = "坏";
  it.active = 1;
  it.a[0] = "0x1A";
  it.a[1] = "1e3";
  it.a[2] = "0.5";
  OK(org_item_save(&dbt_op, &kind, &it, &msg));
  assert_string_equal(msg, "org.bad_number");
  assert_string_equal(it.why[0], "val.hex");
  assert_string_equal(it.why[1], "val.exponent");
  assert_null(it.why[2]);
  assert_string_equal(it.a[0], "0x1A");                /* what was typed stays for the form */
  assert_int_equal(items(), before);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM audit_log", NULL), audits);
}

static void import_reads_the_same_way(void **state){
  IMP_RESULT res;
  make_kind();
  const char *kk = arena_printf(dbt_arena, "base:%s", U("ty"));
  /* the saved item in other spellings: unchanged */
  const char *same = "编码,名称,数量,单价,费率\n007,七号,1000,\"１,２３４.５０\",0.1000\n";
  OK(import_run(&dbt_op, kk, same, strlen(same), 0, 0, &res));
  assert_null(res.file_key);
  assert_int_equal(res.n_errors, 0);
  assert_int_equal(res.n_same, 1);
  assert_int_equal(res.n_updated, 0);
  const char *bad = "编码,名称,数量,单价,费率\n008,八号,nan,1e3,\"12,5\"\n";
  OK(import_run(&dbt_op, kk, bad, strlen(bad), 0, 0, &res));
  assert_int_equal(res.n_errors, 3);
  assert_string_equal(res.errors[0].key, "val.nan");
  assert_string_equal(res.errors[1].key, "val.exponent");
  assert_string_equal(res.errors[2].key, "val.group");
  assert_int_equal(res.errors[0].rowno, 2);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(save_stores_canonical_text),
    cmocka_unit_test(refusals_name_the_field_and_write_nothing),
    cmocka_unit_test(import_reads_the_same_way),
  };
  return cmocka_run_group_tests(tests, dbt_open, dbt_close);
}
