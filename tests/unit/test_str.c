/*
** test_str.c -- str.h: UTF-8 validation, length and cutting; strict
** percent-decoding and encoding; hex and base64url (round trips and
** rejection of malformed input); constant-time comparison; trimming; the
** safe-name alphabet.  Hostile inputs (overlongs, surrogates, truncated
** sequences, bad escapes, embedded NUL) are expected to be refused.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "str.h"

static ARENA *A;

static int setup(void **state){ A = arena_new(4096); return 0; }
static int teardown(void **state){ arena_free(A); A = NULL; return 0; }

#define VALID(s)   assert_int_equal(utf8_valid((s), sizeof(s) - 1), 1)
#define INVALID(s) assert_int_equal(utf8_valid((s), sizeof(s) - 1), 0)

/* ---- utf8_valid ---- */

static void utf8_ascii(void **state){
  VALID("");
  VALID("hello, world ~!@#$%^&*()");
  VALID("\x01\x7f");
}

static void utf8_chinese(void **state){
  VALID("中文");
  VALID("调度管理系统 Diaodu");
  VALID("\xE4\xB8\xAD");                       /* 中 spelled out */
}

static void utf8_four_byte(void **state){
  VALID("\xF0\xA0\xAE\xB7");                   /* 𠮷 U+20BB7 */
  VALID("\xF0\x9F\x98\x80");                   /* 😀 U+1F600 */
  VALID("a𠮷b😀c");
}

static void utf8_boundaries(void **state){
  VALID("\xC2\x80");                           /* U+0080 */
  VALID("\xDF\xBF");                           /* U+07FF */
  VALID("\xE0\xA0\x80");                       /* U+0800 */
  VALID("\xED\x9F\xBF");                       /* U+D7FF, just below surrogates */
  VALID("\xEE\x80\x80");                       /* U+E000, just above */
  VALID("\xEF\xBF\xBF");                       /* U+FFFF */
  VALID("\xF0\x90\x80\x80");                   /* U+10000 */
  VALID("\xF4\x8F\xBF\xBF");                   /* U+10FFFF, the last one */
}

static void utf8_overlong(void **state){
  INVALID("\xC0\x80");                         /* NUL in two bytes */
  INVALID("\xC1\xBF");
  INVALID("\xE0\x80\x80");                     /* NUL in three bytes */
  INVALID("\xE0\x9F\xBF");                     /* U+07FF in three bytes */
  INVALID("\xF0\x80\x80\x80");
  INVALID("\xF0\x8F\xBF\xBF");                 /* U+FFFF in four bytes */
  INVALID("a\xC0\xAF");                        /* overlong '/' */
}

static void utf8_surrogates(void **state){
  INVALID("\xED\xA0\x80");                     /* U+D800 */
  INVALID("\xED\xBF\xBF");                     /* U+DFFF */
  INVALID("\xED\xA0\xBD\xED\xB8\x80");         /* CESU-8 pair for 😀 */
}

static void utf8_too_big(void **state){
  INVALID("\xF4\x90\x80\x80");                 /* U+110000 */
  INVALID("\xF5\x80\x80\x80");
  INVALID("\xF7\xBF\xBF\xBF");
  INVALID("\xF8\x88\x80\x80\x80");             /* 5-byte form */
  INVALID("\xFC\x84\x80\x80\x80\x80");         /* 6-byte form */
}

static void utf8_truncated(void **state){
  INVALID("\xC3");
  INVALID("\xE4\xB8");                         /* 中 without its last byte */
  INVALID("\xF0\x9F\x98");
  INVALID("ab\xE4");
  INVALID("\xE4\xB8 ");                        /* a space where a continuation belongs */
  INVALID("\xE4\x41\xAD");
  /* the length argument is honoured: 中文 cut inside the second character */
  assert_int_equal(utf8_valid("中文", 4), 0);
  assert_int_equal(utf8_valid("中文", 3), 1);
  assert_int_equal(utf8_valid("中文", 0), 1);
}

static void utf8_lone_bytes(void **state){
  INVALID("\x80");
  INVALID("\xBF");
  INVALID("a\x80" "b");
  INVALID("\xE4\xB8\xAD\xAD");                 /* one continuation too many */
  INVALID("\xFF");
  INVALID("\xFE");
  INVALID("abc\xFF");
}

/* ---- utf8_len ---- */

static void utf8_len_counts_characters(void **state){
  assert_int_equal(utf8_len(""), 0);
  assert_int_equal(utf8_len("abc"), 3);
  assert_int_equal(utf8_len("中文"), 2);
  assert_int_equal(utf8_len("a中😀𠮷"), 4);
  assert_int_equal(utf8_len("密码Ab1!"), 6);
}

/* ---- utf8_cut ---- */

static void utf8_cut_by_characters(void **state){
  assert_string_equal(utf8_cut(A, "中文字符", 2), "中文…");
  assert_string_equal(utf8_cut(A, "abcd", 3), "abc…");
  assert_string_equal(utf8_cut(A, "a😀b", 2), "a😀…");
  assert_string_equal(utf8_cut(A, "𠮷𠮷", 1), "𠮷…");
  assert_string_equal(utf8_cut(A, "abc", 0), "…");
}

static void utf8_cut_no_ellipsis_when_short(void **state){
  assert_string_equal(utf8_cut(A, "abc", 3), "abc");
  assert_string_equal(utf8_cut(A, "abc", 10), "abc");
  assert_string_equal(utf8_cut(A, "中文", 2), "中文");
  assert_string_equal(utf8_cut(A, "", 0), "");
  assert_string_equal(utf8_cut(A, "", 5), "");
}

static void utf8_cut_result_is_valid(void **state){
  /* whatever the cut point, no sequence is split */
  const char *s = "a中😀b𠮷文";
  for(size_t max=0; max<=7; max++){
    char *r = utf8_cut(A, s, max);
    assert_int_equal(utf8_valid(r, strlen(r)), 1);
    size_t want = max < 6 ? max + 1 : 6;       /* + the ellipsis when cut */
    assert_int_equal(utf8_len(r), want);
  }
}

/* ---- url_decode / url_encode ---- */

static char *dec(const char *s, int plus){ return url_decode(A, s, strlen(s), plus); }

static void url_decode_escapes(void **state){
  assert_string_equal(dec("%41", 0), "A");
  assert_string_equal(dec("%4a%4A", 0), "JJ");
  assert_string_equal(dec("a%20b", 0), "a b");
  assert_string_equal(dec("%E4%B8%AD%E6%96%87", 0), "中文");
  assert_string_equal(dec("", 0), "");
  assert_string_equal(dec("plain", 1), "plain");
}

static void url_decode_plus(void **state){
  assert_string_equal(dec("a+b", 1), "a b");
  assert_string_equal(dec("a+b", 0), "a+b");
  assert_string_equal(dec("%2B", 1), "+");
  assert_string_equal(dec("++", 1), "  ");
}

static void url_decode_malformed(void **state){
  assert_null(dec("%4", 0));
  assert_null(dec("%zz", 0));
  assert_null(dec("%", 0));
  assert_null(dec("a%", 1));
  assert_null(dec("%g1", 0));
  assert_null(dec("%1g", 0));
  assert_null(dec("%%41", 0));
  assert_null(dec("% 41", 0));
  assert_null(dec("abc%4", 0));
}

static void url_decode_rejects_nul(void **state){
  assert_null(dec("%00", 0));
  assert_null(dec("a%00b", 1));
  assert_null(url_decode(A, "a\0b", 3, 0));     /* a raw NUL inside n */
}

static void url_decode_honours_length(void **state){
  assert_string_equal(url_decode(A, "%41%42", 3, 0), "A");
  assert_null(url_decode(A, "%41", 2, 0));       /* escape cut off by n */
  assert_string_equal(url_decode(A, "abc", 0, 0), "");
}

static void url_encode_cases(void **state){
  assert_string_equal(url_encode(A, ""), "");
  assert_string_equal(url_encode(A, "abcXYZ019_.~/-"), "abcXYZ019_.~/-");
  assert_string_equal(url_encode(A, "a b"), "a%20b");
  assert_string_equal(url_encode(A, "&=?#+%"), "%26%3D%3F%23%2B%25");
  assert_string_equal(url_encode(A, "中"), "%E4%B8%AD");
  assert_string_equal(url_encode(A, "<\"'>"), "%3C%22%27%3E");
}

static void url_round_trip_all_bytes(void **state){
  char s[256];
  for(int i=1; i<256; i++) s[i-1] = (char)i;
  s[255] = 0;
  char *e = url_encode(A, s);
  char *d = url_decode(A, e, strlen(e), 0);
  assert_non_null(d);
  assert_string_equal(d, s);
  /* plus_space must not change an encoded string: '+' is always escaped */
  assert_string_equal(url_decode(A, e, strlen(e), 1), s);
}

/* ---- hex ---- */

static void hex_encode_cases(void **state){
  const unsigned char in[] = { 0x00, 0xff, 0x10, 0xab, 0x7f };
  char out[11];
  hex_encode(out, in, sizeof in);
  assert_string_equal(out, "00ff10ab7f");
  hex_encode(out, in, 0);
  assert_string_equal(out, "");
}

static void hex_decode_ok(void **state){
  unsigned char out[4];
  assert_int_equal(hex_decode(out, 4, "00FF10ab"), 0);
  const unsigned char want[] = { 0x00, 0xff, 0x10, 0xab };
  assert_memory_equal(out, want, 4);
  assert_int_equal(hex_decode(out, 0, ""), 0);
}

static void hex_decode_wrong_length(void **state){
  unsigned char out[4];
  assert_int_equal(hex_decode(out, 4, "00ff10"), -1);
  assert_int_equal(hex_decode(out, 4, "00ff10ab0"), -1);
  assert_int_equal(hex_decode(out, 4, "00ff10ab00"), -1);
  assert_int_equal(hex_decode(out, 2, "0f0"), -1);
  assert_int_equal(hex_decode(out, 1, ""), -1);
}

static void hex_decode_bad_chars(void **state){
  unsigned char out[2];
  assert_int_equal(hex_decode(out, 1, "0g"), -1);
  assert_int_equal(hex_decode(out, 1, "g0"), -1);
  assert_int_equal(hex_decode(out, 1, "0x"), -1);
  assert_int_equal(hex_decode(out, 1, "  "), -1);
  assert_int_equal(hex_decode(out, 1, "-1"), -1);
  assert_int_equal(hex_decode(out, 2, "00\xff\xff"), -1);
}

static void hex_round_trip(void **state){
  unsigned char in[256], back[256];
  char h[513];
  for(int i=0; i<256; i++) in[i] = (unsigned char)i;
  hex_encode(h, in, sizeof in);
  assert_int_equal(strlen(h), 512);
  assert_int_equal(hex_decode(back, sizeof back, h), 0);
  assert_memory_equal(in, back, sizeof in);
}

/* ---- base64url ---- */

static void b64_known_vectors(void **state){
  char out[16];
  b64url_encode(out, (const unsigned char*)"", 0);     assert_string_equal(out, "");
  b64url_encode(out, (const unsigned char*)"f", 1);    assert_string_equal(out, "Zg");
  b64url_encode(out, (const unsigned char*)"fo", 2);   assert_string_equal(out, "Zm8");
  b64url_encode(out, (const unsigned char*)"foo", 3);  assert_string_equal(out, "Zm9v");
  b64url_encode(out, (const unsigned char*)"foob", 4); assert_string_equal(out, "Zm9vYg");
  const unsigned char url[] = { 0xfb, 0xff, 0xbf };    /* '+' '/' in plain base64 */
  b64url_encode(out, url, 3);
  assert_string_equal(out, "-_-_");
}

static void b64_round_trip_0_to_40(void **state){
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for(size_t n=0; n<=40; n++){
    unsigned char in[40], back[41];
    char enc[4*14 + 1];
    for(size_t i=0; i<n; i++) in[i] = (unsigned char)(i*37 + n*11 + 0xf0);
    b64url_encode(enc, in, n);
    assert_int_equal(strlen(enc), (4*n + 2) / 3);  /* no padding */
    assert_int_equal(strspn(enc, alphabet), strlen(enc));
    int got = b64url_decode(back, sizeof back, enc);
    assert_int_equal(got, (int)n);
    assert_memory_equal(in, back, n);
  }
}

static void b64_rejects_other_alphabets(void **state){
  unsigned char out[16];
  assert_int_equal(b64url_decode(out, sizeof out, "Zg=="), -1);
  assert_int_equal(b64url_decode(out, sizeof out, "Zm8="), -1);
  assert_int_equal(b64url_decode(out, sizeof out, "+/+/"), -1);
  assert_int_equal(b64url_decode(out, sizeof out, "Zm+v"), -1);
  assert_int_equal(b64url_decode(out, sizeof out, "Zm/v"), -1);
  assert_int_equal(b64url_decode(out, sizeof out, "Zm9 v"), -1);
  assert_int_equal(b64url_decode(out, sizeof out, "Zm9v\n"), -1);
  assert_int_equal(b64url_decode(out, sizeof out, "Zm\xC3\xA9v"), -1);
}

/* every byte outside the alphabet, at every position of a canonical
** 4-character group (libsodium 1.0.18 alone would read 0x80..0xff as '_') */
static void b64_rejects_every_byte_outside_the_alphabet(void **state){
  static const char ALPHA[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  unsigned char out[16];
  for(int c=1; c<256; c++){
    if( strchr(ALPHA, c) ) continue;
    for(int pos=0; pos<4; pos++){
      char t[5] = "AAAA";
      t[pos] = (char)c;
      assert_int_equal(b64url_decode(out, sizeof out, t), -1);
    }
  }
}

static void hex_rejects_every_byte_outside_the_alphabet(void **state){
  unsigned char out[2];
  for(int c=1; c<256; c++){
    if( strchr("0123456789abcdefABCDEF", c) ) continue;
    for(int pos=0; pos<4; pos++){
      char t[5] = "0000";
      t[pos] = (char)c;
      assert_int_equal(hex_decode(out, sizeof out, t), -1);
    }
  }
}

static void b64_rejects_bad_tails(void **state){
  unsigned char out[16];
  assert_int_equal(b64url_decode(out, sizeof out, "Zh"), -1);    /* pad bits set */
  assert_int_equal(b64url_decode(out, sizeof out, "Zm9"), -1);
  assert_int_equal(b64url_decode(out, sizeof out, "Z"), -1);     /* a lone 6-bit tail */
  assert_int_equal(b64url_decode(out, sizeof out, "Zm9vY"), -1);
  assert_int_equal(b64url_decode(out, sizeof out, "Zg"), 1);
  assert_int_equal(b64url_decode(out, sizeof out, "Zm8"), 2);
  assert_int_equal(b64url_decode(out, sizeof out, ""), 0);
}

static void b64_respects_outmax(void **state){
  unsigned char out[4];
  assert_int_equal(b64url_decode(out, 3, "Zm9v"), 3);
  assert_int_equal(b64url_decode(out, 2, "Zm9v"), -1);
  assert_int_equal(b64url_decode(out, 0, "Zg"), -1);
}

/* ---- str_ct_equal ---- */

static void ct_equal_cases(void **state){
  assert_true(str_ct_equal("abc", "abc"));
  assert_true(str_ct_equal("", ""));
  assert_true(str_ct_equal("中文", "中文"));
  assert_false(str_ct_equal("abc", "abd"));
  assert_false(str_ct_equal("abc", "xbc"));
  assert_false(str_ct_equal("abc", "ab"));     /* prefix */
  assert_false(str_ct_equal("ab", "abc"));
  assert_false(str_ct_equal("", "a"));
  assert_false(str_ct_equal("a", ""));
  assert_false(str_ct_equal("abc", "ABC"));
}

/* ---- str_trim ---- */

static void trim_cases(void **state){
  assert_string_equal(str_trim(A, "  a b \t\r\n"), "a b");
  assert_string_equal(str_trim(A, "\t\nx"), "x");
  assert_string_equal(str_trim(A, "x"), "x");
  assert_string_equal(str_trim(A, ""), "");
  assert_string_equal(str_trim(A, " \t\r\n "), "");
  assert_string_equal(str_trim(A, " 中 文 "), "中 文");
  assert_null(str_trim(A, NULL));
}

/* the spaces people paste: U+3000 from a Chinese input method, U+00A0 from
** Excel and web pages, U+FEFF from a BOM, U+200B, U+202F, U+2028 */
static void trim_unicode_spaces(void **state){
  assert_string_equal(str_trim(A, "\xE3\x80\x80x\xE3\x80\x80"), "x");
  assert_string_equal(str_trim(A, "\xC2\xA0x\xC2\xA0"), "x");
  assert_string_equal(str_trim(A, "\xEF\xBB\xBFx\xEF\xBB\xBF"), "x");
  assert_string_equal(str_trim(A, "\xE2\x80\x8B\xE2\x80\xAFx\xE2\x80\xA8"), "x");
  assert_string_equal(str_trim(A, " \t\xE3\x80\x80\r\n\xC2\xA0 \xEF\xBB\xBF"), "");
  /* inside stays, only the ends go */
  assert_string_equal(str_trim(A, "\xE3\x80\x80张\xE3\x80\x80三\xC2\xA0"), "张\xE3\x80\x80三");
  /* characters that merely share bytes with a space are not spaces */
  assert_string_equal(str_trim(A, "\xE3\x80\x81"), "\xE3\x80\x81");       /* 、 U+3001 */
  assert_string_equal(str_trim(A, "x\xC3\xA0"), "x\xC3\xA0");               /* à */
  assert_string_equal(str_trim(A, "\xE4\xB8\x80"), "\xE4\xB8\x80");       /* 一 ends in 0x80 */
  assert_string_equal(str_trim(A, "\xE2\x82\xAC"), "\xE2\x82\xAC");       /* € */
  /* a lone trailing byte of a space is not a space, and nothing reads before s */
  assert_string_equal(str_trim(A, "\xA0"), "\xA0");
  assert_string_equal(str_trim(A, "\x80\x80"), "\x80\x80");
  assert_int_equal(str_space_at("\xE3\x80\x80"), 3);
  assert_int_equal(str_space_at("\xC2\xA0"), 2);
  assert_int_equal(str_space_at("a"), 0);
  assert_int_equal(str_space_at(""), 0);
}

/* ---- str_is_name ---- */

static int name(const char *s, size_t max){ return str_is_name(s, strlen(s), max); }

static void is_name_accepts_safe_alphabet(void **state){
  assert_true(name("abc", 64));
  assert_true(name("a_B.c-9", 64));
  assert_true(name("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-", 100));
  assert_true(name("x", 1));
}

static void is_name_rejects_others(void **state){
  assert_false(name("", 64));
  assert_false(name("a b", 64));
  assert_false(name("a=b", 64));
  assert_false(name("<", 64));
  assert_false(name("a&b", 64));
  assert_false(name("a;b", 64));
  assert_false(name("a/b", 64));
  assert_false(name("a%b", 64));
  assert_false(name("a+b", 64));
  assert_false(name("名", 64));
  assert_false(name("a\t", 64));
  assert_false(str_is_name("a\0b", 3, 64));
}

static void is_name_length_limits(void **state){
  char s[70];
  memset(s, 'a', sizeof s);
  assert_true(str_is_name(s, 64, 64));
  assert_false(str_is_name(s, 65, 64));
  assert_false(str_is_name(s, 0, 64));
  assert_false(name("ab", 1));
  /* only the first len bytes count */
  assert_true(str_is_name("ab c", 2, 64));
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(utf8_ascii),
    cmocka_unit_test(utf8_chinese),
    cmocka_unit_test(utf8_four_byte),
    cmocka_unit_test(utf8_boundaries),
    cmocka_unit_test(utf8_overlong),
    cmocka_unit_test(utf8_surrogates),
    cmocka_unit_test(utf8_too_big),
    cmocka_unit_test(utf8_truncated),
    cmocka_unit_test(utf8_lone_bytes),
    cmocka_unit_test(utf8_len_counts_characters),
    cmocka_unit_test(utf8_cut_by_characters),
    cmocka_unit_test(utf8_cut_no_ellipsis_when_short),
    cmocka_unit_test(utf8_cut_result_is_valid),
    cmocka_unit_test(url_decode_escapes),
    cmocka_unit_test(url_decode_plus),
    cmocka_unit_test(url_decode_malformed),
    cmocka_unit_test(url_decode_rejects_nul),
    cmocka_unit_test(url_decode_honours_length),
    cmocka_unit_test(url_encode_cases),
    cmocka_unit_test(url_round_trip_all_bytes),
    cmocka_unit_test(hex_encode_cases),
    cmocka_unit_test(hex_decode_ok),
    cmocka_unit_test(hex_decode_wrong_length),
    cmocka_unit_test(hex_decode_bad_chars),
    cmocka_unit_test(hex_round_trip),
    cmocka_unit_test(b64_known_vectors),
    cmocka_unit_test(b64_round_trip_0_to_40),
    cmocka_unit_test(b64_rejects_other_alphabets),
    cmocka_unit_test(b64_rejects_every_byte_outside_the_alphabet),
    cmocka_unit_test(hex_rejects_every_byte_outside_the_alphabet),
    cmocka_unit_test(b64_rejects_bad_tails),
    cmocka_unit_test(b64_respects_outmax),
    cmocka_unit_test(ct_equal_cases),
    cmocka_unit_test(trim_cases),
    cmocka_unit_test(trim_unicode_spaces),
    cmocka_unit_test(is_name_accepts_safe_alphabet),
    cmocka_unit_test(is_name_rejects_others),
    cmocka_unit_test(is_name_length_limits),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
