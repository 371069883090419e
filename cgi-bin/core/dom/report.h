/*
** report.h -- the report engine: a report definition (a built-in file
** under conf/reports/ or one saved from the report builder, the same HDF
** text either way) is parsed, checked against the applied form, run with
** arguments into a result table, and rendered as HTML data, CSV, XLSX,
** PDF or an SVG chart.
**
** A definition names a form, its group-by dimensions (the unit the sheet
** was submitted for; the day, week or month of its period; a select or
** lookup field), its measures (count, sum, avg, min, max of numeric
** fields; a ratio of two measures; the average span between two time
** fields; a measure's previous period and the change against it), fixed
** filters and the sort.  report_check() resolves every field name against
** the form's applied fields (numeric where the function needs it): only
** checked names ever reach SQL (sql/q_report.c builds the statement, every
** value a bound parameter).
**
** report_run() counts approved sheets, the latest approved revision only
** (entry.counted = 1); with args.pending also the sheets submitted and
** waiting (a pending correction replaces its approved revision), and the
** title line says so.  Rows are grouped by the unit the sheet was submitted
** for (entry.org_unit_id), whatever the tree looks like since.  The acting
** user (CTX) sees only units their grants reach (Q_SCOPE), in every format:
** the engine never takes a request, so a background job calls it with the
** job owner's CTX (or ctx_operator) exactly as a page does.
**
** Numbers are exact: sums come from DECIMAL columns as text and are kept
** as DEC (dec.h); averages and ratios are divided in DEC and rounded half
** up; totals are computed from the group values the same way.
*/
#ifndef DIAODU_REPORT_H
#define DIAODU_REPORT_H
#include "ctx.h"
#include "fdef.h"
#include "dec.h"
#include <ClearSilver.h>

#define REPORT_MAXDIM   4
#define REPORT_MAXMEAS  16
#define REPORT_MAXFILT  8
#define REPORT_MAXROLES 8

/* ---- definitions ---- */
typedef enum { RD_UNIT = 1, RD_DAY, RD_WEEK, RD_MONTH, RD_FIELD } RDIM_KIND;
typedef enum {
  RM_COUNT = 1,      /* rows (or sheets, for a form without rows); with Field: non-empty values */
  RM_SHEETS,         /* sheets */
  RM_SUM, RM_AVG, RM_MIN, RM_MAX,
  RM_SPAN,           /* average of To - From (time fields), in hours */
  RM_RATIO,          /* Of / Per * Times (measures of this report), Scale decimals */
  RM_PREV,           /* measure Of in the previous period of the same length */
  RM_CHANGE          /* (Of - previous) / previous * 100, in per cent */
} RMEAS_FN;

typedef struct {
  RDIM_KIND kind;
  const char *field;            /* RD_FIELD: the form field's code */
  const FFIELD *f;              /* after report_check() */
  const char *label;
} RDIM;

typedef struct {
  const char *code;             /* the measure's name in the definition */
  RMEAS_FN fn;
  const char *field;            /* RM_COUNT (optional), RM_SUM..RM_MAX; RM_SPAN: From */
  const char *field2;           /* RM_SPAN: To */
  const char *of, *per;         /* RM_RATIO, RM_PREV, RM_CHANGE: measure codes */
  int of_i, per_i;              /* their indexes (report_check) */
  DEC times;                    /* RM_RATIO */
  int scale;                    /* decimals shown (default: the field's; avg +2) */
  const char *label, *unit;
  const FFIELD *f, *f2;         /* after report_check() */
} RMEAS;

typedef struct {
  const char *field;
  const FFIELD *f;
  const char *op;               /* eq ne lt le gt ge */
  const char *value;            /* as typed; a lookup by its code */
} RFILT;

typedef enum { RP_DAY = 1, RP_WEEK, RP_MONTH, RP_RANGE } RPERIOD;

typedef struct report_def {
  long long id;                 /* a saved report's id; 0 for a built-in */
  const char *code;             /* built-in: the file's Code; saved: "u<id>" */
  const char *name, *name_en;
  const char *form;             /* the form's code */
  const FORM *fm;               /* after report_check() */
  RPERIOD period;               /* the default period */
  RDIM dims[REPORT_MAXDIM];
  int ndim;
  RMEAS meas[REPORT_MAXMEAS];
  int nmeas;
  RFILT filt[REPORT_MAXFILT];
  int nfilt;
  int sort_by;                  /* 0: the dimensions in order; k > 0: measure k-1 */
  int sort_desc;
  int chart;                    /* 0: none, else 1 + the measure drawn as bars */
  int chart_line;               /* a line (a trend over days/weeks/months) rather than bars */
  const char *roles[REPORT_MAXROLES];   /* saved: role codes that may run it */
  int nroles;
  long long owner_id;           /* saved: who saved it */
  const char *text;             /* the HDF text it was parsed from */
  int rows;                     /* report_check: it reads the rows table (else sheets) */
  ARENA *arena;                 /* where it was parsed (what report_check adds lives there) */
} REPORT_DEF;

/* an error in a definition, with a Lang key (Lang.report.def.<key>) */
typedef struct {
  int line;
  const char *where;            /* "Measures.fuel", "Group.vehicle", "" */
  const char *key;
  const char *arg;
} REPORT_ERR;

/* names of the enums as written in a definition */
const char *report_fn_name(RMEAS_FN fn);
const char *report_dim_name(RDIM_KIND k);
const char *report_period_name(RPERIOD p);
RPERIOD report_period_of(const char *s);         /* 0 if unknown */

/* HDF text -> *out (not yet checked against the form); 0 on success */
int report_parse(ARENA *a, const char *file, const char *text, REPORT_DEF **out, REPORT_ERR *err);
/* resolve every name against the applied form; 0 when it can run */
NEOERR *report_check(CTX *c, REPORT_DEF *d, REPORT_ERR *err, int *ok);
/* the definition as HDF text (what the builder saves) */
const char *report_text(ARENA *a, const REPORT_DEF *d);

/* the built-in reports (the .hdf files of Paths.Reports, conf/reports), parsed and checked
** once per process; *n of them */
NEOERR *report_builtins(CTX *c, REPORT_DEF ***out, int *n);
/* a report by code ("vehicle_month" or a saved "u12") that the acting
** user may run; NULL *d when there is none or they may not (the caller
** answers 404 either way: no probing of other users' reports) */
NEOERR *report_find(CTX *c, const char *code, REPORT_DEF **d);

/* ---- running ---- */
typedef struct {
  RPERIOD period;
  const char *date;             /* RP_DAY/WEEK/MONTH: a day inside it (YYYY-MM-DD) */
  const char *from, *to;        /* RP_RANGE: inclusive days (YYYY-MM-DD) */
  long long unit_id;            /* 0: every unit in reach; else that unit and below */
  int pending;                  /* include sheets submitted and waiting */
  const char *lang;             /* "en": the words of the result in English; else Chinese */
} REPORT_ARGS;

typedef struct {
  const char *label;            /* header cell */
  int numeric;                  /* 1: a number (right aligned, XLSX number) */
  int scale;                    /* its decimals */
  int dim;                      /* 1: a dimension column */
} RCOL;

/* the chart: one measure per group, in the table's order (at most
** REPORT_CHART_MAX groups); bar lengths in per mille of the largest value */
#define REPORT_CHART_MAX 24
typedef struct {
  const char *label;            /* the measure's column label */
  int n;
  const char **names;           /* the groups' dimension cells joined */
  const char **values;          /* the values as shown in the table */
  int *permille;                /* 0..1000 */
  int more;                     /* groups left out of the chart */
  int trend;                    /* grouped by day, week or month alone: a trend */
} RCHART;

typedef struct {
  const REPORT_DEF *def;
  const char *title;            /* the report's name (with "（含待审）" when pending) */
  const char *company;          /* Site.Company */
  const char *unit;             /* the unit filter's name, or the scope's words */
  const char *period;           /* "2026-11-01 至 2026-11-30" */
  const char *from, *to;        /* the period's days */
  const char *prev_from, *prev_to;   /* the previous period (RM_PREV / RM_CHANGE) */
  int pending;
  int ncol;
  RCOL *cols;                   /* dimensions first, then measures */
  int nrow;
  const char ***cells;          /* nrow x ncol; numbers in canonical text ("" when empty) */
  const char **totals;          /* ncol; dimension cells NULL except the first ("合计") */
  const RCHART *chart;          /* NULL: none */
  const char *generated_at;     /* company time, "YYYY-MM-DD HH:MM" */
  int en;                       /* the words are English */
} REPORT_RESULT;

/* the period's days and the previous period of the same length */
NEOERR *report_period(CTX *c, const REPORT_ARGS *args, const char **from, const char **to,
                      const char **prev_from, const char **prev_to);
/* run it; ERR_INPUT with a Lang.err key for bad arguments (report_bad_period,
** report_bad_range, report_bad_unit: a unit out of the user's reach too) */
NEOERR *report_run(CTX *c, const REPORT_DEF *d, const REPORT_ARGS *args, REPORT_RESULT **out);

/* the statement report_run() runs for the period (tests, diaodu-ctl) */
NEOERR *report_sql(CTX *c, const REPORT_DEF *d, const REPORT_ARGS *args, const char **sql);
/* the statements alone, rows read and dropped: the baseline of make bench */
NEOERR *report_raw(CTX *c, const REPORT_DEF *d, const REPORT_ARGS *args, int *rows);

/* ---- rendering (into a STRING the caller owns) ---- */
NEOERR *report_csv(const REPORT_RESULT *r, STRING *out);       /* UTF-8 BOM, formulas neutralised */
NEOERR *report_xlsx(const REPORT_RESULT *r, STRING *out);      /* numbers as numbers with their scale */
NEOERR *report_pdf(CTX *c, const REPORT_RESULT *r, STRING *out);   /* A4, Pdf.Font embedded */
NEOERR *report_svg(const REPORT_RESULT *r, STRING *out);       /* the chart, or nothing */
/* the result into HDF (Report.*) for the HTML page */
NEOERR *report_hdf(const REPORT_RESULT *r, HDF *hdf, const char *prefix);

/* the audit record of a download or an export: what, the filters, the rows */
NEOERR *report_audit(CTX *c, const REPORT_RESULT *r, const char *format);

/* ---- saved reports (the builder) ---- */
/* save d (new when d->id is 0) for the acting user; *msg a Lang key of a refusal */
NEOERR *report_save(CTX *c, REPORT_DEF *d, const char **msg);
NEOERR *report_delete(CTX *c, long long id, const char **msg);
/* the saved reports the acting user may run or owns, into HDF prefix.<i>.{code,name,owner,mine} */
NEOERR *report_saved_hdf(CTX *c, HDF *hdf, const char *prefix, int *n);

#endif
