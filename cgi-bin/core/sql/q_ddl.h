/*
** q_ddl.h -- the SQL of the DDL module (dom/ddl.c): CREATE TABLE, ALTER
** TABLE ADD COLUMN and ADD INDEX generated from a definition in C, the
** introspection that tells what exists, and the ddl_change journal.
**
** Identifiers come only from the whitelist [a-z][a-z0-9_]{0,63} and are
** always backquoted; types come from a closed list.  Nothing of a
** definition reaches SQL text before q_ddl_check() has accepted all of it.
** Every table gets `id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY` (so a
** column may not be called id), InnoDB, utf8mb4.  The generators are pure
** functions (tests/unit/test_ddl.c).
*/
#ifndef DIAODU_Q_DDL_H
#define DIAODU_Q_DDL_H
#include "db.h"

typedef enum {
  DDL_INT = 1, DDL_BIGINT, DDL_DECIMAL, DDL_VARCHAR, DDL_DATE, DDL_TIME, DDL_DATETIME, DDL_TEXT
} DDL_TYPE;

typedef struct {
  const char *name;
  DDL_TYPE type;
  int len;              /* VARCHAR(len) 1..4000; DECIMAL(len,scale) precision 1..38 */
  int scale;            /* DECIMAL: 0..len, at most 10 */
  int nullable;
} DDL_COL;

#define DDL_MAXKEY 8
typedef struct {
  const char *name;
  int unique;
  const char *cols[DDL_MAXKEY + 1];   /* NULL-terminated */
} DDL_INDEX;

typedef struct {
  const char *name;
  const DDL_COL *cols; int ncols;
  const DDL_INDEX *idx; int nidx;
} DDL_TABLE;

/* 1 if s matches [a-z][a-z0-9_]{0,63} */
int q_ident_ok(const char *s);
/* the whole definition: names, types, sizes, index columns (ERR_INPUT,
** key ddl_*, with the offending name in the message) */
NEOERR *q_ddl_check(const DDL_TABLE *t);
/* "VARCHAR(40)", "DECIMAL(12,2)" ... (the column must have been checked) */
const char *q_ddl_type(ARENA *a, const DDL_COL *c);

NEOERR *q_ddl_create(ARENA *a, const DDL_TABLE *t, const char **sql);
/* a column added to an existing table must allow NULL (old rows have no value) */
NEOERR *q_ddl_add_column(ARENA *a, const DDL_TABLE *t, const DDL_COL *c, const char **sql);
NEOERR *q_ddl_add_index(ARENA *a, const DDL_TABLE *t, const DDL_INDEX *x, const char **sql);

/* introspection of the current database */
NEOERR *q_ddl_table_exists(DB *db, const char *table, int *found);
typedef struct { const char *data_type; long long len, prec, scale; int nullable; } DDL_COLINFO;
NEOERR *q_ddl_column(DB *db, const char *table, const char *col, DDL_COLINFO *info, int *found);
NEOERR *q_ddl_index_exists(DB *db, const char *table, const char *index, int *found);

/* the journal: one row per change, planned -> applied | failed */
typedef struct {
  long long id;
  const char *kind;     /* create | add_column | add_index */
  const char *tbl, *obj;/* obj: the column or index ("" for create) */
  const char *stmt, *hash, *state, *error;
} DDL_CHANGE;
NEOERR *q_ddl_change_plan(DB *db, const char *kind, const char *tbl, const char *obj,
                          const char *stmt, const char *hash, long long *id);
NEOERR *q_ddl_change_done(DB *db, long long id, const char *state, const char *error);
/* planned changes, oldest first (at most max) */
NEOERR *q_ddl_changes_planned(DB *db, DDL_CHANGE *out, int max, int *n);
/* failed changes not followed by an applied change of the same target */
NEOERR *q_ddl_changes_failed(DB *db, DDL_CHANGE *out, int max, int *n);

#endif
