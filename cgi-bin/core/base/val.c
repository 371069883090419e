/*
** val.c -- see val.h.  Numbers are read by dec.c, dates are counted by
** day.c; this file decides which spellings are a date or a time, maps
** each refusal to its Lang key and writes the canonical text.
*/
#include "val.h"
#include "dec.h"
#include "day.h"
#include "str.h"
#include <stdio.h>
#include <string.h>

#define YEAR_MIN 1900
#define YEAR_MAX 2999

/* Full-width ASCII (U+FF01..U+FF5E) as ASCII, the ideographic space as a
** space; for dates and times 年 月 日/号 点/时 分 秒 as the control bytes
** MK_* below (val_check refuses control bytes in the input, so these can
** only come from here); anything else copied.  Never longer than s. */
#define MK_Y '\001'
#define MK_M '\002'
#define MK_D '\003'
#define MK_H '\004'
#define MK_N '\005'
#define MK_S '\006'
#define MARKS "\001\002\003\004\005\006"
static char *fold(ARENA *a, const char *s, int cjk){
  char *o = arena_alloc(a, strlen(s) + 1), *p = o;
  const unsigned char *u = (const unsigned char*)s;
  while( *u ){
    if( u[0]==0xEF && (u[1]==0xBC || u[1]==0xBD) && u[2]>=0x80 && u[2]<=0xBF ){
      unsigned cp = ((u[1] & 0x3Fu)<<6 | (u[2] & 0x3Fu)) + 0xF000u;
      if( cp>=0xFF01 && cp<=0xFF5E ){ *p++ = (char)(cp - 0xFF01 + 0x21); u += 3; continue; }
    }
    if( u[0]==0xE3 && u[1]==0x80 && u[2]==0x80 ){ *p++ = ' '; u += 3; continue; }
    if( cjk ){
      static const struct { const char *utf8; char c; } W[] = {
        { "年", MK_Y }, { "月", MK_M }, { "日", MK_D }, { "号", MK_D },
        { "点", MK_H }, { "时", MK_H }, { "分", MK_N }, { "秒", MK_S }, { "：", ':' },
      };
      size_t i;
      for(i=0; i<sizeof W/sizeof W[0]; i++)
        if( strncmp((const char*)u, W[i].utf8, 3)==0 ) break;
      if( i<sizeof W/sizeof W[0] ){ *p++ = W[i].c; u += 3; continue; }
    }
    *p++ = (char)*u++;
  }
  *p = 0;
  return o;
}

/* read 1..max ASCII digits at *s; -1 if none */
static int num(const char **s, int max){
  int v = 0, n = 0;
  while( n<max && **s>='0' && **s<='9' ){ v = v*10 + (**s - '0'); (*s)++; n++; }
  if( n==0 || (**s>='0' && **s<='9') ) return -1;
  return v;
}

/* drop ASCII spaces next to the CJK markers: "2026年 1月 5日" */
static void squeeze(char *s){
  char *o = s;
  for(char *p = s; *p; p++){
    if( *p==' ' && ((o>s && strchr(MARKS, o[-1])) || (p[1] && strchr(MARKS, p[1]))) ) continue;
    *o++ = *p;
  }
  *o = 0;
}

static const char *date_check(const VALPARAM *p, char *s, ARENA *a, const char **out){
  int y, m, d;
  const char *q = s;
  squeeze(s);
  size_t n = strlen(s);
  if( p->xlsx && strspn(s, "0123456789")==n && n>=1 && n<=7 ){
    /* an Excel serial: day 1 is 1900-01-01; 60 is the 1900-02-29 Excel invents */
    int serial = num(&q, 7);
    if( serial<1 || serial==60 ) return "val.date_bad";
    YMD r = day_ymd(serial - (serial<60 ? 25568 : 25569));
    y = r.y; m = r.m; d = r.d;
  }else if( n==8 && strspn(s, "0123456789")==8 ){
    y = (s[0]-'0')*1000 + (s[1]-'0')*100 + (s[2]-'0')*10 + (s[3]-'0');
    m = (s[4]-'0')*10 + (s[5]-'0');
    d = (s[6]-'0')*10 + (s[7]-'0');
  }else{
    y = num(&q, 4);
    if( y<0 || q - s!=4 ) return "val.date";
    char sep = *q;
    if( sep!='-' && sep!='/' && sep!='.' && sep!=MK_Y ) return "val.date";
    q++;
    m = num(&q, 2);
    if( m<0 || *q!=(sep==MK_Y ? MK_M : sep) ) return "val.date";
    q++;
    d = num(&q, 2);
    if( d<0 ) return "val.date";
    if( sep==MK_Y && *q==MK_D ) q++;
    if( *q==' ' || *q=='T' ){
      /* a datetime: only midnight, which is how many programs write a date */
      q++;
      if( strcmp(q, "00:00")!=0 && strcmp(q, "00:00:00")!=0 && strcmp(q, "0:00")!=0 ) return "val.date_time";
      q += strlen(q);
    }
    if( *q ) return "val.date";
  }
  if( !day_ymd_ok(y, m, d) ) return "val.date_bad";
  if( y<YEAR_MIN || y>YEAR_MAX ) return "val.date_range";
  *out = arena_printf(a, "%04d-%02d-%02d", y, m, d);
  return NULL;
}

static const char *time_check(const VALPARAM *p, char *s, ARENA *a, const char **out){
  int h, mi = 0, sec = 0;
  const char *q = s;
  squeeze(s);
  if( p->xlsx && s[0]=='0' && (s[1]==0 || s[1]=='.') ){
    /* an Excel time: a fraction of a day */
    DEC f, secs, day = { 86400, 0 };
    if( dec_parse(s, DEC_MAXP, DEC_MAXP - 1, &f) || dec_mul_round(f, day, 0, &secs) ) return "val.time";
    if( secs.u>=86400 ) return "val.time_bad";
    h = (int)(secs.u/3600); mi = (int)(secs.u/60%60); sec = (int)(secs.u%60);
  }else{
    h = num(&q, 2);
    if( h<0 ) return "val.time";
    if( *q==':' ){
      q++;
      if( (mi = num(&q, 2))<0 || q[-2]==':' ) return "val.time";    /* "8:5" is not a time */
      if( *q==':' ){
        q++;
        if( (sec = num(&q, 2))<0 || q[-2]==':' ) return "val.time";
      }
    }else if( *q==MK_H ){
      q++;
      if( *q ){
        if( (mi = num(&q, 2))<0 ) return "val.time";
        if( *q==MK_N ) q++;
        if( *q ){
          if( (sec = num(&q, 2))<0 ) return "val.time";
          if( *q==MK_S ) q++;
        }
      }
    }else return "val.time";
    if( *q ) return "val.time";
    if( h>23 || mi>59 || sec>59 ) return "val.time_bad";
  }
  if( p->seconds ) *out = arena_printf(a, "%02d:%02d:%02d", h, mi, sec);
  else if( sec ) return "val.time_seconds";
  else *out = arena_printf(a, "%02d:%02d", h, mi);
  return NULL;
}

static const char *num_why(DEC_WHY w, int is_int, int scale){
  static const char *frac[] = { "val.frac.0", "val.frac.1", "val.frac.2", "val.frac.3", "val.frac.4",
                                "val.frac.5", "val.frac.6", "val.frac.7", "val.frac.8", "val.frac.9" };
  switch( w ){
    case DEC_EXPONENT: return "val.exponent";
    case DEC_NAN: return "val.nan";
    case DEC_HEX: return "val.hex";
    case DEC_GROUP: return "val.group";
    case DEC_RANGE: return "val.range";
    case DEC_NOTINT: return "val.int_frac";
    default:
      if( is_int ) return "val.int";
      return scale<10 ? frac[scale] : "val.number";
  }
}

int val_check(VALTYPE t, const VALPARAM *p, const char *in, ARENA *a,
              const char **out, const char **why){
  static const VALPARAM none;
  char buf[DEC_BUFSZ];
  if( p==NULL ) p = &none;
  *out = NULL;
  *why = NULL;
  char *s = str_trim(a, in ? in : "");
  if( !*s ){
    if( p->required ){ *why = "val.required"; return 0; }
    *out = "";
    return 1;
  }
  if( !utf8_valid(s, strlen(s)) ){ *why = "val.text_bad"; return 0; }
  for(const unsigned char *q = (const unsigned char*)s; *q; q++)
    if( (*q<0x20 && *q!='\t' && *q!='\r' && *q!='\n') || *q==0x7F ){ *why = "val.text_bad"; return 0; }
  switch( t ){
    case VAL_INT: {
      int64_t v;
      DEC_WHY w = dec_parse_i64(s, &v);
      if( w ){ *why = num_why(w, 1, 0); return 0; }
      if( p->nonneg && v<0 ){ *why = "val.negative"; return 0; }
      if( p->has_range && (v<p->min || v>p->max) ){ *why = "val.range"; return 0; }
      *out = arena_printf(a, "%lld", (long long)v);
      return 1;
    }
    case VAL_DEC: {
      int prec = p->prec ? p->prec : DEC_MAXP, scale = p->prec ? p->scale : 4;
      DEC v;
      DEC_WHY w = dec_parse(s, prec, scale, &v);
      if( w ){ *why = num_why(w, 0, scale); return 0; }
      if( p->nonneg && v.u<0 ){ *why = "val.negative"; return 0; }
      if( p->free_scale ) v = dec_trim(v);
      *out = arena_strdup(a, dec_format(v, buf));
      return 1;
    }
    case VAL_CODE: {
      char *c = fold(a, s, 0);
      for(const char *q = c; *q; q++)
        if( str_space_at(q) ){ *why = "val.code"; return 0; }
      if( !str_code_ok(c, (size_t)(p->maxlen ? p->maxlen : 64)) ){ *why = "val.code"; return 0; }
      *out = c;
      return 1;
    }
    case VAL_DATE: {
      const char *w = date_check(p, fold(a, s, 1), a, out);
      if( w ){ *why = w; *out = NULL; return 0; }
      return 1;
    }
    case VAL_TIME: {
      const char *w = time_check(p, fold(a, s, 1), a, out);
      if( w ){ *why = w; *out = NULL; return 0; }
      return 1;
    }
    default:
      if( utf8_len(s)>(size_t)(p->maxlen ? p->maxlen : 200) ){ *why = "val.too_long"; return 0; }
      *out = s;
      return 1;
  }
}

int val_field(const char *type, int required, VALTYPE *t, VALPARAM *p){
  memset(p, 0, sizeof *p);
  p->required = required;
  if( !type || !strcmp(type, "text") ) *t = VAL_TEXT;
  else if( !strcmp(type, "integer") ) *t = VAL_INT;
  else if( !strcmp(type, "decimal") ){ *t = VAL_DEC; p->prec = DEC_MAXP; p->scale = 4; p->free_scale = 1; }
  else if( !strcmp(type, "code") ) *t = VAL_CODE;
  else if( !strcmp(type, "date") ) *t = VAL_DATE;
  else if( !strcmp(type, "time") ) *t = VAL_TIME;
  else return 0;
  return 1;
}
