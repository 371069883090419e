/*
** test_job.c -- background jobs (dom/job.c, sql/q_job.c) against the test
** instance's MariaDB while its job runner is up (it is a third claimant:
** the properties hold with it).  Claiming with a transaction of another
** runner open skips the locked job instead of waiting (SKIP LOCKED) and
** never takes one twice (attempts count the claims); the claim token
** fences a runner whose job was taken back (beat, done and fail change
** nothing); leases that passed are queued again while attempts remain,
** else failed "job.interrupted", and an archive row follows its job;
** cancelling and reading are the owner's only; Jobs.MaxActive; the
** archive is queued once per report and period.
*/
#include "dbtest.h"
#include "job.h"
#include "jobkind.h"
#include "org.h"
#include "acct.h"
#include "q_job.h"
#include "q_user.h"

static long long unit_id(const char *code){
  long long id; int found;
  OK(q_unit_id_by_code(dbt_db, code, &id, &found));
  return found ? id : 0;
}

static long long make_user(const char *login, const char *role){
  const char *msg;
  long long id;
  char code[16], tok[TOKEN_LEN + 1];
  OK(org_user_create(&dbt_op, login, arena_printf(dbt_arena, "任务%s", login + strlen(login) - 3), unit_id("100010"),
                     NULL, role, "all", &id, code, &msg));
  if( msg ) fail_msg("org_user_create %s: %s", login, msg);
  OK(acct_activate(&dbt_op, login, code, "Ceshi-Mima-2026!", "Ceshi-Mima-2026!", &msg, tok));
  assert_null(msg);
  return id;
}

static const char *now_plus(long secs){
  char buf[DAY_KEYSZ];
  return arena_strdup(dbt_arena, day_utc_text(time(NULL) + secs, buf));
}

/* a job row in a given state, as if a runner held it (claim, lease) */
static long long put(long long user, const char *state, const char *claim, long lease_secs, int attempts, int max){
  OK(db_exec(dbt_db,
    "INSERT INTO job (user_id, kind, title, args, state, claim, runner, lease_until, attempts, max_attempts, created_at)"
    " VALUES (?, 'export', '测试任务', 'Report = no_such_report', ?, ?, 'dbtest:1', ?, ?, ?, UTC_TIMESTAMP())",
    "nsssii", user, state, claim, claim ? now_plus(lease_secs) : NULL, (long long)attempts, (long long)max));
  return (long long)db_last_id(dbt_db);
}

static const char *state_of(long long id){
  DB_STMT *st;
  OK(db_query(dbt_db, &st, "SELECT state, COALESCE(reason, '') FROM job WHERE id = ?", "i", id));
  assert_true(db_step(st));
  const char *s = arena_printf(dbt_arena, "%s %s", db_text(st, 0), db_text(st, 1));
  db_done(st);
  return s;
}

static int setup(void **state){ return dbt_open(state); }
static int teardown(void **state){ return dbt_close(state); }

/* SKIP LOCKED: while one runner's claim is uncommitted, another takes a
** different job at once; no job is ever claimed twice */
static void claim_skips_locked(void **state){
  (void)state;
  long long u = make_user(U("jbc"), "dispatcher");
  long long ids[6];
  for(int i=0; i<6; i++) ids[i] = put(u, "queued", NULL, 0, 0, 3);
  DB *other = NULL;
  ARENA *oa = arena_new(16384);
  OK(db_open(&other, dbt_conf, oa));
  QJOB a, b;
  int fa = 0, fb = 0;
  OK(db_begin(dbt_db));
  OK(q_job_claim(dbt_db, "claim-a-000000000000000000000000", "dbtest:1", now_plus(0), now_plus(600), &a, &fa));
  assert_true(fa);
  time_t t0 = time(NULL);
  OK(db_begin(other));
  OK(q_job_claim(other, "claim-b-000000000000000000000000", "dbtest:2", now_plus(0), now_plus(600), &b, &fb));
  OK(db_commit(other));
  assert_true(time(NULL) - t0 < 2);                    /* no lock wait */
  if( fb ) assert_true(b.id!=a.id);
  OK(db_commit(dbt_db));
  /* whoever claimed them (this test, the instance's runner): once each */
  for(int i=0; i<6; i++){
    long long n = 0; int found;
    OK(db_one_int(dbt_db, &n, &found, "SELECT attempts FROM job WHERE id = ?", "i", ids[i]));
    assert_true(n<=1);
  }
  assert_true(dbt_count("SELECT COUNT(*) FROM job WHERE claim = 'claim-a-000000000000000000000000'", NULL)==1);
  db_close(other);
  arena_free(oa);
}

/* a runner whose job was taken back (another claim holds it) writes nothing */
static void fence(void **state){
  (void)state;
  long long u = make_user(U("jbf"), "dispatcher");
  long long id = put(u, "running", "aaaa", 600, 1, 3);
  int held;
  OK(q_job_beat(dbt_db, id, "bbbb", 50, "job.phase.query", now_plus(0), now_plus(600), &held));
  assert_false(held);
  OK(q_job_done(dbt_db, id, "bbbb", now_plus(0), "x.csv", "text/csv", "x.csv", 1, "00", 1, &held));
  assert_false(held);
  OK(q_job_fail(dbt_db, id, "bbbb", now_plus(0), "job.failed", &held));
  assert_false(held);
  assert_string_equal(state_of(id), "running ");
  OK(q_job_beat(dbt_db, id, "aaaa", 50, "job.phase.query", now_plus(0), now_plus(600), &held));
  assert_true(held);
  OK(q_job_beat(dbt_db, id, "aaaa", 50, "job.phase.query", now_plus(0), now_plus(600), &held));
  assert_true(held);                                   /* the same second again: still held (beats + 1) */
  OK(q_job_fail(dbt_db, id, "aaaa", now_plus(0), "job.failed", &held));
  assert_true(held);
  assert_string_equal(state_of(id), "failed job.failed");
}

/* leases that passed: queued again while attempts remain, else failed; the
** archive row of a failed archive job follows it */
static void recover(void **state){
  (void)state;
  long long u = make_user(U("jbr"), "dispatcher");
  long long again = put(u, "running", "cccc", 600, 1, 3);
  long long last = put(u, "running", "dddd", 600, 3, 3);
  long long alive = put(u, "running", "eeee", 7200, 1, 3);
  long long arch = put(0, "running", "ffff", 600, 3, 3);
  long long aid; int made;
  OK(q_archive_insert(dbt_db, "vehicle_month", "测试归档", "month", arena_printf(dbt_arena, "19%02lld-01", arch % 100),
                      "1901-01-01", "1901-01-31", unit_id("100"), now_plus(0), &aid, &made));
  assert_true(made);
  OK(q_archive_set_job(dbt_db, aid, arch));
  long long requeued, failed;
  /* an hour from now the first leases have passed (the runner's own
  ** housekeeping, on the clock, does not touch them yet); in one
  ** transaction, so no runner claims them before they are read */
  OK(db_begin(dbt_db));
  OK(q_job_recover(dbt_db, now_plus(3600), &requeued, &failed));
  assert_true(requeued>=1);
  assert_true(failed>=2);
  assert_string_equal(state_of(again), "queued job.retried");
  assert_string_equal(state_of(last), "failed job.interrupted");
  assert_string_equal(state_of(alive), "running ");
  assert_string_equal(state_of(arch), "failed job.interrupted");
  assert_int_equal(dbt_count(arena_printf(dbt_arena, "SELECT COUNT(*) FROM report_archive WHERE id = %lld AND state = 'failed'"
                                          " AND reason = 'job.interrupted'", aid), NULL), 1);
  OK(db_commit(dbt_db));
  /* nothing stays running past its lease */
  int held;
  OK(q_job_fail(dbt_db, alive, "eeee", now_plus(0), "job.failed", &held));
  assert_true(held);
}

/* the owner's only: read, cancel; refusals named; audited */
static void owner_only(void **state){
  (void)state;
  const char *lx = U("jbx"), *ly = U("jby");
  long long x = make_user(lx, "dispatcher");
  make_user(ly, "dispatcher");
  long long id = put(x, "running", "gggg", 7200, 1, 3);
  CTX cx = dbt_user(lx), cy = dbt_user(ly);
  QJOB j;
  int found;
  OK(job_get(&cy, id, &j, &found));
  assert_false(found);
  OK(job_get(&cx, id, &j, &found));
  assert_true(found);
  const char *msg;
  STRING data;
  string_init(&data);
  OK(job_file(&cy, id, &j, &data, &msg));
  assert_string_equal(msg, "job.not_found");
  OK(job_file(&cx, id, &j, &data, &msg));
  assert_string_equal(msg, "job.not_ready");
  string_clear(&data);
  OK(job_cancel(&cy, id, &msg));
  assert_string_equal(msg, "job.not_found");
  long long before = dbt_count("SELECT COUNT(*) FROM audit_log WHERE action = 'job.cancel'", NULL);
  OK(job_cancel(&cx, id, &msg));
  assert_null(msg);
  assert_string_equal(state_of(id), "cancelled ");
  assert_int_equal(dbt_count("SELECT COUNT(*) FROM audit_log WHERE action = 'job.cancel'", NULL), before + 1);
  OK(job_cancel(&cx, id, &msg));
  assert_string_equal(msg, "job.not_active");
  /* the runner that held it finds out at its next beat */
  int held;
  OK(q_job_beat(dbt_db, id, "gggg", 60, "job.phase.render", now_plus(0), now_plus(600), &held));
  assert_false(held);
}

/* Jobs.MaxActive (5) queued or running at once per account */
static void too_many(void **state){
  (void)state;
  const char *l = U("jbm");
  long long u = make_user(l, "dispatcher");
  for(int i=0; i<5; i++) put(u, "running", "hhhh", 7200, 1, 3);
  CTX c = dbt_user(l);
  long long id;
  const char *msg;
  OK(job_queue(&c, "export", "第六个", "Report = x", &id, &msg));
  assert_string_equal(msg, "job.too_many");
  assert_int_equal(dbt_count(arena_printf(dbt_arena, "SELECT COUNT(*) FROM job WHERE user_id = %lld", u), NULL), 5);
  OK(db_exec(dbt_db, "UPDATE job SET state = 'cancelled' WHERE user_id = ?", "i", u));
}

/* the archive: once per report and period */
static void archive_once(void **state){
  (void)state;
  int queued, again;
  const char *msg;
  const char *date = arena_printf(dbt_arena, "19%02d-03-15", (int)(getpid() % 60) + 30);
  OK(job_archive_due(&dbt_op, "", date, &queued, &msg));
  assert_null(msg);
  assert_true(queued>=2);
  OK(job_archive_due(&dbt_op, "", date, &again, &msg));
  assert_null(msg);
  assert_int_equal(again, 0);
  OK(job_archive_due(&dbt_op, "month", "2999-01-15", &again, &msg));
  assert_string_equal(msg, "archive.not_ended");
  OK(job_archive_due(&dbt_op, "month", "1999-02-30", &again, &msg));
  assert_string_equal(msg, "archive.bad_date");
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(claim_skips_locked),
    cmocka_unit_test(fence),
    cmocka_unit_test(recover),
    cmocka_unit_test(owner_only),
    cmocka_unit_test(too_many),
    cmocka_unit_test(archive_once),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
