/*
** import.h -- bulk import of units, accounts and base data from the
** customer's own spreadsheets (CSV in UTF-8/GBK/GB18030, or XLSX).
**
** One engine for the browser, diaodu-ctl and the demo company:
**   import_run(apply = 0)  dry run: read, match columns by header name
**                          (Chinese or English, any order), check every row
**                          against the file and the database; nothing written
**   import_run(apply = 1)  the same checks again inside one transaction, then
**                          every change, the audit record (file SHA-256 and
**                          counts) and the batch status -- all or nothing
** Rows match existing records by code (update, never duplicate); an optional
** old-code column renames a record and records 新旧编码对照 in code_map.
** Row numbers are the spreadsheet's own; blank rows are ignored.
*/
#ifndef DIAODU_IMPORT_H
#define DIAODU_IMPORT_H
#include "db.h"
#include "auth.h"
#include "table.h"
#include "ctx.h"

#define IMPORT_MAX_ROWS 50000
#define IMPORT_MAX_ERRORS 500          /* kept for display; all are counted */

typedef struct {
  int rowno;
  const char *column;                  /* the column's label */
  const char *value;
  const char *key;                     /* Lang.imp.<key>, or a whole key with a dot (val.*) */
} IMP_ERR;

typedef struct {
  const char *login, *name, *unit_name, *code;
} IMP_CODE;

typedef struct {
  const char *kind, *kind_name;
  const char *encoding, *sha256;
  const char *file_key;                /* a problem with the whole file, or NULL */
  const char *file_detail;
  int rows, n_new, n_updated, n_same, n_errors;
  IMP_ERR *errors;
  int nerrors;                         /* kept (<= IMPORT_MAX_ERRORS) */
  IMP_CODE *codes;                     /* new accounts' activation codes (apply) */
  int ncodes;
} IMP_RESULT;

/* is kind one we import? sets its display name */
NEOERR *import_kind(DB *db, const char *kind, const char **name, int *ok);
/* who acts (caps, grants, audit source) comes with the context */
NEOERR *import_run(CTX *ctx, const char *kind, const char *data, size_t len, long long batch_id,
                   int apply, IMP_RESULT *res);
/* the downloadable template: header row plus example rows */
NEOERR *import_template(DB *db, ARENA *a, const char *kind, TABLE *t);

#endif
