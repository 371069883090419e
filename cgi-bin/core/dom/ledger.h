/*
** ledger.h -- a department's Excel ledger (台账) into draft sheets.
**
** The rows of a spreadsheet (CSV saved by Excel in UTF-8 or GBK, or XLSX,
** read by the import engine: import_read) become the rows of one form's
** sheets for one unit: one draft per period.  The header row is found
** among the first five rows; each column is matched to a row field of the
** form by its label or code (a 日期 column gives each row its period; a
** file without one goes to the period chosen on the page), and every
** choice can be changed (choice[i]: a field code, "@date", "@shift", or "-"
** to ignore the column).  A dry run checks every cell exactly as a typed
** draft is checked (entry_check) and lists each problem with the
** spreadsheet's row number, the column and the value; applying runs the
** same checks again and saves every draft in one transaction -- all of
** them or none -- with one audit record for the file (its SHA-256) beside
** each sheet's own.  The drafts are then checked and submitted like typed
** ones.  A clerk imports for the unit the grant reaches with CAP_ENTRY, an
** administrator for any unit in scope (CAP_ADMIN).
*/
#ifndef DIAODU_LEDGER_H
#define DIAODU_LEDGER_H
#include "ctx.h"
#include "entry.h"

#define LEDGER_MAX_ERRORS 300

typedef struct {
  const char *header;              /* the column's title in the file */
  const char *field;               /* a field code, "@date", "@shift", or "" (ignored) */
  const char *label;               /* what it was matched to, for the page */
  int chosen;                      /* 1: by the person, 0: matched by name */
} LCOL;

typedef struct {
  char key[DAY_KEYSZ];
  const char *label;               /* left to the web layer (period names are language) */
  PERIOD period;
  int rows, first;                 /* data rows, the first one's spreadsheet row */
  long long id;                    /* the draft made (apply) */
} LSHEET;

typedef struct {
  int rowno;                       /* the spreadsheet's row number */
  const char *column, *value;
  const char *key, *arg;           /* a Lang key and its {arg}, or a rule's message */
  int literal;
} LERR;

typedef struct {
  const char *form_name;
  const char *encoding, *sha256;
  const char *file_key;            /* a problem with the whole file (imp.* / entry.*) */
  int header_row;
  LCOL *cols;
  int ncols;
  int rows;
  LSHEET *sheets;
  int nsheets;
  LERR *errors;
  int nerrors, n_errors;           /* kept, found */
  int applied;
} LEDGER;

/* period: the period key for rows without a date (NULL: every row needs
** one); choice: per column of the file, or NULL for the matches by name;
** batch_id: the upload kept in import_batch, marked applied in the same
** transaction (a second apply of one upload is ERR_CONFLICT) */
NEOERR *ledger_run(CTX *c, const char *form_code, long long unit_id, const char *period,
                   const char *data, size_t len, const char **choice, int nchoice, int apply,
                   long long batch_id, LEDGER *out);

#endif
