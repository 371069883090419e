/*
** req.c -- see req.h.
*/
#include "req.h"
#include "err.h"
#include "str.h"
#include "conf.h"
#include "hmap.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* the parameters of one source (query string or body), indexed once */
typedef struct {
  PARAM *p;                   /* in the arena */
  int n;
  HMAP *names;                /* name -> value, the first of each name */
  HMAP *rows;                 /* prefix -> int*: 1 + highest row index */
} PSET;

struct req {
  HDF *conf;
  ARENA *arena;
  FCGX_Request *fr;
  HDF *hdf;
  int max_params;             /* Limits.MaxParams */
  const char *method, *path, *ip, *ua;
  int https;
  PSET query, form;
  PARAM cookie[REQ_MAX_COOKIES]; int ncookie;
  PART files[REQ_MAX_FILES]; int nfiles;
  void *user;
  void *ctx;                          /* the domain context (app_ctx) */
  /* reply */
  int status;
  const char *ctype;
  STRING headers;
  STRING body;
};

REQ *req_new(HDF *conf){
  REQ *r = calloc(1, sizeof(*r));
  if( r==NULL ) abort();
  r->conf = conf;
  r->arena = arena_new(64*1024);
  long mp = conf ? conf_int(conf, "Limits.MaxParams", REQ_MAX_PARAMS) : REQ_MAX_PARAMS;
  r->max_params = mp<1 ? REQ_MAX_PARAMS : mp>REQ_PARAMS_CAP ? REQ_PARAMS_CAP : (int)mp;
  string_init(&r->headers);
  string_init(&r->body);
  return r;
}

void req_free(REQ *r){
  if( r==NULL ) return;
  req_end(r);
  if( r->hdf ) hdf_destroy(&r->hdf);
  arena_free(r->arena);
  free(r);
}

/* Parse "a=1&b=2" into out[].  Empty pieces ("a=1&&b") are skipped; a name
** outside the safe alphabet, a bad escape, invalid UTF-8 or more than max
** pairs is an input error. */
NEOERR *req_parse_urlencoded(ARENA *a, const char *s, size_t n,
                             PARAM *out, int *count, int max){
  size_t i = 0;
  while( i<n ){
    size_t j = i;
    while( j<n && s[j]!='&' && s[j]!=';' ) j++;
    if( j>i ){
      const char *eq = memchr(s + i, '=', j - i);
      size_t nlen = eq ? (size_t)(eq - (s + i)) : j - i;
      const char *v = eq ? eq + 1 : s + j;
      size_t vlen = eq ? (size_t)((s + j) - v) : 0;
      char *name = url_decode(a, s + i, nlen, 1);
      if( name==NULL || !str_is_name(name, strlen(name), 64) )
        return nerr_raise(ERR_INPUT, "bad_request");
      char *value = url_decode(a, v, vlen, 1);
      if( value==NULL ) return nerr_raise(ERR_INPUT, "bad_request");
      if( !utf8_valid(value, strlen(value)) ) return nerr_raise(ERR_INPUT, "bad_utf8");
      if( *count>=max ) return nerr_raise(ERR_INPUT, "too_many_params");
      out[*count].name = name;
      out[*count].value = value;
      (*count)++;
    }
    i = j + 1;
  }
  return STATUS_OK;
}

int req_row_name(const char *name, int limit, int *index, size_t *plen){
  const char *d1 = strchr(name, '.');
  if( d1==NULL ) return 0;
  const char *seg = d1 + 1;
  const char *d2 = strchr(seg, '.');
  if( d2==NULL ) return 0;
  if( !((*seg>='0' && *seg<='9') || *seg=='-' || *seg=='+') ) return 0;
  /* from here on it claims to be a row: it has to be a good one */
  size_t n = (size_t)(d2 - seg);
  if( d1==name || d2[1]==0 || n>9 || (n>1 && seg[0]=='0') ) return -1;
  long v = 0;
  for(size_t i=0; i<n; i++){
    if( seg[i]<'0' || seg[i]>'9' ) return -1;
    v = v*10 + (seg[i] - '0');
  }
  if( v>=limit ) return -1;
  *index = (int)v;
  *plen = (size_t)(d1 - name);
  return 1;
}

/* build the name and row indexes of ps; a malformed row name is an
** input error (then ps is left empty) */
static NEOERR *index_params(ARENA *a, PSET *ps, int limit){
  const char *last = NULL;      /* sheets come row after row: one lookup per prefix run */
  size_t lastlen = 0;
  int *lastmax = NULL;
  ps->names = ps->rows = NULL;
  if( ps->n==0 ) return STATUS_OK;
  ps->names = hmap_new(a, ps->n);
  for(int i=0; i<ps->n; i++){
    const char *nm = ps->p[i].name;
    int idx = 0;
    size_t plen = 0;
    int k = req_row_name(nm, limit, &idx, &plen);
    if( k<0 ){
      ps->n = 0;
      ps->names = ps->rows = NULL;
      return nerr_raise(ERR_INPUT, "bad_request");
    }
    if( ps->p[i].value==NULL ) ps->p[i].value = "";
    if( hmap_get(ps->names, nm)==NULL ) hmap_put(ps->names, nm, (void*)ps->p[i].value);
    if( k==0 ) continue;
    if( last==NULL || plen!=lastlen || memcmp(last, nm, plen)!=0 ){
      char *pre = arena_strndup(a, nm, plen);
      if( ps->rows==NULL ) ps->rows = hmap_new(a, 4);
      lastmax = hmap_get(ps->rows, pre);
      if( lastmax==NULL ){
        lastmax = arena_alloc(a, sizeof(int));
        hmap_put(ps->rows, pre, lastmax);
      }
      last = pre;
      lastlen = plen;
    }
    if( idx + 1>*lastmax ) *lastmax = idx + 1;
  }
  return STATUS_OK;
}

/* parse urlencoded s into ps (at most limit pairs) and index it */
static NEOERR *parse_set(ARENA *a, PSET *ps, const char *s, size_t len, int limit){
  int bound = 1;                /* pieces, at most */
  for(size_t i=0; i<len && bound<limit; i++) if( s[i]=='&' || s[i]==';' ) bound++;
  int cap = bound<limit ? bound : limit;
  ps->p = arena_alloc(a, sizeof(PARAM) * (size_t)cap);
  ps->n = 0;
  ps->names = ps->rows = NULL;
  NEOERR *err = req_parse_urlencoded(a, s, len, ps->p, &ps->n, cap);
  if( err ){ ps->n = 0; return nerr_pass(err); }
  return nerr_pass(index_params(a, ps, limit));
}

/* Parse a Cookie header.  Malformed pieces are ignored (browsers send what
** other sites on the host set); returns the number of cookies kept. */
int req_parse_cookies(ARENA *a, const char *s, PARAM *out, int max){
  int n = 0;
  while( s && *s && n<max ){
    while( *s==' ' || *s==';' ) s++;
    const char *end = strchr(s, ';');
    size_t len = end ? (size_t)(end - s) : strlen(s);
    const char *eq = memchr(s, '=', len);
    if( eq && eq>s && str_is_name(s, (size_t)(eq - s), 64) ){
      const char *v = eq + 1;
      size_t vlen = len - (size_t)(v - s);
      if( vlen>=2 && v[0]=='"' && v[vlen-1]=='"' ){ v++; vlen -= 2; }
      out[n].name = arena_strndup(a, s, (size_t)(eq - s));
      out[n].value = arena_strndup(a, v, vlen);
      n++;
    }
    if( end==NULL ) break;
    s = end + 1;
  }
  return n;
}

static const char *env(REQ *r, const char *name){
  const char *v = FCGX_GetParam(name, r->fr->envp);
  return v ? v : "";
}

NEOERR *req_begin(REQ *r, FCGX_Request *fr){
  NEOERR *err;
  r->fr = fr;
  r->status = 200;
  r->ctype = "text/html; charset=utf-8";
  memset(&r->query, 0, sizeof r->query);
  memset(&r->form, 0, sizeof r->form);
  r->ncookie = r->nfiles = 0;
  r->user = NULL;
  r->ctx = NULL;
  if( r->hdf==NULL && (err = hdf_init(&r->hdf)) ) return nerr_pass(err);

  r->ncookie = req_parse_cookies(r->arena, env(r, "HTTP_COOKIE"), r->cookie, REQ_MAX_COOKIES);
  r->method = env(r, "REQUEST_METHOD");
  r->ip = env(r, "REMOTE_ADDR");
  r->ua = env(r, "HTTP_USER_AGENT");
  const char *https = env(r, "HTTPS");
  r->https = (strcmp(https, "on")==0 || strcmp(https, "1")==0);

  /* route on REQUEST_URI: nginx and Apache agree on it (PLATFORM.md) */
  const char *uri = env(r, "REQUEST_URI");
  const char *q = strchr(uri, '?');
  size_t plen = q ? (size_t)(q - uri) : strlen(uri);
  if( plen>2048 ) return nerr_raise(ERR_INPUT, "bad_request");
  r->path = url_decode(r->arena, uri, plen, 0);
  if( r->path==NULL || r->path[0]!='/' || !utf8_valid(r->path, strlen(r->path)) ){
    r->path = "/";
    return nerr_raise(ERR_INPUT, "bad_request");
  }
  const char *qs = env(r, "QUERY_STRING");
  if( strlen(qs)>8192 ) return nerr_raise(ERR_INPUT, "bad_request");
  return nerr_pass(parse_set(r->arena, &r->query, qs, strlen(qs), r->max_params));
}

NEOERR *req_read_body(REQ *r, size_t max, int max_params){
  int lim = max_params>0 ? max_params : r->max_params;
  if( lim>REQ_PARAMS_CAP )
    return nerr_raise(NERR_ASSERT, "a route takes %d parameters, more than %d", lim, REQ_PARAMS_CAP);
  if( strcmp(r->method, "POST")!=0 ) return STATUS_OK;
  const char *cl = env(r, "CONTENT_LENGTH");
  char *end;
  unsigned long long len = strtoull(cl, &end, 10);
  if( *cl==0 ) len = 0;
  else if( *end!=0 || cl[0]=='-' ) return nerr_raise(ERR_INPUT, "bad_request");
  if( len>max ) return nerr_raise(ERR_TOOBIG, "too_big");
  const char *ct = env(r, "CONTENT_TYPE");
  int multi = strncasecmp(ct, "multipart/form-data", 19)==0;
  if( len>0 && !multi && strncasecmp(ct, "application/x-www-form-urlencoded", 33)!=0 )
    return nerr_raise(ERR_INPUT, "bad_content_type");
  char *buf = arena_alloc(r->arena, (size_t)len + 1);
  size_t got = 0;
  while( got<len ){
    int n = FCGX_GetStr(buf + got, (int)(len - got), r->fr->in);
    if( n<=0 ) break;
    got += (size_t)n;
  }
  if( got!=len ) return nerr_raise(ERR_INPUT, "bad_request");
  if( !multi ) return nerr_pass(parse_set(r->arena, &r->form, buf, (size_t)len, lim));
  PART *parts = arena_alloc(r->arena, sizeof(PART) * (size_t)lim);
  int np = 0;
  NEOERR *err = multipart_parse(r->arena, ct, buf, (size_t)len, parts, &np, lim);
  if( err ) return nerr_pass(err);
  PSET *f = &r->form;
  f->p = arena_alloc(r->arena, sizeof(PARAM) * (size_t)(np ? np : 1));
  f->n = 0;
  for(int i=0; i<np; i++){
    if( parts[i].filename ){
      if( r->nfiles>=REQ_MAX_FILES ) return nerr_raise(ERR_INPUT, "too_many_params");
      r->files[r->nfiles++] = parts[i];
    }else{
      f->p[f->n].name = parts[i].name;
      f->p[f->n].value = parts[i].data;
      f->n++;
    }
  }
  return nerr_pass(index_params(r->arena, f, lim));
}

const PART *req_file(REQ *r, const char *name){
  for(int i=0; i<r->nfiles; i++) if( strcmp(r->files[i].name, name)==0 ) return &r->files[i];
  return NULL;
}

static const char *find(const PARAM *p, int n, const char *name){
  for(int i=0; i<n; i++) if( strcmp(p[i].name, name)==0 ) return p[i].value;
  return NULL;
}

static const char *lookup(PSET *ps, const char *name){
  return ps->names && name ? hmap_get(ps->names, name) : NULL;
}

const char *req_param(REQ *r, const char *name){
  const char *v = lookup(&r->form, name);
  return v ? v : lookup(&r->query, name);
}
const char *req_query(REQ *r, const char *name){ return lookup(&r->query, name); }
const PARAM *req_queries(REQ *r, int *n){ *n = r->query.n; return r->query.p; }
const char *req_form(REQ *r, const char *name){ return lookup(&r->form, name); }

const char *req_row(REQ *r, const char *prefix, int i, const char *field){
  char key[160];
  if( i<0 || prefix==NULL || field==NULL ) return NULL;
  int n = snprintf(key, sizeof key, "%s.%d.%s", prefix, i, field);
  if( n<0 || (size_t)n>=sizeof key ) return NULL;
  return req_param(r, key);
}

static int rows_of(PSET *ps, const char *prefix){
  int *m = ps->rows && prefix ? hmap_get(ps->rows, prefix) : NULL;
  return m ? *m : 0;
}

int req_rows(REQ *r, const char *prefix){
  int a = rows_of(&r->form, prefix), b = rows_of(&r->query, prefix);
  return a>b ? a : b;
}
const char *req_cookie(REQ *r, const char *name){ return find(r->cookie, r->ncookie, name); }
const char *req_method(REQ *r){ return r->method; }
const char *req_path(REQ *r){ return r->path ? r->path : "/"; }
const char *req_ip(REQ *r){ return r->ip; }
const char *req_ua(REQ *r){ return r->ua; }
int req_https(REQ *r){ return r->https; }
const char *req_env(REQ *r, const char *name){ return env(r, name); }
ARENA *req_arena(REQ *r){ return r->arena; }
HDF *req_hdf(REQ *r){ return r->hdf; }
HDF *req_conf(REQ *r){ return r->conf; }
void *req_user(REQ *r){ return r->user; }
void req_set_user(REQ *r, void *user){ r->user = user; r->ctx = NULL; }
void *req_ctx(REQ *r){ return r->ctx; }
void req_set_ctx(REQ *r, void *ctx){ r->ctx = ctx; }

void req_set_status(REQ *r, int status){ r->status = status; }
int req_get_status(REQ *r){ return r->status; }
void req_set_type(REQ *r, const char *t){ r->ctype = t; }
STRING *req_body(REQ *r){ return &r->body; }

void req_add_header(REQ *r, const char *name, const char *value){
  /* header injection guard: no CR/LF ever reaches the wire */
  if( strpbrk(name, "\r\n:") || strpbrk(value, "\r\n") ) return;
  string_appendf(&r->headers, "%s: %s\r\n", name, value);
}

void req_set_cookie(REQ *r, const char *name, const char *value, long max_age){
  char *v;
  const char *secure = r->https ? "; Secure" : "";
  if( max_age>=0 )
    v = arena_printf(r->arena, "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Lax%s",
                     name, value, max_age, secure);
  else
    v = arena_printf(r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", name, value, secure);
  req_add_header(r, "Set-Cookie", v);
}

int req_local_path(const char *url){
  /* an absolute path on this site: "/x", never "//host", "/\\host", and no
  ** byte a browser strips or reinterprets (tab, newline, space, backslash) */
  if( url==NULL || url[0]!='/' || url[1]=='/' ) return 0;
  for(const unsigned char *p=(const unsigned char*)url; *p; p++)
    if( *p<=0x20 || *p==0x7F || *p=='\\' ) return 0;
  return 1;
}

void req_redirect(REQ *r, const char *url){
  if( !req_local_path(url) ) url = "/";
  r->status = 303;
  req_add_header(r, "Location", url);
}

void req_reset_reply(REQ *r){
  string_clear(&r->body);
  string_clear(&r->headers);
  string_init(&r->body);
  string_init(&r->headers);
  r->ctype = "text/html; charset=utf-8";
}

NEOERR *req_append(REQ *r, const char *s, size_t n){
  return nerr_pass(string_appendn(&r->body, s, (int)n));
}

static const char *reason(int s){
  switch( s ){
    case 200: return "OK";
    case 303: return "See Other";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default:  return s>=500 ? "Internal Server Error" : "OK";
  }
}

NEOERR *req_send(REQ *r){
  FCGX_Stream *o = r->fr->out;
  const char *csp = conf_str(r->conf, "Http.ContentSecurityPolicy",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  FCGX_FPrintF(o, "Status: %d %s\r\n", r->status, reason(r->status));
  FCGX_FPrintF(o, "Content-Type: %s\r\n", r->ctype);
  FCGX_FPrintF(o, "Content-Length: %d\r\n", r->body.len);
  FCGX_FPrintF(o, "Content-Security-Policy: %s\r\n", csp);
  FCGX_PutS("X-Content-Type-Options: nosniff\r\n"
            "X-Frame-Options: DENY\r\n"
            "Referrer-Policy: same-origin\r\n"
            "Cache-Control: no-store\r\n", o);
  if( r->https ) FCGX_PutS("Strict-Transport-Security: max-age=31536000\r\n", o);
  if( r->headers.len ) FCGX_PutStr(r->headers.buf, r->headers.len, o);
  FCGX_PutS("\r\n", o);
  if( r->body.len && strcmp(r->method, "HEAD")!=0 ) FCGX_PutStr(r->body.buf, r->body.len, o);
  return STATUS_OK;
}

/* Empty the page's data set for the next request, all but the subtrees
** named in keep[] (the language strings, loaded once per worker) -- so
** nothing of one request can leak into the next. */
static void hdf_clean(HDF **hp, const char *const *keep){
  char name[256];
  HDF *h = *hp;
  for(;;){
    HDF *c = hdf_obj_child(h);
    while( c ){
      const char *n = hdf_obj_name(c);
      int kept = 0;
      for(int i=0; keep[i] && !kept; i++) kept = strcmp(n, keep[i])==0;
      if( !kept ) break;
      c = hdf_obj_next(c);
    }
    if( c==NULL ) return;
    snprintf(name, sizeof name, "%s", hdf_obj_name(c));
    NEOERR *err = hdf_remove_tree(h, name);
    if( err ){                       /* cannot happen: start from nothing */
      nerr_ignore(&err);
      hdf_destroy(hp);
      return;
    }
  }
}

void req_end(REQ *r){
  static const char *const keep[] = { "Langs", NULL };
  if( r->hdf ) hdf_clean(&r->hdf, keep);
  req_reset_reply(r);
  arena_reset(r->arena);
  memset(&r->query, 0, sizeof r->query);
  memset(&r->form, 0, sizeof r->form);
  r->ncookie = r->nfiles = 0;
  r->user = NULL;
  r->ctx = NULL;
  r->path = NULL;
}
