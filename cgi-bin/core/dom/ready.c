/*
** ready.c -- see ready.h.
*/
#include "ready.h"
#include "err.h"
#include "hmap.h"
#include "org.h"
#include <stdio.h>
#include <string.h>

NEOERR *ready_list(CTX *c, READY **out, int *n){
  ARENA *a = c->arena;
  UNITROW *units;
  READYROW *rows;
  int nunits, nrows;
  NEOERR *err = q_units_all(c->db, &units, &nunits);
  if( !err ) err = q_ready_rows(c->db, &rows, &nrows);
  if( err ) return nerr_pass(err);
  HMAP *byunit = hmap_new(a, nrows), *uid = hmap_new(a, nunits), *kids = hmap_new(a, nunits);
  for(int i=0; i<nrows; i++) hmap_put(byunit, arena_printf(a, "%lld", rows[i].unit_id), &rows[i]);
  for(int i=0; i<nunits; i++){
    hmap_put(uid, arena_printf(a, "%lld", units[i].id), &units[i]);
    if( units[i].active && units[i].parent_id ) hmap_put(kids, arena_printf(a, "%lld", units[i].parent_id), (void*)1);
  }
  READY *r = arena_alloc(a, sizeof(READY) * (size_t)(nunits + 1));
  int k = 0;
  for(int i=0; i<nunits; i++){
    UNITROW *u = &units[i];
    READYROW *x = hmap_get(byunit, arena_printf(a, "%lld", u->id));
    if( !u->active || x==NULL || !org_may(c, u->path) ) continue;
    READY *y = &r[k++];
    y->u = u;
    y->r = *x;
    for(const char *p = u->path; *p; p++) if( *p=='/' ) y->depth++;
    y->depth -= 2;
    /* a head whose scope reaches down from an ancestor counts */
    y->has_head = x->heads>0;
    y->head_active = x->heads_active>0;
    for(UNITROW *p = u->parent_id ? hmap_get(uid, arena_printf(a, "%lld", u->parent_id)) : NULL; p;
        p = p->parent_id ? hmap_get(uid, arena_printf(a, "%lld", p->parent_id)) : NULL){
      READYROW *px = hmap_get(byunit, arena_printf(a, "%lld", p->id));
      if( px==NULL ) break;
      if( px->heads_below ) y->has_head = 1;
      if( px->heads_below_active ) y->head_active = 1;
    }
    int children = hmap_get(kids, arena_printf(a, "%lld", u->id))!=NULL;
    if( x->forms>=0 ){
      y->forced = 1;
      y->required = x->forms;
      if( !y->required ) y->why = "ready.why_set";
    }else if( u->parent_id==0 ) y->why = "ready.why_root";
    else if( x->clerks==0 && x->accounts>0 && x->staff==x->accounts ) y->why = "ready.why_staff";
    else if( x->clerks==0 && children ) y->why = "ready.why_children";
    else y->required = 1;
    if( !y->required ) continue;
    if( !y->has_head ) y->missing[y->nmissing++] = "ready.miss_head";
    else if( !y->head_active ) y->missing[y->nmissing++] = "ready.miss_head_active";
    if( x->clerks==0 ) y->missing[y->nmissing++] = "ready.miss_clerk";
    else if( x->clerks_active==0 ) y->missing[y->nmissing++] = "ready.miss_clerk_active";
    y->ready = y->nmissing==0;
  }
  *out = r;
  *n = k;
  return STATUS_OK;
}

static NEOERR *forms_tx(CTX *c, const UNITROW *u, int forms){
  NEOERR *err = q_unit_set_forms(c->db, u->id, forms);
  if( err ) return nerr_pass(err);
  const char *word = forms<0 ? "auto" : forms ? "yes" : "no";
  return nerr_pass(ctx_audit(c, "unit.forms", arena_printf(c->arena, "unit:%s", u->code), "ok",
                             arena_printf(c->arena, "{\"after\":{\"forms\":\"%s\"}}", word)));
}

NEOERR *ready_set_forms(CTX *c, long long unit_id, int forms, const char **msg){
  UNITROW u;
  int found;
  *msg = NULL;
  if( forms<-1 || forms>1 ) return nerr_raise(ERR_INPUT, "bad_request");
  NEOERR *err = q_unit_get(c->db, unit_id, &u, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( !org_may(c, u.path) ) return nerr_raise(ERR_DENIED, "denied");
  if( !u.active ){ *msg = "org.bad_unit"; return STATUS_OK; }
  return nerr_pass(DB_TX(c->db, msg, forms_tx(c, &u, forms)));
}
