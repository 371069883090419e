/*
** test_fdef.c -- fdef.h: the demo company's five definitions check; every
** refusal of the checker names the file, the line and the field (unknown
** type, unknown attribute, a computed field naming a missing field, a
** cycle, a type change against the applied fields ...); expressions are
** exact (0.1 + 0.2, sums of 9999999.99, division rounded once), empty
** operands leave results empty, rules compare times and numbers.
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

static void demo_forms_check(void **state){
  static const char *files[] = { "vehicle_daily", "repair_order", "canteen_daily", "meter_reading",
                                 "security_patrol" };
  for(size_t i=0; i<sizeof files/sizeof files[0]; i++){
    char path[128];
    snprintf(path, sizeof path, "conf/forms/%s.hdf", files[i]);
    FORM *f;
    FDEF_ERRS e;
    int rc = fdef_parse(A, path, slurp(path), &f, &e);
    for(int k=0; k<e.n; k++) fprintf(stderr, "%s:%d: %s %s %s\n", e.e[k].file, e.e[k].line, e.e[k].field, e.e[k].key, e.e[k].arg);
    assert_int_equal(rc, 0);
    assert_string_equal(f->code, files[i]);
    assert_true(f->nrf>0);
    assert_int_equal(strlen(f->hash), 64);
  }
  FORM *f;
  FDEF_ERRS e;
  assert_int_equal(fdef_parse(A, "v", slurp("conf/forms/vehicle_daily.hdf"), &f, &e), 0);
  assert_string_equal(f->name, "车辆调度日报");
  assert_int_equal(f->period, DAY_P_DAY);
  assert_int_equal(f->nunits, 3);
  assert_string_equal(f->units[2], "10002003");
  assert_int_equal(f->cutoff, 9*60);
  assert_int_equal(f->closes, 7*1440);
  assert_int_equal(f->min_rows, 1);
  const FFIELD *m = fdef_field(f, "mileage");
  assert_non_null(m);
  assert_int_equal(m->type, FT_COMPUTED);
  assert_int_equal(m->part, FP_ROW);
  assert_int_equal(m->scale, 1);
  const FFIELD *v = fdef_field(f, "vehicle");
  assert_int_equal(v->lk, LK_BASE);
  assert_string_equal(v->lk_kind, "vehicle");
  assert_int_equal(v->own, 1);
  const FFIELD *t = fdef_field(f, "task");
  assert_int_equal(t->nopt, 5);
  assert_string_equal(t->options[1], "公务用车");
  assert_int_equal(f->nrules, 2);
  assert_string_equal(f->rules[0].field->code, "back");
  assert_int_equal(f->rules[0].part, FP_ROW);
  /* mileage is computed before the header's sum of it */
  assert_int_equal(f->norder, 2);
  assert_string_equal(f->order[0]->code, "mileage");
  assert_string_equal(f->order[1]->code, "total_km");
  assert_true(fdef_parse(A, "s", slurp("conf/forms/security_patrol.hdf"), &f, &e)==0 && f->period==DAY_P_SHIFT);
}

/* parse text that must be refused; the first error must be key at line */
static FDEF_ERRS *refused(const char *text){
  static FDEF_ERRS e;
  FORM *f;
  int rc = fdef_parse(A, "conf/forms/t.hdf", text, &f, &e);
  assert_int_equal(rc, 1);
  assert_true(e.n>0);
  return &e;
}
static int has(FDEF_ERRS *e, const char *key, int line, const char *field){
  for(int i=0; i<e->n; i++)
    if( strcmp(e->e[i].key, key)==0 && e->e[i].line==line && strcmp(e->e[i].field, field)==0
        && strcmp(e->e[i].file, "conf/forms/t.hdf")==0 ) return 1;
  for(int i=0; i<e->n; i++) fprintf(stderr, "  got %s:%d %s %s (%s)\n", e->e[i].file, e->e[i].line, e->e[i].field, e->e[i].key, e->e[i].arg);
  return 0;
}

#define HEAD "Code = t1\nName = 测试\nVersion = 1\nUnits = 100\n"

static void refusals_name_line_and_field(void **state){
  /* unknown type at line 7 */
  FDEF_ERRS *e = refused(HEAD "Rows {\n  a {\n    Type = number\n    Label = A\n  }\n}\n");
  assert_true(has(e, "type_unknown", 7, "a"));
  assert_string_equal(e->e[0].arg, "number");
  /* a computed field naming a missing field */
  e = refused(HEAD "Rows {\n  a {\n    Type = integer\n    Label = A\n  }\n  b {\n    Type = computed\n"
              "    Label = B\n    Expr = a + c\n  }\n}\n");
  assert_true(has(e, "expr_unknown", 13, "b"));
  assert_string_equal(e->e[0].arg, "c");
  /* a cycle a -> b -> a */
  e = refused(HEAD "Rows {\n  a {\n    Type = computed\n    Label = A\n    Expr = b + 1\n  }\n  b {\n"
              "    Type = computed\n    Label = B\n    Expr = a * 2\n  }\n}\n");
  int found = 0;
  for(int i=0; i<e->n; i++) if( strcmp(e->e[i].key, "cycle")==0 ){ found = 1; assert_non_null(strstr(e->e[i].arg, "→")); }
  assert_true(found);
  /* a field that refers to itself */
  e = refused(HEAD "Header {\n  a {\n    Type = computed\n    Label = A\n    Expr = a + 1\n  }\n}\n");
  assert_true(has(e, "cycle", 6, "a"));
  /* unknown attribute, reported at its own line */
  e = refused(HEAD "Rows {\n  a {\n    Type = text\n    Label = A\n    Lenght = 5\n  }\n}\n");
  assert_true(has(e, "attr_unknown", 9, "a"));
  /* an attribute the type does not take */
  e = refused(HEAD "Rows {\n  a {\n    Type = text\n    Label = A\n    Scale = 2\n  }\n}\n");
  assert_true(has(e, "attr_type", 9, "a"));
  /* bad and reserved field names, duplicates across header and rows */
  e = refused(HEAD "Rows {\n  Line_No {\n    Type = text\n    Label = A\n  }\n}\n");
  assert_true(has(e, "unknown_key", 6, ""));
  e = refused(HEAD "Rows {\n  entry_id {\n    Type = text\n    Label = A\n  }\n}\n");
  assert_true(has(e, "field_reserved", 6, "entry_id"));
  e = refused(HEAD "Header {\n  a {\n    Type = text\n    Label = A\n  }\n}\nRows {\n  a {\n    Type = text\n    Label = B\n  }\n}\n");
  assert_true(has(e, "field_dup", 12, "a"));
  /* precision and scale */
  e = refused(HEAD "Rows {\n  a {\n    Type = decimal\n    Label = A\n    Precision = 30\n  }\n}\n");
  assert_true(has(e, "prec_bad", 9, "a"));
  /* a select without options, a bad lookup */
  e = refused(HEAD "Rows {\n  a {\n    Type = select\n    Label = A\n  }\n  b {\n    Type = lookup\n    Label = B\n    Lookup = car\n  }\n}\n");
  assert_true(has(e, "options_missing", 6, "a"));
  assert_true(has(e, "lookup_bad", 13, "b"));
  /* expressions: syntax, types, sum() only in the header, prev() only in rows */
  e = refused(HEAD "Rows {\n  a {\n    Type = computed\n    Label = A\n    Expr = 1 + * 2\n  }\n}\n");
  assert_true(has(e, "expr_syntax", 9, "a"));
  e = refused(HEAD "Rows {\n  t {\n    Type = text\n    Label = T\n  }\n  a {\n    Type = computed\n    Label = A\n    Expr = t + 1\n  }\n}\n");
  assert_true(has(e, "expr_type", 13, "a"));
  e = refused(HEAD "Rows {\n  n {\n    Type = integer\n    Label = N\n  }\n  a {\n    Type = computed\n    Label = A\n    Expr = sum(n)\n  }\n}\n");
  assert_true(has(e, "expr_sum", 13, "a"));
  e = refused(HEAD "Rows {\n  n {\n    Type = integer\n    Label = N\n  }\n}\nHeader {\n  a {\n    Type = computed\n    Label = A\n    Expr = n * 2\n  }\n}\n");
  assert_true(has(e, "expr_header_row", 15, "a"));
  e = refused(HEAD "Rows {\n  n {\n    Type = integer\n    Label = N\n  }\n  a {\n    Type = computed\n    Label = A\n    Expr = max(n)\n  }\n}\n");
  assert_true(has(e, "expr_func", 13, "a"));
  /* rules: a comparison of like types, naming known fields */
  e = refused(HEAD "Rows {\n  t {\n    Type = time\n    Label = T\n  }\n  n {\n    Type = integer\n    Label = N\n  }\n}\n"
              "Rules {\n  r {\n    Check = t > n\n    Message = 不对\n  }\n}\n");
  assert_true(has(e, "expr_mix", 17, "r"));
  e = refused(HEAD "Rows {\n  n {\n    Type = integer\n    Label = N\n  }\n}\nRules {\n  r {\n    Check = n + 1\n    Message = 不对\n  }\n}\n");
  assert_true(has(e, "rule_cmp", 13, "r"));
  /* the form as a whole */
  e = refused("Code = Bad-Code\nName = x\nVersion = 0\nPeriod = year\nRows {\n  a {\n    Type = text\n    Label = A\n  }\n}\n");
  assert_true(has(e, "code_bad", 1, ""));
  assert_true(has(e, "version_bad", 3, ""));
  assert_true(has(e, "period_bad", 4, ""));
  assert_true(has(e, "units_missing", 1, ""));
  e = refused(HEAD "Window {\n  Cutoff = 9 hours\n}\nRows {\n  a {\n    Type = text\n    Label = A\n  }\n}\n");
  assert_true(has(e, "window_bad", 6, ""));
  /* HDF that a form may not use */
  e = refused("#include \"other.hdf\"\n" HEAD);
  assert_true(has(e, "include", 1, ""));
  e = refused(HEAD "Name := Code\n");
  assert_true(has(e, "link", 5, ""));
  e = refused(HEAD "Rows {\n  a {\n    Type = text\n");
  assert_true(e->n>=1);                  /* an unclosed block: HDF's own error */
  /* every problem is reported, not just the first */
  e = refused(HEAD "Rows {\n  a {\n    Type = foo\n    Label = A\n  }\n  b {\n    Type = bar\n    Label = B\n  }\n}\n");
  assert_int_equal(e->total, 2);
}

static void compat_refuses_type_changes(void **state){
  FORM *f;
  FDEF_ERRS e;
  assert_int_equal(fdef_parse(A, "conf/forms/t.hdf", HEAD "Rows {\n  a {\n    Type = decimal\n    Label = A\n"
                   "    Precision = 9\n    Scale = 1\n  }\n  b {\n    Type = text\n    Label = B\n  }\n}\n", &f, &e), 0);
  FDEF_OLD same[] = { { "a", FP_ROW, FT_DEC, 9, 1 }, { "b", FP_ROW, FT_TEXT, 0, 0 }, { "gone", FP_ROW, FT_INT, 0, 0 } };
  memset(&e, 0, sizeof e);
  assert_int_equal(fdef_compat(f, same, 3, &e), 0);
  FDEF_OLD scale[] = { { "a", FP_ROW, FT_DEC, 9, 2 } };
  memset(&e, 0, sizeof e);
  assert_int_equal(fdef_compat(f, scale, 1, &e), 1);
  assert_string_equal(e.e[0].key, "type_changed");
  assert_string_equal(e.e[0].field, "a");
  assert_int_equal(e.e[0].line, 6);
  FDEF_OLD type[] = { { "b", FP_ROW, FT_INT, 0, 0 } };
  memset(&e, 0, sizeof e);
  assert_int_equal(fdef_compat(f, type, 1, &e), 1);
  assert_int_equal(e.e[0].line, 12);
  FDEF_OLD part[] = { { "b", FP_HEADER, FT_TEXT, 0, 0 } };
  memset(&e, 0, sizeof e);
  assert_int_equal(fdef_compat(f, part, 1, &e), 1);
  assert_string_equal(e.e[0].key, "part_changed");
  /* a decimal may become computed (and back) at the same precision */
  FDEF_OLD dc[] = { { "a", FP_ROW, FT_COMPUTED, 9, 1 } };
  memset(&e, 0, sizeof e);
  assert_int_equal(fdef_compat(f, dc, 1, &e), 0);
}

/* ---- evaluation over a little sheet ---- */
typedef struct { const FORM *f; const char **hv; const char ***rv; int nrows, row; } SHEET;

static FVAL get(FENV *env, const FFIELD *f){
  SHEET *s = env->data;
  return fdef_val(f, f->part==FP_ROW ? s->rv[s->row][f->idx] : s->hv[f->idx]);
}
static FVAL sum(FENV *env, const FFIELD *f){
  SHEET *s = env->data;
  FVAL t = { 1, { 0, 0 } };
  for(int i=0; i<s->nrows; i++){
    FVAL v = fdef_val(f, s->rv[i][f->idx]);
    if( v.set ) assert_int_equal(dec_add(t.v, v.v, &t.v), 0);
  }
  return t;
}
static FVAL prev(FENV *env, const FFIELD *f, const FFIELD *key){
  SHEET *s = env->data;
  FVAL v = { 0, { 0, 0 } };
  if( strcmp(s->rv[s->row][key->idx], "M1")==0 ) v = fdef_val(f, "100.25");
  return v;
}

static const char *eval(const FORM *f, const char *code, SHEET *s){
  FENV env = { get, sum, prev, s };
  int why = 0;
  const FFIELD *x = fdef_field(f, code);
  FVAL v = fdef_eval(x->expr, &env, &why);
  if( why ) return why==FX_DIVZERO ? "div0" : "overflow";
  if( !v.set ) return "";
  DEC r;
  if( dec_round(v.v, x->scale, &r) ) return "overflow";
  char buf[DEC_BUFSZ];
  return arena_strdup(A, dec_format(r, buf));
}

static void expressions_are_exact(void **state){
  FORM *f;
  FDEF_ERRS e;
  const char *def = HEAD
    "Header {\n  total {\n    Type = computed\n    Label = T\n    Expr = sum(amount)\n    Precision = 18\n    Scale = 2\n  }\n"
    "  avg {\n    Type = computed\n    Label = V\n    Expr = total / 3\n    Precision = 18\n    Scale = 2\n  }\n}\n"
    "Rows {\n  amount {\n    Type = decimal\n    Label = A\n    Precision = 12\n    Scale = 2\n  }\n"
    "  qty {\n    Type = integer\n    Label = Q\n  }\n"
    "  price {\n    Type = computed\n    Label = P\n    Expr = amount / qty\n    Precision = 12\n    Scale = 2\n  }\n"
    "  t1 {\n    Type = time\n    Label = T1\n  }\n  t2 {\n    Type = time\n    Label = T2\n  }\n"
    "  hours {\n    Type = computed\n    Label = H\n    Expr = (t2 - t1) / 60\n    Precision = 6\n    Scale = 2\n  }\n"
    "  meter {\n    Type = text\n    Label = M\n  }\n  reading {\n    Type = decimal\n    Label = R\n    Scale = 2\n  }\n"
    "  used {\n    Type = computed\n    Label = U\n    Expr = reading - prev(reading, meter)\n    Scale = 2\n  }\n}\n"
    "Rules {\n  later {\n    Check = t2 >= t1\n    Message = 完工不能早于开始\n  }\n}\n";
  int rc = fdef_parse(A, "t", def, &f, &e);
  for(int k=0; k<e.n; k++) fprintf(stderr, "%d %s %s %s\n", e.e[k].line, e.e[k].field, e.e[k].key, e.e[k].arg);
  assert_int_equal(rc, 0);
  /* columns: amount qty price t1 t2 hours meter reading used */
  const char *r0[] = { "0.10", "3", "", "08:00", "09:30", "", "M1", "120.50", "" };
  const char *r1[] = { "0.20", "0", "", "22:00", "21:00", "", "M2", "5.00", "" };
  const char *r2[] = { "9999999.99", "7", "", "", "10:00", "", "M1", "", "" };
  const char **rows[] = { r0, r1, r2 };
  const char *hv[] = { "", "" };
  SHEET s = { f, hv, rows, 3, 0 };
  assert_string_equal(eval(f, "price", &s), "0.03");      /* 0.10 / 3 = 0.0333.. */
  assert_string_equal(eval(f, "hours", &s), "1.50");
  assert_string_equal(eval(f, "used", &s), "20.25");      /* 120.50 - 100.25 */
  s.row = 1;
  assert_string_equal(eval(f, "price", &s), "div0");
  assert_string_equal(eval(f, "used", &s), "");           /* no previous reading: empty */
  assert_string_equal(eval(f, "hours", &s), "-1.00");
  s.row = 2;
  assert_string_equal(eval(f, "price", &s), "1428571.43");  /* 9999999.99 / 7 = 1428571.427.. */
  assert_string_equal(eval(f, "hours", &s), "");          /* t1 empty */
  /* the header's total: 0.1 + 0.2 + 9999999.99 to the last digit */
  assert_string_equal(eval(f, "total", &s), "10000000.29");
  hv[0] = "10000000.29";
  assert_string_equal(eval(f, "avg", &s), "3333333.43");  /* .4300 after truncation at 12 places */
  hv[0] = "0.05";
  assert_string_equal(eval(f, "avg", &s), "0.02");        /* 0.01666.. */
  hv[0] = "0.015";
  hv[0] = "10.00";
  assert_string_equal(eval(f, "avg", &s), "3.33");
  /* the rule: broken in row 1 only, not checked where a time is missing */
  FENV env = { get, sum, prev, &s };
  s.row = 0; assert_true(fdef_rule_ok(&f->rules[0], &env));
  s.row = 1; assert_false(fdef_rule_ok(&f->rules[0], &env));
  s.row = 2; assert_true(fdef_rule_ok(&f->rules[0], &env));
  /* a sum of many cents stays exact */
  const char **many[1000];
  const char *cent[] = { "0.01", "1", "", "", "", "", "", "", "" };
  for(int i=0; i<1000; i++) many[i] = cent;
  SHEET m = { f, hv, many, 1000, 0 };
  assert_string_equal(eval(f, "total", &m), "10.00");
  /* half-up rounding happens once: 2.675 / 1 at scale 2 is 2.68 */
  const char *r3[] = { "2.68", "1", "", "", "", "", "", "", "" };
  const char **one[] = { r3 };
  SHEET o = { f, hv, one, 1, 0 };
  assert_string_equal(eval(f, "price", &o), "2.68");
}

static void minutes(void **state){
  int ok;
  assert_int_equal(fdef_minutes("9h", &ok), 540); assert_true(ok);
  assert_int_equal(fdef_minutes("-2h", &ok), -120); assert_true(ok);
  assert_int_equal(fdef_minutes("7d", &ok), 10080); assert_true(ok);
  assert_int_equal(fdef_minutes("45", &ok), 45); assert_true(ok);
  assert_int_equal(fdef_minutes("30m", &ok), 30); assert_true(ok);
  fdef_minutes("9 hours", &ok); assert_false(ok);
  fdef_minutes("h", &ok); assert_false(ok);
  fdef_minutes("", &ok); assert_false(ok);
}

static int setup(void **state){ A = arena_new(1 << 16); return 0; }
static int teardown(void **state){ arena_free(A); return 0; }

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(demo_forms_check),
    cmocka_unit_test(refusals_name_line_and_field),
    cmocka_unit_test(compat_refuses_type_changes),
    cmocka_unit_test(expressions_are_exact),
    cmocka_unit_test(minutes),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
