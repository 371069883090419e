/*
** json.h -- just enough JSON writing for audit details ({"before":{..},
** "after":{..}}): objects of string/number values, correctly escaped.
*/
#ifndef DIAODU_JSON_H
#define DIAODU_JSON_H
#include <ClearSilver.h>
#include "arena.h"

typedef struct { STRING s; int first; } JSON;

void json_open(JSON *j);                                 /* "{" */
void json_obj(JSON *j, const char *key);                 /* "key":{ */
void json_end(JSON *j);                                  /* "}" */
void json_str(JSON *j, const char *key, const char *value);   /* NULL -> null */
void json_int(JSON *j, const char *key, long long value);
/* the finished text copied into the arena; the JSON is cleared */
char *json_done(JSON *j, ARENA *a);
/* append s as a JSON string literal (with quotes) */
void json_quote(STRING *out, const char *s);

/* Reading back what json_* wrote (audit details, archive lines): every
** scalar of a JSON text as a path and its text, in document order.  Paths
** join object keys and array indexes with '.' ("before.name", "units.0");
** strings are unescaped (\uXXXX and surrogate pairs to UTF-8), numbers,
** true and false kept as written, null is a NULL value.  Returns the
** number of pairs, or -1 when the text is not JSON (or nests deeper than
** 16, or a string holds NUL); an empty object gives 0. */
typedef struct { const char *path, *value; } JSON_KV;
int json_flatten(ARENA *a, const char *text, JSON_KV **out);
/* the value at path, or NULL (absent or null) */
const char *json_get(const JSON_KV *kv, int n, const char *path);

#endif
