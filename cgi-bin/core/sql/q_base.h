/*
** q_base.h -- SQL for base data (基础数据): kinds, their fields, items.
*/
#ifndef DIAODU_Q_BASE_H
#define DIAODU_Q_BASE_H
#include "db.h"

#define BASE_MAXF 8

typedef struct {
  int col;                   /* 1..8: base_item.a<col> */
  const char *code, *label, *type;
  int required;
} BASEFIELD;

typedef struct {
  long long id;
  const char *code, *name;
  int active, builtin;
  int nfields;
  BASEFIELD f[BASE_MAXF];
} BASEKIND;

typedef struct {
  long long id, unit_id;
  const char *code, *name, *unit_code, *unit_path;
  const char *a[BASE_MAXF];
  int active;
  long long version;
  const char *why[BASE_MAXF];  /* org_item_save: why a[i] was refused (a Lang key), else NULL */
} BASEITEM;

/* kinds with item counts: <prefix>.<i>.{id,code,name,builtin,active,items} */
NEOERR *q_kinds_hdf(DB *db, HDF *out, const char *prefix, int *n);
NEOERR *q_kind_get(DB *db, const char *code, BASEKIND *k, int *found);
NEOERR *q_kind_create(DB *db, const char *code, const char *name, long long *id);
NEOERR *q_field_add(DB *db, long long kind_id, int col, const char *code, const char *label,
                    const char *type, int required);
/* a page of items ordered by code, after a code (keyset) */
NEOERR *q_items_page(DB *db, const BASEKIND *k, HDF *out, const char *prefix,
                     long long scope_user, unsigned cap, const char *after, int limit, int *n);
NEOERR *q_item_get(DB *db, long long kind_id, long long id, const char *code, BASEITEM *it, int *found);
NEOERR *q_items_all(DB *db, long long kind_id, BASEITEM **rows, int *n);
NEOERR *q_item_insert(DB *db, long long kind_id, const BASEITEM *it, long long *id);
/* *ok = 0 on a version conflict */
NEOERR *q_item_update(DB *db, const BASEITEM *it, int *ok);

#endif
