/*
** req.c -- see req.h.
*/
#include "req.h"
#include "err.h"
#include "str.h"
#include "conf.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct req {
  HDF *conf;
  ARENA *arena;
  FCGX_Request *fr;
  HDF *hdf;
  const char *method, *path, *ip, *ua;
  int https;
  PARAM query[REQ_MAX_PARAMS];  int nquery;
  PARAM form[REQ_MAX_PARAMS];   int nform;
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
  r->nquery = r->nform = r->ncookie = r->nfiles = 0;
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
  err = req_parse_urlencoded(r->arena, qs, strlen(qs), r->query, &r->nquery, REQ_MAX_PARAMS);
  if( err ){ r->nquery = 0; return nerr_pass(err); }
  return STATUS_OK;
}

NEOERR *req_read_body(REQ *r, size_t max){
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
  if( !multi )
    return nerr_pass(req_parse_urlencoded(r->arena, buf, (size_t)len, r->form, &r->nform, REQ_MAX_PARAMS));
  PART parts[REQ_MAX_PARAMS];
  int np = 0;
  NEOERR *err = multipart_parse(r->arena, ct, buf, (size_t)len, parts, &np, REQ_MAX_PARAMS);
  if( err ) return nerr_pass(err);
  for(int i=0; i<np; i++){
    if( parts[i].filename ){
      if( r->nfiles>=REQ_MAX_FILES ) return nerr_raise(ERR_INPUT, "too_many_params");
      r->files[r->nfiles++] = parts[i];
    }else if( r->nform<REQ_MAX_PARAMS ){
      r->form[r->nform].name = parts[i].name;
      r->form[r->nform].value = parts[i].data;
      r->nform++;
    }
  }
  return STATUS_OK;
}

const PART *req_file(REQ *r, const char *name){
  for(int i=0; i<r->nfiles; i++) if( strcmp(r->files[i].name, name)==0 ) return &r->files[i];
  return NULL;
}

static const char *find(const PARAM *p, int n, const char *name){
  for(int i=0; i<n; i++) if( strcmp(p[i].name, name)==0 ) return p[i].value;
  return NULL;
}

const char *req_param(REQ *r, const char *name){
  const char *v = find(r->form, r->nform, name);
  return v ? v : find(r->query, r->nquery, name);
}
const char *req_query(REQ *r, const char *name){ return find(r->query, r->nquery, name); }
const PARAM *req_queries(REQ *r, int *n){ *n = r->nquery; return r->query; }
const char *req_form(REQ *r, const char *name){ return find(r->form, r->nform, name); }
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
  r->nquery = r->nform = r->ncookie = 0;
  r->user = NULL;
  r->ctx = NULL;
  r->path = NULL;
}
