/*
** test_multipart.c -- multipart.h: a browser-shaped upload (fields and a
** binary file with NUL, CR, LF and near-boundary bytes, a Chinese file
** name), boundary syntax in the Content-Type, path stripping, and hostile
** bodies: no boundary, boundary absent, truncated, headers without the
** blank line, too many parts, bad names, non-UTF-8 field values.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "multipart.h"
#include "err.h"

static ARENA *A;
static PART P[8];
static int N;

#define CT "multipart/form-data; boundary=----WebKitFormBoundaryX3bq"
#define B  "------WebKitFormBoundaryX3bq"

static int setup(void **state){
  NEOERR *err = err_init();
  if( err ){ nerr_ignore(&err); return -1; }
  A = arena_new(64*1024);
  return 0;
}
static int teardown(void **state){ arena_free(A); A = NULL; return 0; }
static int reset(void **state){
  arena_reset(A);
  memset(P, 0, sizeof P);
  N = -1;
  return 0;
}

static NEOERR *parse(const char *ct, const char *body, size_t len, int max){
  return multipart_parse(A, ct, body, len, P, &N, max);
}

static void ok(const char *ct, const char *body, size_t len, int want){
  NEOERR *err = parse(ct, body, len, 8);
  if( err ){
    print_error("unexpected error: %s\n", err->desc);
    nerr_ignore(&err);
    fail();
  }
  assert_int_equal(N, want);
}

static void bad(const char *ct, const char *body, size_t len, int max, const char *key){
  NEOERR *err = parse(ct, body, len, max);
  if( err==STATUS_OK ) print_error("no error\n");
  assert_non_null(err);
  int status = err_status(err);
  const char *k = err_key(err);
  char got[64];
  snprintf(got, sizeof got, "%s", k ? k : "(null)");
  nerr_ignore(&err);
  assert_int_equal(status, 400);
  assert_string_equal(got, key);
}

#define OK(ct, lit, n)        ok((ct), (lit), sizeof(lit) - 1, (n))
#define BAD(ct, lit, key)     bad((ct), (lit), sizeof(lit) - 1, 8, (key))

/* the file's bytes: NUL, CRLF, a dash run, a near-boundary, invalid UTF-8 */
static const char FILEDATA[] =
  "a\0b\r\n\r\n--\r\n" B "X not a boundary\r\n\xff\xfe\x80" "\r\n--" B "Y\r\nend\r";

static void browser_upload(void **state){
  STRING s;
  string_init(&s);
  string_append(&s,
    B "\r\n"
    "Content-Disposition: form-data; name=\"csrf\"\r\n"
    "\r\n"
    "tok123\r\n"
    B "\r\n"
    "Content-Disposition: form-data; name=\"note\"\r\n"
    "\r\n"
    "第一行\r\n第二行\r\n"
    B "\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"组织机构.csv\"\r\n"
    "Content-Type: text/csv\r\n"
    "\r\n");
  string_appendn(&s, FILEDATA, sizeof FILEDATA - 1);
  string_append(&s, "\r\n" B "--\r\n");
  ok(CT, s.buf, (size_t)s.len, 3);
  string_clear(&s);

  assert_string_equal(P[0].name, "csrf");
  assert_null(P[0].filename);
  assert_string_equal(P[0].ctype, "");
  assert_string_equal(P[0].data, "tok123");
  assert_int_equal(P[0].len, 6);
  assert_string_equal(P[1].data, "第一行\r\n第二行");
  assert_string_equal(P[2].name, "file");
  assert_string_equal(P[2].filename, "组织机构.csv");
  assert_string_equal(P[2].ctype, "text/csv");
  assert_int_equal(P[2].len, sizeof FILEDATA - 1);
  assert_memory_equal(P[2].data, FILEDATA, sizeof FILEDATA - 1);
  assert_int_equal(P[2].data[P[2].len], 0);      /* NUL-terminated copy */
}

static void boundary_forms(void **state){
  const char body[] = "--a b\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--a b--";
  OK("multipart/form-data; boundary=\"a b\"", body, 1);
  assert_string_equal(P[0].name, "x");
  assert_string_equal(P[0].data, "1");
  const char b2[] = "--XyZ\r\ncontent-disposition: Form-Data; NAME=\"v\"\r\n\r\n\r\n--XyZ--\r\n";
  OK("Multipart/Form-Data;charset=utf-8; Boundary=XyZ", b2, 1);
  assert_string_equal(P[0].name, "v");
  assert_int_equal(P[0].len, 0);
  assert_string_equal(P[0].data, "");
  /* a preamble before the first delimiter and an epilogue after the last */
  const char b3[] = "ignored\r\n--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--q--\r\nepilogue";
  OK("multipart/form-data; boundary=q", b3, 1);
  assert_string_equal(P[0].data, "v");
}

static void filename_paths(void **state){
  const char b1[] = "--q\r\nContent-Disposition: form-data; name=\"f\"; filename=\"C:\\Users\\王\\组织机构.csv\"\r\n\r\nx\r\n--q--";
  OK("multipart/form-data; boundary=q", b1, 1);
  assert_string_equal(P[0].filename, "组织机构.csv");
  const char b2[] = "--q\r\nContent-Disposition: form-data; name=\"f\"; filename=\"../../etc/passwd\"\r\n\r\nx\r\n--q--";
  OK("multipart/form-data; boundary=q", b2, 1);
  assert_string_equal(P[0].filename, "passwd");
  const char b3[] = "--q\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a \\\"q\\\".txt\"\r\n\r\nx\r\n--q--";
  OK("multipart/form-data; boundary=q", b3, 1);
  assert_string_equal(P[0].filename, "a \"q\".txt");
  /* no file chosen: an empty name and no bytes */
  const char b4[] = "--q\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\n"
                    "Content-Type: application/octet-stream\r\n\r\n\r\n--q--";
  OK("multipart/form-data; boundary=q", b4, 1);
  assert_non_null(P[0].filename);
  assert_string_equal(P[0].filename, "");
  assert_int_equal(P[0].len, 0);
}

static void no_boundary(void **state){
  const char body[] = "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--q--";
  BAD("multipart/form-data", body, "bad_request");
  BAD("multipart/form-data; boundary=", body, "bad_request");
  BAD("multipart/form-data; boundary=\"\"", body, "bad_request");
  BAD("multipart/form-data; boundary=\"q", body, "bad_request");
  BAD("multipart/form-data; boundary=q\x01", body, "bad_request");
  BAD("multipart/form-data; boundary=" "12345678901234567890123456789012345678901234567890123456789012345678901", body, "bad_request");
  BAD("application/x-www-form-urlencoded; boundary=q", body, "bad_request");
  BAD("multipart/mixed; boundary=q", body, "bad_request");
  BAD("", body, "bad_request");
  bad(NULL, body, sizeof body - 1, 8, "bad_request");
}

static void boundary_not_found(void **state){
  BAD("multipart/form-data; boundary=zz", "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--q--", "bad_request");
  BAD("multipart/form-data; boundary=q", "", "bad_request");
  BAD("multipart/form-data; boundary=q", "--qq\r\n", "bad_request");     /* only a prefix */
}

static void truncated(void **state){
  const char *ct = "multipart/form-data; boundary=q";
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue", "bad_request");
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n--q", "bad_request");
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n", "bad_request");
  BAD(ct, "--q\r\nContent-Disposition: form-data; na", "bad_request");
  BAD(ct, "--q", "bad_request");
  BAD(ct, "--q\r\n", "bad_request");
  /* the next delimiter must be followed by "--" or a line end */
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--qz", "bad_request");
}

static void headers_without_blank_line(void **state){
  const char *ct = "multipart/form-data; boundary=q";
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n--q--\r\n", "bad_request");
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n--q\r\n"
          "Content-Disposition: form-data; name=\"b\"\r\n\r\nv\r\n--q--", "bad_request");
  BAD(ct, "--q\r\n\r\nno headers\r\n--q--", "bad_request");
  BAD(ct, "--q\r\nno colon here\r\n\r\nv\r\n--q--", "bad_request");
  BAD(ct, "--q\r\nContent-Type: text/plain\r\n\r\nv\r\n--q--", "bad_request");   /* no disposition */
  BAD(ct, "--q\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--q--", "bad_request");
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n"
          "Content-Disposition: form-data; name=\"b\"\r\n\r\nv\r\n--q--", "bad_request");
}

static void too_many_parts(void **state){
  const char body[] =
    "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
    "--q\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n"
    "--q\r\nContent-Disposition: form-data; name=\"c\"\r\n\r\n3\r\n--q--\r\n";
  NEOERR *err = parse("multipart/form-data; boundary=q", body, sizeof body - 1, 3);
  assert_null(err);
  assert_int_equal(N, 3);
  assert_string_equal(P[2].data, "3");
  bad("multipart/form-data; boundary=q", body, sizeof body - 1, 2, "bad_request");
}

static void bad_names(void **state){
  const char *ct = "multipart/form-data; boundary=q";
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"a b\"\r\n\r\nv\r\n--q--", "bad_request");
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nv\r\n--q--", "bad_request");
  BAD(ct, "--q\r\nContent-Disposition: form-data; filename=\"x\"\r\n\r\nv\r\n--q--", "bad_request");
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"名\"\r\n\r\nv\r\n--q--", "bad_request");
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"a<script>\"\r\n\r\nv\r\n--q--", "bad_request");
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"open\r\n\r\nv\r\n--q--", "bad_request");
  BAD(ct, "--q\r\nContent-Disposition: form-data; name\r\n\r\nv\r\n--q--", "bad_request");
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"a\" junk\r\n\r\nv\r\n--q--", "bad_request");
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"a\0\"\r\n\r\nv\r\n--q--", "bad_request");
}

static void field_not_utf8(void **state){
  const char *ct = "multipart/form-data; boundary=q";
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xb3\xb5\xb6\xd3\r\n--q--", "bad_utf8");
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xC0\xAF\r\n--q--", "bad_utf8");
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"a\"; filename=\"\xb3\xb5.csv\"\r\n\r\nv\r\n--q--", "bad_utf8");
  BAD(ct, "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\0y\r\n--q--", "bad_request");
  /* the same bytes in a file part are fine */
  OK(ct, "--q\r\nContent-Disposition: form-data; name=\"a\"; filename=\"gbk.csv\"\r\n\r\n\xb3\xb5\xb6\xd3\r\n--q--", 1);
  assert_int_equal(P[0].len, 4);
  assert_memory_equal(P[0].data, "\xb3\xb5\xb6\xd3", 4);
}

static void binary_file_large(void **state){
  /* 64 KB of every byte value, CRLF and dashes included */
  STRING s;
  string_init(&s);
  string_append(&s, "--q\r\nContent-Disposition: form-data; name=\"f\"; filename=\"b.bin\"\r\n\r\n");
  char blob[65536];
  for(size_t i=0; i<sizeof blob; i++) blob[i] = (char)(i*7 + i/256);
  string_appendn(&s, blob, sizeof blob);
  string_append(&s, "\r\n--q--\r\n");
  ok("multipart/form-data; boundary=q", s.buf, (size_t)s.len, 1);
  string_clear(&s);
  assert_int_equal(P[0].len, sizeof blob);
  assert_memory_equal(P[0].data, blob, sizeof blob);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(browser_upload, reset),
    cmocka_unit_test_setup(boundary_forms, reset),
    cmocka_unit_test_setup(filename_paths, reset),
    cmocka_unit_test_setup(no_boundary, reset),
    cmocka_unit_test_setup(boundary_not_found, reset),
    cmocka_unit_test_setup(truncated, reset),
    cmocka_unit_test_setup(headers_without_blank_line, reset),
    cmocka_unit_test_setup(too_many_parts, reset),
    cmocka_unit_test_setup(bad_names, reset),
    cmocka_unit_test_setup(field_not_utf8, reset),
    cmocka_unit_test_setup(binary_file_large, reset),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
