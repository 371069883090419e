/*
** fdiff.c -- see fdiff.h.
*/
#include "fdiff.h"
#include <string.h>

int fdiff_cell(const char *x, const char *y){
  return strcmp(x ? x : "", y ? y : "")!=0;
}

static int row_eq(const char *const *x, const char *const *y, int ncols){
  for(int i=0; i<ncols; i++) if( fdiff_cell(x[i], y[i]) ) return 0;
  return 1;
}

/* the rows of one gap: old [ia, ja), new [ib, jb) */
static void gap(FDROW *out, int *n, int ia, int ja, int ib, int jb){
  while( ia<ja && ib<jb ) out[(*n)++] = (FDROW){ FD_CHANGED, ia++, ib++ };
  while( ia<ja ) out[(*n)++] = (FDROW){ FD_REMOVED, ia++, -1 };
  while( ib<jb ) out[(*n)++] = (FDROW){ FD_ADDED, -1, ib++ };
}

int fdiff_rows(ARENA *ar, const char *const *const *a, int na, const char *const *const *b, int nb,
               int ncols, FDROW **out){
  FDROW *v = arena_alloc(ar, sizeof(FDROW) * (size_t)(na + nb + 1));
  int n = 0;
  *out = v;
  if( na<0 ) na = 0;
  if( nb<0 ) nb = 0;
  if( (long long)na * nb > FDIFF_MAXCELLS ){
    /* too big to match: by position, each pair same or changed */
    int i = 0;
    for(; i<na && i<nb; i++) v[n++] = (FDROW){ row_eq(a[i], b[i], ncols) ? FD_SAME : FD_CHANGED, i, i };
    gap(v, &n, i, na, i, nb);
    return n;
  }
  /* L[i][j]: the longest common subsequence of a[i..] and b[j..] */
  int w = nb + 1;
  int *L = arena_alloc(ar, sizeof(int) * (size_t)(na + 1) * (size_t)w);
  for(int j=0; j<=nb; j++) L[na * w + j] = 0;
  for(int i=na - 1; i>=0; i--){
    L[i * w + nb] = 0;
    for(int j=nb - 1; j>=0; j--){
      if( row_eq(a[i], b[j], ncols) ) L[i * w + j] = L[(i + 1) * w + j + 1] + 1;
      else L[i * w + j] = L[(i + 1) * w + j]>=L[i * w + j + 1] ? L[(i + 1) * w + j] : L[i * w + j + 1];
    }
  }
  int i = 0, j = 0, gi = 0, gj = 0;
  while( i<na && j<nb ){
    if( row_eq(a[i], b[j], ncols) && L[i * w + j]==L[(i + 1) * w + j + 1] + 1 ){
      gap(v, &n, gi, i, gj, j);
      v[n++] = (FDROW){ FD_SAME, i, j };
      gi = ++i;
      gj = ++j;
    }else if( L[(i + 1) * w + j]>=L[i * w + j + 1] ) i++;
    else j++;
  }
  gap(v, &n, gi, na, gj, nb);
  return n;
}
