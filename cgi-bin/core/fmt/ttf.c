/*
** ttf.c -- see ttf.h.  Every offset is checked against what was read: a
** short or hostile file is NERR_PARSE, never a read out of bounds.
*/
#include "ttf.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  const unsigned char *p;
  size_t n;
} BUF;

static int u16(const BUF *b, size_t off, unsigned *v){
  if( off + 2>b->n || off + 2<off ) return -1;
  *v = ((unsigned)b->p[off] << 8) | b->p[off + 1];
  return 0;
}
static int u32(const BUF *b, size_t off, unsigned long *v){
  if( off + 4>b->n || off + 4<off ) return -1;
  *v = ((unsigned long)b->p[off] << 24) | ((unsigned long)b->p[off + 1] << 16)
     | ((unsigned long)b->p[off + 2] << 8) | b->p[off + 3];
  return 0;
}

static void mark(TTF_COVER *c, unsigned long cp){
  if( cp>=65536 ) return;
  unsigned char m = (unsigned char)(1u << (cp & 7));
  if( !(c->bits[cp >> 3] & m) ){ c->bits[cp >> 3] |= m; c->count++; }
}

#define BAD(why) return nerr_raise(NERR_PARSE, "font: %s", why)

static NEOERR *format4(const BUF *t, TTF_COVER *c){
  unsigned segx2, end, start, delta, ro, g;
  if( u16(t, 6, &segx2) || segx2 % 2 ) BAD("cmap format 4 header");
  size_t seg = segx2 / 2, ends = 14, starts = 16 + segx2, deltas = starts + segx2, ros = deltas + segx2;
  for(size_t i=0; i<seg; i++){
    if( u16(t, ends + 2*i, &end) || u16(t, starts + 2*i, &start) || u16(t, deltas + 2*i, &delta)
        || u16(t, ros + 2*i, &ro) ) BAD("cmap format 4 segment");
    if( start>end ) continue;
    for(unsigned long cp = start; cp<=end && cp<0xFFFF; cp++){
      if( ro==0 ) g = (unsigned)((cp + delta) & 0xFFFF);
      else{
        size_t at = ros + 2*i + ro + 2*(cp - start);
        if( u16(t, at, &g) ) BAD("cmap format 4 glyph index");
        if( g ) g = (g + delta) & 0xFFFF;
      }
      if( g ) mark(c, cp);
    }
  }
  return STATUS_OK;
}

static NEOERR *format12(const BUF *t, TTF_COVER *c){
  unsigned long n, s, e, g;
  if( u32(t, 12, &n) ) BAD("cmap format 12 header");
  if( n>(t->n - 16) / 12 ) BAD("cmap format 12 groups");
  for(unsigned long i=0; i<n; i++){
    if( u32(t, 16 + 12*i, &s) || u32(t, 20 + 12*i, &e) || u32(t, 24 + 12*i, &g) ) BAD("cmap format 12 group");
    if( s>e ) continue;
    for(unsigned long cp = s; cp<=e && cp<65536; cp++) if( g + (cp - s) ) mark(c, cp);
  }
  return STATUS_OK;
}

/* the cmap table (bytes) -> coverage */
static NEOERR *cmap(const BUF *t, TTF_COVER *c){
  unsigned n, plat, enc, fmt;
  unsigned long off, best = 0;
  int rank = 0;
  if( u16(t, 2, &n) ) BAD("cmap header");
  for(unsigned i=0; i<n; i++){
    if( u16(t, 4 + 8*i, &plat) || u16(t, 6 + 8*i, &enc) || u32(t, 8 + 8*i, &off) ) BAD("cmap record");
    if( off + 2>t->n || u16(t, off, &fmt) ) continue;
    int r = (plat==3 && enc==10 && fmt==12) ? 3 : (plat==3 && enc==1 && fmt==4) ? 2 : (plat==0 && fmt==4) ? 1 : 0;
    if( r>rank ){ rank = r; best = off; }
  }
  if( rank==0 ) BAD("no Unicode cmap");
  BUF sub = { t->p + best, t->n - best };
  return rank==3 ? nerr_pass(format12(&sub, c)) : nerr_pass(format4(&sub, c));
}

/* the table directory at `at` (the face's offset table) -> cmap's place */
static int find_cmap(const BUF *b, unsigned long at, unsigned long *off, unsigned long *len){
  unsigned n;
  if( u16(b, at + 4, &n) ) return -1;
  for(unsigned i=0; i<n; i++){
    size_t r = at + 12 + 16*(size_t)i;
    if( r + 16>b->n ) return -1;
    if( memcmp(b->p + r, "cmap", 4)==0 ){
      if( u32(b, r + 8, off) || u32(b, r + 12, len) ) return -1;
      return 0;
    }
  }
  return -1;
}

NEOERR *ttf_cover_mem(const unsigned char *data, size_t len, TTF_COVER *out){
  BUF b = { data, len };
  unsigned long face = 0, off, tlen;
  memset(out, 0, sizeof *out);
  if( len>=12 && memcmp(data, "ttcf", 4)==0 && u32(&b, 12, &face) ) BAD("collection header");
  if( find_cmap(&b, face, &off, &tlen) ) BAD("no cmap table");
  if( off>len || tlen>len - off ) BAD("cmap outside the file");
  BUF t = { data + off, tlen };
  return nerr_pass(cmap(&t, out));
}

/* read exactly n bytes at off; 0 on success */
static int rd(int fd, unsigned char *buf, size_t n, unsigned long off){
  size_t got = 0;
  while( got<n ){
    ssize_t k = pread(fd, buf + got, n - got, (off_t)(off + got));
    if( k<0 && errno==EINTR ) continue;
    if( k<=0 ) return -1;
    got += (size_t)k;
  }
  return 0;
}

NEOERR *ttf_cover_file(const char *path, TTF_COVER *out){
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if( fd<0 ) return nerr_raise_errno(NERR_IO, "font %s", path);
  NEOERR *err = STATUS_OK;
  unsigned char head[16], *dir = NULL, *tab = NULL;
  unsigned long face = 0, off = 0, tlen = 0;
  memset(out, 0, sizeof *out);
  do{
    if( rd(fd, head, 16, 0) ){ err = nerr_raise(NERR_PARSE, "font %s: too short", path); break; }
    BUF h = { head, 16 };
    if( memcmp(head, "ttcf", 4)==0 ) u32(&h, 12, &face);
    unsigned char oh[12];
    unsigned n;
    BUF o = { oh, 12 };
    if( rd(fd, oh, 12, face) || u16(&o, 4, &n) || n==0 || n>512 ){
      err = nerr_raise(NERR_PARSE, "font %s: no table directory", path);
      break;
    }
    size_t dl = 12 + 16*(size_t)n;
    dir = malloc(dl);
    if( dir==NULL || rd(fd, dir, dl, face) ){ err = nerr_raise(NERR_PARSE, "font %s: table directory", path); break; }
    BUF d = { dir, dl };
    if( find_cmap(&d, 0, &off, &tlen) || tlen==0 || tlen>(16UL << 20) ){
      err = nerr_raise(NERR_PARSE, "font %s: no cmap table", path);
      break;
    }
    tab = malloc(tlen);
    if( tab==NULL || rd(fd, tab, tlen, off) ){ err = nerr_raise(NERR_PARSE, "font %s: cmap", path); break; }
    BUF t = { tab, tlen };
    err = cmap(&t, out);
  }while(0);
  free(dir);
  free(tab);
  close(fd);
  return nerr_pass(err);
}
