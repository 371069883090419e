/*
** str.h -- byte and text helpers with no I/O: UTF-8 checks and cuts,
** strict percent-decoding, hex and base64url, constant-time comparison
** (the last three are thin, strict wrappers of libsodium's).
** Every function here has hostile-input unit tests (tests/unit/test_str.c).
*/
#ifndef DIAODU_STR_H
#define DIAODU_STR_H
#include <stddef.h>
#include "arena.h"

/* 1 if s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF) */
int utf8_valid(const char *s, size_t n);
/* number of code points in a valid UTF-8 string */
size_t utf8_len(const char *s);
/* copy of s cut to at most max code points, with "…" appended when cut */
char *utf8_cut(ARENA *a, const char *s, size_t max);

/* a copy of s that is valid UTF-8 (each invalid byte becomes '?') and at
** most maxbytes long, cut on a character boundary: for bounded columns */
char *utf8_sanitize(ARENA *a, const char *s, size_t maxbytes);

/* Percent-decode s[0..n) ('+' is a space when plus_space).  Returns NULL
** on a malformed escape ("%4", "%zz") or an embedded NUL ("%00"). */
char *url_decode(ARENA *a, const char *s, size_t n, int plus_space);

/* percent-encode everything but [A-Za-z0-9_.~/-] */
char *url_encode(ARENA *a, const char *s);

void hex_encode(char *out, const unsigned char *in, size_t n);   /* out: 2n+1 */
int hex_decode(unsigned char *out, size_t outlen, const char *in); /* 0 ok */
/* base64url without padding; out needs 4*ceil(n/3)+1 bytes */
void b64url_encode(char *out, const unsigned char *in, size_t n);
/* decode; returns decoded length or -1 */
int b64url_decode(unsigned char *out, size_t outmax, const char *in);

/* constant-time comparison of two NUL-terminated strings (length leaks) */
int str_ct_equal(const char *a, const char *b);
/* The one trim.  White space here is: space, TAB, CR, LF, VT, FF, U+0085,
** the no-break spaces U+00A0 and U+202F, U+1680, U+2000..U+200B (the
** typographic spaces and the zero-width space), U+2028, U+2029, U+205F,
** the ideographic space U+3000 and U+FEFF (a BOM or zero-width no-break
** space pasted from another program).  Only the ends are trimmed. */
char *str_trim(ARENA *a, const char *s);
/* byte length of the white space character starting at s, 0 if none */
size_t str_space_at(const char *s);
/* byte length of the white space character ending at end (s <= end), 0 if none */
size_t str_space_before(const char *s, const char *end);
/* 1 if every byte of s is in [A-Za-z0-9_.-] and 1 <= len <= max */
int str_is_name(const char *s, size_t len, size_t max);

/* a customer's code: 1..max characters, no white space, controls, quotes,
** commas or brackets (leading zeros are the customer's: kept as text) */
int str_code_ok(const char *s, size_t max);
/* an account name: 2..64 of [A-Za-z0-9_.@-] */
int str_login_ok(const char *s);

#endif
