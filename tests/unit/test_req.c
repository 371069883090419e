/*
** test_req.c -- the pure request parsers of req.h:
**   req_parse_urlencoded: pairs, empty pieces, value-less names, '+' and
**     %-decoding, hostile names (spaces, markup, NUL, encoded '='), invalid
**     UTF-8 values (err key "bad_utf8", HTTP 400), the parameter cap;
**   req_parse_cookies: spacing, quoted values, malformed pieces ignored,
**     names outside the safe alphabet ignored, the cap;
**   whole requests (req_begin + req_read_body on a fake FastCGI request):
**     indexed row names <prefix>.<i>.<field> (req_row, req_rows), hostile
**     indexes (negative, huge, leading zeros, not below the limit) refused,
**     duplicates (the first wins), query and body, multipart; the parameter
**     limit of the route, of Limits.MaxParams, the hard cap; name lookups
**     through the index.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "req.h"
#include "err.h"

static ARENA *A;
static PARAM P[REQ_MAX_PARAMS + 8];
static int N;

static int setup(void **state){
  NEOERR *err = err_init();
  if( err ){ nerr_ignore(&err); return -1; }
  A = arena_new(64*1024);
  return 0;
}
static int teardown(void **state){ arena_free(A); A = NULL; return 0; }
static int reset(void **state){
  memset(P, 0, sizeof P);
  N = 0;
  arena_reset(A);
  return 0;
}

/* parse s completely, with a cap of max */
static NEOERR *parse(const char *s, int max){
  return req_parse_urlencoded(A, s, strlen(s), P, &N, max);
}

static void ok(const char *s, int want){
  NEOERR *err = parse(s, REQ_MAX_PARAMS);
  if( err ){
    print_error("unexpected error for \"%s\": %s\n", s, err->desc);
    nerr_ignore(&err);
    fail();
  }
  assert_int_equal(N, want);
}

/* parse s; it must fail with an ERR_INPUT carrying the given key */
static void bad(const char *s, int max, const char *key){
  NEOERR *err = parse(s, max);
  if( err==STATUS_OK ) print_error("no error for \"%s\"\n", s);
  assert_non_null(err);
  int status = err_status(err);
  const char *k = err_key(err);
  char got[64];
  snprintf(got, sizeof got, "%s", k ? k : "(null)");
  nerr_ignore(&err);
  assert_int_equal(status, 400);
  assert_string_equal(got, key);
}

/* ---- req_parse_urlencoded ---- */

static void form_normal(void **state){
  ok("a=1&b=2", 2);
  assert_string_equal(P[0].name, "a");
  assert_string_equal(P[0].value, "1");
  assert_string_equal(P[1].name, "b");
  assert_string_equal(P[1].value, "2");
}

static void form_empty_input(void **state){
  ok("", 0);
  ok("&", 0);
}

static void form_empty_pieces_skipped(void **state){
  ok("&&a=1&", 1);
  assert_string_equal(P[0].name, "a");
  assert_string_equal(P[0].value, "1");
}

static void form_semicolon_separator(void **state){
  ok("a=1;b=2", 2);
  assert_string_equal(P[1].name, "b");
  assert_string_equal(P[1].value, "2");
}

static void form_valueless_name(void **state){
  ok("flag&x=", 2);
  assert_string_equal(P[0].name, "flag");
  assert_string_equal(P[0].value, "");
  assert_string_equal(P[1].name, "x");
  assert_string_equal(P[1].value, "");
}

static void form_plus_and_escapes(void **state){
  ok("q=a+b%2Bc&z=%E4%B8%AD%E6%96%87&e=1%3D2", 3);
  assert_string_equal(P[0].value, "a b+c");
  assert_string_equal(P[1].value, "中文");
  assert_string_equal(P[2].value, "1=2");
}

static void form_value_keeps_later_equals(void **state){
  ok("a=1=2", 1);
  assert_string_equal(P[0].value, "1=2");
}

static void form_raw_utf8_value(void **state){
  ok("name=张三", 1);
  assert_string_equal(P[0].value, "张三");
}

static void form_honours_length(void **state){
  const char *s = "a=1&b=2";
  NEOERR *err = req_parse_urlencoded(A, s, 3, P, &N, REQ_MAX_PARAMS);
  assert_null(err);
  assert_int_equal(N, 1);
  assert_string_equal(P[0].value, "1");
}

static void form_appends_to_count(void **state){
  ok("a=1", 1);
  ok("b=2", 2);                      /* a second call continues the array */
  assert_string_equal(P[1].name, "b");
}

static void form_hostile_names(void **state){
  bad("a b=1", REQ_MAX_PARAMS, "bad_request");
  bad("a+b=1", REQ_MAX_PARAMS, "bad_request");      /* decodes to "a b" */
  bad("<script>=1", REQ_MAX_PARAMS, "bad_request");
  bad("%3Cscript%3E=1", REQ_MAX_PARAMS, "bad_request");
  bad("%00=1", REQ_MAX_PARAMS, "bad_request");
  bad("a%00=1", REQ_MAX_PARAMS, "bad_request");
  bad("a%3Db=1", REQ_MAX_PARAMS, "bad_request");    /* decodes to "a=b" */
  bad("=1", REQ_MAX_PARAMS, "bad_request");         /* empty name */
  bad("名=1", REQ_MAX_PARAMS, "bad_request");
  bad("ok=1&a\"b=2", REQ_MAX_PARAMS, "bad_request");
}

static void form_name_length(void **state){
  char s[128];
  memset(s, 'n', 64);
  strcpy(s + 64, "=1");
  ok(s, 1);
  reset(state);
  memset(s, 'n', 65);
  strcpy(s + 65, "=1");
  bad(s, REQ_MAX_PARAMS, "bad_request");
}

static void form_bad_escapes(void **state){
  bad("a=%zz", REQ_MAX_PARAMS, "bad_request");
  bad("a=%4", REQ_MAX_PARAMS, "bad_request");
  bad("a=%", REQ_MAX_PARAMS, "bad_request");
  bad("a=x%00y", REQ_MAX_PARAMS, "bad_request");
  bad("%zz", REQ_MAX_PARAMS, "bad_request");
}

static void form_invalid_utf8_value(void **state){
  bad("a=%FF", REQ_MAX_PARAMS, "bad_utf8");
}

static void form_invalid_utf8_variants(void **state){
  bad("a=%C0%80", REQ_MAX_PARAMS, "bad_utf8");       /* overlong NUL */
  bad("a=%ED%A0%80", REQ_MAX_PARAMS, "bad_utf8");    /* surrogate */
  bad("a=%E4%B8", REQ_MAX_PARAMS, "bad_utf8");       /* truncated 中 */
  bad("a=\xFF", REQ_MAX_PARAMS, "bad_utf8");         /* raw, not escaped */
}

static void form_exactly_max_ok(void **state){
  ok("a=1&b=2&c=3", 3);
  reset(state);
  NEOERR *err = parse("a=1&b=2&c=3", 3);
  assert_null(err);
  assert_int_equal(N, 3);
}

static void form_over_max_fails(void **state){
  bad("a=1&b=2&c=3&d=4", 3, "too_many_params");
  reset(state);
  bad("a", 0, "too_many_params");
}

static void form_req_max_params(void **state){
  char s[REQ_MAX_PARAMS * 16];
  size_t o = 0;
  for(int i=0; i<REQ_MAX_PARAMS; i++) o += (size_t)sprintf(s + o, "p%d=%d&", i, i);
  s[o - 1] = 0;
  ok(s, REQ_MAX_PARAMS);
  assert_string_equal(P[REQ_MAX_PARAMS - 1].name, "p199");
  reset(state);
  strcat(s, "&one=more");
  bad(s, REQ_MAX_PARAMS, "too_many_params");
  assert_int_equal(N, REQ_MAX_PARAMS);        /* never wrote past the cap */
}

/* ---- req_parse_cookies ---- */

static void cookie_normal(void **state){
  int n = req_parse_cookies(A, "dd_sess=abc; dd_lang=en", P, REQ_MAX_COOKIES);
  assert_int_equal(n, 2);
  assert_string_equal(P[0].name, "dd_sess");
  assert_string_equal(P[0].value, "abc");
  assert_string_equal(P[1].name, "dd_lang");
  assert_string_equal(P[1].value, "en");
}

static void cookie_spacing(void **state){
  int n = req_parse_cookies(A, "   a=1;b=2;    c=3", P, REQ_MAX_COOKIES);
  assert_int_equal(n, 3);
  assert_string_equal(P[0].name, "a");
  assert_string_equal(P[1].name, "b");
  assert_string_equal(P[2].name, "c");
  assert_string_equal(P[2].value, "3");
}

static void cookie_empty(void **state){
  assert_int_equal(req_parse_cookies(A, "", P, REQ_MAX_COOKIES), 0);
  assert_int_equal(req_parse_cookies(A, NULL, P, REQ_MAX_COOKIES), 0);
  assert_int_equal(req_parse_cookies(A, " ; ;; ", P, REQ_MAX_COOKIES), 0);
}

static void cookie_quoted(void **state){
  int n = req_parse_cookies(A, "a=\"x y\"; b=\"\"; c=\"; d=e=f", P, REQ_MAX_COOKIES);
  assert_int_equal(n, 4);
  assert_string_equal(P[0].value, "x y");
  assert_string_equal(P[1].value, "");
  assert_string_equal(P[2].value, "\"");      /* a lone quote is kept as is */
  assert_string_equal(P[3].name, "d");
  assert_string_equal(P[3].value, "e=f");
}

static void cookie_malformed_ignored(void **state){
  int n = req_parse_cookies(A, "junk; =v; a=1; noeq; ;b=2", P, REQ_MAX_COOKIES);
  assert_int_equal(n, 2);
  assert_string_equal(P[0].name, "a");
  assert_string_equal(P[0].value, "1");
  assert_string_equal(P[1].name, "b");
  assert_string_equal(P[1].value, "2");
}

static void cookie_unsafe_names_ignored(void **state){
  int n = req_parse_cookies(A, "b c=1; <x>=2; 名=3; a\"=4; x:y=5; ok=6", P, REQ_MAX_COOKIES);
  assert_int_equal(n, 1);
  assert_string_equal(P[0].name, "ok");
  assert_string_equal(P[0].value, "6");
}

static void cookie_long_name_ignored(void **state){
  char s[200];
  memset(s, 'k', 65);
  strcpy(s + 65, "=1; short=2");
  int n = req_parse_cookies(A, s, P, REQ_MAX_COOKIES);
  assert_int_equal(n, 1);
  assert_string_equal(P[0].name, "short");
}

static void cookie_max_respected(void **state){
  int n = req_parse_cookies(A, "a=1; b=2; c=3; d=4", P, 2);
  assert_int_equal(n, 2);
  assert_string_equal(P[1].name, "b");
  assert_null(P[2].name);                    /* nothing written past max */
}

static void cookie_req_max(void **state){
  char s[REQ_MAX_COOKIES * 12 + 64];
  size_t o = 0;
  for(int i=0; i<REQ_MAX_COOKIES + 5; i++) o += (size_t)sprintf(s + o, "c%d=%d; ", i, i);
  int n = req_parse_cookies(A, s, P, REQ_MAX_COOKIES);
  assert_int_equal(n, REQ_MAX_COOKIES);
  assert_string_equal(P[REQ_MAX_COOKIES - 1].name, "c49");
  assert_null(P[REQ_MAX_COOKIES].name);
}

/* ---- whole requests: a REQ fed from a fake FastCGI request ---- */

static HDF *FCONF;
static REQ *R;
static FCGX_Request FR;
static FCGX_Stream IN;
static char *ENVP[8];
static char ENVBUF[8][16384];

static void in_eof(FCGX_Stream *s){ s->isClosed = 1; }

/* begin a request: method, query string, body (urlencoded unless ctype is
** given); conf_max is Limits.MaxParams (0: not set) */
static NEOERR *begin(const char *method, const char *qs, const char *ctype,
                     const char *body, size_t blen, int conf_max){
  if( R ){ req_free(R); R = NULL; }
  if( FCONF ) hdf_destroy(&FCONF);
  NEOERR *err = hdf_init(&FCONF);
  if( err ) return err;
  if( conf_max ) hdf_set_int_value(FCONF, "Limits.MaxParams", conf_max);
  R = req_new(FCONF);
  int n = 0;
  snprintf(ENVBUF[n], sizeof ENVBUF[n], "REQUEST_METHOD=%s", method); ENVP[n] = ENVBUF[n]; n++;
  snprintf(ENVBUF[n], sizeof ENVBUF[n], "REQUEST_URI=/x%s%s", *qs ? "?" : "", qs); ENVP[n] = ENVBUF[n]; n++;
  snprintf(ENVBUF[n], sizeof ENVBUF[n], "QUERY_STRING=%s", qs); ENVP[n] = ENVBUF[n]; n++;
  snprintf(ENVBUF[n], sizeof ENVBUF[n], "CONTENT_LENGTH=%zu", blen); ENVP[n] = ENVBUF[n]; n++;
  snprintf(ENVBUF[n], sizeof ENVBUF[n], "CONTENT_TYPE=%s",
           ctype ? ctype : "application/x-www-form-urlencoded"); ENVP[n] = ENVBUF[n]; n++;
  ENVP[n] = NULL;
  memset(&IN, 0, sizeof IN);
  IN.rdNext = IN.stopUnget = (unsigned char*)body;
  IN.stop = (unsigned char*)body + blen;
  IN.isReader = 1;
  IN.fillBuffProc = in_eof;
  memset(&FR, 0, sizeof FR);
  FR.in = &IN;
  FR.envp = ENVP;
  return req_begin(R, &FR);
}

/* a POST of body with the route's parameter limit */
static NEOERR *post(const char *qs, const char *body, int max_params, int conf_max){
  NEOERR *err = begin("POST", qs, NULL, body, strlen(body), conf_max);
  if( err ) return err;
  return req_read_body(R, 1 << 20, max_params);
}

static int req_teardown(void **state){
  if( R ){ req_free(R); R = NULL; }
  if( FCONF ) hdf_destroy(&FCONF);
  return 0;
}

#define OKR(call) do{ NEOERR *e_ = (call); if( e_ ){ print_error("%s: %s\n", #call, e_->desc); \
  nerr_ignore(&e_); fail(); } }while(0)

/* call must fail with status and key */
static void fails(NEOERR *err, int status, const char *key){
  assert_non_null(err);
  int st = err_status(err);
  char got[64];
  snprintf(got, sizeof got, "%s", err_key(err) ? err_key(err) : "(null)");
  nerr_ignore(&err);
  assert_int_equal(st, status);
  if( key ) assert_string_equal(got, key);
}

/* "<prefix>.<r>.f<f>=r<r>f<f>" for rows x fields */
static char *sheet(const char *prefix, int rows, int fields){
  STRING s;
  string_init(&s);
  for(int r=0; r<rows; r++)
    for(int f=0; f<fields; f++)
      string_appendf(&s, "%s%s.%d.f%d=r%df%d", s.len ? "&" : "", prefix, r, f, r, f);
  char *out = arena_strdup(A, s.buf ? s.buf : "");
  string_clear(&s);
  return out;
}

static void rows_basic(void **state){
  OKR(post("", "row.0.a=1&row.0.b=2&row.2.a=x&other=5&row.2.odometer_end=12345", 0, 0));
  assert_int_equal(req_rows(R, "row"), 3);
  assert_string_equal(req_row(R, "row", 0, "a"), "1");
  assert_string_equal(req_row(R, "row", 0, "b"), "2");
  assert_string_equal(req_row(R, "row", 2, "a"), "x");
  assert_string_equal(req_row(R, "row", 2, "odometer_end"), "12345");
  assert_null(req_row(R, "row", 1, "a"));     /* row 1 was not posted */
  assert_null(req_row(R, "row", 3, "a"));
  assert_null(req_row(R, "row", -1, "a"));
  assert_null(req_row(R, "row", 0, "c"));
  assert_null(req_row(R, NULL, 0, "a"));
  assert_string_equal(req_param(R, "row.2.a"), "x");
  assert_string_equal(req_param(R, "other"), "5");
  assert_int_equal(req_rows(R, "other"), 0);
  assert_int_equal(req_rows(R, "nope"), 0);
  assert_int_equal(req_rows(R, "ro"), 0);
}

static void rows_two_sheets_interleaved(void **state){
  OKR(post("", "a.0.x=1&b.5.x=2&a.1.x=3&b.0.y=4&a.0.y=5", 0, 0));
  assert_int_equal(req_rows(R, "a"), 2);
  assert_int_equal(req_rows(R, "b"), 6);
  assert_string_equal(req_row(R, "a", 1, "x"), "3");
  assert_string_equal(req_row(R, "b", 0, "y"), "4");
  assert_string_equal(req_row(R, "a", 0, "y"), "5");
}

static void rows_field_with_dots(void **state){
  OKR(post("", "row.1.a.b=deep", 0, 0));
  assert_int_equal(req_rows(R, "row"), 2);
  assert_string_equal(req_row(R, "row", 1, "a.b"), "deep");
}

static void rows_from_query_and_body(void **state){
  OKR(post("row.5.x=q&a=q&row.1.x=qq", "a=b&row.1.x=bb", 0, 0));
  assert_string_equal(req_param(R, "a"), "b");          /* body first */
  assert_string_equal(req_query(R, "a"), "q");
  assert_string_equal(req_row(R, "row", 1, "x"), "bb");
  assert_string_equal(req_row(R, "row", 5, "x"), "q");
  assert_null(req_form(R, "row.5.x"));
  assert_int_equal(req_rows(R, "row"), 6);
}

static void duplicates_first_wins(void **state){
  OKR(post("", "a=1&a=2&row.1.x=first&row.1.x=second&row.1.y=&row.1.y=later", 0, 0));
  assert_string_equal(req_param(R, "a"), "1");
  assert_string_equal(req_form(R, "a"), "1");
  assert_string_equal(req_row(R, "row", 1, "x"), "first");
  assert_string_equal(req_row(R, "row", 1, "y"), "");
  assert_int_equal(req_rows(R, "row"), 2);
}

static void hostile_row_names(void **state){
  static const char *bad[] = {
    "row.-1.x=1", "row.99999999999.x=1", "row.2147483648.x=1", "row.03.x=1", "row.00.x=1",
    "row.3.=1", ".3.x=1", "row.+1.x=1", "row.1e3.x=1", "row.0x1.x=1", "row.1-.x=1",
    "row.200.x=1",                              /* not below the limit (200) */
    "ok=1&row.-0.x=1", NULL
  };
  for(int i=0; bad[i]; i++){
    NEOERR *err = post("", bad[i], 0, 0);
    if( err==STATUS_OK ) print_error("no error for \"%s\"\n", bad[i]);
    fails(err, 400, "bad_request");
    assert_null(req_param(R, "ok"));          /* nothing half-parsed */
    assert_int_equal(req_rows(R, "row"), 0);
  }
  /* in the query string too */
  fails(begin("GET", "row.-1.x=1", NULL, "", 0, 0), 400, "bad_request");
  assert_int_equal(req_rows(R, "row"), 0);
  /* the highest index below the limit is fine */
  OKR(post("", "row.199.x=1&row.0.x=2", 0, 0));
  assert_int_equal(req_rows(R, "row"), 200);
  /* other shapes are ordinary names */
  OKR(post("", "row=1&row.x=2&row..x=3&row.a1.x=4&a.1=5&row.x.3=6&-.1=7", 0, 0));
  assert_int_equal(req_rows(R, "row"), 0);
  assert_string_equal(req_param(R, "row.a1.x"), "4");
  assert_string_equal(req_param(R, "a.1"), "5");
}

static void row_name_parser(void **state){
  int idx = -7;
  size_t plen = 0;
  assert_int_equal(req_row_name("row.12.odometer_end", 300, &idx, &plen), 1);
  assert_int_equal(idx, 12);
  assert_int_equal(plen, 3);
  assert_int_equal(req_row_name("row.0.x", 1, &idx, &plen), 1);
  assert_int_equal(idx, 0);
  assert_int_equal(req_row_name("row.1.x", 1, &idx, &plen), -1);
  assert_int_equal(req_row_name("row.999999999.x", 1000000000, &idx, &plen), 1);
  assert_int_equal(idx, 999999999);
  assert_int_equal(req_row_name("row.1000000000.x", 2000000000, &idx, &plen), -1);
  assert_int_equal(req_row_name("row", 10, &idx, &plen), 0);
  assert_int_equal(req_row_name("row.1", 10, &idx, &plen), 0);
  assert_int_equal(req_row_name("row.x.1", 10, &idx, &plen), 0);
  assert_int_equal(req_row_name("row.-1.x", 10, &idx, &plen), -1);
  assert_int_equal(req_row_name("row.1.", 10, &idx, &plen), -1);
}

static void sheet_needs_route_limit(void **state){
  char *body = sheet("row", 30, 10);          /* 300 parameters */
  fails(post("", body, 0, 0), 400, "too_many_params");
  fails(post("", body, 299, 0), 400, "too_many_params");
  OKR(post("", body, 300, 0));
  assert_int_equal(req_rows(R, "row"), 30);
  assert_string_equal(req_row(R, "row", 29, "f9"), "r29f9");
  assert_string_equal(req_row(R, "row", 0, "f0"), "r0f0");
  assert_string_equal(req_row(R, "row", 17, "f4"), "r17f4");
  /* the row index must stay below the limit of the route */
  fails(post("", "row.300.x=1", 300, 0), 400, "bad_request");
  OKR(post("", "row.299.x=1", 300, 0));
}

static void conf_sets_the_default(void **state){
  fails(post("", "a=1&b=2&c=3&d=4&e=5&f=6", 0, 5), 400, "too_many_params");
  OKR(post("", "a=1&b=2&c=3&d=4&e=5", 0, 5));
  OKR(post("", "a=1&b=2&c=3&d=4&e=5&f=6", 10, 5));   /* the route's own limit */
  fails(begin("GET", "a=1&b=2&c=3&d=4&e=5&f=6", NULL, "", 0, 5), 400, "too_many_params");
  OKR(begin("GET", "a=1&b=2&c=3&d=4&e=5", NULL, "", 0, 5));
  /* a nonsensical configuration falls back or is capped */
  OKR(post("", sheet("r", 1, 200), 0, -3));
  fails(post("", sheet("r", 1, 201), 0, -3), 400, "too_many_params");
}

static void route_limit_capped(void **state){
  NEOERR *err = post("", "a=1", REQ_PARAMS_CAP + 1, 0);
  assert_non_null(err);
  assert_int_equal(err_status(err), 500);
  nerr_ignore(&err);
  OKR(post("", "a=1", REQ_PARAMS_CAP, 0));
}

static void many_names_indexed(void **state){
  STRING s;
  string_init(&s);
  for(int i=0; i<1000; i++) string_appendf(&s, "%sp%d=v%d", i ? "&" : "", i, i * 7);
  OKR(post("", s.buf, 1000, 0));
  string_clear(&s);
  char n[16], v[16];
  for(int i=0; i<1000; i++){
    snprintf(n, sizeof n, "p%d", i);
    snprintf(v, sizeof v, "v%d", i * 7);
    assert_string_equal(req_param(R, n), v);
  }
  assert_null(req_param(R, "p1000"));
  assert_null(req_param(R, "P1"));
  assert_null(req_param(R, ""));
  assert_null(req_param(R, NULL));
}

static void multipart_rows_and_limit(void **state){
  const char *ct = "multipart/form-data; boundary=XyZ";
  const char *body =
    "--XyZ\r\nContent-Disposition: form-data; name=\"row.0.a\"\r\n\r\nalpha\r\n"
    "--XyZ\r\nContent-Disposition: form-data; name=\"row.4.a\"\r\n\r\n\xe4\xb8\xad\r\n"
    "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.csv\"\r\n"
    "Content-Type: text/csv\r\n\r\nx,y\r\n"
    "--XyZ--\r\n";
  OKR(begin("POST", "", ct, body, strlen(body), 0));
  OKR(req_read_body(R, 1 << 20, 0));
  assert_int_equal(req_rows(R, "row"), 5);
  assert_string_equal(req_row(R, "row", 0, "a"), "alpha");
  assert_string_equal(req_row(R, "row", 4, "a"), "中");
  assert_non_null(req_file(R, "f"));
  assert_null(req_param(R, "f"));
  OKR(begin("POST", "", ct, body, strlen(body), 0));
  fails(req_read_body(R, 1 << 20, 2), 400, "bad_request");   /* 3 parts, 2 allowed */
  OKR(begin("POST", "", ct, body, strlen(body), 0));
  fails(req_read_body(R, 1 << 20, 4), 400, "bad_request");   /* row 4 is not below 4 */
}

static void get_ignores_body_and_end_resets(void **state){
  OKR(begin("GET", "q=1", NULL, "a=1", 3, 0));
  OKR(req_read_body(R, 1 << 20, 0));
  assert_null(req_param(R, "a"));
  assert_string_equal(req_param(R, "q"), "1");
  req_end(R);
  assert_null(req_param(R, "q"));
  assert_int_equal(req_rows(R, "row"), 0);
  int n = -1;
  req_queries(R, &n);
  assert_int_equal(n, 0);
}

#define T(f) cmocka_unit_test_setup(f, reset)
#define TR(f) cmocka_unit_test_setup_teardown(f, reset, req_teardown)

int main(void){
  const struct CMUnitTest tests[] = {
    T(form_normal),
    T(form_empty_input),
    T(form_empty_pieces_skipped),
    T(form_semicolon_separator),
    T(form_valueless_name),
    T(form_plus_and_escapes),
    T(form_value_keeps_later_equals),
    T(form_raw_utf8_value),
    T(form_honours_length),
    T(form_appends_to_count),
    T(form_hostile_names),
    T(form_name_length),
    T(form_bad_escapes),
    T(form_invalid_utf8_value),
    T(form_invalid_utf8_variants),
    T(form_exactly_max_ok),
    T(form_over_max_fails),
    T(form_req_max_params),
    T(cookie_normal),
    T(cookie_spacing),
    T(cookie_empty),
    T(cookie_quoted),
    T(cookie_malformed_ignored),
    T(cookie_unsafe_names_ignored),
    T(cookie_long_name_ignored),
    T(cookie_max_respected),
    T(cookie_req_max),
    T(row_name_parser),
    TR(rows_basic),
    TR(rows_two_sheets_interleaved),
    TR(rows_field_with_dots),
    TR(rows_from_query_and_body),
    TR(duplicates_first_wins),
    TR(hostile_row_names),
    TR(sheet_needs_route_limit),
    TR(conf_sets_the_default),
    TR(route_limit_capped),
    TR(many_names_indexed),
    TR(multipart_rows_and_limit),
    TR(get_ignores_body_and_end_resets),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
