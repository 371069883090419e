/*
** test_audit.c -- audit_hash() of q_audit.h, the link of the audit log's
** hash chain: deterministic, 64 lower-case hex digits, sensitive to every
** field (prev, id, at, user_id, login, ip, ua, action, object, result,
** detail), and length-prefixed so that moving bytes from one field to the
** next changes the hash.  A known-answer test pins the exact encoding,
** since audit_verify() must agree with hashes written years earlier.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include "q_audit.h"
#include "str.h"

#define PREV0 "0000000000000000000000000000000000000000000000000000000000000000"
#define AT    "2026-01-02 03:04:05.000006"

static const AUDIT BASE = {
  .user_id = 7, .login = "zhangsan", .ip = "10.0.0.1", .ua = "Mozilla/5.0",
  .action = "login.ok", .object = "user:7", .result = "ok", .detail = "{\"k\":\"值\"}"
};

static int setup(void **state){ return sodium_init() < 0 ? -1 : 0; }

static void h(char out[65], const char *prev, long long id, const char *at, const AUDIT *r){
  memset(out, 'x', 65);
  audit_hash(out, prev, id, at, r);
}

static void deterministic(void **state){
  char a[65], b[65];
  h(a, PREV0, 1, AT, &BASE);
  h(b, PREV0, 1, AT, &BASE);
  assert_string_equal(a, b);
}

static void hex_shape(void **state){
  char a[65];
  h(a, PREV0, 1, AT, &BASE);
  assert_int_equal(strlen(a), 64);
  assert_int_equal(strspn(a, "0123456789abcdef"), 64);
}

/* the hash of BASE with one field changed must differ from the base hash */
static void each_field_matters(void **state){
  char base[65], x[65];
  h(base, PREV0, 1, AT, &BASE);
  AUDIT r;

  h(x, "1000000000000000000000000000000000000000000000000000000000000000", 1, AT, &BASE);
  assert_string_not_equal(base, x);                               /* prev */
  h(x, PREV0, 2, AT, &BASE);
  assert_string_not_equal(base, x);                               /* id */
  h(x, PREV0, 1, "2026-01-02 03:04:05.000007", &BASE);
  assert_string_not_equal(base, x);                               /* at */

  r = BASE; r.user_id = 8;             h(x, PREV0, 1, AT, &r); assert_string_not_equal(base, x);
  r = BASE; r.user_id = 0;             h(x, PREV0, 1, AT, &r); assert_string_not_equal(base, x);
  r = BASE; r.login = "zhangsa";       h(x, PREV0, 1, AT, &r); assert_string_not_equal(base, x);
  r = BASE; r.ip = "10.0.0.2";         h(x, PREV0, 1, AT, &r); assert_string_not_equal(base, x);
  r = BASE; r.ua = "Mozilla/5.1";      h(x, PREV0, 1, AT, &r); assert_string_not_equal(base, x);
  r = BASE; r.action = "login.fail";   h(x, PREV0, 1, AT, &r); assert_string_not_equal(base, x);
  r = BASE; r.object = "user:8";       h(x, PREV0, 1, AT, &r); assert_string_not_equal(base, x);
  r = BASE; r.result = "fail";         h(x, PREV0, 1, AT, &r); assert_string_not_equal(base, x);
  r = BASE; r.detail = "{\"k\":\"直\"}"; h(x, PREV0, 1, AT, &r); assert_string_not_equal(base, x);
  r = BASE; r.detail = "";             h(x, PREV0, 1, AT, &r); assert_string_not_equal(base, x);
}

static void field_boundaries_unambiguous(void **state){
  char a[65], b[65];
  AUDIT r1 = BASE, r2 = BASE;
  r1.login = "ab"; r1.ip = "c";
  r2.login = "a";  r2.ip = "bc";
  h(a, PREV0, 1, AT, &r1);
  h(b, PREV0, 1, AT, &r2);
  assert_string_not_equal(a, b);

  /* ua / action */
  r1 = BASE; r2 = BASE;
  r1.ua = "x"; r1.action = "yz";
  r2.ua = "xy"; r2.action = "z";
  h(a, PREV0, 1, AT, &r1);
  h(b, PREV0, 1, AT, &r2);
  assert_string_not_equal(a, b);

  /* a field that looks like a length prefix cannot forge a boundary */
  r1 = BASE; r2 = BASE;
  r1.object = "a"; r1.result = "1:b";
  r2.object = "a1:b"; r2.result = "";
  h(a, PREV0, 1, AT, &r1);
  h(b, PREV0, 1, AT, &r2);
  assert_string_not_equal(a, b);

  /* id and at: "1" + "1..." vs "11" + "..." */
  h(a, PREV0, 1, "1" AT, &BASE);
  h(b, PREV0, 11, AT, &BASE);
  assert_string_not_equal(a, b);
}

static void null_fields_hash_as_empty(void **state){
  /* audit_append stores NULL text as '' and audit_verify reads '' back */
  char a[65], b[65];
  AUDIT r1 = BASE, r2 = BASE;
  r1.ua = NULL; r1.detail = NULL;
  r2.ua = "";   r2.detail = "";
  h(a, NULL, 1, NULL, &r1);
  h(b, "", 1, "", &r2);
  assert_string_equal(a, b);
}

/* recompute the encoding of q_audit.c independently: each field as
** "<decimal byte length>:<bytes>", in the order of the prototype */
static void known_answer(void **state){
  const char *f[11];
  f[0] = PREV0; f[1] = "42"; f[2] = AT; f[3] = "7";
  f[4] = BASE.login; f[5] = BASE.ip; f[6] = BASE.ua; f[7] = BASE.action;
  f[8] = BASE.object; f[9] = BASE.result; f[10] = BASE.detail;
  char buf[1024];
  size_t o = 0;
  for(int i=0; i<11; i++) o += (size_t)snprintf(buf + o, sizeof buf - o, "%zu:%s", strlen(f[i]), f[i]);
  unsigned char d[32];
  char want[65], got[65];
  crypto_hash_sha256(d, (const unsigned char*)buf, o);
  hex_encode(want, d, 32);
  h(got, PREV0, 42, AT, &BASE);
  assert_string_equal(got, want);
}

static void negative_and_large_ids(void **state){
  char a[65], b[65];
  AUDIT r = BASE;
  r.user_id = -7;
  h(a, PREV0, 1, AT, &r);
  h(b, PREV0, 1, AT, &BASE);
  assert_string_not_equal(a, b);
  h(a, PREV0, 9223372036854775807LL, AT, &BASE);
  assert_int_equal(strlen(a), 64);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(deterministic),
    cmocka_unit_test(hex_shape),
    cmocka_unit_test(each_field_matters),
    cmocka_unit_test(field_boundaries_unambiguous),
    cmocka_unit_test(null_fields_hash_as_empty),
    cmocka_unit_test(known_answer),
    cmocka_unit_test(negative_and_large_ids),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
