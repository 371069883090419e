/*
** test_db.c -- db.c against the real MariaDB of the test instance.
**
** Run by tests/run-all.sh after the test instance has started, with
** DIAODU_CONF="<root>/conf/diaodu.conf:<root>/var/test/local.conf" (the HDF
** files to load, colon-separated).  Nothing is left behind: rows go into
** TEMPORARY tables, locks are taken in transactions that are rolled back.
** Most tests run as the application account, as the workers do; the ones
** that need a TEMPORARY table use an owner connection (conf_owner()), since
** the application account may not create tables of any kind (schema.h).
**   - the statement cache keeps its own copy of the SQL text (a buffer
**     overwritten, an arena freed after the call);
**   - it evicts the least recently used statement, never one whose result
**     is being read (counted with db_prepares());
**   - 300 parameters in one INSERT, from a DB_ARG array; more than 64 result
**     columns; DB_MAX_BIND parameters work, one more is NERR_ASSERT;
**   - a stream of 200,000 rows leaves the arena and the resident size flat,
**     long values, the one-stream-at-a-time rule, closing a stream early,
**     a statement time limit that cuts a stream short is reported;
**   - a connection killed under it is reopened; handles stay safe;
**   - duplicate key and lock wait timeout are told apart by db_err_is().
*/
#include "dbtest.h"
#include "db.h"

#define D dbt_db
#define A dbt_arena
#define CONF dbt_conf

static HDF *OCONF;
static DB *O;                 /* the owner account, opened on first use */

static DB *owner(void){
  if( O==NULL ){
    OK(conf_owner(CONF, &OCONF));
    OK(db_open(&O, OCONF, A));
  }
  return O;
}

static int teardown(void **state){
  db_close(O);
  if( OCONF ) hdf_destroy(&OCONF);
  return dbt_close(state);
}

static long long one(const char *sql, const char *fmt, long long v){
  long long out = -1;
  int found = 0;
  OK(db_one_int(D, &out, &found, sql, fmt, v));
  assert_int_equal(found, 1);
  return out;
}

/* ---- the statement cache ---- */

static void cache_owns_sql_text(void **state){
  char buf[64];
  strcpy(buf, "SELECT ? + 1");
  assert_int_equal(one(buf, "i", 41), 42);
  long p0 = db_prepares(D);
  strcpy(buf, "SELECT ? * 10");             /* same buffer, other statement */
  assert_int_equal(one(buf, "i", 5), 50);
  assert_int_equal(db_prepares(D), p0 + 1);
  strcpy(buf, "SELECT ? + 1");              /* found again by its text */
  assert_int_equal(one(buf, "i", 1), 2);
  assert_int_equal(db_prepares(D), p0 + 1);

  /* SQL built in an arena that is gone before the next lookup */
  ARENA *tmp = arena_new(1024);
  char *sql = arena_printf(tmp, "SELECT ? - %d", 7);
  assert_int_equal(one(sql, "i", 10), 3);
  memset(sql, 'x', strlen(sql));
  arena_free(tmp);
  assert_int_equal(one("SELECT ? * 10", "i", 2), 20);
  assert_int_equal(one("SELECT ? - 7", "i", 10), 3);
  assert_int_equal(db_prepares(D), p0 + 2);
}

static void cache_evicts_least_recently_used(void **state){
  const char *hot = "SELECT ? AS hot";
  char sql[64];
  assert_int_equal(one(hot, "i", 1), 1);
  long p0 = db_prepares(D);
  int cold = 2 * DB_STMT_CACHE;
  for(int i=0; i<cold; i++){
    snprintf(sql, sizeof sql, "SELECT ? + %d AS cold", i);
    assert_int_equal(one(sql, "i", 1), i + 1);
    if( i % 8==0 ) assert_int_equal(one(hot, "i", i), i);
  }
  /* the hot statement was never prepared again, every cold one once */
  assert_int_equal(db_prepares(D), p0 + cold);
  /* the most recent cold one is still there, the first was evicted */
  snprintf(sql, sizeof sql, "SELECT ? + %d AS cold", cold - 1);
  assert_int_equal(one(sql, "i", 0), cold - 1);
  assert_int_equal(db_prepares(D), p0 + cold);
  assert_int_equal(one("SELECT ? + 0 AS cold", "i", 5), 5);
  assert_int_equal(db_prepares(D), p0 + cold + 1);
}

static void open_result_survives_eviction(void **state){
  DB_STMT *st;
  char sql[64];
  OK(db_query(D, &st, "SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3", ""));
  assert_int_equal(db_step(st), 1);
  assert_int_equal(db_int(st, 0), 1);
  /* enough other statements to evict it, were it evictable */
  for(int i=0; i<2 * DB_STMT_CACHE; i++){
    snprintf(sql, sizeof sql, "SELECT ? + %d AS other", i);
    assert_int_equal(one(sql, "i", 0), i);
  }
  assert_int_equal(db_step(st), 1);
  assert_int_equal(db_int(st, 0), 2);
  assert_int_equal(db_step(st), 1);
  assert_int_equal(db_int(st, 0), 3);
  assert_int_equal(db_step(st), 0);
  OK(db_finish(st));
}

/* ---- parameters and columns ---- */

static void many_parameters_insert(void **state){
  enum { ROWS = 30, FIELDS = 10 };
  OK(db_exec(owner(), "CREATE TEMPORARY TABLE t_sheet (row_no INT PRIMARY KEY, f1 VARCHAR(20),"
                " f2 VARCHAR(20), f3 VARCHAR(20), f4 VARCHAR(20), f5 VARCHAR(20), f6 VARCHAR(20),"
                " f7 VARCHAR(20), f8 VARCHAR(20), f9 VARCHAR(20))", ""));
  STRING sql, fmt;
  string_init(&sql);
  string_init(&fmt);
  DB_ARG *args = arena_alloc(A, sizeof(DB_ARG) * ROWS * FIELDS);
  OK(string_append(&sql, "INSERT INTO t_sheet VALUES "));
  for(int r=0; r<ROWS; r++){
    OK(string_append(&sql, r ? ",(?" : "(?"));
    OK(string_append(&fmt, "i"));
    args[r * FIELDS].i = r;
    for(int f=1; f<FIELDS; f++){
      OK(string_append(&sql, ",?"));
      OK(string_append(&fmt, "s"));
      /* row 7, field 3 is NULL */
      args[r * FIELDS + f].p = (r==7 && f==3) ? NULL : arena_printf(A, "r%d-f%d", r, f);
    }
    OK(string_append(&sql, ")"));
  }
  assert_int_equal(strlen(fmt.buf), ROWS * FIELDS);
  OK(db_exec_args(owner(), sql.buf, fmt.buf, args));
  assert_int_equal(db_affected(owner()), ROWS);
  string_clear(&sql);
  string_clear(&fmt);

  DB_STMT *st;
  OK(db_query(owner(), &st, "SELECT COUNT(*), COUNT(f3) FROM t_sheet", ""));
  assert_int_equal(db_step(st), 1);
  assert_int_equal(db_int(st, 0), ROWS);
  assert_int_equal(db_int(st, 1), ROWS - 1);
  OK(db_finish(st));
  OK(db_query(owner(), &st, "SELECT f9 FROM t_sheet WHERE row_no = ?", "i", (long long)ROWS - 1));
  assert_int_equal(db_step(st), 1);
  assert_string_equal(db_text(st, 0), "r29-f9");
  OK(db_finish(st));

  /* too few values for the placeholders */
  NEOERR *err = db_exec(owner(), "INSERT INTO t_sheet (row_no, f1) VALUES (?, ?)", "i", 99LL);
  assert_non_null(err);
  assert_int_equal(err_status(err), 500);
  nerr_ignore(&err);
  OK(db_exec(owner(), "DROP TEMPORARY TABLE t_sheet", ""));
}

/* "SELECT ? IN (?,?,...)" with n placeholders in all */
static char *in_list(int n){
  STRING s;
  string_init(&s);
  string_append(&s, "SELECT ? IN (?");
  for(int i=2; i<n; i++) string_append(&s, ",?");
  string_append(&s, ")");
  char *out = arena_strdup(A, s.buf);
  string_clear(&s);
  return out;
}

static void bind_cap(void **state){
  int n = DB_MAX_BIND;
  char *fmt = arena_alloc(A, (size_t)n + 2);
  DB_ARG *args = arena_alloc(A, sizeof(DB_ARG) * (size_t)(n + 1));
  memset(fmt, 'i', (size_t)n);
  for(int i=0; i<=n; i++) args[i].i = i;
  args[0].i = n - 1;                         /* the last of the list */
  DB_STMT *st;
  OK(db_query_args(D, &st, 0, in_list(n), fmt, args));
  assert_int_equal(db_step(st), 1);
  assert_int_equal(db_int(st, 0), 1);
  OK(db_finish(st));

  fmt[n] = 'i';
  NEOERR *err = db_query_args(D, &st, 0, in_list(n + 1), fmt, args);
  assert_non_null(err);
  assert_true(nerr_match(err, NERR_ASSERT));
  STRING s;
  string_init(&s);
  nerr_error_string(err, &s);
  assert_non_null(strstr(s.buf, "more than 4096"));
  string_clear(&s);
  nerr_ignore(&err);
  assert_int_equal(one("SELECT ?", "i", 8), 8);   /* the connection is fine */
}

static void many_columns(void **state){
  STRING s;
  string_init(&s);
  string_append(&s, "SELECT 1");
  for(int i=2; i<=300; i++) string_appendf(&s, ", %d", i);
  DB_STMT *st;
  OK(db_query(D, &st, s.buf, ""));
  string_clear(&s);
  assert_int_equal(db_cols(st), 300);
  assert_int_equal(db_step(st), 1);
  assert_int_equal(db_int(st, 0), 1);
  assert_int_equal(db_int(st, 64), 65);
  assert_int_equal(db_int(st, 299), 300);
  assert_null(db_text(st, 300));
  assert_int_equal(db_step(st), 0);
  OK(db_finish(st));
}

static void args_letters(void **state){
  DB_ARG a[4] = { { .i = 0 }, { .p = NULL }, { .p = "x\0y", .n = 3 }, { .i = 0 } };
  DB_STMT *st;
  OK(db_query_args(D, &st, 0, "SELECT ? IS NULL, ? IS NULL, LENGTH(?), ? IS NULL", "nsbi", a));
  assert_int_equal(db_step(st), 1);
  assert_int_equal(db_int(st, 0), 1);
  assert_int_equal(db_int(st, 1), 1);
  assert_int_equal(db_int(st, 2), 3);
  assert_int_equal(db_int(st, 3), 0);
  OK(db_finish(st));
}

/* ---- streams ---- */

/* 0 .. 100000*m-1 from a cross join of digits (no deep recursion) */
static const char *SEQ =
  "WITH RECURSIVE d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE n < 9)"
  " SELECT a.n + 10*b.n + 100*c.n + 1000*e.n + 10000*f.n + 100000*g.n AS n,"
  " CONCAT('r', a.n + 10*b.n + 100*c.n + 1000*e.n + 10000*f.n + 100000*g.n)"
  " FROM d a, d b, d c, d e, d f, d g WHERE g.n < ?";

static long rss_kib(void){
  long pages = 0, rss = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if( f==NULL ) return 0;
  if( fscanf(f, "%ld %ld", &pages, &rss)!=2 ) rss = 0;
  fclose(f);
  return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static void stream_200k_rows_flat(void **state){
  DB_STMT *st;
  char want[16];
  long long count = 0, sum = 0;
  OK(db_exec(D, "SET SESSION max_statement_time = 60", ""));
  size_t used = arena_used(A);
  long rss0 = rss_kib(), peak = rss0;
  OK(db_query_stream(D, &st, SEQ, "i", 2LL));
  while( db_step(st) ){
    long long n = db_int(st, 0);
    snprintf(want, sizeof want, "r%lld", n);
    if( strcmp(db_text(st, 1), want)!=0 ) fail_msg("row %lld: %s", n, db_text(st, 1));
    assert_int_equal(db_len(st, 1), strlen(want));
    sum += n;
    if( ++count % 10000==0 ){
      long r = rss_kib();
      if( r>peak ) peak = r;
    }
  }
  OK(db_finish(st));
  assert_int_equal(count, 200000);
  assert_int_equal(sum, 199999LL * 200000 / 2);
  assert_int_equal(arena_used(A), used);      /* nothing of the rows in the arena */
  /* measured: about 0.3 MB streamed; 11 MB when the rows are stored client-side */
  if( peak - rss0 > 2048 ) fail_msg("resident size grew by %ld KiB while streaming", peak - rss0);
  OK(db_exec(D, "SET SESSION max_statement_time = 3", ""));
}

static void stream_long_values(void **state){
  DB_STMT *st;
  OK(db_query_stream(D, &st,
    "SELECT n, REPEAT(CHAR(65 + n MOD 26), 100 * n), NULL FROM ("
    " WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 40)"
    " SELECT n FROM s) x ORDER BY n", ""));
  int rows = 0;
  while( db_step(st) ){
    long long n = db_int(st, 0);
    const char *v = db_text(st, 1);
    assert_int_equal(db_len(st, 1), (size_t)(100 * n));
    assert_int_equal(strlen(v), (size_t)(100 * n));
    assert_int_equal(v[0], 'A' + n % 26);
    assert_int_equal(v[100 * n - 1], 'A' + n % 26);
    assert_null(db_text(st, 2));
    rows++;
  }
  OK(db_finish(st));
  assert_int_equal(rows, 40);
}

static void stream_is_alone_on_the_connection(void **state){
  DB_STMT *st;
  OK(db_query_stream(D, &st, SEQ, "i", 1LL));
  assert_int_equal(db_step(st), 1);
  NEOERR *err = db_exec(D, "SELECT 1", "");
  assert_non_null(err);
  assert_true(nerr_match(err, NERR_ASSERT));
  nerr_ignore(&err);
  assert_int_equal(db_step(st), 0);           /* the stream was closed */
  assert_int_equal(one("SELECT ?", "i", 7), 7);

  OK(db_query_stream(D, &st, SEQ, "i", 1LL));
  err = db_exec_text(D, "DO 1");
  assert_non_null(err);
  assert_true(nerr_match(err, NERR_ASSERT));
  nerr_ignore(&err);
  OK(db_exec_text(D, "DO 1"));

  OK(db_query_stream(D, &st, SEQ, "i", 1LL));
  err = db_begin(D);
  assert_non_null(err);
  assert_true(nerr_match(err, NERR_ASSERT));
  nerr_ignore(&err);
  assert_false(db_in_tx(D));
  assert_int_equal(one("SELECT ?", "i", 8), 8);

  /* a stream inside a transaction; the commit waits for it */
  OK(db_begin(D));
  OK(db_query_stream(D, &st, SEQ, "i", 1LL));
  assert_int_equal(db_step(st), 1);
  err = db_commit(D);
  assert_non_null(err);
  nerr_ignore(&err);
  assert_false(db_in_tx(D));
  assert_int_equal(one("SELECT ?", "i", 9), 9);
}

static void stream_closed_early(void **state){
  DB_STMT *st;
  OK(db_query_stream(D, &st, SEQ, "i", 2LL));
  for(int i=0; i<1000; i++) assert_int_equal(db_step(st), 1);
  OK(db_finish(st));                           /* the rest is discarded */
  assert_int_equal(one("SELECT ? + 1", "i", 1), 2);
  /* the same statement streams again from the start */
  OK(db_query_stream(D, &st, SEQ, "i", 1LL));
  long long count = 0;
  while( db_step(st) ) count++;
  OK(db_finish(st));
  assert_int_equal(count, 100000);
}

static void stream_cut_short_is_reported(void **state){
  DB_STMT *st;
  OK(db_exec(D, "SET SESSION max_statement_time = 0.3", ""));
  OK(db_query_stream(D, &st,
    "WITH RECURSIVE d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE n < 9)"
    " SELECT a.n, SLEEP(0.02) FROM d a, d b", ""));
  int rows = 0;
  while( db_step(st) ) rows++;
  NEOERR *err = db_finish(st);
  assert_non_null(err);
  assert_true(db_err_is(err, "timeout"));
  assert_int_equal(err_status(err), 503);
  nerr_ignore(&err);
  assert_true(rows < 100);
  OK(db_exec(D, "SET SESSION max_statement_time = 3", ""));
  assert_int_equal(one("SELECT ?", "i", 3), 3);
}

/* ---- reconnecting ---- */

static void reconnect_keeps_handles(void **state){
  DB_STMT *st;
  DB *d2;
  ARENA *a2 = arena_new(4096);
  long long id = one("SELECT CONNECTION_ID() + ?", "i", 0);
  assert_int_equal(one("SELECT ? * 2", "i", 21), 42);
  OK(db_query(D, &st, "SELECT 1 UNION ALL SELECT 2", ""));
  assert_int_equal(db_step(st), 1);
  long c0 = db_connects(D), p0 = db_prepares(D);
  OK(db_open(&d2, CONF, a2));
  OK(db_exec(d2, "KILL CONNECTION ?", "i", id));
  db_close(d2);
  arena_free(a2);
  /* the next statement finds the connection gone, reconnects, runs again */
  assert_int_equal(one("SELECT ? * 2", "i", 4), 8);
  assert_int_equal(db_connects(D), c0 + 1);
  assert_true(db_prepares(D) > p0);
  /* the handle of the result that was open is still safe to use */
  assert_int_equal(db_step(st), 0);
  OK(db_finish(st));
  OK(db_query(D, &st, "SELECT 1 UNION ALL SELECT 2", ""));
  assert_int_equal(db_step(st), 1);
  assert_int_equal(db_step(st), 1);
  assert_int_equal(db_step(st), 0);
  OK(db_finish(st));
}

/* ---- duplicate and busy ---- */

static void duplicate_and_busy(void **state){
  NEOERR *err;
  OK(db_exec(owner(), "CREATE TEMPORARY TABLE t_code (code VARCHAR(10) PRIMARY KEY)", ""));
  OK(db_exec(owner(), "INSERT INTO t_code VALUES (?)", "s", "A1"));
  err = db_exec(owner(), "INSERT INTO t_code VALUES (?)", "s", "A1");
  assert_non_null(err);
  err = nerr_pass(err);                        /* as a caller would pass it up */
  assert_true(db_is_dup(err));
  assert_false(db_is_busy(err));
  assert_int_equal(err_status(err), 409);
  nerr_ignore(&err);
  OK(db_exec(owner(), "DROP TEMPORARY TABLE t_code", ""));

  /* a second connection waits for a row the first one holds */
  DB *d2;
  ARENA *a2 = arena_new(4096);
  OK(db_open(&d2, CONF, a2));
  OK(db_exec(d2, "SET SESSION innodb_lock_wait_timeout = 1", ""));
  long long v = 0;
  int found = 0;
  OK(db_begin(D));
  OK(db_one_int(D, &v, &found,
    "SELECT version FROM schema_version ORDER BY version LIMIT 1 FOR UPDATE", ""));
  assert_int_equal(found, 1);
  OK(db_begin(d2));
  err = db_one_int(d2, &v, &found,
    "SELECT version FROM schema_version WHERE version = ? FOR UPDATE", "i", v);
  assert_non_null(err);
  assert_true(db_is_busy(err));
  assert_false(db_is_dup(err));
  assert_int_equal(err_status(err), 409);
  nerr_ignore(&err);
  db_rollback(d2);
  db_rollback(D);
  db_close(d2);
  arena_free(a2);

  /* not database errors */
  assert_false(db_err_is(STATUS_OK, "busy"));
  err = nerr_raise(ERR_INPUT, "busy");
  assert_false(db_is_busy(err));
  nerr_ignore(&err);
  err = nerr_raise(ERR_CONFLICT, "busy");
  assert_false(db_err_is(err, "duplicate"));
  assert_false(db_err_is(err, NULL));
  nerr_ignore(&err);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(cache_owns_sql_text),
    cmocka_unit_test(cache_evicts_least_recently_used),
    cmocka_unit_test(open_result_survives_eviction),
    cmocka_unit_test(many_parameters_insert),
    cmocka_unit_test(bind_cap),
    cmocka_unit_test(many_columns),
    cmocka_unit_test(args_letters),
    cmocka_unit_test(stream_200k_rows_flat),
    cmocka_unit_test(stream_long_values),
    cmocka_unit_test(stream_is_alone_on_the_connection),
    cmocka_unit_test(stream_closed_early),
    cmocka_unit_test(stream_cut_short_is_reported),
    cmocka_unit_test(reconnect_keeps_handles),
    cmocka_unit_test(duplicate_and_busy),
  };
  return cmocka_run_group_tests(tests, dbt_open, teardown);
}
