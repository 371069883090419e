/*
** test_csv.c -- csv.h: decoding (UTF-8 with and without BOM, GBK and
** GB18030 made with iconv, bytes that are neither, empty files), RFC 4180
** parsing with spreadsheet row numbers (embedded newlines, blank records,
** CRLF/LF, unterminated quotes, the row, column and cell limits, bounded
** memory on a file of commas), and writing (quoting, the
** formula-injection guard, a whole table read back unchanged).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include "csv.h"
#include "err.h"

static ARENA *A;

static int setup(void **state){
  NEOERR *err = err_init();
  if( err ){ nerr_ignore(&err); return -1; }
  A = arena_new(64*1024);
  return 0;
}
static int teardown(void **state){ arena_free(A); A = NULL; return 0; }
static int reset(void **state){ arena_reset(A); return 0; }

/* err must be an ERR_INPUT carrying key; it is freed */
static void want_key(NEOERR *err, const char *key){
  assert_non_null(err);
  int status = err_status(err);
  const char *k = err_key(err);
  char got[64];
  snprintf(got, sizeof got, "%s", k ? k : "(null)");
  nerr_ignore(&err);
  assert_int_equal(status, 400);
  assert_string_equal(got, key);
}

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

/* UTF-8 text -> bytes in encoding `to`, into the arena */
static char *encode(const char *to, const char *utf8, size_t *len){
  iconv_t cd = iconv_open(to, "UTF-8");
  assert_true(cd!=(iconv_t)-1);
  size_t inleft = strlen(utf8), outleft = 4*inleft + 16;
  char *buf = arena_alloc(A, outleft), *in = (char*)utf8, *out = buf;
  assert_true(iconv(cd, &in, &inleft, &out, &outleft)!=(size_t)-1);
  iconv_close(cd);
  *len = (size_t)(out - buf);
  return buf;
}

static void decode_ok(const char *data, size_t len, const char *want, const char *want_enc){
  char *u;
  size_t ul;
  const char *enc;
  ok(csv_decode(A, data, len, &u, &ul, &enc));
  assert_string_equal(u, want);
  assert_int_equal(ul, strlen(want));
  assert_string_equal(enc, want_enc);
}

static void decode_bad(const char *data, size_t len, const char *key){
  char *u = (char*)"x";
  size_t ul = 1;
  want_key(csv_decode(A, data, len, &u, &ul, NULL), key);
}

#define DOK(lit, want, enc) decode_ok((lit), sizeof(lit) - 1, (want), (enc))
#define DBAD(lit, key)      decode_bad((lit), sizeof(lit) - 1, (key))

/* ---- csv_decode ---- */

static void decode_utf8(void **state){
  DOK("编码,名称\r\n001,车队\r\n", "编码,名称\r\n001,车队\r\n", "UTF-8");
  DOK("a,b\n", "a,b\n", "UTF-8");
  DOK("𠮷,😀", "𠮷,😀", "UTF-8");
}

static void decode_utf8_bom(void **state){
  DOK("\xEF\xBB\xBF编码,名称\r\n", "编码,名称\r\n", "UTF-8");
  DOK("\xEF\xBB\xBFx", "x", "UTF-8");
}

static void decode_gbk(void **state){
  size_t n;
  char *gbk = encode("GBK", "编码,名称\r\n001,车队\r\n", &n);
  assert_int_equal(n, 4 + 1 + 4 + 2 + 3 + 1 + 4 + 2);    /* two bytes a character */
  decode_ok(gbk, n, "编码,名称\r\n001,车队\r\n", "GB18030");
  /* and parsed as CSV */
  char *u;
  size_t ul;
  TABLE t;
  ok(csv_decode(A, gbk, n, &u, &ul, NULL));
  ok(csv_parse(A, u, ul, &t, 100));
  assert_int_equal(t.nrow, 2);
  assert_string_equal(t.rows[1].cols[1], "车队");
}

static void decode_gb18030_four_byte(void **state){
  size_t n;
  /* 𠮷 (U+20BB7) and 㐀 (U+3400, CJK Ext. A) are four bytes in GB18030 */
  char *gb = encode("GB18030", "姓名\n吉𠮷,刘㐀\n", &n);
  assert_int_equal(n, 4 + 1 + 2 + 4 + 1 + 2 + 4 + 1);
  decode_ok(gb, n, "姓名\n吉𠮷,刘㐀\n", "GB18030");
  /* GB18030's own BOM is dropped */
  char *bom = encode("GB18030", "\xEF\xBB\xBF名称", &n);
  assert_memory_equal(bom, "\x84\x31\x95\x33", 4);
  decode_ok(bom, n, "名称", "GB18030");
}

static void decode_neither(void **state){
  DBAD("\xff\xfe\x00\x41", "bad_encoding");     /* 0xFF is neither UTF-8 nor GB18030 */
  DBAD("\x80", "bad_encoding");
  DBAD("abc\xff", "bad_encoding");
  DBAD("ab\x81", "bad_encoding");                /* GB18030 lead byte cut off */
  DBAD("ab\x81\x30", "bad_encoding");            /* four-byte form cut off */
  DBAD("A\x00" "B\x00", "bad_encoding");         /* UTF-16LE without BOM: NULs */
  DBAD("a,b\x00", "bad_encoding");
  DBAD("\xEF\xBB\xBF\xB1\xE0\xC2\xEB", "bad_encoding");   /* UTF-8 BOM, then GBK */
  size_t n;
  char *gb = encode("GB18030", "车队", &n);
  gb[n] = 0;                                     /* a NUL among GB18030 text */
  decode_bad(gb, n + 1, "bad_encoding");
}

static void decode_empty(void **state){
  decode_bad("", 0, "empty_file");
  DBAD("\xEF\xBB\xBF", "empty_file");
  DBAD("\x84\x31\x95\x33", "empty_file");        /* GB18030 BOM only */
}

/* ---- csv_parse ---- */

static TABLE parse(const char *s){
  TABLE t;
  ok(csv_parse(A, s, strlen(s), &t, 1000));
  return t;
}

static void parse_line_endings(void **state){
  TABLE t = parse("a,b\r\nc,d\ne,f");          /* CRLF, LF, no final newline */
  assert_int_equal(t.nrow, 3);
  for(int r=0; r<3; r++){
    assert_int_equal(t.rows[r].rowno, r + 1);
    assert_int_equal(t.rows[r].ncol, 2);
  }
  assert_string_equal(t.rows[0].cols[1], "b");
  assert_string_equal(t.rows[1].cols[0], "c");
  assert_string_equal(t.rows[2].cols[1], "f");
  t = parse("a\r\n");
  assert_int_equal(t.nrow, 1);                   /* the final newline opens no record */
  t = parse("");
  assert_int_equal(t.nrow, 0);
}

static void parse_quoted(void **state){
  TABLE t = parse("\"a,b\",\"say \"\"hi\"\"\",\"\",plain\r\n");
  assert_int_equal(t.nrow, 1);
  assert_int_equal(t.rows[0].ncol, 4);
  assert_string_equal(t.rows[0].cols[0], "a,b");
  assert_string_equal(t.rows[0].cols[1], "say \"hi\"");
  assert_string_equal(t.rows[0].cols[2], "");
  assert_string_equal(t.rows[0].cols[3], "plain");
}

static void parse_embedded_newline(void **state){
  TABLE t = parse("名称,备注\r\n车队,\"第一行\r\n第二行\"\r\n调度,x\r\n");
  assert_int_equal(t.nrow, 3);
  assert_int_equal(t.rows[1].rowno, 2);
  assert_string_equal(t.rows[1].cols[1], "第一行\r\n第二行");
  assert_int_equal(t.rows[2].rowno, 3);           /* the next record, the next row */
  assert_string_equal(t.rows[2].cols[0], "调度");
}

static void parse_blank_rows(void **state){
  TABLE t = parse("h\n\n\nx\n,\n");
  assert_int_equal(t.nrow, 5);
  assert_int_equal(t.rows[1].rowno, 2);
  assert_int_equal(t.rows[1].ncol, 1);
  assert_string_equal(t.rows[1].cols[0], "");
  assert_int_equal(t.rows[3].rowno, 4);
  assert_string_equal(t.rows[3].cols[0], "x");
  assert_int_equal(t.rows[4].ncol, 2);
  assert_true(csv_row_blank(&t.rows[1]));
  assert_true(csv_row_blank(&t.rows[4]));
  assert_false(csv_row_blank(&t.rows[3]));
}

static void parse_quote_mid_cell(void **state){
  TABLE t = parse("5\" pipe,a\"b\"\n");
  assert_string_equal(t.rows[0].cols[0], "5\" pipe");
  assert_string_equal(t.rows[0].cols[1], "a\"b\"");
  t = parse("\"ab\"cd,e\n");                    /* text after a closing quote is kept */
  assert_string_equal(t.rows[0].cols[0], "abcd");
  assert_string_equal(t.rows[0].cols[1], "e");
}

static void parse_no_trimming(void **state){
  TABLE t = parse(" a , b\t,\" c \"\n");
  assert_string_equal(t.rows[0].cols[0], " a ");
  assert_string_equal(t.rows[0].cols[1], " b\t");
  assert_string_equal(t.rows[0].cols[2], " c ");
}

static void parse_empty_cells(void **state){
  TABLE t = parse(",a,,\n");
  assert_int_equal(t.rows[0].ncol, 4);
  assert_string_equal(t.rows[0].cols[0], "");
  assert_string_equal(t.rows[0].cols[1], "a");
  assert_string_equal(t.rows[0].cols[2], "");
  assert_string_equal(t.rows[0].cols[3], "");
  t = parse("a,");
  assert_int_equal(t.rows[0].ncol, 2);
}

static void parse_lone_cr(void **state){
  TABLE t = parse("a\rb\r\rc");
  assert_int_equal(t.nrow, 4);
  assert_string_equal(t.rows[1].cols[0], "b");
  assert_string_equal(t.rows[2].cols[0], "");
  assert_int_equal(t.rows[3].rowno, 4);
}

static void parse_unterminated(void **state){
  TABLE t;
  const char *s = "a,b\n\"open,c\nd\n";
  want_key(csv_parse(A, s, strlen(s), &t, 100), "csv_syntax");
  want_key(csv_parse(A, "\"", 1, &t, 100), "csv_syntax");
  want_key(csv_parse(A, "\"a\"\"", 4, &t, 100), "csv_syntax");
}

static void parse_max_rows(void **state){
  TABLE t;
  const char *s = "1\n2\n3\n";
  ok(csv_parse(A, s, strlen(s), &t, 3));
  assert_int_equal(t.nrow, 3);
  want_key(csv_parse(A, s, strlen(s), &t, 2), "too_many_rows");
  want_key(csv_parse(A, "\n\n\n", 3, &t, 2), "too_many_rows");   /* blank records count */
}

static void parse_many_rows(void **state){
  STRING s;
  string_init(&s);
  for(int i=0; i<5000; i++) string_appendf(&s, "%d,名称%d\r\n", i, i);
  TABLE t;
  ok(csv_parse(A, s.buf, (size_t)s.len, &t, 10000));
  string_clear(&s);
  assert_int_equal(t.nrow, 5000);
  assert_int_equal(t.rows[4999].rowno, 5000);
  assert_string_equal(t.rows[4999].cols[1], "名称4999");
}

static void row_blank(void **state){
  char *c1[] = { "", " ", "\t\r\n" }, *c2[] = { "", "\xE3\x80\x80" }, *c3[] = { "", "x" };
  TROW r1 = { 1, 3, c1 }, r2 = { 2, 2, c2 }, r3 = { 3, 2, c3 };
  assert_true(csv_row_blank(&r1));
  assert_true(csv_row_blank(&r2));               /* ideographic space */
  assert_false(csv_row_blank(&r3));
}

/* ---- writing ---- */

static void cell_is(const char *value, const char *want){
  STRING s;
  string_init(&s);
  csv_cell(&s, value, 1);
  assert_string_equal(s.buf ? s.buf : "", want);
  string_clear(&s);
}

static void cell_formula_guard(void **state){
  cell_is("=SUM(A1)", "'=SUM(A1)");
  cell_is("=1+2", "'=1+2");
  cell_is("+1", "'+1");
  cell_is("+86", "'+86");                        /* only "-?digits(.digits)?" is a number */
  cell_is("-x", "'-x");
  cell_is("@cmd", "'@cmd");
  cell_is("\tx", "'\tx");
  cell_is("\rx", "\"'\rx\"");                    /* guarded and quoted */
  cell_is("-", "'-");
  cell_is("-1.", "'-1.");
  cell_is("-.5", "'-.5");
  cell_is("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"");
  cell_is("-12.5", "-12.5");
  cell_is("-3", "-3");
  cell_is("12", "12");
  cell_is("007", "007");
  cell_is("a=b", "a=b");
}

static void cell_quoting(void **state){
  cell_is("", "");
  cell_is(NULL, "");
  cell_is("车队", "车队");
  cell_is("a,b", "\"a,b\"");
  cell_is("say \"hi\"", "\"say \"\"hi\"\"\"");
  cell_is("line\nbreak", "\"line\nbreak\"");
  cell_is("cr\rx", "\"cr\rx\"");
  cell_is(" lead", "\" lead\"");
  cell_is("trail ", "\"trail \"");
  cell_is("in side", "in side");
  STRING s;
  string_init(&s);
  csv_cell(&s, "a", 1);
  csv_cell(&s, "", 0);
  csv_cell(&s, "b", 0);
  csv_eol(&s);
  assert_string_equal(s.buf, "a,,b\r\n");
  string_clear(&s);
}

static void write_round_trip(void **state){
  char *h[] = { "编码", "名称", "备注" };
  char *r1[] = { "001", "车队, 一队", "含\"引号\"" };
  char *r2[] = { "-12.5", "多行\r\n文本", " 空格 " };
  char *r3[] = { "", "", "" };
  char *r4[] = { "=1+1", "𠮷", "end" };
  TROW rows[] = { { 1, 3, h }, { 2, 3, r1 }, { 3, 3, r2 }, { 4, 3, r3 }, { 5, 3, r4 } };
  TABLE t = { 5, rows };
  STRING s;
  string_init(&s);
  ok(csv_write(&t, &s));
  assert_memory_equal(s.buf, "\xEF\xBB\xBF编码,名称,备注\r\n", strlen("\xEF\xBB\xBF编码,名称,备注\r\n"));
  char *u;
  size_t ul;
  TABLE back;
  ok(csv_decode(A, s.buf, (size_t)s.len, &u, &ul, NULL));
  ok(csv_parse(A, u, ul, &back, 100));
  string_clear(&s);
  assert_int_equal(back.nrow, 5);
  for(int r=0; r<4; r++){
    assert_int_equal(back.rows[r].rowno, r + 1);
    assert_int_equal(back.rows[r].ncol, 3);
    for(int c=0; c<3; c++) assert_string_equal(back.rows[r].cols[c], rows[r].cols[c]);
  }
  assert_string_equal(back.rows[4].cols[0], "'=1+1");   /* the guard stays */
  assert_string_equal(back.rows[4].cols[1], "𠮷");
}

/* a small file of commas is refused at column 257 of its first row
** ("too_many_cols", not the "too_big" it would reach after 2 million empty
** cells), and the arena has not grown with the file */
static void parse_too_many_cols_stops_early(void **state){
  size_t n = 2*1024*1024;
  char *text = arena_alloc(A, n + 1);
  memset(text, ',', n);
  size_t before = arena_used(A);
  TABLE t;
  memset(&t, 0, sizeof t);
  want_key(csv_parse(A, text, n, &t, 100000), "too_many_cols");
  assert_true(arena_used(A) - before < 16*1024);
  /* 256 cells (255 commas) are still a row */
  TABLE u;
  memset(&u, 0, sizeof u);
  ok(csv_parse(A, text, CSV_MAX_COLS - 1, &u, 10));
  assert_int_equal(u.nrow, 1);
  assert_int_equal(u.rows[0].ncol, CSV_MAX_COLS);
}

/* more than CSV_MAX_CELLS cells in all: "too_big", however the rows are cut */
static void parse_too_big(void **state){
  enum { COLS = 200 };
  size_t rows = CSV_MAX_CELLS / COLS + 1, line = COLS;   /* 199 commas and "\n" */
  char *text = arena_alloc(A, rows * line + 1), *p = text;
  for(size_t r=0; r<rows; r++){ memset(p, ',', COLS - 1); p[COLS - 1] = '\n'; p += line; }
  TABLE t;
  memset(&t, 0, sizeof t);
  want_key(csv_parse(A, text, (size_t)(p - text), &t, (int)rows + 1), "too_big");
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(decode_utf8, reset),
    cmocka_unit_test_setup(decode_utf8_bom, reset),
    cmocka_unit_test_setup(decode_gbk, reset),
    cmocka_unit_test_setup(decode_gb18030_four_byte, reset),
    cmocka_unit_test_setup(decode_neither, reset),
    cmocka_unit_test_setup(decode_empty, reset),
    cmocka_unit_test_setup(parse_line_endings, reset),
    cmocka_unit_test_setup(parse_quoted, reset),
    cmocka_unit_test_setup(parse_embedded_newline, reset),
    cmocka_unit_test_setup(parse_blank_rows, reset),
    cmocka_unit_test_setup(parse_quote_mid_cell, reset),
    cmocka_unit_test_setup(parse_no_trimming, reset),
    cmocka_unit_test_setup(parse_empty_cells, reset),
    cmocka_unit_test_setup(parse_lone_cr, reset),
    cmocka_unit_test_setup(parse_unterminated, reset),
    cmocka_unit_test_setup(parse_max_rows, reset),
    cmocka_unit_test_setup(parse_many_rows, reset),
    cmocka_unit_test_setup(parse_too_many_cols_stops_early, reset),
    cmocka_unit_test_setup(parse_too_big, reset),
    cmocka_unit_test_setup(row_blank, reset),
    cmocka_unit_test_setup(cell_formula_guard, reset),
    cmocka_unit_test_setup(cell_quoting, reset),
    cmocka_unit_test_setup(write_round_trip, reset),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
