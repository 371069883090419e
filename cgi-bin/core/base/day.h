/*
** day.h -- calendar dates, the company's time zone, reporting periods and
** their cut-offs.
**
** Business dates (the day a form is for) are civil dates, stored as DATE;
** instants (when something happened) are UTC, stored as DATETIME in UTC.
** The company's zone is conf Site.TimeZone (default Asia/Shanghai) and is
** never taken from the server's environment: a DAYCAL names it, and this
** module points the process's TZ at that zone itself (setenv + tzset) the
** first time it needs local time and whenever a DAYCAL names another zone,
** then reads offsets from the system's tzfile with localtime_r.  Workers
** are single-threaded, so switching TZ is safe; with one company zone the
** switch happens once per process.  Local times that do not exist (the
** hour skipped when DST starts) move forward by the gap; local times that
** happen twice (when DST ends) mean the first of the two.
**
** Periods: a day (calendar day, midnight to midnight), a shift (shift
** starts from conf Site.ShiftStarts, e.g. "08:00,20:00"; a shift belongs
** to the day it started, so 02:00 on the 1st is the 31st's night shift),
** an ISO week (Monday to Sunday; week 1 holds the year's first Thursday)
** and a month.  Keys: "2026-11-30", "2026-11-30#2", "2026-W49", "2026-11".
** A period's cut-off is its end plus some minutes of local wall-clock time
** (a day's cut-off "+ 9 h" is 09:00 the next morning, DST or not); an
** instant at or after the cut-off is late.
*/
#ifndef DIAODU_DAY_H
#define DIAODU_DAY_H
#include <time.h>
#include <ClearSilver.h>
#include "arena.h"

#define DAY_MAXSHIFT 6
#define DAY_KEYSZ 48

typedef struct { int y, m, d; } YMD;

typedef struct {
  char zone[64];                   /* an IANA zone name: Asia/Shanghai */
  int nshift;
  int shift[DAY_MAXSHIFT];         /* shift starts, minutes after midnight, ascending */
} DAYCAL;

typedef enum { DAY_P_DAY, DAY_P_SHIFT, DAY_P_WEEK, DAY_P_MONTH } DAY_PKIND;

typedef struct {
  DAY_PKIND kind;
  long first;                      /* its first day (days since 1970-01-01): the
                                   ** day, the shift's day, the Monday, the 1st */
  int shift;                       /* 1..nshift for DAY_P_SHIFT, else 0 */
} PERIOD;

/* ---- civil dates, no time zone ---- */
int day_leap(int y);
int day_month_days(int y, int m);
int day_ymd_ok(int y, int m, int d);
long day_num(int y, int m, int d);          /* days since 1970-01-01 */
YMD day_ymd(long n);
int day_weekday(long n);                    /* ISO: 1 Monday .. 7 Sunday */
void day_iso_week(long n, int *wyear, int *week);
int day_iso_weeks(int wyear);               /* 52 or 53 */
char *day_ymd_text(YMD d, char buf[DAY_KEYSZ]);       /* "2026-01-05" */

/* ---- UTC instants as stored ---- */
char *day_utc_text(time_t t, char buf[DAY_KEYSZ]);    /* "2026-11-30 15:59:00" */
int day_utc_parse(const char *s, time_t *t);          /* 0 ok, -1 not that form */

/* ---- the company's calendar ---- */
/* zone: an IANA name whose tzfile exists (TZDIR or /usr/share/zoneinfo);
** shifts: "HH:MM" starts separated by commas or spaces ("" or NULL: 00:00) */
NEOERR *day_cal_init(DAYCAL *c, const char *zone, const char *shifts);
/* from Site.TimeZone (default Asia/Shanghai) and Site.ShiftStarts (default 08:00,20:00) */
NEOERR *day_cal_conf(DAYCAL *c, HDF *conf);

/* the local civil time of an instant: date and seconds after midnight */
void day_local(const DAYCAL *c, time_t t, YMD *date, int *secs);
/* a local civil time (secs may be outside 0..86399: days roll) -> UTC */
time_t day_utc(const DAYCAL *c, long daynum, long secs);
/* "today" in the company's zone */
YMD day_today(const DAYCAL *c, time_t now);

/* ---- periods ---- */
/* the period of a kind that contains an instant */
PERIOD day_period_at(const DAYCAL *c, DAY_PKIND kind, time_t t);
/* the period of a kind that contains a business date (a shift: shift 1 of it) */
PERIOD day_period_of_date(DAY_PKIND kind, long daynum);
char *day_period_key(const PERIOD *p, char buf[DAY_KEYSZ]);
/* parse a key (for a shift key, the shift must exist in c); 0 ok, -1 not a key */
int day_period_parse(const DAYCAL *c, const char *key, PERIOD *p);
/* label from a pattern (Lang.day.label.*): {y} {m} {d} {mm} {dd} of the
** first day ({y} is the ISO week-year for a week), {w} {ww} week, {n} shift,
** {ey} {em} {ed} {emm} {edd} of the last day */
char *day_period_label(ARENA *a, const PERIOD *p, const char *pattern);
/* the period after / before */
PERIOD day_period_next(const DAYCAL *c, const PERIOD *p);
PERIOD day_period_prev(const DAYCAL *c, const PERIOD *p);
/* start (inclusive) and end (exclusive) as UTC instants */
void day_period_bounds(const DAYCAL *c, const PERIOD *p, time_t *start, time_t *end);
/* the cut-off: end + minutes of local time, as a UTC instant */
time_t day_deadline(const DAYCAL *c, const PERIOD *p, long minutes);
/* 1 if an instant is at or after the cut-off */
int day_is_late(const DAYCAL *c, const PERIOD *p, long minutes, time_t t);

#endif
