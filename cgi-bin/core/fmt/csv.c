/*
** csv.c -- see csv.h.  Owns the CSV dialect of imports and exports:
** decoding an uploaded file to UTF-8 (UTF-8 with or without BOM, else
** GB18030 through glibc's iconv), parsing RFC 4180 records into a TABLE
** with spreadsheet row numbers, and writing cells the way Excel reads them
** back (BOM, CRLF, quoting, formula-injection guard).
*/
#include "csv.h"
#include "err.h"
#include "str.h"
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#define BOM "\xEF\xBB\xBF"

/* Copy text[0..n) into the arena after the checks every decoded text gets:
** not empty, no NUL byte (a UTF-16 file decodes "fine" as GB18030 but is
** full of NULs). */
static NEOERR *decoded(ARENA *a, const char *text, size_t n,
                       char **utf8, size_t *utf8_len){
  if( n==0 ) return nerr_raise(ERR_INPUT, "empty_file");
  if( memchr(text, 0, n) ) return nerr_raise(ERR_INPUT, "bad_encoding");
  *utf8 = arena_strndup(a, text, n);
  *utf8_len = n;
  return STATUS_OK;
}

/* Convert GB18030 bytes to UTF-8 in the arena.  Every GB18030 sequence
** (1, 2 or 4 bytes) becomes at most 4 UTF-8 bytes and at most twice its
** own length, so one output buffer of 2n+4 bytes always suffices. */
static NEOERR *from_gb18030(ARENA *a, const char *data, size_t len,
                            char **utf8, size_t *utf8_len){
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if( cd==(iconv_t)-1 ) return nerr_raise_errno(NERR_SYSTEM, "iconv_open GB18030");
  size_t cap = 2*len + 4;
  char *buf = arena_alloc(a, cap + 1);
  char *in = (char*)data, *out = buf;
  size_t inleft = len, outleft = cap;
  size_t r = iconv(cd, &in, &inleft, &out, &outleft);
  int e = errno;
  if( r!=(size_t)-1 ) r = iconv(cd, NULL, NULL, &out, &outleft);   /* flush */
  iconv_close(cd);
  if( r==(size_t)-1 ){
    if( e==EILSEQ || e==EINVAL ) return nerr_raise(ERR_INPUT, "bad_encoding");
    return nerr_raise(NERR_SYSTEM, "iconv GB18030: errno %d", e);
  }
  size_t n = (size_t)(out - buf);
  const char *text = buf;
  /* GB18030's own BOM (84 31 95 33) decodes to U+FEFF */
  if( n>=3 && memcmp(text, BOM, 3)==0 ){ text += 3; n -= 3; }
  if( !utf8_valid(text, n) ) return nerr_raise(ERR_INPUT, "bad_encoding");
  return nerr_pass(decoded(a, text, n, utf8, utf8_len));
}

NEOERR *csv_decode(ARENA *a, const char *data, size_t len,
                   char **utf8, size_t *utf8_len, const char **encoding){
  *utf8 = NULL;
  *utf8_len = 0;
  if( encoding ) *encoding = NULL;
  if( len==0 ) return nerr_raise(ERR_INPUT, "empty_file");
  if( len>=3 && memcmp(data, BOM, 3)==0 ){
    /* a BOM says UTF-8; bytes after it that are not UTF-8 are an error */
    if( !utf8_valid(data + 3, len - 3) ) return nerr_raise(ERR_INPUT, "bad_encoding");
    if( encoding ) *encoding = "UTF-8";
    return nerr_pass(decoded(a, data + 3, len - 3, utf8, utf8_len));
  }
  if( utf8_valid(data, len) ){
    if( encoding ) *encoding = "UTF-8";
    return nerr_pass(decoded(a, data, len, utf8, utf8_len));
  }
  NEOERR *err = from_gb18030(a, data, len, utf8, utf8_len);
  if( err ) return nerr_pass(err);
  if( encoding ) *encoding = "GB18030";
  return STATUS_OK;
}

/* ------------------------------------------------------------ parsing */

/* the cells of the record being read (scratch, reused for every record) */
typedef struct {
  char **v;
  int n, cap;
} CELLS;

static void cells_push(CELLS *c, char *s){
  if( c->n==c->cap ){
    int cap = c->cap ? 2*c->cap : 32;
    char **v = realloc(c->v, (size_t)cap * sizeof(*v));
    if( v==NULL ) abort();
    c->v = v;
    c->cap = cap;
  }
  c->v[c->n++] = s;
}

/* Append the finished record in cells to out (rows grow by doubling in
** the arena; the waste is at most the final size). */
static NEOERR *emit_row(ARENA *a, TABLE *out, int *cap, CELLS *cells,
                        int rowno, int max_rows){
  if( out->nrow>=max_rows ) return nerr_raise(ERR_INPUT, "too_many_rows");
  if( out->nrow==*cap ){
    int ncap = *cap ? 2*(*cap) : 64;
    TROW *rows = arena_alloc(a, (size_t)ncap * sizeof(*rows));
    if( out->nrow ) memcpy(rows, out->rows, (size_t)out->nrow * sizeof(*rows));
    out->rows = rows;
    *cap = ncap;
  }
  TROW *r = &out->rows[out->nrow++];
  r->rowno = rowno;
  r->ncol = cells->n;
  r->cols = arena_alloc(a, (size_t)cells->n * sizeof(char*));
  memcpy(r->cols, cells->v, (size_t)cells->n * sizeof(char*));
  cells->n = 0;
  return STATUS_OK;
}

/* A record ends at LF, CRLF or a lone CR outside quotes, or at the end of
** the text; a line break as the very last bytes does not start another
** record.  A cell that begins with a quote runs to the matching quote
** ("" inside is one quote); characters between that quote and the next
** comma are kept, as Excel does.  A quote inside an unquoted cell is an
** ordinary character. */
NEOERR *csv_parse(ARENA *a, const char *text, size_t len, TABLE *out, int max_rows){
  static const char empty[1] = "";     /* shared by every empty cell: read-only */
  NEOERR *err = STATUS_OK;
  CELLS cells = {0};
  int cap = 0, rowno = 0;
  long total = 0;
  size_t i = 0;
  out->nrow = 0;
  out->rows = NULL;
  if( max_rows<0 ) max_rows = 0;

  while( i<len ){
    rowno++;
    /* one record */
    for(;;){
      char *cell, *o;
      size_t start = i;
      if( i<len && text[i]=='"' ){
        /* quoted: the result is never longer than the rest of the text */
        size_t j = i + 1, k = 0;
        int closed = 0;
        while( j<len ){
          if( text[j]=='"' ){
            if( j + 1<len && text[j+1]=='"' ){ j += 2; k++; continue; }
            closed = 1;
            break;
          }
          j++; k++;
        }
        if( !closed ){ err = nerr_raise(ERR_INPUT, "csv_syntax"); goto done; }
        size_t tail = j + 1;
        while( tail<len && text[tail]!=',' && text[tail]!='\n' && text[tail]!='\r' ) tail++;
        cell = o = arena_alloc(a, k + (tail - j - 1) + 1);
        for(size_t p=i+1; p<j; p++){
          *o++ = text[p];
          if( text[p]=='"' ) p++;
        }
        memcpy(o, text + j + 1, tail - j - 1);
        o += tail - j - 1;
        *o = 0;
        i = tail;
      }else{
        while( i<len && text[i]!=',' && text[i]!='\n' && text[i]!='\r' ) i++;
        cell = i==start ? (char*)empty : arena_strndup(a, text + start, i - start);
      }
      cells_push(&cells, cell);
      /* bounds: a small file of commas must not cost gigabytes */
      if( cells.n>CSV_MAX_COLS ){ err = nerr_raise(ERR_INPUT, "too_many_cols"); goto done; }
      if( ++total>CSV_MAX_CELLS ){ err = nerr_raise(ERR_INPUT, "too_big"); goto done; }
      if( i<len && text[i]==',' ){ i++; continue; }
      break;
    }
    /* end of record: "\r\n", "\n" or a lone "\r" */
    if( i<len && text[i]=='\r' ) i++;
    if( i<len && text[i]=='\n' ) i++;
    if( (err = emit_row(a, out, &cap, &cells, rowno, max_rows)) ) goto done;
  }
done:
  free(cells.v);
  return err;
}

/* white space for csv_row_blank: ASCII, NO-BREAK SPACE, IDEOGRAPHIC SPACE */
int csv_row_blank(const TROW *row){
  for(int c=0; c<row->ncol; c++){
    const unsigned char *s = (const unsigned char*)row->cols[c];
    if( s==NULL ) continue;
    while( *s ){
      if( *s==' ' || *s=='\t' || *s=='\r' || *s=='\n' || *s=='\v' || *s=='\f' ) s++;
      else if( s[0]==0xC2 && s[1]==0xA0 ) s += 2;
      else if( s[0]==0xE3 && s[1]==0x80 && s[2]==0x80 ) s += 3;
      else return 0;
    }
  }
  return 1;
}

/* ------------------------------------------------------------ writing */

static void put(STRING *out, const char *s, size_t n){
  NEOERR *err = string_appendn(out, s, (int)n);
  if( err ) nerr_ignore(&err);
}

void csv_bom(STRING *out){ put(out, BOM, 3); }

void csv_eol(STRING *out){ put(out, "\r\n", 2); }

/* a plain number in the guard's sense: -?[0-9]+(\.[0-9]+)? */
static int plain_number(const char *s){
  if( *s=='-' ) s++;
  if( !(*s>='0' && *s<='9') ) return 0;
  while( *s>='0' && *s<='9' ) s++;
  if( *s=='.' ){
    s++;
    if( !(*s>='0' && *s<='9') ) return 0;
    while( *s>='0' && *s<='9' ) s++;
  }
  return *s==0;
}

/* Write one cell, preceded by a comma unless first_in_row.  A value that
** a spreadsheet would run as a formula (starting with = + - @ TAB CR) gets
** a leading apostrophe unless it is a plain number; the cell is quoted
** when it holds a comma, quote, CR or LF, or starts or ends with a space
** or TAB (after the apostrophe is added). */
void csv_cell(STRING *out, const char *value, int first_in_row){
  const char *v = value ? value : "";
  size_t n = strlen(v);
  int guard = (v[0] && strchr("=+-@\t\r", v[0]) && !plain_number(v));
  int quote = strpbrk(v, ",\"\r\n")!=NULL;
  if( n && (v[n-1]==' ' || v[n-1]=='\t') ) quote = 1;
  if( !guard && n && (v[0]==' ' || v[0]=='\t') ) quote = 1;
  if( !first_in_row ) put(out, ",", 1);
  if( quote ) put(out, "\"", 1);
  if( guard ) put(out, "'", 1);
  if( quote ){
    const char *p = v, *q;
    while( (q = strchr(p, '"')) ){
      put(out, p, (size_t)(q - p) + 1);
      put(out, "\"", 1);
      p = q + 1;
    }
    put(out, p, strlen(p));
    put(out, "\"", 1);
  }else{
    put(out, v, n);
  }
}

NEOERR *csv_write(const TABLE *t, STRING *out){
  csv_bom(out);
  for(int r=0; r<t->nrow; r++){
    const TROW *row = &t->rows[r];
    for(int c=0; c<row->ncol; c++) csv_cell(out, row->cols[c], c==0);
    csv_eol(out);
  }
  if( out->buf==NULL ) return nerr_raise(NERR_NOMEM, "csv_write");
  return STATUS_OK;
}
