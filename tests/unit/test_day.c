/*
** test_day.c -- day.h: civil dates (leap years, month ends, ISO weeks with
** week 53), the company's zone taken from the calendar and never from the
** process's TZ (the tests run with TZ=UTC and with TZ=America/New_York, as
** a server might), a submission at 23:59 and at 00:01 local time, shifts
** with the night shift on the day it started, period keys and labels,
** bounds and cut-offs in a zone without DST (Asia/Shanghai) and with DST
** (Europe/Berlin: the skipped and the repeated hour), hostile zone names.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "day.h"
#include "err.h"

static ARENA *A;
static DAYCAL SH, BER;

/* a UTC instant */
static time_t U(int y, int m, int d, int hh, int mi){
  return (time_t)day_num(y, m, d)*86400 + hh*3600 + mi*60;
}
static long N(int y, int m, int d){ return day_num(y, m, d); }

static const char *key(const PERIOD *p){ static char b[DAY_KEYSZ]; return day_period_key(p, b); }
static const char *utc(time_t t){ static char b[DAY_KEYSZ]; return day_utc_text(t, b); }

static int setup(void **state){
  setenv("TZ", "UTC", 1);          /* the server's zone, which must not matter */
  A = arena_new(4096);
  NEOERR *err = day_cal_init(&SH, "Asia/Shanghai", "08:00,20:00");
  assert_null(err);
  err = day_cal_init(&BER, "Europe/Berlin", "06:00 14:00 22:00");
  assert_null(err);
  return 0;
}
static int teardown(void **state){ arena_free(A); return 0; }

/* ---- civil dates ---- */

static void civil_numbers(void **state){
  assert_int_equal(N(1970, 1, 1), 0);
  assert_int_equal(N(2026, 11, 30), 20787);
  assert_int_equal(N(2000, 2, 29), 11016);
  assert_int_equal(N(1900, 1, 1), -25567);
  assert_int_equal(N(2999, 12, 31), 376199);
  /* every day from 1900 to 2100 goes there and back, weekdays in turn */
  for(long n=N(1900, 1, 1); n<=N(2100, 12, 31); n++){
    YMD d = day_ymd(n);
    assert_true(day_ymd_ok(d.y, d.m, d.d));
    assert_int_equal(day_num(d.y, d.m, d.d), n);
    assert_int_equal(day_weekday(n + 1), day_weekday(n) % 7 + 1);
  }
  assert_int_equal(day_weekday(N(2026, 11, 30)), 1);    /* a Monday */
  assert_int_equal(day_weekday(N(1970, 1, 1)), 4);
}

static void leap_years_and_month_ends(void **state){
  assert_true(day_leap(2024));
  assert_true(day_leap(2000));
  assert_false(day_leap(1900));
  assert_false(day_leap(2100));
  assert_false(day_leap(2026));
  assert_int_equal(day_month_days(2026, 2), 28);
  assert_int_equal(day_month_days(2028, 2), 29);
  assert_int_equal(day_month_days(2100, 2), 28);
  assert_int_equal(day_month_days(2026, 4), 30);
  assert_int_equal(day_month_days(2026, 12), 31);
  assert_int_equal(day_month_days(2026, 13), 0);
  assert_false(day_ymd_ok(2026, 2, 29));
  assert_true(day_ymd_ok(2028, 2, 29));
  assert_false(day_ymd_ok(2026, 4, 31));
  assert_false(day_ymd_ok(2026, 0, 1));
  assert_false(day_ymd_ok(2026, 1, 0));
  assert_false(day_ymd_ok(0, 1, 1));
  assert_false(day_ymd_ok(10000, 1, 1));
}

static void iso_weeks(void **state){
  int wy, w;
  day_iso_week(N(2026, 11, 30), &wy, &w);
  assert_int_equal(wy, 2026); assert_int_equal(w, 49);
  day_iso_week(N(2026, 12, 31), &wy, &w);
  assert_int_equal(wy, 2026); assert_int_equal(w, 53);
  day_iso_week(N(2027, 1, 3), &wy, &w);                /* Sunday: still 2026's week 53 */
  assert_int_equal(wy, 2026); assert_int_equal(w, 53);
  day_iso_week(N(2027, 1, 4), &wy, &w);
  assert_int_equal(wy, 2027); assert_int_equal(w, 1);
  day_iso_week(N(2025, 12, 29), &wy, &w);              /* Monday: already 2026's week 1 */
  assert_int_equal(wy, 2026); assert_int_equal(w, 1);
  day_iso_week(N(2021, 1, 3), &wy, &w);
  assert_int_equal(wy, 2020); assert_int_equal(w, 53);
  static const int y53[] = { 2015, 2020, 2026, 2032 };
  for(int y=2014; y<=2033; y++){
    int want = 52;
    for(size_t i=0; i<sizeof y53/sizeof y53[0]; i++) if( y53[i]==y ) want = 53;
    assert_int_equal(day_iso_weeks(y), want);
  }
}

static void utc_text(void **state){
  time_t t;
  assert_string_equal(utc(U(2026, 11, 30, 15, 59)), "2026-11-30 15:59:00");
  assert_string_equal(utc(0), "1970-01-01 00:00:00");
  assert_string_equal(utc(-1), "1969-12-31 23:59:59");
  assert_int_equal(day_utc_parse("2026-11-30 15:59:07", &t), 0);
  assert_true(t==U(2026, 11, 30, 15, 59) + 7);
  assert_int_equal(day_utc_parse("2026-02-29 00:00:00", &t), -1);
  assert_int_equal(day_utc_parse("2026-11-30 24:00:00", &t), -1);
  assert_int_equal(day_utc_parse("2026-11-30T15:59:07", &t), -1);
  assert_int_equal(day_utc_parse("2026-11-30", &t), -1);
  assert_int_equal(day_utc_parse(NULL, &t), -1);
}

/* ---- the zone ---- */

static void submission_at_midnight(void **state){
  /* 23:59 and 00:01 in Shanghai while the process runs with TZ=UTC */
  time_t before = U(2026, 11, 30, 15, 59), after = U(2026, 11, 30, 16, 1);
  for(int round=0; round<2; round++){
    setenv("TZ", round ? "America/New_York" : "UTC", 1);
    tzset();
    YMD d = day_today(&SH, before);
    assert_int_equal(d.y, 2026); assert_int_equal(d.m, 11); assert_int_equal(d.d, 30);
    d = day_today(&SH, after);
    assert_int_equal(d.m, 12); assert_int_equal(d.d, 1);
    PERIOD p = day_period_at(&SH, DAY_P_DAY, before);
    assert_string_equal(key(&p), "2026-11-30");
    assert_false(day_is_late(&SH, &p, 0, before));
    assert_true(day_is_late(&SH, &p, 0, after));
    p = day_period_at(&SH, DAY_P_DAY, after);
    assert_string_equal(key(&p), "2026-12-01");
    assert_false(day_is_late(&SH, &p, 0, after));
    /* the same instants in UTC's own calendar would both be the 30th */
    YMD l;
    int s;
    day_local(&SH, after, &l, &s);
    assert_int_equal(s, 60);
  }
  setenv("TZ", "UTC", 1);
  tzset();
}

static void cutoff_next_morning(void **state){
  PERIOD p;
  assert_int_equal(day_period_parse(&SH, "2026-11-30", &p), 0);
  time_t dl = day_deadline(&SH, &p, 9*60);             /* 09:00 the next morning, local */
  assert_string_equal(utc(dl), "2026-12-01 01:00:00");
  assert_false(day_is_late(&SH, &p, 9*60, U(2026, 12, 1, 0, 59)));
  assert_true(day_is_late(&SH, &p, 9*60, U(2026, 12, 1, 1, 0)));
  /* a negative cut-off: due before the period ends */
  assert_string_equal(utc(day_deadline(&SH, &p, -60)), "2026-11-30 15:00:00");
}

static void shanghai_has_no_dst(void **state){
  for(long n=N(2026, 1, 1); n<N(2027, 1, 1); n++){
    assert_true(day_utc(&SH, n, 0)==(time_t)n*86400 - 8*3600);
    assert_true(day_utc(&SH, n, 12*3600 + 1)==(time_t)n*86400 + 4*3600 + 1);
  }
  time_t s, e;
  PERIOD p;
  assert_int_equal(day_period_parse(&SH, "2026-11-30", &p), 0);
  day_period_bounds(&SH, &p, &s, &e);
  assert_string_equal(utc(s), "2026-11-29 16:00:00");
  assert_string_equal(utc(e), "2026-11-30 16:00:00");
}

static void berlin_dst(void **state){
  time_t s, e;
  PERIOD p;
  /* 29 March 2026: 02:00 CET becomes 03:00 CEST; a day of 23 hours */
  assert_int_equal(day_period_parse(&BER, "2026-03-29", &p), 0);
  day_period_bounds(&BER, &p, &s, &e);
  assert_string_equal(utc(s), "2026-03-28 23:00:00");
  assert_string_equal(utc(e), "2026-03-29 22:00:00");
  /* 02:30 does not exist that night: it moves forward to 03:30 CEST */
  assert_string_equal(utc(day_utc(&BER, N(2026, 3, 29), 2*3600 + 1800)), "2026-03-29 01:30:00");
  assert_string_equal(utc(day_utc(&BER, N(2026, 3, 29), 3*3600)), "2026-03-29 01:00:00");
  assert_string_equal(utc(day_utc(&BER, N(2026, 3, 29), 1*3600 + 3599)), "2026-03-29 00:59:59");
  /* 25 October 2026: 03:00 CEST becomes 02:00 CET; a day of 25 hours */
  assert_int_equal(day_period_parse(&BER, "2026-10-25", &p), 0);
  day_period_bounds(&BER, &p, &s, &e);
  assert_string_equal(utc(s), "2026-10-24 22:00:00");
  assert_string_equal(utc(e), "2026-10-25 23:00:00");
  /* 02:30 happens twice: the first one (CEST) */
  assert_string_equal(utc(day_utc(&BER, N(2026, 10, 25), 2*3600 + 1800)), "2026-10-25 00:30:00");
  YMD d;
  int secs;
  day_local(&BER, U(2026, 10, 25, 1, 30), &d, &secs);  /* the second 02:30, CET */
  assert_int_equal(d.d, 25);
  assert_int_equal(secs, 2*3600 + 1800);
  /* local -> UTC -> local is the identity outside the gap, every 30 min for a year */
  for(long n=N(2026, 1, 1); n<N(2027, 1, 1); n++){
    for(long t=0; t<86400; t+=1800){
      time_t u = day_utc(&BER, n, t);
      day_local(&BER, u, &d, &secs);
      if( n==N(2026, 3, 29) && t>=2*3600 && t<3*3600 ){
        assert_int_equal(secs, t + 3600);
      }else{
        assert_int_equal(day_num(d.y, d.m, d.d), n);
        assert_int_equal(secs, t);
      }
    }
  }
  /* a cut-off in local wall-clock time: the Saturday's report is due at
  ** 09:00 on the Sunday the clocks change, which is 07:00 UTC, not 08:00 */
  assert_int_equal(day_period_parse(&BER, "2026-03-28", &p), 0);
  assert_string_equal(utc(day_deadline(&BER, &p, 9*60)), "2026-03-29 07:00:00");
  /* the month holding the change */
  assert_int_equal(day_period_parse(&BER, "2026-03", &p), 0);
  day_period_bounds(&BER, &p, &s, &e);
  assert_string_equal(utc(s), "2026-02-28 23:00:00");
  assert_string_equal(utc(e), "2026-03-31 22:00:00");
  /* and Shanghai after Berlin: switching back works */
  assert_string_equal(utc(day_utc(&SH, N(2026, 3, 29), 2*3600 + 1800)), "2026-03-28 18:30:00");
}

/* ---- periods ---- */

static void shifts(void **state){
  static const struct { int d, hh, mi; const char *key; } T[] = {
    { 1, 2, 0, "2026-11-30#2" },      /* the night shift belongs to the day it started */
    { 1, 7, 59, "2026-11-30#2" }, { 1, 8, 0, "2026-12-01#1" }, { 1, 19, 59, "2026-12-01#1" },
    { 1, 20, 0, "2026-12-01#2" }, { 1, 23, 59, "2026-12-01#2" }, { 1, 0, 0, "2026-11-30#2" },
  };
  for(size_t i=0; i<sizeof T/sizeof T[0]; i++){
    time_t t = U(2026, 12, T[i].d, T[i].hh, T[i].mi) - 8*3600;
    PERIOD p = day_period_at(&SH, DAY_P_SHIFT, t);
    assert_string_equal(key(&p), T[i].key);
    time_t s, e;
    day_period_bounds(&SH, &p, &s, &e);
    assert_true(s<=t && t<e);
  }
  PERIOD p;
  time_t s, e;
  assert_int_equal(day_period_parse(&SH, "2026-11-30#2", &p), 0);
  day_period_bounds(&SH, &p, &s, &e);
  assert_string_equal(utc(s), "2026-11-30 12:00:00");   /* 20:00 local */
  assert_string_equal(utc(e), "2026-12-01 00:00:00");   /* 08:00 local the next day */
  assert_string_equal(utc(day_deadline(&SH, &p, 30)), "2026-12-01 00:30:00");
  PERIOD n = day_period_next(&SH, &p);
  assert_string_equal(key(&n), "2026-12-01#1");
  n = day_period_prev(&SH, &n);
  assert_string_equal(key(&n), "2026-11-30#2");
  n = day_period_prev(&SH, &n);
  assert_string_equal(key(&n), "2026-11-30#1");
  /* three shifts in Berlin; the night shift over the DST change is an hour short */
  assert_int_equal(day_period_parse(&BER, "2026-03-28#3", &p), 0);
  day_period_bounds(&BER, &p, &s, &e);
  assert_int_equal((long)(e - s), 7*3600);
  assert_int_equal(day_period_parse(&SH, "2026-11-30#3", &p), -1);      /* Shanghai has two */
  assert_int_equal(day_period_parse(&BER, "2026-11-30#3", &p), 0);
}

static void weeks_and_months(void **state){
  PERIOD p = day_period_at(&SH, DAY_P_WEEK, U(2026, 12, 3, 4, 0));
  assert_string_equal(key(&p), "2026-W49");
  assert_int_equal(p.first, N(2026, 11, 30));
  p = day_period_of_date(DAY_P_WEEK, N(2027, 1, 3));
  assert_string_equal(key(&p), "2026-W53");
  PERIOD n = day_period_next(&SH, &p);
  assert_string_equal(key(&n), "2027-W01");
  PERIOD q = day_period_prev(&SH, &n);
  assert_string_equal(key(&q), "2026-W53");
  time_t s, e;
  day_period_bounds(&SH, &p, &s, &e);
  assert_string_equal(utc(s), "2026-12-27 16:00:00");   /* Monday 28 Dec, 00:00 local */
  assert_string_equal(utc(e), "2027-01-03 16:00:00");
  /* months: ends, leap February, the year's turn */
  p = day_period_of_date(DAY_P_MONTH, N(2026, 1, 31));
  assert_string_equal(key(&p), "2026-01");
  n = day_period_next(&SH, &p);
  assert_string_equal(key(&n), "2026-02");
  n = day_period_next(&SH, &n);
  assert_int_equal(n.first, N(2026, 3, 1));
  p = day_period_of_date(DAY_P_MONTH, N(2028, 2, 29));
  day_period_bounds(&SH, &p, &s, &e);
  assert_int_equal((long)(e - s), 29*86400L);
  p = day_period_of_date(DAY_P_MONTH, N(2026, 1, 1));
  n = day_period_prev(&SH, &p);
  assert_string_equal(key(&n), "2025-12");
  q = day_period_of_date(DAY_P_MONTH, N(2026, 12, 31));
  n = day_period_next(&SH, &q);
  assert_string_equal(key(&n), "2027-01");
  /* the month of an instant at 00:01 on the 1st, local */
  p = day_period_at(&SH, DAY_P_MONTH, U(2026, 11, 30, 16, 1));
  assert_string_equal(key(&p), "2026-12");
}

static void keys_parse(void **state){
  static const char *good[] = { "2026-11-30", "2026-W49", "2026-11", "2026-11-30#2", "2026-W53",
                                "2028-02-29", "2020-W53", "2026-W01", "2026-01" };
  static const char *bad[] = { "2025-W53", "2026-02-29", "2026-13", "2026-00", "2026-W00", "2026-W54",
                               "2026-11-3", "2026-11-30#0", "2026-11-30#3", "2026-11-30#", "26-11-30",
                               "2026/11/30", "2026-w49", "2026-W4", "", "2026-11-30 ", "x", "2026-11-30#12",
                               "0000-01-01", "2026-1-30" };
  PERIOD p;
  for(size_t i=0; i<sizeof good/sizeof good[0]; i++){
    assert_int_equal(day_period_parse(&SH, good[i], &p), 0);
    assert_string_equal(key(&p), good[i]);
  }
  for(size_t i=0; i<sizeof bad/sizeof bad[0]; i++)
    assert_int_equal(day_period_parse(&SH, bad[i], &p), -1);
  assert_int_equal(day_period_parse(&SH, NULL, &p), -1);
}

static void labels(void **state){
  PERIOD p;
  assert_int_equal(day_period_parse(&SH, "2026-W53", &p), 0);
  assert_string_equal(day_period_label(A, &p, "{y}年第{w}周（{m}月{d}日至{em}月{ed}日）"),
                      "2026年第53周（12月28日至1月3日）");
  assert_string_equal(day_period_label(A, &p, "Week {ww}, {y} ({mm}-{dd} to {ey}-{emm}-{edd})"),
                      "Week 53, 2026 (12-28 to 2027-01-03)");
  assert_int_equal(day_period_parse(&SH, "2026-11-30#2", &p), 0);
  assert_string_equal(day_period_label(A, &p, "{y}年{m}月{d}日 第{n}班"), "2026年11月30日 第2班");
  assert_int_equal(day_period_parse(&SH, "2026-02", &p), 0);
  assert_string_equal(day_period_label(A, &p, "{y}年{m}月（{d}日至{ed}日）"), "2026年2月（1日至28日）");
  /* unknown or unclosed placeholders are text */
  assert_string_equal(day_period_label(A, &p, "{x}{y"), "{x}{y");
  assert_string_equal(day_period_label(A, &p, ""), "");
  assert_string_equal(day_period_label(A, &p, NULL), "");
  /* a long pattern of placeholders grows the buffer */
  char pat[2001];
  for(int i=0; i<500; i++) memcpy(pat + 4*i, "{mm}", 4);
  pat[2000] = 0;
  assert_int_equal(strlen(day_period_label(A, &p, pat)), 1000);
}

static void calendars_refused(void **state){
  DAYCAL c;
  NEOERR *err;
  static const char *zones[] = { "Mars/Base", "../../etc/passwd", "/etc/localtime", "Asia/../Asia/Shanghai",
                                 "", "Asia/Shanghai/", "Asia//Shanghai", "Asia/Shang hai", "zone.tab",
                                 "Asia/Shanghai;rm" };
  for(size_t i=0; i<sizeof zones/sizeof zones[0]; i++){
    err = day_cal_init(&c, zones[i], "");
    assert_non_null(err);
    nerr_ignore(&err);
  }
  static const char *shifts[] = { "20:00,08:00", "08:00,08:00", "25:00", "8", "08:60", "1:2:3",
                                  "00:00,04:00,08:00,12:00,16:00,20:00,22:00", "08:00;20:00" };
  for(size_t i=0; i<sizeof shifts/sizeof shifts[0]; i++){
    err = day_cal_init(&c, "UTC", shifts[i]);
    assert_non_null(err);
    nerr_ignore(&err);
  }
  assert_null(day_cal_init(&c, "UTC", NULL));
  assert_int_equal(c.nshift, 1);
  assert_int_equal(c.shift[0], 0);
  assert_null(day_cal_init(&c, "UTC", "8:00, 20:00"));
  assert_int_equal(c.nshift, 2);
  assert_int_equal(c.shift[1], 20*60);
  /* from the configuration, with its defaults */
  HDF *h;
  assert_null(hdf_init(&h));
  assert_null(day_cal_conf(&c, h));
  assert_string_equal(c.zone, "Asia/Shanghai");
  assert_int_equal(c.nshift, 2);
  assert_int_equal(c.shift[0], 8*60);
  assert_null(hdf_set_value(h, "Site.TimeZone", "Europe/Berlin"));
  assert_null(hdf_set_value(h, "Site.ShiftStarts", "07:30"));
  assert_null(day_cal_conf(&c, h));
  assert_string_equal(c.zone, "Europe/Berlin");
  assert_int_equal(c.shift[0], 7*60 + 30);
  hdf_destroy(&h);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(civil_numbers),
    cmocka_unit_test(leap_years_and_month_ends),
    cmocka_unit_test(iso_weeks),
    cmocka_unit_test(utc_text),
    cmocka_unit_test(submission_at_midnight),
    cmocka_unit_test(cutoff_next_morning),
    cmocka_unit_test(shanghai_has_no_dst),
    cmocka_unit_test(berlin_dst),
    cmocka_unit_test(shifts),
    cmocka_unit_test(weeks_and_months),
    cmocka_unit_test(keys_parse),
    cmocka_unit_test(labels),
    cmocka_unit_test(calendars_refused),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
