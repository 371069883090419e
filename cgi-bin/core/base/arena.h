/*
** arena.h -- per-request memory.
**
** Everything a request needs lives in one arena that is reset after the
** reply is sent, so a long-lived FastCGI worker cannot leak per request.
*/
#ifndef DIAODU_ARENA_H
#define DIAODU_ARENA_H
#include <stddef.h>
#include <stdarg.h>

typedef struct arena ARENA;

ARENA *arena_new(size_t chunk);
void arena_free(ARENA *a);
void arena_reset(ARENA *a);                 /* keep the first chunk */
void *arena_alloc(ARENA *a, size_t n);       /* zeroed, 16-byte aligned */
char *arena_strdup(ARENA *a, const char *s);
char *arena_strndup(ARENA *a, const char *s, size_t n);
char *arena_printf(ARENA *a, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));
char *arena_vprintf(ARENA *a, const char *fmt, va_list ap)
  __attribute__((format(printf, 2, 0)));
size_t arena_used(const ARENA *a);           /* bytes handed out, for tests */

#endif
