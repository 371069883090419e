/*
** import.h -- bulk import of units, accounts and base data from the
** customer's own spreadsheets (CSV in UTF-8/GBK/GB18030, or XLSX).
**
** One engine for the browser, diaodu-ctl and the demo company:
**   import_run(apply = 0)  dry run: read, find the header row, map every
**                          column (imap.c: the customer's own titles, a
**                          remembered mapping, or the admin's choice), check
**                          every row against the file and the database;
**                          nothing written
**   import_run(apply = 1)  the same checks again inside one transaction, then
**                          every change, the audit record (file SHA-256 and
**                          counts) and the batch status -- all or nothing
** Rows match existing records by code (update, never duplicate; letter case
** does not make a new code); an optional old-code column renames a record
** and records 新旧编码对照 in code_map.  Units and parents may be given by a
** unique name.  The first units file of an empty install takes over the
** company root and 信息中心 that set-up created.  Row numbers are the
** spreadsheet's own; blank rows are ignored.
*/
#ifndef DIAODU_IMPORT_H
#define DIAODU_IMPORT_H
#include "db.h"
#include "auth.h"
#include "table.h"
#include "ctx.h"

#define IMPORT_MAX_ROWS 50000
#define IMPORT_MAX_ERRORS 500          /* kept for display; all are counted */
#define IMPORT_MAX_PREVIEW 1000        /* new and updated records listed */

typedef struct {
  int rowno;
  const char *column;                  /* the column's label */
  const char *value;
  const char *key;                     /* Lang.imp.<key>, or a whole key with a dot (val.*) */
} IMP_ERR;

typedef struct {
  const char *login, *name, *unit_name, *code;
} IMP_CODE;

/* a column of the file and what it was mapped to */
enum { ICS_AUTO = 1, ICS_SAVED, ICS_NEW, ICS_IGNORED, ICS_UNKNOWN, ICS_DUP, ICS_LEGACY };
typedef struct {
  int col;                             /* 0-based column of the file */
  const char *header, *sample;         /* its title, a value from the first data rows */
  const char *key, *label;             /* the field ("" none, "+" new, "-" ignored) */
  int state;                           /* ICS_* */
  int dup_col;                         /* ICS_DUP: the column that has the field */
} IMP_COL;

/* a word of the roles column that is not a built-in role name */
typedef struct {
  const char *word;
  int rows;
  const char *role;                    /* the remembered role code, "auditor+pending", "-", or "" */
  int builtin;                         /* 审计员 itself: only the pending choice is offered */
} IMP_WORD;

typedef struct { const char *label, *old, *now; } IMP_CHG;

/* a new or updated record, as it will be (parent, unit, roles, scope ...) */
typedef struct {
  int rowno;
  int is_new;
  int depth;                           /* units: depth in the tree after the import */
  const char *key, *name;
  IMP_CHG *chg;
  int nchg;
  const char *order;                   /* units: where it sits in the tree (sorting) */
} IMP_ROW;

/* a unit set-up created, taken over by the file's (first import of units) */
typedef struct {
  const char *what;                    /* "root" | "info" */
  const char *old_code, *old_name, *new_code, *new_name;
} IMP_ADOPT;

typedef struct {
  const char *kind, *kind_name;
  const char *encoding, *sha256;
  const char *file_key;                /* a problem with the whole file, or NULL */
  const char *file_detail;
  int checked;                         /* the rows were checked (counts are meaningful) */
  int rows, n_new, n_updated, n_same, n_errors, n_error_rows;
  IMP_ERR *errors;
  int nerrors;                         /* kept (<= IMPORT_MAX_ERRORS) */
  IMP_ERR *warnings;                   /* values not stored (scientific notation ...) */
  int nwarnings;
  IMP_CODE *codes;                     /* new accounts' activation codes (apply) */
  int ncodes;
  /* the columns */
  int header_row;                      /* spreadsheet row of the header, 0 if none */
  const char *header_key, *header;     /* the header row's key and text (for remembering) */
  IMP_COL *cols;
  int ncols;
  int need_map;                        /* a column still needs the admin's choice */
  const char **field_keys, **field_labels;   /* what a column can be mapped to */
  int nfields;
  int is_base;                         /* "+" (a new field) may be chosen */
  IMP_WORD *words;
  int nwords;
  const char *options;                 /* the mapping this run used: keep it with the batch */
  /* the preview */
  IMP_ROW *preview;
  int npreview, preview_more;
  IMP_ADOPT adopt[2];
  int nadopt;
  const char **pending_login, **pending_name;   /* accounts with a pending auditor grant */
  int npending;
} IMP_RESULT;

/* is kind one we import? sets its display name */
NEOERR *import_kind(DB *db, const char *kind, const char **name, int *ok);
/* who acts (caps, grants, audit source) comes with the context; the
** columns are mapped as remembered for the file's header row */
NEOERR *import_run(CTX *ctx, const char *kind, const char *data, size_t len, long long batch_id,
                   int apply, IMP_RESULT *res);
/* the same with the mapping of an earlier dry run (a batch's options), or
** NULL for the remembered one */
NEOERR *import_run_with(CTX *ctx, const char *kind, const char *data, size_t len, long long batch_id,
                        int apply, const char *options, IMP_RESULT *res);/* remember the admin's choices for a file's header row: columns[i] is the
** choice for file column i ("" none), words[i] -> roles[i]; one
** transaction with its audit record */
NEOERR *import_remember(CTX *ctx, const char *kind, const char *header_key, const char *header, const char *mapping,
                        int nwords, const char **words, const char **roles);
/* the engine's reading of a file, for other importers (dom/ledger.c, a
** department's ledger into draft sheets): SHA-256, encoding (UTF-8 with or
** without BOM, GB18030, XLSX) and the table; a problem with the file as a
** whole in *file_key (imp.*) */
NEOERR *import_read(ARENA *a, const char *data, size_t len, TABLE *t, const char **encoding,
                    const char **sha256, const char **file_key);
/* the downloadable template: header row plus example rows */
NEOERR *import_template(DB *db, ARENA *a, const char *kind, TABLE *t);

#endif
