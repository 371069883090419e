/*
** test_report.c -- the report engine against the test instance's MariaDB
** and the demo company, called with a CTX and no request (as a background
** job calls it): definitions refused with the reason, every built-in run by
** the operator and rendered into CSV, XLSX, PDF and SVG strings, a figure
** against its own SQL, the scope of a clerk and of a head, a unit beyond
** reach refused, saved reports run by the roles chosen and nobody else.
*/
#define _GNU_SOURCE 1
#include "dbtest.h"
#include "report.h"
#include "q_report.h"

static int setup(void **state){ return dbt_open(state); }
static int teardown(void **state){ return dbt_close(state); }

static const char *month;          /* the demo's last full month of data, YYYY-MM-DD */

static const char *text_of(const char *sql, const char *param){
  DB_STMT *st;
  const char *v = NULL;
  if( param ) OK(db_query(dbt_db, &st, sql, "s", param));
  else OK(db_query(dbt_db, &st, sql, ""));
  if( db_step(st) ) v = db_text(st, 0);
  OK(db_finish(st));
  return v ? v : "";
}

static REPORT_DEF *parse_ok(const char *text){
  REPORT_DEF *d;
  REPORT_ERR e;
  if( report_parse(dbt_arena, "t", text, &d, &e) ) fail_msg("parse: %s %s %s", e.where, e.key, e.arg);
  return d;
}

static void refused_parse(const char *text, const char *key){
  REPORT_DEF *d;
  REPORT_ERR e;
  assert_int_equal(report_parse(dbt_arena, "t", text, &d, &e), 1);
  assert_string_equal(e.key, key);
}

static void refused_check(const char *text, const char *key){
  REPORT_DEF *d = parse_ok(text);
  REPORT_ERR e;
  int ok;
  OK(report_check(&dbt_op, d, &e, &ok));
  assert_int_equal(ok, 0);
  assert_string_equal(e.key, key);
}

#define HEAD "Code = t\nName = 测试\nForm = vehicle_daily\n"

static void definitions_are_checked(void **state){
  refused_parse("Name = x\nForm = vehicle_daily\nMeasures {\n  a {\n    Fn = count\n  }\n}\n", "bad_code");
  refused_parse(HEAD "Measures {\n}\n", "no_meas");
  refused_parse(HEAD "Measures {\n  a {\n    Fn = median\n  }\n}\n", "bad_fn");
  refused_parse(HEAD "Measures {\n  a {\n    Fn = sum\n  }\n}\n", "no_field");
  refused_parse(HEAD "Measures {\n  r {\n    Fn = ratio\n    Of = a\n    Per = b\n  }\n}\n", "of_before");
  refused_parse(HEAD "Period = year\nMeasures {\n  a {\n    Fn = count\n  }\n}\n", "bad_period");
  refused_parse(HEAD "Group {\n  g {\n    By = colour\n  }\n}\nMeasures {\n  a {\n    Fn = count\n  }\n}\n", "bad_by");
  refused_parse(HEAD "Measures {\n  a {\n    Fn = count\n  }\n}\nSort = b desc\n", "bad_sort");
  refused_parse(HEAD "Measures {\n  a {\n    Fn = sum\n    Field = x`; DROP\n  }\n}\n", "no_field");
  /* against the applied form */
  refused_check(HEAD "Measures {\n  a {\n    Fn = sum\n    Field = nosuch\n  }\n}\n", "unknown_field");
  refused_check(HEAD "Measures {\n  a {\n    Fn = sum\n    Field = task\n  }\n}\n", "not_numeric");
  refused_check(HEAD "Group {\n  g {\n    By = field\n    Field = mileage\n  }\n}\nMeasures {\n  a {\n    Fn = count\n  }\n}\n", "not_groupable");
  refused_check(HEAD "Measures {\n  a {\n    Fn = sum\n    Field = mileage\n  }\n  b {\n    Fn = sum\n    Field = total_km\n  }\n}\n", "mixed_parts");
  refused_check(HEAD "Measures {\n  a {\n    Fn = count\n  }\n}\nFilters {\n  f {\n    Field = task\n    Value = 火箭\n  }\n}\n", "bad_option");
  refused_check("Code = t\nName = 测试\nForm = nosuchform\nMeasures {\n  a {\n    Fn = count\n  }\n}\n", "no_form");
  /* the text the builder saves parses back into the same definition */
  REPORT_DEF *d = parse_ok(HEAD "Group {\n  g {\n    By = field\n    Field = vehicle\n  }\n}\nMeasures {\n  a {\n    Fn = sum\n"
                           "    Field = fuel\n  }\n  b {\n    Fn = sum\n    Field = mileage\n  }\n  r {\n    Fn = ratio\n    Of = a\n"
                           "    Per = b\n    Times = 100\n  }\n}\nSort = b desc\nChart = b\nRoles = head, leader\n");
  REPORT_DEF *again = parse_ok(report_text(dbt_arena, d));
  assert_string_equal(report_text(dbt_arena, again), report_text(dbt_arena, d));
  assert_int_equal(again->nroles, 2);
  assert_int_equal(again->sort_desc, 1);
}

static void builtins_run_and_render_without_a_request(void **state){
  REPORT_DEF **all;
  int n;
  OK(report_builtins(&dbt_op, &all, &n));
  assert_int_equal(n, 5);
  for(int i=0; i<n; i++){
    REPORT_ARGS g = { .period = RP_MONTH, .date = month };
    REPORT_RESULT *r;
    OK(report_run(&dbt_op, all[i], &g, &r));
    assert_true(r->nrow > 0);
    STRING s;
    string_init(&s);
    OK(report_csv(r, &s));
    assert_true(s.len > 3 && memcmp(s.buf, "\xEF\xBB\xBF", 3)==0);
    string_clear(&s);
    OK(report_xlsx(r, &s));
    assert_true(s.len > 100 && memcmp(s.buf, "PK", 2)==0);
    string_clear(&s);
    OK(report_pdf(&dbt_op, r, &s));
    assert_true(s.len > 1000 && memcmp(s.buf, "%PDF", 4)==0);
    string_clear(&s);
    OK(report_svg(r, &s));
    assert_true(r->chart==NULL || (s.len > 0 && strstr(s.buf, "<svg")));
    string_clear(&s);
  }
  /* 车辆运行月报's total mileage is SUM over the counted revisions */
  REPORT_DEF *d;
  OK(report_find(&dbt_op, "vehicle_month", &d));
  REPORT_ARGS g = { .period = RP_MONTH, .date = month };
  REPORT_RESULT *r;
  OK(report_run(&dbt_op, d, &g, &r));
  assert_string_equal(r->cols[2].label, "行驶里程（km）");
  assert_string_equal(r->totals[2], text_of("SELECT SUM(t.mileage) FROM entry e JOIN form f ON f.id = e.form_id AND f.code = 'vehicle_daily'"
    " JOIN f_vehicle_daily_r t ON t.entry_id = e.id WHERE e.counted = 1 AND DATE_FORMAT(e.period_start, '%Y-%m-01') = ?", month));
  (void)state;
}

static void the_scope_of_the_user_who_runs_it(void **state){
  REPORT_DEF *d;
  OK(report_find(&dbt_op, "dispatch_daily", &d));
  REPORT_ARGS g = { .period = RP_MONTH, .date = month };
  REPORT_RESULT *r;
  CTX clerk = dbt_user("cd01_clerk");         /* 客运一班 only */
  OK(report_run(&clerk, d, &g, &r));
  assert_int_equal(r->nrow, 1);
  assert_string_equal(r->cells[0][0], "客运一班");
  CTX head = dbt_user("cd_head");             /* the motor pool and its teams */
  OK(report_run(&head, d, &g, &r));
  assert_int_equal(r->nrow, 3);
  /* a unit beyond reach is refused, not emptied */
  g.unit_id = dbt_count("SELECT id FROM org_unit WHERE code = '10003001'", NULL);
  NEOERR *err = report_run(&head, d, &g, &r);
  assert_non_null(err);
  assert_string_equal(err_key(err), "report_bad_unit");
  nerr_ignore(&err);
  /* within reach: that unit and below */
  g.unit_id = dbt_count("SELECT id FROM org_unit WHERE code = '10002002'", NULL);
  OK(report_run(&head, d, &g, &r));
  assert_int_equal(r->nrow, 1);
  assert_string_equal(r->cells[0][0], "客运二班");
  (void)state;
}

static void saved_reports_run_by_the_roles_chosen(void **state){
  CTX clerk = dbt_user("cd01_clerk"), head = dbt_user("cd_head"), leader = dbt_user("leader");
  REPORT_DEF *d = parse_ok("Code = custom\nName = 测试保存\nForm = vehicle_daily\nGroup {\n  g {\n    By = unit\n  }\n}\n"
                           "Measures {\n  m1 {\n    Fn = sum\n    Field = mileage\n  }\n}\nRoles = head\n");
  REPORT_ERR e;
  int ok;
  const char *msg;
  OK(report_check(&clerk, d, &e, &ok));
  assert_true(ok);
  OK(report_save(&clerk, d, &msg));
  assert_null(msg);
  assert_true(d->id > 0);
  const char *code = arena_printf(dbt_arena, "u%lld", d->id);
  REPORT_DEF *h, *l, *c;
  OK(report_find(&head, code, &h));
  OK(report_find(&leader, code, &l));
  OK(report_find(&clerk, code, &c));
  assert_non_null(h);
  assert_null(l);
  assert_non_null(c);
  REPORT_ARGS g = { .period = RP_MONTH, .date = month };
  REPORT_RESULT *r;
  OK(report_run(&head, h, &g, &r));
  assert_int_equal(r->nrow, 3);
  OK(report_run(&clerk, c, &g, &r));
  assert_int_equal(r->nrow, 1);
  /* only the owner deletes */
  OK(report_delete(&head, d->id, &msg));
  assert_non_null(msg);
  OK(report_delete(&clerk, d->id, &msg));
  assert_null(msg);
  OK(report_find(&clerk, code, &c));
  assert_null(c);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM audit_log WHERE object = ? AND action IN ('report.save', 'report.delete')",
                             arena_printf(dbt_arena, "report:%lld", d->id)), 2);
  (void)state;
}

/* A4 portrait for a narrow table, landscape for a wide one */
static void pdf_orientation_follows_the_width(void **state){
  STRING s;
  REPORT_RESULT *r;
  REPORT_ARGS g = { .period = RP_MONTH, .date = month };
  REPORT_DEF *narrow;
  OK(report_find(&dbt_op, "dispatch_daily", &narrow));
  OK(report_run(&dbt_op, narrow, &g, &r));
  string_init(&s);
  OK(report_pdf(&dbt_op, r, &s));
  assert_non_null(memmem(s.buf, (size_t)s.len, "MediaBox [ 0 0 595.276 841.89", 29));
  string_clear(&s);
  REPORT_DEF *wide = parse_ok("Code = wide\nName = 宽表测试\nForm = vehicle_daily\nGroup {\n  v {\n    By = field\n    Field = vehicle\n  }\n"
    "  t {\n    By = field\n    Field = task\n  }\n}\nMeasures {\n  a {\n    Fn = count\n  }\n  b {\n    Fn = sum\n    Field = mileage\n  }\n"
    "  c {\n    Fn = avg\n    Field = mileage\n  }\n  d {\n    Fn = min\n    Field = mileage\n  }\n  e {\n    Fn = max\n    Field = mileage\n  }\n"
    "  f {\n    Fn = sum\n    Field = fuel\n  }\n  g {\n    Fn = avg\n    Field = fuel\n  }\n  h {\n    Fn = sum\n    Field = passengers\n  }\n"
    "  i {\n    Fn = avg\n    Field = passengers\n  }\n  j {\n    Fn = sum\n    Field = tons\n  }\n  k {\n    Fn = avg\n    Field = tons\n  }\n}\n");
  REPORT_ERR e;
  int ok;
  OK(report_check(&dbt_op, wide, &e, &ok));
  assert_true(ok);
  OK(report_run(&dbt_op, wide, &g, &r));
  string_init(&s);
  OK(report_pdf(&dbt_op, r, &s));
  assert_non_null(memmem(s.buf, (size_t)s.len, "MediaBox [ 0 0 841.89", 21));
  string_clear(&s);
  (void)state;
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(definitions_are_checked),
    cmocka_unit_test(builtins_run_and_render_without_a_request),
    cmocka_unit_test(the_scope_of_the_user_who_runs_it),
    cmocka_unit_test(saved_reports_run_by_the_roles_chosen),
    cmocka_unit_test(pdf_orientation_follows_the_width),
  };
  /* the month before the demo's last approved day */
  static char m[16];
  if( dbt_open(NULL) ) return 1;
  snprintf(m, sizeof m, "%s", text_of("SELECT DATE_FORMAT(DATE_SUB(MAX(period_start), INTERVAL 10 DAY), '%Y-%m-01') FROM entry"
                                      " WHERE counted = 1 AND org_unit_id IN (SELECT id FROM org_unit WHERE code LIKE '1000%')", NULL));
  dbt_close(NULL);
  month = m;
  return cmocka_run_group_tests(tests, setup, teardown);
}
