/*
** test_sess.c -- session tokens of acct.h: acct_token_new() gives distinct
** 43-character base64url tokens whose SHA-256 (of the raw 32 bytes) is what
** acct_token_hash() recomputes; acct_token_hash() refuses NULL, wrong
** lengths, characters outside base64url and non-canonical tails.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <sodium.h>
#include "sess.h"
#include "str.h"

static const char B64URL[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int setup(void **state){ return sodium_init() < 0 ? -1 : 0; }

/* a fixed well-formed token: 32 zero bytes */
#define ZERO_TOKEN "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

static void new_token_shape(void **state){
  char tok[TOKEN_LEN + 1];
  unsigned char h[32];
  for(int i=0; i<100; i++){
    acct_token_new(tok, h);
    assert_int_equal(strlen(tok), TOKEN_LEN);
    assert_int_equal(strspn(tok, B64URL), TOKEN_LEN);
  }
}

static void new_tokens_distinct(void **state){
  enum { N = 64 };
  char tok[N][TOKEN_LEN + 1];
  unsigned char h[N][32];
  for(int i=0; i<N; i++){
    acct_token_new(tok[i], h[i]);
    for(int j=0; j<i; j++){
      assert_string_not_equal(tok[i], tok[j]);
      assert_true(memcmp(h[i], h[j], 32)!=0);
    }
  }
}

static void hash_matches_new(void **state){
  char tok[TOKEN_LEN + 1];
  unsigned char h1[32], h2[32];
  for(int i=0; i<20; i++){
    acct_token_new(tok, h1);
    memset(h2, 0, sizeof h2);
    assert_int_equal(acct_token_hash(tok, h2), 0);
    assert_memory_equal(h1, h2, 32);
  }
}

static void hash_is_sha256_of_raw_bytes(void **state){
  char tok[TOKEN_LEN + 1];
  unsigned char h[32], raw[33], want[32];
  acct_token_new(tok, h);
  assert_int_equal(b64url_decode(raw, sizeof raw, tok), 32);
  crypto_hash_sha256(want, raw, 32);
  assert_memory_equal(h, want, 32);
}

static void hash_known_answer(void **state){
  unsigned char h[32];
  char hex[65];
  assert_int_equal(acct_token_hash(ZERO_TOKEN, h), 0);
  hex_encode(hex, h, 32);
  /* SHA-256 of 32 zero bytes */
  assert_string_equal(hex, "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925");
}

static void hash_rejects_null_and_lengths(void **state){
  unsigned char h[32];
  assert_int_equal(acct_token_hash(NULL, h), -1);
  assert_int_equal(acct_token_hash("", h), -1);
  assert_int_equal(acct_token_hash("AAAA", h), -1);
  assert_int_equal(acct_token_hash(ZERO_TOKEN "A", h), -1);          /* 44 */
  char t42[TOKEN_LEN];
  memcpy(t42, ZERO_TOKEN, TOKEN_LEN - 1);
  t42[TOKEN_LEN - 1] = 0;
  assert_int_equal(acct_token_hash(t42, h), -1);                     /* 42 */
  /* padded standard base64 of 32 bytes is 44 characters */
  assert_int_equal(acct_token_hash(ZERO_TOKEN "=", h), -1);
}

static void hash_rejects_bad_chars(void **state){
  static const char bad[] = "+/= .\t\"<%\xff";
  unsigned char h[32];
  for(const char *c=bad; *c; c++){
    for(size_t pos=0; pos<TOKEN_LEN; pos+=21){
      char t[TOKEN_LEN + 1];
      memcpy(t, ZERO_TOKEN, sizeof t);
      t[pos] = *c;
      assert_int_equal(acct_token_hash(t, h), -1);
    }
  }
}

static void hash_rejects_noncanonical_tail(void **state){
  /* 43 characters carry 258 bits: the 2 low bits of the last must be 0 */
  unsigned char h[32];
  char t[TOKEN_LEN + 1];
  memcpy(t, ZERO_TOKEN, sizeof t);
  t[TOKEN_LEN - 1] = 'B';
  assert_int_equal(acct_token_hash(t, h), -1);
  t[TOKEN_LEN - 1] = '_';
  assert_int_equal(acct_token_hash(t, h), -1);
  t[TOKEN_LEN - 1] = 'E';                        /* 000100: fine */
  assert_int_equal(acct_token_hash(t, h), 0);
}

static void hash_differs_per_token(void **state){
  unsigned char h1[32], h2[32];
  char t[TOKEN_LEN + 1];
  memcpy(t, ZERO_TOKEN, sizeof t);
  assert_int_equal(acct_token_hash(t, h1), 0);
  t[0] = 'B';
  assert_int_equal(acct_token_hash(t, h2), 0);
  assert_true(memcmp(h1, h2, 32)!=0);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(new_token_shape),
    cmocka_unit_test(new_tokens_distinct),
    cmocka_unit_test(hash_matches_new),
    cmocka_unit_test(hash_is_sha256_of_raw_bytes),
    cmocka_unit_test(hash_known_answer),
    cmocka_unit_test(hash_rejects_null_and_lengths),
    cmocka_unit_test(hash_rejects_bad_chars),
    cmocka_unit_test(hash_rejects_noncanonical_tail),
    cmocka_unit_test(hash_differs_per_token),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
