/*
** form.h -- forms as data, in the database: applying checked definitions
** (their tables through the DDL module, the registry, the audit record),
** reading the applied definition in a worker, and the submission window of
** a period in the company's time zone.
**
** form_apply() is what `diaodu-ctl forms apply` runs, on an owner
** connection (DDL never runs on the application account): every
** definition is checked -- alone (fdef.c) and against what was applied
** before (a field's type never changes; a changed file must raise its
** Version) -- and nothing at all is applied unless all of them pass.  Then
** per form: the header table f_<code> and the row table f_<code>_r get any
** missing column and index (a new field is a new column, NULL in old
** sheets; a removed field keeps its column and data and is only marked
** inactive in form_field), and the registry row, its fields, the version
** history and the audit record are written in one transaction.  Last, the
** application account gets its DML grants on new tables (schema.c).
**
** form_get() is what a worker reads: the definition text as applied,
** parsed once per worker and kept until its hash changes.
*/
#ifndef DIAODU_FORM_H
#define DIAODU_FORM_H
#include "ctx.h"
#include "fdef.h"
#include "day.h"
#include "q_ddl.h"
#include "q_form.h"

/* the applied definition by code (NULL *f when there is none) */
NEOERR *form_get(CTX *c, const char *code, const FORM **f);
NEOERR *form_get_id(CTX *c, long long id, const FORM **f);
/* the same for a registry row already read (q_forms): no query when the
** worker has parsed that version before */
NEOERR *form_from(CTX *c, const QFORM *q, const FORM **f);
/* the worker's parsed definition of a code, as it was last read (NULL:
** none yet), without a query: a guess that the caller confirms with
** form_from() on the registry row it reads anyway (entry_new) */
const FORM *form_cached(const char *code);

/* the tables of a form as the DDL module makes them */
void form_tables(ARENA *a, const FORM *f, DDL_TABLE *header, DDL_TABLE *rows);
const char *form_table(ARENA *a, const FORM *f, int part);     /* f_<code>, f_<code>_r */

enum { FA_SAME = 0, FA_NEW, FA_CHANGED };
typedef struct {
  const char *code, *file;
  int state;                       /* FA_* */
  int version, old_version;
  const char *added, *removed;     /* field codes, comma-separated */
} FORM_APPLIED;

/* check all, then apply all (dry: check only); errs lists every problem
** when *ok is 0 (nothing applied then).  conf: for the grants step. */
NEOERR *form_apply(CTX *owner, HDF *conf, FORM **forms, int n, int dry, FORM_APPLIED *out,
                   FDEF_ERRS *errs, int *ok);
/* read every <code>.hdf file of dir (sorted by name) and parse each one */
NEOERR *form_read_dir(ARENA *a, const char *dir, FORM ***forms, int *n, FDEF_ERRS *errs);

/* ---- the submission window ---- */
typedef enum { FW_EARLY = 0, FW_OPEN, FW_LATE, FW_CLOSED } FWSTATE;
typedef struct {
  time_t start, end;               /* the period */
  time_t opens, cutoff, closes;    /* closes 0: never */
} FWIN;
void form_window(const FORM *f, const DAYCAL *cal, const PERIOD *p, FWIN *w);
FWSTATE form_state(const FWIN *w, time_t now);
/* the same for a form: a period that ended before the form went live
** (FORM.since) is history -- open, never late or closed -- once it is live */
FWSTATE form_state_of(const FORM *f, const FWIN *w, time_t now);
int form_history(const FORM *f, const FWIN *w, time_t now);
/* the period of the form that holds an instant (today's sheet) */
PERIOD form_period_now(const FORM *f, const DAYCAL *cal, time_t now);
/* may unit (code, kind) submit this form? */
int form_unit_ok(const FORM *f, const char *unit_code, const char *unit_kind);

#endif
