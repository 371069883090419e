/*
** pdf.c -- see pdf.h.  Owns every PDF the application makes: one libharu
** document per call with an embedded TrueType font and the UTF-8 encoder,
** an error handler that records the first libharu error in a per-call
** context (no setjmp/longjmp, nothing global) and logs to stderr, and the
** two layouts: cut-apart slips (pdf_slips) and a paged report table
** (pdf_table).  The finished document is saved to libharu's memory stream
** and copied into the caller's STRING; the document is always freed.
**
** The font: Pdf.Font is a list of font files separated by ":", in order of
** preference -- the cut-down font made at build time (the CJK block,
** GB2312's symbols, about a third of the size) and then the full font.  A
** document embeds the first font that has every character it draws
** (ttf.c reads each font's cmap once per process), so a rare character in
** a name (䶮, of the Extension A block) makes that one document embed the
** full font and print it;
** one that no font has (𠮷, outside the Basic Multilingual Plane) is drawn
** as "?" and logged -- never silently dropped.
**
** The font has no bold face, so "bold" text is drawn with the fill-then-
** stroke rendering mode and a thin outline (one copy of the text, so text
** extraction does not see it twice).
*/
#include "pdf.h"
#include "err.h"
#include "log.h"
#include "ttf.h"
#include <hpdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PDF_DEFAULT_FONT "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
#define ELLIPSIS "\xE2\x80\xA6"

/* ------------------------------------------------------------ the document */

typedef struct {
  HPDF_STATUS error, detail;     /* the first libharu error, 0 if none */
} HCTX;

typedef struct {
  HPDF_Doc pdf;
  HCTX hc;
  HPDF_Font font;
  const TTF_COVER *cover;        /* what the font has (NULL: unknown) */
  unsigned missing;              /* the first character drawn as "?" (0: none) */
  float ascent, descent;         /* font units per 1000 */
  HPDF_Page *pages;
  int npages, cap;
  char *scratch;                 /* the text being measured or drawn */
  size_t scap;
} DOC;

static void HPDF_STDCALL on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data){
  HCTX *hc = user_data;
  fprintf(stderr, "pdf: libharu error 0x%04X detail %u\n", (unsigned)error_no, (unsigned)detail_no);
  if( hc->error==0 ){
    hc->error = error_no;
    hc->detail = detail_no;
  }
}

/* the error for the first libharu failure of this document */
static NEOERR *haru_err(DOC *d){
  return nerr_raise(NERR_SYSTEM, "libharu error 0x%04X detail %u",
                    (unsigned)d->hc.error, (unsigned)d->hc.detail);
}
#define CHECK(d) do{ if( (d)->hc.error ) return haru_err(d); }while(0)

/* ------------------------------------------------------------ choosing the font */

/* the characters a document draws (the Basic Multilingual Plane) */
typedef struct {
  unsigned char bits[65536 / 8];
} NEED;

/* the code point at s (valid UTF-8 assumed; a stray byte is itself) and its length */
static unsigned utf8_next(const unsigned char *s, int *len){
  unsigned c = s[0];
  if( c>=0xF0 && s[1] && s[2] && s[3] ){ *len = 4; return ((c & 7u) << 18) | ((s[1] & 63u) << 12) | ((s[2] & 63u) << 6) | (s[3] & 63u); }
  if( c>=0xE0 && s[1] && s[2] ){ *len = 3; return ((c & 15u) << 12) | ((s[1] & 63u) << 6) | (s[2] & 63u); }
  if( c>=0xC0 && s[1] ){ *len = 2; return ((c & 31u) << 6) | (s[1] & 63u); }
  *len = 1;
  return c;
}

static void need_add(NEED *n, const char *s){
  if( s==NULL ) return;
  for(const unsigned char *p = (const unsigned char*)s; *p; ){
    int len;
    unsigned cp = utf8_next(p, &len);
    p += len;
    if( cp>=0x20 && cp<65536 ) n->bits[cp >> 3] |= (unsigned char)(1u << (cp & 7));
  }
}

/* the characters of the document's own words (page numbers, footers, signatures) */
#define PDF_OWN_TEXT "第 0123456789 页 共 页 制表时间：-:_" ELLIPSIS

/* the coverage of a font file, read once per process; NULL if unreadable */
static const TTF_COVER *cover_of(const char *path){
  static struct { char path[512]; TTF_COVER *c; } cache[8];
  static int n, next;
  for(int i=0; i<n; i++) if( strcmp(cache[i].path, path)==0 ) return cache[i].c;
  TTF_COVER *c = malloc(sizeof *c);
  if( c==NULL ) return NULL;
  NEOERR *err = ttf_cover_file(path, c);
  if( err ){
    STRING m; string_init(&m); nerr_error_string(err, &m);
    log_warn("pdf: font %s: %s", path, m.buf ? m.buf : "unreadable");
    string_clear(&m);
    nerr_ignore(&err);
    free(c);
    return NULL;
  }
  int slot;
  if( n<8 ) slot = n++;
  else{ slot = next++ % 8; free(cache[slot].c); }
  snprintf(cache[slot].path, sizeof cache[slot].path, "%s", path);
  cache[slot].c = c;
  return c;
}

/* how many needed characters the font lacks; the first few into `first` */
static int lacking(const TTF_COVER *c, const NEED *need, unsigned first[4]){
  int k = 0;
  for(unsigned i=0; i<sizeof need->bits; i++){
    unsigned char m = (unsigned char)(need->bits[i] & ~c->bits[i]);
    if( m==0 ) continue;
    for(unsigned b=0; b<8; b++) if( m & (1u << b) ){ if( k<4 ) first[k] = i*8 + b; k++; }
  }
  return k;
}

/* Pick the font of this document from spec ("cut.ttf:full.ttc"): the first
** file that has every character of need; when none has them all, the last
** one that could be read (drawing "?" for what it lacks).  *path is a copy
** in buf. */
static const char *font_choose(const char *spec, const NEED *need, char *buf, size_t bufsz,
                               const TTF_COVER **cover){
  const char *last = NULL, *first_ok = NULL;
  const TTF_COVER *lastc = NULL;
  char tmp[1024];
  unsigned miss[4];
  *cover = NULL;
  snprintf(tmp, sizeof tmp, "%s", spec);
  for(char *save = NULL, *t = strtok_r(tmp, ":", &save); t; t = strtok_r(NULL, ":", &save)){
    if( *t==0 ) continue;
    const TTF_COVER *c = cover_of(t);
    if( c==NULL ) continue;
    if( first_ok==NULL ) first_ok = t;
    last = t;
    lastc = c;
    if( need==NULL || lacking(c, need, miss)==0 ){
      if( first_ok!=t ) log_info("pdf: characters outside %s: this document embeds %s", first_ok, t);
      snprintf(buf, bufsz, "%s", t);
      *cover = c;
      return buf;
    }
  }
  if( last==NULL ){
    /* no font whose characters could be read: the first named, as it is */
    snprintf(tmp, sizeof tmp, "%s", spec);
    char *save = NULL, *t = strtok_r(tmp, ":", &save);
    snprintf(buf, bufsz, "%s", t ? t : PDF_DEFAULT_FONT);
    return buf;
  }
  int k = lacking(lastc, need, miss);
  log_warn("pdf: %d character(s) in no font of Pdf.Font (U+%04X%s): drawn as \"?\"", k, miss[0], k>1 ? " ..." : "");
  snprintf(buf, bufsz, "%s", last);
  *cover = lastc;
  return buf;
}

/* A new document with the embedded font (a .ttc collection's face 0, or
** a .ttf file) and the UTF-8 encoder; the font is the first of the list
** font_spec that has every character of need (NULL: the first). */
static NEOERR *doc_open(DOC *d, const char *font_spec, const NEED *need){
  char chosen[1024];
  memset(d, 0, sizeof(*d));
  if( font_spec==NULL || font_spec[0]==0 ) font_spec = PDF_DEFAULT_FONT;
  const char *font_path = font_choose(font_spec, need, chosen, sizeof chosen, &d->cover);
  d->pdf = HPDF_New(on_error, &d->hc);
  if( d->pdf==NULL ) return nerr_raise(NERR_NOMEM, "HPDF_New failed");
  HPDF_SetCompressionMode(d->pdf, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(d->pdf);
  HPDF_SetCurrentEncoder(d->pdf, "UTF-8");
  CHECK(d);
  size_t n = strlen(font_path);
  const char *name;
  if( n>4 && strcasecmp(font_path + n - 4, ".ttc")==0 )
    name = HPDF_LoadTTFontFromFile2(d->pdf, font_path, 0, HPDF_TRUE);
  else
    name = HPDF_LoadTTFontFromFile(d->pdf, font_path, HPDF_TRUE);
  CHECK(d);
  if( name==NULL ) return nerr_raise(NERR_SYSTEM, "pdf: cannot load font %s", font_path);
  d->font = HPDF_GetFont(d->pdf, name, "UTF-8");
  CHECK(d);
  d->ascent = (float)HPDF_Font_GetAscent(d->font);
  d->descent = (float)HPDF_Font_GetDescent(d->font);
  return STATUS_OK;
}

static void doc_close(DOC *d){
  if( d->pdf ) HPDF_Free(d->pdf);
  free(d->pages);
  free(d->scratch);
  memset(d, 0, sizeof(*d));
}

static NEOERR *doc_page(DOC *d, int landscape, HPDF_Page *out){
  if( d->npages==d->cap ){
    int cap = d->cap ? 2*d->cap : 16;
    HPDF_Page *p = realloc(d->pages, (size_t)cap * sizeof(*p));
    if( p==NULL ) return nerr_raise(NERR_NOMEM, "pdf pages");
    d->pages = p;
    d->cap = cap;
  }
  HPDF_Page pg = HPDF_AddPage(d->pdf);
  CHECK(d);
  HPDF_Page_SetSize(pg, HPDF_PAGE_SIZE_A4, landscape ? HPDF_PAGE_LANDSCAPE : HPDF_PAGE_PORTRAIT);
  CHECK(d);
  d->pages[d->npages++] = pg;
  *out = pg;
  return STATUS_OK;
}

/* Save through libharu's memory stream into out, reading exactly the
** stream's size (reading past the end would raise HPDF_STREAM_EOF). */
static NEOERR *doc_save(DOC *d, STRING *out){
  NEOERR *err;
  if( d->missing ) log_warn("pdf: characters not in the document's font drawn as \"?\" (the first: U+%04X)", d->missing);
  HPDF_SaveToStream(d->pdf);
  HPDF_ResetStream(d->pdf);
  CHECK(d);
  HPDF_UINT32 left = HPDF_GetStreamSize(d->pdf);
  HPDF_BYTE buf[16384];
  while( left>0 ){
    HPDF_UINT32 n = left < sizeof buf ? left : (HPDF_UINT32)sizeof buf;
    HPDF_ReadFromStream(d->pdf, buf, &n);
    CHECK(d);
    if( n==0 ) return nerr_raise(NERR_SYSTEM, "pdf: short read from stream");
    if( (err = string_appendn(out, (const char*)buf, (int)n)) ) return nerr_pass(err);
    left -= n;
  }
  return STATUS_OK;
}

/* ------------------------------------------------------------ text */

/* Copy s into the scratch buffer, control characters as spaces and
** characters the document's font does not have (outside the Basic
** Multilingual Plane always) as "?"; returns the copy. */
static const char *clean(DOC *d, const char *s){
  if( s==NULL ) s = "";
  size_t n = strlen(s);
  if( n + 4>d->scap ){
    size_t cap = d->scap ? d->scap : 256;
    while( cap<n + 4 ) cap *= 2;
    char *p = realloc(d->scratch, cap);
    if( p==NULL ) abort();
    d->scratch = p;
    d->scap = cap;
  }
  char *o = d->scratch;
  for(size_t i=0; i<n; ){
    unsigned char c = (unsigned char)s[i];
    if( c<0x20 || c==0x7F ){ *o++ = ' '; i++; continue; }
    if( c<0x80 ){ *o++ = s[i++]; continue; }
    int len;
    unsigned cp = utf8_next((const unsigned char*)s + i, &len);
    if( cp>=0x10000 || (d->cover && !ttf_has(d->cover, cp)) ){
      *o++ = '?';
      if( d->missing==0 ) d->missing = cp;
      i++;
      while( i<n && ((unsigned char)s[i] & 0xC0)==0x80 ) i++;
      continue;
    }
    memcpy(o, s + i, (size_t)len);
    o += len;
    i += (size_t)len;
  }
  *o = 0;
  return d->scratch;
}

static float text_w(DOC *d, const char *s, size_t n, float size){
  if( n==0 ) return 0;
  HPDF_TextWidth tw = HPDF_Font_TextWidth(d->font, (const HPDF_BYTE*)s, (HPDF_UINT)n);
  return (float)tw.width * size / 1000.0f;
}

static float width_of(DOC *d, const char *s, float size){
  const char *c = clean(d, s);
  return text_w(d, c, strlen(c), size);
}

/* The cleaned text of s, cut at a character boundary with "…" appended
** so that it fits in maxw points at size; the whole text when it fits.
** The result lives in the scratch buffer until the next call. */
static const char *fit(DOC *d, const char *s, float size, float maxw){
  char *t = (char*)clean(d, s);
  size_t n = strlen(t);
  if( text_w(d, t, n, size)<=maxw ) return t;
  float ew = text_w(d, ELLIPSIS, 3, size);
  size_t lo = 0, hi = n;          /* the longest prefix that fits is in [lo, hi) */
  while( lo + 1<hi ){
    size_t mid = (lo + hi)/2;
    while( mid>lo && ((unsigned char)t[mid] & 0xC0)==0x80 ) mid--;
    if( mid==lo ){
      mid = (lo + hi)/2;
      while( mid<hi && ((unsigned char)t[mid] & 0xC0)==0x80 ) mid++;
      if( mid==hi ) break;
    }
    if( text_w(d, t, mid, size) + ew<=maxw ) lo = mid; else hi = mid;
  }
  if( ew>maxw ){ t[0] = 0; return t; }
  memcpy(t + lo, ELLIPSIS, 4);
  return t;
}

/* Draw s (already cleaned or fitted) with its baseline at y. */
static void draw(DOC *d, HPDF_Page pg, float x, float y, float size, const char *s, int bold){
  if( s[0]==0 ) return;
  if( bold ){
    HPDF_Page_SetLineWidth(pg, size*0.035f);
    HPDF_Page_SetTextRenderingMode(pg, HPDF_FILL_THEN_STROKE);
  }
  HPDF_Page_BeginText(pg);
  HPDF_Page_SetFontAndSize(pg, d->font, size);
  HPDF_Page_TextOut(pg, x, y, s);
  HPDF_Page_EndText(pg);
  if( bold ){
    HPDF_Page_SetTextRenderingMode(pg, HPDF_FILL);
    HPDF_Page_SetLineWidth(pg, 0.5f);
  }
}

/* baseline that centres a line of text of size in a box [bottom, bottom+h] */
static float baseline(DOC *d, float bottom, float h, float size){
  return bottom + h/2 - (d->ascent + d->descent)/2000.0f * size;
}

/* where: 0 left at x, 1 centred on x, 2 right-aligned at x */
static void draw_at(DOC *d, HPDF_Page pg, float x, float y, float size, const char *s,
                    float maxw, int where, int bold){
  const char *t = fit(d, s, size, maxw);
  float w = text_w(d, t, strlen(t), size);
  if( where==1 ) x -= w/2;
  else if( where==2 ) x -= w;
  draw(d, pg, x, y, size, t, bold);
}

/* ------------------------------------------------------------ slips */

#define SLIP_MARGIN 28.0f
#define SLIP_PAD    18.0f

static void slip_draw(DOC *d, HPDF_Page pg, const PDF_SLIP *s, float x, float y, float w, float h){
  float left = x + SLIP_PAD, right = x + w - SLIP_PAD, inner = right - left;
  float top = y + h - SLIP_PAD;
  /* the title, 14pt, centred */
  draw_at(d, pg, x + w/2, top - 14, 14, s->title ? s->title : "", inner, 1, 1);
  int n = s->nlines < 0 ? 0 : s->nlines > 8 ? 8 : s->nlines;
  if( n==0 ) return;
  float lh = (top - 14 - 12 - (y + SLIP_PAD)) / (float)n;
  if( lh>20 ) lh = 20;
  float size = 11;
  float lw = 0;
  for(int i=0; i<n; i++){
    char lab[256];
    snprintf(lab, sizeof lab, "%s\xEF\xBC\x9A", s->label[i] ? s->label[i] : "");   /* "：" */
    float wl = width_of(d, lab, size);
    if( wl>lw ) lw = wl;
  }
  if( lw>inner/2 ) lw = inner/2;
  float vx = left + lw + 4, vw = right - vx;
  float yy = top - 14 - 12;
  for(int i=0; i<n; i++){
    char lab[256];
    snprintf(lab, sizeof lab, "%s\xEF\xBC\x9A", s->label[i] ? s->label[i] : "");
    float by = baseline(d, yy - lh, lh, size);
    draw_at(d, pg, left, by, size, lab, lw, 0, 0);
    /* a long value is drawn smaller (down to 7pt), then cut */
    const char *v = s->value[i] ? s->value[i] : "";
    float vs = size;
    while( vs>7 && width_of(d, v, vs)>vw ) vs -= 0.5f;
    draw_at(d, pg, vx, baseline(d, yy - lh, lh, vs), vs, v, vw, 0, 0);
    yy -= lh;
  }
}

NEOERR *pdf_slips(const char *font_path, const PDF_SLIP *slips, int n, STRING *out){
  NEOERR *err = STATUS_OK;
  DOC d;
  if( n<0 ) n = 0;
  NEED *need = calloc(1, sizeof *need);
  if( need==NULL ) return nerr_raise(NERR_NOMEM, "pdf need");
  need_add(need, PDF_OWN_TEXT);
  for(int i=0; i<n; i++){
    need_add(need, slips[i].title);
    for(int k=0; k<slips[i].nlines && k<8; k++){ need_add(need, slips[i].label[k]); need_add(need, slips[i].value[k]); }
  }
  err = doc_open(&d, font_path, need);
  free(need);
  if( err ) goto done;
  int npage = n ? (n + 7)/8 : 1;
  for(int p=0; p<npage; p++){
    HPDF_Page pg = NULL;
    if( (err = doc_page(&d, 0, &pg)) ) goto done;
    float pw = HPDF_Page_GetWidth(pg), ph = HPDF_Page_GetHeight(pg);
    float w = (pw - 2*SLIP_MARGIN)/2, h = (ph - 2*SLIP_MARGIN)/4;
    /* dashed cut lines between the slips */
    HPDF_UINT16 dash[] = { 4, 3 };
    HPDF_Page_SetLineWidth(pg, 0.5f);
    HPDF_Page_SetGrayStroke(pg, 0.5f);
    HPDF_Page_SetDash(pg, dash, 2, 0);
    HPDF_Page_MoveTo(pg, SLIP_MARGIN + w, SLIP_MARGIN);
    HPDF_Page_LineTo(pg, SLIP_MARGIN + w, ph - SLIP_MARGIN);
    for(int k=1; k<4; k++){
      HPDF_Page_MoveTo(pg, SLIP_MARGIN, SLIP_MARGIN + k*h);
      HPDF_Page_LineTo(pg, pw - SLIP_MARGIN, SLIP_MARGIN + k*h);
    }
    HPDF_Page_Stroke(pg);
    HPDF_Page_SetDash(pg, NULL, 0, 0);
    HPDF_Page_SetGrayStroke(pg, 0);
    if( d.hc.error ){ err = haru_err(&d); goto done; }
    for(int i=0; i<8 && p*8 + i<n; i++){
      int col = i % 2, row = i / 2;
      slip_draw(&d, pg, &slips[p*8 + i], SLIP_MARGIN + col*w, ph - SLIP_MARGIN - (row + 1)*h, w, h);
      if( d.hc.error ){ err = haru_err(&d); goto done; }
    }
  }
  err = doc_save(&d, out);
done:
  doc_close(&d);
  return nerr_pass(err);
}

/* ------------------------------------------------------------ report table */

#define TB_MARGIN  40.0f
#define TB_SIZE    9.0f          /* table text */
#define TB_ROW     16.0f         /* row height */
#define TB_PAD     4.0f          /* cell padding left and right */
#define TB_FOOTER  24.0f         /* footer baseline above the page's bottom edge */

typedef struct {
  DOC *d;
  const PDF_REPORT *rep;
  int ncol;
  float *w;                      /* column widths */
  float x0, x1;                  /* the table's left and right edge */
  float pw, ph;
  HPDF_Page pg;
  float top, y;                  /* this page's table top, the current row's top */
  int landscape;
} TB;

static const char *cell(const TROW *r, int c){
  return (c<r->ncol && r->cols[c]) ? r->cols[c] : "";
}

/* the totals row's cell c: the label goes in the first cell when it is empty */
static const char *total_cell(const PDF_REPORT *rep, int c){
  const char *v = rep->totals ? rep->totals[c] : NULL;
  if( c==0 && (v==NULL || v[0]==0) ) v = rep->totals_label;
  return v ? v : "";
}

/* Column widths: each column's widest text plus padding.  When the total
** is too wide, the widest columns are narrowed to a common cap so that
** narrow columns (numbers) keep their full width; when it is narrower
** than the page, every column grows in proportion. */
static NEOERR *tb_widths(TB *t){
  const TABLE *tab = t->rep->table;
  float avail = t->x1 - t->x0, sum = 0;
  t->w = calloc((size_t)t->ncol + 1, sizeof(float));
  if( t->w==NULL ) return nerr_raise(NERR_NOMEM, "pdf widths");
  for(int c=0; c<t->ncol; c++){
    float m = 0;
    for(int r=0; r<tab->nrow; r++){
      float x = width_of(t->d, cell(&tab->rows[r], c), TB_SIZE);
      if( x>m ) m = x;
    }
    if( t->rep->totals_label || t->rep->totals ){
      float x = width_of(t->d, total_cell(t->rep, c), TB_SIZE);
      if( x>m ) m = x;
    }
    t->w[c] = m + 2*TB_PAD + 1;
    if( t->w[c]<24 ) t->w[c] = 24;
    sum += t->w[c];
  }
  if( sum<=avail ){
    for(int c=0; c<t->ncol; c++) t->w[c] *= avail/sum;
    return STATUS_OK;
  }
  /* water-filling: find the cap that makes the sum fit */
  float lo = 0, hi = avail;
  for(int it=0; it<50; it++){
    float cap = (lo + hi)/2, s = 0;
    for(int c=0; c<t->ncol; c++) s += t->w[c]<cap ? t->w[c] : cap;
    if( s>avail ) hi = cap; else lo = cap;
  }
  for(int c=0; c<t->ncol; c++) if( t->w[c]>lo ) t->w[c] = lo;
  return STATUS_OK;
}

/* one row of cells whose top is t->y; kind 0 body, 1 header, 2 totals */
static void tb_row(TB *t, const TROW *r, int kind){
  float x = t->x0, bottom = t->y - TB_ROW;
  HPDF_Page pg = t->pg;
  if( kind==1 ){
    HPDF_Page_SetGrayFill(pg, 0.85f);
    HPDF_Page_Rectangle(pg, t->x0, bottom, t->x1 - t->x0, TB_ROW);
    HPDF_Page_Fill(pg);
    HPDF_Page_SetGrayFill(pg, 0);
  }
  float by = baseline(t->d, bottom, TB_ROW, TB_SIZE);
  for(int c=0; c<t->ncol; c++){
    const char *s = kind==2 ? total_cell(t->rep, c) : cell(r, c);
    float inner = t->w[c] - 2*TB_PAD;
    int right = t->rep->align_right && t->rep->align_right[c] && !(kind==2 && c==0);
    if( kind==1 ) draw_at(t->d, pg, x + t->w[c]/2, by, TB_SIZE, s, inner, 1, 1);
    else if( right ) draw_at(t->d, pg, x + t->w[c] - TB_PAD, by, TB_SIZE, s, inner, 2, kind==2);
    else draw_at(t->d, pg, x + TB_PAD, by, TB_SIZE, s, inner, 0, kind==2);
    x += t->w[c];
  }
  t->y = bottom;
}

/* the grid of the rows drawn on this page, from t->top down to t->y */
static void tb_grid(TB *t){
  HPDF_Page pg = t->pg;
  if( t->y>=t->top ) return;
  HPDF_Page_SetLineWidth(pg, 0.5f);
  for(float y=t->top; y>=t->y - 0.01f; y-=TB_ROW){
    HPDF_Page_MoveTo(pg, t->x0, y);
    HPDF_Page_LineTo(pg, t->x1, y);
  }
  float x = t->x0;
  for(int c=0; c<=t->ncol; c++){
    HPDF_Page_MoveTo(pg, x, t->top);
    HPDF_Page_LineTo(pg, x, t->y);
    if( c<t->ncol ) x += t->w[c];
  }
  HPDF_Page_Stroke(pg);
}

/* the table's natural width: each column's widest cell plus padding */
static float tb_natural(DOC *d, const PDF_REPORT *rep){
  const TABLE *tab = rep->table;
  int ncol = 0;
  float sum = 0;
  for(int r=0; tab && r<tab->nrow; r++) if( tab->rows[r].ncol>ncol ) ncol = tab->rows[r].ncol;
  for(int c=0; c<ncol; c++){
    float m = 0;
    for(int r=0; r<tab->nrow; r++){
      float x = width_of(d, cell(&tab->rows[r], c), TB_SIZE);
      if( x>m ) m = x;
    }
    if( rep->totals_label || rep->totals ){
      float x = width_of(d, total_cell(rep, c), TB_SIZE);
      if( x>m ) m = x;
    }
    m += 2*TB_PAD + 1;
    sum += m<24 ? 24 : m;
  }
  return sum;
}

/* the chart under the subtitles; returns the y below it */
static float tb_chart(TB *t, float y){
  const PDF_CHART *ch = t->rep->chart;
  DOC *d = t->d;
  HPDF_Page pg = t->pg;
  float x0 = t->x0, w = t->x1 - t->x0, bar = 11.0f, lab = w * 0.30f, val = 70.0f;
  draw_at(d, pg, x0, y - 10, 10, ch->title ? ch->title : "", w, 0, 1);
  y -= 18;
  float area = w - lab - val;
  for(int i=0; i<ch->n; i++){
    float top = y - i * bar, by = baseline(d, top - bar, bar, 8);
    draw_at(d, pg, x0 + lab - 4, by, 8, ch->names[i], lab - 8, 2, 0);
    int pm = ch->permille[i] < 0 ? 0 : ch->permille[i] > 1000 ? 1000 : ch->permille[i];
    float len = area * (float)pm / 1000.0f;
    if( len>0 ){
      HPDF_Page_SetRGBFill(pg, 0.23f, 0.42f, 0.67f);
      HPDF_Page_Rectangle(pg, x0 + lab, top - bar + 2, len, bar - 4);
      HPDF_Page_Fill(pg);
      HPDF_Page_SetGrayFill(pg, 0);
    }
    draw_at(d, pg, x0 + lab + len + 3, by, 8, ch->values[i], val + area - len - 3, 0, 0);
  }
  /* the axis */
  HPDF_Page_SetLineWidth(pg, 0.5f);
  HPDF_Page_MoveTo(pg, x0 + lab, y);
  HPDF_Page_LineTo(pg, x0 + lab, y - ch->n * bar);
  HPDF_Page_Stroke(pg);
  y -= ch->n * bar + 4;
  if( ch->note && ch->note[0] ){
    draw_at(d, pg, x0 + lab, y - 8, 8, ch->note, w - lab, 0, 0);
    y -= 12;
  }
  return y - 10;
}

static NEOERR *tb_new_page(TB *t){
  NEOERR *err = doc_page(t->d, t->landscape, &t->pg);
  if( err ) return nerr_pass(err);
  t->pw = HPDF_Page_GetWidth(t->pg);
  t->ph = HPDF_Page_GetHeight(t->pg);
  t->x0 = TB_MARGIN;
  t->x1 = t->pw - TB_MARGIN;
  t->y = t->top = t->ph - TB_MARGIN;
  HPDF_Page_SetLineWidth(t->pg, 0.5f);
  return STATUS_OK;
}

/* Lay the report out page by page; footers ("第 N 页 共 M 页" and the
** time) are drawn last, over the kept page handles, once M is known. */
NEOERR *pdf_table(const char *font_path, const PDF_REPORT *rep, STRING *out){
  NEOERR *err;
  DOC d;
  TB t;
  memset(&t, 0, sizeof t);
  t.d = &d;
  t.rep = rep;
  NEED *need = calloc(1, sizeof *need);
  if( need==NULL ) return nerr_raise(NERR_NOMEM, "pdf need");
  need_add(need, PDF_OWN_TEXT);
  need_add(need, rep->title);
  need_add(need, rep->totals_label);
  need_add(need, rep->generated_at);
  for(int i=0; i<4 && rep->subtitle[i]; i++) need_add(need, rep->subtitle[i]);
  for(int i=0; i<4 && rep->signatures[i]; i++) need_add(need, rep->signatures[i]);
  if( rep->table ){
    int nc = 0;
    for(int r=0; r<rep->table->nrow; r++){
      const TROW *row = &rep->table->rows[r];
      if( row->ncol>nc ) nc = row->ncol;
      for(int c=0; c<row->ncol; c++) need_add(need, row->cols[c]);
    }
    if( rep->totals ) for(int c=0; c<nc; c++) need_add(need, rep->totals[c]);
  }
  if( rep->chart ){
    need_add(need, rep->chart->title);
    need_add(need, rep->chart->note);
    for(int i=0; i<rep->chart->n; i++){
      need_add(need, rep->chart->names ? rep->chart->names[i] : NULL);
      need_add(need, rep->chart->values ? rep->chart->values[i] : NULL);
    }
  }
  err = doc_open(&d, font_path, need);
  free(need);
  if( err ) goto done;
  /* A4 portrait, or landscape when the table is wider than a portrait page */
  t.landscape = rep->landscape;
  if( t.landscape<0 ) t.landscape = tb_natural(&d, rep) > 595.0f - 2*TB_MARGIN;
  if( (err = tb_new_page(&t)) ) goto done;

  /* title and subtitles, first page only */
  float avail = t.x1 - t.x0, y = t.ph - TB_MARGIN;
  if( rep->title && rep->title[0] ){
    draw_at(&d, t.pg, t.pw/2, y - 16, 16, rep->title, avail, 1, 1);
    y -= 16 + 10;
  }
  for(int i=0; i<4 && rep->subtitle[i]; i++){
    draw_at(&d, t.pg, t.pw/2, y - 10, 10, rep->subtitle[i], avail, 1, 0);
    y -= 10 + 5;
  }
  if( y<t.ph - TB_MARGIN ) y -= 6;
  if( rep->chart && rep->chart->n>0 ) y = tb_chart(&t, y);
  t.y = t.top = y;
  if( d.hc.error ){ err = haru_err(&d); goto done; }

  const TABLE *tab = rep->table;
  float bottom = TB_MARGIN;
  if( tab && tab->nrow>0 ){
    for(int r=0; r<tab->nrow; r++) if( tab->rows[r].ncol>t.ncol ) t.ncol = tab->rows[r].ncol;
  }
  if( t.ncol>0 ){
    if( (err = tb_widths(&t)) ) goto done;
    tb_row(&t, &tab->rows[0], 1);
    int has_totals = rep->totals_label || rep->totals;
    for(int r=1; r<=tab->nrow; r++){
      int kind = r<tab->nrow ? 0 : 2;
      if( kind==2 && !has_totals ) break;
      if( t.y - TB_ROW<bottom ){
        tb_grid(&t);
        if( (err = tb_new_page(&t)) ) goto done;
        tb_row(&t, &tab->rows[0], 1);
      }
      tb_row(&t, kind==0 ? &tab->rows[r] : NULL, kind);
      if( d.hc.error ){ err = haru_err(&d); goto done; }
    }
    tb_grid(&t);
  }

  /* signature lines after the table, on a new page when there is no room */
  int nsig = 0;
  while( nsig<4 && rep->signatures[nsig] ) nsig++;
  if( nsig ){
    float sy = t.y - 30, slot = (t.x1 - t.x0)/(float)nsig;
    if( sy - 4<bottom ){
      if( (err = tb_new_page(&t)) ) goto done;
      sy = t.y - 12;
    }
    for(int i=0; i<nsig; i++){
      char buf[512];
      snprintf(buf, sizeof buf, "%s\xEF\xBC\x9A________________", rep->signatures[i]);
      draw_at(&d, t.pg, t.x0 + i*slot, sy, 10, buf, slot - 8, 0, 0);
    }
  }

  /* footers, now that the page count is known */
  for(int p=0; p<d.npages; p++){
    HPDF_Page pg = d.pages[p];
    float pw = HPDF_Page_GetWidth(pg);
    char buf[128];
    snprintf(buf, sizeof buf, "第 %d 页 共 %d 页", p + 1, d.npages);
    draw_at(&d, pg, pw/2, TB_FOOTER, 8, buf, pw/3, 1, 0);
    if( rep->generated_at && rep->generated_at[0] ){
      char when[256];
      snprintf(when, sizeof when, "制表时间：%s", rep->generated_at);
      draw_at(&d, pg, pw - TB_MARGIN, TB_FOOTER, 8, when, pw/3 - TB_MARGIN, 2, 0);
    }
  }
  if( d.hc.error ){ err = haru_err(&d); goto done; }
  err = doc_save(&d, out);
done:
  free(t.w);
  doc_close(&d);
  return nerr_pass(err);
}
