/*
** test_hset.c -- the HDF setters that cannot fail quietly (hset.h): they
** set what they are given, including Chinese text, numbers at the limits
** and formatted names, and a NULL value creates the node without a value.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <limits.h>
#include "hset.h"

static void sets_values(void **state){
  HDF *h;
  assert_int_equal(hdf_init(&h), STATUS_OK);
  hset_str(h, "A.b", "车辆调度日报");
  hset_int(h, "A.n", LLONG_MIN);
  hset_int(h, "A.m", LLONG_MAX);
  hset_fmt(h, "Rows.%d.%s=%s", 3, "odometer_end", "12 345");
  hset_str(h, "A.empty", NULL);
  assert_string_equal(hdf_get_value(h, "A.b", ""), "车辆调度日报");
  assert_string_equal(hdf_get_value(h, "A.n", ""), "-9223372036854775808");
  assert_string_equal(hdf_get_value(h, "A.m", ""), "9223372036854775807");
  assert_string_equal(hdf_get_value(h, "Rows.3.odometer_end", ""), "12 345");
  assert_non_null(hdf_get_obj(h, "A.empty"));
  assert_null(hdf_get_value(h, "A.empty", NULL));
  hdf_destroy(&h);
}

int main(void){
  const struct CMUnitTest tests[] = { cmocka_unit_test(sets_values) };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
