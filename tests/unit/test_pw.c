/*
** test_pw.c -- pw.h: argon2id hashing and verification (right, wrong and
** malformed hashes, salting, the configured cost), the password policy
** (length in characters not bytes, classes, account name, the common
** list, invalid UTF-8, the byte cap) and pw_random().
**
** Runs from the repository root (tests/run-unit.sh) for conf/common-passwords.txt.
** Hash cost is lowered (8 MiB, 1 pass) to keep the tests fast.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "pw.h"
#include "str.h"

static HDF *conf;

static int setup(void **state){
  NEOERR *err;
  if( (err = hdf_init(&conf)) ) goto fail;
  if( (err = hdf_set_value(conf, "Password.CommonList", "conf/common-passwords.txt")) ) goto fail;
  if( (err = hdf_set_value(conf, "Password.HashMemKiB", "8192")) ) goto fail;
  if( (err = hdf_set_value(conf, "Password.HashOps", "1")) ) goto fail;
  if( (err = pw_init(conf)) ) goto fail;
  return 0;
fail:
  nerr_log_error(err);
  nerr_ignore(&err);
  return -1;
}

static int teardown(void **state){
  pw_shutdown();
  hdf_destroy(&conf);
  return 0;
}

static const char *check(const char *login, const char *pw){
  return pw_policy_check(conf, login, pw);
}

/* ---- hashing ---- */

static void hash(const char *pw, char out[PW_HASH_MAX]){
  NEOERR *err = pw_hash(pw, out);
  if( err ){ nerr_log_error(err); nerr_ignore(&err); fail(); }
}

static void hash_format(void **state){
  char h[PW_HASH_MAX];
  hash("Diao#du-2026x", h);
  assert_int_equal(strncmp(h, "$argon2id$", 10), 0);
  assert_true(strlen(h) < PW_HASH_MAX);
  /* the configured cost is the one used */
  assert_non_null(strstr(h, "m=8192,t=1,"));
}

static void verify_right_and_wrong(void **state){
  char h[PW_HASH_MAX];
  hash("Diao#du-2026x", h);
  assert_true(pw_verify(h, "Diao#du-2026x"));
  assert_false(pw_verify(h, "diao#du-2026x"));
  assert_false(pw_verify(h, "Diao#du-2026"));
  assert_false(pw_verify(h, "Diao#du-2026xx"));
  assert_false(pw_verify(h, ""));
}

static void verify_chinese_password(void **state){
  char h[PW_HASH_MAX];
  hash("调度密码Ab1!", h);
  assert_true(pw_verify(h, "调度密码Ab1!"));
  assert_false(pw_verify(h, "调度密码Ab1"));
}

static void verify_malformed_hash(void **state){
  char h[PW_HASH_MAX];
  assert_false(pw_verify(NULL, "x"));
  assert_false(pw_verify("", "x"));
  assert_false(pw_verify("$argon2id$", "x"));
  assert_false(pw_verify("$argon2id$garbage", "x"));
  assert_false(pw_verify("x", "x"));
  hash("Secret#123a", h);
  /* the same hash relabelled as another algorithm is refused */
  char other[PW_HASH_MAX + 8];
  strcpy(other, "$argon2i$");
  strcat(other, h + strlen("$argon2id$"));
  assert_false(pw_verify(other, "Secret#123a"));
  /* a truncated hash */
  h[strlen(h) - 5] = 0;
  assert_false(pw_verify(h, "Secret#123a"));
}

static void hash_is_salted(void **state){
  char h1[PW_HASH_MAX], h2[PW_HASH_MAX];
  hash("Same#pass-1", h1);
  hash("Same#pass-1", h2);
  assert_string_not_equal(h1, h2);
  assert_true(pw_verify(h1, "Same#pass-1"));
  assert_true(pw_verify(h2, "Same#pass-1"));
}

static void verify_dummy_runs(void **state){
  pw_verify_dummy("anything");
  pw_verify_dummy("again");         /* second call reuses the dummy hash */
}

/* ---- policy ---- */

static void policy_ok(void **state){
  assert_null(check("zhangsan", "Diao#du-2026x"));
  assert_null(check(NULL, "Diao#du-2026x"));
  assert_null(check("", "Diao#du-2026x"));
  assert_null(check("zhangsan", "Ab1!xyzw"));       /* exactly 8 */
  assert_null(check("zhangsan", "abcdEF12"));       /* 3 classes, no symbol */
}

static void policy_too_short(void **state){
  assert_string_equal(check("zhangsan", "Ab1!x"), "pw.too_short");
  assert_string_equal(check("zhangsan", "Ab1!xyz"), "pw.too_short");
  assert_string_equal(check("zhangsan", ""), "pw.too_short");
}

static void policy_counts_characters_not_bytes(void **state){
  /* 6 characters in 12 bytes */
  assert_string_equal(check("zhangsan", "密码Ab1!"), "pw.too_short");
  /* 8 characters: long enough */
  assert_null(check("zhangsan", "调度密码Ab1!"));
  assert_string_equal(check("zhangsan", "😀😀😀😀😀😀😀"), "pw.too_short");
}

static void policy_classes(void **state){
  assert_string_equal(check("zhangsan", "abcdefgh12"), "pw.classes");
  assert_string_equal(check("zhangsan", "ABCDEFGHIJ"), "pw.classes");
  assert_string_equal(check("zhangsan", "abcdEFGHij"), "pw.classes");
  assert_string_equal(check("zhangsan", "12345678!!"), "pw.classes");
}

static void policy_has_login(void **state){
  assert_string_equal(check("zhangsan", "xx zhangsan#1A"), "pw.has_login");
  assert_string_equal(check("zhangsan", "ZhangSan#2026"), "pw.has_login");
  assert_string_equal(check("zhangsan", "Ab1!ZHANGSAN"), "pw.has_login");
  assert_string_equal(check("Wang", "Xy#1wAnG99"), "pw.has_login");
  assert_null(check("zhangsan", "Zhang#San-2026"));     /* not contiguous */
}

static void policy_common(void **state){
  assert_string_equal(check("zhangsan", "P@ssw0rd"), "pw.common");
  assert_string_equal(check("zhangsan", "Admin@123"), "pw.common");
  assert_string_equal(check("zhangsan", "ADMIN@123"), "pw.common");
  assert_string_equal(check("zhangsan", "p@SSW0RD"), "pw.common");
}

static void policy_invalid_utf8(void **state){
  assert_string_equal(check("zhangsan", "Abcd1234!\xFF"), "pw.invalid");
  assert_string_equal(check("zhangsan", "Abcd1234\xC0\x80"), "pw.invalid");
  assert_string_equal(check("zhangsan", "Abcd1234\xED\xA0\x80"), "pw.invalid");
  assert_string_equal(check("zhangsan", "Abcd1234\xE4\xB8"), "pw.invalid");
}

static void policy_too_long(void **state){
  char pw[200];
  memset(pw, 'a', sizeof pw);
  memcpy(pw, "A1#", 3);
  pw[128] = 0;
  assert_null(check("zhangsan", pw));
  pw[128] = 'a';
  pw[129] = 0;
  assert_string_equal(check("zhangsan", pw), "pw.too_long");
}

/* ---- pw_random ---- */

static void random_meets_policy(void **state){
  char seen[50][16];
  for(int i=0; i<50; i++){
    pw_random(seen[i], sizeof seen[i]);
    assert_int_equal(strlen(seen[i]), 12);
    const char *why = pw_policy_check(conf, NULL, seen[i]);
    if( why ) print_error("pw_random gave \"%s\": %s\n", seen[i], why);
    assert_null(why);
    for(int j=0; j<i; j++) assert_string_not_equal(seen[i], seen[j]);
  }
}

static void random_short_buffers(void **state){
  char out[16];
  memset(out, 'x', sizeof out);
  pw_random(out, 8);                  /* too small for the policy: empty */
  assert_string_equal(out, "");
  pw_random(out, 10);
  assert_int_equal(strlen(out), 9);
  assert_null(pw_policy_check(conf, NULL, out));
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(hash_format),
    cmocka_unit_test(verify_right_and_wrong),
    cmocka_unit_test(verify_chinese_password),
    cmocka_unit_test(verify_malformed_hash),
    cmocka_unit_test(hash_is_salted),
    cmocka_unit_test(verify_dummy_runs),
    cmocka_unit_test(policy_ok),
    cmocka_unit_test(policy_too_short),
    cmocka_unit_test(policy_counts_characters_not_bytes),
    cmocka_unit_test(policy_classes),
    cmocka_unit_test(policy_has_login),
    cmocka_unit_test(policy_common),
    cmocka_unit_test(policy_invalid_utf8),
    cmocka_unit_test(policy_too_long),
    cmocka_unit_test(random_meets_policy),
    cmocka_unit_test(random_short_buffers),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
