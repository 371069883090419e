/*
** fuzz.h -- what every libFuzzer harness of tests/fuzz/ shares.
**
** One arena for the whole process, reset after every input; err_init()
** once in LLVMFuzzerInitialize; CHECK() for invariants (prints where and
** aborts, so libFuzzer saves the input as a crash); expect_input_error()
** for the rule that hostile bytes give a 4xx error (ERR_INPUT 400 or
** ERR_TOOBIG 413), never a 5xx.
**
** The harnesses link the real arena: built with ASan it poisons a red zone
** after every allocation and all of it on reset, so AddressSanitizer sees
** an overflow of any single arena allocation (base/arena.c).
*/
#ifndef DIAODU_FUZZ_H
#define DIAODU_FUZZ_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE           /* memmem, strcasestr */
#endif
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "err.h"

static ARENA *A;

int LLVMFuzzerInitialize(int *argc, char ***argv){
  (void)argc; (void)argv;
  NEOERR *err = err_init();
  if( err ){
    nerr_log_error(err);
    nerr_ignore(&err);
    abort();
  }
  A = arena_new(64*1024);
  return 0;
}

#define CHECK(cond) do{ \
  if( !(cond) ){ \
    fprintf(stderr, "\n*** invariant failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    abort(); \
  } }while(0)

/* Hostile input may fail, but only as a 4xx.  Consumes err. */
static void expect_input_error(NEOERR *err, const char *what){
  if( err==STATUS_OK ) return;
  int status = err_status(err);
  if( status!=400 && status!=413 ){
    STRING s;
    string_init(&s);
    nerr_error_traceback(err, &s);
    fprintf(stderr, "\n*** %s: error with status %d on input (want 400/413):\n%s\n",
            what, status, s.buf ? s.buf : "");
    string_clear(&s);
    nerr_ignore(&err);
    abort();
  }
  nerr_ignore(&err);
}

/* a NUL-terminated heap copy of data[0..n) (free it), so that ASan sees a
** read past the terminator */
static char *cstr(const uint8_t *data, size_t n){
  char *s = malloc(n + 1);
  if( s==NULL ) abort();
  if( n ) memcpy(s, data, n);
  s[n] = 0;
  return s;
}

/* a heap copy of exactly n bytes (free it): reads past the end are caught */
static char *exact(const uint8_t *data, size_t n){
  char *s = malloc(n ? n : 1);
  if( s==NULL ) abort();
  if( n ) memcpy(s, data, n);
  return s;
}

/* a dump of bytes for invariant messages */
static void dump(const char *label, const char *s, size_t n){
  fprintf(stderr, "%s (%zu bytes): ", label, n);
  for(size_t i=0; i<n && i<512; i++) fprintf(stderr, "%02x", (unsigned char)s[i]);
  fprintf(stderr, "%s\n", n>512 ? "..." : "");
}

#endif
