/*
** xlsx_check.h -- the invariants of a TABLE from xlsx_read(), shared by
** fuzz_xlsx.c and fuzz_xlsx_xml.c.
**
** At most max_rows rows; row numbers 1..1048576; no row without a value;
** every cell non-NULL and valid UTF-8 (what the import engine and
** the database expect); a row's last cell is not empty (ncol ends at the
** last value).
*/
#ifndef DIAODU_FUZZ_XLSX_CHECK_H
#define DIAODU_FUZZ_XLSX_CHECK_H
#include "fuzz.h"
#include "str.h"
#include "xlsx.h"

#define XLSX_FUZZ_ROWS 1000

static void xlsx_check(const char *zip, size_t len){
  TABLE t;
  NEOERR *err = xlsx_read(A, zip, len, &t, XLSX_FUZZ_ROWS);
  if( err ){
    expect_input_error(err, "xlsx_read");
    return;
  }
  CHECK(t.nrow>=0 && t.nrow<=XLSX_FUZZ_ROWS);
  for(int r=0; r<t.nrow; r++){
    const TROW *row = &t.rows[r];
    CHECK(row->rowno>=1 && row->rowno<=1048576);
    CHECK(row->ncol>=1 && row->ncol<=16384);
    for(int c=0; c<row->ncol; c++){
      const char *v = row->cols[c];
      CHECK(v!=NULL);
      if( !utf8_valid(v, strlen(v)) ){
        fprintf(stderr, "row %d (rowno %d) cell %d\n", r, row->rowno, c);
        dump("cell", v, strlen(v));
        CHECK(!"a cell is not valid UTF-8");
      }
    }
    CHECK(row->cols[row->ncol-1][0]!=0);
  }
}

#endif
