/*
** fuzz_val.c -- val_check and dec.h against their contracts.
**
** Input: a parameter byte (p1: type and flags), a size byte (p2: precision
** and scale), 16 bytes of two raw DECs for the arithmetic, then the text.
**
** Invariants:
**   val_check      accepted: valid UTF-8 and a fixed point (checking the
**                  canonical text gives it back); the shape of each type's
**                  canonical text (integers, decimals at their scale,
**                  YYYY-MM-DD of a real day, HH:MM[:SS] in range);
**                  refused: out NULL and a "val." reason
**   dec_parse      format(parse(x)) parses to the same value; it fits
**                  DECIMAL(p,s); dec_parse_i64 agrees with dec_parse at scale 0
**   dec_add/sub/mul/mul_round/round/cmp
**                  equal a reference in __int128: a result exactly when it
**                  fits int64 (never a wrapped value), cmp equals the sign
**                  of the exact difference
*/
#include "fuzz.h"
#include "dec.h"
#include "day.h"
#include "str.h"
#include "val.h"

typedef __int128 I128;

static I128 p10(int k){ I128 v = 1; while( k-->0 ) v *= 10; return v; }
static int fits(I128 v){ return v>=INT64_MIN && v<=INT64_MAX; }

static void arithmetic(DEC a, DEC b){
  DEC r;
  int s = a.s>b.s ? a.s : b.s;
  I128 x = (I128)a.u * p10(s - a.s), y = (I128)b.u * p10(s - b.s);
  int rc = dec_add(a, b, &r);
  CHECK(rc==(fits(x + y) ? 0 : -1));
  if( rc==0 ) CHECK(r.u==x + y && r.s==s);
  rc = dec_sub(a, b, &r);
  CHECK(rc==(fits(x - y) ? 0 : -1));
  if( rc==0 ) CHECK(r.u==x - y && r.s==s);
  CHECK(dec_cmp(a, b)==(x<y ? -1 : x>y));
  I128 p = (I128)a.u * b.u;
  if( dec_mul(a, b, &r)==0 ){
    /* exact: r == p / 10^(a.s+b.s) */
    int ps = a.s + b.s;
    CHECK(r.s<=ps && r.s<=DEC_MAXP);
    CHECK((I128)r.u * p10(ps - r.s)==p);
  }else{
    /* refused exactly when no exact form exists: the product without its
    ** trailing zeros must then be too big or too fine */
    I128 q = p;
    int qs = a.s + b.s;
    while( qs>0 && q % 10==0 ){ q /= 10; qs--; }
    CHECK(!fits(q) || qs>DEC_MAXP);
  }
  for(int sc=0; sc<=DEC_MAXP; sc += 6){
    if( dec_round(a, sc, &r)==0 ){
      CHECK(r.s==sc);
      /* |a - r| <= half a unit at scale sc */
      int m = sc>a.s ? sc : a.s;
      I128 d = (I128)a.u * p10(m - a.s) - (I128)r.u * p10(m - sc);
      if( d<0 ) d = -d;
      CHECK(2*d<=p10(m - sc));
    }else CHECK(sc>a.s);          /* only scaling up can overflow */
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size){
  if( size<18 ) return 0;
  uint8_t p1 = data[0], p2 = data[1];
  DEC a, b;
  int64_t ua, ub;
  memcpy(&ua, data + 2, 8);
  memcpy(&ub, data + 10, 8);
  a.u = ua; a.s = (int)((uint64_t)ua >> 59) % (DEC_MAXP + 1);
  b.u = ub; b.s = (int)((uint64_t)ub >> 59) % (DEC_MAXP + 1);
  arithmetic(a, b);

  char *s = malloc(size - 18 + 1);
  memcpy(s, data + 18, size - 18);
  s[size - 18] = 0;

  /* dec_parse at DECIMAL(p,s) */
  int prec = 1 + p2 % DEC_MAXP, scale = (p2 >> 5) % (prec + 1);
  DEC d, e;
  if( dec_parse(s, prec, scale, &d)==DEC_OK ){
    char buf[DEC_BUFSZ];
    CHECK(d.s==scale && dec_fits(d, prec, scale));
    CHECK(dec_parse(dec_format(d, buf), prec, scale, &e)==DEC_OK && e.u==d.u && e.s==d.s);
  }
  int64_t iv;
  DEC_WHY wi = dec_parse_i64(s, &iv);
  if( dec_parse(s, DEC_MAXP, 0, &d)==DEC_OK ) CHECK(wi==DEC_OK && iv==d.u);

  /* val_check */
  VALTYPE t = (VALTYPE)(p1 % 6);
  VALPARAM vp;
  memset(&vp, 0, sizeof vp);
  vp.required = (p1 >> 3) & 1;
  vp.xlsx = (p1 >> 4) & 1;
  vp.seconds = (p1 >> 5) & 1;
  vp.free_scale = (p1 >> 6) & 1;
  vp.nonneg = (p1 >> 7) & 1;
  if( p2 & 1 ){ vp.prec = prec; vp.scale = scale; }
  const char *out, *why;
  if( val_check(t, &vp, s, A, &out, &why) ){
    CHECK(out && !why && utf8_valid(out, strlen(out)));
    const char *again, *w2;
    CHECK(val_check(t, &vp, out, A, &again, &w2)==1 && strcmp(again, out)==0);
    size_t n = strlen(out);
    if( n && t==VAL_INT ) CHECK(strspn(out + (out[0]=='-'), "0123456789")==n - (out[0]=='-'));
    if( n && t==VAL_DEC ) CHECK(strspn(out + (out[0]=='-'), "0123456789.")==n - (out[0]=='-'));
    if( n && t==VAL_DATE ){
      int y, m, dd;
      CHECK(n==10 && sscanf(out, "%4d-%2d-%2d", &y, &m, &dd)==3 && day_ymd_ok(y, m, dd));
    }
    if( n && t==VAL_TIME ){
      int h, mi, se = 0;
      CHECK((n==5 || n==8) && sscanf(out, "%2d:%2d:%2d", &h, &mi, &se)>=2 && h<24 && mi<60 && se<60);
    }
    if( n && t==VAL_CODE ) CHECK(str_code_ok(out, 64));
  }else{
    CHECK(out==NULL && why && strncmp(why, "val.", 4)==0);
  }
  free(s);
  arena_reset(A);
  return 0;
}
