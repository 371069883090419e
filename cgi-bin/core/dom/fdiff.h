/*
** fdiff.h -- what changed between two revisions of a sheet's rows (pure:
** text cells in, a pairing of rows out; no database).
**
** Rows are matched the way a line diff matches lines: the longest common
** subsequence of rows equal in every cell stays "same"; between two such
** anchors, old and new rows are paired in order as "changed" (the approver
** sees which cells differ), and what is left over on one side is "removed"
** or "added".  So a row inserted in the middle shows as one added row, not
** as every row below it changed.  Beyond FDIFF_MAXCELLS compared pairs the
** subsequence is skipped and rows are paired by position.
*/
#ifndef DIAODU_FDIFF_H
#define DIAODU_FDIFF_H
#include "arena.h"

#define FDIFF_MAXCELLS 1000000        /* na * nb above this: rows paired by position */

typedef enum { FD_SAME = 0, FD_CHANGED, FD_ADDED, FD_REMOVED } FDKIND;

typedef struct {
  FDKIND kind;
  int a, b;                          /* old and new row index, -1 when absent */
} FDROW;

/* a[na][ncols] old rows, b[nb][ncols] new rows (NULL cells are ""); the
** pairs in order of the new sheet (removed rows where they stood); returns
** the number of pairs in *out */
int fdiff_rows(ARENA *ar, const char *const *const *a, int na, const char *const *const *b, int nb,
               int ncols, FDROW **out);
/* 1 when two cells differ (NULL and "" are the same) */
int fdiff_cell(const char *x, const char *y);

#endif
