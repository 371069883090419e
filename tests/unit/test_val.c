/*
** test_val.c -- val.h: the canonical text of each type from the spellings
** people type or spreadsheets write, the reason key of each refusal, round
** trips (the canonical text checks to itself), and every reason key present
** in both language files with a Chinese sentence.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "val.h"
#include <ClearSilver.h>

static ARENA *A;
static int setup(void **state){ A = arena_new(4096); return 0; }
static int teardown(void **state){ arena_free(A); return 0; }

/* every reason seen, for the language-file check */
static const char *seen[64];
static int nseen;

static void ok(VALTYPE t, const VALPARAM *p, const char *in, const char *want){
  const char *out, *why;
  int r = val_check(t, p, in, A, &out, &why);
  if( !r ) print_error("input '%s': refused with %s, wanted '%s'\n", in ? in : "(null)", why, want);
  assert_int_equal(r, 1);
  assert_null(why);
  assert_string_equal(out, want);
  /* the canonical text is a fixed point */
  const char *again;
  assert_int_equal(val_check(t, p, out, A, &again, &why), 1);
  assert_string_equal(again, out);
}

static void no(VALTYPE t, const VALPARAM *p, const char *in, const char *why_want){
  const char *out, *why;
  int r = val_check(t, p, in, A, &out, &why);
  if( r ) print_error("input '%s': accepted as '%s', wanted %s\n", in, out, why_want);
  assert_int_equal(r, 0);
  assert_null(out);
  assert_string_equal(why, why_want);
  int k;
  for(k=0; k<nseen && strcmp(seen[k], why); k++);
  if( k==nseen && nseen<64 ) seen[nseen++] = why;
}

static void integers(void **state){
  ok(VAL_INT, NULL, "5", "5");
  ok(VAL_INT, NULL, "+5", "5");
  ok(VAL_INT, NULL, " 5 ", "5");
  ok(VAL_INT, NULL, "\xE3\x80\x80" "５\xC2\xA0", "5");
  ok(VAL_INT, NULL, "１２３", "123");
  ok(VAL_INT, NULL, "－１２", "-12");
  ok(VAL_INT, NULL, "1,234", "1234");
  ok(VAL_INT, NULL, "007", "7");
  ok(VAL_INT, NULL, "5.00", "5");
  ok(VAL_INT, NULL, "-0", "0");
  ok(VAL_INT, NULL, "9223372036854775807", "9223372036854775807");
  ok(VAL_INT, NULL, "", "");
  ok(VAL_INT, NULL, NULL, "");
  no(VAL_INT, NULL, "5.5", "val.int_frac");
  no(VAL_INT, NULL, "第一", "val.int");
  no(VAL_INT, NULL, "12个", "val.int");
  no(VAL_INT, NULL, "1e3", "val.exponent");
  no(VAL_INT, NULL, "nan", "val.nan");
  no(VAL_INT, NULL, "0x1A", "val.hex");
  no(VAL_INT, NULL, "1,23", "val.group");
  no(VAL_INT, NULL, "9223372036854775808", "val.range");
  VALPARAM p = { .required = 1, .has_range = 1, .min = 0, .max = 2147483647 };
  no(VAL_INT, &p, "  ", "val.required");
  no(VAL_INT, &p, "2147483648", "val.range");
  no(VAL_INT, &p, "-1", "val.range");
  ok(VAL_INT, &p, "2,147,483,647", "2147483647");
  VALPARAM nn = { .nonneg = 1 };
  no(VAL_INT, &nn, "-3", "val.negative");
}

static void decimals_fixed_scale(void **state){
  VALPARAM p = { .prec = 10, .scale = 2 };
  ok(VAL_DEC, &p, "1,234.50", "1234.50");
  ok(VAL_DEC, &p, "1234.5", "1234.50");
  ok(VAL_DEC, &p, "１２.5", "12.50");
  ok(VAL_DEC, &p, "１２３．４", "123.40");
  ok(VAL_DEC, &p, "0.10", "0.10");
  ok(VAL_DEC, &p, ".5", "0.50");
  ok(VAL_DEC, &p, "+5", "5.00");
  ok(VAL_DEC, &p, "－0.5", "-0.50");
  ok(VAL_DEC, &p, "12。5", "12.50");
  ok(VAL_DEC, &p, "99999999.99", "99999999.99");
  no(VAL_DEC, &p, "1.005", "val.frac.2");
  no(VAL_DEC, &p, "abc", "val.frac.2");               /* says what to type */
  no(VAL_DEC, &p, "12元", "val.frac.2");
  no(VAL_DEC, &p, "1e3", "val.exponent");
  no(VAL_DEC, &p, "nan", "val.nan");
  no(VAL_DEC, &p, "inf", "val.nan");
  no(VAL_DEC, &p, "0x1A", "val.hex");
  no(VAL_DEC, &p, "12,5", "val.group");
  no(VAL_DEC, &p, "100000000", "val.range");
  VALPARAM q = { .prec = 6, .scale = 0, .nonneg = 1 };
  no(VAL_DEC, &q, "1.5", "val.frac.0");
  no(VAL_DEC, &q, "-1", "val.negative");
  ok(VAL_DEC, &q, "-0", "0");
  /* NULL: DECIMAL(18,4) */
  ok(VAL_DEC, NULL, "1,234.5", "1234.5000");
  no(VAL_DEC, NULL, "0.00001", "val.frac.4");
}

static void decimals_free_scale(void **state){
  /* base data: "decimal" fields keep up to 4 decimals, without trailing zeros */
  VALTYPE t;
  VALPARAM p;
  assert_true(val_field("decimal", 0, &t, &p));
  assert_int_equal(t, VAL_DEC);
  ok(t, &p, "1,234.50", "1234.5");
  ok(t, &p, "１２.5", "12.5");
  ok(t, &p, "0.10", "0.1");
  ok(t, &p, "3000", "3000");
  ok(t, &p, "2800.5", "2800.5");
  ok(t, &p, "12.0000", "12");
  ok(t, &p, "-0.0", "0");
  ok(t, &p, "99999999999999.9999", "99999999999999.9999");
  no(t, &p, "0.12345", "val.frac.4");
  no(t, &p, "1e3", "val.exponent");
  no(t, &p, "nan", "val.nan");
  no(t, &p, "0x1A", "val.hex");
  no(t, &p, "大约三千", "val.frac.4");
  no(t, &p, "999999999999999", "val.range");
  assert_true(val_field("integer", 1, &t, &p));
  assert_int_equal(t, VAL_INT);
  no(t, &p, "", "val.required");
  assert_true(val_field("text", 0, &t, &p));
  assert_int_equal(t, VAL_TEXT);
  assert_false(val_field("float", 0, &t, &p));
  assert_false(val_field("Decimal", 0, &t, &p));
}

static void codes(void **state){
  ok(VAL_CODE, NULL, "007", "007");                    /* leading zeros are the customer's */
  ok(VAL_CODE, NULL, " A-01 ", "A-01");
  ok(VAL_CODE, NULL, "ＣＬ００１", "CL001");
  ok(VAL_CODE, NULL, "\xE3\x80\x80" "CL001\xEF\xBB\xBF", "CL001");
  ok(VAL_CODE, NULL, "编码１", "编码1");
  no(VAL_CODE, NULL, "A 01", "val.code");
  no(VAL_CODE, NULL, "A\xE3\x80\x80" "01", "val.code");
  no(VAL_CODE, NULL, "A\xC2\xA0" "01", "val.code");
  no(VAL_CODE, NULL, "a,b", "val.code");
  no(VAL_CODE, NULL, "a，b", "val.code");               /* a full-width comma is a comma */
  no(VAL_CODE, NULL, "<x>", "val.code");
  VALPARAM p = { .maxlen = 4 };
  ok(VAL_CODE, &p, "编码编码", "编码编码");
  no(VAL_CODE, &p, "ABCDE", "val.code");
}

static void dates(void **state){
  static const char *same[] = {
    "2026-01-05", "2026-1-5", "2026/1/5", "2026/01/05", "2026.1.5", "20260105", "2026年1月5日",
    "2026年1月5号", "2026年01月05日", "２０２６年１月５日", "2026 年 1 月 5 日", "2026年1月5",
    "２０２６－０１－０５", "2026-01-05 00:00:00", "2026-01-05 00:00", "2026-01-05T00:00:00",
    "\xE3\x80\x80" "2026-01-05\t",
  };
  for(size_t i=0; i<sizeof same/sizeof same[0]; i++) ok(VAL_DATE, NULL, same[i], "2026-01-05");
  ok(VAL_DATE, NULL, "2028-02-29", "2028-02-29");
  ok(VAL_DATE, NULL, "2000-2-29", "2000-02-29");
  ok(VAL_DATE, NULL, "1900-01-01", "1900-01-01");
  ok(VAL_DATE, NULL, "2999-12-31", "2999-12-31");
  no(VAL_DATE, NULL, "2026-02-29", "val.date_bad");
  no(VAL_DATE, NULL, "1900-02-29", "val.date_bad");
  no(VAL_DATE, NULL, "2026-04-31", "val.date_bad");
  no(VAL_DATE, NULL, "2026-13-01", "val.date_bad");
  no(VAL_DATE, NULL, "2026-00-10", "val.date_bad");
  no(VAL_DATE, NULL, "20261301", "val.date_bad");
  no(VAL_DATE, NULL, "1899-12-31", "val.date_range");
  no(VAL_DATE, NULL, "3000-01-01", "val.date_range");
  no(VAL_DATE, NULL, "26-1-5", "val.date");            /* two-digit years */
  no(VAL_DATE, NULL, "1/5/2026", "val.date");          /* day and month order unknowable */
  no(VAL_DATE, NULL, "5.1.2026", "val.date");
  no(VAL_DATE, NULL, "2026-1/5", "val.date");
  no(VAL_DATE, NULL, "2026-001-05", "val.date");
  no(VAL_DATE, NULL, "2026年1月", "val.date");
  no(VAL_DATE, NULL, "2026年1月5日日", "val.date");
  no(VAL_DATE, NULL, "2026-01-05 08:30", "val.date_time");
  no(VAL_DATE, NULL, "today", "val.date");
  no(VAL_DATE, NULL, "2026Y1M5D", "val.date");         /* the letters are not the markers */
  no(VAL_DATE, NULL, "2026\x01" "1\x02" "5", "val.text_bad");
  /* Excel serial numbers only from an XLSX cell */
  no(VAL_DATE, NULL, "46027", "val.date");
  VALPARAM x = { .xlsx = 1 };
  ok(VAL_DATE, &x, "46027", "2026-01-05");
  ok(VAL_DATE, &x, "1", "1900-01-01");
  ok(VAL_DATE, &x, "59", "1900-02-28");
  no(VAL_DATE, &x, "60", "val.date_bad");              /* Excel's 1900-02-29 */
  ok(VAL_DATE, &x, "61", "1900-03-01");
  no(VAL_DATE, &x, "0", "val.date_bad");
  ok(VAL_DATE, &x, "2026-01-05", "2026-01-05");
  ok(VAL_DATE, &x, "20260105", "2026-01-05");          /* 8 digits: never a serial (max 2958465) */
  no(VAL_DATE, &x, "46027.5", "val.date");
  VALPARAM r = { .required = 1 };
  no(VAL_DATE, &r, "\xE3\x80\x80", "val.required");
}

static void times(void **state){
  static const char *same[] = { "08:30", "8:30", "08:30:00", "８：３０", "8点30分", "8点30", "8时30分",
                                "08时30分00秒", " 8:30 " };
  for(size_t i=0; i<sizeof same/sizeof same[0]; i++) ok(VAL_TIME, NULL, same[i], "08:30");
  ok(VAL_TIME, NULL, "8点", "08:00");
  ok(VAL_TIME, NULL, "0:00", "00:00");
  ok(VAL_TIME, NULL, "23:59", "23:59");
  no(VAL_TIME, NULL, "24:00", "val.time_bad");
  no(VAL_TIME, NULL, "23:60", "val.time_bad");
  no(VAL_TIME, NULL, "08:30:15", "val.time_seconds");
  no(VAL_TIME, NULL, "8:5", "val.time");
  no(VAL_TIME, NULL, "830", "val.time");
  no(VAL_TIME, NULL, "8:30pm", "val.time");
  no(VAL_TIME, NULL, "8:30:", "val.time");
  no(VAL_TIME, NULL, "08:030", "val.time");
  no(VAL_TIME, NULL, "8H30", "val.time");
  no(VAL_TIME, NULL, "下午3点", "val.time");
  VALPARAM s = { .seconds = 1 };
  ok(VAL_TIME, &s, "08:30:15", "08:30:15");
  ok(VAL_TIME, &s, "8:30", "08:30:00");
  VALPARAM x = { .xlsx = 1 };
  ok(VAL_TIME, &x, "0.5", "12:00");
  ok(VAL_TIME, &x, "0.354166666666667", "08:30");     /* Excel's 8:30, 15 digits */
  ok(VAL_TIME, &x, "0", "00:00");
  ok(VAL_TIME, &x, "08:30", "08:30");
  no(VAL_TIME, &x, "0.99999999", "val.time_bad");      /* rounds to 24:00 */
  no(VAL_TIME, &x, "0.1e1", "val.time");
  no(VAL_TIME, NULL, "0.5", "val.time");
}

static void texts(void **state){
  ok(VAL_TEXT, NULL, "\xE3\x80\x80张三\xC2\xA0", "张三");
  ok(VAL_TEXT, NULL, "第一行\r\n第二行", "第一行\r\n第二行");
  no(VAL_TEXT, NULL, "a\x01" "b", "val.text_bad");
  no(VAL_TEXT, NULL, "a\x7F", "val.text_bad");
  no(VAL_TEXT, NULL, "\xFF\xFE", "val.text_bad");
  no(VAL_TEXT, NULL, "a\xE4\xB8", "val.text_bad");     /* cut UTF-8 */
  char big[700];
  for(int i=0; i<201; i++) memcpy(big + 3*i, "中", 3);
  big[603] = 0;
  no(VAL_TEXT, NULL, big, "val.too_long");
  big[600] = 0;
  ok(VAL_TEXT, NULL, big, big);
}

/* every reason key above is a sentence in both language files; the
** Chinese one has no Latin words */
static void reasons_in_language_files(void **state){
  static const char *files[] = { "templates/lang/zh_CN.hdf", "templates/lang/en.hdf" };
  const char *more[] = { "val.frac.1", "val.frac.3", "val.frac.5", "val.frac.6", "val.frac.7",
                         "val.frac.8", "val.frac.9", "val.number" };
  for(size_t f=0; f<2; f++){
    HDF *h;
    assert_null(hdf_init(&h));
    NEOERR *err = hdf_read_file(h, files[f]);
    if( err ){ nerr_log_error(err); nerr_ignore(&err); fail(); }
    for(int i=0; i<nseen + (int)(sizeof more/sizeof more[0]); i++){
      const char *k = i<nseen ? seen[i] : more[i - nseen];
      const char *v = hdf_get_value(h, k, NULL);
      if( v==NULL ) print_error("%s: Lang.%s missing\n", files[f], k);
      assert_non_null(v);
      assert_true(strlen(v)>3);
      if( f==0 )
        for(const char *p=v; *p; p++)
          if( (*p>='a' && *p<='z') || (*p>='A' && *p<='Z') ){
            /* "1e3" and "0x" name what was typed: allowed inside an example */
            if( (*p=='e' && p>v && p[-1]>='0' && p[-1]<='9') || (*p=='x' && p>v && p[-1]=='0') ) continue;
            print_error("%s: Lang.%s has Latin letters: %s\n", files[f], k, v);
            fail();
          }
    }
    hdf_destroy(&h);
  }
  assert_true(nseen>=15);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(integers),
    cmocka_unit_test(decimals_fixed_scale),
    cmocka_unit_test(decimals_free_scale),
    cmocka_unit_test(codes),
    cmocka_unit_test(dates),
    cmocka_unit_test(times),
    cmocka_unit_test(texts),
    cmocka_unit_test(reasons_in_language_files),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
