/*
** auth.c -- see auth.h.
*/
#include "auth.h"
#include <string.h>

int auth_has(const USER *u, unsigned cap){
  return u && (u->caps & cap)==cap;
}

int auth_unit_ok(const USER *u, unsigned cap, const char *unit_path){
  if( u==NULL || unit_path==NULL ) return 0;
  for(int i=0; i<u->ngrants; i++){
    const GRANT *g = &u->grants[i];
    if( (g->caps & cap)!=cap ) continue;
    switch( g->scope ){
      case SCOPE_ALL: return 1;
      case SCOPE_SUBTREE:
        if( strncmp(unit_path, g->unit_path, strlen(g->unit_path))==0 ) return 1;
        break;
      case SCOPE_UNIT:
        if( strcmp(unit_path, g->unit_path)==0 ) return 1;
        break;
    }
  }
  return 0;
}

int auth_scope_parse(const char *s){
  if( s==NULL ) return 0;
  if( strcmp(s, "unit")==0 ) return SCOPE_UNIT;
  if( strcmp(s, "subtree")==0 ) return SCOPE_SUBTREE;
  if( strcmp(s, "all")==0 ) return SCOPE_ALL;
  return 0;
}

int auth_covers(const USER *u, unsigned cap, const char *unit_path, int scope){
  if( u==NULL || unit_path==NULL ) return 0;
  for(int i=0; i<u->ngrants; i++){
    const GRANT *g = &u->grants[i];
    if( (g->caps & cap)!=cap ) continue;
    if( g->scope==SCOPE_ALL ) return 1;
    if( scope==SCOPE_ALL ) continue;
    if( g->scope==SCOPE_SUBTREE && strncmp(unit_path, g->unit_path, strlen(g->unit_path))==0 ) return 1;
    if( g->scope==SCOPE_UNIT && scope==SCOPE_UNIT && strcmp(unit_path, g->unit_path)==0 ) return 1;
  }
  return 0;
}
