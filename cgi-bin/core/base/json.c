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
