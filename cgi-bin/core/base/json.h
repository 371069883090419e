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

#endif
