/*
** xlsx.c -- see xlsx.h.  Owns the XLSX format on both sides:
**
** Writing goes through libxlsxwriter into a mkstemp file under $TMPDIR (or
** /tmp), which is read back into the caller's STRING and always unlinked.
**
** Reading opens the zip straight from memory (minizip with memory file
** functions, so no temporary file) and streams each XML part through
** expat: xl/workbook.xml and its relationships name the first sheet,
** xl/sharedStrings.xml gives the shared strings, xl/styles.xml tells which
** cells carry a date format, and the sheet itself becomes the TABLE.  Every
** part is limited to XLSX_MAX_PART decompressed bytes (a zip bomb is
** ERR_INPUT "too_big"); anything unreadable is ERR_INPUT "bad_xlsx".
*/
#include "xlsx.h"
#include "err.h"
#include "str.h"
#include <errno.h>
#include <expat.h>
#include <math.h>
#include <minizip/unzip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define XLSX_MAX_PART  (64u*1024*1024)   /* decompressed bytes of one XML part */
#define XLSX_MAX_CELLS (4*1024*1024)     /* cell slots of the whole TABLE */
#define XLSX_MAX_ROW   1048576
#define XLSX_MAX_COL   16384
#define XLSX_MAX_STR   32767             /* characters in one cell (Excel) */

int xlsx_sniff(const char *data, size_t len){
  return data && len>=4 && memcmp(data, "PK\x03\x04", 4)==0;
}

/* ============================================================ writing */

/* display width of UTF-8 text: East Asian wide and full-width count 2 */
static int display_width(const char *s){
  const unsigned char *p = (const unsigned char*)s;
  int w = 0;
  while( *p ){
    unsigned cp;
    int k;
    if( *p<0x80 ){ cp = *p; k = 1; }
    else if( (*p & 0xE0)==0xC0 ){ cp = *p & 0x1F; k = 2; }
    else if( (*p & 0xF0)==0xE0 ){ cp = *p & 0x0F; k = 3; }
    else { cp = *p & 0x07; k = 4; }
    for(int j=1; j<k; j++){
      if( (p[j] & 0xC0)!=0x80 ){ k = j; break; }
      cp = (cp<<6) | (p[j] & 0x3F);
    }
    p += k;
    if( (cp>=0x1100 && cp<=0x115F) || (cp>=0x2E80 && cp<=0xA4CF) || (cp>=0xAC00 && cp<=0xD7A3)
     || (cp>=0xF900 && cp<=0xFAFF) || (cp>=0xFE30 && cp<=0xFE4F) || (cp>=0xFF00 && cp<=0xFF60)
     || (cp>=0xFFE0 && cp<=0xFFE6) || (cp>=0x20000 && cp<=0x3FFFD) ) w += 2;
    else if( cp>=0x20 ) w += 1;
  }
  return w;
}

/* byte length of the first max code points of s */
static size_t utf8_prefix(const char *s, size_t max){
  size_t i = 0, chars = 0;
  for(; s[i]; i++){
    if( ((unsigned char)s[i] & 0xC0)!=0x80 ){
      if( chars==max ) break;
      chars++;
    }
  }
  return i;
}

/* A valid sheet name: at most 31 characters, none of []:*?/\ and no
** apostrophe at either end; "Sheet1" when nothing is left. */
static void sheet_name_fix(char *out, size_t outsz, const char *name){
  size_t n = name ? utf8_prefix(name, 31) : 0;
  if( n>=outsz ) n = outsz - 1;
  size_t o = 0;
  for(size_t i=0; i<n; i++){
    char c = name[i];
    out[o++] = strchr("[]:*?/\\", c) ? '_' : c;
  }
  out[o] = 0;
  while( o && out[o-1]=='\'' ) out[--o] = 0;
  size_t skip = 0;
  while( out[skip]=='\'' ) skip++;
  memmove(out, out + skip, o - skip + 1);
  if( out[0]==0 ) snprintf(out, outsz, "Sheet1");
}

static NEOERR *slurp(const char *path, STRING *out){
  FILE *f = fopen(path, "rb");
  if( f==NULL ) return nerr_raise_errno(NERR_IO, "xlsx: open %s", path);
  char buf[16384];
  size_t n;
  NEOERR *err = STATUS_OK;
  while( (n = fread(buf, 1, sizeof buf, f))>0 ){
    if( (err = string_appendn(out, buf, (int)n)) ) break;
  }
  if( err==STATUS_OK && ferror(f) ) err = nerr_raise_errno(NERR_IO, "xlsx: read %s", path);
  fclose(f);
  return nerr_pass(err);
}

/* Write every cell as a string (row 0 bold), fit the column widths, freeze
** row 1.  The workbook is closed (and so freed) on every path, and the
** temporary file is always removed. */
/* Text that looks like Excel's own escape _xHHHH_ must be written as
** _x005F_xHHHH_, or a reader (Excel, and xlsx_read here) turns it into the
** character; libxlsxwriter does not do this.  Returns v itself when there
** is nothing to escape, else a malloc'ed copy (NULL when out of memory). */
static int is_xesc(const char *p){
  if( p[0]!='_' || p[1]!='x' ) return 0;
  for(int i=2; i<6; i++) if( !isxdigit((unsigned char)p[i]) ) return 0;
  return p[6]=='_';
}

static char *escape_x(const char *v){
  size_t n = 0;
  for(const char *p=v; *p; p++) if( is_xesc(p) ) n++;
  if( n==0 ) return (char*)v;
  char *out = malloc(strlen(v) + 6*n + 1), *o = out;
  if( out==NULL ) return NULL;
  for(const char *p=v; *p; p++){
    if( is_xesc(p) ){ memcpy(o, "_x005F", 6); o += 6; }
    *o++ = *p;
  }
  *o = 0;
  return out;
}

NEOERR *xlsx_write(const TABLE *t, const char *sheet_name, STRING *out){
  return nerr_pass(xlsx_write_opt(t, sheet_name, NULL, out));
}

/* a plain decimal as reports write them: -?digits(.digits)? */
static int plain_number(const char *v){
  const char *p = v;
  if( *p=='-' ) p++;
  if( !(*p>='0' && *p<='9') ) return 0;
  while( *p>='0' && *p<='9' ) p++;
  if( *p=='.' ){
    p++;
    if( !(*p>='0' && *p<='9') ) return 0;
    while( *p>='0' && *p<='9' ) p++;
  }
  return *p==0 && p - v<=17;
}

NEOERR *xlsx_write_opt(const TABLE *t, const char *sheet_name, const XLSX_OPT *o, STRING *out){
  NEOERR *err = STATUS_OK;
  int hr = o ? o->header_row : 0;
  int ncol = 0;
  for(int r=0; r<t->nrow; r++) if( t->rows[r].ncol>ncol ) ncol = t->rows[r].ncol;
  if( t->nrow>XLSX_MAX_ROW || ncol>XLSX_MAX_COL ) return nerr_raise(ERR_INPUT, "too_big");

  const char *tmp = getenv("TMPDIR");
  if( tmp==NULL || tmp[0]==0 ) tmp = "/tmp";
  char path[4096];
  if( snprintf(path, sizeof path, "%s/diaodu-xlsx-XXXXXX", tmp)>=(int)sizeof path )
    return nerr_raise(NERR_SYSTEM, "xlsx: TMPDIR too long");
  int fd = mkstemp(path);
  if( fd<0 ) return nerr_raise_errno(NERR_IO, "xlsx: mkstemp %s", path);
  close(fd);

  lxw_workbook_options opt = { .constant_memory = 0, .tmpdir = (char*)tmp, .use_zip64 = 0 };
  lxw_workbook *wb = workbook_new_opt(path, &opt);
  if( wb==NULL ){
    unlink(path);
    return nerr_raise(NERR_SYSTEM, "xlsx: workbook_new failed");
  }
  char name[LXW_MAX_SHEETNAME_LENGTH];
  sheet_name_fix(name, sizeof name, sheet_name);
  lxw_worksheet *ws = workbook_add_worksheet(wb, name);
  if( ws==NULL ) ws = workbook_add_worksheet(wb, NULL);
  lxw_format *bold = workbook_add_format(wb);
  format_set_bold(bold);
  /* numbers with their scale: "0", "0.0" ... "0.000000", plain and bold */
  lxw_format *numf[7], *numb[7];
  for(int k=0; k<7; k++){
    char f[12] = "0.";
    memset(f + 2, '0', (size_t)k);
    f[k ? 2 + k : 1] = 0;
    numf[k] = workbook_add_format(wb);
    numb[k] = workbook_add_format(wb);
    if( numf[k] ) format_set_num_format(numf[k], f);
    if( numb[k] ){ format_set_num_format(numb[k], f); format_set_bold(numb[k]); }
  }
  int *width = calloc((size_t)ncol + 1, sizeof(int));
  if( ws==NULL || bold==NULL || width==NULL ){
    err = nerr_raise(NERR_SYSTEM, "xlsx: cannot add worksheet");
    goto close;
  }

  for(int r=0; r<t->nrow && err==STATUS_OK; r++){
    const TROW *row = &t->rows[r];
    for(int c=0; c<row->ncol; c++){
      const char *v = row->cols[c];
      if( v==NULL || v[0]==0 ) continue;
      char *cut = NULL;
      size_t n = utf8_prefix(v, XLSX_MAX_STR);
      if( v[n] ){
        cut = malloc(n + 1);
        if( cut==NULL ){ err = nerr_raise(NERR_NOMEM, "xlsx: cut"); break; }
        memcpy(cut, v, n);
        cut[n] = 0;
        v = cut;
      }
      int w = display_width(v);
      if( w>width[c] && r>=hr ) width[c] = w;
      int strong = r==hr || (o && o->bold_last && r==t->nrow - 1);
      int sc = o && o->scale && c<o->ncol ? o->scale[c] : -1;
      if( r>hr && sc>=0 && sc<=6 && plain_number(v) ){
        lxw_error e = worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)c, strtod(v, NULL), strong ? numb[sc] : numf[sc]);
        free(cut);
        if( e ){ err = nerr_raise(NERR_SYSTEM, "xlsx: cell %d,%d: %s", r, c, lxw_strerror(e)); break; }
        continue;
      }
      char *esc = escape_x(v);
      if( esc==NULL ){ free(cut); err = nerr_raise(NERR_NOMEM, "xlsx: escape"); break; }
      lxw_error e = worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, esc, strong ? bold : NULL);
      if( esc!=v ) free(esc);
      free(cut);
      if( e ){
        err = nerr_raise(NERR_SYSTEM, "xlsx: cell %d,%d: %s", r, c, lxw_strerror(e));
        break;
      }
    }
  }
  for(int c=0; c<ncol && err==STATUS_OK; c++){
    int w = width[c] + 2;
    if( w<6 ) w = 6;
    if( w>60 ) w = 60;
    worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
  }
  if( err==STATUS_OK && t->nrow>hr ) worksheet_freeze_panes(ws, (lxw_row_t)(hr + 1), 0);

close:
  free(width);
  {
    lxw_error e = workbook_close(wb);
    if( e && err==STATUS_OK ) err = nerr_raise(NERR_IO, "xlsx: workbook_close: %s", lxw_strerror(e));
  }
  if( err==STATUS_OK ) err = slurp(path, out);
  unlink(path);
  return nerr_pass(err);
}

/* ============================================================ reading */

/* ---- minizip over a buffer in memory ---- */

typedef struct {
  const char *data;
  size_t len, pos;
} MEMZIP;

static voidpf ZCALLBACK mz_open(voidpf opaque, const void *filename, int mode){
  MEMZIP *m = opaque;
  if( (mode & ZLIB_FILEFUNC_MODE_READWRITEFILTER)!=ZLIB_FILEFUNC_MODE_READ ) return NULL;
  m->pos = 0;
  return m;
}
static uLong ZCALLBACK mz_read(voidpf opaque, voidpf stream, void *buf, uLong size){
  MEMZIP *m = stream;
  size_t n = m->len - m->pos;
  if( n>size ) n = size;
  memcpy(buf, m->data + m->pos, n);
  m->pos += n;
  return (uLong)n;
}
static uLong ZCALLBACK mz_write(voidpf opaque, voidpf stream, const void *buf, uLong size){
  return 0;
}
static ZPOS64_T ZCALLBACK mz_tell(voidpf opaque, voidpf stream){
  return ((MEMZIP*)stream)->pos;
}
static long ZCALLBACK mz_seek(voidpf opaque, voidpf stream, ZPOS64_T off, int origin){
  MEMZIP *m = stream;
  ZPOS64_T base;
  switch( origin ){
    case ZLIB_FILEFUNC_SEEK_SET: base = 0; break;
    case ZLIB_FILEFUNC_SEEK_CUR: base = m->pos; break;
    case ZLIB_FILEFUNC_SEEK_END: base = m->len; break;
    default: return -1;
  }
  if( off>m->len - base ) return -1;
  m->pos = (size_t)(base + off);
  return 0;
}
static int ZCALLBACK mz_close(voidpf opaque, voidpf stream){ return 0; }
static int ZCALLBACK mz_error(voidpf opaque, voidpf stream){ return 0; }

/* ---- small helpers ---- */

/* the local part of an XML name: "x:row" -> "row" */
static const char *local(const char *name){
  const char *c = strrchr(name, ':');
  return c ? c + 1 : name;
}

/* attribute by local name; want_prefixed: only a prefixed one (r:id) */
static const char *attr(const char **atts, const char *name, int want_prefixed){
  for(int i=0; atts[i]; i+=2){
    const char *c = strrchr(atts[i], ':');
    if( want_prefixed && c==NULL ) continue;
    if( strcmp(c ? c + 1 : atts[i], name)==0 ) return atts[i+1];
  }
  return NULL;
}

static int ends_with(const char *s, const char *suffix){
  size_t n = strlen(s), m = strlen(suffix);
  return n>=m && strcmp(s + n - m, suffix)==0;
}

/* a growing text buffer for character data */
typedef struct {
  char *buf;
  size_t len, cap;
} TEXT;

static void text_add(TEXT *t, const char *s, size_t n){
  if( t->len + n + 1>t->cap ){
    size_t cap = t->cap ? t->cap : 256;
    while( cap<t->len + n + 1 ) cap *= 2;
    char *b = realloc(t->buf, cap);
    if( b==NULL ) abort();
    t->buf = b;
    t->cap = cap;
  }
  memcpy(t->buf + t->len, s, n);
  t->len += n;
  t->buf[t->len] = 0;
}

static int hexdigit(int c){
  if( c>='0' && c<='9' ) return c - '0';
  if( c>='a' && c<='f' ) return c - 'a' + 10;
  if( c>='A' && c<='F' ) return c - 'A' + 10;
  return -1;
}

/* Copy a string value into the arena, decoding Excel's _xHHHH_ escapes
** (how it stores control characters such as _x000D_ for CR).  An escaped
** NUL or surrogate is dropped. */
static char *excel_string(ARENA *a, const char *s, size_t n){
  if( memchr(s, '_', n)==NULL ) return arena_strndup(a, s, n);
  char *out = arena_alloc(a, n + 1), *o = out;
  for(size_t i=0; i<n; ){
    if( s[i]=='_' && i + 6<n && s[i+1]=='x' && s[i+6]=='_' ){
      int h[4], ok = 1;
      for(int j=0; j<4; j++) if( (h[j] = hexdigit((unsigned char)s[i+2+j]))<0 ) ok = 0;
      if( ok ){
        unsigned cp = (unsigned)(h[0]<<12 | h[1]<<8 | h[2]<<4 | h[3]);
        if( cp && !(cp>=0xD800 && cp<=0xDFFF) ){
          if( cp<0x80 ) *o++ = (char)cp;
          else if( cp<0x800 ){ *o++ = (char)(0xC0 | cp>>6); *o++ = (char)(0x80 | (cp & 0x3F)); }
          else { *o++ = (char)(0xE0 | cp>>12); *o++ = (char)(0x80 | ((cp>>6) & 0x3F));
                 *o++ = (char)(0x80 | (cp & 0x3F)); }
        }
        i += 7;
        continue;
      }
    }
    *o++ = s[i++];
  }
  *o = 0;
  return out;
}

/* ---- reading one part of the zip through an expat parser ---- */

/* what every parser's user data starts with */
typedef struct {
  XML_Parser xp;
  NEOERR *err;          /* set by a handler, which then stops the parser */
} PCTX;

static void stop(PCTX *p, NEOERR *err){
  if( p->err==STATUS_OK ) p->err = err;
  else nerr_ignore(&err);
  XML_StopParser(p->xp, XML_FALSE);
}

/* Stream the member `name` through xp (whose user data is a PCTX).
** *found = 0 and no error when the member does not exist. */
static NEOERR *parse_member(unzFile uf, const char *name, XML_Parser xp, int *found){
  PCTX *pc = XML_GetUserData(xp);
  unz_file_info64 info;
  *found = 0;
  if( unzLocateFile(uf, name, 2)!=UNZ_OK ) return STATUS_OK;
  *found = 1;
  if( unzGetCurrentFileInfo64(uf, &info, NULL, 0, NULL, 0, NULL, 0)!=UNZ_OK )
    return nerr_raise(ERR_INPUT, "bad_xlsx");
  if( info.uncompressed_size>XLSX_MAX_PART ) return nerr_raise(ERR_INPUT, "too_big");
  if( unzOpenCurrentFile(uf)!=UNZ_OK ) return nerr_raise(ERR_INPUT, "bad_xlsx");
  char *buf = malloc(65536);
  if( buf==NULL ){ unzCloseCurrentFile(uf); return nerr_raise(NERR_NOMEM, "xlsx"); }
  NEOERR *err = STATUS_OK;
  size_t total = 0;
  for(;;){
    int n = unzReadCurrentFile(uf, buf, 65536);
    if( n<0 ){ err = nerr_raise(ERR_INPUT, "bad_xlsx"); break; }
    total += (size_t)n;
    if( total>XLSX_MAX_PART ){ err = nerr_raise(ERR_INPUT, "too_big"); break; }
    if( XML_Parse(xp, buf, n, n==0)!=XML_STATUS_OK ){
      if( pc->err ){ err = pc->err; pc->err = STATUS_OK; }
      else err = nerr_raise(ERR_INPUT, "bad_xlsx");
      break;
    }
    if( n==0 ) break;
  }
  free(buf);
  if( unzCloseCurrentFile(uf)!=UNZ_OK && err==STATUS_OK ) err = nerr_raise(ERR_INPUT, "bad_xlsx");
  return err;
}

/* a parser with the given handlers and user data (a struct starting with PCTX) */
static XML_Parser new_parser(PCTX *pc, XML_StartElementHandler s, XML_EndElementHandler e,
                             XML_CharacterDataHandler ch){
  XML_Parser xp = XML_ParserCreate("UTF-8");
  if( xp==NULL ) abort();
  pc->xp = xp;
  pc->err = STATUS_OK;
  XML_SetUserData(xp, pc);
  XML_SetElementHandler(xp, s, e);
  if( ch ) XML_SetCharacterDataHandler(xp, ch);
  return xp;
}

/* ---- xl/workbook.xml: the first sheet's r:id and the date system ---- */

typedef struct {
  PCTX p;
  ARENA *a;
  char *rid;
  int date1904;
} WBCTX;

static void XMLCALL wb_start(void *ud, const char *name, const char **atts){
  WBCTX *w = ud;
  const char *ln = local(name);
  if( strcmp(ln, "sheet")==0 && w->rid==NULL ){
    const char *id = attr(atts, "id", 1);
    if( id ) w->rid = arena_strdup(w->a, id);
  }else if( strcmp(ln, "workbookPr")==0 ){
    const char *d = attr(atts, "date1904", 0);
    if( d && (strcmp(d, "1")==0 || strcmp(d, "true")==0) ) w->date1904 = 1;
  }
}
static void XMLCALL no_end(void *ud, const char *name){}

/* ---- xl/_rels/workbook.xml.rels: targets of the sheet and the others ---- */

typedef struct {
  PCTX p;
  ARENA *a;
  const char *rid;
  char *sheet, *sst, *styles;
} RELCTX;

/* "worksheets/sheet1.xml" -> "xl/worksheets/sheet1.xml"; "/xl/x.xml" -> "xl/x.xml" */
static char *rel_target(ARENA *a, const char *t){
  if( t[0]=='/' ) return arena_strdup(a, t + 1);
  while( strncmp(t, "./", 2)==0 ) t += 2;
  return arena_printf(a, "xl/%s", t);
}

static void XMLCALL rel_start(void *ud, const char *name, const char **atts){
  RELCTX *r = ud;
  if( strcmp(local(name), "Relationship")!=0 ) return;
  const char *id = attr(atts, "Id", 0), *type = attr(atts, "Type", 0), *target = attr(atts, "Target", 0);
  if( target==NULL || type==NULL ) return;
  const char *mode = attr(atts, "TargetMode", 0);
  if( mode && strcmp(mode, "External")==0 ) return;
  if( r->rid && id && strcmp(id, r->rid)==0 && r->sheet==NULL ) r->sheet = rel_target(r->a, target);
  else if( ends_with(type, "/sharedStrings") && r->sst==NULL ) r->sst = rel_target(r->a, target);
  else if( ends_with(type, "/styles") && r->styles==NULL ) r->styles = rel_target(r->a, target);
}

/* a decimal attribute in [lo, hi], or bad when it is not one */
static int int_attr(const char *v, int lo, int hi, int bad){
  char *end;
  errno = 0;
  long n = strtol(v, &end, 10);
  if( end==v || *end || errno || n<lo || n>hi ) return bad;
  return (int)n;
}

/* ---- xl/styles.xml: which cell formats are dates or times ---- */

enum { K_NUM = 0, K_DATE = 1, K_DATETIME = 2, K_TIME = 3 };

typedef struct { int id; unsigned char kind; } NUMFMT;

typedef struct {
  PCTX p;
  NUMFMT *fmt; int nfmt, capfmt;       /* custom number formats */
  unsigned char *xf; int nxf, capxf;   /* kind of each cellXfs entry */
  int in_cellxfs;
} STYCTX;

/* The kind of a built-in number format id (ECMA-376 18.8.30 and the
** Chinese-locale ids 27-36, 50-58 that Excel and WPS use). */
static unsigned char builtin_kind(int id){
  if( (id>=14 && id<=17) || (id>=27 && id<=31) || id==36 || (id>=50 && id<=54) || id==57 || id==58 )
    return K_DATE;
  if( (id>=18 && id<=21) || (id>=32 && id<=35) || id==45 || id==47 || id==55 || id==56 )
    return K_TIME;
  if( id==22 ) return K_DATETIME;
  return K_NUM;
}

/* The kind of a custom format code: look for date and time letters
** outside quoted text, [brackets] and escaped characters. */
static unsigned char code_kind(const char *c){
  int date = 0, time = 0;
  for(; *c; c++){
    if( *c=='"' ){ c++; while( *c && *c!='"' ) c++; if( !*c ) break; continue; }
    if( *c=='[' ){
      const char *e = c + 1;
      while( *e && strchr("hHmMsS", *e) ) e++;
      if( e>c + 1 && *e==']' ) return K_NUM;       /* [h]:mm is a duration */
      while( *c && *c!=']' ) c++;
      if( !*c ) break;
      continue;
    }
    if( *c=='\\' || *c=='_' || *c=='*' ){ if( c[1] ) c++; continue; }
    if( *c==';' ) break;                 /* only the first section */
    switch( *c ){
      case 'y': case 'Y': case 'd': case 'D': case 'e': date = 1; break;
      case 'h': case 'H': case 's': case 'S': time = 1; break;
      case 'm': case 'M': date = date ? date : 2; break;   /* month or minute */
      default: break;
    }
  }
  if( date==2 && !time ) date = 1;       /* "mmm" alone is a month */
  if( date==2 ) date = 0;                /* "h:mm": minutes */
  if( date && time ) return K_DATETIME;
  if( date ) return K_DATE;
  if( time ) return K_TIME;
  return K_NUM;
}

static void XMLCALL sty_start(void *ud, const char *name, const char **atts){
  STYCTX *s = ud;
  const char *ln = local(name);
  if( strcmp(ln, "numFmt")==0 ){
    const char *id = attr(atts, "numFmtId", 0), *code = attr(atts, "formatCode", 0);
    if( id==NULL || code==NULL ) return;
    if( s->nfmt==s->capfmt ){
      s->capfmt = s->capfmt ? 2*s->capfmt : 32;
      NUMFMT *f = realloc(s->fmt, (size_t)s->capfmt * sizeof(*f));
      if( f==NULL ) abort();
      s->fmt = f;
    }
    s->fmt[s->nfmt].id = int_attr(id, 0, 1<<20, -1);
    s->fmt[s->nfmt].kind = code_kind(code);
    s->nfmt++;
  }else if( strcmp(ln, "cellXfs")==0 ){
    s->in_cellxfs = 1;
  }else if( strcmp(ln, "xf")==0 && s->in_cellxfs ){
    const char *id = attr(atts, "numFmtId", 0);
    int fid = id ? int_attr(id, 0, 1<<20, 0) : 0;
    unsigned char kind = builtin_kind(fid);
    for(int i=0; i<s->nfmt; i++) if( s->fmt[i].id==fid ) kind = s->fmt[i].kind;
    if( s->nxf==s->capxf ){
      s->capxf = s->capxf ? 2*s->capxf : 64;
      unsigned char *x = realloc(s->xf, (size_t)s->capxf);
      if( x==NULL ) abort();
      s->xf = x;
    }
    s->xf[s->nxf++] = kind;
  }
}
static void XMLCALL sty_end(void *ud, const char *name){
  STYCTX *s = ud;
  if( strcmp(local(name), "cellXfs")==0 ) s->in_cellxfs = 0;
}

/* ---- xl/sharedStrings.xml ---- */

typedef struct {
  PCTX p;
  ARENA *a;
  char **v; size_t n, cap;
  int in_si, in_t, in_rph;
  TEXT text;
} SSTCTX;

static void XMLCALL sst_start(void *ud, const char *name, const char **atts){
  SSTCTX *s = ud;
  const char *ln = local(name);
  if( strcmp(ln, "si")==0 ){ s->in_si = 1; s->text.len = 0; }
  else if( strcmp(ln, "rPh")==0 ) s->in_rph++;          /* phonetic runs are not shown */
  else if( strcmp(ln, "t")==0 && s->in_si && !s->in_rph ) s->in_t = 1;
}
static void XMLCALL sst_end(void *ud, const char *name){
  SSTCTX *s = ud;
  const char *ln = local(name);
  if( strcmp(ln, "t")==0 ) s->in_t = 0;
  else if( strcmp(ln, "rPh")==0 && s->in_rph ) s->in_rph--;
  else if( strcmp(ln, "si")==0 && s->in_si ){
    if( s->n==s->cap ){
      s->cap = s->cap ? 2*s->cap : 256;
      char **v = realloc(s->v, s->cap * sizeof(*v));
      if( v==NULL ) abort();
      s->v = v;
    }
    s->v[s->n++] = excel_string(s->a, s->text.buf ? s->text.buf : "", s->text.len);
    s->in_si = 0;
  }
}
static void XMLCALL sst_chars(void *ud, const char *s, int len){
  SSTCTX *c = ud;
  if( c->in_t ) text_add(&c->text, s, (size_t)len);
}

/* ---- the sheet ---- */

typedef struct { int col; char *v; } CVAL;

typedef struct {
  PCTX p;
  ARENA *a;
  TABLE *out;
  int cap, max_rows;
  long cells;                       /* cell slots handed out so far */
  char **sst; size_t nsst;
  const unsigned char *xf; int nxf;
  int date1904;
  char *empty;                      /* the one "" every missing cell points at */
  int in_row, rowno, last_rowno;
  int in_c, col, last_col, style;
  char type[12];
  int in_v, in_is, in_t, in_rph, has_value;
  TEXT text;
  CVAL *cv; int ncv, capcv;
} SHCTX;

/* "AB12" -> 27 (0-based column), or -1 without letters / past XFD */
static int ref_col(const char *r){
  int c = 0, k = 0;
  for(; (*r>='A' && *r<='Z') || (*r>='a' && *r<='z'); r++, k++){
    c = c*26 + ((*r | 0x20) - 'a' + 1);
    if( k>=3 ) return -2;
  }
  if( k==0 ) return -1;
  return c - 1 < XLSX_MAX_COL ? c - 1 : -2;
}

/* days since 1970-01-01 -> civil date (Howard Hinnant's algorithm) */
static void civil(long z, int *y, int *m, int *d){
  z += 719468;
  long era = (z>=0 ? z : z - 146096) / 146097;
  long doe = z - era*146097;
  long yoe = (doe - doe/1460 + doe/36524 - doe/146096) / 365;
  long doy = doe - (365*yoe + yoe/4 - yoe/100);
  long mp = (5*doy + 2)/153;
  *d = (int)(doy - (153*mp + 2)/5 + 1);
  *m = (int)(mp<10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era*400 + (*m<=2));
}

/* A number cell's text.  Dates (by the cell's format) become
** "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" or "HH:MM[:SS]"; other numbers
** keep the file's text, except that Excel's 17-digit noise and exponents
** are shown with 15 significant digits as Excel does ("0.1+0.2" is
** "0.3", 1.1E+17 is "110000000000000000"). */
static char *number_text(SHCTX *s, const char *raw, int kind){
  char *end;
  errno = 0;
  double v = strtod(raw, &end);
  if( end==raw || *end || errno || !isfinite(v) ) return excel_string(s->a, raw, strlen(raw));
  if( kind!=K_NUM && v>=0 && v<2958466 ){
    long long secs = llround(v * 86400.0);
    long days = (long)(secs / 86400);
    int sod = (int)(secs % 86400);
    long unix_days;
    if( s->date1904 ) unix_days = days - 24107;
    else if( days>=61 ) unix_days = days - 25569;
    else unix_days = days - 25568;        /* before Excel's phantom 1900-02-29 */
    int y, mo, d;
    civil(unix_days, &y, &mo, &d);
    int hh = sod/3600, mi = sod/60%60, ss = sod%60;
    char date[16], tm[16];
    snprintf(date, sizeof date, "%04d-%02d-%02d", y, mo, d);
    if( ss ) snprintf(tm, sizeof tm, "%02d:%02d:%02d", hh, mi, ss);
    else snprintf(tm, sizeof tm, "%02d:%02d", hh, mi);
    if( kind==K_DATE ) return arena_strdup(s->a, date);
    if( kind==K_TIME && days==0 ) return arena_strdup(s->a, tm);
    return arena_printf(s->a, "%s %s", date, tm);
  }
  int digits = 0, expo = 0;
  for(const char *p=raw; *p; p++){
    if( *p>='0' && *p<='9' ) digits++;
    else if( *p=='e' || *p=='E' ) expo = 1;
  }
  if( !expo && digits<=15 ) return arena_strdup(s->a, raw);
  char buf[64];
  snprintf(buf, sizeof buf, "%.15g", v);
  if( strchr(buf, 'e') && fabs(v)>=1 && fabs(v)<1e21 && v==floor(v) ){
    /* an integer of 16-21 digits: its 15 significant digits, then zeros */
    char e[32], sig[20], *o = buf;
    snprintf(e, sizeof e, "%.14e", fabs(v));             /* "1.10101199001011e+17" */
    int exp10 = atoi(strchr(e, 'e') + 1), k = 0;
    for(const char *p=e; *p && *p!='e'; p++) if( *p>='0' && *p<='9' && k<15 ) sig[k++] = *p;
    if( v<0 ) *o++ = '-';
    for(int i=0; i<=exp10; i++) *o++ = i<k ? sig[i] : '0';
    *o = 0;
  }
  return arena_strdup(s->a, buf);
}

static void XMLCALL sh_start(void *ud, const char *name, const char **atts){
  SHCTX *s = ud;
  const char *ln = local(name);
  if( strcmp(ln, "row")==0 ){
    const char *r = attr(atts, "r", 0);
    s->rowno = r ? int_attr(r, 1, XLSX_MAX_ROW, 0) : s->last_rowno + 1;
    if( s->rowno<1 || s->rowno>XLSX_MAX_ROW ){ stop(&s->p, nerr_raise(ERR_INPUT, "bad_xlsx")); return; }
    s->in_row = 1;
    s->last_col = -1;
    s->ncv = 0;
  }else if( strcmp(ln, "c")==0 && s->in_row ){
    const char *r = attr(atts, "r", 0), *t = attr(atts, "t", 0), *st = attr(atts, "s", 0);
    int col = r ? ref_col(r) : -1;
    if( col==-1 ) col = s->last_col + 1;
    if( col<0 || col>=XLSX_MAX_COL ){ stop(&s->p, nerr_raise(ERR_INPUT, "bad_xlsx")); return; }
    s->col = col;
    s->in_c = 1;
    snprintf(s->type, sizeof s->type, "%s", t ? t : "n");
    s->style = st ? int_attr(st, 0, 1<<20, 0) : 0;
    s->text.len = 0;
    if( s->text.buf ) s->text.buf[0] = 0;
    s->has_value = 0;
  }else if( s->in_c ){
    if( strcmp(ln, "v")==0 ){ s->in_v = 1; s->text.len = 0; }
    else if( strcmp(ln, "is")==0 ){ s->in_is = 1; s->text.len = 0; }
    else if( strcmp(ln, "rPh")==0 ) s->in_rph++;
    else if( strcmp(ln, "t")==0 && s->in_is && !s->in_rph ) s->in_t = 1;
  }
}

static void sh_cell_end(SHCTX *s){
  const char *raw = s->text.buf ? s->text.buf : "";
  char *v = NULL;
  s->in_c = 0;
  s->last_col = s->col;
  if( !s->has_value ) return;
  if( strcmp(s->type, "s")==0 ){
    char *end;
    errno = 0;
    unsigned long i = strtoul(raw, &end, 10);
    if( end==raw || *end || errno || i>=s->nsst ){ stop(&s->p, nerr_raise(ERR_INPUT, "bad_xlsx")); return; }
    v = s->sst[i];
  }else if( strcmp(s->type, "inlineStr")==0 || strcmp(s->type, "str")==0 ){
    v = excel_string(s->a, raw, s->text.len);
  }else if( strcmp(s->type, "b")==0 ){
    v = arena_strdup(s->a, strcmp(raw, "0")==0 ? "FALSE" : "TRUE");
  }else if( strcmp(s->type, "e")==0 || strcmp(s->type, "d")==0 ){
    v = arena_strndup(s->a, raw, s->text.len);
  }else{
    int kind = (s->style>=0 && s->style<s->nxf) ? s->xf[s->style] : K_NUM;
    v = s->text.len ? number_text(s, raw, kind) : NULL;
  }
  if( v==NULL || v[0]==0 ) return;
  if( s->ncv==s->capcv ){
    s->capcv = s->capcv ? 2*s->capcv : 64;
    CVAL *c = realloc(s->cv, (size_t)s->capcv * sizeof(*c));
    if( c==NULL ) abort();
    s->cv = c;
  }
  s->cv[s->ncv].col = s->col;
  s->cv[s->ncv].v = v;
  s->ncv++;
}

/* a row with at least one value becomes a TROW; empty rows are left out */
static void sh_row_end(SHCTX *s){
  s->in_row = 0;
  s->last_rowno = s->rowno;
  if( s->ncv==0 ) return;
  if( s->out->nrow>=s->max_rows ){ stop(&s->p, nerr_raise(ERR_INPUT, "too_many_rows")); return; }
  int ncol = 0;
  for(int i=0; i<s->ncv; i++) if( s->cv[i].col + 1>ncol ) ncol = s->cv[i].col + 1;
  s->cells += ncol;
  if( s->cells>XLSX_MAX_CELLS ){ stop(&s->p, nerr_raise(ERR_INPUT, "too_big")); return; }
  if( s->out->nrow==s->cap ){
    int cap = s->cap ? 2*s->cap : 64;
    TROW *rows = arena_alloc(s->a, (size_t)cap * sizeof(*rows));
    if( s->out->nrow ) memcpy(rows, s->out->rows, (size_t)s->out->nrow * sizeof(*rows));
    s->out->rows = rows;
    s->cap = cap;
  }
  TROW *r = &s->out->rows[s->out->nrow++];
  r->rowno = s->rowno;
  r->ncol = ncol;
  r->cols = arena_alloc(s->a, (size_t)ncol * sizeof(char*));
  for(int c=0; c<ncol; c++) r->cols[c] = s->empty;
  for(int i=0; i<s->ncv; i++) r->cols[s->cv[i].col] = s->cv[i].v;
}

static void XMLCALL sh_end(void *ud, const char *name){
  SHCTX *s = ud;
  const char *ln = local(name);
  if( strcmp(ln, "row")==0 && s->in_row ) sh_row_end(s);
  else if( !s->in_c ) return;
  else if( strcmp(ln, "c")==0 ) sh_cell_end(s);
  else if( strcmp(ln, "v")==0 && s->in_v ){ s->in_v = 0; s->has_value = 1; }
  else if( strcmp(ln, "is")==0 && s->in_is ){ s->in_is = 0; s->has_value = 1; }
  else if( strcmp(ln, "t")==0 ) s->in_t = 0;
  else if( strcmp(ln, "rPh")==0 && s->in_rph ) s->in_rph--;
}

static void XMLCALL sh_chars(void *ud, const char *str, int len){
  SHCTX *s = ud;
  if( s->in_v || s->in_t ) text_add(&s->text, str, (size_t)len);
}

/* ---- xlsx_read ---- */

NEOERR *xlsx_read(ARENA *a, const char *data, size_t len, TABLE *out, int max_rows){
  NEOERR *err = STATUS_OK;
  int found;
  out->nrow = 0;
  out->rows = NULL;
  if( !xlsx_sniff(data, len) ) return nerr_raise(ERR_INPUT, "bad_xlsx");

  MEMZIP mem = { data, len, 0 };
  zlib_filefunc64_def ff = { mz_open, mz_read, mz_write, mz_tell, mz_seek, mz_close, mz_error, &mem };
  unzFile uf = unzOpen2_64("memory", &ff);
  if( uf==NULL ) return nerr_raise(ERR_INPUT, "bad_xlsx");

  WBCTX wb = { .a = a };
  RELCTX rel = { .a = a };
  STYCTX sty = {0};
  SSTCTX sst = { .a = a };
  SHCTX sh = { .a = a, .out = out, .max_rows = max_rows<0 ? 0 : max_rows };
  XML_Parser xp;

  /* the workbook: which sheet is first, which date system */
  xp = new_parser(&wb.p, wb_start, no_end, NULL);
  err = parse_member(uf, "xl/workbook.xml", xp, &found);
  XML_ParserFree(xp);
  if( err ) goto done;

  rel.rid = wb.rid;
  xp = new_parser(&rel.p, rel_start, no_end, NULL);
  err = parse_member(uf, "xl/_rels/workbook.xml.rels", xp, &found);
  XML_ParserFree(xp);
  if( err ) goto done;
  const char *sheet = rel.sheet ? rel.sheet : "xl/worksheets/sheet1.xml";

  xp = new_parser(&sty.p, sty_start, sty_end, NULL);
  err = parse_member(uf, rel.styles ? rel.styles : "xl/styles.xml", xp, &found);
  XML_ParserFree(xp);
  if( err ) goto done;

  xp = new_parser(&sst.p, sst_start, sst_end, sst_chars);
  err = parse_member(uf, rel.sst ? rel.sst : "xl/sharedStrings.xml", xp, &found);
  XML_ParserFree(xp);
  if( err ) goto done;

  sh.sst = sst.v;
  sh.nsst = sst.n;
  sh.xf = sty.xf;
  sh.nxf = sty.nxf;
  sh.date1904 = wb.date1904;
  sh.empty = arena_alloc(a, 1);
  xp = new_parser(&sh.p, sh_start, sh_end, sh_chars);
  err = parse_member(uf, sheet, xp, &found);
  XML_ParserFree(xp);
  if( err==STATUS_OK && !found && rel.sheet ){
    /* a relationship that points nowhere: try the usual name */
    xp = new_parser(&sh.p, sh_start, sh_end, sh_chars);
    err = parse_member(uf, "xl/worksheets/sheet1.xml", xp, &found);
    XML_ParserFree(xp);
  }
  if( err==STATUS_OK && !found ) err = nerr_raise(ERR_INPUT, "bad_xlsx");

done:
  unzClose(uf);
  free(sty.fmt);
  free(sty.xf);
  free(sst.v);
  free(sst.text.buf);
  free(sh.text.buf);
  free(sh.cv);
  if( err ){ out->nrow = 0; out->rows = NULL; }
  return err;
}
