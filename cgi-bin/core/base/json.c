/*
** json.c -- see json.h.
*/
#include "json.h"
#include <stdio.h>
#include <string.h>

void json_quote(STRING *out, const char *s){
  string_append_char(out, '"');
  for(; *s; s++){
    unsigned char c = (unsigned char)*s;
    switch( c ){
      case '"': string_append(out, "\\\""); break;
      case '\\': string_append(out, "\\\\"); break;
      case '\n': string_append(out, "\\n"); break;
      case '\r': string_append(out, "\\r"); break;
      case '\t': string_append(out, "\\t"); break;
      default:
        if( c<0x20 ) string_appendf(out, "\\u%04x", c);
        else string_append_char(out, (char)c);
    }
  }
  string_append_char(out, '"');
}

static void key(JSON *j, const char *k){
  if( !j->first ) string_append_char(&j->s, ',');
  j->first = 0;
  json_quote(&j->s, k);
  string_append_char(&j->s, ':');
}

void json_open(JSON *j){ string_init(&j->s); string_append_char(&j->s, '{'); j->first = 1; }
void json_obj(JSON *j, const char *k){ key(j, k); string_append_char(&j->s, '{'); j->first = 1; }
void json_end(JSON *j){ string_append_char(&j->s, '}'); j->first = 0; }

void json_str(JSON *j, const char *k, const char *v){
  key(j, k);
  if( v ) json_quote(&j->s, v); else string_append(&j->s, "null");
}

void json_int(JSON *j, const char *k, long long v){
  key(j, k);
  string_appendf(&j->s, "%lld", v);
}

char *json_done(JSON *j, ARENA *a){
  char *r = arena_strdup(a, j->s.buf ? j->s.buf : "{}");
  string_clear(&j->s);
  return r;
}

/* ------------------------------------------------------------------ */
/* reading                                                             */

typedef struct {
  ARENA *a;
  const char *p;
  JSON_KV *kv;
  int n, cap, depth;
} JR;

static void ws(JR *r){ while( *r->p==' ' || *r->p=='\t' || *r->p=='\n' || *r->p=='\r' ) r->p++; }

static int hex4(const char *s, unsigned *v){
  *v = 0;
  for(int i=0; i<4; i++){
    char c = s[i];
    *v <<= 4;
    if( c>='0' && c<='9' ) *v |= (unsigned)(c - '0');
    else if( c>='a' && c<='f' ) *v |= (unsigned)(c - 'a' + 10);
    else if( c>='A' && c<='F' ) *v |= (unsigned)(c - 'A' + 10);
    else return -1;
  }
  return 0;
}

static void put_utf8(STRING *s, unsigned c){
  if( c<0x80 ) string_append_char(s, (char)c);
  else if( c<0x800 ){ string_append_char(s, (char)(0xC0 | (c >> 6))); string_append_char(s, (char)(0x80 | (c & 0x3F))); }
  else if( c<0x10000 ){
    string_append_char(s, (char)(0xE0 | (c >> 12)));
    string_append_char(s, (char)(0x80 | ((c >> 6) & 0x3F)));
    string_append_char(s, (char)(0x80 | (c & 0x3F)));
  }else{
    string_append_char(s, (char)(0xF0 | (c >> 18)));
    string_append_char(s, (char)(0x80 | ((c >> 12) & 0x3F)));
    string_append_char(s, (char)(0x80 | ((c >> 6) & 0x3F)));
    string_append_char(s, (char)(0x80 | (c & 0x3F)));
  }
}

/* a string literal at r->p (on the quote) into the arena */
static char *jstr(JR *r){
  STRING s;
  string_init(&s);
  r->p++;
  for(;;){
    unsigned char c = (unsigned char)*r->p;
    if( c==0 || c<0x20 ){ string_clear(&s); return NULL; }
    r->p++;
    if( c=='"' ) break;
    if( c!='\\' ){ string_append_char(&s, (char)c); continue; }
    char e = *r->p++;
    unsigned u, lo;
    switch( e ){
      case '"': string_append_char(&s, '"'); break;
      case '\\': string_append_char(&s, '\\'); break;
      case '/': string_append_char(&s, '/'); break;
      case 'b': string_append_char(&s, '\b'); break;
      case 'f': string_append_char(&s, '\f'); break;
      case 'n': string_append_char(&s, '\n'); break;
      case 'r': string_append_char(&s, '\r'); break;
      case 't': string_append_char(&s, '\t'); break;
      case 'u':
        if( hex4(r->p, &u) ){ string_clear(&s); return NULL; }
        r->p += 4;
        if( u>=0xD800 && u<0xDC00 && r->p[0]=='\\' && r->p[1]=='u' && hex4(r->p + 2, &lo)==0
            && lo>=0xDC00 && lo<0xE000 ){
          u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
          r->p += 6;
        }
        if( u==0 || (u>=0xD800 && u<0xE000) ){ string_clear(&s); return NULL; }
        put_utf8(&s, u);
        break;
      default: string_clear(&s); return NULL;
    }
  }
  char *out = arena_strdup(r->a, s.buf ? s.buf : "");
  string_clear(&s);
  return out;
}

static int add(JR *r, const char *path, const char *value){
  if( r->n==r->cap ){
    int cap = r->cap ? r->cap * 2 : 16;
    JSON_KV *kv = arena_alloc(r->a, sizeof(JSON_KV) * (size_t)cap);
    if( r->n ) memcpy(kv, r->kv, sizeof(JSON_KV) * (size_t)r->n);
    r->kv = kv;
    r->cap = cap;
  }
  r->kv[r->n].path = path;
  r->kv[r->n++].value = value;
  return 0;
}

static const char *join(JR *r, const char *base, const char *k){
  return *base ? arena_printf(r->a, "%s.%s", base, k) : k;
}

static int jvalue(JR *r, const char *path){
  ws(r);
  char c = *r->p;
  if( c=='{' || c=='[' ){
    if( ++r->depth>16 ) return -1;
    r->p++;
    ws(r);
    char close = c=='{' ? '}' : ']';
    int i = 0;
    if( *r->p==close ){ r->p++; r->depth--; return 0; }
    for(;;){
      const char *sub;
      ws(r);
      if( c=='{' ){
        if( *r->p!='"' ) return -1;
        char *k = jstr(r);
        if( k==NULL ) return -1;
        ws(r);
        if( *r->p++!=':' ) return -1;
        sub = join(r, path, k);
      }else{
        sub = join(r, path, arena_printf(r->a, "%d", i));
      }
      if( jvalue(r, sub) ) return -1;
      i++;
      ws(r);
      if( *r->p==',' ){ r->p++; continue; }
      if( *r->p==close ){ r->p++; r->depth--; return 0; }
      return -1;
    }
  }
  if( c=='"' ){
    char *v = jstr(r);
    return v ? add(r, path, v) : -1;
  }
  if( strncmp(r->p, "null", 4)==0 ){ r->p += 4; return add(r, path, NULL); }
  if( strncmp(r->p, "true", 4)==0 ){ r->p += 4; return add(r, path, "true"); }
  if( strncmp(r->p, "false", 5)==0 ){ r->p += 5; return add(r, path, "false"); }
  const char *s = r->p;
  if( *r->p=='-' ) r->p++;
  if( !(*r->p>='0' && *r->p<='9') ) return -1;
  while( (*r->p>='0' && *r->p<='9') || *r->p=='.' || *r->p=='e' || *r->p=='E' || *r->p=='+' || *r->p=='-' ) r->p++;
  return add(r, path, arena_strndup(r->a, s, (size_t)(r->p - s)));
}

int json_flatten(ARENA *a, const char *text, JSON_KV **out){
  JR r = { a, text ? text : "", NULL, 0, 0, 0 };
  *out = NULL;
  if( jvalue(&r, "") ) return -1;
  ws(&r);
  if( *r.p ) return -1;
  *out = r.kv;
  return r.n;
}

const char *json_get(const JSON_KV *kv, int n, const char *path){
  for(int i=0; i<n; i++) if( strcmp(kv[i].path, path)==0 ) return kv[i].value;
  return NULL;
}
