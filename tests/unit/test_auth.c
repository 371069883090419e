/*
** test_auth.c -- auth.h: auth_has() (every requested capability bit),
** auth_unit_ok() with unit, subtree and all scopes (a subtree "/1/5/"
** covers "/1/5/12/" but not its sibling "/1/50/"), capabilities checked per
** grant, NULL and empty inputs; auth_scope_parse().
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "auth.h"

static USER user(GRANT *g, int n){
  USER u;
  memset(&u, 0, sizeof u);
  u.id = 1;
  u.login = "zhangsan";
  u.grants = g;
  u.ngrants = n;
  for(int i=0; i<n; i++) u.caps |= g[i].caps;
  return u;
}

/* ---- auth_has ---- */

static void has_caps(void **state){
  GRANT g[] = { { CAP_ENTRY | CAP_DISPATCH, 5, "/1/5/", SCOPE_UNIT } };
  USER u = user(g, 1);
  assert_true(auth_has(&u, CAP_ENTRY));
  assert_true(auth_has(&u, CAP_DISPATCH));
  assert_true(auth_has(&u, CAP_ENTRY | CAP_DISPATCH));
  assert_false(auth_has(&u, CAP_APPROVE));
  assert_false(auth_has(&u, CAP_ENTRY | CAP_APPROVE));   /* all bits needed */
  assert_false(auth_has(&u, CAP_ADMIN));
  assert_false(auth_has(&u, CAP_AUDIT));
}

static void has_null_user(void **state){
  assert_false(auth_has(NULL, CAP_ENTRY));
}

static void has_no_caps(void **state){
  USER u = user(NULL, 0);
  assert_false(auth_has(&u, CAP_ENTRY));
  assert_false(auth_has(&u, CAP_REPORT));
}

/* ---- auth_unit_ok ---- */

static void scope_unit_exact_only(void **state){
  GRANT g[] = { { CAP_ENTRY, 5, "/1/5/", SCOPE_UNIT } };
  USER u = user(g, 1);
  assert_true(auth_unit_ok(&u, CAP_ENTRY, "/1/5/"));
  assert_false(auth_unit_ok(&u, CAP_ENTRY, "/1/5/12/"));
  assert_false(auth_unit_ok(&u, CAP_ENTRY, "/1/"));
  assert_false(auth_unit_ok(&u, CAP_ENTRY, "/1/50/"));
  assert_false(auth_unit_ok(&u, CAP_ENTRY, "/1/5"));
  assert_false(auth_unit_ok(&u, CAP_ENTRY, ""));
}

static void scope_subtree(void **state){
  GRANT g[] = { { CAP_APPROVE, 5, "/1/5/", SCOPE_SUBTREE } };
  USER u = user(g, 1);
  assert_true(auth_unit_ok(&u, CAP_APPROVE, "/1/5/"));
  assert_true(auth_unit_ok(&u, CAP_APPROVE, "/1/5/12/"));
  assert_true(auth_unit_ok(&u, CAP_APPROVE, "/1/5/12/99/"));
  assert_false(auth_unit_ok(&u, CAP_APPROVE, "/1/50/"));       /* sibling, same prefix digits */
  assert_false(auth_unit_ok(&u, CAP_APPROVE, "/1/"));          /* the parent */
  assert_false(auth_unit_ok(&u, CAP_APPROVE, "/2/5/"));
  assert_false(auth_unit_ok(&u, CAP_APPROVE, "/1/6/"));
  assert_false(auth_unit_ok(&u, CAP_APPROVE, ""));
}

static void scope_all(void **state){
  GRANT g[] = { { CAP_REPORT, 1, "/1/", SCOPE_ALL } };
  USER u = user(g, 1);
  assert_true(auth_unit_ok(&u, CAP_REPORT, "/1/"));
  assert_true(auth_unit_ok(&u, CAP_REPORT, "/1/5/12/"));
  assert_true(auth_unit_ok(&u, CAP_REPORT, "/9/"));
  assert_false(auth_unit_ok(&u, CAP_ENTRY, "/1/"));            /* caps still count */
  assert_false(auth_unit_ok(&u, CAP_ADMIN, "/9/"));
}

static void caps_must_match(void **state){
  GRANT g[] = { { CAP_ENTRY, 5, "/1/5/", SCOPE_SUBTREE } };
  USER u = user(g, 1);
  assert_false(auth_unit_ok(&u, CAP_APPROVE, "/1/5/"));
  assert_false(auth_unit_ok(&u, CAP_ENTRY | CAP_APPROVE, "/1/5/"));
  assert_true(auth_unit_ok(&u, CAP_ENTRY, "/1/5/"));
}

static void grant_with_several_caps(void **state){
  GRANT g[] = { { CAP_ENTRY | CAP_APPROVE, 5, "/1/5/", SCOPE_UNIT } };
  USER u = user(g, 1);
  assert_true(auth_unit_ok(&u, CAP_ENTRY, "/1/5/"));
  assert_true(auth_unit_ok(&u, CAP_APPROVE, "/1/5/"));
  assert_true(auth_unit_ok(&u, CAP_ENTRY | CAP_APPROVE, "/1/5/"));
}

static void several_grants(void **state){
  /* approve in /1/5/ and below, dispatch everywhere, entry only at /1/7/ */
  GRANT g[] = {
    { CAP_APPROVE,  5, "/1/5/", SCOPE_SUBTREE },
    { CAP_DISPATCH, 1, "/1/",   SCOPE_ALL },
    { CAP_ENTRY,    7, "/1/7/", SCOPE_UNIT },
  };
  USER u = user(g, 3);
  assert_true(auth_unit_ok(&u, CAP_APPROVE, "/1/5/3/"));
  assert_false(auth_unit_ok(&u, CAP_APPROVE, "/1/7/"));
  assert_true(auth_unit_ok(&u, CAP_DISPATCH, "/1/7/"));
  assert_true(auth_unit_ok(&u, CAP_ENTRY, "/1/7/"));
  assert_false(auth_unit_ok(&u, CAP_ENTRY, "/1/7/1/"));
  assert_false(auth_unit_ok(&u, CAP_ENTRY, "/1/5/"));
  assert_false(auth_unit_ok(&u, CAP_ADMIN, "/1/"));
}

static void unknown_scope_denies(void **state){
  GRANT g[] = { { CAP_ENTRY, 5, "/1/5/", 0 }, { CAP_ENTRY, 5, "/1/5/", 99 } };
  USER u = user(g, 2);
  assert_false(auth_unit_ok(&u, CAP_ENTRY, "/1/5/"));
}

static void null_inputs(void **state){
  GRANT g[] = { { CAP_ENTRY, 1, "/1/", SCOPE_ALL } };
  USER u = user(g, 1);
  assert_false(auth_unit_ok(NULL, CAP_ENTRY, "/1/"));
  assert_false(auth_unit_ok(&u, CAP_ENTRY, NULL));
  USER none = user(NULL, 0);
  assert_false(auth_unit_ok(&none, CAP_ENTRY, "/1/"));
}

/* ---- auth_scope_parse ---- */

static void scope_parse(void **state){
  assert_int_equal(auth_scope_parse("unit"), SCOPE_UNIT);
  assert_int_equal(auth_scope_parse("subtree"), SCOPE_SUBTREE);
  assert_int_equal(auth_scope_parse("all"), SCOPE_ALL);
  assert_int_equal(auth_scope_parse(NULL), 0);
  assert_int_equal(auth_scope_parse(""), 0);
  assert_int_equal(auth_scope_parse("ALL"), 0);
  assert_int_equal(auth_scope_parse("all "), 0);
  assert_int_equal(auth_scope_parse("units"), 0);
  assert_int_equal(auth_scope_parse("sub"), 0);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(has_caps),
    cmocka_unit_test(has_null_user),
    cmocka_unit_test(has_no_caps),
    cmocka_unit_test(scope_unit_exact_only),
    cmocka_unit_test(scope_subtree),
    cmocka_unit_test(scope_all),
    cmocka_unit_test(caps_must_match),
    cmocka_unit_test(grant_with_several_caps),
    cmocka_unit_test(several_grants),
    cmocka_unit_test(unknown_scope_denies),
    cmocka_unit_test(null_inputs),
    cmocka_unit_test(scope_parse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
