/*
** dbtest.h -- what a C test of domain code against the real MariaDB needs.
**
** tests/db/test_*.c run after the test instance has started (run-all.sh),
** with DIAODU_CONF = "conf/diaodu.conf:var/test/local.conf" (colon-separated
** HDF files, later ones override).  dbt_open() loads them, opens the
** instance's database as the application account and gives an operator
** context; dbt_user() builds the context of a real account (its grants as
** the database holds them), so a test acts exactly as that user would in
** the browser.  Each test makes its own units and accounts with a unique
** suffix (dbt_uniq), so the suite can run against any state.
*/
#ifndef DIAODU_DBTEST_H
#define DIAODU_DBTEST_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ctx.h"
#include "conf.h"
#include "err.h"
#include "pw.h"
#include "q_user.h"
#include "audit.h"

static HDF *dbt_conf;
static DB *dbt_db;
static ARENA *dbt_arena;
static CTX dbt_op;
static char dbt_uniq[16];

#define OK(expr) do{ NEOERR *e_ = (expr); if( e_ ){ STRING s_; string_init(&s_); \
    nerr_error_traceback(e_, &s_); fprintf(stderr, "%s\n", s_.buf ? s_.buf : ""); \
    string_clear(&s_); nerr_ignore(&e_); fail_msg("%s failed", #expr); } }while(0)

static int dbt_open(void **state){
  (void)state;
  const char *env = getenv("DIAODU_CONF");
  if( env==NULL ){ fprintf(stderr, "DIAODU_CONF is not set\n"); return -1; }
  static char buf[2048];
  const char *files[8];
  int n = 0;
  snprintf(buf, sizeof buf, "%s", env);
  for(char *save = NULL, *t = strtok_r(buf, ":", &save); t && n<8; t = strtok_r(NULL, ":", &save))
    files[n++] = t;
  NEOERR *err = err_init();
  if( !err ) err = conf_load(&dbt_conf, files, n);
  if( !err ) err = pw_init(dbt_conf);
  if( !err ) err = audit_init(dbt_conf);
  if( err ){ nerr_log_error(err); nerr_ignore(&err); return -1; }
  dbt_arena = arena_new(65536);
  if( (err = db_open(&dbt_db, dbt_conf, dbt_arena)) ){ nerr_ignore(&err); return -1; }
  ctx_operator(&dbt_op, dbt_db, dbt_arena, dbt_conf, "dbtest");
  snprintf(dbt_uniq, sizeof dbt_uniq, "%ld", (long)(time(NULL) % 100000000) * 10 + (getpid() % 10));
  return 0;
}

static int dbt_close(void **state){
  (void)state;
  db_close(dbt_db);
  arena_free(dbt_arena);
  pw_shutdown();
  hdf_destroy(&dbt_conf);
  return 0;
}

/* the context of an existing account, with the grants the database holds */
static CTX dbt_user(const char *login){
  ACCOUNT acc;
  int found = 0;
  USER *u = arena_alloc(dbt_arena, sizeof *u);
  memset(u, 0, sizeof *u);
  OK(q_user_by_login(dbt_db, dbt_arena, login, &acc, &found));
  assert_true(found);
  u->id = acc.id;
  u->login = acc.login;
  u->name = acc.name;
  OK(q_user_grants(dbt_db, dbt_arena, acc.id, &u->grants, &u->ngrants));
  for(int i=0; i<u->ngrants; i++) u->caps |= u->grants[i].caps;
  CTX c = { .db = dbt_db, .arena = dbt_arena, .conf = dbt_conf, .user = u, .ip = "192.0.2.7",
            .ua = "dbtest", .req_id = "dbtest" };
  return c;
}

/* a single integer from SQL with one optional string parameter */
static long long dbt_count(const char *sql, const char *param){
  long long n = 0;
  int found;
  if( param ) OK(db_one_int(dbt_db, &n, &found, sql, "s", param));
  else OK(db_one_int(dbt_db, &n, &found, sql, ""));
  return n;
}

static const char *U(const char *base){ return arena_printf(dbt_arena, "%s%s", base, dbt_uniq); }

#endif
