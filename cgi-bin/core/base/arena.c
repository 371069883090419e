/*
** arena.c -- a bump allocator made of a list of chunks.
**
** arena_reset() frees every chunk but the first, so the steady state of a
** worker is one malloc'ed chunk reused for every request.  A request that
** asks for more than a chunk gets a chunk of its own size.
**
** Built with AddressSanitizer (the test and fuzz builds), the arena tells
** ASan what is in use: every chunk starts poisoned, arena_alloc() unpoisons
** exactly the n bytes it hands out and leaves a poisoned red zone of RED
** bytes after each allocation (and before the first of a chunk), and
** arena_reset() poisons the kept chunk again.  So a read or write just past
** (or before) an allocation, or of arena memory after the reset, is reported
** where it happens instead of landing silently in a neighbour.  Without
** ASan, RED is 0 and the poisoning compiles to nothing.
*/
#include "arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
# define ARENA_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define ARENA_ASAN 1
# endif
#endif
#ifdef ARENA_ASAN
# include <sanitizer/asan_interface.h>
# define RED 16
#else
# define ASAN_POISON_MEMORY_REGION(p, n)   ((void)(p), (void)(n))
# define ASAN_UNPOISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
# define RED 0
#endif

struct chunk {
  struct chunk *next;
  size_t size, used;        /* of data[]; a left red zone lies before it */
  unsigned char *data;
};

struct arena {
  struct chunk *head;       /* current chunk, newest first */
  struct chunk *first;      /* the chunk kept across resets */
  size_t chunk;
  size_t total;
};

static struct chunk *chunk_new(size_t size){
  struct chunk *c = malloc(sizeof(*c) + RED + size);
  if( c==NULL ){ perror("arena"); abort(); }
  c->next = NULL;
  c->size = size;
  c->used = 0;
  c->data = (unsigned char*)(c + 1) + RED;
  ASAN_POISON_MEMORY_REGION(c + 1, RED + size);
  return c;
}

static void chunk_free(struct chunk *c){
  ASAN_UNPOISON_MEMORY_REGION(c + 1, RED + c->size);
  free(c);
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
    chunk_free(c);
    c = n;
  }
  a->head = a->first;
  ASAN_POISON_MEMORY_REGION(a->first->data, a->first->used);
  a->first->used = 0;
  a->first->next = NULL;
  a->total = 0;
}

void arena_free(ARENA *a){
  if( a==NULL ) return;
  arena_reset(a);
  chunk_free(a->first);
  free(a);
}

void *arena_alloc(ARENA *a, size_t n){
  size_t round = (n + 15) & ~(size_t)15;
  if( round==0 ) round = 16;
  size_t need = round + RED;
  struct chunk *c = a->head;
  if( c->size - c->used < need ){
    size_t size = need > a->chunk ? need : a->chunk;
    c = chunk_new(size);
    c->next = a->head;
    a->head = c;
  }
  void *p = c->data + c->used;
  c->used += need;
  a->total += round;
  ASAN_UNPOISON_MEMORY_REGION(p, n);
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
