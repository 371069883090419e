/*
** dl.h -- downloads: a file with a Chinese name, a table as CSV (UTF-8 with
** BOM, formula-guarded by csv.c) or XLSX.  The plain filename= is ASCII
** ("diaodu.<ext>"), filename*= carries the real name.
*/
#ifndef DIAODU_DL_H
#define DIAODU_DL_H
#include "req.h"
#include "table.h"

NEOERR *dl_file(REQ *r, const char *filename, const char *ctype, const char *data, size_t len);
/* fmt "xlsx", anything else CSV; base_name without the extension */
NEOERR *dl_table(REQ *r, const TABLE *t, const char *base_name, const char *fmt);
/* a table of nrow data rows (plus the header) and ncol columns, cells "" */
TABLE *dl_table_new(ARENA *a, int nrow, int ncol, const char *const *header);

#endif
