/*
** dec.h -- exact decimal numbers on scaled 64-bit integers, never floats.
**
** A DEC is u / 10^s: "1234.50" is { 123450, 2 }.  Parsing follows
** DECIMAL(p,s): at most p digits in all, s of them after the point.
** Arithmetic is exact or reports overflow (it never wraps); rounding is
** half-up, i.e. half away from zero as MariaDB's ROUND on DECIMAL.
**
** What the parser reads, deliberately (tests/unit/test_dec.c):
**   understood  "5", "+5", "-5", "0.10", ".5", "5.", "007" (a number: 7),
**               "1,234.5" (thousands separators only in well-placed groups
**               of three before the point), full-width digits, point,
**               comma, plus and minus ("１２３．４", "－５"), U+2212 minus,
**               the ideographic full stop as the point ("12。5": what a
**               Chinese input method types for "."), white space around
**               the number (str_space_at: U+3000, U+00A0, U+FEFF ...);
**   refused     "1e3" (DEC_EXPONENT), "nan", "inf" (DEC_NAN), "0x1A"
**               (DEC_HEX), "1,23", "12,5", "1.234,5" (DEC_GROUP), more
**               decimals than the scale (DEC_FRAC: never silently rounded;
**               extra zeros are fine), more digits than the precision
**               (DEC_RANGE), and everything else (DEC_SYNTAX): currency
**               signs, units, "%", inner spaces, two signs, Chinese numerals.
*/
#ifndef DIAODU_DEC_H
#define DIAODU_DEC_H
#include <stdint.h>

#define DEC_MAXP 18            /* digits an int64 always holds */
#define DEC_BUFSZ 24           /* "-9223372036854775808" and a point, NUL */

typedef struct { int64_t u; int s; } DEC;   /* value u / 10^s, 0 <= s <= DEC_MAXP */

typedef enum {
  DEC_OK = 0,
  DEC_EMPTY,       /* nothing but white space */
  DEC_SYNTAX,      /* not a number */
  DEC_EXPONENT,    /* scientific notation */
  DEC_NAN,         /* nan, inf, infinity */
  DEC_HEX,         /* 0x... */
  DEC_GROUP,       /* a thousands separator out of place (or a decimal comma) */
  DEC_FRAC,        /* more (non-zero) decimals than the scale allows */
  DEC_NOTINT,      /* dec_parse_i64: a non-zero fraction */
  DEC_RANGE        /* more digits than the precision, or beyond int64 */
} DEC_WHY;

/* text -> DEC at exactly `scale` decimals, DECIMAL(prec,scale) rules;
** 1 <= prec <= DEC_MAXP, 0 <= scale <= prec */
DEC_WHY dec_parse(const char *s, int prec, int scale, DEC *out);
/* text -> int64 (the full range); "5.00" is 5, "5.5" is DEC_NOTINT */
DEC_WHY dec_parse_i64(const char *s, int64_t *out);

/* canonical text: "-1234.50", "0.05", "0"; no separators, no "-0" */
char *dec_format(DEC d, char buf[DEC_BUFSZ]);

/* arithmetic: 0 on success, -1 on overflow (out untouched) */
int dec_add(DEC a, DEC b, DEC *out);     /* scale max(a.s, b.s) */
int dec_sub(DEC a, DEC b, DEC *out);
int dec_mul(DEC a, DEC b, DEC *out);     /* exact: scale a.s + b.s (less trailing zeros) */
/* a*b rounded half-up to `scale` decimals */
int dec_mul_round(DEC a, DEC b, int scale, DEC *out);
/* a/b rounded half-up to `scale` decimals; -1 when b is 0 or on overflow */
int dec_div_round(DEC a, DEC b, int scale, DEC *out);
/* to `scale` decimals: half-up when fewer, exact (or overflow) when more */
int dec_round(DEC a, int scale, DEC *out);
/* the same value with the trailing zeros of the fraction dropped */
DEC dec_trim(DEC a);
/* -1, 0, 1 as a < b, a == b, a > b, whatever the scales */
int dec_cmp(DEC a, DEC b);
/* 1 if a has at most prec-scale digits before the point and fits DECIMAL(prec,scale) when rounded */
int dec_fits(DEC a, int prec, int scale);

DEC dec_from_i64(int64_t v);

#endif
