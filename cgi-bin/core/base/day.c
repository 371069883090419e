/*
** day.c -- see day.h.
**
** Civil dates are day numbers (days since 1970-01-01) converted with
** Howard Hinnant's algorithms, so no date arithmetic depends on the C
** library's time zone.  Only the offset of the company's zone at an
** instant comes from the C library (localtime_r's tm_gmtoff, read from
** the tzfile), and local -> UTC is solved here from those offsets rather
** than with mktime, whose handling of skipped and repeated local times is
** not specified.
*/
#include "day.h"
#include "err.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long fdiv(long long a, long b){ return (long)(a / b - (a % b < 0)); }

int day_leap(int y){ return (y%4==0 && y%100!=0) || y%400==0; }

int day_month_days(int y, int m){
  static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  if( m<1 || m>12 ) return 0;
  return m==2 && day_leap(y) ? 29 : n[m-1];
}

int day_ymd_ok(int y, int m, int d){
  return y>=1 && y<=9999 && m>=1 && m<=12 && d>=1 && d<=day_month_days(y, m);
}

long day_num(int y, int m, int d){
  y -= m<=2;
  long era = (y>=0 ? y : y - 399) / 400;
  long yoe = y - era*400;
  long doy = (153*(m>2 ? m - 3 : m + 9) + 2)/5 + d - 1;
  long doe = yoe*365 + yoe/4 - yoe/100 + doy;
  return era*146097 + doe - 719468;
}

YMD day_ymd(long z){
  YMD r;
  z += 719468;
  long era = (z>=0 ? z : z - 146096) / 146097;
  long doe = z - era*146097;
  long yoe = (doe - doe/1460 + doe/36524 - doe/146096) / 365;
  long doy = doe - (365*yoe + yoe/4 - yoe/100);
  long mp = (5*doy + 2)/153;
  r.d = (int)(doy - (153*mp + 2)/5 + 1);
  r.m = (int)(mp<10 ? mp + 3 : mp - 9);
  r.y = (int)(yoe + era*400 + (r.m<=2));
  return r;
}

int day_weekday(long n){ return (int)(((n % 7) + 7 + 3) % 7) + 1; }   /* 1970-01-01: Thursday */

/* the Monday of ISO week 1 of a week-year: the week holding 4 January */
static long week1(int wy){
  long jan4 = day_num(wy, 1, 4);
  return jan4 - day_weekday(jan4) + 1;
}

void day_iso_week(long n, int *wyear, int *week){
  long thu = n - day_weekday(n) + 4;
  int y = day_ymd(thu).y;
  *wyear = y;
  *week = (int)((thu - day_num(y, 1, 1)) / 7) + 1;
}

int day_iso_weeks(int wy){ return (int)((week1(wy + 1) - week1(wy)) / 7); }

char *day_ymd_text(YMD d, char buf[DAY_KEYSZ]){
  snprintf(buf, DAY_KEYSZ, "%04d-%02d-%02d", d.y, d.m, d.d);
  return buf;
}

char *day_utc_text(time_t t, char buf[DAY_KEYSZ]){
  long n = fdiv(t, 86400);
  unsigned s = (unsigned)((t - (time_t)n*86400) % 86400);
  YMD d = day_ymd(n);
  snprintf(buf, DAY_KEYSZ, "%04d-%02d-%02d %02u:%02u:%02u", d.y, d.m, d.d, s/3600 % 24, s/60 % 60, s % 60);
  return buf;
}

/* exactly `n` ASCII digits at s -> value, -1 otherwise */
static int digits(const char *s, int n){
  int v = 0;
  for(int i=0; i<n; i++){
    if( s[i]<'0' || s[i]>'9' ) return -1;
    v = v*10 + (s[i] - '0');
  }
  return v;
}

int day_utc_parse(const char *s, time_t *t){
  if( !s || strlen(s)!=19 || s[4]!='-' || s[7]!='-' || s[10]!=' ' || s[13]!=':' || s[16]!=':' ) return -1;
  int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
  int hh = digits(s + 11, 2), mi = digits(s + 14, 2), ss = digits(s + 17, 2);
  if( !day_ymd_ok(y, m, d) || hh<0 || hh>23 || mi<0 || mi>59 || ss<0 || ss>59 ) return -1;
  *t = (time_t)day_num(y, m, d)*86400 + hh*3600 + mi*60 + ss;
  return 0;
}

/* ------------------------------------------------------------------ */
/* the zone                                                            */

static const char *tzdir(void){
  const char *d = getenv("TZDIR");
  return d && *d ? d : "/usr/share/zoneinfo";
}

/* a zone name is a relative path of [A-Za-z0-9_+-] parts to a tzfile */
static int zone_ok(const char *z){
  size_t n = strlen(z);
  if( n==0 || n>=sizeof(((DAYCAL*)0)->zone) || z[0]=='/' || z[n-1]=='/' || strstr(z, "..") || strstr(z, "//") ) return 0;
  for(const char *p=z; *p; p++)
    if( !((*p>='A'&&*p<='Z') || (*p>='a'&&*p<='z') || (*p>='0'&&*p<='9') || strchr("/_+-", *p)) ) return 0;
  char path[512], magic[4];
  snprintf(path, sizeof path, "%s/%s", tzdir(), z);
  FILE *f = fopen(path, "rb");
  if( f==NULL ) return 0;
  size_t got = fread(magic, 1, 4, f);
  fclose(f);
  return got==4 && memcmp(magic, "TZif", 4)==0;
}

/* point the process's TZ at c's zone (single-threaded workers: see day.h) */
static void use_zone(const DAYCAL *c){
  static char cur[64];
  const char *env = getenv("TZ");
  if( cur[0] && env && strcmp(env, c->zone)==0 && strcmp(cur, c->zone)==0 ) return;
  setenv("TZ", c->zone, 1);
  tzset();
  snprintf(cur, sizeof cur, "%s", c->zone);
}

/* seconds east of UTC in c's zone at instant t */
static long offset(const DAYCAL *c, time_t t){
  struct tm tm;
  use_zone(c);
  if( localtime_r(&t, &tm)==NULL ) return 0;
  return tm.tm_gmtoff;
}

static int hhmm(const char *s, size_t n){
  if( n==4 && s[1]==':' ){
    int h = digits(s, 1), m = digits(s + 2, 2);
    return h>=0 && m>=0 && m<60 ? h*60 + m : -1;
  }
  if( n==5 && s[2]==':' ){
    int h = digits(s, 2), m = digits(s + 3, 2);
    return h>=0 && h<24 && m>=0 && m<60 ? h*60 + m : -1;
  }
  return -1;
}

NEOERR *day_cal_init(DAYCAL *c, const char *zone, const char *shifts){
  memset(c, 0, sizeof *c);
  if( !zone || !zone_ok(zone) ) return nerr_raise(NERR_ASSERT, "unknown time zone '%s'", zone ? zone : "");
  snprintf(c->zone, sizeof c->zone, "%s", zone);
  for(const char *p = shifts ? shifts : ""; *p; ){
    size_t n = strcspn(p, ", ");
    if( n ){
      int m = hhmm(p, n);
      if( m<0 ) return nerr_raise(NERR_ASSERT, "bad shift start '%.*s' (HH:MM)", (int)n, p);
      if( c->nshift>=DAY_MAXSHIFT ) return nerr_raise(NERR_ASSERT, "more than %d shifts", DAY_MAXSHIFT);
      if( c->nshift && m<=c->shift[c->nshift - 1] )
        return nerr_raise(NERR_ASSERT, "shift starts must be in ascending order within one day");
      c->shift[c->nshift++] = m;
    }
    p += n;
    if( *p ) p++;
  }
  if( c->nshift==0 ) c->shift[c->nshift++] = 0;
  return STATUS_OK;
}

NEOERR *day_cal_conf(DAYCAL *c, HDF *conf){
  return nerr_pass(day_cal_init(c, hdf_get_value(conf, "Site.TimeZone", "Asia/Shanghai"),
                                hdf_get_value(conf, "Site.ShiftStarts", "08:00,20:00")));
}

void day_local(const DAYCAL *c, time_t t, YMD *date, int *secs){
  long long l = (long long)t + offset(c, t);
  long n = fdiv(l, 86400);
  if( date ) *date = day_ymd(n);
  if( secs ) *secs = (int)(l - (long long)n*86400);
}

time_t day_utc(const DAYCAL *c, long daynum, long secs){
  time_t l = (time_t)daynum*86400 + secs;      /* the local time read as if UTC */
  long oa = offset(c, l - 86400), ob = offset(c, l + 86400);
  time_t ta = l - oa, tb = l - ob;
  int va = offset(c, ta)==oa, vb = offset(c, tb)==ob;
  if( va && vb ) return ta<tb ? ta : tb;        /* repeated hour: the first */
  if( vb ) return tb;
  return ta;                                    /* valid, or in a gap: moved forward */
}

YMD day_today(const DAYCAL *c, time_t now){
  YMD d;
  day_local(c, now, &d, NULL);
  return d;
}

/* ------------------------------------------------------------------ */
/* periods                                                             */

PERIOD day_period_of_date(DAY_PKIND kind, long n){
  PERIOD p = { kind, n, 0 };
  if( kind==DAY_P_SHIFT ) p.shift = 1;
  else if( kind==DAY_P_WEEK ) p.first = n - day_weekday(n) + 1;
  else if( kind==DAY_P_MONTH ){ YMD d = day_ymd(n); p.first = day_num(d.y, d.m, 1); }
  return p;
}

PERIOD day_period_at(const DAYCAL *c, DAY_PKIND kind, time_t t){
  YMD d;
  int secs;
  day_local(c, t, &d, &secs);
  long n = day_num(d.y, d.m, d.d);
  PERIOD p = day_period_of_date(kind, n);
  if( kind==DAY_P_SHIFT ){
    int i = c->nshift - 1;
    while( i>=0 && c->shift[i]*60>secs ) i--;
    if( i<0 ){ p.first = n - 1; p.shift = c->nshift; }   /* the night shift of the day before */
    else p.shift = i + 1;
  }
  return p;
}

char *day_period_key(const PERIOD *p, char buf[DAY_KEYSZ]){
  YMD d = day_ymd(p->first);
  int wy, w;
  switch( p->kind ){
    case DAY_P_SHIFT: snprintf(buf, DAY_KEYSZ, "%04d-%02d-%02d#%d", d.y, d.m, d.d, p->shift); break;
    case DAY_P_WEEK: day_iso_week(p->first, &wy, &w); snprintf(buf, DAY_KEYSZ, "%04d-W%02d", wy, w); break;
    case DAY_P_MONTH: snprintf(buf, DAY_KEYSZ, "%04d-%02d", d.y, d.m); break;
    default: day_ymd_text(d, buf);
  }
  return buf;
}

int day_period_parse(const DAYCAL *c, const char *k, PERIOD *p){
  size_t n = k ? strlen(k) : 0;
  int y = n>=7 && k[4]=='-' ? digits(k, 4) : -1;
  if( y<1 ) return -1;
  if( n==8 && k[5]=='W' ){
    int w = digits(k + 6, 2);
    if( w<1 || w>day_iso_weeks(y) ) return -1;
    p->kind = DAY_P_WEEK; p->first = week1(y) + (long)(w - 1)*7; p->shift = 0;
    return 0;
  }
  int m = digits(k + 5, 2);
  if( m<1 || m>12 ) return -1;
  if( n==7 ){ p->kind = DAY_P_MONTH; p->first = day_num(y, m, 1); p->shift = 0; return 0; }
  if( n<10 || k[7]!='-' ) return -1;
  int d = digits(k + 8, 2);
  if( !day_ymd_ok(y, m, d) ) return -1;
  p->first = day_num(y, m, d);
  if( n==10 ){ p->kind = DAY_P_DAY; p->shift = 0; return 0; }
  if( n==12 && k[10]=='#' ){
    int s = digits(k + 11, 1);
    if( s<1 || s>c->nshift ) return -1;
    p->kind = DAY_P_SHIFT; p->shift = s;
    return 0;
  }
  return -1;
}

/* the local start of the period after p: (day number, seconds) */
static void end_local(const DAYCAL *c, const PERIOD *p, long *n, long *secs){
  *secs = 0;
  switch( p->kind ){
    case DAY_P_SHIFT:
      if( p->shift<c->nshift ){ *n = p->first; *secs = c->shift[p->shift]*60L; }
      else{ *n = p->first + 1; *secs = c->shift[0]*60L; }
      break;
    case DAY_P_WEEK: *n = p->first + 7; break;
    case DAY_P_MONTH: { YMD d = day_ymd(p->first); *n = p->first + day_month_days(d.y, d.m); break; }
    default: *n = p->first + 1;
  }
}

PERIOD day_period_next(const DAYCAL *c, const PERIOD *p){
  PERIOD r = *p;
  long n, secs;
  end_local(c, p, &n, &secs);
  r.first = n;
  if( p->kind==DAY_P_SHIFT ) r.shift = p->shift<c->nshift ? p->shift + 1 : 1;
  return r;
}

PERIOD day_period_prev(const DAYCAL *c, const PERIOD *p){
  PERIOD r = *p;
  switch( p->kind ){
    case DAY_P_SHIFT:
      if( p->shift>1 ) r.shift = p->shift - 1;
      else{ r.first = p->first - 1; r.shift = c->nshift; }
      break;
    case DAY_P_WEEK: r.first = p->first - 7; break;
    case DAY_P_MONTH: r = day_period_of_date(DAY_P_MONTH, p->first - 1); break;
    default: r.first = p->first - 1;
  }
  return r;
}

void day_period_bounds(const DAYCAL *c, const PERIOD *p, time_t *start, time_t *end){
  long n, secs;
  long s0 = p->kind==DAY_P_SHIFT ? c->shift[p->shift - 1]*60L : 0;
  if( start ) *start = day_utc(c, p->first, s0);
  end_local(c, p, &n, &secs);
  if( end ) *end = day_utc(c, n, secs);
}

time_t day_deadline(const DAYCAL *c, const PERIOD *p, long minutes){
  long n, secs;
  end_local(c, p, &n, &secs);
  return day_utc(c, n, secs + minutes*60);
}

int day_is_late(const DAYCAL *c, const PERIOD *p, long minutes, time_t t){
  return t>=day_deadline(c, p, minutes);
}

char *day_period_label(ARENA *a, const PERIOD *p, const char *pat){
  YMD f = day_ymd(p->first), l;
  int wy = f.y, w = 0;
  switch( p->kind ){
    case DAY_P_WEEK: day_iso_week(p->first, &wy, &w); l = day_ymd(p->first + 6); break;
    case DAY_P_MONTH: l = day_ymd(p->first + day_month_days(f.y, f.m) - 1); break;
    default: l = f;
  }
  size_t cap = strlen(pat ? pat : "") * 2 + 64, o = 0;
  char *out = arena_alloc(a, cap);
  for(const char *s = pat ? pat : ""; *s; ){
    char v[16] = "";
    const char *e = *s=='{' ? strchr(s, '}') : NULL;
    size_t kl = e ? (size_t)(e - s - 1) : 0;
    #define K(name) (kl==strlen(name) && strncmp(s + 1, name, kl)==0)
    if( e ){
      if( K("y") ) snprintf(v, sizeof v, "%d", p->kind==DAY_P_WEEK ? wy : f.y);
      else if( K("m") ) snprintf(v, sizeof v, "%d", f.m);
      else if( K("d") ) snprintf(v, sizeof v, "%d", f.d);
      else if( K("mm") ) snprintf(v, sizeof v, "%02d", f.m);
      else if( K("dd") ) snprintf(v, sizeof v, "%02d", f.d);
      else if( K("w") ) snprintf(v, sizeof v, "%d", w);
      else if( K("ww") ) snprintf(v, sizeof v, "%02d", w);
      else if( K("n") ) snprintf(v, sizeof v, "%d", p->shift);
      else if( K("ey") ) snprintf(v, sizeof v, "%d", l.y);
      else if( K("em") ) snprintf(v, sizeof v, "%d", l.m);
      else if( K("ed") ) snprintf(v, sizeof v, "%d", l.d);
      else if( K("emm") ) snprintf(v, sizeof v, "%02d", l.m);
      else if( K("edd") ) snprintf(v, sizeof v, "%02d", l.d);
      else e = NULL;
    }
    #undef K
    size_t vl = e ? strlen(v) : 1;
    if( o + vl + 1>cap ){
      char *bigger = arena_alloc(a, cap*2 + vl);
      memcpy(bigger, out, o);
      out = bigger;
      cap = cap*2 + vl;
    }
    if( e ){ memcpy(out + o, v, vl); o += vl; s = e + 1; }
    else out[o++] = *s++;
  }
  out[o] = 0;
  return out;
}
