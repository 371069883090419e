/*
** xlsx.h -- XLSX export (libxlsxwriter) and import of the first sheet.
**
** xlsx_write(): one worksheet, row 0 bold as header, all cells as text
** (codes keep their leading zeros; xlsx_write_opt() writes a report's
** numbers as numbers), column widths fitted to the content
** (CJK characters count double), the header row frozen.  The workbook is
** built in a temporary file and returned in out.
** xlsx_read(): the first worksheet of an .xlsx file (bytes in memory) as a
** TABLE with the spreadsheet's row numbers (shared strings, inline strings
** and numbers as text); ERR_INPUT "bad_xlsx" when it is not a readable
** workbook.
** Also (xlsx.c): numbers in a date or time format come out as "YYYY-MM-DD",
** "YYYY-MM-DD HH:MM[:SS]" or "HH:MM[:SS]"; rows without any value are left
** out; a row's ncol ends at its last value; cells may share storage (treat
** them as read-only); more than max_rows rows is "too_many_rows", an XML
** part over 64 MB unpacked (a zip bomb) "too_big".
*/
#ifndef DIAODU_XLSX_H
#define DIAODU_XLSX_H
#include <ClearSilver.h>
#include "arena.h"
#include "table.h"

NEOERR *xlsx_write(const TABLE *t, const char *sheet_name, STRING *out);
/* the same for a report: rows before header_row are title lines (text),
** header_row is bold and frozen, and cells of a column with scale[c] >= 0
** that are plain decimals ("-1234.50") are written as numbers with that
** many decimals shown ("0.00"); bold_last: the last row (totals) bold */
typedef struct {
  int header_row;
  const int *scale;              /* ncol entries, -1: text; NULL: all text */
  int ncol;
  int bold_last;
} XLSX_OPT;
NEOERR *xlsx_write_opt(const TABLE *t, const char *sheet_name, const XLSX_OPT *o, STRING *out);
NEOERR *xlsx_read(ARENA *a, const char *data, size_t len, TABLE *out, int max_rows);
/* 1 if the bytes look like a zip archive (an .xlsx) */
int xlsx_sniff(const char *data, size_t len);

#endif
