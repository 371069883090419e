/*
** hmap.c -- open addressing with linear probing, FNV-1a.
*/
#include "hmap.h"
#include <string.h>

struct hmap { ARENA *a; int cap, n; const char **k; void **v; };

static unsigned fnv(const char *s){
  unsigned h = 2166136261u;
  for(; *s; s++){ h ^= (unsigned char)*s; h *= 16777619u; }
  return h;
}

static void init(HMAP *m, int cap){
  m->cap = cap;
  m->n = 0;
  m->k = arena_alloc(m->a, sizeof(char*) * (size_t)cap);
  m->v = arena_alloc(m->a, sizeof(void*) * (size_t)cap);
}

HMAP *hmap_new(ARENA *a, int hint){
  HMAP *m = arena_alloc(a, sizeof(*m));
  int cap = 16;
  while( cap < hint*2 ) cap *= 2;
  m->a = a;
  init(m, cap);
  return m;
}

void *hmap_get(HMAP *m, const char *key){
  unsigned i = fnv(key) & (unsigned)(m->cap - 1);
  while( m->k[i] ){
    if( strcmp(m->k[i], key)==0 ) return m->v[i];
    i = (i + 1) & (unsigned)(m->cap - 1);
  }
  return NULL;
}

void hmap_put(HMAP *m, const char *key, void *value){
  if( (m->n + 1)*2 > m->cap ){
    const char **ok = m->k; void **ov = m->v; int oc = m->cap;
    init(m, oc*2);
    for(int j=0; j<oc; j++) if( ok[j] ) hmap_put(m, ok[j], ov[j]);
  }
  unsigned i = fnv(key) & (unsigned)(m->cap - 1);
  while( m->k[i] ){
    if( strcmp(m->k[i], key)==0 ){ m->v[i] = value; return; }
    i = (i + 1) & (unsigned)(m->cap - 1);
  }
  m->k[i] = key;
  m->v[i] = value;
  m->n++;
}

int hmap_count(HMAP *m){ return m->n; }
