/*
** arena_asan.c -- the ARENA of cgi-bin/core/arena.h for the fuzzers: the
** same interface and semantics (zeroed memory, 16-byte alignment, reset
** frees everything a request used), but every arena_alloc() is its own
** malloc of exactly n bytes, so AddressSanitizer reports a read or write
** past the end of any one allocation.  The real bump allocator hands out
** slices of one chunk, where such an overflow would silently land in the
** neighbouring allocation.  Used only by the harnesses in tests/fuzz/.
*/
#include "arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena {
  void **p;           /* every allocation since the last reset */
  size_t n, cap;
  size_t total;
};

ARENA *arena_new(size_t chunk){
  (void)chunk;
  ARENA *a = calloc(1, sizeof(*a));
  if( a==NULL ){ perror("arena"); abort(); }
  return a;
}

void arena_reset(ARENA *a){
  for(size_t i=0; i<a->n; i++) free(a->p[i]);
  free(a->p);
  a->p = NULL;
  a->n = a->cap = 0;
  a->total = 0;
}

void arena_free(ARENA *a){
  if( a==NULL ) return;
  arena_reset(a);
  free(a);
}

void *arena_alloc(ARENA *a, size_t n){
  void *p = NULL;
  if( posix_memalign(&p, 16, n)!=0 ){ perror("arena"); abort(); }
  if( p==NULL && (p = malloc(1))==NULL ){ perror("arena"); abort(); }   /* n==0 */
  if( n ) memset(p, 0, n);
  if( a->n==a->cap ){
    size_t cap = a->cap ? 2*a->cap : 64;
    void **v = realloc(a->p, cap * sizeof(*v));
    if( v==NULL ){ perror("arena"); abort(); }
    a->p = v;
    a->cap = cap;
  }
  a->p[a->n++] = p;
  a->total += (n + 15) & ~(size_t)15;
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
