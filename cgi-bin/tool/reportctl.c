/*
** reportctl.c -- `diaodu-ctl report ...`, the report engine from the
** command line, with a CTX and no request (as a background job runs it):
**
**   diaodu-ctl -c CONF report check              every built-in definition
**                                                parses and fits its form
**   diaodu-ctl -c CONF report run CODE [options] the result as text (tab-
**                                                separated), or --format
**                                                csv|xlsx|pdf|svg into --out
**   diaodu-ctl -c CONF report bench CODE N [options]
**                                                N runs of the engine against
**                                                N runs of the same SQL alone
**                                                (make bench); microseconds;
**                                                --format pdf: also the PDF's
**                                                time and size (--out: a copy)
** options: --as LOGIN (the scope of an account; default the operator: all),
**   --period day|week|month|range, --date YYYY-MM-DD, --from/--to YYYY-MM-DD,
**   --unit CODE (that unit and below), --pending, --lang en
*/
#include "reportctl.h"
#include "report.h"
#include "q_report.h"
#include "q_user.h"
#include "form.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static NEOERR *as_user(CTX *c, const char *login){
  ACCOUNT acc;
  int found;
  NEOERR *err = q_user_by_login(c->db, c->arena, login, &acc, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(NERR_ASSERT, "no account %s", login);
  USER *u = arena_alloc(c->arena, sizeof *u);
  u->id = acc.id;
  u->login = acc.login;
  u->name = acc.name;
  if( (err = q_user_grants(c->db, c->arena, acc.id, &u->grants, &u->ngrants)) ) return nerr_pass(err);
  for(int i=0; i<u->ngrants; i++) u->caps |= u->grants[i].caps;
  c->user = u;
  return STATUS_OK;
}

static NEOERR *args_of(CTX *c, int argc, char **argv, REPORT_ARGS *g, const char **format, const char **out){
  memset(g, 0, sizeof *g);
  g->period = 0;
  *format = "text";
  *out = NULL;
  const char *unit = NULL;
  for(int i=0; i<argc; i++){
    const char *a = argv[i], *v = i + 1<argc ? argv[i + 1] : NULL;
    if( !strcmp(a, "--pending") ){ g->pending = 1; continue; }
    if( v==NULL ) return nerr_raise(NERR_ASSERT, "%s needs a value", a);
    i++;
    if( !strcmp(a, "--as") ){ NEOERR *err = as_user(c, v); if( err ) return nerr_pass(err); }
    else if( !strcmp(a, "--period") ) g->period = report_period_of(v);
    else if( !strcmp(a, "--date") ) g->date = v;
    else if( !strcmp(a, "--from") ) g->from = v;
    else if( !strcmp(a, "--to") ) g->to = v;
    else if( !strcmp(a, "--unit") ) unit = v;
    else if( !strcmp(a, "--lang") ) g->lang = v;
    else if( !strcmp(a, "--format") ) *format = v;
    else if( !strcmp(a, "--out") ) *out = v;
    else return nerr_raise(NERR_ASSERT, "unknown option %s", a);
  }
  if( unit ){
    long long id;
    int found;
    NEOERR *err = q_unit_id_by_code(c->db, unit, &id, &found);
    if( err ) return nerr_pass(err);
    if( !found ) return nerr_raise(NERR_ASSERT, "no unit %s", unit);
    g->unit_id = id;
  }
  return STATUS_OK;
}

static NEOERR *find(CTX *c, const char *code, REPORT_DEF **d){
  NEOERR *err = report_find(c, code, d);
  if( err ) return nerr_pass(err);
  if( *d==NULL ) return nerr_raise(NERR_ASSERT, "no report %s", code);
  return STATUS_OK;
}

static NEOERR *run(CTX *c, const char *code, int argc, char **argv){
  REPORT_ARGS g;
  const char *format, *out;
  REPORT_DEF *d;
  REPORT_RESULT *r;
  NEOERR *err = args_of(c, argc, argv, &g, &format, &out);
  if( err ) return nerr_pass(err);
  if( (err = find(c, code, &d)) ) return nerr_pass(err);
  if( g.period==0 ) g.period = d->period;
  if( (err = report_run(c, d, &g, &r)) ) return nerr_pass(err);
  if( !strcmp(format, "text") ){
    printf("%s\n%s | %s | %s\n", r->title, r->company, r->unit, r->period);
    for(int i=0; i<r->ncol; i++) printf("%s%s", i ? "\t" : "", r->cols[i].label);
    printf("\n");
    for(int k=0; k<r->nrow; k++){
      for(int i=0; i<r->ncol; i++) printf("%s%s", i ? "\t" : "", r->cells[k][i]);
      printf("\n");
    }
    for(int i=0; i<r->ncol; i++) printf("%s%s", i ? "\t" : "", r->totals[i] ? r->totals[i] : "");
    printf("\n");
    return STATUS_OK;
  }
  STRING s;
  string_init(&s);
  if( !strcmp(format, "csv") ) err = report_csv(r, &s);
  else if( !strcmp(format, "xlsx") ) err = report_xlsx(r, &s);
  else if( !strcmp(format, "pdf") ) err = report_pdf(c, r, &s);
  else if( !strcmp(format, "svg") ) err = report_svg(r, &s);
  else err = nerr_raise(NERR_ASSERT, "format csv|xlsx|pdf|svg|text");
  if( !err ){
    FILE *f = out ? fopen(out, "wb") : stdout;
    if( f==NULL ) err = nerr_raise_errno(NERR_IO, "%s", out);
    else{
      if( s.len ) fwrite(s.buf, 1, (size_t)s.len, f);
      if( out ) fclose(f);
    }
  }
  string_clear(&s);
  return nerr_pass(err);
}

static double now_us(void){
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* N runs of the engine, N runs of the statement it runs, alternating */
static NEOERR *bench(CTX *c, const char *code, int n, int argc, char **argv){
  REPORT_ARGS g;
  const char *format, *out;
  REPORT_DEF *d;
  NEOERR *err = args_of(c, argc, argv, &g, &format, &out);
  if( err ) return nerr_pass(err);
  if( (err = find(c, code, &d)) ) return nerr_pass(err);
  if( g.period==0 ) g.period = d->period;
  const char *sql;
  if( (err = report_sql(c, d, &g, &sql)) ) return nerr_pass(err);
  double te = 0, tr = 0;
  int rows = 0;
  long long sheets = 0;
  for(int i=0; i<n; i++){
    double t0 = now_us();
    REPORT_RESULT *r;
    if( (err = report_run(c, d, &g, &r)) ) return nerr_pass(err);
    double t1 = now_us();
    int k;
    if( (err = report_raw(c, d, &g, &k)) ) return nerr_pass(err);
    double t2 = now_us();
    if( i>0 || n==1 ){ te += t1 - t0; tr += t2 - t1; }
    rows = r->nrow;
    (void)k;
  }
  int m = n>1 ? n - 1 : 1;
  (void)sheets;
  printf("%s\trows %d\tengine %.0f us\traw %.0f us\tratio %.3f\n", code, rows, te / m, tr / m, tr>0 ? te / tr : 0);
  if( !strcmp(format, "pdf") ){
    /* the PDF of the last result, n times: the font loaded and embedded each time */
    REPORT_RESULT *r;
    if( (err = report_run(c, d, &g, &r)) ) return nerr_pass(err);
    double tp = 0;
    long size = 0;
    for(int i=0; i<n; i++){
      STRING s;
      string_init(&s);
      double t0 = now_us();
      err = report_pdf(c, r, &s);
      tp += now_us() - t0;
      size = s.len;
      if( !err && out && i==0 ){
        FILE *f = fopen(out, "wb");
        if( f ){ fwrite(s.buf, 1, (size_t)s.len, f); fclose(f); }
      }
      string_clear(&s);
      if( err ) return nerr_pass(err);
    }
    printf("%s\tpdf rows %d\t%.1f ms\t%ld bytes\n", code, r->nrow, tp / n / 1000, size);
  }
  return STATUS_OK;
}

static NEOERR *check(CTX *c){
  REPORT_DEF **all;
  int n;
  NEOERR *err = report_builtins(c, &all, &n);
  if( err ) return nerr_pass(err);
  for(int i=0; i<n; i++) printf("ok %s %s (%s)\n", all[i]->code, all[i]->name, all[i]->form);
  return STATUS_OK;
}

NEOERR *reportctl(CTX *c, int argc, char **argv){
  if( argc>=1 && strcmp(argv[0], "check")==0 ) return nerr_pass(check(c));
  if( argc>=2 && strcmp(argv[0], "run")==0 ) return nerr_pass(run(c, argv[1], argc - 2, argv + 2));
  if( argc>=3 && strcmp(argv[0], "bench")==0 ) return nerr_pass(bench(c, argv[1], atoi(argv[2]), argc - 3, argv + 3));
  return nerr_raise(NERR_ASSERT, "report check | report run CODE [options] | report bench CODE N [options]");
}
