/*
** dec.c -- see dec.h.
**
** Parsing is two steps: the text is folded into plain ASCII (full-width
** forms, U+2212, the ideographic full stop; white space at the ends
** skipped), then that ASCII is read by strict rules.  Products and
** rescaling go through __int128, whose range (1.7e38) holds any product of
** two int64 values and any int64 times 10^18, so an overflow is always
** seen before it could wrap.
*/
#include "dec.h"
#include "str.h"
#include <string.h>

typedef __int128 I128;

#define FOLD_MAX 128            /* longer number text is refused as DEC_RANGE */

static I128 p10(int k){
  I128 v = 1;
  while( k-->0 ) v *= 10;
  return v;
}

/* one character of number text as ASCII (letters lower case), 0 when it
** is nothing a number could contain; *len gets its byte length */
static int fold(const unsigned char *s, size_t *len){
  *len = 1;
  if( s[0]<0x80 ){
    if( s[0]>='A' && s[0]<='Z' ) return s[0] + 32;
    return s[0]>' ' && s[0]<0x7F ? s[0] : 0;
  }
  *len = 3;
  if( s[0]==0xEF && s[1]==0xBC ){
    if( s[2]>=0x90 && s[2]<=0x99 ) return '0' + (s[2] - 0x90);   /* ０..９ */
    if( s[2]>=0xA1 && s[2]<=0xBA ) return 'a' + (s[2] - 0xA1);   /* Ａ..Ｚ */
    switch( s[2] ){
      case 0x8E: return '.';                                     /* ． */
      case 0x8C: return ',';                                     /* ， */
      case 0x8B: return '+';                                     /* ＋ */
      case 0x8D: return '-';                                     /* － */
    }
    return 0;
  }
  if( s[0]==0xEF && s[1]==0xBD && s[2]>=0x81 && s[2]<=0x9A ) return 'a' + (s[2] - 0x81);  /* ａ..ｚ */
  if( s[0]==0xE2 && s[1]==0x88 && s[2]==0x92 ) return '-';        /* U+2212 minus sign */
  if( s[0]==0xE3 && s[1]==0x80 && s[2]==0x82 ) return '.';        /* 。 */
  *len = 1;
  return 0;
}

static int all_of(const char *s, const char *set){
  if( !*s ) return 0;
  for(; *s; s++) if( !strchr(set, *s) ) return 0;
  return 1;
}

/* Read number text.  On DEC_OK: *neg, the integer digits without leading
** zeros (idig, nint) and the fraction digits without trailing zeros
** (fdig, nfrac), each at most FOLD_MAX. */
static DEC_WHY scan(const char *in, int *neg, char *idig, int *nint, char *fdig, int *nfrac){
  char t[FOLD_MAX + 1];
  size_t n = 0, k;
  const char *e;
  if( in==NULL ) return DEC_EMPTY;
  while( (k = str_space_at(in))>0 ) in += k;
  e = in + strlen(in);
  while( (k = str_space_before(in, e))>0 ) e -= k;
  if( e==in ) return DEC_EMPTY;
  for(const char *p = in; p<e; p += k){
    int c = fold((const unsigned char*)p, &k);
    if( c==0 ) return DEC_SYNTAX;
    if( n>=FOLD_MAX ) return DEC_RANGE;
    t[n++] = (char)c;
  }
  t[n] = 0;

  /* words and other notations, named so the message can say what is wrong */
  const char *b = (t[0]=='+' || t[0]=='-') ? t + 1 : t;
  if( strpbrk(t, "abcdefghijklmnopqrstuvwxyz") ){
    if( !strcmp(b, "nan") || !strcmp(b, "inf") || !strcmp(b, "infinity") ) return DEC_NAN;
    if( b[0]=='0' && b[1]=='x' && all_of(b + 2, "0123456789abcdef") ) return DEC_HEX;
    const char *x = strchr(b, 'e');
    if( x && x>b && strcspn(b, "0123456789")<(size_t)(x - b) ){
      char m[FOLD_MAX + 1];
      memcpy(m, b, (size_t)(x - b));
      m[x - b] = 0;
      const char *ex = x + 1;
      if( *ex=='+' || *ex=='-' ) ex++;
      if( all_of(m, "0123456789.,") && all_of(ex, "0123456789") ) return DEC_EXPONENT;
    }
    return DEC_SYNTAX;
  }

  *neg = t[0]=='-';
  const char *p = b, *ip = p;
  while( (*p>='0' && *p<='9') || *p==',' ) p++;
  const char *ie = p, *fp = NULL, *fe = NULL;
  if( *p=='.' ){
    fp = ++p;
    while( *p>='0' && *p<='9' ) p++;
    fe = p;
  }
  if( *p ) return strchr(p, ',') && fp ? DEC_GROUP : DEC_SYNTAX;
  if( ie==ip && (fp==NULL || fe==fp) ) return DEC_SYNTAX;     /* "", "+", "." */
  /* thousands separators: 1-3 digits, then groups of exactly 3 */
  if( memchr(ip, ',', (size_t)(ie - ip)) ){
    int g = 0, first = 1;
    for(const char *q = ip; ; q++){
      if( q==ie || *q==',' ){
        if( first ? (g<1 || g>3) : g!=3 ) return DEC_GROUP;
        if( q==ie ) break;
        first = 0;
        g = 0;
      }else g++;
    }
  }
  *nint = 0;
  for(const char *q = ip; q<ie; q++){
    if( *q==',' || (*q=='0' && *nint==0) ) continue;
    idig[(*nint)++] = *q;
  }
  *nfrac = 0;
  if( fp ){
    while( fe>fp && fe[-1]=='0' ) fe--;
    for(const char *q = fp; q<fe; q++) fdig[(*nfrac)++] = *q;
  }
  if( *nint==0 && *nfrac==0 ) *neg = 0;                         /* no "-0" */
  return DEC_OK;
}

DEC_WHY dec_parse(const char *s, int prec, int scale, DEC *out){
  char idig[FOLD_MAX], fdig[FOLD_MAX];
  int neg, nint, nfrac;
  if( prec<1 || prec>DEC_MAXP || scale<0 || scale>prec ) return DEC_RANGE;
  DEC_WHY w = scan(s, &neg, idig, &nint, fdig, &nfrac);
  if( w ) return w;
  if( nfrac>scale ) return DEC_FRAC;
  if( nint>prec - scale ) return DEC_RANGE;
  int64_t u = 0;
  for(int i=0; i<nint; i++) u = u*10 + (idig[i] - '0');
  for(int i=0; i<scale; i++) u = u*10 + (i<nfrac ? fdig[i] - '0' : 0);
  out->u = neg ? -u : u;
  out->s = scale;
  return DEC_OK;
}

DEC_WHY dec_parse_i64(const char *s, int64_t *out){
  char idig[FOLD_MAX], fdig[FOLD_MAX];
  int neg, nint, nfrac;
  DEC_WHY w = scan(s, &neg, idig, &nint, fdig, &nfrac);
  if( w ) return w;
  if( nfrac>0 ) return DEC_NOTINT;
  if( nint>19 ) return DEC_RANGE;
  uint64_t m = 0;
  for(int i=0; i<nint; i++) m = m*10 + (uint64_t)(idig[i] - '0');   /* < 10^19 < 2^64 */
  if( m>(uint64_t)INT64_MAX + (neg ? 1u : 0u) ) return DEC_RANGE;
  *out = neg ? (int64_t)(0 - m) : (int64_t)m;
  return DEC_OK;
}

char *dec_format(DEC d, char buf[DEC_BUFSZ]){
  uint64_t m = d.u<0 ? (uint64_t)0 - (uint64_t)d.u : (uint64_t)d.u;
  char dg[24];
  int n = 0;
  do{ dg[n++] = (char)('0' + m%10); m /= 10; }while( m );
  while( n<=d.s ) dg[n++] = '0';                 /* a digit before the point */
  char *o = buf;
  if( d.u<0 ) *o++ = '-';
  for(int i=n-1; i>=0; i--){
    *o++ = dg[i];
    if( i==d.s && d.s>0 ) *o++ = '.';
  }
  *o = 0;
  return buf;
}

static int fit(I128 v, int s, DEC *out){
  if( v>INT64_MAX || v<INT64_MIN || s<0 || s>DEC_MAXP ) return -1;
  out->u = (int64_t)v;
  out->s = s;
  return 0;
}

/* v / d rounded half away from zero (d > 0) */
static I128 div_round(I128 v, I128 d){
  I128 q = v / d, r = v % d;
  if( r<0 ) r = -r;
  if( 2*r>=d ) q += v<0 ? -1 : 1;
  return q;
}

int dec_add(DEC a, DEC b, DEC *out){
  int s = a.s>b.s ? a.s : b.s;
  return fit((I128)a.u * p10(s - a.s) + (I128)b.u * p10(s - b.s), s, out);
}

int dec_sub(DEC a, DEC b, DEC *out){
  int s = a.s>b.s ? a.s : b.s;
  return fit((I128)a.u * p10(s - a.s) - (I128)b.u * p10(s - b.s), s, out);
}

int dec_mul(DEC a, DEC b, DEC *out){
  I128 v = (I128)a.u * b.u;
  int s = a.s + b.s;
  while( s>0 && v % 10==0 && (s>DEC_MAXP || v>INT64_MAX || v<INT64_MIN) ){ v /= 10; s--; }
  return fit(v, s, out);
}

static int round_to(I128 v, int s, int scale, DEC *out){
  if( scale<0 || scale>DEC_MAXP ) return -1;
  if( scale>=s ){
    if( v>INT64_MAX || v<INT64_MIN ) return -1;   /* scaling up only grows it */
    return fit(v * p10(scale - s), scale, out);
  }
  return fit(div_round(v, p10(s - scale)), scale, out);
}

int dec_mul_round(DEC a, DEC b, int scale, DEC *out){
  return round_to((I128)a.u * b.u, a.s + b.s, scale, out);
}

int dec_div_round(DEC a, DEC b, int scale, DEC *out){
  a = dec_trim(a);
  b = dec_trim(b);
  if( b.u==0 || scale<0 || scale>DEC_MAXP ) return -1;
  /* a.u * 10^(b.s + scale) / (b.u * 10^a.s), rounded half away from zero */
  int up = b.s + scale;
  if( up>19 || a.s>19 ) return -1;
  I128 num = (I128)a.u * p10(up), den = (I128)b.u * p10(a.s);
  if( den<0 ){ den = -den; num = -num; }
  return fit(div_round(num, den), scale, out);
}

int dec_round(DEC a, int scale, DEC *out){
  return round_to(a.u, a.s, scale, out);
}

DEC dec_trim(DEC a){
  while( a.s>0 && a.u % 10==0 ){ a.u /= 10; a.s--; }
  return a;
}

int dec_cmp(DEC a, DEC b){
  int s = a.s>b.s ? a.s : b.s;
  I128 x = (I128)a.u * p10(s - a.s), y = (I128)b.u * p10(s - b.s);
  return x<y ? -1 : x>y;
}

int dec_fits(DEC a, int prec, int scale){
  DEC t = dec_trim(a);
  if( prec<1 || prec>DEC_MAXP || scale<0 || scale>prec || t.s>scale ) return 0;
  I128 m = t.u<0 ? -(I128)t.u : (I128)t.u;
  return m < p10(prec - scale + t.s);
}

DEC dec_from_i64(int64_t v){
  DEC d = { v, 0 };
  return d;
}
