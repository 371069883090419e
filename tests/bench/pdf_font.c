/*
** pdf_font.c -- the font of the PDFs in make bench (tests/bench-font.sh):
** the same report (1 page and 1,000 rows, Chinese names and numbers)
** rendered by pdf_table() with Pdf.Font as configured -- the cut-down font
** first, the full one after it -- and with the full font alone, turn about,
** in one process: milliseconds per document (wall clock, the median of
** RUNS) and bytes.  A third line: the 1,000-row report with one rare name
** character outside the cut, which makes that document embed the full font.
**
**   pdf_font CUT FULL RUNS
*/
#include "pdf.h"
#include "err.h"
#include "arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *UNITS[] = { "客运一班", "客运二班", "货运班", "维修中心", "第一食堂", "能源站", "保卫部", "物业部" };
static const char *NAMES[] = { "张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴婷" };

static TABLE table(ARENA *a, int n, int rare){
  TROW *rows = arena_alloc(a, sizeof(TROW) * (size_t)(n + 1));
  static char *h[] = { "序号", "单位", "车牌", "驾驶员", "出车次数", "行驶里程", "耗油（升）", "百公里油耗" };
  rows[0].ncol = 8; rows[0].cols = h;
  for(int i=1; i<=n; i++){
    char **c = arena_alloc(a, 8 * sizeof(char*));
    c[0] = arena_printf(a, "%d", i);
    c[1] = (char*)UNITS[i % 8];
    c[2] = arena_printf(a, "沪A%05d", 10000 + i);
    c[3] = (rare && i==n/2) ? "龚䶮" : (char*)NAMES[i % 10];
    c[4] = arena_printf(a, "%d", 20 + i % 13);
    c[5] = arena_printf(a, "%d.%d", 1000 + i * 7, i % 10);
    c[6] = arena_printf(a, "%d.%02d", 80 + i % 40, i % 100);
    c[7] = arena_printf(a, "%d.%02d", 7 + i % 5, (i * 13) % 100);
    rows[i].ncol = 8; rows[i].cols = c;
  }
  TABLE t = { n + 1, rows };
  return t;
}

static double ms_now(void){
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int cmp(const void *x, const void *y){
  double a = *(const double*)x, b = *(const double*)y;
  return a<b ? -1 : a>b;
}

/* one document: its time in ms, its size in *bytes */
static double one(const char *font, const TABLE *t, long *bytes){
  PDF_REPORT rep;
  memset(&rep, 0, sizeof rep);
  rep.title = "车辆运行月报";
  rep.subtitle[0] = "后勤服务公司 · 全部单位 · 期间：2026-11-01 至 2026-11-30";
  rep.table = t;
  rep.totals_label = "合计";
  rep.generated_at = "2026-11-30 10:00";
  rep.signatures[0] = "制表人"; rep.signatures[1] = "审核人"; rep.signatures[2] = "负责人";
  STRING out;
  string_init(&out);
  double t0 = ms_now();
  NEOERR *err = pdf_table(font, &rep, &out);
  double dt = ms_now() - t0;
  if( err ){ nerr_log_error(err); exit(1); }
  *bytes = out.len;
  string_clear(&out);
  return dt;
}

int main(int argc, char **argv){
  if( argc<4 ){ fprintf(stderr, "usage: pdf_font CUT FULL RUNS\n"); return 2; }
  NEOERR *err = err_init();
  if( err ){ nerr_ignore(&err); return 1; }
  int runs = atoi(argv[3]);
  if( runs<1 ) runs = 1;
  ARENA *a = arena_new(1 << 20);
  char spec[2048];
  snprintf(spec, sizeof spec, "%s:%s", argv[1], argv[2]);
  TABLE small = table(a, 20, 0), big = table(a, 1000, 0), rare = table(a, 1000, 1);
  struct { const char *name; const char *font; const TABLE *t; double *ms; long bytes; } cases[] = {
    { "1 page, Pdf.Font (the cut font)", spec, &small, NULL, 0 },
    { "1 page, the full font alone", argv[2], &small, NULL, 0 },
    { "1,000 rows, Pdf.Font (the cut font)", spec, &big, NULL, 0 },
    { "1,000 rows, the full font alone", argv[2], &big, NULL, 0 },
    { "1,000 rows with one rare character (䶮): the full font for that document", spec, &rare, NULL, 0 },
  };
  int nc = (int)(sizeof cases / sizeof cases[0]);
  for(int k=0; k<nc; k++) cases[k].ms = calloc((size_t)runs, sizeof(double));
  for(int k=0; k<nc; k++) one(cases[k].font, cases[k].t, &cases[k].bytes);     /* warm the page cache */
  for(int i=0; i<runs; i++)                                                 /* turn about */
    for(int k=0; k<nc; k++) cases[k].ms[i] = one(cases[k].font, cases[k].t, &cases[k].bytes);
  printf("| document | ms (median of %d) | bytes | vs. the full font |\n|---|---:|---:|---|\n", runs);
  for(int k=0; k<nc; k++){
    qsort(cases[k].ms, (size_t)runs, sizeof(double), cmp);
    double med = cases[k].ms[runs / 2];
    int ref = k<2 ? 1 : 3;
    qsort(cases[ref].ms, (size_t)runs, sizeof(double), cmp);
    double rmed = cases[ref].ms[runs / 2];
    if( k==ref ) printf("| %s | %.1f | %ld | 1 |\n", cases[k].name, med, cases[k].bytes);
    else printf("| %s | %.1f | %ld | time %.2f, size %.2f |\n", cases[k].name, med, cases[k].bytes,
                med / rmed, (double)cases[k].bytes / (double)cases[ref].bytes);
  }
  arena_free(a);
  return 0;
}
