/*
** val.h -- the one checker for typed values typed by people or read from
** their spreadsheets: whatever reaches the database through an admin form,
** an import or (later) a form entry goes through val_check, so a value
** saved in the browser re-imports from its own export unchanged.
**
** val_check trims (str_trim: U+3000, U+00A0, U+FEFF ... too), checks, and
** returns the canonical text to store, or a reason: a key under Lang
** ("val.frac.2" = 请输入数字，最多两位小数。).  Canonical forms:
**   VAL_INT   "-1234"        (dec_parse_i64 rules: "+5", "1,234", "１２"; "5.0" is 5)
**   VAL_DEC   "1234.50"      at the field's scale; with free_scale the
**                            trailing zeros go ("1234.5", "0.1", "3000"), so
**                            one value has one text whatever scale was typed
**   VAL_CODE  as typed       leading zeros kept; full-width letters and
**                            digits folded to ASCII ("ＣＬ００１" is "CL001")
**   VAL_DATE  "2026-01-05"   from 2026-1-5, 2026/1/5, 2026.1.5, 20260105,
**                            2026年1月5日, full-width digits; a datetime at
**                            midnight ("2026-01-05 00:00[:00]", how many
**                            programs write a date); from an XLSX cell also
**                            a plain Excel serial number (1900 system; the
**                            XLSX reader already turns date-formatted cells
**                            into text).  Refused: 2-digit years, 1/5/2026
**                            (day and month order unknowable), years outside
**                            1900..2999, days that do not exist.
**   VAL_TIME  "08:30" (or "08:30:00" with seconds) from 8:30, ８：３０, 8点30分,
**                            8时30分, 8点; from an XLSX cell also a fraction
**                            of a day (0.5 is 12:00).  24:00 is refused.
**   VAL_TEXT  trimmed        no control characters but TAB, CR, LF
** An empty value (after trimming) is "" and fine unless required.
*/
#ifndef DIAODU_VAL_H
#define DIAODU_VAL_H
#include "arena.h"

typedef enum { VAL_TEXT, VAL_INT, VAL_DEC, VAL_CODE, VAL_DATE, VAL_TIME } VALTYPE;

typedef struct {
  int required;
  int maxlen;                /* TEXT, CODE: characters (0: 200 for text, 64 for codes) */
  int prec, scale;           /* DEC: DECIMAL(prec,scale); 0,0: 18,4 */
  int free_scale;            /* DEC: canonical text without trailing fraction zeros */
  int nonneg;                /* INT, DEC: refuse negative values */
  int has_range;             /* INT: min..max */
  long long min, max;
  int seconds;               /* TIME: keep seconds ("HH:MM:SS") */
  int xlsx;                  /* DATE, TIME: the text is an XLSX cell's (serials allowed) */
} VALPARAM;

/* 1: *out is the canonical text ("" when empty); 0: *why is the reason key */
int val_check(VALTYPE t, const VALPARAM *p, const char *in, ARENA *a,
              const char **out, const char **why);

/* a field type as stored ("text", "integer", "decimal", "code", "date",
** "time") -> the checker with the defaults above; 0 for an unknown type */
int val_field(const char *type, int required, VALTYPE *t, VALPARAM *p);

#endif
