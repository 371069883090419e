/*
** q_report.h -- the SQL of the report engine (dom/report.c, dom/rrun.c):
** the grouped aggregation of a checked report definition, saved reports
** (report_saved) and who may run them.
**
** q_report_run() builds one SELECT from a QRUN the domain filled from a
** checked definition: the only names pasted into it are the form's table
** and column names, each taken from the applied form's fields and checked
** again here (q_ident_ok); every value -- the form, the period, the unit's
** path, the filters, the user and capabilities of the scope -- is a bound
** parameter.  Sheets counted: the latest approved revision (counted = 1);
** with pending also the current revision submitted and waiting, which then
** replaces an approved revision it corrects.  The scope is Q_SCOPE over the
** unit the sheet was submitted for.
**
** The result's columns: per dimension three (its key, its code, its name),
** then per measure two (the value and, for averages and spans, the count).
** The rows are grouped by the dimensions' keys alone in a derived table and
** the labels (unit, base data, account) joined to the groups afterwards, so
** a year of rows is read once and nothing but the sheet is joined per row.
*/
#ifndef DIAODU_Q_REPORT_H
#define DIAODU_Q_REPORT_H
#include "db.h"

enum { QD_UNIT = 1, QD_DAY, QD_WEEK, QD_MONTH, QD_SELECT, QD_BASE, QD_ORG, QD_USER };
enum { QM_COUNT = 1, QM_COUNTF, QM_SHEETS, QM_SUM, QM_AVG, QM_MIN, QM_MAX, QM_SPAN, QM_NONE };
enum { QF_TEXT = 1, QF_NUM, QF_BASE, QF_ORG, QF_USER };

#define QRUN_MAX 16
typedef struct {
  const char *table;               /* f_<code> or f_<code>_r */
  long long form_id;
  const char *from, *to;           /* inclusive period_start days */
  const char *path;                /* unit filter: a path prefix ("/1/5/"), NULL for all */
  int pending;
  long long user_id;               /* the scope's user (0: the operator) */
  unsigned caps;
  int ndim;
  struct { int kind; const char *col; const char *lk_kind; } dim[QRUN_MAX];
  int nmeas;
  struct { int fn; const char *col, *col2; } meas[QRUN_MAX];
  int nfilt;
  struct { int kind; const char *col; const char *op; const char *value; const char *lk_kind; } filt[QRUN_MAX];
} QRUN;

/* run it: rows through db_step(), read with db_text() */
NEOERR *q_report_run(DB *db, ARENA *a, const QRUN *q, DB_STMT **st);
/* sheets counted by the same filters (no grouping) */
NEOERR *q_report_sheets(DB *db, ARENA *a, const QRUN *q, long long *n);
/* the SQL text q_report_run() would run (tests, diaodu-ctl report sql) */
NEOERR *q_report_sql(ARENA *a, const QRUN *q, int count_only, const char **sql, const char **fmt, DB_ARG **args);

/* a unit the user's grants reach (any of caps): its path and name */
NEOERR *q_report_unit(DB *db, long long unit_id, long long user_id, unsigned caps,
                      const char **path, const char **name, int *found);

/* saved reports */
typedef struct {
  long long id, owner_id;
  const char *name, *form_code, *text, *roles, *owner_name;
  int may_run;                     /* the owner, or a holder of one of its roles */
} QREPORT;
NEOERR *q_report_get(DB *db, long long id, long long user_id, QREPORT *q, int *found);
NEOERR *q_report_insert(DB *db, long long owner, const char *name, const char *form, const char *text,
                        const char *roles, long long *id);
/* *mine: it is the owner's (else nothing happens); *changed: something differed */
NEOERR *q_report_update(DB *db, long long id, long long owner, const char *name, const char *form,
                        const char *text, const char *roles, int *mine, int *changed);
NEOERR *q_report_delete(DB *db, long long id, long long owner, int *mine);
/* saved reports the user may run, prefix.<i>.{code,id,name,form,owner,mine,roles} by name */
NEOERR *q_report_list(DB *db, long long user_id, HDF *hdf, const char *prefix, int *n);
NEOERR *q_report_role_ok(DB *db, const char *code, int *found);
/* the roles (code, name) for the builder's choice: prefix.<i>.{code,name} */
NEOERR *q_report_roles_hdf(DB *db, HDF *hdf, const char *prefix);

#endif
