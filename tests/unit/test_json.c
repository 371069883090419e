/*
** test_json.c -- json.h: what the writer writes, json_flatten reads back
** (paths, unescaping, \u escapes and surrogate pairs, null), and hostile
** text is refused: unterminated strings, control characters, NUL escapes,
** lone surrogates, trailing garbage, nesting deeper than 16.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "json.h"

static ARENA *a;
static int setup(void **state){ a = arena_new(4096); return 0; }
static int teardown(void **state){ arena_free(a); return 0; }

static void round_trip(void **state){
  JSON j;
  json_open(&j);
  json_obj(&j, "before");
  json_str(&j, "name", "旧名 \"引号\"\n\\");
  json_int(&j, "sort", -3);
  json_end(&j);
  json_obj(&j, "after");
  json_str(&j, "name", NULL);
  json_str(&j, "ctl", "\x01\x1f");
  json_end(&j);
  json_end(&j);
  const char *s = json_done(&j, a);
  JSON_KV *kv;
  int n = json_flatten(a, s, &kv);
  assert_int_equal(n, 4);
  assert_string_equal(kv[0].path, "before.name");
  assert_string_equal(kv[0].value, "旧名 \"引号\"\n\\");
  assert_string_equal(json_get(kv, n, "before.sort"), "-3");
  assert_null(json_get(kv, n, "after.name"));
  assert_string_equal(json_get(kv, n, "after.ctl"), "\x01\x1f");
  assert_null(json_get(kv, n, "nothing"));
}

static void arrays_and_escapes(void **state){
  JSON_KV *kv;
  int n = json_flatten(a, " {\"units\" : [\"100\", 7, true, {\"x\": false}], \"e\":\"\\u4e2d\\ud83d\\ude00\\/\"} ", &kv);
  assert_int_equal(n, 5);
  assert_string_equal(json_get(kv, n, "units.0"), "100");
  assert_string_equal(json_get(kv, n, "units.1"), "7");
  assert_string_equal(json_get(kv, n, "units.2"), "true");
  assert_string_equal(json_get(kv, n, "units.3.x"), "false");
  assert_string_equal(json_get(kv, n, "e"), "中\xF0\x9F\x98\x80/");
  assert_int_equal(json_flatten(a, "{}", &kv), 0);
  assert_int_equal(json_flatten(a, "[]", &kv), 0);
}

static void hostile(void **state){
  JSON_KV *kv;
  static const char *const bad[] = {
    "", "{", "{\"a\":}", "{\"a\":\"x}", "{\"a\":\"x\"} x", "{\"a\":\"\x01\"}", "{\"a\":\"\\u0000\"}",
    "{\"a\":\"\\ud800\"}", "{\"a\":\"\\q\"}", "{a:1}", "{\"a\":1,}", "[1 2]", "{\"a\":-}", "nul",
    "{\"a\":\"\\u12\"}",
  };
  for(size_t i=0; i<sizeof bad/sizeof bad[0]; i++)
    assert_int_equal(json_flatten(a, bad[i], &kv), -1);
  char deep[64];
  memset(deep, '[', 17);
  memset(deep + 17, ']', 17);
  deep[34] = 0;
  assert_int_equal(json_flatten(a, deep, &kv), -1);
  deep[16] = ']';                      /* 16 levels: fine */
  deep[33] = 0;
  memset(deep, '[', 16);
  memset(deep + 16, ']', 16);
  deep[32] = 0;
  assert_int_equal(json_flatten(a, deep, &kv), 0);
  assert_int_equal(json_flatten(a, NULL, &kv), -1);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(round_trip),
    cmocka_unit_test(arrays_and_escapes),
    cmocka_unit_test(hostile),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
