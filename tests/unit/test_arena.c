/*
** test_arena.c -- arena.h: 16-byte alignment, zeroed memory (also when a
** chunk is reused after arena_reset), allocations larger than a chunk, many
** allocations spanning chunks without overlap, arena_used accounting and
** its reset to 0, arena_printf/strdup/strndup; built with ASan (as in
** ./diaodu test), the poisoning: the byte past and the byte before every
** allocation, the unused tail of a chunk and memory after a reset are
** poisoned, so an overflow is caught where it happens.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "arena.h"

#if defined(__SANITIZE_ADDRESS__)
# define TEST_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define TEST_ASAN 1
# endif
#endif
#ifdef TEST_ASAN
# include <sanitizer/asan_interface.h>
#endif

static int is_zero(const void *p, size_t n){
  const unsigned char *c = p;
  for(size_t i=0; i<n; i++) if( c[i] ) return 0;
  return 1;
}

static void alignment(void **state){
  ARENA *a = arena_new(1024);
  static const size_t sizes[] = { 1, 3, 7, 15, 16, 17, 31, 100, 1000, 5000, 0, 2 };
  for(size_t i=0; i<sizeof sizes/sizeof sizes[0]; i++){
    void *p = arena_alloc(a, sizes[i]);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 16, 0);
  }
  arena_free(a);
}

static void zeroed(void **state){
  ARENA *a = arena_new(4096);
  unsigned char *p = arena_alloc(a, 300);
  assert_true(is_zero(p, 300));
  memset(p, 0xAA, 300);
  arena_reset(a);
  /* the same memory comes back after a reset, and must be zeroed again */
  unsigned char *q = arena_alloc(a, 300);
  assert_true(is_zero(q, 300));
  arena_free(a);
}

static void reset_reuses_first_chunk(void **state){
  ARENA *a = arena_new(1024);
  void *first = arena_alloc(a, 10);
  for(int i=0; i<100; i++) arena_alloc(a, 100);   /* spill into more chunks */
  arena_reset(a);
  assert_ptr_equal(arena_alloc(a, 10), first);
  arena_free(a);
}

static void big_allocation(void **state){
  ARENA *a = arena_new(1024);
  char *small = arena_alloc(a, 10);
  memcpy(small, "before", 7);
  unsigned char *big = arena_alloc(a, 100000);
  assert_non_null(big);
  assert_int_equal((uintptr_t)big % 16, 0);
  assert_true(is_zero(big, 100000));
  memset(big, 0x5A, 100000);                      /* all of it is writable */
  char *after = arena_alloc(a, 10);
  memcpy(after, "after", 6);
  assert_string_equal(small, "before");
  assert_string_equal(after, "after");
  assert_int_equal(big[99999], 0x5A);
  assert_true(arena_used(a) >= 100000 + 32);
  arena_reset(a);
  assert_int_equal(arena_used(a), 0);
  assert_true(is_zero(arena_alloc(a, 2000), 2000)); /* bigger than the kept chunk */
  arena_free(a);
}

static void no_overlap_across_chunks(void **state){
  ARENA *a = arena_new(1024);
  enum { N = 500, SZ = 100 };
  unsigned char *p[N];
  for(int i=0; i<N; i++){
    p[i] = arena_alloc(a, SZ);
    memset(p[i], i & 0xff, SZ);
  }
  for(int i=0; i<N; i++)
    for(int k=0; k<SZ; k++) assert_int_equal(p[i][k], i & 0xff);
  arena_free(a);
}

static void used_accounting(void **state){
  ARENA *a = arena_new(0);                         /* raised to the minimum */
  assert_int_equal(arena_used(a), 0);
  arena_alloc(a, 1);
  assert_int_equal(arena_used(a), 16);
  arena_alloc(a, 17);
  assert_int_equal(arena_used(a), 48);
  arena_alloc(a, 0);                               /* still a distinct block */
  assert_int_equal(arena_used(a), 64);
  arena_alloc(a, 4096);
  assert_int_equal(arena_used(a), 64 + 4096);
  arena_reset(a);
  assert_int_equal(arena_used(a), 0);
  arena_reset(a);                                  /* twice is harmless */
  assert_int_equal(arena_used(a), 0);
  arena_free(a);
}

static void zero_size_distinct(void **state){
  ARENA *a = arena_new(1024);
  void *p = arena_alloc(a, 0), *q = arena_alloc(a, 0);
  assert_non_null(p);
  assert_non_null(q);
  assert_ptr_not_equal(p, q);
  arena_free(a);
}

static void printf_cases(void **state){
  ARENA *a = arena_new(1024);
  assert_string_equal(arena_printf(a, "%d-%s", 42, "中文"), "42-中文");
  assert_string_equal(arena_printf(a, "%s", ""), "");
  assert_string_equal(arena_printf(a, "%05.1f|%x|%c", 3.14159, 255u, 'z'), "003.1|ff|z");
  /* longer than a chunk */
  char big[5000];
  memset(big, 'q', sizeof big - 1);
  big[sizeof big - 1] = 0;
  char *r = arena_printf(a, "<%s>", big);
  assert_int_equal(strlen(r), sizeof big + 1);
  assert_int_equal(r[0], '<');
  assert_int_equal(r[sizeof big], '>');
  arena_free(a);
}

static void strdup_cases(void **state){
  ARENA *a = arena_new(1024);
  const char *s = "调度 Diaodu";
  char *d = arena_strdup(a, s);
  assert_ptr_not_equal(d, s);
  assert_string_equal(d, s);
  assert_null(arena_strdup(a, NULL));
  assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
  assert_string_equal(arena_strndup(a, "abcdef", 0), "");
  arena_free(a);
}

static void free_null(void **state){
  arena_free(NULL);
}

#ifdef TEST_ASAN
static void asan_poisons_around_allocations(void **state){
  ARENA *a = arena_new(1024);
  static const size_t sizes[] = { 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 100, 1000, 5000 };
  unsigned char *p[sizeof sizes/sizeof sizes[0]];
  for(size_t i=0; i<sizeof sizes/sizeof sizes[0]; i++){
    size_t n = sizes[i];
    p[i] = arena_alloc(a, n);
    assert_null(__asan_region_is_poisoned(p[i], n));        /* all of it usable */
    assert_true(__asan_address_is_poisoned(p[i] + n));      /* one past: caught */
    assert_true(__asan_address_is_poisoned(p[i] + n + 7));
    assert_true(__asan_address_is_poisoned(p[i] - 1));      /* one before: caught */
  }
  /* earlier allocations stay usable, their red zones stay poisoned */
  for(size_t i=0; i<sizeof sizes/sizeof sizes[0]; i++){
    assert_null(__asan_region_is_poisoned(p[i], sizes[i]));
    assert_true(__asan_address_is_poisoned(p[i] + sizes[i]));
  }
  arena_free(a);
}

static void asan_poisons_the_unused_tail(void **state){
  ARENA *a = arena_new(4096);
  unsigned char *p = arena_alloc(a, 10);
  /* everything after p's 10 bytes up to the end of the chunk */
  assert_ptr_equal(__asan_region_is_poisoned(p + 10, 4000), p + 10);
  for(size_t k=10; k<4000; k+=97) assert_true(__asan_address_is_poisoned(p + k));
  unsigned char *q = arena_alloc(a, 20);                  /* the next slot opens */
  assert_null(__asan_region_is_poisoned(q, 20));
  assert_true(__asan_address_is_poisoned(q + 20));
  arena_free(a);
}

static void asan_poisons_after_reset(void **state){
  ARENA *a = arena_new(1024);
  unsigned char *p = arena_alloc(a, 64);
  memset(p, 1, 64);
  arena_reset(a);
  assert_true(__asan_address_is_poisoned(p));             /* use after reset */
  assert_true(__asan_address_is_poisoned(p + 63));
  unsigned char *q = arena_alloc(a, 64);                  /* same memory again */
  assert_ptr_equal(q, p);
  assert_null(__asan_region_is_poisoned(q, 64));
  assert_true(is_zero(q, 64));
  assert_true(__asan_address_is_poisoned(q + 64));
  arena_free(a);
}
#else
static void asan_poisons_around_allocations(void **state){ skip(); }
static void asan_poisons_the_unused_tail(void **state){ skip(); }
static void asan_poisons_after_reset(void **state){ skip(); }
#endif

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(alignment),
    cmocka_unit_test(zeroed),
    cmocka_unit_test(reset_reuses_first_chunk),
    cmocka_unit_test(big_allocation),
    cmocka_unit_test(no_overlap_across_chunks),
    cmocka_unit_test(used_accounting),
    cmocka_unit_test(zero_size_distinct),
    cmocka_unit_test(printf_cases),
    cmocka_unit_test(strdup_cases),
    cmocka_unit_test(free_null),
    cmocka_unit_test(asan_poisons_around_allocations),
    cmocka_unit_test(asan_poisons_the_unused_tail),
    cmocka_unit_test(asan_poisons_after_reset),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
