/*
** arena.c -- a bump allocator made of a list of chunks.
**
** arena_reset() frees every chunk but the first, so the steady state of a
** worker is one malloc'ed chunk reused for every request.  A request that
** asks for more than a chunk gets a chunk of its own size.
*/
#include "arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct chunk {
  struct chunk *next;
  size_t size, used;
  unsigned char *data;
};

struct arena {
  struct chunk *head;       /* current chunk, newest first */
  struct chunk *first;      /* the chunk kept across resets */
  size_t chunk;
  size_t total;
};

static struct chunk *chunk_new(size_t size){
  struct chunk *c = malloc(sizeof(*c) + size);
  if( c==NULL ){ perror("arena"); abort(); }
  c->next = NULL;
  c->size = size;
  c->used = 0;
  c->data = (unsigned char*)(c + 1);
  return c;
}

ARENA *arena_new(size_t chunk){
  ARENA *a = calloc(1, sizeof(*a));
  if( a==NULL ){ perror("arena"); abort(); }
  a->chunk = chunk < 1024 ? 1024 : chunk;
  a->first = a->head = chunk_new(a->chunk);
  return a;
}

void arena_reset(ARENA *a){
  struct chunk *c = a->head;
  while( c && c!=a->first ){
    struct chunk *n = c->next;
    free(c);
    c = n;
  }
  a->head = a->first;
  a->first->used = 0;
  a->first->next = NULL;
  a->total = 0;
}

void arena_free(ARENA *a){
  if( a==NULL ) return;
  arena_reset(a);
  free(a->first);
  free(a);
}

void *arena_alloc(ARENA *a, size_t n){
  size_t need = (n + 15) & ~(size_t)15;
  struct chunk *c = a->head;
  if( need==0 ) need = 16;
  if( c->size - c->used < need ){
    size_t size = need > a->chunk ? need : a->chunk;
    c = chunk_new(size);
    c->next = a->head;
    a->head = c;
  }
  void *p = c->data + c->used;
  c->used += need;
  a->total += need;
  memset(p, 0, n);
  return p;
}

char *arena_strndup(ARENA *a, const char *s, size_t n){
  char *p = arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *arena_strdup(ARENA *a, const char *s){
  return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(ARENA *a, const char *fmt, va_list ap){
  va_list cp;
  va_copy(cp, ap);
  int n = vsnprintf(NULL, 0, fmt, cp);
  va_end(cp);
  if( n<0 ) n = 0;
  char *p = arena_alloc(a, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *arena_printf(ARENA *a, const char *fmt, ...){
  va_list ap;
  va_start(ap, fmt);
  char *p = arena_vprintf(a, fmt, ap);
  va_end(ap);
  return p;
}

size_t arena_used(const ARENA *a){ return a->total; }
