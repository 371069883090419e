/*
** test_font.c -- the PDFs' Chinese font (ttf.h, pdf.c's choice per
** document): the cmap reader on the full wqy-zenhei collection and on the
** cut-down font make builds (ASCII, U+4E00-9FA5, GB2312's symbols and
** conf/font-extra.txt); hostile bytes
** refused without a read out of bounds (ASan); a document of common text
** embeds the cut font and is much smaller; a rare name character outside
** the cut (䶮, Extension A) makes that document embed the full font, and pdftotext reads
** it back -- it never vanishes; with only the cut font, or a character no
** font has (𠮷), a visible "?" takes its place.
*/
#define _GNU_SOURCE
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
#include "ttf.h"
#include "err.h"
#include "arena.h"

#define FULL "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
static const char *CUT;          /* the cut font of the build, found at set-up */
static ARENA *A;

static int setup(void **state){
  (void)state;
  NEOERR *err = err_init();
  if( err ){ nerr_ignore(&err); return -1; }
  A = arena_new(64*1024);
  mkdir("tests/out", 0755);
  static const char *where[] = { "build-asan/fonts/diaodu-zh.ttf", "build/fonts/diaodu-zh.ttf" };
  for(int i=0; i<2 && !CUT; i++) if( access(where[i], R_OK)==0 ) CUT = where[i];
  if( CUT==NULL ){ fprintf(stderr, "no cut font: run make (needs pyftsubset, Debian fonttools)\n"); return -1; }
  return 0;
}
static int teardown(void **state){ (void)state; arena_free(A); return 0; }

static void ok(NEOERR *err){
  if( err ){
    STRING s; string_init(&s); nerr_error_traceback(err, &s);
    print_error("unexpected error: %s\n", s.buf ? s.buf : "");
    string_clear(&s); nerr_ignore(&err); fail();
  }
}

static unsigned cp(const char *s){          /* the first code point of s */
  const unsigned char *p = (const unsigned char*)s;
  if( p[0]>=0xF0 ) return ((p[0] & 7u) << 18) | ((p[1] & 63u) << 12) | ((p[2] & 63u) << 6) | (p[3] & 63u);
  if( p[0]>=0xE0 ) return ((p[0] & 15u) << 12) | ((p[1] & 63u) << 6) | (p[2] & 63u);
  return p[0];
}

static void covers(void **state){
  (void)state;
  TTF_COVER *full = malloc(sizeof *full), *cut = malloc(sizeof *cut);
  ok(ttf_cover_file(FULL, full));
  ok(ttf_cover_file(CUT, cut));
  assert_true(full->count>20000);
  assert_true(cut->count>21000 && cut->count<23000);    /* the block (20902), GB2312's symbols, ASCII, Latin-1, extras */
  for(const char *s = "的调度报表车辆里程合计第页共制表时间：（）、。《》—…·０１Ａ"; *s; ){
    unsigned c = cp(s);
    assert_true(ttf_has(cut, c));
    s += c<0x80 ? 1 : c<0x800 ? 2 : c<0x10000 ? 3 : 4;
  }
  assert_true(ttf_has(cut, cp("镕")));                  /* conf/font-extra.txt */
  assert_true(ttf_has(cut, cp("〇")));
  assert_true(ttf_has(cut, cp("堉")));                  /* in the block, not in GB2312 */
  assert_true(ttf_has(full, cp("䶮")));
  assert_false(ttf_has(cut, cp("䶮")));                 /* Extension A: outside the cut */
  assert_false(ttf_has(full, cp("𠮷")));                /* outside the plane: nobody */
  for(unsigned c = 0x20; c<0x7F; c++) assert_true(ttf_has(cut, c));
  free(full);
  free(cut);
}

static void hostile(void **state){
  (void)state;
  TTF_COVER *c = malloc(sizeof *c);
  FILE *f = fopen(CUT, "rb");
  assert_non_null(f);
  static unsigned char buf[16 << 20];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  ok(ttf_cover_mem(buf, n, c));
  assert_true(c->count>21000);
  /* every prefix length class, and bytes flipped: an error or a result, never a crash */
  size_t cuts[] = { 0, 4, 11, 12, 40, 200, 1000, n / 2, n - 1 };
  for(size_t i=0; i<sizeof cuts/sizeof cuts[0]; i++){
    unsigned char *copy = malloc(cuts[i] + 1);
    memcpy(copy, buf, cuts[i]);
    NEOERR *err = ttf_cover_mem(copy, cuts[i], c);
    nerr_ignore(&err);
    free(copy);
  }
  unsigned seed = 7;
  for(int round=0; round<40; round++){
    unsigned char *copy = malloc(n);
    memcpy(copy, buf, n);
    for(int k=0; k<64; k++){ seed = seed*1103515245u + 12345u; copy[(seed >> 8) % (n<4096 ? n : 4096)] ^= (unsigned char)(seed >> 24); }
    NEOERR *err = ttf_cover_mem(copy, n, c);
    nerr_ignore(&err);
    free(copy);
  }
  NEOERR *err = ttf_cover_file("/nonexistent/font.ttf", c);
  assert_non_null(err);
  nerr_ignore(&err);
  err = ttf_cover_mem((const unsigned char*)"ttcf\0\0\0\0\0\0\0\1\xff\xff\xff\xff", 16, c);
  assert_non_null(err);
  nerr_ignore(&err);
  free(c);
}

static STRING make(const char *spec, const char *cell, const char *path){
  static char *h[] = { "单位", "姓名", "里程" };
  char **r1 = arena_alloc(A, 3 * sizeof(char*));
  r1[0] = "第一车队"; r1[1] = (char*)cell; r1[2] = "1234.5";
  TROW rows[2] = { { 1, 3, h }, { 2, 3, r1 } };
  TABLE t = { 2, rows };
  PDF_REPORT rep;
  memset(&rep, 0, sizeof rep);
  rep.title = "车辆运行月报";
  rep.table = &t;
  rep.generated_at = "2026-11-30 10:00";
  STRING out;
  string_init(&out);
  ok(pdf_table(spec, &rep, &out));
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fwrite(out.buf, 1, (size_t)out.len, f);
  fclose(f);
  return out;
}

static char *text_of(const char *path){
  char cmd[512];
  snprintf(cmd, sizeof cmd, "pdftotext -raw -enc UTF-8 %s - 2>/dev/null", path);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  static char buf[65536];
  size_t k = fread(buf, 1, sizeof buf - 1, p);
  buf[k] = 0;
  pclose(p);
  return arena_strdup(A, buf);
}

static void fallback(void **state){
  (void)state;
  const char *spec = arena_printf(A, "%s:%s", CUT, FULL);
  STRING common = make(spec, "张三", "tests/out/font-common.pdf");
  STRING full = make(FULL, "张三", "tests/out/font-full.pdf");
  STRING rare = make(spec, "龚䶮", "tests/out/font-rare.pdf");
  STRING cutonly = make(CUT, "龚䶮", "tests/out/font-cut-only.pdf");
  STRING nobody = make(spec, "吉𠮷", "tests/out/font-nobody.pdf");
  /* a third of the size with the cut font (the floor is the font's tables) */
  fprintf(stderr, "# PDF sizes: cut %d, full %d, rare (full embedded) %d bytes\n", common.len, full.len, rare.len);
  assert_true(common.len * 2<full.len);
  assert_true(rare.len>common.len * 2);                 /* that document carries the full font */
  if( system("command -v pdftotext >/dev/null 2>&1")==0 ){
    char *t = text_of("tests/out/font-rare.pdf");
    assert_non_null(strstr(t, "龚䶮"));                 /* printed, not dropped */
    assert_non_null(strstr(t, "车辆运行月报"));
    t = text_of("tests/out/font-common.pdf");
    assert_non_null(strstr(t, "张三"));
    t = text_of("tests/out/font-cut-only.pdf");
    assert_non_null(strstr(t, "龚?"));                  /* visible, and logged */
    t = text_of("tests/out/font-nobody.pdf");
    assert_non_null(strstr(t, "吉?"));
  }
  string_clear(&common); string_clear(&full); string_clear(&rare); string_clear(&cutonly); string_clear(&nobody);
  /* a list whose first file is missing goes on to the next one */
  STRING m = make(arena_printf(A, "/nonexistent/cut.ttf:%s", FULL), "张三", "tests/out/font-missing-first.pdf");
  assert_true(m.len>1000);
  string_clear(&m);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(covers),
    cmocka_unit_test(hostile),
    cmocka_unit_test(fallback),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
