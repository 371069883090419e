/*
** str.c -- see str.h.
*/
#include "str.h"
#include <limits.h>
#include <string.h>
#include <sodium.h>

#define B64_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

int utf8_valid(const char *str, size_t n){
  const unsigned char *s = (const unsigned char*)str;
  size_t i = 0;
  while( i<n ){
    unsigned c = s[i];
    if( c<0x80 ){ i++; continue; }
    size_t k;
    unsigned cp, min;
    if( c>=0xC2 && c<=0xDF ){ k = 1; cp = c & 0x1F; min = 0x80; }
    else if( c>=0xE0 && c<=0xEF ){ k = 2; cp = c & 0x0F; min = 0x800; }
    else if( c>=0xF0 && c<=0xF4 ){ k = 3; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if( n - i <= k ) return 0;
    for(size_t j=1; j<=k; j++){
      if( (s[i+j] & 0xC0)!=0x80 ) return 0;
      cp = (cp<<6) | (s[i+j] & 0x3F);
    }
    if( cp<min || cp>0x10FFFF || (cp>=0xD800 && cp<=0xDFFF) ) return 0;
    i += k + 1;
  }
  return 1;
}

size_t utf8_len(const char *s){
  size_t n = 0;
  for(; *s; s++) if( ((unsigned char)*s & 0xC0)!=0x80 ) n++;
  return n;
}

char *utf8_cut(ARENA *a, const char *s, size_t max){
  size_t chars = 0, i = 0;
  while( s[i] ){
    if( ((unsigned char)s[i] & 0xC0)!=0x80 ){
      if( chars==max ){
        char *r = arena_alloc(a, i + 4);
        memcpy(r, s, i);
        memcpy(r + i, "\xE2\x80\xA6", 4);   /* … and NUL */
        return r;
      }
      chars++;
    }
    i++;
  }
  return arena_strndup(a, s, i);
}

char *utf8_sanitize(ARENA *a, const char *s, size_t maxbytes){
  size_t n = strlen(s), j = 0;
  char *out = arena_alloc(a, (n < maxbytes ? n : maxbytes) + 1);
  for(size_t i=0; i<n; ){
    size_t k = 1;
    unsigned char c = (unsigned char)s[i];
    if( c>=0x80 ){
      k = c>=0xF0 ? 4 : c>=0xE0 ? 3 : c>=0xC0 ? 2 : 1;
      if( k==1 || i + k > n || !utf8_valid(s + i, k) ){
        if( j + 1 > maxbytes ) break;
        out[j++] = '?';
        i++;
        continue;
      }
    }
    if( j + k > maxbytes ) break;
    memcpy(out + j, s + i, k);
    j += k;
    i += k;
  }
  out[j] = 0;
  return out;
}

static int hexval(int c){
  if( c>='0' && c<='9' ) return c - '0';
  if( c>='a' && c<='f' ) return c - 'a' + 10;
  if( c>='A' && c<='F' ) return c - 'A' + 10;
  return -1;
}

char *url_decode(ARENA *a, const char *s, size_t n, int plus_space){
  char *out = arena_alloc(a, n + 1);
  size_t j = 0;
  for(size_t i=0; i<n; i++){
    char c = s[i];
    if( c=='%' ){
      if( n - i < 3 ) return NULL;
      int h = hexval((unsigned char)s[i+1]), l = hexval((unsigned char)s[i+2]);
      if( h<0 || l<0 ) return NULL;
      c = (char)(h*16 + l);
      if( c==0 ) return NULL;
      i += 2;
    }else if( c=='+' && plus_space ){
      c = ' ';
    }else if( c==0 ){
      return NULL;
    }
    out[j++] = c;
  }
  out[j] = 0;
  return out;
}

char *url_encode(ARENA *a, const char *s){
  static const char d[] = "0123456789ABCDEF";
  char *out = arena_alloc(a, strlen(s) * 3 + 1), *o = out;
  for(; *s; s++){
    unsigned char c = (unsigned char)*s;
    if( (c>='a'&&c<='z') || (c>='A'&&c<='Z') || (c>='0'&&c<='9') || strchr("_.~/-", c) ){
      *o++ = (char)c;
    }else{
      *o++ = '%'; *o++ = d[c>>4]; *o++ = d[c&15];
    }
  }
  *o = 0;
  return out;
}

/* hex, base64url and the constant-time comparison are libsodium's; these
** wrappers keep the strictness the callers rely on: the whole input must
** decode (no characters skipped, no padding, zero pad bits) to exactly the
** size asked for. */
void hex_encode(char *out, const unsigned char *in, size_t n){
  sodium_bin2hex(out, 2*n + 1, in, n);
}

int hex_decode(unsigned char *out, size_t outlen, const char *in){
  size_t n = strlen(in), got = 0;
  if( n!=2*outlen ) return -1;
  if( sodium_hex2bin(out, outlen, in, n, NULL, &got, NULL)!=0 ) return -1;
  return got==outlen ? 0 : -1;
}

void b64url_encode(char *out, const unsigned char *in, size_t n){
  sodium_bin2base64(out, sodium_base64_ENCODED_LEN(n, B64_VARIANT), in, n, B64_VARIANT);
}

/* libsodium 1.0.18 (Debian 12) reads a byte >= 0x80 as '_' (a signed char
** in its constant-time table), so the alphabet is checked here first */
int b64url_decode(unsigned char *out, size_t outmax, const char *in){
  size_t got = 0, n = strlen(in);
  if( strspn(in, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")!=n ) return -1;
  if( sodium_base642bin(out, outmax, in, n, NULL, &got, NULL, B64_VARIANT)!=0 ) return -1;
  return got > INT_MAX ? -1 : (int)got;
}

int str_ct_equal(const char *a, const char *b){
  size_t la = strlen(a), lb = strlen(b);
  if( la!=lb ) return 0;                    /* the length leaks, as documented */
  return sodium_memcmp(a, b, la)==0;
}

size_t str_space_at(const char *str){
  const unsigned char *s = (const unsigned char*)str;
  switch( s[0] ){
    case ' ': case '\t': case '\r': case '\n': case '\v': case '\f': return 1;
    case 0xC2: return (s[1]==0x85 || s[1]==0xA0) ? 2 : 0;
    case 0xE1: return (s[1]==0x9A && s[2]==0x80) ? 3 : 0;                 /* U+1680 */
    case 0xE2:
      if( s[1]==0x80 && ((s[2]>=0x80 && s[2]<=0x8B) || s[2]==0xA8 || s[2]==0xA9 || s[2]==0xAF) ) return 3;
      return (s[1]==0x81 && s[2]==0x9F) ? 3 : 0;                          /* U+205F */
    case 0xE3: return (s[1]==0x80 && s[2]==0x80) ? 3 : 0;                 /* U+3000 */
    case 0xEF: return (s[1]==0xBB && s[2]==0xBF) ? 3 : 0;                 /* U+FEFF */
  }
  return 0;
}

size_t str_space_before(const char *s, const char *end){
  /* every space is one to three bytes: try the character of each length */
  for(size_t k=1; k<=3; k++){
    if( (size_t)(end - s)<k ) break;
    const char *c = end - k;
    if( k>1 && ((unsigned char)*c & 0xC0)==0x80 ) continue;   /* not a lead byte */
    if( k==1 && ((unsigned char)*c & 0x80) ) continue;
    if( str_space_at(c)==k ) return k;
  }
  return 0;
}

char *str_trim(ARENA *a, const char *s){
  if( s==NULL ) return NULL;
  size_t k;
  while( (k = str_space_at(s))>0 ) s += k;
  const char *e = s + strlen(s);
  while( (k = str_space_before(s, e))>0 ) e -= k;
  return arena_strndup(a, s, (size_t)(e - s));
}

int str_is_name(const char *s, size_t len, size_t max){
  if( len==0 || len>max ) return 0;
  for(size_t i=0; i<len; i++){
    unsigned char c = (unsigned char)s[i];
    if( !((c>='a'&&c<='z') || (c>='A'&&c<='Z') || (c>='0'&&c<='9') || c=='_' || c=='.' || c=='-') )
      return 0;
  }
  return 1;
}

int str_code_ok(const char *s, size_t max){
  if( s==NULL || *s==0 || utf8_len(s)>max ) return 0;
  for(const unsigned char *p=(const unsigned char*)s; *p; p++)
    if( *p<=' ' || *p==0x7F || strchr(",;\"'<>&\\", *p) ) return 0;
  return 1;
}

int str_login_ok(const char *s){
  size_t n = s ? strlen(s) : 0;
  if( n<2 || n>64 ) return 0;
  for(size_t i=0; i<n; i++){
    unsigned char c = (unsigned char)s[i];
    if( !((c>='a'&&c<='z') || (c>='A'&&c<='Z') || (c>='0'&&c<='9') || strchr("_.-@", c)) ) return 0;
  }
  return 1;
}
