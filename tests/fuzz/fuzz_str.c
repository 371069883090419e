/*
** fuzz_str.c -- the text helpers of str.h against their contracts and
** against small reference implementations written here from the spec.
**
** Input: two parameter bytes (p1: flags, p2: a small size), then the text.
**
** Invariants:
**   utf8_valid       equals a reference validator (Unicode Table 3-7)
**   url_decode       equals a reference decoder; url_decode(url_encode(x)) == x
**   utf8_cut         on valid input: valid output; the input itself when it
**                    has <= max code points, else its first max code points + "…"
**   utf8_sanitize    output always valid UTF-8 and <= maxbytes; on valid
**                    input a prefix of it (the input itself when it fits)
**   b64url_decode    success exactly when the reference says the text is
**                    canonical base64url; then b64url_encode(decoded) == text;
**                    decode(encode(bytes)) == bytes
**   hex_decode       success exactly for 2*outlen hex digits; then
**                    hex_encode gives the text in lower case; round trip
**   str_code_ok, str_login_ok, str_is_name, str_ct_equal, str_trim
**                    equal reference predicates
*/
#include "fuzz.h"
#include "str.h"
#include <ctype.h>

/* ---- references ---- */

static int ref_utf8_valid(const unsigned char *s, size_t n){
  size_t i = 0;
  while( i<n ){
    unsigned char c = s[i];
    size_t k;
    unsigned char lo = 0x80, hi = 0xBF;      /* range of the second byte */
    if( c<=0x7F ){ i++; continue; }
    else if( c>=0xC2 && c<=0xDF ) k = 2;
    else if( c==0xE0 ){ k = 3; lo = 0xA0; }
    else if( c>=0xE1 && c<=0xEC ) k = 3;
    else if( c==0xED ){ k = 3; hi = 0x9F; }
    else if( c>=0xEE && c<=0xEF ) k = 3;
    else if( c==0xF0 ){ k = 4; lo = 0x90; }
    else if( c>=0xF1 && c<=0xF3 ) k = 4;
    else if( c==0xF4 ){ k = 4; hi = 0x8F; }
    else return 0;
    if( n - i<k ) return 0;
    if( s[i+1]<lo || s[i+1]>hi ) return 0;
    for(size_t j=2; j<k; j++) if( s[i+j]<0x80 || s[i+j]>0xBF ) return 0;
    i += k;
  }
  return 1;
}

static int hv(int c){
  if( c>='0' && c<='9' ) return c - '0';
  if( c>='a' && c<='f' ) return c - 'a' + 10;
  if( c>='A' && c<='F' ) return c - 'A' + 10;
  return -1;
}

/* malloc'ed decoded text, or NULL on a bad escape, %00 or a raw NUL */
static char *ref_url_decode(const char *s, size_t n, int plus){
  char *out = malloc(n + 1);
  size_t j = 0;
  for(size_t i=0; i<n; i++){
    if( s[i]==0 ){ free(out); return NULL; }
    if( s[i]=='%' ){
      if( i + 2>=n || hv((unsigned char)s[i+1])<0 || hv((unsigned char)s[i+2])<0 ){ free(out); return NULL; }
      int c = hv((unsigned char)s[i+1])*16 + hv((unsigned char)s[i+2]);
      if( c==0 ){ free(out); return NULL; }
      out[j++] = (char)c;
      i += 2;
    }else out[j++] = (plus && s[i]=='+') ? ' ' : s[i];
  }
  out[j] = 0;
  return out;
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* canonical unpadded base64url: alphabet only, length % 4 != 1, zero pad bits */
static int ref_b64_ok(const char *s){
  size_t n = strlen(s);
  if( n%4==1 ) return 0;
  for(size_t i=0; i<n; i++) if( strchr(B64, s[i])==NULL ) return 0;
  if( n%4==2 ) return ((strchr(B64, s[n-1]) - B64) & 0x0F)==0;
  if( n%4==3 ) return ((strchr(B64, s[n-1]) - B64) & 0x03)==0;
  return 1;
}

static size_t ref_utf8_len(const char *s){
  size_t n = 0;
  for(; *s; s++) if( ((unsigned char)*s & 0xC0)!=0x80 ) n++;
  return n;
}

static int ref_code_ok(const char *s, size_t max){
  if( *s==0 || ref_utf8_len(s)>max ) return 0;
  for(const unsigned char *p=(const unsigned char*)s; *p; p++){
    if( *p<=0x20 || *p==0x7F ) return 0;
    switch( *p ){ case ',': case ';': case '"': case '\'': case '<': case '>': case '&': case '\\': return 0; }
  }
  return 1;
}

static int ref_login_ok(const char *s){
  size_t n = strlen(s);
  if( n<2 || n>64 ) return 0;
  for(size_t i=0; i<n; i++){
    unsigned char c = (unsigned char)s[i];
    if( !(isascii(c) && (isalnum(c) || c=='_' || c=='.' || c=='-' || c=='@')) ) return 0;
  }
  return 1;
}

static int ref_is_name(const char *s, size_t n, size_t max){
  if( n==0 || n>max ) return 0;
  for(size_t i=0; i<n; i++){
    unsigned char c = (unsigned char)s[i];
    if( !(isascii(c) && (isalnum(c) || c=='_' || c=='.' || c=='-')) ) return 0;
  }
  return 1;
}

static int ws(char c){ return c==' ' || c=='\t' || c=='\r' || c=='\n'; }

/* ---- the harness ---- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size){
  if( size<2 ) return 0;
  unsigned p1 = data[0], p2 = data[1];
  const uint8_t *body = data + 2;
  size_t n = size - 2;
  char *raw = exact(body, n);          /* the bytes, not terminated */
  char *s = cstr(body, n);             /* the same as a C string (up to a NUL) */
  size_t sl = strlen(s);
  int valid = utf8_valid(s, sl);

  /* utf8_valid */
  CHECK(utf8_valid(raw, n)==ref_utf8_valid(body, n));
  CHECK(valid==ref_utf8_valid((const unsigned char*)s, sl));

  /* url_decode / url_encode */
  {
    int plus = p1 & 1;
    char *d = url_decode(A, raw, n, plus);
    char *r = ref_url_decode(raw, n, plus);
    if( (d==NULL)!=(r==NULL) || (d && strcmp(d, r)!=0) ){
      dump("input", raw, n);
      dump("url_decode", d ? d : "(null)", d ? strlen(d) : 6);
      dump("reference", r ? r : "(null)", r ? strlen(r) : 6);
      CHECK(!"url_decode differs from the reference");
    }
    if( d ){
      char *e = url_encode(A, d);
      for(const char *p=e; *p; p++)
        CHECK(isascii((unsigned char)*p) && (isalnum((unsigned char)*p) || strchr("%_.~/-", *p)));
      char *d2 = url_decode(A, e, strlen(e), 0);
      CHECK(d2 && strcmp(d2, d)==0);
    }
    free(r);
  }

  /* utf8_cut */
  {
    size_t max = p2 & 0x3F;
    char *c = utf8_cut(A, s, max);
    CHECK(c!=NULL);
    size_t cl = strlen(c);
    CHECK(cl<=sl + 3);
    if( valid ){
      CHECK(utf8_valid(c, cl));
      if( ref_utf8_len(s)<=max ){
        CHECK(strcmp(c, s)==0);
      }else{
        CHECK(cl>=3 && memcmp(c + cl - 3, "\xE2\x80\xA6", 3)==0);
        CHECK(memcmp(c, s, cl - 3)==0);
        CHECK(ref_utf8_len(c)==max + 1);
      }
    }
  }

  /* utf8_sanitize */
  {
    size_t maxbytes = (p1 & 2) ? p2 : (p1 & 4) ? (size_t)-1 : sl;
    char *z = utf8_sanitize(A, s, maxbytes);
    CHECK(z!=NULL);
    size_t zl = strlen(z);
    if( !utf8_valid(z, zl) ){ dump("input", s, sl); dump("sanitized", z, zl); }
    CHECK(utf8_valid(z, zl));
    CHECK(zl<=maxbytes);
    CHECK(zl<=sl);
    if( valid ){
      CHECK(memcmp(z, s, zl)==0);
      if( sl<=maxbytes ) CHECK(zl==sl);
    }
  }

  /* base64url */
  {
    size_t outmax = (p1 & 8) ? (p2 & 0x1F) : sl;
    unsigned char *out = malloc(outmax ? outmax : 1);
    int r = b64url_decode(out, outmax, s);
    int ok = ref_b64_ok(s);
    size_t need = sl*3/4;
    if( ok && need<=outmax ) CHECK(r==(int)need);
    if( ok && need>outmax ) CHECK(r==-1);
    if( !ok ) CHECK(r==-1);
    if( r>=0 ){
      CHECK((size_t)r<=outmax);
      char *enc = malloc(4*((size_t)r/3 + 1) + 1);
      b64url_encode(enc, out, (size_t)r);
      if( strcmp(enc, s)!=0 ){ dump("input", s, sl); dump("re-encoded", enc, strlen(enc)); }
      CHECK(strcmp(enc, s)==0);
      free(enc);
    }
    free(out);
    /* the raw bytes through encode and decode */
    char *enc = malloc(4*(n/3 + 1) + 1);
    b64url_encode(enc, body, n);
    CHECK(strlen(enc)==(n*4 + 2)/3);
    unsigned char *back = malloc(n ? n : 1);
    CHECK(b64url_decode(back, n, enc)==(int)n);
    CHECK(n==0 || memcmp(back, body, n)==0);
    free(back);
    free(enc);
  }

  /* hex */
  {
    size_t outlen = (p1 & 16) ? (p2 & 0x3F) : sl/2;
    unsigned char *out = malloc(outlen ? outlen : 1);
    int r = hex_decode(out, outlen, s);
    int ref = sl==2*outlen;
    for(size_t i=0; ref && i<sl; i++) if( hv((unsigned char)s[i])<0 ) ref = 0;
    CHECK((r==0)==ref);
    if( r==0 ){
      char *enc = malloc(2*outlen + 1);
      hex_encode(enc, out, outlen);
      for(size_t i=0; i<sl; i++) CHECK(enc[i]==tolower((unsigned char)s[i]));
      CHECK(enc[sl]==0);
      free(enc);
    }
    free(out);
    char *enc = malloc(2*n + 1);
    hex_encode(enc, body, n);
    unsigned char *back = malloc(n ? n : 1);
    CHECK(hex_decode(back, n, enc)==0);
    CHECK(n==0 || memcmp(back, body, n)==0);
    free(back);
    free(enc);
  }

  /* predicates */
  {
    size_t max = p2 & 0x7F;
    CHECK(str_code_ok(s, max)==ref_code_ok(s, max));
    CHECK(str_code_ok(NULL, max)==0);
    CHECK(str_login_ok(s)==ref_login_ok(s));
    CHECK(str_login_ok(NULL)==0);
    CHECK(str_is_name(raw, n, 64)==ref_is_name(raw, n, 64));
    CHECK(str_is_name(s, sl, max)==ref_is_name(s, sl, max));
    /* str_ct_equal: the text against its two halves and itself */
    size_t h = sl/2;
    char *a = malloc(h + 1), *b = malloc(sl - h + 1);
    memcpy(a, s, h); a[h] = 0;
    memcpy(b, s + h, sl - h); b[sl - h] = 0;
    CHECK(str_ct_equal(a, b)==(strcmp(a, b)==0));
    CHECK(str_ct_equal(s, s)==1);
    free(a);
    free(b);
    /* str_trim: no white space at either end (ASCII or the Unicode spaces
    ** of str_space_at), a substring of the input */
    char *t = str_trim(A, s);
    size_t tl = strlen(t);
    CHECK(tl<=sl);
    if( tl ) CHECK(!ws(t[0]) && !ws(t[tl-1]) && !str_space_at(t) && !str_space_before(t, t + tl));
    const char *q = s;
    for(size_t k; (k = str_space_at(q))>0; ) q += k;
    CHECK(strncmp(q, t, tl)==0);
    CHECK(str_trim(A, NULL)==NULL);
  }

  free(s);
  free(raw);
  arena_reset(A);
  return 0;
}
