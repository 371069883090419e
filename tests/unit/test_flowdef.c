/*
** test_flowdef.c -- the approval chain of a form definition (fdef.c, the
** Approval section) and the row diff between revisions (fdiff.c), pure:
** the demo forms' chains; every refusal of a chain names its line and
** step; rows matched like lines of a diff (an inserted row is one added
** row, not every row below it changed; a changed row pairs with its old
** self; removed rows where they stood), and big sheets paired by position.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fdef.h"
#include "fdiff.h"

static ARENA *A;

static char *slurp(const char *path){
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static char buf[65536];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  return arena_strdup(A, buf);
}

#define HEAD "Code = t1\nName = 测试\nVersion = 1\nUnits = 100\nHeader {\n  a {\n    Type = text\n    Label = 甲\n  }\n}\n"

static int has(FDEF_ERRS *e, const char *key, int line, const char *field){
  for(int i=0; i<e->n; i++)
    if( strcmp(e->e[i].key, key)==0 && e->e[i].line==line && strcmp(e->e[i].field, field)==0 ) return 1;
  for(int i=0; i<e->n; i++) fprintf(stderr, "  got %s:%d %s %s (%s)\n", e->e[i].file, e->e[i].line, e->e[i].field, e->e[i].key, e->e[i].arg);
  return 0;
}

static void demo_chains(void **state){
  FORM *f;
  FDEF_ERRS e;
  assert_int_equal(fdef_parse(A, "v", slurp("conf/forms/vehicle_daily.hdf"), &f, &e), 0);
  assert_int_equal(f->nsteps, 2);
  assert_string_equal(f->steps[0].code, "head");
  assert_string_equal(f->steps[0].role, "head");
  assert_int_equal(f->steps[0].scope, FS_UP);
  assert_string_equal(f->steps[0].label, "车队审核");
  assert_int_equal(f->steps[0].overdue, 24*60);
  assert_string_equal(f->steps[1].role, "dispatcher");
  assert_int_equal(f->steps[1].scope, FS_AT);
  assert_string_equal(f->steps[1].at, "100010");
  assert_int_equal(f->steps[1].overdue, 8*60);
  assert_int_equal(f->ncc, 1);
  assert_string_equal(f->cc[0], "leader");
  assert_true(f->chain_line>0);
  assert_int_equal(fdef_parse(A, "c", slurp("conf/forms/canteen_daily.hdf"), &f, &e), 0);
  assert_int_equal(f->nsteps, 1);
  assert_int_equal(f->steps[0].overdue, 0);        /* Flow.OverdueHours then */
  /* no Approval section: no steps (final on submit) */
  assert_int_equal(fdef_parse(A, "n", HEAD, &f, &e), 0);
  assert_int_equal(f->nsteps, 0);
  assert_int_equal(f->chain_line, 0);
}

static void chain_refusals(void **state){
  FORM *f;
  FDEF_ERRS e;
  const char *text = HEAD
    "Approval {\n"                                   /* 11 */
    "  Overdue = soon\n"                             /* 12 */
    "  Steps {\n"                                    /* 13 */
    "    Head1 {\n"                                  /* 14: bad step name */
    "      Role = head\n"
    "    }\n"
    "    two {\n"                                    /* 17 */
    "      Role = Dispatcher!\n"                     /* bad role */
    "      Scope = everywhere\n"                     /* 19 */
    "    }\n"
    "    three {\n"                                  /* 21 */
    "      Role = head\n"
    "      Scope = up\n"                             /* 23 */
    "      At = 100010\n"                            /* 24: both */
    "      Colour = red\n"                           /* 25 */
    "    }\n"
    "  }\n"
    "  Cc = leader, leader\n"                        /* 28 */
    "  Whom = x\n"                                   /* 29 */
    "}\n";
  assert_int_equal(fdef_parse(A, "t.hdf", text, &f, &e), 1);
  assert_true(has(&e, "chain_overdue", 12, ""));
  assert_true(has(&e, "chain_code_bad", 14, "Head1"));
  assert_true(has(&e, "chain_role_bad", 17, "two"));
  assert_true(has(&e, "chain_scope_bad", 19, "two"));
  assert_true(has(&e, "chain_scope_both", 24, "three"));
  assert_true(has(&e, "attr_unknown", 25, "three"));
  assert_true(has(&e, "chain_cc_dup", 28, ""));
  assert_true(has(&e, "unknown_key", 29, ""));
  /* an empty Steps, too many steps */
  assert_int_equal(fdef_parse(A, "t.hdf", HEAD "Approval {\n  Steps {\n  }\n}\n", &f, &e), 1);
  assert_true(has(&e, "chain_empty", 12, ""));
  char big[4096];
  snprintf(big, sizeof big, "%s", HEAD "Approval {\n  Steps {\n");
  for(int i=0; i<FDEF_MAXSTEPS + 1; i++)
    snprintf(big + strlen(big), sizeof big - strlen(big), "    s%d {\n      Role = head\n    }\n", i);
  strcat(big, "  }\n}\n");
  assert_int_equal(fdef_parse(A, "t.hdf", big, &f, &e), 1);
  assert_true(has(&e, "chain_many", 12, ""));
  /* Scope unit and a default of up */
  assert_int_equal(fdef_parse(A, "t.hdf", HEAD "Approval {\n  Overdue = 2d\n  Steps {\n    a {\n      Role = head\n"
                                          "      Scope = unit\n    }\n    b {\n      Role = head\n    }\n  }\n}\n", &f, &e), 0);
  assert_int_equal(f->steps[0].scope, FS_UNIT);
  assert_int_equal(f->steps[1].scope, FS_UP);
  assert_int_equal(f->steps[1].overdue, 2*1440);
}

/* rows from "a1,b1|a2,b2" */
static const char *const *const *rows(const char *spec, int *n){
  char *s = arena_strdup(A, spec);
  const char ***out = arena_alloc(A, sizeof(char**) * 64);
  *n = 0;
  if( !*s ) return (const char *const *const *)out;
  for(char *save = NULL, *r = strtok_r(s, "|", &save); r; r = strtok_r(NULL, "|", &save)){
    const char **cells = arena_alloc(A, sizeof(char*) * 2);
    char *comma = strchr(r, ',');
    *comma = 0;
    cells[0] = r;
    cells[1] = comma + 1;
    out[(*n)++] = cells;
  }
  return (const char *const *const *)out;
}

/* the diff as text: "=" same, "~" changed, "+" added, "-" removed */
static const char *diff(const char *a, const char *b){
  int na, nb;
  const char *const *const *ra = rows(a, &na), *const *const *rb = rows(b, &nb);
  FDROW *p;
  int n = fdiff_rows(A, ra, na, rb, nb, 2, &p);
  char *out = arena_alloc(A, (size_t)n + 1);
  for(int i=0; i<n; i++){
    out[i] = "=~+-"[p[i].kind];
    if( p[i].kind==FD_SAME || p[i].kind==FD_CHANGED ) assert_true(p[i].a>=0 && p[i].b>=0);
    if( p[i].kind==FD_ADDED ) assert_true(p[i].a==-1 && p[i].b>=0);
    if( p[i].kind==FD_REMOVED ) assert_true(p[i].a>=0 && p[i].b==-1);
  }
  out[n] = 0;
  return out;
}

static void row_diff(void **state){
  assert_string_equal(diff("A,1|B,2|C,3", "A,1|B,2|C,3"), "===");
  assert_string_equal(diff("A,1|B,2|C,3", "A,1|X,9|B,2|C,3"), "=+==");         /* inserted in the middle */
  assert_string_equal(diff("A,1|B,2|C,3", "A,1|C,3"), "=-=");                   /* removed in the middle */
  assert_string_equal(diff("A,1|B,2|C,3", "A,1|B,7|C,3"), "=~=");               /* one cell changed */
  assert_string_equal(diff("A,1|B,2", "A,1|B,2|D,4|E,5"), "==++");
  assert_string_equal(diff("", "A,1"), "+");
  assert_string_equal(diff("A,1", ""), "-");
  assert_string_equal(diff("A,1|B,2", "C,3|D,4|E,5"), "~~+");                   /* nothing in common */
  assert_true(fdiff_cell(NULL, "x"));
  assert_false(fdiff_cell(NULL, ""));
  /* the changed pair is the old row with the new one at the same place */
  int na, nb;
  const char *const *const *ra = rows("A,1|B,2|C,3", &na), *const *const *rb = rows("A,1|B,7|C,3", &nb);
  FDROW *p;
  assert_int_equal(fdiff_rows(A, ra, na, rb, nb, 2, &p), 3);
  assert_int_equal(p[1].a, 1);
  assert_int_equal(p[1].b, 1);
}

static void big_sheets_by_position(void **state){
  /* more than FDIFF_MAXCELLS pairs: by position, without the table */
  int n = 1200;
  const char ***a = arena_alloc(A, sizeof(char**) * (size_t)n), ***b = arena_alloc(A, sizeof(char**) * (size_t)(n + 1));
  for(int i=0; i<n; i++){
    a[i] = arena_alloc(A, sizeof(char*));
    a[i][0] = arena_printf(A, "%d", i);
    b[i] = a[i];
  }
  b[n] = a[0];
  const char **other = arena_alloc(A, sizeof(char*));
  other[0] = "x";
  b[5] = other;
  FDROW *p;
  int k = fdiff_rows(A, (const char *const *const *)a, n, (const char *const *const *)b, n + 1, 1, &p);
  assert_int_equal(k, n + 1);
  assert_int_equal(p[5].kind, FD_CHANGED);
  assert_int_equal(p[4].kind, FD_SAME);
  assert_int_equal(p[n].kind, FD_ADDED);
}

static int setup(void **state){ A = arena_new(1 << 16); return 0; }
static int teardown(void **state){ arena_free(A); return 0; }

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(demo_chains),
    cmocka_unit_test(chain_refusals),
    cmocka_unit_test(row_diff),
    cmocka_unit_test(big_sheets_by_position),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
