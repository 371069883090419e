/*
** fuzz_xlsx_xml.c -- xlsx_read() (max_rows 1000) on a workbook built
** from the input: structure-aware, so that mutations land in the XML that
** expat and xlsx.c's handlers read rather than in zip headers and CRCs.
**
** Input: members separated by the byte 0x01; each member is
** "name\ncontent" (the name up to the first \n).  The harness writes them
** into a valid zip (stored, correct CRC-32, tests/fuzz/zipmem.h) and calls
** xlsx_read() on it.  Same invariants as fuzz_xlsx (xlsx_check.h).
*/
#include "xlsx_check.h"
#include "zipmem.h"

#define MAX_MEMBERS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size){
  ZMEMBER m[MAX_MEMBERS];
  int n = 0;
  const char *p = (const char*)data, *end = p + size;
  while( p<end && n<MAX_MEMBERS ){
    const char *e = memchr(p, 0x01, (size_t)(end - p));
    if( e==NULL ) e = end;
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    if( nl && nl>p ){
      m[n].name = p;
      m[n].namelen = (size_t)(nl - p);
      m[n].data = nl + 1;
      m[n].len = (size_t)(e - nl - 1);
      n++;
    }
    p = e + 1;
  }
  ZBUF z = {0};
  zip_stored(&z, m, n);
  char *zip = exact(z.buf, z.len);       /* exactly sized, for ASan */
  free(z.buf);
  xlsx_check(zip, z.len);
  free(zip);
  arena_reset(A);
  return 0;
}
