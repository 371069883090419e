/*
** test_xlsx.c -- xlsx.h: a table written by xlsx_write and read back by
** xlsx_read (Chinese text, codes with leading zeros, entities, empty
** cells and rows), the written sheet's frozen header, bold format and
** column widths, and a hand-made workbook exercising what libxlsxwriter
** never writes (relationships to a non-default sheet, prefixed XML names,
** rich text, inline strings, numbers, booleans, dates, formulas, cells
** without references).  Hostile inputs: not a zip, a broken zip, no
** sheet, malformed XML, a shared-string index out of range, a zip bomb,
** the row limit.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <minizip/unzip.h>
#include <minizip/zip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "xlsx.h"
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

/* the cell of a read-back row, "" past its end */
static const char *at(const TROW *r, int c){ return c<r->ncol ? r->cols[c] : ""; }

/* ---- a zip made by hand (minizip), returned in out ---- */

typedef struct { const char *name; const char *data; size_t len; } MEMBER;

static void make_zip(const MEMBER *m, int n, STRING *out){
  char path[] = "/tmp/test-xlsx-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd>=0);
  close(fd);
  zipFile zf = zipOpen64(path, 0);
  assert_non_null(zf);
  for(int i=0; i<n; i++){
    size_t len = m[i].len ? m[i].len : strlen(m[i].data);
    assert_int_equal(zipOpenNewFileInZip64(zf, m[i].name, NULL, NULL, 0, NULL, 0, NULL,
                                           Z_DEFLATED, 1, len>0xffffffffu), ZIP_OK);
    assert_int_equal(zipWriteInFileInZip(zf, m[i].data, (unsigned)len), ZIP_OK);
    assert_int_equal(zipCloseFileInZip(zf), ZIP_OK);
  }
  assert_int_equal(zipClose(zf, NULL), ZIP_OK);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  char buf[8192];
  size_t k;
  while( (k = fread(buf, 1, sizeof buf, f))>0 ) string_appendn(out, buf, (int)k);
  fclose(f);
  unlink(path);
}

/* the text of one member of a zip in memory (through a temporary file) */
static char *member_text(const STRING *zip, const char *name){
  char path[] = "/tmp/test-xlsx-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd>=0);
  assert_int_equal(write(fd, zip->buf, (size_t)zip->len), zip->len);
  close(fd);
  unzFile uf = unzOpen64(path);
  assert_non_null(uf);
  assert_int_equal(unzLocateFile(uf, name, 1), UNZ_OK);
  assert_int_equal(unzOpenCurrentFile(uf), UNZ_OK);
  STRING s;
  string_init(&s);
  char buf[8192];
  int k;
  while( (k = unzReadCurrentFile(uf, buf, sizeof buf))>0 ) string_appendn(&s, buf, k);
  unzCloseCurrentFile(uf);
  unzClose(uf);
  unlink(path);
  char *r = arena_strdup(A, s.buf ? s.buf : "");
  string_clear(&s);
  return r;
}

/* ---- xlsx_write, then xlsx_read ---- */

static char LONG[400];

static void sample(TABLE *t){
  static char *h[] = { "编码", "名称", "备注" };
  static char *r1[] = { "007", "调度中心", "" };
  static char *r2[] = { "010", "车队 A&B <x>", "含\"引号\"" };
  static char *r3[] = { "", "", "" };
  static char *r4[] = { "12", "𠮷", LONG };
  static char *r5[] = { "=1+1", "", "_x0041_ a_x000D_b" };   /* Excel's escapes, as text */
  static TROW rows[] = { { 1, 3, h }, { 2, 3, r1 }, { 3, 3, r2 }, { 4, 3, r3 }, { 5, 3, r4 }, { 6, 3, r5 } };
  for(size_t i=0; i<sizeof LONG - 1; i++) LONG[i] = (char)('a' + i % 26);
  t->nrow = 6;
  t->rows = rows;
}

static void round_trip(void **state){
  TABLE t, back;
  sample(&t);
  STRING x;
  string_init(&x);
  ok(xlsx_write(&t, "机构", &x));
  assert_true(xlsx_sniff(x.buf, (size_t)x.len));
  ok(xlsx_read(A, x.buf, (size_t)x.len, &back, 100));
  string_clear(&x);

  /* the empty row 4 is left out; every other row keeps its number */
  assert_int_equal(back.nrow, 5);
  int want_rowno[] = { 1, 2, 3, 5, 6 }, src[] = { 0, 1, 2, 4, 5 };
  for(int i=0; i<5; i++){
    assert_int_equal(back.rows[i].rowno, want_rowno[i]);
    for(int c=0; c<3; c++) assert_string_equal(at(&back.rows[i], c), t.rows[src[i]].cols[c]);
  }
  assert_string_equal(back.rows[1].cols[0], "007");           /* leading zeros kept */
  assert_int_equal(back.rows[1].ncol, 2);                      /* trailing empty cell dropped */
  assert_string_equal(back.rows[4].cols[0], "=1+1");          /* text, not a formula */
  assert_string_equal(back.rows[4].cols[1], "");
  assert_string_equal(back.rows[4].cols[2], "_x0041_ a_x000D_b"); /* not turned into "A" and CR */
}

static void written_sheet(void **state){
  TABLE t;
  sample(&t);
  STRING x;
  string_init(&x);
  ok(xlsx_write(&t, "报表[1]/2024:*?", &x));                   /* a name Excel refuses is fixed */
  char *sheet = member_text(&x, "xl/worksheets/sheet1.xml");
  char *wb = member_text(&x, "xl/workbook.xml");
  char *styles = member_text(&x, "xl/styles.xml");
  string_clear(&x);
  assert_non_null(strstr(sheet, "ySplit=\"1\""));              /* header row frozen */
  assert_non_null(strstr(sheet, "state=\"frozen\""));
  /* widths: "编码"/"007" -> 6 (the minimum), "车队 A&B <x>" 12+2=14, LONG capped at 60 */
  assert_non_null(strstr(sheet, "<col min=\"1\" max=\"1\" width=\"6.7109375\""));
  assert_non_null(strstr(sheet, "<col min=\"2\" max=\"2\" width=\"14.7109375\""));
  assert_non_null(strstr(sheet, "<col min=\"3\" max=\"3\" width=\"60.7109375\""));
  assert_non_null(strstr(sheet, "t=\"s\""));                   /* strings, no numbers */
  assert_null(strstr(sheet, "<f>"));
  assert_non_null(strstr(styles, "<b/>"));
  assert_non_null(strstr(wb, "name=\"报表_1__2024___\""));
  string_init(&x);
  ok(xlsx_write(&t, NULL, &x));
  wb = member_text(&x, "xl/workbook.xml");
  string_clear(&x);
  assert_non_null(strstr(wb, "name=\"Sheet1\""));
}

static void empty_table(void **state){
  TABLE t = { 0, NULL }, back;
  STRING x;
  string_init(&x);
  ok(xlsx_write(&t, "空", &x));
  ok(xlsx_read(A, x.buf, (size_t)x.len, &back, 10));
  string_clear(&x);
  assert_int_equal(back.nrow, 0);
}

static void row_limit(void **state){
  char *cells[50][1];
  TROW rows[50];
  for(int i=0; i<50; i++){
    cells[i][0] = arena_printf(A, "行%d", i);
    rows[i].rowno = i + 1;
    rows[i].ncol = 1;
    rows[i].cols = cells[i];
  }
  TABLE t = { 50, rows }, back;
  STRING x;
  string_init(&x);
  ok(xlsx_write(&t, "x", &x));
  ok(xlsx_read(A, x.buf, (size_t)x.len, &back, 50));
  assert_int_equal(back.nrow, 50);
  assert_string_equal(back.rows[49].cols[0], "行49");
  want_key(xlsx_read(A, x.buf, (size_t)x.len, &back, 49), "too_many_rows");
  string_clear(&x);
}

/* ---- a workbook made by hand ---- */

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define RNS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define RT "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char WORKBOOK[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
  "<workbook " NS " " RNS "><workbookPr/><sheets>"
  "<sheet name=\"数据\" sheetId=\"2\" r:id=\"rId2\"/>"
  "<sheet name=\"Other\" sheetId=\"1\" r:id=\"rId1\"/>"
  "</sheets></workbook>";

static const char RELS[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
  "<Relationship Id=\"rId1\" Type=\"" RT "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
  "<Relationship Id=\"rId2\" Type=\"" RT "worksheet\" Target=\"/xl/worksheets/data.xml\"/>"
  "<Relationship Id=\"rId3\" Type=\"" RT "sharedStrings\" Target=\"strings.xml\"/>"
  "<Relationship Id=\"rId4\" Type=\"" RT "styles\" Target=\"styles.xml\"/>"
  "</Relationships>";

static const char SST[] =
  "<sst " NS " count=\"6\" uniqueCount=\"6\">"
  "<si><t>编码</t></si>"
  "<si><r><t>车</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">队 A</t></r></si>"
  "<si><t>a&amp;b &lt;c&gt; &#x4E2D;</t></si>"
  "<si><t>line_x000D__x000A_two</t></si>"
  "<si><t>漢字</t><rPh sb=\"0\" eb=\"2\"><t>カンジ</t></rPh></si>"
  "<si><t/></si>"
  "</sst>";

static const char STYLES[] =
  "<styleSheet " NS "><numFmts count=\"1\">"
  "<numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
  "<numFmt numFmtId=\"165\" formatCode=\"[Red]#,##0.00\"/>"
  "</numFmts>"
  "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
  "<cellXfs count=\"7\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
  "<xf numFmtId=\"22\"/><xf numFmtId=\"20\"/><xf numFmtId=\"4\"/><xf numFmtId=\"165\"/></cellXfs>"
  "</styleSheet>";

/* the first sheet, with prefixed names */
static const char DATA[] =
  "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><x:sheetData>"
  "<x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"B1\" t=\"s\"><x:v>1</x:v></x:c>"
  "<x:c r=\"C1\" t=\"inlineStr\"><x:is><x:t>内联</x:t></x:is></x:c>"
  "<x:c r=\"D1\" t=\"inlineStr\"><x:is><x:r><x:t>富</x:t></x:r><x:r><x:t>文本</x:t></x:r></x:is></x:c></x:row>"
  "<x:row r=\"3\"><x:c r=\"A3\"><x:v>12</x:v></x:c><x:c r=\"C3\"><x:v>3.5</x:v></x:c>"
  "<x:c r=\"D3\" t=\"b\"><x:v>1</x:v></x:c><x:c r=\"E3\" t=\"s\"><x:v>2</x:v></x:c></x:row>"
  "<x:row r=\"4\" spans=\"1:5\"><x:c r=\"A4\" s=\"1\"/><x:c r=\"B4\" s=\"3\"/><x:c r=\"C4\" t=\"s\"><x:v>5</x:v></x:c></x:row>"
  "<x:row r=\"5\"><x:c r=\"A5\" s=\"1\"><x:v>45292</x:v></x:c><x:c r=\"B5\" s=\"2\"><x:v>45292</x:v></x:c>"
  "<x:c r=\"C5\" s=\"3\"><x:v>45292.5</x:v></x:c><x:c r=\"D5\" s=\"4\"><x:v>0.75</x:v></x:c>"
  "<x:c r=\"E5\" s=\"5\"><x:v>1234.5</x:v></x:c><x:c r=\"F5\" s=\"6\"><x:v>1</x:v></x:c></x:row>"
  "<x:row r=\"6\"><x:c r=\"A6\"><x:v>0.30000000000000004</x:v></x:c>"
  "<x:c r=\"B6\"><x:v>1.1010119900101101E+17</x:v></x:c>"
  "<x:c r=\"C6\" t=\"str\"><x:f>A1&amp;\"x\"</x:f><x:v>公式</x:v></x:c>"
  "<x:c r=\"D6\" t=\"e\"><x:v>#N/A</x:v></x:c><x:c r=\"E6\" t=\"s\"><x:v>3</x:v></x:c>"
  "<x:c r=\"F6\" t=\"b\"><x:v>0</x:v></x:c></x:row>"
  "<x:row r=\"7\"><x:c t=\"s\"><x:v>4</x:v></x:c><x:c><x:v>7</x:v></x:c></x:row>"
  "<x:row><x:c r=\"AA8\"><x:v>-1</x:v></x:c></x:row>"
  "</x:sheetData></x:worksheet>";

static const char DECOY[] =
  "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>WRONG</t></is></c></row>"
  "</sheetData></worksheet>";

static NEOERR *read_members(const MEMBER *m, int n, TABLE *t, int max_rows){
  STRING z;
  string_init(&z);
  make_zip(m, n, &z);
  NEOERR *err = xlsx_read(A, z.buf, (size_t)z.len, t, max_rows);
  string_clear(&z);
  return err;
}

static void handmade(void **state){
  MEMBER m[] = {
    { "[Content_Types].xml", "<Types/>", 0 },
    { "xl/workbook.xml", WORKBOOK, 0 },
    { "xl/_rels/workbook.xml.rels", RELS, 0 },
    { "xl/strings.xml", SST, 0 },
    { "xl/styles.xml", STYLES, 0 },
    { "xl/worksheets/sheet1.xml", DECOY, 0 },
    { "xl/worksheets/data.xml", DATA, 0 },
  };
  TABLE t;
  ok(read_members(m, 7, &t, 100));
  assert_int_equal(t.nrow, 6);        /* rows 1 3 5 6 7 8; row 4's only value is "" */

  const TROW *r = &t.rows[0];
  assert_int_equal(r->rowno, 1);
  assert_int_equal(r->ncol, 4);
  assert_string_equal(r->cols[0], "编码");
  assert_string_equal(r->cols[1], "车队 A");                   /* rich-text runs joined */
  assert_string_equal(r->cols[2], "内联");
  assert_string_equal(r->cols[3], "富文本");

  r = &t.rows[1];
  assert_int_equal(r->rowno, 3);
  assert_int_equal(r->ncol, 5);
  assert_string_equal(r->cols[0], "12");
  assert_string_equal(r->cols[1], "");                         /* missing cell */
  assert_string_equal(r->cols[2], "3.5");
  assert_string_equal(r->cols[3], "TRUE");
  assert_string_equal(r->cols[4], "a&b <c> 中");               /* entities decoded */

  r = &t.rows[2];
  assert_int_equal(r->rowno, 5);
  assert_string_equal(r->cols[0], "2024-01-01");               /* built-in date format 14 */
  assert_string_equal(r->cols[1], "2024-01-01");               /* custom yyyy"年"m"月"d"日" */
  assert_string_equal(r->cols[2], "2024-01-01 12:00");         /* format 22 */
  assert_string_equal(r->cols[3], "18:00");                    /* format 20, a time */
  assert_string_equal(r->cols[4], "1234.5");                   /* #,##0.00 is a number */
  assert_string_equal(r->cols[5], "1");                        /* [Red] is not a date */

  r = &t.rows[3];
  assert_int_equal(r->rowno, 6);
  assert_string_equal(r->cols[0], "0.3");                      /* 15 significant digits */
  assert_string_equal(r->cols[1], "110101199001011000");
  assert_string_equal(r->cols[2], "公式");                     /* the cached formula value */
  assert_string_equal(r->cols[3], "#N/A");
  assert_string_equal(r->cols[4], "line\r\ntwo");              /* _x000D_ escapes */
  assert_string_equal(r->cols[5], "FALSE");

  r = &t.rows[4];
  assert_int_equal(r->rowno, 7);
  assert_int_equal(r->ncol, 2);
  assert_string_equal(r->cols[0], "漢字");                     /* phonetic run left out */
  assert_string_equal(r->cols[1], "7");

  r = &t.rows[5];
  assert_int_equal(r->rowno, 8);                               /* row without r= follows 7 */
  assert_int_equal(r->ncol, 27);                               /* AA is the 27th column */
  assert_string_equal(r->cols[26], "-1");
  assert_string_equal(r->cols[0], "");
}

static void defaults_without_workbook(void **state){
  /* no workbook.xml, no rels, no styles: xl/worksheets/sheet1.xml is used */
  MEMBER m[] = { { "xl/worksheets/sheet1.xml", DECOY, 0 } };
  TABLE t;
  ok(read_members(m, 1, &t, 10));
  assert_int_equal(t.nrow, 1);
  assert_string_equal(t.rows[0].cols[0], "WRONG");
}

static void date1904(void **state){
  MEMBER m[] = {
    { "xl/workbook.xml", "<workbook " NS "><workbookPr date1904=\"1\"/></workbook>", 0 },
    { "xl/styles.xml", STYLES, 0 },
    { "xl/worksheets/sheet1.xml", "<worksheet " NS "><sheetData><row r=\"2\">"
      "<c r=\"B2\" s=\"1\"><v>0</v></c><c r=\"C2\" s=\"1\"><v>43830</v></c></row></sheetData></worksheet>", 0 },
  };
  TABLE t;
  ok(read_members(m, 3, &t, 10));
  assert_int_equal(t.nrow, 1);
  assert_int_equal(t.rows[0].rowno, 2);
  assert_string_equal(t.rows[0].cols[0], "");
  assert_string_equal(t.rows[0].cols[1], "1904-01-01");
  assert_string_equal(t.rows[0].cols[2], "2024-01-01");
}

static void not_xlsx(void **state){
  TABLE t;
  want_key(xlsx_read(A, "", 0, &t, 10), "bad_xlsx");
  want_key(xlsx_read(A, "编码,名称\r\n", strlen("编码,名称\r\n"), &t, 10), "bad_xlsx");
  want_key(xlsx_read(A, "PK\x03\x04garbage", 11, &t, 10), "bad_xlsx");
  want_key(xlsx_read(A, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, &t, 10), "bad_xlsx");   /* .xls */
  assert_false(xlsx_sniff("PK\x03", 3));
  assert_false(xlsx_sniff("\xD0\xCF\x11\xE0", 4));
  assert_true(xlsx_sniff("PK\x03\x04", 4));
  /* a zip that is not a workbook */
  MEMBER m[] = { { "readme.txt", "hello", 0 } };
  want_key(read_members(m, 1, &t, 10), "bad_xlsx");
}

static void truncated_zip(void **state){
  TABLE t;
  STRING z;
  string_init(&z);
  MEMBER m[] = { { "xl/worksheets/sheet1.xml", DECOY, 0 } };
  make_zip(m, 1, &z);
  want_key(xlsx_read(A, z.buf, (size_t)z.len - 30, &t, 10), "bad_xlsx");   /* no central directory */
  /* damage the compressed bytes */
  for(int i=60; i<90 && i<z.len; i++) z.buf[i] ^= 0x5A;
  want_key(xlsx_read(A, z.buf, (size_t)z.len, &t, 10), "bad_xlsx");
  string_clear(&z);
}

static void bad_xml(void **state){
  TABLE t;
  MEMBER m1[] = { { "xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\"1\"><c><v>1</v></row>", 0 } };
  want_key(read_members(m1, 1, &t, 10), "bad_xlsx");
  MEMBER m2[] = { { "xl/worksheets/sheet1.xml",
                    "<worksheet><sheetData><row r=\"1\"><c t=\"s\"><v>5</v></c></row></sheetData></worksheet>", 0 } };
  want_key(read_members(m2, 1, &t, 10), "bad_xlsx");                    /* no shared string 5 */
  MEMBER m3[] = { { "xl/worksheets/sheet1.xml",
                    "<worksheet><sheetData><row r=\"0\"><c><v>1</v></c></row></sheetData></worksheet>", 0 } };
  want_key(read_members(m3, 1, &t, 10), "bad_xlsx");
  MEMBER m4[] = { { "xl/worksheets/sheet1.xml",
                    "<worksheet><sheetData><row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row></sheetData></worksheet>", 0 } };
  want_key(read_members(m4, 1, &t, 10), "bad_xlsx");                    /* past column XFD */
  MEMBER m5[] = { { "xl/worksheets/sheet1.xml",
                    "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
                    "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
                    "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\"><!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">]>"
                    "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>&h;&h;&h;&h;&h;&h;&h;&h;</t></is></c>"
                    "</row></sheetData></worksheet>", 0 } };
  want_key(read_members(m5, 1, &t, 10), "bad_xlsx");                    /* billion laughs */
}

static void zip_bomb(void **state){
  /* 65 MB of blanks inside a well-formed sheet: refused before parsing */
  size_t n = 65u*1024*1024;
  char *big = malloc(n + 100);
  assert_non_null(big);
  memset(big, ' ', n + 100);
  memcpy(big, "<worksheet>", 11);
  memcpy(big + n + 100 - 12, "</worksheet>", 12);
  MEMBER m[] = { { "xl/worksheets/sheet1.xml", big, n + 100 } };
  STRING z;
  string_init(&z);
  make_zip(m, 1, &z);
  free(big);
  assert_true(z.len < 1024*1024);
  TABLE t;
  want_key(xlsx_read(A, z.buf, (size_t)z.len, &t, 10), "too_big");
  string_clear(&z);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(round_trip, reset),
    cmocka_unit_test_setup(written_sheet, reset),
    cmocka_unit_test_setup(empty_table, reset),
    cmocka_unit_test_setup(row_limit, reset),
    cmocka_unit_test_setup(handmade, reset),
    cmocka_unit_test_setup(defaults_without_workbook, reset),
    cmocka_unit_test_setup(date1904, reset),
    cmocka_unit_test_setup(not_xlsx, reset),
    cmocka_unit_test_setup(truncated_zip, reset),
    cmocka_unit_test_setup(bad_xml, reset),
    cmocka_unit_test_setup(zip_bomb, reset),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
