/*
** table.h -- a plain table of UTF-8 text cells: what imports read and what
** exports (CSV, XLSX, PDF) write.  Row 0 is the header row when a writer
** needs one.  Cells live in an arena.
*/
#ifndef DIAODU_TABLE_H
#define DIAODU_TABLE_H
#include "arena.h"

typedef struct {
  int rowno;            /* the spreadsheet's own row number (1 = first row) */
  int ncol;
  char **cols;          /* ncol cells, never NULL (missing cells are "") */
} TROW;

typedef struct {
  int nrow;
  TROW *rows;
} TABLE;

#endif
