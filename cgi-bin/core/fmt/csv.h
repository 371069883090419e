/*
** csv.h -- CSV as Excel reads and writes it, for imports and exports.
**
** Reading: csv_decode() turns a file's bytes into UTF-8: UTF-8 with or
** without a BOM is taken as is; anything else is tried as GB18030 (which
** covers GBK and GB2312, what Excel on Chinese Windows saves) through
** iconv; if neither decodes, ERR_INPUT "bad_encoding".  csv_parse() reads
** RFC 4180 (quoted cells, doubled quotes, embedded newlines, CRLF or LF,
** comma separator) into a TABLE whose rowno is the record's index counted
** from 1 -- the spreadsheet's own row number, blank records included.
**
** Writing: csv_cell() quotes when needed and guards against formula
** injection: a cell starting with = + - @ TAB or CR gets a leading
** apostrophe, unless it is a plain number such as -12.5.
*/
#ifndef DIAODU_CSV_H
#define DIAODU_CSV_H
#include <ClearSilver.h>
#include "arena.h"
#include "table.h"

NEOERR *csv_decode(ARENA *a, const char *data, size_t len,
                   char **utf8, size_t *utf8_len, const char **encoding);
#define CSV_MAX_COLS 256
#define CSV_MAX_CELLS 2000000
/* ERR_INPUT "csv_syntax" for an unterminated quote, "too_many_rows" past
** max_rows, "too_many_cols" past CSV_MAX_COLS cells in a row, "too_big"
** past CSV_MAX_CELLS cells.  Empty cells share one read-only "". */
NEOERR *csv_parse(ARENA *a, const char *text, size_t len, TABLE *out, int max_rows);
int csv_row_blank(const TROW *row);           /* every cell empty or white space */

void csv_bom(STRING *out);                     /* UTF-8 BOM, so Excel reads Chinese */
void csv_cell(STRING *out, const char *value, int first_in_row);
void csv_eol(STRING *out);                     /* "\r\n" */
/* a whole table (row 0 = header) with BOM */
NEOERR *csv_write(const TABLE *t, STRING *out);

#endif
