/*
** test_dec.c -- dec.h: what the parser understands and what it refuses
** (each with its reason), round trips format(parse(x)) == canonical, exact
** arithmetic (0.1 + 0.2 == 0.3; a million times 0.01 is 10000.00), half-up
** rounding, and overflow detected at every edge instead of wrapping.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "dec.h"

/* parse at DECIMAL(p,s) and format */
static const char *P(const char *in, int p, int s){
  static char buf[DEC_BUFSZ];
  DEC d;
  DEC_WHY w = dec_parse(in, p, s, &d);
  if( w ) snprintf(buf, sizeof buf, "!%d", (int)w);
  else dec_format(d, buf);
  return buf;
}
#define OK(in, p, s, want) assert_string_equal(P(in, p, s), want)
#define NO(in, p, s, why) do{ DEC d_; assert_int_equal(dec_parse(in, p, s, &d_), why); }while(0)

static DEC D(const char *s){
  DEC d;
  assert_int_equal(dec_parse(s, 18, 6, &d), DEC_OK);
  return dec_trim(d);
}
static const char *F(DEC d){ static char b[DEC_BUFSZ]; return dec_format(d, b); }

static void parse_plain(void **state){
  OK("0", 10, 2, "0.00");
  OK("5", 10, 0, "5");
  OK("1234.5", 10, 2, "1234.50");
  OK("0.10", 10, 2, "0.10");
  OK("-12.34", 10, 2, "-12.34");
  OK("007", 10, 0, "7");               /* a number, not a code: leading zeros go */
  OK("00.50", 10, 2, "0.50");
  OK(".5", 10, 2, "0.50");
  OK("5.", 10, 2, "5.00");
  OK("-.5", 10, 1, "-0.5");
}

static void parse_signs_and_zero(void **state){
  OK("+5", 10, 0, "5");
  OK("-0", 10, 0, "0");                /* never "-0" */
  OK("-0.00", 10, 2, "0.00");
  OK("+0.0", 10, 1, "0.0");
  NO("--5", 10, 0, DEC_SYNTAX);
  NO("+-5", 10, 0, DEC_SYNTAX);
  NO("5-", 10, 0, DEC_SYNTAX);
  NO("(5)", 10, 0, DEC_SYNTAX);        /* accountants' negative: refused, not guessed */
  NO("-", 10, 0, DEC_SYNTAX);
  NO("+", 10, 0, DEC_SYNTAX);
  NO(".", 10, 0, DEC_SYNTAX);
  NO("-.", 10, 0, DEC_SYNTAX);
}

static void parse_white_space(void **state){
  OK(" 5 ", 10, 0, "5");
  OK("\t5\r\n", 10, 0, "5");
  OK("\xE3\x80\x80" "5\xE3\x80\x80", 10, 0, "5");      /* U+3000 */
  OK("\xC2\xA0" "5\xC2\xA0", 10, 0, "5");              /* U+00A0 */
  OK("\xEF\xBB\xBF" "5", 10, 0, "5");                  /* U+FEFF */
  NO("1 234", 10, 0, DEC_SYNTAX);                      /* a space inside is not a separator */
  NO("1\xC2\xA0" "234", 10, 0, DEC_SYNTAX);
  NO("", 10, 0, DEC_EMPTY);
  NO("  \xE3\x80\x80 ", 10, 0, DEC_EMPTY);
  NO(NULL, 10, 0, DEC_EMPTY);
}

static void parse_full_width(void **state){
  OK("１２３．４", 10, 1, "123.4");
  OK("１２.5", 10, 2, "12.50");                        /* mixed widths */
  OK("－５", 10, 0, "-5");                             /* U+FF0D */
  OK("\xE2\x88\x92" "5", 10, 0, "-5");                 /* U+2212 minus sign */
  OK("＋５", 10, 0, "5");
  OK("１，２３４．５", 10, 1, "1234.5");
  OK("12。5", 10, 1, "12.5");                          /* what an input method types for "." */
  NO("一二三", 10, 0, DEC_SYNTAX);                     /* Chinese numerals are words */
  NO("12、5", 10, 1, DEC_SYNTAX);
  NO("１e３", 10, 0, DEC_EXPONENT);
}

static void parse_groups(void **state){
  OK("1,234.5", 10, 1, "1234.5");
  OK("1,234,567", 10, 0, "1234567");
  OK("12,345", 10, 0, "12345");
  OK("123,456.78", 10, 2, "123456.78");
  OK("-1,000", 10, 0, "-1000");
  NO("1,23", 10, 0, DEC_GROUP);
  NO("12,5", 10, 1, DEC_GROUP);                        /* a decimal comma */
  NO("1.234,5", 10, 1, DEC_GROUP);                     /* European style */
  NO("1234,567", 10, 0, DEC_GROUP);
  NO(",123", 10, 0, DEC_GROUP);
  NO("1,234,", 10, 0, DEC_GROUP);
  NO("1,,234", 10, 0, DEC_GROUP);
  NO("12,34,567", 10, 0, DEC_GROUP);                   /* Indian grouping */
  NO("1,2345", 10, 0, DEC_GROUP);
}

static void parse_notations(void **state){
  NO("1e3", 10, 0, DEC_EXPONENT);
  NO("1E3", 10, 0, DEC_EXPONENT);
  NO("1.5e-2", 10, 4, DEC_EXPONENT);
  NO("-2.1E+10", 18, 0, DEC_EXPONENT);
  NO("nan", 10, 0, DEC_NAN);
  NO("NaN", 10, 0, DEC_NAN);
  NO("-inf", 10, 0, DEC_NAN);
  NO("Infinity", 10, 0, DEC_NAN);
  NO("0x1A", 10, 0, DEC_HEX);
  NO("0X1a", 10, 0, DEC_HEX);
  NO("-0x10", 10, 0, DEC_HEX);
  NO("e3", 10, 0, DEC_SYNTAX);
  NO("1e", 10, 0, DEC_SYNTAX);
  NO("0x", 10, 0, DEC_SYNTAX);
  NO("0xZZ", 10, 0, DEC_SYNTAX);
  NO("¥12", 10, 0, DEC_SYNTAX);
  NO("12元", 10, 0, DEC_SYNTAX);
  NO("12%", 10, 0, DEC_SYNTAX);
  NO("$1", 10, 0, DEC_SYNTAX);
  NO("1.2.3", 10, 2, DEC_SYNTAX);
  NO("abc", 10, 0, DEC_SYNTAX);
  NO("\xFF\xFE", 10, 0, DEC_SYNTAX);                   /* not UTF-8 */
  NO("5\x01", 10, 0, DEC_SYNTAX);
}

static void parse_scale_and_precision(void **state){
  NO("0.001", 10, 2, DEC_FRAC);                        /* never rounded silently */
  NO("1.005", 10, 2, DEC_FRAC);
  OK("0.010", 10, 2, "0.01");                          /* extra zeros are no information */
  OK("1.50000000", 10, 2, "1.50");
  OK("99999999.99", 10, 2, "99999999.99");
  NO("100000000.00", 10, 2, DEC_RANGE);                /* DECIMAL(10,2): 8 digits before the point */
  OK("000000000000099999999.99", 10, 2, "99999999.99"); /* leading zeros do not count */
  OK("999999999999999999", 18, 0, "999999999999999999");
  NO("1000000000000000000", 18, 0, DEC_RANGE);
  OK("9999999999999999.99", 18, 2, "9999999999999999.99");
  NO("99999999999999999.99", 18, 2, DEC_RANGE);
  OK("0.999999999999999999", 18, 18, "0.999999999999999999");
  NO("1", 18, 18, DEC_RANGE);
  NO("1", 0, 0, DEC_RANGE);                            /* impossible DECIMAL(p,s) */
  NO("1", 19, 0, DEC_RANGE);
  NO("1", 4, 5, DEC_RANGE);
  /* hostile lengths: 200 zeros and a 1 */
  char big[260];
  memset(big, '0', 200);
  strcpy(big + 200, "1");
  NO(big, 18, 0, DEC_RANGE);
}

static void parse_i64(void **state){
  int64_t v;
  assert_int_equal(dec_parse_i64("9223372036854775807", &v), DEC_OK);
  assert_true(v==INT64_MAX);
  assert_int_equal(dec_parse_i64("-9223372036854775808", &v), DEC_OK);
  assert_true(v==INT64_MIN);
  assert_int_equal(dec_parse_i64("9223372036854775808", &v), DEC_RANGE);
  assert_int_equal(dec_parse_i64("-9223372036854775809", &v), DEC_RANGE);
  assert_int_equal(dec_parse_i64("99999999999999999999", &v), DEC_RANGE);
  assert_int_equal(dec_parse_i64("18446744073709551617", &v), DEC_RANGE);   /* 2^64+1 would wrap */
  assert_int_equal(dec_parse_i64("1,000", &v), DEC_OK);
  assert_int_equal(v, 1000);
  assert_int_equal(dec_parse_i64("＋００７", &v), DEC_OK);
  assert_int_equal(v, 7);
  assert_int_equal(dec_parse_i64("5.00", &v), DEC_OK);
  assert_int_equal(v, 5);
  assert_int_equal(dec_parse_i64("5.5", &v), DEC_NOTINT);
  assert_int_equal(dec_parse_i64("1e3", &v), DEC_EXPONENT);
  assert_int_equal(dec_parse_i64("0x1A", &v), DEC_HEX);
  assert_int_equal(dec_parse_i64("第一", &v), DEC_SYNTAX);
  assert_int_equal(dec_parse_i64("", &v), DEC_EMPTY);
}

/* format(parse(x)) == canonical, and the canonical form parses to itself */
static void round_trips(void **state){
  static const struct { const char *in; int p, s; const char *canon; } T[] = {
    { "1,234.50", 10, 2, "1234.50" }, { "１２.5", 10, 2, "12.50" }, { "0.10", 10, 2, "0.10" },
    { "-0.5", 10, 2, "-0.50" }, { " +7 ", 10, 0, "7" }, { "0", 18, 4, "0.0000" },
    { "-9999999999999999.99", 18, 2, "-9999999999999999.99" }, { "12。345", 10, 3, "12.345" },
  };
  for(size_t i=0; i<sizeof T/sizeof T[0]; i++){
    assert_string_equal(P(T[i].in, T[i].p, T[i].s), T[i].canon);
    assert_string_equal(P(T[i].canon, T[i].p, T[i].s), T[i].canon);
  }
  /* every cent from -20.00 to 20.00 */
  for(int c=-2000; c<=2000; c++){
    DEC d = { c, 2 }, e;
    char b[DEC_BUFSZ];
    assert_int_equal(dec_parse(dec_format(d, b), 10, 2, &e), DEC_OK);
    assert_true(e.u==d.u && e.s==2);
  }
  /* the extremes of int64 at every scale */
  for(int s=0; s<=DEC_MAXP; s++){
    DEC lo = { INT64_MIN, s }, hi = { INT64_MAX, s };
    char b[DEC_BUFSZ];
    assert_true(strlen(dec_format(lo, b))<DEC_BUFSZ);
    assert_true(strlen(dec_format(hi, b))<DEC_BUFSZ);
  }
  DEC m = { INT64_MIN, 2 };
  assert_string_equal(F(m), "-92233720368547758.08");
  DEC tiny = { 5, 18 };
  assert_string_equal(F(tiny), "0.000000000000000005");
}

static void add_exact(void **state){
  DEC r;
  assert_int_equal(dec_add(D("0.1"), D("0.2"), &r), 0);
  assert_int_equal(dec_cmp(r, D("0.3")), 0);
  assert_string_equal(F(r), "0.3");
  DEC a, b;
  assert_int_equal(dec_parse("9999999.99", 9, 2, &a), DEC_OK);
  assert_int_equal(dec_parse("0.01", 9, 2, &b), DEC_OK);
  assert_int_equal(dec_add(a, b, &r), 0);
  assert_string_equal(F(r), "10000000.00");
  assert_false(dec_fits(r, 9, 2));                     /* it no longer fits DECIMAL(9,2) */
  assert_true(dec_fits(a, 9, 2));
  /* a million cents */
  DEC sum = { 0, 2 }, cent = { 1, 2 };
  for(int i=0; i<1000000; i++) assert_int_equal(dec_add(sum, cent, &sum), 0);
  assert_string_equal(F(sum), "10000.00");
  /* scales differ */
  assert_int_equal(dec_add(D("1.5"), D("0.25"), &r), 0);
  assert_string_equal(F(r), "1.75");
  assert_int_equal(dec_sub(D("0.3"), D("0.1"), &r), 0);
  assert_int_equal(dec_cmp(r, D("0.2")), 0);
  assert_int_equal(dec_sub(D("1"), D("1.01"), &r), 0);
  assert_string_equal(F(r), "-0.01");
}

static void overflow_detected(void **state){
  DEC r = { 42, 0 }, max = { INT64_MAX, 0 }, min = { INT64_MIN, 0 }, one = { 1, 0 };
  assert_int_equal(dec_add(max, one, &r), -1);
  assert_int_equal(r.u, 42);                           /* untouched */
  assert_int_equal(dec_sub(min, one, &r), -1);
  assert_int_equal(dec_add(min, one, &r), 0);
  /* rescaling to add overflows too: 10^18 units at scale 0 + 0.1 */
  DEC big = { 1000000000000000000LL, 0 }, tenth = { 1, 1 };
  assert_int_equal(dec_add(big, tenth, &r), -1);
  assert_int_equal(dec_mul(max, D("2"), &r), -1);
  assert_int_equal(dec_mul(min, D("-1"), &r), -1);
  DEC half = { 5, 1 };
  assert_int_equal(dec_mul(max, half, &r), -1);       /* 4.6e18 at scale 1 does not fit */
  assert_int_equal(dec_mul_round(max, half, 0, &r), 0);
  assert_true(r.u==4611686018427387904LL);             /* 4611686018427387903.5 rounded up */
  assert_int_equal(dec_round(max, 1, &r), -1);
  DEC sc = { 1, 18 };
  assert_int_equal(dec_mul(sc, sc, &r), -1);           /* 10^-36 is not representable */
  assert_int_equal(dec_mul_round(sc, sc, 2, &r), 0);
  assert_string_equal(F(r), "0.00");
}

static void multiply_exact(void **state){
  DEC r;
  assert_int_equal(dec_mul(D("1.5"), D("2.25"), &r), 0);
  assert_string_equal(F(r), "3.375");
  assert_int_equal(dec_mul(D("0.1"), D("0.1"), &r), 0);
  assert_string_equal(F(r), "0.01");
  assert_int_equal(dec_mul(D("-3"), D("0.7"), &r), 0);
  assert_string_equal(F(r), "-2.1");
  assert_int_equal(dec_mul(D("123456.78"), D("100"), &r), 0);
  assert_int_equal(dec_cmp(r, D("12345678")), 0);
  /* price x quantity to the cent */
  assert_int_equal(dec_mul_round(D("3.333"), D("3"), 2, &r), 0);
  assert_string_equal(F(r), "10.00");
  assert_int_equal(dec_mul_round(D("0.125"), D("1"), 2, &r), 0);
  assert_string_equal(F(r), "0.13");
}

/* averages and ratios of reports: a quotient rounded half up, exactly */
static void divide_rounded(void **state){
  DEC r;
  assert_int_equal(dec_div_round(D("10"), D("3"), 2, &r), 0);
  assert_string_equal(F(r), "3.33");
  assert_int_equal(dec_div_round(D("2"), D("3"), 2, &r), 0);
  assert_string_equal(F(r), "0.67");
  assert_int_equal(dec_div_round(D("1.125"), D("1"), 2, &r), 0);
  assert_string_equal(F(r), "1.13");
  assert_int_equal(dec_div_round(D("-1.125"), D("1"), 2, &r), 0);
  assert_string_equal(F(r), "-1.13");
  assert_int_equal(dec_div_round(D("1"), D("-8"), 3, &r), 0);
  assert_string_equal(F(r), "-0.125");
  /* fuel per 100 km: 37.45 L over 412.5 km */
  assert_int_equal(dec_div_round(D("3745.00"), D("412.5"), 2, &r), 0);
  assert_string_equal(F(r), "9.08");
  assert_int_equal(dec_div_round(D("1"), D("0"), 2, &r), -1);
  assert_int_equal(dec_div_round(D("0.000"), D("7"), 1, &r), 0);
  assert_string_equal(F(r), "0.0");
}

static void round_half_up(void **state){
  DEC r;
  static const struct { const char *in; int s; const char *out; } T[] = {
    { "2.345", 2, "2.35" }, { "-2.345", 2, "-2.35" }, { "2.344", 2, "2.34" }, { "2.5", 0, "3" },
    { "-2.5", 0, "-3" }, { "1.005", 2, "1.01" },   /* a float would give 1.00 */
    { "0.4999", 0, "0" }, { "0.5", 0, "1" }, { "9.995", 2, "10.00" }, { "1.2", 3, "1.200" },
    { "-0.004", 2, "0.00" },
  };
  for(size_t i=0; i<sizeof T/sizeof T[0]; i++){
    assert_int_equal(dec_round(D(T[i].in), T[i].s, &r), 0);
    assert_string_equal(F(r), T[i].out);
  }
}

static void compare(void **state){
  assert_int_equal(dec_cmp(D("1.50"), D("1.5")), 0);
  assert_int_equal(dec_cmp(D("-1"), D("0.5")), -1);
  assert_int_equal(dec_cmp(D("0.5"), D("-1")), 1);
  assert_int_equal(dec_cmp(D("0.000001"), D("0")), 1);
  DEC max = { INT64_MAX, 0 }, tiny = { INT64_MAX, 18 };
  assert_int_equal(dec_cmp(max, tiny), 1);             /* no overflow comparing across scales */
  assert_true(dec_fits(D("999.99"), 5, 2));
  assert_false(dec_fits(D("1000"), 5, 2));
  assert_false(dec_fits(D("1.001"), 5, 2));
  assert_true(dec_fits(D("-999.99"), 5, 2));
  DEC t = dec_trim(D("1.500"));
  assert_int_equal(t.s, 1);
  assert_string_equal(F(dec_trim(dec_from_i64(1000))), "1000");
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(parse_plain),
    cmocka_unit_test(parse_signs_and_zero),
    cmocka_unit_test(parse_white_space),
    cmocka_unit_test(parse_full_width),
    cmocka_unit_test(parse_groups),
    cmocka_unit_test(parse_notations),
    cmocka_unit_test(parse_scale_and_precision),
    cmocka_unit_test(parse_i64),
    cmocka_unit_test(round_trips),
    cmocka_unit_test(add_exact),
    cmocka_unit_test(overflow_detected),
    cmocka_unit_test(multiply_exact),
    cmocka_unit_test(round_half_up),
    cmocka_unit_test(divide_rounded),
    cmocka_unit_test(compare),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
