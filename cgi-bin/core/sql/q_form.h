/*
** q_form.h -- the SQL of the form registry (dom/form.c): the applied
** definitions (form, form_field, form_version) and the lists built from
** them.  The generated tables themselves are made by the DDL module and
** filled by q_entry.c.
*/
#ifndef DIAODU_Q_FORM_H
#define DIAODU_Q_FORM_H
#include "db.h"
#include "q_entry.h"

typedef struct {
  long long id;
  const char *code, *name, *name_en, *period, *units, *unit_kinds, *file, *hash, *applied_at;
  const char *created_at;          /* first applied (UTC) */
  int version, active;
  long opens, cutoff, closes;
} QFORM;

typedef struct {
  const char *code, *part, *type, *label;
  int prec, scale, active, sort, added, removed;
} QFIELD;

/* by code; the source only when want_source */
NEOERR *q_form_get(DB *db, const char *code, int want_source, QFORM *f, const char **source, int *found);
NEOERR *q_form_by_id(DB *db, long long id, QFORM *f, int *found);
/* a new sheet's look-ups in one statement: the form by code (*found), the
** unit with the user's scope for caps (*ufound, q_unit_for) and the current
** sheet of the period (*other, 0: none; period_key "" asks for none) */
NEOERR *q_form_look(DB *db, const char *code, long long unit_id, long long user, unsigned caps,
                    const char *period_key, QFORM *f, int *found, QUNIT *u, int *ufound, long long *other);
/* every form, ordered by code (active ones first when active_first) */
NEOERR *q_forms(DB *db, QFORM **out, int *n);
NEOERR *q_form_fields(DB *db, long long form_id, QFIELD **out, int *n);
NEOERR *q_form_versions_hdf(DB *db, long long form_id, HDF *out, const char *prefix, int *n);

/* insert or update the form row (by code); *id its id */
NEOERR *q_form_put(DB *db, const QFORM *f, const char *source, long long *id);
/* forms live since an earlier instant (UTC text): the demo company's six
** weeks; the owner account (form is read-only to the application) */
NEOERR *q_form_live_since(DB *db, const char *utc);
NEOERR *q_form_field_put(DB *db, long long form_id, const QFIELD *x, int version);
NEOERR *q_form_field_retire(DB *db, long long form_id, const char *code, int version);
NEOERR *q_form_version_add(DB *db, long long form_id, int version, const char *hash, const char *source,
                           const char *added, const char *removed);

#endif
