/*
** test_pdf.c -- pdf.h: a 120-row Chinese report that must come out as
** three A4 pages with "第 N 页 共 3 页" footers, the header row on every
** page, totals and signature lines; ten activation slips on two pages;
** long values cut or shrunk; a wide landscape table; an empty report;
** a missing font as a clean error.  The page count is read from the PDF
** objects (and from pdfinfo when installed); the text is checked with
** pdftotext when installed.  Samples are kept in tests/out/ to look at.
*/
#define _GNU_SOURCE             /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pdf.h"
#include "err.h"
#include "arena.h"

#define FONT "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
#define OUTDIR "tests/out"

static ARENA *A;

static int setup(void **state){
  NEOERR *err = err_init();
  if( err ){ nerr_ignore(&err); return -1; }
  A = arena_new(64*1024);
  mkdir(OUTDIR, 0755);
  return 0;
}
static int teardown(void **state){ arena_free(A); A = NULL; return 0; }
static int reset(void **state){ arena_reset(A); return 0; }

static void ok(NEOERR *err){
  if( err ){
    STRING s;
    string_init(&s);
    nerr_error_traceback(err, &s);
    print_error("unexpected error: %s\n", s.buf ? s.buf : "");
    string_clear(&s);
    nerr_ignore(&err);
    fail();
  }
}

static int have(const char *tool){
  char cmd[256];
  snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
  return system(cmd)==0;
}

/* "/Type /Page" objects, not "/Type /Pages" */
static int count_pages(const STRING *pdf){
  int n = 0;
  const char *p = pdf->buf, *end = pdf->buf + pdf->len;
  while( p<end && (p = memmem(p, (size_t)(end - p), "/Type /Page", 11)) ){
    p += 11;
    if( p>=end || *p!='s' ) n++;
  }
  return n;
}

static void save(const STRING *pdf, const char *path){
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(pdf->buf, 1, (size_t)pdf->len, f), pdf->len);
  fclose(f);
}

/* the output of a shell command, in the arena */
static char *run(const char *cmd){
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  STRING s;
  string_init(&s);
  char buf[4096];
  size_t k;
  while( (k = fread(buf, 1, sizeof buf, p))>0 ) string_appendn(&s, buf, (int)k);
  pclose(p);
  char *r = arena_strdup(A, s.buf ? s.buf : "");
  string_clear(&s);
  return r;
}

static void check_pdf(const STRING *pdf, const char *path, int pages){
  assert_true(pdf->len>1000);
  assert_memory_equal(pdf->buf, "%PDF-", 5);
  assert_non_null(memmem(pdf->buf, (size_t)pdf->len, "%%EOF", 5));
  assert_int_equal(count_pages(pdf), pages);
  save(pdf, path);
  if( have("pdfinfo") ){
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdfinfo %s 2>/dev/null", path);
    char *info = run(cmd), *p = strstr(info, "Pages:");
    assert_non_null(p);
    assert_int_equal(atoi(p + 6), pages);
    assert_non_null(strstr(info, "A4"));
  }
}

/* pdftotext's text of the file in content order (-raw: the default reading-order
** mode drops the spaces between CJK and digits), or NULL without poppler-utils */
static char *text_of(const char *path){
  if( !have("pdftotext") ) return NULL;
  char cmd[512];
  snprintf(cmd, sizeof cmd, "pdftotext -raw -enc UTF-8 %s - 2>/dev/null", path);
  return run(cmd);
}

static void has(const char *text, const char *needle){
  if( text && strstr(text, needle)==NULL ){
    print_error("\"%s\" not in the extracted text\n", needle);
    fail();
  }
}

/* ---- the report ---- */

static const char *UNITS[] = { "华东调度中心", "第一车队", "城北运输站", "南湖物流分部", "镕城配送点", "西山维修厂" };

static TABLE report_table(int nrow){
  TROW *rows = arena_alloc(A, (size_t)(nrow + 1) * sizeof(TROW));
  static char *h[] = { "序号", "单位名称", "车辆数", "里程（公里）", "备注" };
  rows[0].rowno = 1; rows[0].ncol = 5; rows[0].cols = h;
  for(int i=1; i<=nrow; i++){
    char **c = arena_alloc(A, 5 * sizeof(char*));
    c[0] = arena_printf(A, "%d", i);
    c[1] = arena_printf(A, "%s%d组", UNITS[i % 6], i);
    c[2] = arena_printf(A, "%d", 3 + i % 17);
    c[3] = arena_printf(A, "%d.%d", 1000 + i*37, i % 10);
    c[4] = (i % 10==0) ? "本月车辆大修，里程数据由人工补录，已核对原始记录并经调度员签字确认无误后录入系统"
                      : (i % 3==0 ? "正常" : "");
    rows[i].rowno = i + 1; rows[i].ncol = 5; rows[i].cols = c;
  }
  TABLE t = { nrow + 1, rows };
  return t;
}

static void report_three_pages(void **state){
  TABLE t = report_table(120);
  static const int right[] = { 1, 0, 1, 1, 0 };
  static const char *totals[] = { NULL, NULL, "1234", "123456.7", NULL };
  PDF_REPORT rep = {
    .title = "车辆运行月报表",
    .subtitle = { "单位：华东调度中心", "期间：2024年1月1日至2024年1月31日", NULL },
    .table = &t,
    .totals_label = "合计",
    .totals = totals,
    .generated_at = "2024-02-01 09:30",
    .signatures = { "制表", "审核", NULL },
    .align_right = right,
  };
  STRING pdf;
  string_init(&pdf);
  ok(pdf_table(FONT, &rep, &pdf));
  check_pdf(&pdf, OUTDIR "/report-sample.pdf", 3);
  string_clear(&pdf);

  char *text = text_of(OUTDIR "/report-sample.pdf");
  has(text, "车辆运行月报表");
  has(text, "第 1 页 共 3 页");
  has(text, "第 3 页 共 3 页");
  has(text, "制表时间：2024-02-01 09:30");
  has(text, "城北运输站2组");
  has(text, "镕城配送点4组");                                 /* outside GB2312 */
  has(text, "华东调度中心120组");                         /* the last row */
  has(text, "合计");
  has(text, "123456.7");
  has(text, "制表：");
  has(text, "审核：");
  has(text, "…");                                              /* the long remarks are cut */
  if( text ){
    /* the header row on every page */
    int n = 0;
    for(const char *p=text; (p = strstr(p, "单位名称")); p++) n++;
    assert_int_equal(n, 3);
  }
}

static void report_landscape_wide(void **state){
  /* 14 columns, long cells, landscape: fits by narrowing the widest */
  TROW rows[6];
  char *cells[6][14];
  for(int r=0; r<6; r++){
    for(int c=0; c<14; c++){
      cells[r][c] = r==0 ? arena_printf(A, "第%d列标题", c + 1)
                         : (c==3 ? "一段非常非常长的说明文字，用来检查单元格在放不下时会被截断并加上省略号"
                                 : arena_printf(A, "%d", r*c*1000));
    }
    rows[r].rowno = r + 1; rows[r].ncol = 14; rows[r].cols = cells[r];
  }
  TABLE t = { 6, rows };
  PDF_REPORT rep = { .title = "宽表", .table = &t, .landscape = 1, .generated_at = "2024-02-01" };
  STRING pdf;
  string_init(&pdf);
  ok(pdf_table(FONT, &rep, &pdf));
  check_pdf(&pdf, OUTDIR "/report-landscape-sample.pdf", 1);
  string_clear(&pdf);
  if( have("pdfinfo") ){
    char *info = run("pdfinfo " OUTDIR "/report-landscape-sample.pdf 2>/dev/null");
    assert_non_null(strstr(info, "841.89 x 595.276"));
  }
  char *text = text_of(OUTDIR "/report-landscape-sample.pdf");
  has(text, "第14列标题");
  has(text, "65000");                                         /* 5*13*1000, a narrow column kept whole */
  has(text, "…");
  has(text, "第 1 页 共 1 页");
}

static void report_empty(void **state){
  PDF_REPORT rep = { .title = "空报表", .generated_at = "2024-02-01", .signatures = { "制表", NULL } };
  STRING pdf;
  string_init(&pdf);
  ok(pdf_table(FONT, &rep, &pdf));
  check_pdf(&pdf, "/tmp/diaodu-test-empty.pdf", 1);
  string_clear(&pdf);
  char *text = text_of("/tmp/diaodu-test-empty.pdf");
  has(text, "空报表");
  has(text, "第 1 页 共 1 页");
  unlink("/tmp/diaodu-test-empty.pdf");
  /* a header only, with a totals label */
  TABLE t = report_table(0);
  PDF_REPORT r2 = { .title = "表", .table = &t, .totals_label = "合计" };
  string_init(&pdf);
  ok(pdf_table(FONT, &r2, &pdf));
  assert_int_equal(count_pages(&pdf), 1);
  string_clear(&pdf);
}

static void report_signatures_move_to_new_page(void **state){
  /* rows that fill the first page exactly leave no room for signatures */
  int fits = 0;
  for(int n=38; n<60 && !fits; n++){
    arena_reset(A);
    TABLE t = report_table(n);
    PDF_REPORT rep = { .title = "表", .table = &t, .signatures = { "制表", "审核", NULL } };
    STRING pdf;
    string_init(&pdf);
    ok(pdf_table(FONT, &rep, &pdf));
    int pages = count_pages(&pdf);
    string_clear(&pdf);
    rep.signatures[0] = NULL;
    string_init(&pdf);
    ok(pdf_table(FONT, &rep, &pdf));
    int without = count_pages(&pdf);
    string_clear(&pdf);
    assert_true(pages==without || pages==without + 1);
    if( pages==2 && without==1 ) fits = 1;
  }
  assert_true(fits);          /* some length pushed only the signatures over */
}

/* ---- slips ---- */

static void slips_two_pages(void **state){
  PDF_SLIP s[10];
  static const char *names[] = { "张三", "李四", "王五", "赵六", "欧阳明月", "诸葛亮", "司马懿", "钱七", "孙八", "周九" };
  for(int i=0; i<10; i++){
    memset(&s[i], 0, sizeof s[i]);
    s[i].title = "账户激活通知";
    s[i].nlines = 5;
    s[i].label[0] = "姓名";     s[i].value[0] = names[i];
    s[i].label[1] = "账户";     s[i].value[1] = arena_printf(A, "user%02d", i);
    s[i].label[2] = "激活码";   s[i].value[2] = arena_printf(A, "K7PQ-%04d-XM3R-9WZD", i*37);
    s[i].label[3] = "单位";     s[i].value[3] = i==4 ? "华东调度中心第一车队城北运输站南湖物流分部镕城配送点西山维修厂调度室"
                                                     : "第一车队";
    s[i].label[4] = "有效期至"; s[i].value[4] = "2024-03-01 24:00";
  }
  STRING pdf;
  string_init(&pdf);
  ok(pdf_slips(FONT, s, 10, &pdf));
  check_pdf(&pdf, OUTDIR "/slips-sample.pdf", 2);
  string_clear(&pdf);
  char *text = text_of(OUTDIR "/slips-sample.pdf");
  has(text, "账户激活通知");
  has(text, "欧阳明月");
  has(text, "K7PQ-0333-XM3R-9WZD");
  has(text, "周九");
  has(text, "激活码：");
}

static void slips_edges(void **state){
  STRING pdf;
  string_init(&pdf);
  ok(pdf_slips(FONT, NULL, 0, &pdf));                          /* nothing: one empty page */
  assert_int_equal(count_pages(&pdf), 1);
  string_clear(&pdf);
  PDF_SLIP s[9];
  memset(s, 0, sizeof s);
  for(int i=0; i<9; i++){
    s[i].title = NULL;                                         /* NULLs are empty text */
    s[i].nlines = i==0 ? 8 : (i==1 ? 99 : 1);                  /* more than 8 lines is 8 */
    for(int k=0; k<8; k++){ s[i].label[k] = "项目"; s[i].value[k] = NULL; }
    s[i].value[0] = "x\ty\nz 𠮷 \x01";                         /* control chars, a non-BMP char */
  }
  string_init(&pdf);
  ok(pdf_slips(FONT, s, 9, &pdf));
  assert_int_equal(count_pages(&pdf), 2);
  string_clear(&pdf);
}

static void missing_font(void **state){
  PDF_SLIP s = { .title = "x", .nlines = 0 };
  STRING pdf;
  string_init(&pdf);
  NEOERR *err = pdf_slips("/nonexistent/font.ttc", &s, 1, &pdf);
  assert_non_null(err);
  assert_int_equal(err_status(err), 500);
  nerr_ignore(&err);
  PDF_REPORT rep = { .title = "x" };
  err = pdf_table("/nonexistent/font.ttf", &rep, &pdf);
  assert_non_null(err);
  assert_int_equal(err_status(err), 500);
  nerr_ignore(&err);
  assert_int_equal(pdf.len, 0);
  string_clear(&pdf);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(report_three_pages, reset),
    cmocka_unit_test_setup(report_landscape_wide, reset),
    cmocka_unit_test_setup(report_empty, reset),
    cmocka_unit_test_setup(report_signatures_move_to_new_page, reset),
    cmocka_unit_test_setup(slips_two_pages, reset),
    cmocka_unit_test_setup(slips_edges, reset),
    cmocka_unit_test_setup(missing_font, reset),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
