/*
** zipmem.h -- a minimal zip writer in memory (stored members, no
** compression, correct CRC-32), for fuzz_xlsx_xml.c and the seed
** generator.  Stored members keep the XML visible to libFuzzer's
** mutations, and the CRC being right lets mutated XML reach the parsers.
*/
#ifndef DIAODU_FUZZ_ZIPMEM_H
#define DIAODU_FUZZ_ZIPMEM_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef struct {
  unsigned char *buf;
  size_t len, cap;
} ZBUF;

static void zb_put(ZBUF *z, const void *p, size_t n){
  if( z->len + n>z->cap ){
    size_t cap = z->cap ? z->cap : 4096;
    while( cap<z->len + n ) cap *= 2;
    unsigned char *b = realloc(z->buf, cap);
    if( b==NULL ) abort();
    z->buf = b;
    z->cap = cap;
  }
  if( n ) memcpy(z->buf + z->len, p, n);
  z->len += n;
}
static void zb_u16(ZBUF *z, unsigned v){ unsigned char b[2] = { v & 255, (v>>8) & 255 }; zb_put(z, b, 2); }
static void zb_u32(ZBUF *z, uint32_t v){
  unsigned char b[4] = { v & 255, (v>>8) & 255, (v>>16) & 255, (v>>24) & 255 };
  zb_put(z, b, 4);
}

typedef struct {
  const char *name; size_t namelen;
  const char *data; size_t len;
} ZMEMBER;

/* a zip of the members (names and data are taken as bytes); free(z->buf) */
static void zip_stored(ZBUF *z, const ZMEMBER *m, int n){
  uint32_t *off = calloc((size_t)n + 1, sizeof(*off));
  uint32_t *crc = calloc((size_t)n + 1, sizeof(*crc));
  if( off==NULL || crc==NULL ) abort();
  for(int i=0; i<n; i++){
    off[i] = (uint32_t)z->len;
    crc[i] = (uint32_t)crc32(0L, (const Bytef*)m[i].data, (uInt)m[i].len);
    zb_u32(z, 0x04034b50);
    zb_u16(z, 20); zb_u16(z, 0); zb_u16(z, 0);           /* version, flags, stored */
    zb_u16(z, 0); zb_u16(z, 0x21);                        /* time, date 1980-01-01 */
    zb_u32(z, crc[i]); zb_u32(z, (uint32_t)m[i].len); zb_u32(z, (uint32_t)m[i].len);
    zb_u16(z, (unsigned)m[i].namelen); zb_u16(z, 0);
    zb_put(z, m[i].name, m[i].namelen);
    zb_put(z, m[i].data, m[i].len);
  }
  uint32_t cd = (uint32_t)z->len;
  for(int i=0; i<n; i++){
    zb_u32(z, 0x02014b50);
    zb_u16(z, 20); zb_u16(z, 20); zb_u16(z, 0); zb_u16(z, 0);
    zb_u16(z, 0); zb_u16(z, 0x21);
    zb_u32(z, crc[i]); zb_u32(z, (uint32_t)m[i].len); zb_u32(z, (uint32_t)m[i].len);
    zb_u16(z, (unsigned)m[i].namelen); zb_u16(z, 0); zb_u16(z, 0);
    zb_u16(z, 0); zb_u16(z, 0); zb_u32(z, 0);
    zb_u32(z, off[i]);
    zb_put(z, m[i].name, m[i].namelen);
  }
  uint32_t cdlen = (uint32_t)z->len - cd;
  zb_u32(z, 0x06054b50);
  zb_u16(z, 0); zb_u16(z, 0);
  zb_u16(z, (unsigned)n); zb_u16(z, (unsigned)n);
  zb_u32(z, cdlen); zb_u32(z, cd);
  zb_u16(z, 0);
  free(off);
  free(crc);
}

#endif
