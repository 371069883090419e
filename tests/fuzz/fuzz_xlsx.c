/*
** fuzz_xlsx.c -- xlsx_read() (max_rows 1000) on the raw bytes of a file,
** as an upload arrives: zip structure, minizip, expat and the sheet logic.
**
** Invariants (xlsx_check.h): errors are 4xx; at most 1000 rows, row
** numbers in range, every cell valid UTF-8, no row ending in an empty cell.
**
** Mutated deflate data rarely inflates to XML, and a member whose CRC no
** longer matches ends the read, so the corpus holds stored (uncompressed)
** workbooks too; fuzz_xlsx_xml.c reaches the XML handlers more directly.
*/
#include "xlsx_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size){
  char *buf = exact(data, size);
  xlsx_check(buf, size);
  free(buf);
  arena_reset(A);
  return 0;
}
