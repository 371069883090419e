/*
** fuzz_csv.c -- csv_decode() then csv_parse() (at most 10000 rows), then
** csv_write() of the parsed table, decoded and parsed again.
**
** Invariants: errors are 4xx; the decoded text is valid UTF-8 without NUL
** and the reported encoding is UTF-8 or GB18030; rows are numbered 1, 2,
** 3 ...; every cell is non-NULL valid UTF-8; csv_row_blank() agrees with a
** reference.  Round trip: the written file decodes as UTF-8 and parses to
** the same number of rows, the same row numbers and cells, except that a
** cell starting with = + - @ TAB or CR that is not a plain number
** (-?[0-9]+(\.[0-9]+)?) has exactly one apostrophe in front -- and no other
** cell changes at all.
*/
#include "fuzz.h"
#include "csv.h"
#include "str.h"

#define MAX_ROWS 10000

/* the formula guard as csv.h specifies it */
static int guarded(const char *v){
  if( v[0]!='=' && v[0]!='+' && v[0]!='-' && v[0]!='@' && v[0]!='\t' && v[0]!='\r' ) return 0;
  const char *p = v;
  if( *p=='-' ) p++;
  size_t d = 0;
  while( p[d]>='0' && p[d]<='9' ) d++;
  if( d==0 ) return 1;
  p += d;
  if( *p=='.' ){
    p++;
    d = 0;
    while( p[d]>='0' && p[d]<='9' ) d++;
    if( d==0 ) return 1;
    p += d;
  }
  return *p!=0;
}

static int ref_blank(const TROW *row){
  for(int c=0; c<row->ncol; c++){
    const char *s = row->cols[c];
    while( *s ){
      if( strchr(" \t\r\n\v\f", *s) ) s++;
      else if( strncmp(s, "\xC2\xA0", 2)==0 ) s += 2;
      else if( strncmp(s, "\xE3\x80\x80", 3)==0 ) s += 3;
      else return 0;
    }
  }
  return 1;
}

static void check_table(const TABLE *t){
  CHECK(t->nrow>=0 && t->nrow<=MAX_ROWS);
  for(int r=0; r<t->nrow; r++){
    const TROW *row = &t->rows[r];
    CHECK(row->rowno==r + 1);
    CHECK(row->ncol>=1);
    for(int c=0; c<row->ncol; c++){
      CHECK(row->cols[c]!=NULL);
      CHECK(utf8_valid(row->cols[c], strlen(row->cols[c])));
    }
    CHECK(csv_row_blank(row)==ref_blank(row));
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size){
  char *buf = exact(data, size);
  char *text = NULL;
  size_t len = 0;
  const char *enc = NULL;
  TABLE t, back;
  NEOERR *err = csv_decode(A, buf, size, &text, &len, &enc);
  if( err ){ expect_input_error(err, "csv_decode"); goto out; }
  CHECK(text!=NULL && enc!=NULL);
  CHECK(strcmp(enc, "UTF-8")==0 || strcmp(enc, "GB18030")==0);
  CHECK(len>0 && strlen(text)==len);
  CHECK(utf8_valid(text, len));

  err = csv_parse(A, text, len, &t, MAX_ROWS);
  if( err ){ expect_input_error(err, "csv_parse"); goto out; }
  check_table(&t);

  /* the round trip */
  STRING w;
  string_init(&w);
  err = csv_write(&t, &w);
  CHECK(err==STATUS_OK);
  CHECK(w.len>=3 && memcmp(w.buf, "\xEF\xBB\xBF", 3)==0);
  char *text2 = NULL;
  size_t len2 = 0;
  const char *enc2 = NULL;
  err = csv_decode(A, w.buf, (size_t)w.len, &text2, &len2, &enc2);
  if( err ){
    dump("written", w.buf, (size_t)w.len);
    expect_input_error(err, "csv_decode of csv_write");
    CHECK(!"the written CSV does not decode");
  }
  CHECK(strcmp(enc2, "UTF-8")==0);
  err = csv_parse(A, text2, len2, &back, MAX_ROWS);
  if( err ){
    dump("written", w.buf, (size_t)w.len);
    expect_input_error(err, "csv_parse of csv_write");
    CHECK(!"the written CSV does not parse");
  }
  check_table(&back);
  if( back.nrow!=t.nrow ){
    dump("decoded", text, len);
    dump("written", w.buf, (size_t)w.len);
    fprintf(stderr, "rows: %d, read back: %d\n", t.nrow, back.nrow);
    CHECK(back.nrow==t.nrow);
  }
  for(int r=0; r<t.nrow; r++){
    const TROW *a = &t.rows[r], *b = &back.rows[r];
    CHECK(a->rowno==b->rowno);
    if( a->ncol!=b->ncol ){
      dump("decoded", text, len);
      dump("written", w.buf, (size_t)w.len);
      fprintf(stderr, "row %d: %d cells, read back: %d\n", a->rowno, a->ncol, b->ncol);
      CHECK(a->ncol==b->ncol);
    }
    for(int c=0; c<a->ncol; c++){
      const char *v = a->cols[c], *got = b->cols[c];
      int g = guarded(v);
      int same = g ? (got[0]=='\'' && strcmp(got + 1, v)==0) : strcmp(got, v)==0;
      if( !same ){
        dump("decoded", text, len);
        dump("written", w.buf, (size_t)w.len);
        fprintf(stderr, "row %d cell %d (guard expected: %d)\n", a->rowno, c, g);
        dump("cell", v, strlen(v));
        dump("read back", got, strlen(got));
        CHECK(!"round trip changed a cell");
      }
    }
  }
  string_clear(&w);

out:
  free(buf);
  arena_reset(A);
  return 0;
}
