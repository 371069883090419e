/*
** test_track.c -- submission tracking (dom/track.c, sql/q_track.c) against
** the test instance's MariaDB, as real accounts.  A day form with a cut-off
** of 09:00 the next morning and a one-step chain, submitted by four teams
** of one department and one team of another; on one day a unit submits on
** time, one late, one not at all, one is returned, one has a draft.  Then:
** the matrix's cells and counts per unit and per day (and periods not due
** yet, and pending ones); scope (a head sees the department, a dispatcher
** all; a unit filter out of scope is refused); reminders (recipients, the
** audit record, a double click making one, refusals: submitted already,
** not due, a bad period, no right, out of scope); the portal's reminders
** until the sheet is submitted; escalation to the heads (not before its
** time, once per unit, form and period however often it runs).
*/
#include "dbtest.h"
#include "dbowner.h"
#include "entry.h"
#include "flow.h"
#include "form.h"
#include "org.h"
#include "acct.h"
#include "track.h"
#include "q_org.h"

static DB *OWN;
static HDF *OCONF;
static CTX owner;
static DAYCAL CAL;
static const char *CODE;

static long long unit_id(const char *code){
  long long id; int found;
  OK(q_unit_id_by_code(dbt_db, code, &id, &found));
  return found ? id : 0;
}

static long long make_user(const char *login, const char *unit, const char *role, const char *scope){
  const char *msg;
  long long id;
  char code[16], tok[TOKEN_LEN + 1];
  OK(org_user_create(&dbt_op, login, arena_printf(dbt_arena, "跟踪%s", login + strlen(login) - 2), unit_id(unit), NULL,
                     role, scope, &id, code, &msg));
  if( msg ) fail_msg("org_user_create %s: %s", login, msg);
  OK(acct_activate(&dbt_op, login, code, "Ceshi-Mima-2026!", "Ceshi-Mima-2026!", &msg, tok));
  assert_null(msg);
  return id;
}

static int apply_text(const char *code, const char *text){
  FORM *f;
  FORM_APPLIED res;
  FDEF_ERRS errs;
  int ok = 0;
  memset(&errs, 0, sizeof errs);
  if( fdef_parse(dbt_arena, arena_printf(dbt_arena, "tests/%s.hdf", code), text, &f, &errs) ){
    for(int i=0; i<errs.n; i++) fprintf(stderr, "%s:%d %s %s %s\n", errs.e[i].file, errs.e[i].line, errs.e[i].field, errs.e[i].key, errs.e[i].arg);
    return 0;
  }
  OK(form_apply(&owner, dbt_conf, &f, 1, 0, &res, &errs, &ok));
  for(int i=0; i<errs.n; i++) fprintf(stderr, "%s:%d %s %s %s\n", errs.e[i].file, errs.e[i].line, errs.e[i].field, errs.e[i].key, errs.e[i].arg);
  return ok;
}

/* an instant in the company's zone */
static time_t at(int y, int m, int d, int hh, int mm){
  return day_utc(&CAL, day_num(y, m, d), hh*3600L + mm*60L);
}
/* the day after the day tracked, noon: its cut-off (09:00) has passed */
#define NOW at(2026, 6, 11, 12, 0)

static const char *tok(void){
  static int n;
  return arena_printf(dbt_arena, "trk%s%dxxxxxxxxxxxxxxx%d", dbt_uniq, ++n, getpid());
}

static CTX who(const char *base, time_t t){
  CTX c = dbt_user(U(base));
  c.now = t;
  return c;
}

/* a sheet of the unit for a June day, saved (submit 1) or a draft, at t */
static long long save(const char *clerk, const char *unit, int day, int submit, time_t t){
  CTX c = who(clerk, t);
  SHEET *s = arena_alloc(dbt_arena, sizeof *s);
  const char *msg;
  int dup;
  OK(entry_new(&c, CODE, unit_id(U(unit)), arena_printf(dbt_arena, "2026-06-%02d", day), s, &msg));
  if( msg ) fail_msg("entry_new: %s", msg);
  entry_set(s, dbt_arena, -1, 0, "李四");
  OK(entry_save(&c, s, submit, tok(), &msg, &dup));
  if( msg ) fail_msg("entry_save: %s", msg);
  return s->e.id;
}

static long long count(const char *sql, const char *param){ return dbt_count(sql, param); }

static int setup(void **state){
  if( dbt_open(state) ) return -1;
  OWN = dbo_open(1, dbt_arena, &OCONF);
  ctx_operator(&owner, OWN, dbt_arena, dbt_conf, "dbtest");
  setenv("TZ", "UTC", 1);
  tzset();
  NEOERR *err = entry_cal(&dbt_op, &CAL);
  if( err ){ nerr_ignore(&err); return -1; }
  CODE = arena_printf(dbt_arena, "tk%s", dbt_uniq);
  /* HQ: D (teams A1..A4), O (team B1) */
  const char *msg;
  long long root = unit_id(conf_str(dbt_conf, "Site.CompanyCode", "HQ")), d, o, x;
  OK(org_unit_create(&dbt_op, U("KD"), "跟踪测试部", root, "dept", 1, &d, &msg));
  OK(org_unit_create(&dbt_op, U("KA2"), "跟踪测试二班", d, "team", 2, &x, &msg));   /* made first, sorted second */
  OK(org_unit_create(&dbt_op, U("KA1"), "跟踪测试一班", d, "team", 1, &x, &msg));
  OK(org_unit_create(&dbt_op, U("KA3"), "跟踪测试三班", d, "team", 3, &x, &msg));
  OK(org_unit_create(&dbt_op, U("KA4"), "跟踪测试四班", d, "team", 4, &x, &msg));
  OK(org_unit_create(&dbt_op, U("KO"), "跟踪测试其他部", root, "dept", 2, &o, &msg));
  OK(org_unit_create(&dbt_op, U("KB1"), "跟踪测试其他一班", o, "team", 1, &x, &msg));
  make_user(U("c1"), U("KA1"), "clerk", "unit");
  make_user(U("c2"), U("KA2"), "clerk", "unit");
  make_user(U("c3"), U("KA3"), "clerk", "unit");
  make_user(U("c4"), U("KA4"), "clerk", "unit");
  make_user(U("c5"), U("KB1"), "clerk", "unit");
  make_user(U("cd"), U("KD"), "clerk", "subtree");    /* the department's clerk: reminded for its teams too */
  make_user(U("hd"), U("KD"), "head", "subtree");
  make_user(U("ho"), U("KO"), "head", "subtree");
  make_user(U("xx"), U("KO"), "dispatcher", "all");
  make_user(U("xd"), U("KD"), "dispatcher", "subtree");   /* a dispatcher of one department */
  make_user(U("ld"), U("KD"), "leader", "subtree");
  const char *def = arena_printf(dbt_arena,
    "Code = %s\nName = 跟踪测试日报\nVersion = 1\nPeriod = day\nUnits = %s, %s, %s, %s, %s\n"
    "Window {\n  Cutoff = 9h\n}\n"
    "Header {\n  who {\n    Type = text\n    Label = 填报人\n  }\n}\n"
    "Approval {\n  Steps {\n    head {\n      Label = 部门审核\n      Role = head\n      Scope = up\n    }\n  }\n}\n",
    CODE, U("KA1"), U("KA2"), U("KA3"), U("KA4"), U("KB1"));
  if( !apply_text(CODE, def) ) return -1;
  /* live long before the days the tests pretend */
  err = db_exec(OWN, "UPDATE form SET created_at = '2020-01-01 00:00:00' WHERE code = ?", "s", CODE);
  if( err ){ nerr_log_error(err); nerr_ignore(&err); return -1; }
  /* the 10th: A1 on time, A2 late, A3 nothing, A4 returned, B1 a draft */
  save("c1", "KA1", 10, 1, at(2026, 6, 10, 20, 0));
  save("c2", "KA2", 11, 0, at(2026, 6, 11, 8, 0));                 /* the 11th's draft of A2 */
  save("c2", "KA2", 10, 1, at(2026, 6, 11, 10, 0));
  long long r = save("c4", "KA4", 10, 1, at(2026, 6, 10, 18, 0));
  CTX hd = who("hd", at(2026, 6, 11, 8, 30));
  OK(entry_decide(&hd, r, dbt_count("SELECT version FROM entry WHERE id = ?", arena_printf(dbt_arena, "%lld", r)),
                  0, "数字不对", &msg));
  if( msg ) fail_msg("return: %s", msg);
  save("c5", "KB1", 10, 0, at(2026, 6, 10, 21, 0));
  return 0;
}

static int teardown(void **state){
  db_close(OWN);
  hdf_destroy(&OCONF);
  return dbt_close(state);
}

static const TROW *row_of(const TMATRIX *m, const char *code){
  for(int i=0; i<m->nrows; i++) if( strcmp(m->rows[i].u->code, U(code))==0 ) return &m->rows[i];
  return NULL;
}
static int col_of(const TMATRIX *m, const char *key){
  for(int j=0; j<m->nper; j++) if( strcmp(m->keys[j], key)==0 ) return j;
  return -1;
}
static TSTATE cell(const TMATRIX *m, const char *unit, const char *key){
  const TROW *r = row_of(m, unit);
  int j = col_of(m, key);
  if( r==NULL || j<0 ) fail_msg("no cell %s %s", unit, key);
  return r->cells[j].state;
}

static void the_day_with_a_late_a_missing_and_a_returned_unit(void **state){
  (void)state;
  CTX x = who("xx", NOW);
  TMATRIX m;
  const char *msg;
  OK(track_matrix(&x, CODE, "2026-06-10", "2026-06-10", 0, &m, &msg));
  assert_null(msg);
  assert_int_equal(m.nper, 1);
  assert_int_equal(m.nrows, 5);
  /* tree order: the department's teams by their sort number, then the other department's */
  assert_string_equal(m.rows[0].u->code, U("KA1"));
  assert_string_equal(m.rows[1].u->code, U("KA2"));
  assert_string_equal(m.rows[2].u->code, U("KA3"));
  assert_string_equal(m.rows[3].u->code, U("KA4"));
  assert_string_equal(m.rows[4].u->code, U("KB1"));
  assert_int_equal(cell(&m, "KA1", "2026-06-10"), TS_SUBMITTED);
  assert_int_equal(cell(&m, "KA2", "2026-06-10"), TS_LATE);
  assert_int_equal(cell(&m, "KA3", "2026-06-10"), TS_MISSING);
  assert_int_equal(cell(&m, "KA4", "2026-06-10"), TS_RETURNED);
  assert_int_equal(cell(&m, "KB1", "2026-06-10"), TS_DRAFT);
  assert_true(row_of(&m, "KA1")->cells[0].entry_id > 0);
  assert_int_equal(row_of(&m, "KA3")->cells[0].entry_id, 0);
  /* counts per day and in all */
  for(int s=TS_SUBMITTED; s<=TS_MISSING; s++){
    assert_int_equal(m.pcount[0][s], 1);
    assert_int_equal(m.total[s], 1);
  }
  assert_int_equal(m.pcount[0][TS_APPROVED], 0);
  assert_int_equal(m.pcount[0][TS_PENDING], 0);
  assert_string_equal(m.from, "2026-06-10");
  assert_string_equal(m.to, "2026-06-10");
  /* at 08:59 on the 11th nothing was missing yet: A3 was pending */
  CTX early = who("xx", at(2026, 6, 11, 8, 59));
  OK(track_matrix(&early, CODE, "2026-06-10", "2026-06-10", 0, &m, &msg));
  assert_int_equal(cell(&m, "KA3", "2026-06-10"), TS_PENDING);
  assert_int_equal(m.pcount[0][TS_MISSING], 0);
}

static void days_around_it_and_counts_per_unit(void **state){
  (void)state;
  CTX x = who("xx", NOW);
  TMATRIX m;
  const char *msg;
  OK(track_matrix(&x, CODE, "2026-06-09", "2026-06-12", 0, &m, &msg));
  assert_null(msg);
  assert_int_equal(m.nper, 4);
  /* the 9th: nobody (missing); the 11th: before its cut-off (pending, A2 a draft); the 12th: not open */
  assert_int_equal(cell(&m, "KA1", "2026-06-09"), TS_MISSING);
  assert_int_equal(cell(&m, "KA1", "2026-06-11"), TS_PENDING);
  assert_int_equal(cell(&m, "KA2", "2026-06-11"), TS_DRAFT);
  assert_int_equal(cell(&m, "KA1", "2026-06-12"), TS_NONE);
  const TROW *a2 = row_of(&m, "KA2");
  assert_int_equal(a2->count[TS_MISSING], 1);
  assert_int_equal(a2->count[TS_LATE], 1);
  assert_int_equal(a2->count[TS_DRAFT], 1);
  assert_int_equal(a2->count[TS_NONE], 1);
  assert_int_equal(m.pcount[col_of(&m, "2026-06-09")][TS_MISSING], 5);
  assert_int_equal(m.pcount[col_of(&m, "2026-06-11")][TS_PENDING], 4);
  /* a bad range is said, and the default shown instead */
  OK(track_matrix(&x, CODE, "2026-06-12", "2026-06-01", 0, &m, &msg));
  assert_string_equal(msg, "track.bad_range");
  OK(track_matrix(&x, CODE, "2026-02-30", "", 0, &m, &msg));
  assert_string_equal(msg, "track.bad_date");
  OK(track_matrix(&x, CODE, "2026-01-01", "2026-12-31", 0, &m, &msg));
  assert_string_equal(msg, "track.range_long");
  assert_int_equal(m.nper, TRACK_MAXPER);
  /* the default: this month up to today */
  OK(track_matrix(&x, CODE, NULL, NULL, 0, &m, &msg));
  assert_null(msg);
  assert_string_equal(m.from, "2026-06-01");
  assert_string_equal(m.to, "2026-06-11");
}

static void scope(void **state){
  (void)state;
  TMATRIX m;
  const char *msg;
  /* the department's head: its four teams, not the other department's */
  CTX hd = who("hd", NOW);
  OK(track_matrix(&hd, CODE, "2026-06-10", "2026-06-10", 0, &m, &msg));
  assert_int_equal(m.nrows, 4);
  assert_null(row_of(&m, "KB1"));
  /* a leader of the department likewise; a dispatcher of it too */
  CTX ld = who("ld", NOW);
  OK(track_matrix(&ld, CODE, "2026-06-10", "2026-06-10", 0, &m, &msg));
  assert_int_equal(m.nrows, 4);
  CTX xd = who("xd", NOW);
  OK(track_matrix(&xd, CODE, "2026-06-10", "2026-06-10", 0, &m, &msg));
  assert_int_equal(m.nrows, 4);
  /* a unit filter: inside the scope narrows, outside it is refused */
  OK(track_matrix(&hd, CODE, "2026-06-10", "2026-06-10", unit_id(U("KA3")), &m, &msg));
  assert_int_equal(m.nrows, 1);
  assert_int_equal(m.rows[0].cells[0].state, TS_MISSING);
  NEOERR *err = track_matrix(&hd, CODE, "2026-06-10", "2026-06-10", unit_id(U("KB1")), &m, &msg);
  assert_non_null(err);
  assert_true(nerr_handle(&err, ERR_DENIED));
  err = track_matrix(&hd, "no_such_form", "", "", 0, &m, &msg);
  assert_true(nerr_handle(&err, ERR_NOTFOUND));
  /* a clerk reaches no unit with a reader's capability */
  CTX c1 = who("c1", NOW);
  OK(track_matrix(&c1, CODE, "2026-06-10", "2026-06-10", 0, &m, &msg));
  assert_int_equal(m.nrows, 0);
  /* the due list: the head's open cells of the 10th and 11th */
  TDUE *d;
  int n;
  long long fid = dbt_count("SELECT id FROM form WHERE code = ?", CODE);
  OK(track_due(&hd, fid, &d, &n));
  int missing = 0, pending = 0;
  for(int i=0; i<n; i++){
    assert_true(strncmp(d[i].u->code, "KA", 2)==0);
    if( d[i].cell.state==TS_MISSING ) missing++;
    if( d[i].cell.state==TS_PENDING ) pending++;
  }
  assert_int_equal(missing, 1);          /* A3 on the 10th */
  assert_int_equal(pending, 3);          /* A1, A3, A4 on the 11th (A2 has a draft) */
  assert_int_equal(n, 1 + 1 + 3 + 1);    /* + A4 returned, + A2's draft of the 11th */
}

static long long reminders_of(const char *unit, const char *kind, const char *day){
  return dbt_count(arena_printf(dbt_arena, "SELECT COUNT(*) FROM track_remind r JOIN form f ON f.id = r.form_id"
                                " WHERE f.code = '%s' AND r.kind = '%s' AND r.period_key = '%s' AND r.org_unit_id = ?",
                                CODE, kind, day),
                   arena_printf(dbt_arena, "%lld", unit_id(U(unit))));
}

static long long reminders(const char *unit, const char *kind){ return reminders_of(unit, kind, "2026-06-10"); }

static void remind_once_per_click(void **state){
  (void)state;
  CTX x = who("xx", NOW);
  const char *msg;
  int again;
  long long n, audits = count("SELECT COUNT(*) FROM audit_log WHERE action = 'track.remind' AND object = ?",
                              arena_printf(dbt_arena, "unit:%lld", unit_id(U("KA3"))));
  OK(track_remind(&x, CODE, unit_id(U("KA3")), "2026-06-10", 0, &msg, &again, &n));
  assert_null(msg);
  assert_int_equal(again, 0);
  assert_int_equal(n, 2);                /* A3's clerk and the department's */
  /* the same POST again (a double click: the page said 0 reminders) */
  OK(track_remind(&x, CODE, unit_id(U("KA3")), "2026-06-10", 0, &msg, &again, &n));
  assert_null(msg);
  assert_int_equal(again, 1);
  assert_int_equal(reminders("KA3", "remind"), 1);
  assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'track.remind' AND object = ?",
                         arena_printf(dbt_arena, "unit:%lld", unit_id(U("KA3")))), audits + 1);
  /* a later reminder, from a page that showed the first */
  OK(track_remind(&x, CODE, unit_id(U("KA3")), "2026-06-10", 1, &msg, &again, &n));
  assert_null(msg);
  assert_int_equal(again, 0);
  assert_int_equal(reminders("KA3", "remind"), 2);
  /* the matrix shows them */
  TMATRIX m;
  OK(track_matrix(&x, CODE, "2026-06-10", "2026-06-10", 0, &m, &msg));
  const TCELL *cl = &row_of(&m, "KA3")->cells[0];
  assert_int_equal(cl->nremind, 2);
  assert_non_null(cl->remind);
  assert_int_equal(cl->remind->seq, 2);
  assert_string_equal(cl->remind->sender, x.user->name);
  assert_int_equal(cl->remind->recipients, 2);
  /* refusals: submitted already, not due yet, a bad period, nothing written */
  OK(track_remind(&x, CODE, unit_id(U("KA1")), "2026-06-10", 0, &msg, &again, &n));
  assert_string_equal(msg, "track.done");
  OK(track_remind(&x, CODE, unit_id(U("KA1")), "2026-06-12", 0, &msg, &again, &n));
  assert_string_equal(msg, "track.not_due");
  OK(track_remind(&x, CODE, unit_id(U("KA1")), "2026-W24", 0, &msg, &again, &n));
  assert_string_equal(msg, "track.bad_period");
  OK(track_remind(&x, CODE, unit_id(U("KD")), "2026-06-10", 0, &msg, &again, &n));
  assert_string_equal(msg, "track.not_submitting");
  assert_int_equal(reminders("KA1", "remind"), 0);
  /* who may not: a head (no dispatch right); a department's dispatcher outside it */
  CTX hd = who("hd", NOW), xd = who("xd", NOW);
  NEOERR *err = track_remind(&hd, CODE, unit_id(U("KA3")), "2026-06-10", 2, &msg, &again, &n);
  assert_true(nerr_handle(&err, ERR_DENIED));
  err = track_remind(&xd, CODE, unit_id(U("KB1")), "2026-06-10", 0, &msg, &again, &n);
  assert_true(nerr_handle(&err, ERR_DENIED));
  assert_int_equal(reminders("KB1", "remind"), 0);
  OK(track_remind(&xd, CODE, unit_id(U("KA4")), "2026-06-10", 0, &msg, &again, &n));
  assert_null(msg);
}

/* the portal's lines of an account (the 10th's, or every day's when day is NULL) */
static int notes_of(const char *login, const char *kind, const char *unit, const char *day){
  CTX c = who(login, NOW);
  QTNOTE *v;
  int n, k = 0;
  OK(track_portal(&c, &v, &n));
  for(int i=0; i<n; i++)
    if( strcmp(v[i].kind, kind)==0 && (unit==NULL || v[i].unit_id==unit_id(U(unit))) && strcmp(v[i].form_code, CODE)==0
        && (day==NULL || strcmp(v[i].period_key, day)==0) ) k++;
  return k;
}
static int notes(const char *login, const char *kind, const char *unit){ return notes_of(login, kind, unit, "2026-06-10"); }

static void escalate_once_to_the_heads(void **state){
  (void)state;
  int n, none;
  long long heads;
  hdf_set_value(dbt_conf, "Track.EscalateMinutes", "120");
  hdf_set_value(dbt_conf, "Track.EscalateDays", "1");
  /* 10:30 on the 11th: the 10th's cut-off (09:00) + 2 h has not come; the
  ** 9th's (10:30 on the 10th: within a day) has -- nobody submitted it */
  CTX op = dbt_op;
  op.now = at(2026, 6, 11, 10, 30);
  OK(track_escalate(&op, CODE, &n, &heads, &none));
  assert_int_equal(n, 5);
  assert_int_equal(heads, 5);
  assert_int_equal(reminders_of("KA1", "escalate", "2026-06-09"), 1);
  assert_int_equal(reminders_of("KA3", "escalate", "2026-06-10"), 0);
  assert_int_equal(reminders_of("KA3", "escalate", "2026-06-08"), 0);   /* more than a day ago */
  /* noon: A3 (missing), A4 (returned) and B1 (a draft) go to their heads */
  op.now = NOW;
  OK(track_escalate(&op, CODE, &n, &heads, &none));
  assert_int_equal(n, 3);
  assert_int_equal(heads, 3);
  assert_int_equal(none, 0);
  assert_int_equal(reminders("KA3", "escalate"), 1);
  assert_int_equal(reminders("KB1", "escalate"), 1);
  assert_int_equal(reminders("KA1", "escalate"), 0);
  assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'track.escalate' AND object = ?",
                         arena_printf(dbt_arena, "unit:%lld", unit_id(U("KA3")))), 2);   /* the 9th and the 10th */
  /* again, and later: nothing new */
  OK(track_escalate(&op, CODE, &n, &heads, &none));
  assert_int_equal(n, 0);
  op.now = at(2026, 6, 11, 23, 0);
  OK(track_escalate(&op, CODE, &n, &heads, &none));
  assert_int_equal(n, 0);
  assert_int_equal(reminders("KA3", "escalate"), 1);
  /* the matrix shows the escalation; the heads' portals show theirs */
  CTX x = who("xx", NOW);
  TMATRIX m;
  const char *msg;
  OK(track_matrix(&x, CODE, "2026-06-10", "2026-06-10", 0, &m, &msg));
  assert_non_null(row_of(&m, "KA3")->cells[0].escalate);
  assert_null(row_of(&m, "KA1")->cells[0].escalate);
  assert_int_equal(notes("hd", "escalate", NULL), 2);
  assert_int_equal(notes_of("hd", "escalate", NULL, NULL), 6);      /* the 9th's four and the 10th's two */
  assert_int_equal(notes("ho", "escalate", "KB1"), 1);
  assert_int_equal(notes("ho", "escalate", "KA3"), 0);
  hdf_set_value(dbt_conf, "Track.EscalateDays", "3");
}

static void portal_until_submitted(void **state){
  (void)state;
  /* A3's clerk was reminded twice: one line; the department's clerk too */
  assert_int_equal(notes("c3", "remind", "KA3"), 1);
  assert_int_equal(notes("cd", "remind", "KA3"), 1);
  assert_int_equal(notes("c1", "remind", NULL), 0);
  /* A3 submits (late): the reminders and the escalation are done with */
  save("c3", "KA3", 10, 1, at(2026, 6, 11, 12, 30));
  assert_int_equal(notes("c3", "remind", "KA3"), 0);
  assert_int_equal(notes("hd", "escalate", "KA3"), 0);
  assert_int_equal(notes("hd", "escalate", "KA4"), 1);
  /* and the matrix says late, with the reminders still shown */
  CTX x = who("xx", at(2026, 6, 11, 13, 0));
  TMATRIX m;
  const char *msg;
  OK(track_matrix(&x, CODE, "2026-06-10", "2026-06-10", 0, &m, &msg));
  assert_int_equal(cell(&m, "KA3", "2026-06-10"), TS_LATE);
  assert_int_equal(row_of(&m, "KA3")->cells[0].nremind, 2);
  /* reminding now is refused: submitted */
  int again;
  long long n;
  OK(track_remind(&x, CODE, unit_id(U("KA3")), "2026-06-10", 2, &msg, &again, &n));
  assert_string_equal(msg, "track.done");
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_day_with_a_late_a_missing_and_a_returned_unit),
    cmocka_unit_test(days_around_it_and_counts_per_unit),
    cmocka_unit_test(scope),
    cmocka_unit_test(remind_once_per_click),
    cmocka_unit_test(escalate_once_to_the_heads),
    cmocka_unit_test(portal_until_submitted),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
