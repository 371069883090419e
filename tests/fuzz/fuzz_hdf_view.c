/*
** fuzz_hdf_view.c -- templates/error.cs through view_render_file() (the
** renderer every page uses, Config.VarEscapeMode=html) with the values of
** Error.Status, Error.Title, Error.Message and Lang.nav.home taken from the
** input (pieces separated by NUL bytes; missing pieces are unset).
**
** Invariants: rendering succeeds; the output never contains "<script"
** (in any case: the template has none, so it could only come from the
** input); and no '<', '>' or '"' of the input reaches the output: the
** page has exactly as many of them as the page rendered from the same
** values with every < > " & ' replaced by 'a'.
**
** FUZZ_TEMPLATES is the templates directory (set by tests/fuzz/fuzz.mk).
*/
#include "fuzz.h"
#include "view.h"
#include <strings.h>

#ifndef FUZZ_TEMPLATES
#define FUZZ_TEMPLATES "templates"
#endif

static const char *KEYS[] = { "Error.Status", "Error.Title", "Error.Message", "Lang.nav.home" };
#define NKEYS (sizeof KEYS/sizeof KEYS[0])

/* render error.cs with the values (NULL: unset) into out */
static void render(char **vals, STRING *out){
  HDF *hdf = NULL;
  NEOERR *err = hdf_init(&hdf);
  CHECK(err==STATUS_OK);
  for(size_t i=0; i<NKEYS; i++){
    if( vals[i]==NULL ) continue;
    err = hdf_set_value(hdf, KEYS[i], vals[i]);
    CHECK(err==STATUS_OK);
  }
  string_init(out);
  err = view_render_file(hdf, FUZZ_TEMPLATES, "error.cs", out);
  if( err ){
    STRING s;
    string_init(&s);
    nerr_error_traceback(err, &s);
    fprintf(stderr, "\n*** view_render_file failed:\n%s\n", s.buf ? s.buf : "");
    abort();
  }
  hdf_destroy(&hdf);
}

static size_t count(const STRING *s, char c){
  size_t n = 0;
  for(int i=0; i<s->len; i++) if( s->buf[i]==c ) n++;
  return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size){
  if( size>4096 ) return 0;
  char *vals[NKEYS] = {0}, *safe[NKEYS] = {0};
  size_t k = 0, i = 0;
  while( k<NKEYS && i<=size ){
    const uint8_t *e = memchr(data + i, 0, size - i);
    size_t n = e ? (size_t)(e - (data + i)) : size - i;
    vals[k] = cstr(data + i, n);
    safe[k] = cstr(data + i, n);
    for(char *p=safe[k]; *p; p++) if( strchr("<>\"&'", *p) ) *p = 'a';
    k++;
    i += n + 1;
  }

  STRING out, ref;
  render(vals, &out);
  render(safe, &ref);
  const char *html = out.buf ? out.buf : "";
  if( strcasestr(html, "<script") || count(&out, '<')!=count(&ref, '<')
   || count(&out, '>')!=count(&ref, '>') || count(&out, '"')!=count(&ref, '"') ){
    fprintf(stderr, "\n--- page:\n%s\n--- reference:\n%s\n", html, ref.buf ? ref.buf : "");
    CHECK(!"input reached the page unescaped");
  }
  string_clear(&out);
  string_clear(&ref);
  for(size_t j=0; j<NKEYS; j++){ free(vals[j]); free(safe[j]); }
  return 0;
}
