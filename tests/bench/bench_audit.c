/*
** bench_audit.c -- part of `make bench` (tests/bench-audit.sh): what the
** audit record costs on a write path.  The same write -- one base-data
** record changed in its own transaction, as org_item_save does -- runs
** with its audit record (audit_append: lock the head row, look up the
** actor, HMAC, INSERT, UPDATE the head) and without it, interleaved in
** rounds in the same run against the bench instance's MariaDB.  Prints
** microseconds per write for both and the overhead.
** DIAODU_CONF as for tests/db; argv[1]: the item id to change.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ctx.h"
#include "audit.h"
#include "conf.h"
#include "err.h"

static double now(void){
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static NEOERR *write_one(CTX *c, long long item, int i, int audited){
  char v[32], before[32];
  snprintf(v, sizeof v, "%d", i);
  snprintf(before, sizeof before, "%d", i - 1);
  return nerr_pass(DB_TX(c->db, NULL, ({
    NEOERR *e = db_exec(c->db, "UPDATE base_item SET a3 = ?, updated_at = UTC_TIMESTAMP(), version = version + 1"
                        " WHERE id = ?", "si", v, item);
    if( !e && audited )
      e = ctx_audit(c, "base.item.update", "base:vehicle:BENCH", "ok",
                    arena_printf(c->arena, "{\"before\":{\"seats\":\"%s\"},\"after\":{\"seats\":\"%s\"}}", before, v));
    e; })));
}

int main(int argc, char **argv){
  const char *env = getenv("DIAODU_CONF");
  if( !env || argc<2 ){ fprintf(stderr, "usage: DIAODU_CONF=a:b bench_audit ITEM_ID [ROUNDS [USER_ID LOGIN]]\n"); return 2; }
  char buf[2048];
  const char *files[8];
  int nf = 0, rounds = argc>2 ? atoi(argv[2]) : 10, per = 200;
  snprintf(buf, sizeof buf, "%s", env);
  for(char *s = NULL, *t = strtok_r(buf, ":", &s); t && nf<8; t = strtok_r(NULL, ":", &s)) files[nf++] = t;
  HDF *conf;
  DB *db;
  CTX c;
  NEOERR *err = err_init();
  if( !err ) err = conf_load(&conf, files, nf);
  if( !err ) err = audit_init(conf);
  ARENA *a = arena_new(65536);
  if( !err ) err = db_open(&db, conf, a);
  if( err ){ nerr_log_error(err); return 1; }
  ctx_operator(&c, db, a, conf, "bench");
  /* act as a real account (argv[3], argv[4]): the record names its roles
  ** and unit, one more query, as for every user of the browser */
  USER u = { .id = argc>4 ? atoll(argv[3]) : 0, .login = argc>4 ? argv[4] : "system" };
  if( argc>4 ){ c.user = &u; c.ip = "127.0.0.1"; c.ua = "bench"; }
  long long item = atoll(argv[1]);
  double t_with = 0, t_without = 0;
  int k = 0;
  for(int r=0; r<rounds && !err; r++){
    for(int pass=0; pass<2 && !err; pass++){
      int audited = (r + pass) % 2;       /* alternate which goes first */
      double t0 = now();
      for(int i=0; i<per && !err; i++){ err = write_one(&c, item, ++k, audited); arena_reset(a); }
      double dt = now() - t0;
      if( audited ) t_with += dt; else t_without += dt;
    }
  }
  if( err ){ nerr_log_error(err); return 1; }
  double n = (double)rounds * per;
  printf("%.1f %.1f\n", t_without / n * 1e6, t_with / n * 1e6);
  db_close(db);
  arena_free(a);
  hdf_destroy(&conf);
  return 0;
}
