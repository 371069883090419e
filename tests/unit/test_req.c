/*
** test_req.c -- the pure request parsers of req.h:
**   req_parse_urlencoded: pairs, empty pieces, value-less names, '+' and
**     %-decoding, hostile names (spaces, markup, NUL, encoded '='), invalid
**     UTF-8 values (err key "bad_utf8", HTTP 400), the parameter cap;
**   req_parse_cookies: spacing, quoted values, malformed pieces ignored,
**     names outside the safe alphabet ignored, the cap.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "req.h"
#include "err.h"

static ARENA *A;
static PARAM P[REQ_MAX_PARAMS + 8];
static int N;

static int setup(void **state){
  NEOERR *err = err_init();
  if( err ){ nerr_ignore(&err); return -1; }
  A = arena_new(64*1024);
  return 0;
}
static int teardown(void **state){ arena_free(A); A = NULL; return 0; }
static int reset(void **state){
  memset(P, 0, sizeof P);
  N = 0;
  arena_reset(A);
  return 0;
}

/* parse s completely, with a cap of max */
static NEOERR *parse(const char *s, int max){
  return req_parse_urlencoded(A, s, strlen(s), P, &N, max);
}

static void ok(const char *s, int want){
  NEOERR *err = parse(s, REQ_MAX_PARAMS);
  if( err ){
    print_error("unexpected error for \"%s\": %s\n", s, err->desc);
    nerr_ignore(&err);
    fail();
  }
  assert_int_equal(N, want);
}

/* parse s; it must fail with an ERR_INPUT carrying the given key */
static void bad(const char *s, int max, const char *key){
  NEOERR *err = parse(s, max);
  if( err==STATUS_OK ) print_error("no error for \"%s\"\n", s);
  assert_non_null(err);
  int status = err_status(err);
  const char *k = err_key(err);
  char got[64];
  snprintf(got, sizeof got, "%s", k ? k : "(null)");
  nerr_ignore(&err);
  assert_int_equal(status, 400);
  assert_string_equal(got, key);
}

/* ---- req_parse_urlencoded ---- */

static void form_normal(void **state){
  ok("a=1&b=2", 2);
  assert_string_equal(P[0].name, "a");
  assert_string_equal(P[0].value, "1");
  assert_string_equal(P[1].name, "b");
  assert_string_equal(P[1].value, "2");
}

static void form_empty_input(void **state){
  ok("", 0);
  ok("&", 0);
}

static void form_empty_pieces_skipped(void **state){
  ok("&&a=1&", 1);
  assert_string_equal(P[0].name, "a");
  assert_string_equal(P[0].value, "1");
}

static void form_semicolon_separator(void **state){
  ok("a=1;b=2", 2);
  assert_string_equal(P[1].name, "b");
  assert_string_equal(P[1].value, "2");
}

static void form_valueless_name(void **state){
  ok("flag&x=", 2);
  assert_string_equal(P[0].name, "flag");
  assert_string_equal(P[0].value, "");
  assert_string_equal(P[1].name, "x");
  assert_string_equal(P[1].value, "");
}

static void form_plus_and_escapes(void **state){
  ok("q=a+b%2Bc&z=%E4%B8%AD%E6%96%87&e=1%3D2", 3);
  assert_string_equal(P[0].value, "a b+c");
  assert_string_equal(P[1].value, "中文");
  assert_string_equal(P[2].value, "1=2");
}

static void form_value_keeps_later_equals(void **state){
  ok("a=1=2", 1);
  assert_string_equal(P[0].value, "1=2");
}

static void form_raw_utf8_value(void **state){
  ok("name=张三", 1);
  assert_string_equal(P[0].value, "张三");
}

static void form_honours_length(void **state){
  const char *s = "a=1&b=2";
  NEOERR *err = req_parse_urlencoded(A, s, 3, P, &N, REQ_MAX_PARAMS);
  assert_null(err);
  assert_int_equal(N, 1);
  assert_string_equal(P[0].value, "1");
}

static void form_appends_to_count(void **state){
  ok("a=1", 1);
  ok("b=2", 2);                      /* a second call continues the array */
  assert_string_equal(P[1].name, "b");
}

static void form_hostile_names(void **state){
  bad("a b=1", REQ_MAX_PARAMS, "bad_request");
  bad("a+b=1", REQ_MAX_PARAMS, "bad_request");      /* decodes to "a b" */
  bad("<script>=1", REQ_MAX_PARAMS, "bad_request");
  bad("%3Cscript%3E=1", REQ_MAX_PARAMS, "bad_request");
  bad("%00=1", REQ_MAX_PARAMS, "bad_request");
  bad("a%00=1", REQ_MAX_PARAMS, "bad_request");
  bad("a%3Db=1", REQ_MAX_PARAMS, "bad_request");    /* decodes to "a=b" */
  bad("=1", REQ_MAX_PARAMS, "bad_request");         /* empty name */
  bad("名=1", REQ_MAX_PARAMS, "bad_request");
  bad("ok=1&a\"b=2", REQ_MAX_PARAMS, "bad_request");
}

static void form_name_length(void **state){
  char s[128];
  memset(s, 'n', 64);
  strcpy(s + 64, "=1");
  ok(s, 1);
  reset(state);
  memset(s, 'n', 65);
  strcpy(s + 65, "=1");
  bad(s, REQ_MAX_PARAMS, "bad_request");
}

static void form_bad_escapes(void **state){
  bad("a=%zz", REQ_MAX_PARAMS, "bad_request");
  bad("a=%4", REQ_MAX_PARAMS, "bad_request");
  bad("a=%", REQ_MAX_PARAMS, "bad_request");
  bad("a=x%00y", REQ_MAX_PARAMS, "bad_request");
  bad("%zz", REQ_MAX_PARAMS, "bad_request");
}

static void form_invalid_utf8_value(void **state){
  bad("a=%FF", REQ_MAX_PARAMS, "bad_utf8");
}

static void form_invalid_utf8_variants(void **state){
  bad("a=%C0%80", REQ_MAX_PARAMS, "bad_utf8");       /* overlong NUL */
  bad("a=%ED%A0%80", REQ_MAX_PARAMS, "bad_utf8");    /* surrogate */
  bad("a=%E4%B8", REQ_MAX_PARAMS, "bad_utf8");       /* truncated 中 */
  bad("a=\xFF", REQ_MAX_PARAMS, "bad_utf8");         /* raw, not escaped */
}

static void form_exactly_max_ok(void **state){
  ok("a=1&b=2&c=3", 3);
  reset(state);
  NEOERR *err = parse("a=1&b=2&c=3", 3);
  assert_null(err);
  assert_int_equal(N, 3);
}

static void form_over_max_fails(void **state){
  bad("a=1&b=2&c=3&d=4", 3, "too_many_params");
  reset(state);
  bad("a", 0, "too_many_params");
}

static void form_req_max_params(void **state){
  char s[REQ_MAX_PARAMS * 16];
  size_t o = 0;
  for(int i=0; i<REQ_MAX_PARAMS; i++) o += (size_t)sprintf(s + o, "p%d=%d&", i, i);
  s[o - 1] = 0;
  ok(s, REQ_MAX_PARAMS);
  assert_string_equal(P[REQ_MAX_PARAMS - 1].name, "p199");
  reset(state);
  strcat(s, "&one=more");
  bad(s, REQ_MAX_PARAMS, "too_many_params");
  assert_int_equal(N, REQ_MAX_PARAMS);        /* never wrote past the cap */
}

/* ---- req_parse_cookies ---- */

static void cookie_normal(void **state){
  int n = req_parse_cookies(A, "dd_sess=abc; dd_lang=en", P, REQ_MAX_COOKIES);
  assert_int_equal(n, 2);
  assert_string_equal(P[0].name, "dd_sess");
  assert_string_equal(P[0].value, "abc");
  assert_string_equal(P[1].name, "dd_lang");
  assert_string_equal(P[1].value, "en");
}

static void cookie_spacing(void **state){
  int n = req_parse_cookies(A, "   a=1;b=2;    c=3", P, REQ_MAX_COOKIES);
  assert_int_equal(n, 3);
  assert_string_equal(P[0].name, "a");
  assert_string_equal(P[1].name, "b");
  assert_string_equal(P[2].name, "c");
  assert_string_equal(P[2].value, "3");
}

static void cookie_empty(void **state){
  assert_int_equal(req_parse_cookies(A, "", P, REQ_MAX_COOKIES), 0);
  assert_int_equal(req_parse_cookies(A, NULL, P, REQ_MAX_COOKIES), 0);
  assert_int_equal(req_parse_cookies(A, " ; ;; ", P, REQ_MAX_COOKIES), 0);
}

static void cookie_quoted(void **state){
  int n = req_parse_cookies(A, "a=\"x y\"; b=\"\"; c=\"; d=e=f", P, REQ_MAX_COOKIES);
  assert_int_equal(n, 4);
  assert_string_equal(P[0].value, "x y");
  assert_string_equal(P[1].value, "");
  assert_string_equal(P[2].value, "\"");      /* a lone quote is kept as is */
  assert_string_equal(P[3].name, "d");
  assert_string_equal(P[3].value, "e=f");
}

static void cookie_malformed_ignored(void **state){
  int n = req_parse_cookies(A, "junk; =v; a=1; noeq; ;b=2", P, REQ_MAX_COOKIES);
  assert_int_equal(n, 2);
  assert_string_equal(P[0].name, "a");
  assert_string_equal(P[0].value, "1");
  assert_string_equal(P[1].name, "b");
  assert_string_equal(P[1].value, "2");
}

static void cookie_unsafe_names_ignored(void **state){
  int n = req_parse_cookies(A, "b c=1; <x>=2; 名=3; a\"=4; x:y=5; ok=6", P, REQ_MAX_COOKIES);
  assert_int_equal(n, 1);
  assert_string_equal(P[0].name, "ok");
  assert_string_equal(P[0].value, "6");
}

static void cookie_long_name_ignored(void **state){
  char s[200];
  memset(s, 'k', 65);
  strcpy(s + 65, "=1; short=2");
  int n = req_parse_cookies(A, s, P, REQ_MAX_COOKIES);
  assert_int_equal(n, 1);
  assert_string_equal(P[0].name, "short");
}

static void cookie_max_respected(void **state){
  int n = req_parse_cookies(A, "a=1; b=2; c=3; d=4", P, 2);
  assert_int_equal(n, 2);
  assert_string_equal(P[1].name, "b");
  assert_null(P[2].name);                    /* nothing written past max */
}

static void cookie_req_max(void **state){
  char s[REQ_MAX_COOKIES * 12 + 64];
  size_t o = 0;
  for(int i=0; i<REQ_MAX_COOKIES + 5; i++) o += (size_t)sprintf(s + o, "c%d=%d; ", i, i);
  int n = req_parse_cookies(A, s, P, REQ_MAX_COOKIES);
  assert_int_equal(n, REQ_MAX_COOKIES);
  assert_string_equal(P[REQ_MAX_COOKIES - 1].name, "c49");
  assert_null(P[REQ_MAX_COOKIES].name);
}

#define T(f) cmocka_unit_test_setup(f, reset)

int main(void){
  const struct CMUnitTest tests[] = {
    T(form_normal),
    T(form_empty_input),
    T(form_empty_pieces_skipped),
    T(form_semicolon_separator),
    T(form_valueless_name),
    T(form_plus_and_escapes),
    T(form_value_keeps_later_equals),
    T(form_raw_utf8_value),
    T(form_honours_length),
    T(form_appends_to_count),
    T(form_hostile_names),
    T(form_name_length),
    T(form_bad_escapes),
    T(form_invalid_utf8_value),
    T(form_invalid_utf8_variants),
    T(form_exactly_max_ok),
    T(form_over_max_fails),
    T(form_req_max_params),
    T(cookie_normal),
    T(cookie_spacing),
    T(cookie_empty),
    T(cookie_quoted),
    T(cookie_malformed_ignored),
    T(cookie_unsafe_names_ignored),
    T(cookie_long_name_ignored),
    T(cookie_max_respected),
    T(cookie_req_max),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
