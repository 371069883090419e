/*
** test_entry.c -- forms and sheets (dom/form.c, dom/entry.c) against the
** test instance's MariaDB, as real accounts: a test form with every field
** type is applied through form_apply on the owner connection; then every
** type and rule, each refusal with its message key, exact numbers (0.1 +
** 0.2, 9999999.99), the cut-off at 23:59 and 00:01 in Asia/Shanghai while
** this process runs in UTC, closed and reopened periods, one-time tokens,
** edit conflicts, scope (IDOR by ids), the audit record of each save, the
** previous approved reading, and an additive definition change with the
** data of earlier sheets intact (and a type change refused).
*/
#include "dbtest.h"
#include "dbowner.h"
#include "entry.h"
#include "form.h"
#include "org.h"
#include "acct.h"
#include "q_org.h"

static DB *OWN;
static HDF *OCONF;
static CTX owner;
static DAYCAL CAL;
static const FORM *F;
static const char *CODE;           /* the test form's code */

static long long unit_id(const char *code){
  long long id; int found;
  OK(q_unit_id_by_code(dbt_db, code, &id, &found));
  return found ? id : 0;
}

static long long make_user(const char *login, const char *unit, const char *role, const char *scope){
  const char *msg;
  long long id;
  char code[16], tok[TOKEN_LEN + 1];
  OK(org_user_create(&dbt_op, login, "测试录入", unit_id(unit), NULL, role, scope, &id, code, &msg));
  assert_null(msg);
  OK(acct_activate(&dbt_op, login, code, "Ceshi-Mima-2026!", "Ceshi-Mima-2026!", &msg, tok));
  assert_null(msg);
  return id;
}

static const char *def_v1(void){
  return arena_printf(dbt_arena,
    "Code = %s\nName = 测试表单\nVersion = 1\nPeriod = day\nUnits = %s, %s\n"
    "Window {\n  Cutoff = 0\n  Closes = 2d\n}\n"
    "Header {\n"
    "  who {\n    Type = text\n    Label = 填报人\n    Required = 1\n    MaxLen = 10\n  }\n"
    "  note {\n    Type = textarea\n    Label = 说明\n  }\n"
    "  on_date {\n    Type = date\n    Label = 日期\n  }\n"
    "  total {\n    Type = computed\n    Label = 合计\n    Expr = sum(amount)\n    Precision = 14\n    Scale = 2\n  }\n"
    "  gone {\n    Type = text\n    Label = 将删除\n  }\n"
    "}\n"
    "Rows {\n  MinRows = 1\n  MaxRows = 5\n"
    "  code {\n    Type = text\n    Label = 编号\n    Pattern = ^[A-Z]+[0-9]*$\n  }\n"
    "  qty {\n    Type = integer\n    Label = 数量\n    Min = 0\n    Max = 100\n    Required = 1\n  }\n"
    "  amount {\n    Type = decimal\n    Label = 金额\n    Precision = 10\n    Scale = 2\n  }\n"
    "  kind {\n    Type = select\n    Label = 类别\n    Options = 甲, 乙\n  }\n"
    "  veh {\n    Type = lookup\n    Label = 车辆\n    Lookup = base:vehicle\n  }\n"
    "  myveh {\n    Type = lookup\n    Label = 本单位车辆\n    Lookup = base:vehicle\n    Own = 1\n  }\n"
    "  unit_ref {\n    Type = lookup\n    Label = 单位\n    Lookup = org\n  }\n"
    "  t1 {\n    Type = time\n    Label = 开始\n  }\n"
    "  t2 {\n    Type = time\n    Label = 结束\n  }\n"
    "  price {\n    Type = computed\n    Label = 单价\n    Expr = amount / qty\n    Precision = 10\n    Scale = 2\n  }\n"
    "  reading {\n    Type = decimal\n    Label = 读数\n    Precision = 12\n    Scale = 2\n  }\n"
    "  used {\n    Type = computed\n    Label = 用量\n    Expr = reading - prev(reading, code)\n    Precision = 12\n    Scale = 2\n  }\n"
    "}\n"
    "Rules {\n  t_order {\n    Check = t2 >= t1\n    Message = 结束时间不能早于开始时间。\n    Field = t2\n  }\n}\n"
    /* one approval step (flow.c): the dispatch centre's, as entry_decide() below acts */
    "Approval {\n  Steps {\n    centre {\n      Role = dispatcher\n      At = %s\n    }\n  }\n}\n",
    CODE, U("A1"), U("B"), U("A"));
}

static int apply_text(const char *text, FDEF_ERRS *errs){
  FORM *f;
  FORM_APPLIED res;
  int ok = 0;
  memset(errs, 0, sizeof *errs);
  if( fdef_parse(dbt_arena, arena_printf(dbt_arena, "tests/%s.hdf", CODE), text, &f, errs) ) return 0;
  OK(form_apply(&owner, dbt_conf, &f, 1, 0, &res, errs, &ok));
  return ok;
}

/* when the form went live (the owner account: form is read-only to the application) */
static void live_since(const char *utc){
  NEOERR *err = db_exec(OWN, "UPDATE form SET created_at = ? WHERE code = ?", "ss", utc, CODE);
  if( err ){ nerr_log_error(err); nerr_ignore(&err); abort(); }
}

static int setup(void **state){
  if( dbt_open(state) ) return -1;
  OWN = dbo_open(1, dbt_arena, &OCONF);
  ctx_operator(&owner, OWN, dbt_arena, dbt_conf, "dbtest");
  setenv("TZ", "UTC", 1);           /* the server's clock zone is not the company's */
  tzset();
  NEOERR *err = entry_cal(&dbt_op, &CAL);
  if( err ){ nerr_ignore(&err); return -1; }
  CODE = arena_printf(dbt_arena, "t%s", dbt_uniq);
  /* units: A with team A1, and B */
  const char *msg;
  long long root = unit_id(conf_str(dbt_conf, "Site.CompanyCode", "HQ")), a, x;
  OK(org_unit_create(&dbt_op, U("A"), "表单测试甲部", root, "dept", 1, &a, &msg));
  OK(org_unit_create(&dbt_op, U("A1"), "表单测试甲一班", a, "team", 1, &x, &msg));
  OK(org_unit_create(&dbt_op, U("B"), "表单测试乙部", root, "dept", 2, &x, &msg));
  make_user(U("ca"), U("A1"), "clerk", "unit");
  make_user(U("cb"), U("B"), "clerk", "unit");
  make_user(U("ha"), U("A"), "head", "subtree");
  make_user(U("dd"), U("A"), "dispatcher", "all");
  FDEF_ERRS errs;
  int ok = apply_text(def_v1(), &errs);
  for(int i=0; i<errs.n; i++) fprintf(stderr, "%s:%d %s %s %s\n", errs.e[i].file, errs.e[i].line, errs.e[i].field, errs.e[i].key, errs.e[i].arg);
  if( !ok ) return -1;
  /* in use long before the instants the tests pretend (history: its own test) */
  live_since("2020-01-01 00:00:00");
  err = form_get(&dbt_op, CODE, &F);
  if( err || F==NULL ){ nerr_ignore(&err); return -1; }
  return 0;
}

static int teardown(void **state){
  db_close(OWN);
  hdf_destroy(&OCONF);
  return dbt_close(state);
}

/* ---- helpers ---- */

static const char *key_of(int y, int m, int d){
  return arena_printf(dbt_arena, "%04d-%02d-%02d", y, m, d);
}
/* an instant in the company's zone */
static time_t at(int y, int m, int d, int hh, int mm){
  return day_utc(&CAL, day_num(y, m, d), hh*3600L + mm*60L);
}

static int fidx(int part, const char *code){
  const FFIELD *f = fdef_field(F, code);
  assert_non_null(f);
  assert_int_equal(f->part, part);
  return f->idx;
}
#define H(s, code, v) entry_set(s, dbt_arena, -1, fidx(FP_HEADER, code), v)
#define R(s, r, code, v) entry_set(s, dbt_arena, r, fidx(FP_ROW, code), v)
#define HC(s, code) (&(s)->h[fidx(FP_HEADER, code)])
#define RC(s, r, code) (&(s)->rows[r].c[fidx(FP_ROW, code)])

static const char *tok(void){
  static int n;
  return arena_printf(dbt_arena, "tok%s%dxxxxxxxxxxxxxxx%d", dbt_uniq, ++n, getpid());
}

static SHEET *blank(CTX *c, const char *unit, const char *key){
  SHEET *s = arena_alloc(dbt_arena, sizeof *s);
  const char *msg;
  OK(entry_new(c, CODE, unit_id(unit), key, s, &msg));
  if( msg ) fail_msg("entry_new: %s", msg);
  return s;
}

static void good_row(SHEET *s, int r){
  R(s, r, "code", "AB1"); R(s, r, "qty", "3"); R(s, r, "amount", "0.10"); R(s, r, "kind", "甲");
  R(s, r, "t1", "08:00"); R(s, r, "t2", "09:30");
}

static long long audits_of(long long entry){
  return dbt_count("SELECT COUNT(*) FROM audit_log WHERE object = ?", arena_printf(dbt_arena, "entry:%lld", entry));
}

/* ---- tests ---- */

static void every_type_and_rule(void **state){
  CTX c = dbt_user(U("ca"));
  c.now = at(2026, 3, 10, 12, 0);
  SHEET *s = blank(&c, U("A1"), key_of(2026, 3, 10));
  entry_rows(s, dbt_arena, 4);
  H(s, "note", "第一行\n第二行");
  H(s, "on_date", "2026年3月5日");
  R(s, 0, "code", "AB12"); R(s, 0, "qty", "１２"); R(s, 0, "amount", "1,234.5"); R(s, 0, "kind", "乙");
  R(s, 0, "veh", "CL002 轿车02"); R(s, 0, "unit_ref", U("B")); R(s, 0, "t1", "8:30"); R(s, 0, "t2", "9点");
  R(s, 0, "price", "999");               /* typed into a computed cell: ignored */
  R(s, 1, "code", "ab-1"); R(s, 1, "qty", "101"); R(s, 1, "amount", "12.345"); R(s, 1, "kind", "丙");
  R(s, 1, "veh", "NOPE9"); R(s, 1, "myveh", "CL001"); R(s, 1, "t1", "25:00");
  R(s, 2, "qty", "abc"); R(s, 2, "amount", "1e3"); R(s, 2, "veh", "CL024"); R(s, 2, "t1", "10:00"); R(s, 2, "t2", "09:00");
  /* row 3 stays empty: ignored */
  OK(entry_check(&c, s, 1));
  assert_string_equal(HC(s, "who")->err, "val.required");
  assert_string_equal(HC(s, "note")->val, "第一行\n第二行");
  assert_string_equal(HC(s, "on_date")->val, "2026-03-05");
  assert_null(RC(s, 0, "qty")->err);
  assert_string_equal(RC(s, 0, "qty")->val, "12");
  assert_string_equal(RC(s, 0, "amount")->val, "1234.50");
  assert_string_equal(RC(s, 0, "t1")->val, "08:30");
  assert_string_equal(RC(s, 0, "t2")->val, "09:00");
  assert_string_equal(RC(s, 0, "veh")->raw, "CL002");
  assert_true(atoll(RC(s, 0, "veh")->val)>0);
  assert_true(atoll(RC(s, 0, "unit_ref")->val)==unit_id(U("B")));
  assert_string_equal(RC(s, 0, "price")->val, "102.88");   /* 1234.50 / 12 = 102.875 -> half up */
  assert_string_equal(RC(s, 1, "code")->err, "entry.pattern");
  assert_string_equal(RC(s, 1, "qty")->err, "entry.max");
  assert_string_equal(RC(s, 1, "qty")->arg, "100");
  assert_string_equal(RC(s, 1, "amount")->err, "val.frac.2");
  assert_string_equal(RC(s, 1, "kind")->err, "entry.option");
  assert_string_equal(RC(s, 1, "veh")->err, "entry.lookup_unknown");
  assert_string_equal(RC(s, 1, "myveh")->err, "entry.lookup_own");
  assert_string_equal(RC(s, 1, "t1")->err, "val.time_bad");
  assert_string_equal(RC(s, 2, "qty")->err, "val.int");
  assert_string_equal(RC(s, 2, "amount")->err, "val.exponent");
  assert_string_equal(RC(s, 2, "veh")->err, "entry.lookup_inactive");
  assert_true(RC(s, 2, "t2")->literal);
  assert_string_equal(RC(s, 2, "t2")->err, "结束时间不能早于开始时间。");
  assert_null(RC(s, 3, "qty")->err);     /* an empty row is not checked */
  assert_int_equal(s->nerr, 12);
  /* a draft is not held to required fields and rules, but to types */
  OK(entry_check(&c, s, 0));
  assert_null(HC(s, "who")->err);
  assert_null(RC(s, 2, "t2")->err);
  assert_string_equal(RC(s, 2, "qty")->err, "val.int");
  /* a sheet with errors is refused and nothing is written */
  const char *msg;
  int dup;
  long long entries = dbt_count("SELECT COUNT(*) FROM entry", NULL);
  OK(entry_save(&c, s, 1, tok(), &msg, &dup));
  assert_string_equal(msg, "entry.has_errors");
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM entry", NULL), entries);
  /* MinRows: an all-empty sheet cannot be submitted */
  SHEET *e = blank(&c, U("A1"), key_of(2026, 3, 10));
  H(e, "who", "张三");
  OK(entry_check(&c, e, 1));
  assert_string_equal(e->msg, "entry.min_rows");
}

static void exact_totals_and_save_with_audit(void **state){
  CTX c = dbt_user(U("ca"));
  c.now = at(2026, 3, 11, 12, 0);
  SHEET *s = blank(&c, U("A1"), key_of(2026, 3, 11));
  entry_rows(s, dbt_arena, 3);
  H(s, "who", "张三"); H(s, "gone", "旧字段的值");
  good_row(s, 0);
  good_row(s, 1); R(s, 1, "amount", "0.2"); R(s, 1, "code", "CD2");
  good_row(s, 2); R(s, 2, "amount", "9999999.99"); R(s, 2, "qty", "7"); R(s, 2, "code", "EF3");
  const char *msg;
  int dup;
  OK(entry_save(&c, s, 0, tok(), &msg, &dup));
  assert_null(msg);
  assert_true(s->e.id>0);
  assert_string_equal(s->e.status, "draft");
  long long id = s->e.id;
  assert_int_equal(audits_of(id), 1);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM audit_log WHERE object = ? AND action = 'entry.create'"
                             " AND detail LIKE '%\"row\":3,\"field\":\"amount\",\"old\":null,\"new\":\"9999999.99\"%'",
                             arena_printf(dbt_arena, "entry:%lld", id)), 1);
  /* stored: DECIMAL columns with the exact values and the computed ones */
  const char *sql = arena_printf(dbt_arena, "SELECT COUNT(*) FROM f_%s WHERE entry_id = %lld AND total = 10000000.29", CODE, id);
  assert_int_equal(dbt_count(sql, NULL), 1);
  sql = arena_printf(dbt_arena, "SELECT COUNT(*) FROM f_%s_r WHERE entry_id = %lld AND line = 3 AND price = 1428571.43", CODE, id);
  assert_int_equal(dbt_count(sql, NULL), 1);
  sql = arena_printf(dbt_arena, "SELECT SUM(amount) * 100 FROM f_%s_r WHERE entry_id = %lld", CODE, id);
  assert_int_equal(dbt_count(sql, NULL), 1000000029LL);

  /* edit: change a value in row 2, drop row 1, add a row; ids of kept rows stay */
  SHEET *e = arena_alloc(dbt_arena, sizeof *e);
  OK(entry_load(&c, id, CAP_ENTRY, e));
  assert_int_equal(e->nrows, 3);
  assert_string_equal(RC(e, 0, "amount")->raw, "0.10");
  assert_string_equal(RC(e, 0, "t1")->raw, "08:00");
  assert_string_equal(HC(e, "total")->raw, "10000000.29");
  long long kept = e->rows[1].id;
  R(e, 1, "qty", "4");
  entry_drop_row(e, 0);
  entry_add_rows(e, dbt_arena, 1);
  good_row(e, 2); R(e, 2, "code", "GH4");
  OK(entry_save(&c, e, 1, tok(), &msg, &dup));
  assert_null(msg);
  assert_string_equal(e->e.status, "submitted");
  assert_int_equal(audits_of(id), 2);
  const char *obj = arena_printf(dbt_arena, "entry:%lld", id);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM audit_log WHERE object = ? AND action = 'entry.submit'"
    " AND detail LIKE '%\"row\":1,\"field\":\"qty\",\"old\":\"3\",\"new\":\"4\"%'"
    " AND detail LIKE '%\"removed_row\":1%' AND detail LIKE '%\"row\":3,\"field\":\"code\",\"old\":null,\"new\":\"GH4\"%'", obj), 1);
  sql = arena_printf(dbt_arena, "SELECT line FROM f_%s_r WHERE id = %lld", CODE, kept);
  assert_int_equal(dbt_count(sql, NULL), 1);
  assert_int_equal(dbt_count("SELECT nrows FROM entry WHERE id = ?", arena_printf(dbt_arena, "%lld", id)), 3);
  /* a submitted sheet is not editable */
  SHEET *again = arena_alloc(dbt_arena, sizeof *again);
  OK(entry_load(&c, id, CAP_ENTRY, again));
  assert_false(again->editable);
  OK(entry_save(&c, again, 0, tok(), &msg, &dup));
  assert_string_equal(msg, "entry.not_editable");
}

static void cutoff_in_company_time(void **state){
  /* the process started in UTC (setup: TZ=UTC); day.c reads the company's
  ** zone from Site.TimeZone itself.  Cutoff = 0: due by 24:00 Shanghai time */
  CTX c = dbt_user(U("ca"));
  const char *msg;
  int dup;
  c.now = at(2026, 3, 12, 23, 59);       /* 15:59 UTC */
  assert_int_equal(c.now % 86400, 15*3600 + 59*60);
  SHEET *s = blank(&c, U("A1"), key_of(2026, 3, 12));
  H(s, "who", "李四");
  good_row(s, 0);
  OK(entry_save(&c, s, 1, tok(), &msg, &dup));
  assert_null(msg);
  assert_int_equal(s->e.late, 0);
  assert_int_equal(dbt_count("SELECT late FROM entry WHERE id = ?", arena_printf(dbt_arena, "%lld", s->e.id)), 0);
  c.now = at(2026, 3, 14, 0, 1);         /* 16:01 UTC the day before: 00:01 after the 13th */
  s = blank(&c, U("A1"), key_of(2026, 3, 13));
  H(s, "who", "李四");
  good_row(s, 0);
  OK(entry_save(&c, s, 1, tok(), &msg, &dup));
  assert_null(msg);
  assert_int_equal(s->e.late, 1);
  assert_int_equal(dbt_count("SELECT late FROM entry WHERE id = ?", arena_printf(dbt_arena, "%lld", s->e.id)), 1);
  /* not open yet, and closed after two days */
  SHEET t;
  OK(entry_new(&c, CODE, unit_id(U("A1")), key_of(2026, 3, 15), &t, &msg));
  assert_string_equal(msg, "entry.not_open");
  OK(entry_new(&c, CODE, unit_id(U("A1")), key_of(2026, 3, 11), &t, &msg));
  assert_string_equal(msg, "entry.exists");
  OK(entry_new(&c, CODE, unit_id(U("A1")), key_of(2026, 3, 9), &t, &msg));
  assert_string_equal(msg, "entry.closed");
  /* a dispatcher reopens the 9th for A1 with a reason */
  CTX d = dbt_user(U("dd"));
  d.now = c.now;
  OK(entry_reopen(&d, CODE, unit_id(U("A1")), key_of(2026, 3, 9), "", &msg));
  assert_string_equal(msg, "entry.reason");
  OK(entry_reopen(&d, CODE, unit_id(U("A1")), key_of(2026, 3, 12), "补录", &msg));
  assert_string_equal(msg, "entry.not_closed");
  /* (the reopening lasts Entry.ReopenHours from the database's clock) */
  const char *why = arena_printf(dbt_arena, "系统故障，补录 %s", dbt_uniq);
  OK(entry_reopen(&d, CODE, unit_id(U("A1")), key_of(2026, 3, 9), why, &msg));
  assert_null(msg);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM audit_log WHERE action = 'entry.reopen' AND detail LIKE ?",
                             arena_printf(dbt_arena, "%%%s%%", why)), 1);
  OK(entry_new(&c, CODE, unit_id(U("A1")), key_of(2026, 3, 9), &t, &msg));
  assert_null(msg);
  assert_true(t.reopened);
  /* a clerk cannot reopen */
  NEOERR *err = entry_reopen(&c, CODE, unit_id(U("A1")), key_of(2026, 3, 9), "x", &msg);
  assert_int_equal(err_status(err), 403);
  nerr_ignore(&err);
}

static void history_before_go_live(void **state){
  /* live since 1 April 2026 00:00 Shanghai: on the 2nd, a backlog for
  ** 5 March (closed after two days otherwise) is open and never late;
  ** 1 April itself, past its cut-off, is late as always */
  char buf[DAY_KEYSZ];
  live_since(day_utc_text(at(2026, 4, 1, 0, 0), buf));
  CTX c = dbt_user(U("ca"));
  c.now = at(2026, 4, 2, 10, 0);
  const char *msg;
  int dup;
  SHEET *s = blank(&c, U("A1"), key_of(2026, 3, 5));
  assert_true(s->history);
  assert_int_equal(s->state, FW_OPEN);
  H(s, "who", "补录员");
  good_row(s, 0);
  OK(entry_save(&c, s, 1, tok(), &msg, &dup));
  assert_null(msg);
  assert_int_equal(dbt_count("SELECT late FROM entry WHERE id = ?", arena_printf(dbt_arena, "%lld", s->e.id)), 0);
  s = blank(&c, U("A1"), key_of(2026, 4, 1));
  assert_false(s->history);
  H(s, "who", "补录员");
  good_row(s, 0);
  OK(entry_save(&c, s, 1, tok(), &msg, &dup));
  assert_null(msg);
  assert_int_equal(dbt_count("SELECT late FROM entry WHERE id = ?", arena_printf(dbt_arena, "%lld", s->e.id)), 1);
  /* before going live, the rules are the window's: 20 March seen on the 31st is closed */
  c.now = at(2026, 3, 31, 10, 0);
  SHEET t;
  OK(entry_new(&c, CODE, unit_id(U("A1")), key_of(2026, 3, 19), &t, &msg));
  assert_string_equal(msg, "entry.closed");
  live_since("2020-01-01 00:00:00");
}

static void one_time_tokens_and_conflicts(void **state){
  CTX c = dbt_user(U("ca"));
  c.now = at(2026, 3, 16, 10, 0);
  const char *msg, *t = tok();
  int dup;
  SHEET *s = blank(&c, U("A1"), key_of(2026, 3, 16));
  H(s, "who", "王五");
  good_row(s, 0);
  OK(entry_save(&c, s, 0, t, &msg, &dup));
  assert_null(msg);
  long long id = s->e.id;
  /* the same POST again: nothing done, the first one's sheet named */
  s->e.id = 0;
  OK(entry_save(&c, s, 0, t, &msg, &dup));
  assert_int_equal(dup, 1);
  assert_int_equal(s->e.id, id);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM entry WHERE form_id = ? AND period_key = '2026-03-16'",
                             arena_printf(dbt_arena, "%lld", F->id)), 1);
  /* two people open the draft; the second save meets the first's */
  SHEET *a = arena_alloc(dbt_arena, sizeof *a), *b = arena_alloc(dbt_arena, sizeof *b);
  OK(entry_load(&c, id, CAP_ENTRY, a));
  OK(entry_load(&c, id, CAP_ENTRY, b));
  H(a, "who", "甲改");
  H(b, "who", "乙改");
  const char *ta = tok();
  long long records = dbt_count("SELECT COUNT(*) FROM audit_log", NULL);
  OK(entry_save(&c, a, 0, ta, &msg, &dup));
  assert_null(msg);
  assert_int_equal(dup, 0);
  /* the same save resent (its version now stale): the first one's result,
  ** not a conflict -- the token is written last, and a refusal asks for it */
  SHEET *a2 = arena_alloc(dbt_arena, sizeof *a2);
  OK(entry_load(&c, id, CAP_ENTRY, a2));
  a2->e.version = a->e.version - 1;
  H(a2, "who", "甲改");
  OK(entry_save(&c, a2, 0, ta, &msg, &dup));
  assert_null(msg);
  assert_int_equal(dup, 1);
  assert_int_equal(a2->e.id, id);
  assert_string_equal(a2->e.status, "draft");
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM audit_log", NULL), records + 1);
  OK(entry_save(&c, b, 0, tok(), &msg, &dup));
  assert_string_equal(msg, "entry.conflict");
  assert_string_equal(HC(b, "who")->raw, "乙改");      /* their values stay on the sheet */
  const char *q = arena_printf(dbt_arena, "SELECT COUNT(*) FROM f_%s WHERE entry_id = %lld AND who = '甲改'", CODE, id);
  assert_int_equal(dbt_count(q, NULL), 1);
  /* a new sheet for a period that has one already (another tab): refused, named */
  SHEET *n = arena_alloc(dbt_arena, sizeof *n);
  *n = *s;
  n->e.id = 0;
  OK(entry_save(&c, n, 0, tok(), &msg, &dup));
  assert_string_equal(msg, "entry.exists");
  assert_int_equal(n->other_id, id);
}

static void scope_by_id(void **state){
  CTX ca = dbt_user(U("ca")), cb = dbt_user(U("cb")), ha = dbt_user(U("ha"));
  ca.now = cb.now = ha.now = at(2026, 3, 18, 10, 0);
  const char *msg;
  int dup;
  SHEET *s = blank(&ca, U("A1"), key_of(2026, 3, 18));
  H(s, "who", "赵六");
  good_row(s, 0);
  OK(entry_save(&ca, s, 0, tok(), &msg, &dup));
  long long id = s->e.id;
  SHEET x;
  /* the clerk of B: neither reads nor writes A1's sheet, nor starts one for A1 */
  NEOERR *err = entry_load(&cb, id, ENTRY_READ, &x);
  assert_int_equal(err_status(err), 403);
  nerr_ignore(&err);
  err = entry_new(&cb, CODE, unit_id(U("A1")), key_of(2026, 3, 18), &x, &msg);
  assert_int_equal(err_status(err), 403);
  nerr_ignore(&err);
  s->e.version = 2;
  err = entry_save(&cb, s, 0, tok(), &msg, &dup);
  assert_int_equal(err_status(err), 403);
  nerr_ignore(&err);
  /* ... nor smuggles one of A1's rows into a sheet of B */
  SHEET *b = blank(&cb, U("B"), key_of(2026, 3, 18));
  H(b, "who", "钱七");
  good_row(b, 0);
  b->rows[0].id = s->rows[0].id ? s->rows[0].id : 1;
  err = entry_save(&cb, b, 0, tok(), &msg, &dup);  /* a new sheet with a row id: refused, nothing made */
  assert_int_equal(err_status(err), 400);
  nerr_ignore(&err);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM entry e JOIN org_unit o ON o.id = e.org_unit_id"
                             " WHERE o.code = ? AND e.period_key = '2026-03-18'", U("B")), 0);
  b->rows[0].id = 0;
  b->e.id = 0;
  OK(entry_save(&cb, b, 0, tok(), &msg, &dup));
  assert_null(msg);
  SHEET *bb = arena_alloc(dbt_arena, sizeof *bb);
  OK(entry_load(&cb, b->e.id, CAP_ENTRY, bb));
  SHEET *sa = arena_alloc(dbt_arena, sizeof *sa);
  OK(entry_load(&ca, id, CAP_ENTRY, sa));
  bb->rows[0].id = sa->rows[0].id;                /* ... an edit with another sheet's row id is refused */
  err = entry_save(&cb, bb, 0, tok(), &msg, &dup);
  assert_int_equal(err_status(err), 400);
  nerr_ignore(&err);
  /* the head of A reads A1's sheet (subtree) but does not write */
  OK(entry_load(&ha, id, ENTRY_READ, &x));
  err = entry_load(&ha, id, CAP_ENTRY, &x);
  assert_int_equal(err_status(err), 403);
  nerr_ignore(&err);
  err = entry_load(&ha, b->e.id, ENTRY_READ, &x);
  assert_int_equal(err_status(err), 403);
  nerr_ignore(&err);
}

static void previous_approved_reading(void **state){
  CTX c = dbt_user(U("cb")), h = dbt_user(U("dd"));
  c.now = h.now = at(2026, 3, 20, 10, 0);
  const char *msg;
  int dup;
  SHEET *s = blank(&c, U("B"), key_of(2026, 3, 19));
  H(s, "who", "抄表员");
  good_row(s, 0); R(s, 0, "code", "M1"); R(s, 0, "reading", "1000.50");
  OK(entry_save(&c, s, 1, tok(), &msg, &dup));
  assert_null(msg);
  assert_string_equal(RC(s, 0, "used")->val, "");      /* nothing approved before */
  SHEET *t = blank(&c, U("B"), key_of(2026, 3, 20));
  H(t, "who", "抄表员");
  good_row(t, 0); R(t, 0, "code", "M1"); R(t, 0, "reading", "1010.25");
  OK(entry_check(&c, t, 1));
  assert_string_equal(RC(t, 0, "used")->val, "");      /* the 19th is submitted, not approved */
  OK(entry_decide(&h, s->e.id, s->e.version, 1, NULL, &msg));
  assert_null(msg);
  OK(entry_check(&c, t, 1));
  assert_string_equal(RC(t, 0, "used")->val, "9.75");
  /* returning needs a reason */
  OK(entry_decide(&h, s->e.id, s->e.version + 1, 0, "", &msg));
  assert_string_equal(msg, "entry.reason");
}

static void additive_change_keeps_data(void **state){
  CTX c = dbt_user(U("ca"));
  c.now = at(2026, 3, 21, 10, 0);
  const char *msg;
  int dup;
  SHEET *s = blank(&c, U("A1"), key_of(2026, 3, 21));
  H(s, "who", "孙八"); H(s, "gone", "保留的值");
  good_row(s, 0); R(s, 0, "amount", "77.70");
  OK(entry_save(&c, s, 1, tok(), &msg, &dup));
  assert_null(msg);
  long long id = s->e.id;
  /* v2: header field "gone" removed, a row field "extra" added */
  const char *v1 = def_v1();
  char *v2 = arena_strdup(dbt_arena, v1);
  char *g = strstr(v2, "  gone {");
  char *end = strstr(g, "  }\n") + 4;
  memmove(g, end, strlen(end) + 1);
  v2 = (char*)arena_printf(dbt_arena, "%s", v2);
  char *ver = strstr(v2, "Version = 1");
  ver[10] = '2';
  char *rows = strstr(v2, "  code {");
  v2 = arena_printf(dbt_arena, "%.*s  extra {\n    Type = integer\n    Label = 新增\n  }\n%s",
                    (int)(rows - v2), v2, rows);
  FDEF_ERRS errs;
  /* the same text with the version unchanged is refused */
  char *same = arena_strdup(dbt_arena, v2);
  strstr(same, "Version = 2")[10] = '1';
  assert_int_equal(apply_text(same, &errs), 0);
  assert_string_equal(errs.e[0].key, "version_same");
  assert_int_equal(apply_text(v2, &errs), 1);
  const FORM *f2;
  OK(form_get(&dbt_op, CODE, &f2));
  assert_int_equal(f2->version, 2);
  assert_null(fdef_field(f2, "gone"));
  assert_non_null(fdef_field(f2, "extra"));
  /* the old sheet: its data intact, the removed column too, the new one empty */
  const char *q = arena_printf(dbt_arena, "SELECT COUNT(*) FROM f_%s WHERE entry_id = %lld AND gone = '保留的值' AND who = '孙八'", CODE, id);
  assert_int_equal(dbt_count(q, NULL), 1);
  q = arena_printf(dbt_arena, "SELECT COUNT(*) FROM f_%s_r WHERE entry_id = %lld AND extra IS NULL AND amount = 77.70", CODE, id);
  assert_int_equal(dbt_count(q, NULL), 1);
  assert_int_equal(dbt_count("SELECT active FROM form_field WHERE code = 'gone' AND form_id = ?",
                             arena_printf(dbt_arena, "%lld", f2->id)), 0);
  F = f2;
  SHEET *o = arena_alloc(dbt_arena, sizeof *o);
  OK(entry_load(&c, id, ENTRY_READ, o));
  assert_string_equal(RC(o, 0, "amount")->raw, "77.70");
  assert_string_equal(RC(o, 0, "extra")->raw, "");
  /* v3 changes a type: refused, naming the field; nothing applied */
  char *v3 = arena_strdup(dbt_arena, v2);
  strstr(v3, "Version = 2")[10] = '3';
  char *qty = strstr(v3, "Type = integer\n    Label = 数量");
  v3 = arena_printf(dbt_arena, "%.*sType = decimal%s", (int)(qty - v3), v3, qty + strlen("Type = integer"));
  assert_int_equal(apply_text(v3, &errs), 0);
  int seen = 0;
  for(int i=0; i<errs.n; i++) if( !strcmp(errs.e[i].key, "type_changed") && !strcmp(errs.e[i].field, "qty") ) seen = 1;
  assert_true(seen);
  OK(form_get(&dbt_op, CODE, &f2));
  assert_int_equal(f2->version, 2);
  /* the audit trail of the definitions */
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM audit_log WHERE object = ? AND action IN ('form.create','form.change')",
                             arena_printf(dbt_arena, "form:%s", CODE)), 2);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_type_and_rule),
    cmocka_unit_test(exact_totals_and_save_with_audit),
    cmocka_unit_test(cutoff_in_company_time),
    cmocka_unit_test(history_before_go_live),
    cmocka_unit_test(one_time_tokens_and_conflicts),
    cmocka_unit_test(scope_by_id),
    cmocka_unit_test(previous_approved_reading),
    cmocka_unit_test(additive_change_keeps_data),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
