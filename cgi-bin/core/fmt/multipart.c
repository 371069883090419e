/*
** multipart.c -- see multipart.h.  Owns the splitting of a
** multipart/form-data body (RFC 7578 over RFC 2046) into named parts:
** the boundary from the Content-Type, each part's Content-Disposition and
** Content-Type headers, and its bytes, copied into the arena untouched
** (file parts may hold NUL, CR and LF).  Lines are CRLF, as browsers send.
*/
#include "multipart.h"
#include "err.h"
#include "str.h"
#include <string.h>
#include <strings.h>

#define MAX_BOUNDARY 70          /* RFC 2046 */
#define MAX_HEADERS  8192        /* bytes of one part's header block */

static NEOERR *bad(void){ return nerr_raise(ERR_INPUT, "bad_request"); }

/* first occurrence of needle[0..nl) in hay[0..hl), or NULL */
static const char *find(const char *hay, size_t hl, const char *needle, size_t nl){
  if( nl==0 || hl<nl ) return NULL;
  const char *end = hay + (hl - nl);
  for(const char *p=hay; p<=end; p++){
    p = memchr(p, needle[0], (size_t)(end - p) + 1);
    if( p==NULL ) return NULL;
    if( memcmp(p, needle, nl)==0 ) return p;
  }
  return NULL;
}

static int is_bchar(unsigned char c){
  return (c>='0' && c<='9') || (c>='a' && c<='z') || (c>='A' && c<='Z')
      || (c && strchr("'()+_,-./:=? ", c));
}

/* Read a parameter value at *p (a quoted string or a token) into the
** arena and move *p past it.  Inside quotes only \" and \\ are escapes;
** other backslashes stay (old browsers send Windows paths). */
static char *param_value(ARENA *a, const char **p){
  const char *s = *p;
  if( *s=='"' ){
    s++;
    char *out = arena_alloc(a, strlen(s) + 1), *o = out;
    while( *s && *s!='"' ){
      if( *s=='\\' && (s[1]=='"' || s[1]=='\\') ) s++;
      *o++ = *s++;
    }
    if( *s!='"' ) return NULL;
    *p = s + 1;
    return out;
  }
  const char *e = s;
  while( *e && *e!=';' && *e!=' ' && *e!='\t' ) e++;
  *p = e;
  return arena_strndup(a, s, (size_t)(e - s));
}

/* Find parameter `want` in a header value of the form
** "type; a=1; b="2"" (names case-insensitive).  Returns NULL when absent;
** sets *malformed on a syntax error. */
static char *header_param(ARENA *a, const char *v, const char *want, int *malformed){
  const char *p = strchr(v, ';');
  char *found = NULL;
  while( p && *p==';' ){
    p++;
    while( *p==' ' || *p=='\t' ) p++;
    const char *n = p;
    while( *p && *p!='=' && *p!=';' && *p!=' ' && *p!='\t' ) p++;
    size_t nl = (size_t)(p - n);
    while( *p==' ' || *p=='\t' ) p++;
    if( *p!='=' ){
      if( nl==0 && *p==0 ) break;          /* a trailing ';' */
      *malformed = 1;
      return NULL;
    }
    p++;
    while( *p==' ' || *p=='\t' ) p++;
    char *val = param_value(a, &p);
    if( val==NULL ){ *malformed = 1; return NULL; }
    if( found==NULL && nl==strlen(want) && strncasecmp(n, want, nl)==0 ) found = val;
    while( *p==' ' || *p=='\t' ) p++;
    if( *p && *p!=';' ){ *malformed = 1; return NULL; }
  }
  return found;
}

/* the last path component: "C:\a\b.csv" and "a/b.csv" both give "b.csv" */
static const char *basename_any(const char *s){
  const char *b = s;
  for(const char *p=s; *p; p++) if( *p=='/' || *p=='\\' ) b = p + 1;
  return b;
}

/* Parse one part's header block h[0..n) (CRLF-separated lines, no blank
** line) into pt. */
static NEOERR *part_headers(ARENA *a, const char *h, size_t n, PART *pt){
  const char *disp = NULL;
  pt->ctype = "";
  size_t i = 0;
  while( i<n ){
    const char *eol = find(h + i, n - i, "\r\n", 2);
    size_t ll = eol ? (size_t)(eol - (h + i)) : n - i;
    if( memchr(h + i, 0, ll) ) return bad();
    char *line = arena_strndup(a, h + i, ll);
    i += ll + (eol ? 2 : 0);
    char *colon = strchr(line, ':');
    if( colon==NULL || colon==line ) return bad();
    *colon = 0;
    char *v = colon + 1;
    while( *v==' ' || *v=='\t' ) v++;
    size_t vl = strlen(v);
    while( vl && (v[vl-1]==' ' || v[vl-1]=='\t') ) v[--vl] = 0;
    if( strcasecmp(line, "Content-Disposition")==0 ){
      if( disp ) return bad();
      disp = v;
    }else if( strcasecmp(line, "Content-Type")==0 ){
      pt->ctype = v;
    }
  }
  if( disp==NULL ) return bad();
  size_t tl = strcspn(disp, "; \t");
  if( tl!=9 || strncasecmp(disp, "form-data", 9)!=0 ) return bad();

  int malformed = 0;
  char *name = header_param(a, disp, "name", &malformed);
  char *filename = malformed ? NULL : header_param(a, disp, "filename", &malformed);
  if( malformed || name==NULL || !str_is_name(name, strlen(name), 64) ) return bad();
  pt->name = name;
  pt->filename = NULL;
  if( filename ){
    if( !utf8_valid(filename, strlen(filename)) ) return nerr_raise(ERR_INPUT, "bad_utf8");
    pt->filename = basename_any(filename);
  }
  if( !utf8_valid(pt->ctype, strlen(pt->ctype)) ) return bad();
  return STATUS_OK;
}

/* Get the boundary parameter out of a multipart/form-data Content-Type. */
static NEOERR *boundary_of(ARENA *a, const char *ctype, const char **out){
  if( ctype==NULL ) return bad();
  while( *ctype==' ' ) ctype++;
  size_t tl = strcspn(ctype, "; \t");
  if( tl!=19 || strncasecmp(ctype, "multipart/form-data", 19)!=0 ) return bad();
  int malformed = 0;
  char *b = header_param(a, ctype, "boundary", &malformed);
  if( malformed || b==NULL ) return bad();
  size_t n = strlen(b);
  if( n==0 || n>MAX_BOUNDARY || b[n-1]==' ' ) return bad();
  for(size_t i=0; i<n; i++) if( !is_bchar((unsigned char)b[i]) ) return bad();
  *out = b;
  return STATUS_OK;
}

/* After "--boundary" at p (end e): 1 = the close delimiter "--", 0 = a
** part follows (optional white space, CRLF; *next set past the CRLF),
** -1 = not a delimiter (the boundary is only a prefix of other text). */
static int after_delim(const char *p, const char *e, const char **next){
  if( e - p>=2 && p[0]=='-' && p[1]=='-' ) return 1;
  while( p<e && (*p==' ' || *p=='\t') ) p++;
  if( e - p>=2 && p[0]=='\r' && p[1]=='\n' ){ *next = p + 2; return 0; }
  return -1;
}

NEOERR *multipart_parse(ARENA *a, const char *ctype, const char *body, size_t len,
                        PART *parts, int *nparts, int max){
  NEOERR *err;
  const char *b = NULL;
  *nparts = 0;
  if( (err = boundary_of(a, ctype, &b)) ) return nerr_pass(err);
  if( body==NULL ) return bad();

  /* delim = "\r\n--boundary"; the first one may lack the CRLF */
  size_t bl = strlen(b), dl = bl + 4;
  char *delim = arena_printf(a, "\r\n--%s", b);
  const char *end = body + len, *p;
  if( len>=dl - 2 && memcmp(body, delim + 2, dl - 2)==0 ){
    p = body + dl - 2;
  }else{
    const char *d = find(body, len, delim, dl);    /* after a preamble */
    if( d==NULL ) return bad();
    p = d + dl;
  }

  for(;;){
    const char *next = NULL;
    int k = after_delim(p, end, &next);
    if( k==1 ) break;                                /* "--boundary--" */
    if( k<0 ) return bad();
    p = next;
    if( *nparts>=max ) return bad();

    /* headers up to the blank line, which must come before any delimiter */
    const char *hend;
    size_t hl;
    if( end - p>=2 && p[0]=='\r' && p[1]=='\n' ){
      hend = p; hl = 0;                              /* no headers at all */
    }else{
      hend = find(p, (size_t)(end - p), "\r\n\r\n", 4);
      if( hend==NULL ) return bad();
      hl = (size_t)(hend - p) + 2;                   /* keep the last CRLF */
      if( hl>MAX_HEADERS ) return bad();
      if( find(p, (size_t)(hend - p), delim, dl) ) return bad();
    }
    PART *pt = &parts[*nparts];
    memset(pt, 0, sizeof(*pt));
    if( (err = part_headers(a, p, hl ? hl - 2 : 0, pt)) ) return nerr_pass(err);
    const char *data = hl ? hend + 4 : p + 2;

    /* the data runs to the next real delimiter */
    const char *q = data, *d;
    for(;;){
      d = find(q, (size_t)(end - q), delim, dl);
      if( d==NULL ) return bad();                    /* truncated */
      const char *dummy;
      if( after_delim(d + dl, end, &dummy)>=0 ) break;
      q = d + 1;
    }
    pt->len = (size_t)(d - data);
    pt->data = arena_strndup(a, data, pt->len);
    if( pt->filename==NULL ){
      if( memchr(pt->data, 0, pt->len) ) return bad();
      if( !utf8_valid(pt->data, pt->len) ) return nerr_raise(ERR_INPUT, "bad_utf8");
    }
    (*nparts)++;
    p = d + dl;
  }
  return STATUS_OK;
}
