/*
** bench_submit.c -- part of `make bench` (tests/bench-audit.sh): what the
** audit record costs on the entry submit path.  A 20-row sheet of the
** bench form (bench_sheet: lookups, a select, times, decimals, computed
** fields) is created and submitted through the entry engine (entry_new,
** entry_set, entry_save: checks, the header and rows, the entry row, one
** transaction) as a real clerk account, with its audit record and without
** it, interleaved in rounds in the same run against the bench instance's
** MariaDB.  "Without" is made at link time, never in the product: the
** Makefile links this program with -Wl,--wrap=audit_append, and the wrapper
** below passes the call on (with) or returns at once (without).  The
** record's detail (every changed field, old and new) is still built in
** both: what is saved is the write of the record (the head row locked, the
** actor's roles and unit looked up, the HMAC, the INSERT, the head UPDATE).
** Prints microseconds per submit without and with the record.
** DIAODU_CONF as for tests/db; argv: LOGIN UNIT_ID [ROUNDS [PER]].
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ctx.h"
#include "audit.h"
#include "conf.h"
#include "day.h"
#include "entry.h"
#include "err.h"
#include "fdef.h"
#include "q_audit.h"
#include "q_user.h"

NEOERR *__real_audit_append(DB *db, ARENA *a, const AUDIT *rec);
NEOERR *__wrap_audit_append(DB *db, ARENA *a, const AUDIT *rec);

static int g_audited = 1;
static long g_skipped;

NEOERR *__wrap_audit_append(DB *db, ARENA *a, const AUDIT *rec){
  if( g_audited ) return nerr_pass(__real_audit_append(db, a, rec));
  g_skipped++;
  return STATUS_OK;
}

static double now(void){
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void set(SHEET *s, ARENA *a, int row, const char *code, const char *v){
  const FFIELD *f = fdef_field(s->f, code);
  if( f ) entry_set(s, a, row, f->idx, arena_strdup(a, v));    /* the sheet keeps the pointer */
}

/* one sheet for the day `day` (a day number): 1 submitted, 0 the period is
** taken already (another bench run), -1 refused */
static NEOERR *submit_one(CTX *c, long long unit, long day, int *done){
  SHEET s;
  const char *msg;
  int dup;
  char key[DAY_KEYSZ], tok[64];
  YMD d = day_ymd(day);
  snprintf(key, sizeof key, "%04d-%02d-%02d", d.y, d.m, d.d);
  *done = 0;
  NEOERR *err = entry_new(c, "bench_sheet", unit, key, &s, &msg);
  if( err ) return nerr_pass(err);
  if( msg ) return STATUS_OK;
  entry_rows(&s, c->arena, 20);
  set(&s, c->arena, -1, "duty", "压测");
  for(int i=0; i<20; i++){
    char dep[8], back[8], o1[16], o2[16];
    snprintf(dep, sizeof dep, "%02d:%02d", 6 + i / 2, (i % 2) * 30);
    snprintf(back, sizeof back, "%02d:%02d", 7 + i / 2, (i % 2) * 30 + 15);
    snprintf(o1, sizeof o1, "%d", 10000 + i * 100);
    snprintf(o2, sizeof o2, "%d.5", 10000 + i * 100 + 55);
    set(&s, c->arena, i, "vehicle", "CL002");
    set(&s, c->arena, i, "task", "公务用车");
    set(&s, c->arena, i, "depart", dep);
    set(&s, c->arena, i, "back", back);
    set(&s, c->arena, i, "odo_start", o1);
    set(&s, c->arena, i, "odo_end", o2);
    if( i % 2==0 ) set(&s, c->arena, i, "fuel", "30.00");
    set(&s, c->arena, i, "passengers", "12");
    set(&s, c->arena, i, "note", "压测");
  }
  snprintf(tok, sizeof tok, "benchsubmit%ld_%ldxxxxxxxxxxxxxxxx", day, (long)time(NULL));
  if( (err = entry_save(c, &s, 1, tok, &msg, &dup)) ) return nerr_pass(err);
  *done = msg ? -1 : 1;
  if( msg ){
    fprintf(stderr, "bench_submit: %s refused: %s\n", key, msg);
    for(int i=0; i<s.f->nhf; i++) if( s.h[i].err ) fprintf(stderr, "  %s: %s\n", s.f->hf[i].code, s.h[i].err);
    for(int r=0; r<s.nrows; r++)
      for(int i=0; i<s.f->nrf; i++) if( s.rows[r].c[i].err ) fprintf(stderr, "  row %d %s: %s\n", r + 1, s.f->rf[i].code, s.rows[r].c[i].err);
  }
  return STATUS_OK;
}

int main(int argc, char **argv){
  const char *env = getenv("DIAODU_CONF");
  if( !env || argc<3 ){ fprintf(stderr, "usage: DIAODU_CONF=a:b bench_submit LOGIN UNIT_ID [ROUNDS [PER]]\n"); return 2; }
  char buf[2048];
  const char *files[8];
  int nf = 0, rounds = argc>3 ? atoi(argv[3]) : 8, per = argc>4 ? atoi(argv[4]) : 60;
  snprintf(buf, sizeof buf, "%s", env);
  for(char *s = NULL, *t = strtok_r(buf, ":", &s); t && nf<8; t = strtok_r(NULL, ":", &s)) files[nf++] = t;
  HDF *conf;
  DB *db;
  NEOERR *err = err_init();
  if( !err ) err = conf_load(&conf, files, nf);
  if( !err ) err = audit_init(conf);
  ARENA *keep = arena_new(65536), *a = arena_new(1 << 20);
  if( !err ) err = db_open(&db, conf, keep);
  if( err ){ nerr_log_error(err); return 1; }
  /* a real clerk account with its grants, as a browser's request has */
  ACCOUNT acc;
  int found = 0;
  USER u;
  memset(&u, 0, sizeof u);
  if( (err = q_user_by_login(db, keep, argv[1], &acc, &found)) || !found ){
    if( err ) nerr_log_error(err);
    fprintf(stderr, "bench_submit: no account %s\n", argv[1]);
    return 1;
  }
  u.id = acc.id; u.login = acc.login; u.name = acc.name;
  if( (err = q_user_grants(db, keep, acc.id, &u.grants, &u.ngrants)) ){ nerr_log_error(err); return 1; }
  for(int i=0; i<u.ngrants; i++) u.caps |= u.grants[i].caps;
  CTX c = { .db = db, .arena = a, .conf = conf, .user = &u, .ip = "127.0.0.1", .ua = "bench", .req_id = "bench" };
  long long unit = atoll(argv[2]);
  /* periods of its own: days from 1971 on (the bench's HTTP runs count back
  ** from three days ago); a period taken by an earlier run is skipped */
  long day = day_num(1971, 1, 1) + (long)(time(NULL) % 97) * 10;
  double t_with = 0, t_without = 0;
  long n_with = 0, n_without = 0;
  /* warm up: the statement cache, the form, the lookups */
  for(int i=0, done; i<10 && !err; i++){ err = submit_one(&c, unit, day++, &done); arena_reset(a); }
  for(int r=0; r<rounds && !err; r++){
    for(int pass=0; pass<2 && !err; pass++){
      g_audited = (r + pass) % 2;          /* alternate which goes first */
      for(int i=0; i<per && !err; ){
        int done;
        double t0 = now();
        err = submit_one(&c, unit, day++, &done);
        double dt = now() - t0;
        arena_reset(a);
        if( done<0 ){ err = nerr_raise(NERR_ASSERT, "a bench sheet was refused"); break; }
        if( done==0 ) continue;
        if( g_audited ){ t_with += dt; n_with++; } else { t_without += dt; n_without++; }
        i++;
      }
    }
  }
  g_audited = 1;
  if( err ){ nerr_log_error(err); return 1; }
  printf("%.1f %.1f %ld %ld\n", t_without / (double)n_without * 1e6, t_with / (double)n_with * 1e6,
         n_without + n_with, g_skipped);
  db_close(db);
  arena_free(a);
  arena_free(keep);
  hdf_destroy(&conf);
  return 0;
}
