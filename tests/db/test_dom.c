/*
** test_dom.c -- domain functions (dom/org.c, dom/acct.c, dom/import.c)
** against the test instance's MariaDB, through the same CTX the browser and
** diaodu-ctl use: scope checks by grant, refusals that write nothing, one
** audit record per change in the same transaction, composable DB_TX, the
** lock key of mixed-case names, bounded audit cost of a hammered lock,
** and a list of a user with two partial admin grants.
*/
#include "dbtest.h"
#include "org.h"
#include "acct.h"
#include "import.h"
#include "q_org.h"

static long long audits(void){ return dbt_count("SELECT COUNT(*) FROM audit_log", NULL); }

static long long unit_id(const char *code){
  long long id; int found;
  OK(q_unit_id_by_code(dbt_db, code, &id, &found));
  return found ? id : 0;
}

/* a fresh subtree A (with child A1) and B under the company root */
static void make_tree(void){
  const char *msg;
  long long root = unit_id(conf_str(dbt_conf, "Site.CompanyCode", "HQ")), a, b, a1;
  assert_true(root>0);
  if( unit_id(U("A")) ) return;
  OK(org_unit_create(&dbt_op, U("A"), "测试甲部", root, "dept", 1, &a, &msg)); assert_null(msg);
  OK(org_unit_create(&dbt_op, U("A1"), "测试甲一班", a, "team", 1, &a1, &msg)); assert_null(msg);
  OK(org_unit_create(&dbt_op, U("B"), "测试乙部", root, "dept", 2, &b, &msg)); assert_null(msg);
}

/* an account with a password, so tests can log in as it */
static long long make_user(const char *login, const char *unit, const char *role, const char *scope){
  const char *msg;
  long long id;
  char code[16], tok[TOKEN_LEN + 1];
  OK(org_user_create(&dbt_op, login, "测试用户", unit_id(unit), NULL, role, scope, &id, code, &msg));
  assert_null(msg);
  OK(acct_activate(&dbt_op, login, code, "Ceshi-Mima-2026!", "Ceshi-Mima-2026!", &msg, tok));
  assert_null(msg);
  assert_int_equal(strlen(tok), TOKEN_LEN);
  return id;
}

static void setup_runs_once(void **state){
  ORG_SETUP s = { "X1", "x", "X2", "y", "admin", "z" };
  const char *msg;
  int done = 1;
  long long before = audits();
  OK(org_setup(&dbt_op, &s, "$argon2id$dummy", &done, &msg));
  assert_int_equal(done, 0);
  assert_null(msg);
  assert_int_equal(audits(), before);
}

static void create_and_audit_in_one_transaction(void **state){
  const char *msg;
  long long id, before;
  make_tree();
  before = audits();
  OK(org_unit_create(&dbt_op, U("C"), "测试丙部", unit_id(U("A")), "dept", 3, &id, &msg));
  assert_null(msg);
  assert_int_equal(audits(), before + 1);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM audit_log WHERE action = 'unit.create' AND object = ?",
                             arena_printf(dbt_arena, "unit:%s", U("C"))), 1);
  /* a refusal (the same code again) writes nothing at all */
  before = audits();
  OK(org_unit_create(&dbt_op, U("C"), "又一个", unit_id(U("A")), "dept", 3, &id, &msg));
  assert_string_equal(msg, "org.dup_code");
  assert_int_equal(audits(), before);
  /* a bad code never reaches the database */
  OK(org_unit_create(&dbt_op, "bad code!", "x", 0, "dept", 3, &id, &msg));
  assert_string_equal(msg, "org.bad_code");
}

static void sub_admin_scope_is_checked_in_the_domain(void **state){
  const char *msg;
  long long id;
  make_tree();
  make_user(U("subadm"), U("A"), "admin", "subtree");
  CTX sub = dbt_user(U("subadm"));
  /* inside its subtree: fine */
  OK(org_unit_create(&sub, U("A2"), "测试甲二班", unit_id(U("A")), "team", 2, &id, &msg));
  assert_null(msg);
  /* a unit of B, or a new top-level unit: denied (403), nothing written */
  long long before = audits();
  NEOERR *err = org_unit_create(&sub, U("B9"), "越权", unit_id(U("B")), "team", 1, &id, &msg);
  assert_non_null(err);
  assert_int_equal(err_status(err), 403);
  nerr_ignore(&err);
  err = org_unit_create(&sub, U("T9"), "越权", 0, "company", 1, &id, &msg);
  assert_non_null(err);
  assert_int_equal(err_status(err), 403);
  nerr_ignore(&err);
  assert_int_equal(audits(), before);
  assert_int_equal(unit_id(U("B9")), 0);
}

static void nested_tx_rolls_back_as_a_whole(void **state){
  const char *msg, *inner;
  long long id;
  make_tree();
  long long before = audits();
  /* the second create is refused: the first one, made in the same outer
  ** transaction, must vanish with it */
  NEOERR *err = DB_TX(dbt_db, &msg, ({
    NEOERR *e = org_unit_create(&dbt_op, U("N1"), "嵌套一", unit_id(U("B")), "team", 1, &id, &inner);
    if( !e && !inner ) e = org_unit_create(&dbt_op, U("N1"), "嵌套二", unit_id(U("B")), "team", 2, &id, &inner);
    msg = inner;
    e; }));
  OK(err);
  assert_string_equal(msg, "org.dup_code");
  assert_int_equal(unit_id(U("N1")), 0);
  assert_int_equal(audits(), before);
}

static void mixed_case_lock_is_cleared_by_unlock_and_reset(void **state){
  const char *msg;
  int result;
  char tok[TOKEN_LEN + 1], code[16];
  make_tree();
  const char *login = U("MixedCase");
  long long id = make_user(login, U("A"), "clerk", "unit");
  CTX web = dbt_op;
  web.ip = arena_printf(dbt_arena, "198.51.100.%d", (int)(getpid() % 200) + 1);
  /* five wrong passwords typed in another case lock the account */
  for(int i=0; i<(int)conf_int(dbt_conf, "Login.MaxFailures", 5); i++)
    OK(acct_login(&web, U("mixedcase"), "wrong-password", &result, tok));
  OK(acct_login(&web, login, "Ceshi-Mima-2026!", &result, tok));
  assert_int_equal(result, LOGIN_LOCKED);
  /* the account list shows it locked, whatever the case */
  USERROW row;
  int found;
  OK(q_user_row(dbt_db, id, NULL, &row, &found));
  assert_true(found);
  assert_int_equal(row.locked, 1);
  /* the admin's unlock frees it */
  OK(org_user_unlock(&dbt_op, id, &msg));
  assert_null(msg);
  OK(acct_login(&web, login, "Ceshi-Mima-2026!", &result, tok));
  assert_int_equal(result, LOGIN_OK);
  /* locked again, then reset: the new code activates and logs in */
  for(int i=0; i<(int)conf_int(dbt_conf, "Login.MaxFailures", 5); i++)
    OK(acct_login(&web, U("MIXEDCASE"), "wrong-password", &result, tok));
  OK(org_user_reset(&dbt_op, id, code, &msg));
  assert_null(msg);
  OK(acct_activate(&web, login, code, "Xin-Mima-2026!x", "Xin-Mima-2026!x", &msg, tok));
  assert_null(msg);
  OK(acct_login(&web, login, "Xin-Mima-2026!x", &result, tok));
  assert_int_equal(result, LOGIN_OK);
}

static void hammering_a_locked_name_has_bounded_audit_cost(void **state){
  int result;
  char tok[TOKEN_LEN + 1];
  const char *name = U("nobody");       /* does not exist: locks all the same */
  CTX web = dbt_op;
  web.ip = arena_printf(dbt_arena, "203.0.113.%d", (int)(getpid() % 200) + 1);
  for(int i=0; i<(int)conf_int(dbt_conf, "Login.MaxFailures", 5); i++)
    OK(acct_login(&web, name, "x", &result, tok));
  assert_int_equal(result, LOGIN_LOCKED);
  const char *obj = arena_printf(dbt_arena, "login:%s", name);
  for(int i=0; i<120; i++){
    OK(acct_login(&web, name, "x", &result, tok));
    assert_int_equal(result, LOGIN_LOCKED);
  }
  /* 120 refused attempts: records for the 1st, 10th and 100th, with the count */
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM audit_log WHERE action = 'login.locked' AND object = ?", obj), 3);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM audit_log WHERE action = 'login.locked' AND object = ?"
                             " AND detail LIKE '%\"attempts_while_locked\":100}%'", obj), 1);
}

static void import_runs_as_the_operator(void **state){
  IMP_RESULT res;
  make_tree();
  const char *csv = arena_printf(dbt_arena, "单位编码,单位名称,上级单位编码\n%s,导入的班组,%s\n", U("I1"), U("B"));
  long long before = audits();
  OK(import_run(&dbt_op, "units", csv, strlen(csv), 0, 0, &res));
  assert_null(res.file_key);
  assert_int_equal(res.n_new, 1);
  assert_int_equal(audits(), before);          /* a dry run writes nothing */
  assert_int_equal(unit_id(U("I1")), 0);
  OK(import_run(&dbt_op, "units", csv, strlen(csv), 0, 1, &res));
  assert_int_equal(res.n_errors, 0);
  assert_true(unit_id(U("I1"))>0);
  assert_int_equal(audits(), before + 1);      /* one record for the whole import */
}

/* two partial admin grants: the lists show what either one reaches, in SQL */
static void two_partial_grants_list_in_sql(void **state){
  const char *msg;
  make_tree();
  long long id = make_user(U("twoadm"), U("A1"), "admin", "subtree");
  OK(org_grant_add(&dbt_op, id, "admin", unit_id(U("B")), "unit", &msg));
  assert_null(msg);
  make_user(U("inA1"), U("A1"), "clerk", "unit");
  make_user(U("inB"), U("B"), "clerk", "unit");
  make_user(U("inA"), U("A"), "clerk", "unit");       /* above A1: out of reach */
  CTX two = dbt_user(U("twoadm"));
  HDF *out;
  int n;
  assert_int_equal(hdf_init(&out), STATUS_OK);
  OK(q_users_page(dbt_db, out, "U", two.user->id, CAP_ADMIN, 0, U(""), "", 1000, &n));
  int seen_a1 = 0, seen_b = 0, seen_a = 0;
  for(int i=0; i<n; i++){
    const char *l = hdf_get_valuef(out, "U.%d.login", i);
    seen_a1 |= strcmp(l, U("inA1"))==0;
    seen_b |= strcmp(l, U("inB"))==0;
    seen_a |= strcmp(l, U("inA"))==0;
  }
  assert_true(seen_a1);
  assert_true(seen_b);
  assert_false(seen_a);
  hdf_destroy(&out);
  /* and the operator (id 0) sees them all */
  assert_int_equal(hdf_init(&out), STATUS_OK);
  OK(q_users_page(dbt_db, out, "U", 0, CAP_ADMIN, 0, U(""), "", 1000, &n));
  assert_true(n>=4);
  hdf_destroy(&out);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(setup_runs_once),
    cmocka_unit_test(create_and_audit_in_one_transaction),
    cmocka_unit_test(sub_admin_scope_is_checked_in_the_domain),
    cmocka_unit_test(nested_tx_rolls_back_as_a_whole),
    cmocka_unit_test(mixed_case_lock_is_cleared_by_unlock_and_reset),
    cmocka_unit_test(hammering_a_locked_name_has_bounded_audit_cost),
    cmocka_unit_test(import_runs_as_the_operator),
    cmocka_unit_test(two_partial_grants_list_in_sql),
  };
  return cmocka_run_group_tests(tests, dbt_open, dbt_close);
}
