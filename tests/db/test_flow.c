/*
** test_flow.c -- the approval flow (dom/flow.c, sql/q_flow.c) against the
** test instance's MariaDB, as real accounts: a test form with a two-step
** chain (the head of the submitting unit or above; the dispatcher of a
** named centre; the leader informed) and one without a chain are applied
** through form_apply; then every transition -- submit, approve, reject,
** back, transfer, withdraw, recall, correct, resubmit -- and every refused
** one: wrong role, wrong scope, wrong state, stale version (naming who
** acted first), own submission (also through a stand-in either way),
** expired, ended, future and passed-on stand-ins, missing reasons; the
** chain in force kept when the definition changes; the revision reports
** count; the diff between revisions; the audit record of every action and
** refusal; the inbox (order, filters, keyset, overdue) and the portal's
** reminders; an approver added for one sheet (加签), and recalled.
*/
#include "dbtest.h"
#include "dbowner.h"
#include "entry.h"
#include "flow.h"
#include "form.h"
#include "org.h"
#include "acct.h"
#include "q_org.h"

static DB *OWN;
static HDF *OCONF;
static CTX owner;
static DAYCAL CAL;
static const char *CODE, *CODE0;   /* the chained form, the form without a chain */

static long long unit_id(const char *code){
  long long id; int found;
  OK(q_unit_id_by_code(dbt_db, code, &id, &found));
  return found ? id : 0;
}

static long long make_user(const char *login, const char *unit, const char *role, const char *scope){
  const char *msg;
  long long id;
  char code[16], tok[TOKEN_LEN + 1];
  OK(org_user_create(&dbt_op, login, arena_printf(dbt_arena, "流程%s", login + strlen(login) - 3), unit_id(unit), NULL,
                     role, scope, &id, code, &msg));
  if( msg ) fail_msg("org_user_create %s: %s", login, msg);
  OK(acct_activate(&dbt_op, login, code, "Ceshi-Mima-2026!", "Ceshi-Mima-2026!", &msg, tok));
  assert_null(msg);
  return id;
}

static void grant(const char *login, const char *unit, const char *role, const char *scope){
  const char *msg;
  long long uid = dbt_count("SELECT id FROM app_user WHERE login = ?", login);
  OK(org_grant_add(&dbt_op, uid, role, unit_id(unit), scope, &msg));
  if( msg ) fail_msg("org_grant %s: %s", login, msg);
}

static const char *def(const char *code, int version, const char *chain){
  return arena_printf(dbt_arena,
    "Code = %s\nName = 流程测试%d\nVersion = %d\nPeriod = day\nUnits = %s, %s\n"
    "Header {\n  who {\n    Type = text\n    Label = 填报人\n    Required = 1\n  }\n}\n"
    "Rows {\n  MinRows = 1\n  MaxRows = 20\n"
    "  item {\n    Type = text\n    Label = 项目\n    Required = 1\n  }\n"
    "  qty {\n    Type = integer\n    Label = 数量\n  }\n}\n%s",
    code, version, version, U("FT1"), U("FT2"), chain);
}

static const char *chain2(void){
  return arena_printf(dbt_arena,
    "Approval {\n  Steps {\n    head {\n      Label = 部门审核\n      Role = head\n      Scope = up\n    }\n"
    "    centre {\n      Label = 中心审核\n      Role = dispatcher\n      At = %s\n      Overdue = 2h\n    }\n  }\n"
    "  Cc = leader\n}\n", U("FX"));
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
#define NOW at(2026, 6, 20, 10, 0)

static const char *tok(void){
  static int n;
  return arena_printf(dbt_arena, "flw%s%dxxxxxxxxxxxxxxx%d", dbt_uniq, ++n, getpid());
}

static CTX who(const char *base){
  CTX c = dbt_user(U(base));
  c.now = NOW;
  return c;
}

/* a sheet of form code, unit, June day, with n rows; submitted */
static long long submit_as(CTX *c, const char *code, const char *unit, int day, int n){
  SHEET *s = arena_alloc(dbt_arena, sizeof *s);
  const char *msg;
  int dup;
  const FORM *f;
  OK(form_get(c, code, &f));
  OK(entry_new(c, code, unit_id(unit), arena_printf(dbt_arena, "2026-06-%02d", day), s, &msg));
  if( msg ) fail_msg("entry_new: %s", msg);
  entry_set(s, dbt_arena, -1, 0, "张三");
  entry_rows(s, dbt_arena, n);
  for(int r=0; r<n; r++){
    entry_set(s, dbt_arena, r, 0, arena_printf(dbt_arena, "项目%d", r + 1));
    entry_set(s, dbt_arena, r, 1, arena_printf(dbt_arena, "%d", (r + 1) * 10));
  }
  OK(entry_save(c, s, 1, tok(), &msg, &dup));
  if( msg ) fail_msg("entry_save: %s", msg);
  return s->e.id;
}
static long long submit(CTX *c, int day){ return submit_as(c, CODE, U("FT1"), day, 2); }

static const char *sid(long long id){ return arena_printf(dbt_arena, "%lld", id); }
static long long ver(long long id){ return dbt_count("SELECT version FROM entry WHERE id = ?", sid(id)); }
static long long step_of(long long id){ return dbt_count("SELECT step FROM entry WHERE id = ?", sid(id)); }
static long long actions(long long id){ return dbt_count("SELECT COUNT(*) FROM entry_action WHERE entry_id = ?", sid(id)); }
static long long audits(long long id, const char *result){
  return dbt_count(arena_printf(dbt_arena, "SELECT COUNT(*) FROM audit_log WHERE object = ? AND result = '%s'"
                                " AND action LIKE 'flow.%%'", result), arena_printf(dbt_arena, "entry:%lld", id));
}
static const char *status_of(long long id){
  DB_STMT *st;
  OK(db_query(dbt_db, &st, "SELECT status FROM entry WHERE id = ?", "i", id));
  assert_true(db_step(st));
  const char *s = db_text(st, 0);
  db_done(st);
  return s;
}

static FLOW_RES act(CTX *c, FLOW_OP op, long long id, const char *note, long long to){
  FLOW_RES r;
  OK(flow_act(c, op, id, ver(id), note, to, &r));
  return r;
}
/* the action is refused with msg, and nothing but a refusal record is written */
static void refused(CTX *c, FLOW_OP op, long long id, const char *note, long long to, const char *msg, FLOW_KIND kind){
  long long v = ver(id), na = actions(id), nr = audits(id, "refused");
  FLOW_RES r;
  OK(flow_act(c, op, id, v, note, to, &r));
  if( r.msg==NULL || strcmp(r.msg, msg)!=0 ) fail_msg("%s by %s: %s, not %s", flow_op_name(op), c->user->login, r.msg ? r.msg : "done", msg);
  assert_int_equal(r.kind, kind);
  assert_int_equal(ver(id), v);
  assert_int_equal(actions(id), na);
  assert_int_equal(audits(id, "refused"), nr + 1);
}

static void done(FLOW_RES r){ if( r.msg ) fail_msg("refused: %s", r.msg); }

static int setup(void **state){
  if( dbt_open(state) ) return -1;
  OWN = dbo_open(1, dbt_arena, &OCONF);
  ctx_operator(&owner, OWN, dbt_arena, dbt_conf, "dbtest");
  setenv("TZ", "UTC", 1);
  tzset();
  NEOERR *err = entry_cal(&dbt_op, &CAL);
  if( err ){ nerr_ignore(&err); return -1; }
  CODE = arena_printf(dbt_arena, "fl%s", dbt_uniq);
  CODE0 = arena_printf(dbt_arena, "fn%s", dbt_uniq);
  /* HQ: D (teams T1, T2), O, the centre X */
  const char *msg;
  long long root = unit_id(conf_str(dbt_conf, "Site.CompanyCode", "HQ")), d, x;
  OK(org_unit_create(&dbt_op, U("FD"), "流程测试部", root, "dept", 1, &d, &msg));
  OK(org_unit_create(&dbt_op, U("FT1"), "流程测试一班", d, "team", 1, &x, &msg));
  OK(org_unit_create(&dbt_op, U("FT2"), "流程测试二班", d, "team", 2, &x, &msg));
  OK(org_unit_create(&dbt_op, U("FO"), "流程测试其他部", root, "dept", 2, &x, &msg));
  OK(org_unit_create(&dbt_op, U("FX"), "流程测试中心", root, "dept", 3, &x, &msg));
  make_user(U("c1"), U("FT1"), "clerk", "unit");
  make_user(U("c2"), U("FT1"), "clerk", "unit");
  make_user(U("c3"), U("FT2"), "clerk", "unit");
  make_user(U("h1"), U("FT1"), "head", "unit");
  make_user(U("hd"), U("FD"), "head", "subtree");
  make_user(U("hu"), U("FD"), "head", "unit");       /* a grant on D that does not reach its teams */
  make_user(U("ho"), U("FO"), "head", "subtree");
  make_user(U("s2"), U("FO"), "head", "subtree");
  make_user(U("ch"), U("FT1"), "clerk", "unit");
  grant(U("ch"), U("FT1"), "head", "unit");          /* clerk and head of T1 */
  make_user(U("x1"), U("FX"), "dispatcher", "all");
  make_user(U("x2"), U("FX"), "dispatcher", "all");
  make_user(U("xo"), U("FO"), "dispatcher", "all");  /* sees everything, but not the centre's */
  make_user(U("ld"), U("FD"), "leader", "subtree");
  if( !apply_text(CODE, def(CODE, 1, chain2())) ) return -1;
  if( !apply_text(CODE0, def(CODE0, 1, "")) ) return -1;
  return 0;
}

static int teardown(void **state){
  db_close(OWN);
  hdf_destroy(&OCONF);
  return dbt_close(state);
}

/* ---- tests ---- */

static void the_chain_is_parsed_and_checked(void **state){
  const FORM *f;
  OK(form_get(&dbt_op, CODE, &f));
  assert_int_equal(f->nsteps, 2);
  assert_string_equal(f->steps[0].role, "head");
  assert_int_equal(f->steps[0].scope, FS_UP);
  assert_int_equal(f->steps[1].scope, FS_AT);
  assert_string_equal(f->steps[1].at, U("FX"));
  assert_int_equal(f->steps[1].overdue, 120);
  assert_int_equal(f->ncc, 1);
  assert_string_equal(f->cc[0], "leader");
  /* an unknown role is refused when applying, with its line */
  const char *bad = arena_printf(dbt_arena, "fb%s", dbt_uniq);
  assert_false(apply_text(bad, def(bad, 1, "Approval {\n  Steps {\n    a {\n      Role = nosuchrole\n    }\n  }\n}\n")));
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM form WHERE code = ?", bad), 0);
}

static void no_chain_is_final_on_submit(void **state){
  CTX c1 = who("c1");
  long long id = submit_as(&c1, CODE0, U("FT1"), 1, 1);
  assert_string_equal(status_of(id), "approved");
  assert_int_equal(dbt_count("SELECT counted FROM entry WHERE id = ?", sid(id)), 1);
  assert_int_equal(dbt_count("SELECT nsteps FROM entry WHERE id = ?", sid(id)), 0);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM entry_action WHERE entry_id = ? AND action = 'submit'", sid(id)), 1);
  /* and read-only: the entry engine refuses to save it */
  SHEET *s = arena_alloc(dbt_arena, sizeof *s);
  const char *msg;
  int dup;
  OK(entry_load(&c1, id, CAP_ENTRY, s));
  assert_false(s->editable);
  OK(entry_save(&c1, s, 0, tok(), &msg, &dup));
  assert_string_equal(msg, "entry.not_editable");
}

static void two_steps_to_approved_with_history_and_audit(void **state){
  CTX c1 = who("c1"), h1 = who("h1"), x1 = who("x1"), ld = who("ld");
  long long id = submit(&c1, 2);
  assert_string_equal(status_of(id), "submitted");
  assert_int_equal(step_of(id), 1);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM entry_step WHERE entry_id = ?", sid(id)), 2);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM entry_cc WHERE entry_id = ?", sid(id)), 1);
  /* the step's deadline: 24h (Flow.OverdueHours) from the submit */
  assert_int_equal(dbt_count("SELECT TIMESTAMPDIFF(MINUTE, state_at, due_at) FROM entry WHERE id = ?", sid(id)), 24*60);
  FLOW_RES r = act(&h1, FL_APPROVE, id, "数据无误", 0);
  done(r);
  assert_string_equal(r.status, "submitted");
  assert_int_equal(r.step, 2);
  assert_int_equal(dbt_count("SELECT TIMESTAMPDIFF(MINUTE, state_at, due_at) FROM entry WHERE id = ?", sid(id)), 120);
  /* the leader is informed only once it is approved */
  HDF *h;
  int n;
  OK(hdf_init(&h));
  OK(q_flow_cc_hdf(dbt_db, ld.user->id, 0, 50, h, "L", &n));
  assert_int_equal(n, 0);
  r = act(&x1, FL_APPROVE, id, NULL, 0);
  done(r);
  assert_string_equal(r.status, "approved");
  assert_string_equal(status_of(id), "approved");
  assert_int_equal(dbt_count("SELECT counted FROM entry WHERE id = ?", sid(id)), 1);
  assert_int_equal(dbt_count("SELECT decided_by FROM entry WHERE id = ?", sid(id)), x1.user->id);
  OK(q_flow_cc_hdf(dbt_db, ld.user->id, 0, 50, h, "L", &n));
  assert_int_equal(n, 1);
  hdf_destroy(&h);
  /* history: submit, approve (step 1, with the comment), approve (step 2) */
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM entry_action WHERE entry_id = ? AND action = 'approve' AND step = 1"
                             " AND note = '数据无误'", sid(id)), 1);
  assert_int_equal(actions(id), 3);
  /* each action one audit record, in its transaction */
  assert_int_equal(audits(id, "ok"), 2);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM audit_log WHERE object = ? AND action = 'flow.approve'"
                             " AND detail LIKE '%\"comment\":\"数据无误\"%'", arena_printf(dbt_arena, "entry:%lld", id)), 1);
  /* approved is final: no more approving, and recalling is refused */
  refused(&x1, FL_APPROVE, id, NULL, 0, "flow.not_waiting", FLOW_STATE);
  refused(&x1, FL_RECALL, id, NULL, 0, "flow.recall_final", FLOW_STATE);
}

static void wrong_role_scope_state_and_version(void **state){
  CTX c1 = who("c1"), c2 = who("c2"), h1 = who("h1"), hd = who("hd"), hu = who("hu"), ho = who("ho"),
      xo = who("xo"), x1 = who("x1");
  long long id = submit(&c1, 3);
  refused(&c2, FL_APPROVE, id, NULL, 0, "flow.not_approver", FLOW_DENIED);     /* a clerk: wrong role */
  refused(&xo, FL_APPROVE, id, NULL, 0, "flow.not_approver", FLOW_DENIED);     /* sees it, not its step */
  refused(&x1, FL_APPROVE, id, NULL, 0, "flow.not_approver", FLOW_DENIED);     /* step 2's, not step 1's */
  refused(&ho, FL_APPROVE, id, NULL, 0, "flow.denied", FLOW_DENIED);           /* another department */
  refused(&hu, FL_APPROVE, id, NULL, 0, "flow.denied", FLOW_DENIED);           /* a grant on D alone */
  /* stale version: the page showed version v, someone acted since */
  long long v = ver(id);
  FLOW_RES r;
  OK(flow_act(&hd, FL_APPROVE, id, v, NULL, 0, &r));
  done(r);
  OK(flow_act(&h1, FL_APPROVE, id, v, NULL, 0, &r));
  assert_string_equal(r.msg, "flow.conflict");
  assert_int_equal(r.kind, FLOW_CONFLICT);
  assert_string_equal(r.by, hd.user->name);                                    /* who acted first */
  assert_string_equal(r.did, "approve");
  assert_non_null(r.at);
  OK(flow_act(&hd, FL_APPROVE, id, v, NULL, 0, &r));                           /* the same person again */
  assert_string_equal(r.msg, "flow.conflict");
  assert_string_equal(r.by, "");
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM entry_action WHERE entry_id = ? AND action = 'approve'", sid(id)), 1);
  /* wrong state: a draft is not waiting */
  SHEET *s = arena_alloc(dbt_arena, sizeof *s);
  const char *msg;
  int dup;
  OK(entry_new(&c1, CODE, unit_id(U("FT1")), "2026-06-04", s, &msg));
  entry_set(s, dbt_arena, -1, 0, "草稿");
  OK(entry_save(&c1, s, 0, tok(), &msg, &dup));
  refused(&h1, FL_APPROVE, s->e.id, NULL, 0, "flow.not_waiting", FLOW_STATE);
  /* an id that does not exist */
  OK(flow_act(&h1, FL_APPROVE, 999999999, 1, NULL, 0, &r));
  assert_string_equal(r.msg, "flow.not_found");
  assert_int_equal(r.kind, FLOW_NOTFOUND);
}

static void own_submission_never(void **state){
  CTX ch = who("ch"), hd = who("hd"), s2 = who("s2");
  const char *msg;
  /* ch is clerk and head of T1: submits, cannot approve it */
  long long id = submit(&ch, 5);
  refused(&ch, FL_APPROVE, id, NULL, 0, "flow.own", FLOW_DENIED);
  refused(&ch, FL_REJECT, id, "不行", 0, "flow.own", FLOW_DENIED);
  /* not as hd's stand-in either */
  OK(flow_standin_add(&hd, U("ch"), "2026-06-18", "2026-06-25", "出差", &msg));
  assert_null(msg);
  refused(&ch, FL_APPROVE, id, NULL, 0, "flow.own", FLOW_DENIED);
  /* nor can ch's own stand-in approve ch's submission for ch */
  OK(flow_standin_add(&ch, U("s2"), "2026-06-18", "2026-06-25", "休假", &msg));
  assert_null(msg);
  refused(&s2, FL_APPROVE, id, NULL, 0, "flow.own", FLOW_DENIED);
  /* hd itself may */
  done(act(&hd, FL_APPROVE, id, NULL, 0));
  OK(flow_standin_end(&hd, dbt_count("SELECT MAX(id) FROM flow_standin WHERE user_id = ?", sid(hd.user->id)), &msg));
  assert_null(msg);
  OK(flow_standin_end(&ch, dbt_count("SELECT MAX(id) FROM flow_standin WHERE user_id = ?", sid(ch.user->id)), &msg));
  assert_null(msg);
}

static void stand_ins(void **state){
  CTX c1 = who("c1"), hd = who("hd"), ho = who("ho"), s2 = who("s2"), x1 = who("x1");
  const char *msg;
  /* refusals when naming one */
  OK(flow_standin_add(&ho, U("ho"), "2026-06-20", "2026-06-21", "", &msg));
  assert_string_equal(msg, "flow.si_self");
  OK(flow_standin_add(&ho, U("c1"), "2026-06-20", "2026-06-21", "", &msg));
  assert_string_equal(msg, "flow.si_not_approver");
  OK(flow_standin_add(&ho, "nobody-at-all", "2026-06-20", "2026-06-21", "", &msg));
  assert_string_equal(msg, "flow.si_user");
  OK(flow_standin_add(&ho, U("hd"), "2026-06-21", "2026-06-20", "", &msg));
  assert_string_equal(msg, "flow.si_dates");
  OK(flow_standin_add(&ho, U("hd"), "2026-06-01", "2026-06-19", "", &msg));
  assert_string_equal(msg, "flow.si_past");
  OK(flow_standin_add(&ho, U("hd"), "2026-06-20", "2026-12-31", "", &msg));
  assert_string_equal(msg, "flow.si_long");
  /* ho stands in for hd from today: sees hd's items and acts, recorded as acting for hd */
  long long id = submit(&c1, 6);
  CTX hd2 = hd;
  OK(flow_standin_add(&hd2, U("ho"), "2026-06-20", "2026-06-22", "出差", &msg));
  assert_null(msg);
  OK(flow_standin_add(&hd2, U("s2"), "2026-06-22", "2026-06-23", "", &msg));
  assert_string_equal(msg, "flow.si_overlap");
  FLOW_VIEW v;
  OK(flow_view(&ho, id, &v));
  assert_true(v.may_act);
  assert_int_equal(v.acting_for, hd.user->id);
  /* the stand-in cannot pass it on: ho names s2; s2 gets nothing of hd's */
  OK(flow_standin_add(&ho, U("s2"), "2026-06-20", "2026-06-22", "", &msg));
  assert_null(msg);
  refused(&s2, FL_APPROVE, id, NULL, 0, "flow.denied", FLOW_DENIED);
  FLOW_RES r = act(&ho, FL_APPROVE, id, "代审", 0);
  done(r);
  assert_int_equal(dbt_count("SELECT for_id FROM entry_action WHERE entry_id = ? AND action = 'approve'", sid(id)), hd.user->id);
  assert_int_equal(dbt_count(arena_printf(dbt_arena, "SELECT COUNT(*) FROM audit_log WHERE object = ? AND action = 'flow.approve'"
                             " AND detail LIKE '%%\"acting_for\":\"%s\"%%'", U("hd")), arena_printf(dbt_arena, "entry:%lld", id)), 1);
  /* expired: the same delegation, two days later */
  long long id2 = submit(&c1, 7);
  ho.now = at(2026, 6, 23, 9, 0);
  refused(&ho, FL_APPROVE, id2, NULL, 0, "flow.denied", FLOW_DENIED);
  /* not yet started */
  ho.now = at(2026, 6, 19, 9, 0);
  refused(&ho, FL_APPROVE, id2, NULL, 0, "flow.denied", FLOW_DENIED);
  /* ended early by the approver */
  ho.now = NOW;
  long long sid_ = dbt_count("SELECT MAX(id) FROM flow_standin WHERE user_id = ?", sid(hd.user->id));
  OK(flow_standin_end(&hd, sid_, &msg));
  assert_null(msg);
  refused(&ho, FL_APPROVE, id2, NULL, 0, "flow.denied", FLOW_DENIED);
  OK(flow_standin_end(&hd, sid_, &msg));
  assert_string_equal(msg, "flow.si_not_found");
  OK(flow_standin_end(&x1, sid_, &msg));                      /* not x1's */
  assert_string_equal(msg, "flow.si_not_found");
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM audit_log WHERE action = 'flow.standin' AND object = ?",
                             arena_printf(dbt_arena, "standin:%lld", sid_)), 1);
}

static void reject_resubmit_back_transfer(void **state){
  CTX c1 = who("c1"), h1 = who("h1"), hd = who("hd"), ho = who("ho"), x1 = who("x1"), x2 = who("x2");
  long long id = submit(&c1, 8);
  refused(&h1, FL_REJECT, id, "  ", 0, "flow.reason", FLOW_INPUT);
  char *longtext = arena_alloc(dbt_arena, 1600);
  memset(longtext, 0, 1600);
  for(int i=0; i<501; i++) strcat(longtext, "字");
  refused(&h1, FL_APPROVE, id, longtext, 0, "flow.note_long", FLOW_INPUT);
  refused(&h1, FL_BACK, id, "退回", 0, "flow.back_first", FLOW_STATE);
  /* reject: returned, the reason kept, the clerk fixes and submits again */
  done(act(&h1, FL_REJECT, id, "第2行数量不对", 0));
  assert_string_equal(status_of(id), "returned");
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM entry WHERE id = ? AND reason = '第2行数量不对'"
                             " AND TIMESTAMPDIFF(MINUTE, state_at, due_at) = 1440", sid(id)), 1);
  SHEET *s = arena_alloc(dbt_arena, sizeof *s);
  const char *msg;
  int dup;
  OK(entry_load(&c1, id, CAP_ENTRY, s));
  assert_true(s->editable);
  assert_string_equal(s->e.reason, "第2行数量不对");
  entry_set(s, dbt_arena, 1, 1, "25");
  OK(entry_save(&c1, s, 1, tok(), &msg, &dup));
  assert_null(msg);
  assert_string_equal(status_of(id), "submitted");
  assert_int_equal(step_of(id), 1);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM entry_action WHERE entry_id = ? AND action = 'submit'", sid(id)), 2);
  /* step 2 sends it back to step 1, where it is approved again */
  done(act(&h1, FL_APPROVE, id, NULL, 0));
  refused(&x1, FL_BACK, id, "", 0, "flow.reason", FLOW_INPUT);
  done(act(&x1, FL_BACK, id, "请部门再核对一次", 0));
  assert_int_equal(step_of(id), 1);
  /* transfer: to another approver of the same step only */
  refused(&h1, FL_TRANSFER, id, "请处理", h1.user->id, "flow.transfer_self", FLOW_INPUT);
  refused(&h1, FL_TRANSFER, id, "请处理", ho.user->id, "flow.transfer_target", FLOW_INPUT);
  refused(&h1, FL_TRANSFER, id, "请处理", x2.user->id, "flow.transfer_target", FLOW_INPUT);
  refused(&h1, FL_TRANSFER, id, "", hd.user->id, "flow.reason", FLOW_INPUT);
  done(act(&h1, FL_TRANSFER, id, "我休假，请部门审核", hd.user->id));
  assert_int_equal(dbt_count("SELECT assignee_id FROM entry WHERE id = ?", sid(id)), hd.user->id);
  FLOW_RES r;
  OK(flow_act(&h1, FL_APPROVE, id, ver(id), NULL, 0, &r));
  assert_string_equal(r.msg, "flow.assigned");
  done(act(&hd, FL_APPROVE, id, NULL, 0));
  assert_int_equal(dbt_count("SELECT COALESCE(assignee_id, 0) FROM entry WHERE id = ?", sid(id)), 0);
  /* step 2 rejects: back to the submitter */
  done(act(&x2, FL_REJECT, id, "中心退回", 0));
  assert_string_equal(status_of(id), "returned");
  /* submit reject submit approve back transfer approve reject */
  assert_int_equal(actions(id), 8);
  assert_int_equal(dbt_count(arena_printf(dbt_arena, "SELECT COUNT(*) FROM entry_action WHERE entry_id = ? AND action = 'transfer'"
                             " AND to_id = %lld AND note = '我休假，请部门审核'", hd.user->id), sid(id)), 1);
  assert_int_equal(audits(id, "ok"), 6);
}

static void withdraw_and_recall(void **state){
  CTX c1 = who("c1"), c2 = who("c2"), h1 = who("h1"), hd = who("hd"), x1 = who("x1");
  long long id = submit(&c1, 9);
  refused(&c2, FL_WITHDRAW, id, NULL, 0, "flow.withdraw_not_submitter", FLOW_DENIED);
  refused(&h1, FL_WITHDRAW, id, NULL, 0, "flow.withdraw_not_submitter", FLOW_DENIED);
  done(act(&c1, FL_WITHDRAW, id, NULL, 0));
  assert_string_equal(status_of(id), "draft");
  /* edited and submitted again, then approved at step 1: too late to withdraw */
  SHEET *s = arena_alloc(dbt_arena, sizeof *s);
  const char *msg;
  int dup;
  OK(entry_load(&c1, id, CAP_ENTRY, s));
  assert_true(s->editable);
  OK(entry_save(&c1, s, 1, tok(), &msg, &dup));
  assert_null(msg);
  done(act(&h1, FL_APPROVE, id, NULL, 0));
  refused(&c1, FL_WITHDRAW, id, NULL, 0, "flow.withdraw_late", FLOW_STATE);
  /* recall: only who approved step 1, only before step 2 acts */
  refused(&hd, FL_RECALL, id, NULL, 0, "flow.recall_none", FLOW_STATE);
  done(act(&h1, FL_RECALL, id, NULL, 0));
  assert_int_equal(step_of(id), 1);
  refused(&h1, FL_RECALL, id, NULL, 0, "flow.recall_none", FLOW_STATE);       /* nothing of h1's to recall */
  done(act(&h1, FL_APPROVE, id, NULL, 0));
  done(act(&x1, FL_TRANSFER, id, "转给同事", dbt_count("SELECT id FROM app_user WHERE login = ?", U("x2"))));
  refused(&h1, FL_RECALL, id, NULL, 0, "flow.recall_none", FLOW_STATE);       /* step 2 has acted */
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM entry_action WHERE entry_id = ? AND action = 'recall' AND step = 1",
                             sid(id)), 1);
}

static void correction_is_a_new_revision(void **state){
  CTX c1 = who("c1"), c3 = who("c3"), h1 = who("h1"), hd = who("hd"), x1 = who("x1");
  long long id = submit(&c1, 10);
  done(act(&h1, FL_APPROVE, id, NULL, 0));
  FLOW_RES r;
  OK(flow_correct(&c1, id, ver(id), "x", &r));
  assert_string_equal(r.msg, "flow.correct_state");                    /* not approved yet */
  done(act(&x1, FL_APPROVE, id, NULL, 0));
  OK(flow_correct(&c1, id, ver(id), " ", &r));
  assert_string_equal(r.msg, "flow.reason");
  OK(flow_correct(&hd, id, ver(id), "更正", &r));
  assert_string_equal(r.msg, "flow.correct_denied");                   /* a head is not a clerk */
  OK(flow_correct(&c3, id, ver(id), "更正", &r));
  assert_string_equal(r.msg, "flow.denied");                           /* another team's clerk */
  OK(flow_correct(&c1, id, ver(id) - 1, "更正", &r));
  assert_string_equal(r.msg, "flow.conflict");
  OK(flow_correct(&c1, id, ver(id), "数量录错了", &r));
  done(r);
  long long id2 = r.entry_id;
  assert_true(id2!=id);
  assert_int_equal(dbt_count("SELECT revision FROM entry WHERE id = ?", sid(id2)), 2);
  assert_int_equal(dbt_count("SELECT prev_id FROM entry WHERE id = ?", sid(id2)), id);
  assert_string_equal(status_of(id2), "draft");
  assert_int_equal(dbt_count("SELECT COALESCE(cur, 0) FROM entry WHERE id = ?", sid(id)), 0);
  assert_int_equal(dbt_count("SELECT counted FROM entry WHERE id = ?", sid(id)), 1);   /* still what reports count */
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM entry_action WHERE entry_id = ? AND action = 'correct'"
                             " AND note = '数量录错了'", sid(id2)), 1);
  /* the old revision: read-only, cannot be corrected again */
  OK(flow_correct(&c1, id, ver(id), "再更正", &r));
  assert_string_equal(r.msg, "flow.correct_old");
  /* the data came along: change a row, add one, submit, through the chain again */
  SHEET *s = arena_alloc(dbt_arena, sizeof *s);
  const char *msg;
  int dup;
  OK(entry_load(&c1, id2, CAP_ENTRY, s));
  assert_true(s->editable);
  assert_int_equal(s->nrows, 2);
  assert_string_equal(s->rows[0].c[0].raw, "项目1");
  assert_string_equal(s->h[0].raw, "张三");
  entry_set(s, dbt_arena, 0, 1, "11");
  entry_add_rows(s, dbt_arena, 1);
  entry_set(s, dbt_arena, 2, 0, "项目3");
  entry_set(s, dbt_arena, 2, 1, "30");
  OK(entry_save(&c1, s, 1, tok(), &msg, &dup));
  assert_null(msg);
  assert_int_equal(step_of(id2), 1);
  /* what the approver sees changed */
  FLOW_VIEW v;
  FLOW_DIFF d;
  OK(flow_view(&h1, id2, &v));
  assert_true(v.may_act);
  OK(flow_diff(&h1, &v, 0, &d));
  assert_true(d.has_prev);
  assert_int_equal(d.prev_revision, 1);
  assert_int_equal(d.changed, 1);
  assert_int_equal(d.added, 1);
  assert_int_equal(d.removed, 0);
  assert_int_equal(d.rows[0].kind, FD_CHANGED);
  assert_string_equal(d.rows[0].c[1].old, "10");
  assert_string_equal(d.rows[0].c[1].now, "11");
  assert_true(d.rows[0].c[1].changed);
  assert_false(d.rows[0].c[0].changed);
  assert_int_equal(d.rows[1].kind, FD_SAME);
  assert_int_equal(d.rows[2].kind, FD_ADDED);
  done(act(&h1, FL_APPROVE, id2, NULL, 0));
  done(act(&x1, FL_APPROVE, id2, NULL, 0));
  /* now revision 2 is what reports count, and only it */
  assert_int_equal(dbt_count("SELECT COALESCE(counted, 0) FROM entry WHERE id = ?", sid(id)), 0);
  assert_int_equal(dbt_count("SELECT counted FROM entry WHERE id = ?", sid(id2)), 1);
  assert_int_equal(dbt_count(arena_printf(dbt_arena, "SELECT COUNT(*) FROM entry WHERE form_id = (SELECT id FROM form"
                             " WHERE code = '%s') AND period_key = '2026-06-10' AND counted = 1", CODE), NULL), 1);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM audit_log WHERE action = 'flow.correct' AND object = ? AND result = 'ok'",
                             arena_printf(dbt_arena, "entry:%lld", id)), 1);
}

static void the_chain_in_force_stays(void **state){
  CTX c1 = who("c1"), h1 = who("h1"), hd = who("hd");
  long long id = submit(&c1, 11);
  /* the definition changes to one step: the sheet under way keeps two */
  const char *one = "Approval {\n  Steps {\n    head {\n      Role = head\n      Scope = unit\n    }\n  }\n}\n";
  assert_true(apply_text(CODE, def(CODE, 2, one)));
  done(act(&h1, FL_APPROVE, id, NULL, 0));
  assert_string_equal(status_of(id), "submitted");
  assert_int_equal(step_of(id), 2);
  /* a new sheet takes the new chain: h1 (the unit's own head) approves it
  ** finally; hd (a unit above) is not its approver any more */
  long long id2 = submit(&c1, 12);
  refused(&hd, FL_APPROVE, id2, NULL, 0, "flow.not_approver", FLOW_DENIED);
  done(act(&h1, FL_APPROVE, id2, NULL, 0));
  assert_string_equal(status_of(id2), "approved");
  assert_true(apply_text(CODE, def(CODE, 3, chain2())));
}

static void inbox_order_filters_keyset_overdue(void **state){
  CTX c1 = who("c1"), c3 = who("c3"), hd = who("hd");
  /* three sheets submitted an hour apart; the inbox lists them oldest first */
  long long ids[3];
  for(int i=0; i<3; i++){
    c1.now = c3.now = at(2026, 6, 20, 7 + i, 0);
    ids[i] = i==1 ? submit_as(&c3, CODE, U("FT2"), 13, 1) : submit(&c1, 13 + i);
  }
  HDF *h;
  int n;
  OK(hdf_init(&h));
  QINBOX q;
  memset(&q, 0, sizeof q);
  q.limit = 100;
  hd.now = at(2026, 6, 21, 8, 30);           /* the first two have waited more than a day */
  OK(flow_inbox(&hd, &q, h, "L", &n));
  long long seen[3] = { 0, 0, 0 };
  int k = 0, over = 0;
  for(HDF *x = hdf_get_child(h, "L"); x; x = hdf_obj_next(x)){
    long long id = atoll(hdf_get_value(x, "id", "0"));
    for(int i=0; i<3; i++) if( id==ids[i] ){ seen[k++] = id; over += atoi(hdf_get_value(x, "overdue", "0")); }
  }
  assert_int_equal(k, 3);
  assert_true(seen[0]==ids[0] && seen[1]==ids[1] && seen[2]==ids[2]);
  assert_int_equal(over, 2);
  /* the unit filter, and the form filter */
  hdf_destroy(&h);
  OK(hdf_init(&h));
  q.unit_id = unit_id(U("FT2"));
  OK(flow_inbox(&hd, &q, h, "L", &n));
  assert_int_equal(n, 1);
  assert_int_equal(atoll(hdf_get_value(h, "L.0.id", "0")), ids[1]);
  /* keyset: after the first, the page starts with the second */
  q.unit_id = 0;
  DB_STMT *st;
  OK(db_query(dbt_db, &st, "SELECT state_at FROM entry WHERE id = ?", "i", ids[0]));
  assert_true(db_step(st));
  q.after_at = db_text(st, 0);
  db_done(st);
  q.after_id = ids[0];
  hdf_destroy(&h);
  OK(hdf_init(&h));
  OK(flow_inbox(&hd, &q, h, "L", &n));
  int pos1 = -1, pos0 = -1, i = 0;
  for(HDF *x = hdf_get_child(h, "L"); x; x = hdf_obj_next(x), i++){
    long long id = atoll(hdf_get_value(x, "id", "0"));
    if( id==ids[0] ) pos0 = i;
    if( id==ids[1] ) pos1 = i;
  }
  assert_int_equal(pos0, -1);
  assert_true(pos1>=0);
  hdf_destroy(&h);
  /* the portal's count */
  FLOW_PORTAL p;
  OK(flow_portal(&hd, &p));
  assert_true(p.waiting>=3);
  assert_true(p.overdue>=2);
}

static void returned_reminders(void **state){
  CTX c1 = who("c1"), h1 = who("h1"), hd = who("hd");
  long long id = submit(&c1, 16);
  done(act(&h1, FL_REJECT, id, "请补充", 0));
  FLOW_PORTAL p;
  OK(flow_portal(&c1, &p));
  long long before = p.returned_late;
  assert_true(p.returned>=1);
  c1.now = hd.now = NOW + 25*3600;           /* not fixed within Flow.ReturnedHours */
  OK(flow_portal(&c1, &p));
  assert_true(p.returned_late>=before + 1);
  OK(flow_portal(&hd, &p));
  assert_true(p.team_late>=1);
}

static int in_inbox(CTX *c, long long id){
  HDF *h;
  int n, found = 0;
  QINBOX q;
  memset(&q, 0, sizeof q);
  q.limit = 500;
  OK(hdf_init(&h));
  OK(flow_inbox(c, &q, h, "L", &n));
  for(HDF *x = hdf_get_child(h, "L"); x; x = hdf_obj_next(x)) found |= atoll(hdf_get_value(x, "id", "0"))==id;
  hdf_destroy(&h);
  return found;
}

static void add_an_approver(void **state){
  CTX c1 = who("c1"), c2 = who("c2"), h1 = who("h1"), hd = who("hd"), ho = who("ho"), x1 = who("x1");
  long long id = submit(&c1, 17), hid = hd.user->id;
  refused(&h1, FL_ADD, id, "", hid, "flow.reason", FLOW_INPUT);
  refused(&h1, FL_ADD, id, "请部门复核", c2.user->id, "flow.add_target", FLOW_INPUT);   /* a clerk */
  refused(&h1, FL_ADD, id, "请部门复核", ho.user->id, "flow.add_target", FLOW_INPUT);   /* out of scope */
  refused(&h1, FL_ADD, id, "请部门复核", c1.user->id, "flow.add_target", FLOW_INPUT);   /* the submitter */
  refused(&h1, FL_ADD, id, "请部门复核", h1.user->id, "flow.add_target", FLOW_INPUT);   /* oneself */
  done(act(&h1, FL_ADD, id, "请部门复核", hid));
  assert_int_equal(step_of(id), 2);
  assert_int_equal(dbt_count("SELECT nsteps FROM entry WHERE id = ?", sid(id)), 3);
  assert_int_equal(dbt_count("SELECT user_id FROM entry_step WHERE entry_id = ? AND step = 2 AND at_kind = 'user'", sid(id)), hid);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM entry_step WHERE entry_id = ? AND step = 3 AND at_unit_id IS NOT NULL", sid(id)), 1);
  /* only the account added approves the added step, and it is in its inbox */
  refused(&x1, FL_APPROVE, id, NULL, 0, "flow.not_approver", FLOW_DENIED);
  refused(&h1, FL_APPROVE, id, NULL, 0, "flow.not_approver", FLOW_DENIED);
  assert_true(in_inbox(&hd, id));
  assert_false(in_inbox(&h1, id));
  /* recalled: the added step goes with the approval */
  done(act(&h1, FL_RECALL, id, NULL, 0));
  assert_int_equal(step_of(id), 1);
  assert_int_equal(dbt_count("SELECT nsteps FROM entry WHERE id = ?", sid(id)), 2);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM entry_step WHERE entry_id = ? AND at_kind = 'user'", sid(id)), 0);
  assert_false(in_inbox(&hd, id) && step_of(id)==2);
  /* added again, then through: the added approver, then the centre */
  done(act(&h1, FL_ADD, id, "请部门复核", hid));
  done(act(&hd, FL_APPROVE, id, "复核无误", 0));
  assert_int_equal(step_of(id), 3);
  done(act(&x1, FL_APPROVE, id, NULL, 0));
  assert_string_equal(status_of(id), "approved");
  assert_int_equal(dbt_count(arena_printf(dbt_arena, "SELECT COUNT(*) FROM entry_action WHERE entry_id = ? AND action = 'add'"
                             " AND to_id = %lld AND note = '请部门复核'", hid), sid(id)), 2);
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM audit_log WHERE object = ? AND action = 'flow.add' AND result = 'ok'",
                             arena_printf(dbt_arena, "entry:%lld", id)), 2);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_chain_is_parsed_and_checked),
    cmocka_unit_test(no_chain_is_final_on_submit),
    cmocka_unit_test(two_steps_to_approved_with_history_and_audit),
    cmocka_unit_test(wrong_role_scope_state_and_version),
    cmocka_unit_test(own_submission_never),
    cmocka_unit_test(stand_ins),
    cmocka_unit_test(reject_resubmit_back_transfer),
    cmocka_unit_test(withdraw_and_recall),
    cmocka_unit_test(correction_is_a_new_revision),
    cmocka_unit_test(the_chain_in_force_stays),
    cmocka_unit_test(inbox_order_filters_keyset_overdue),
    cmocka_unit_test(returned_reminders),
    cmocka_unit_test(add_an_approver),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
