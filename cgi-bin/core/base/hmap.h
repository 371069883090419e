/*
** hmap.h -- a string-keyed hash map in an arena (imports look up thousands
** of codes; no deletion, grows by doubling).
*/
#ifndef DIAODU_HMAP_H
#define DIAODU_HMAP_H
#include "arena.h"

typedef struct hmap HMAP;

HMAP *hmap_new(ARENA *a, int hint);
void *hmap_get(HMAP *m, const char *key);
void hmap_put(HMAP *m, const char *key, void *value);   /* key is not copied */
int hmap_count(HMAP *m);

#endif
