/*
** inbox.c -- see inbox.h.
*/
#include "inbox.h"
#include "hset.h"
#include "view.h"
#include <string.h>

NEOERR *inbox_portal_hdf(REQ *r){
  FLOW_PORTAL p;
  HDF *h = req_hdf(r);
  NEOERR *err = flow_portal(app_ctx(r), &p);
  if( err ) return nerr_pass(err);
  hset_int(h, "Flow.waiting", p.waiting);
  hset_int(h, "Flow.overdue", p.overdue);
  hset_int(h, "Flow.returned", p.returned);
  hset_int(h, "Flow.returned_late", p.returned_late);
  hset_int(h, "Flow.team_late", p.team_late);
  return STATUS_OK;
}

const char *inbox_text(REQ *r, const char *key, int n, const char *const *names, const char *const *values){
  const char *t = view_text(r, key);
  STRING s;
  string_init(&s);
  for(const char *p = t; *p; ){
    int hit = -1;
    if( *p=='{' )
      for(int i=0; i<n && hit<0; i++){
        size_t l = strlen(names[i]);
        if( strncmp(p + 1, names[i], l)==0 && p[l + 1]=='}' ) hit = i;
      }
    if( hit<0 ){ string_appendn(&s, p, 1); p++; continue; }
    string_append(&s, values[hit] ? values[hit] : "");
    p += strlen(names[hit]) + 2;
  }
  const char *out = arena_strdup(req_arena(r), s.buf ? s.buf : "");
  string_clear(&s);
  return out;
}

const char *inbox_refusal(REQ *r, const FLOW_RES *res){
  if( res->msg==NULL ) return NULL;
  if( strcmp(res->msg, "flow.conflict")==0 ){
    const char *did = view_text(r, arena_printf(req_arena(r), "flow.did.%s", res->did ? res->did : "change"));
    const char *when = res->at ? app_local_time(r, res->at) : "";
    if( res->by && !*res->by ){
      static const char *const k[] = { "when", "did" };
      const char *v[] = { when, did };
      return inbox_text(r, "flow.conflict_you", 2, k, v);
    }
    if( res->by == NULL ) return view_text(r, "flow.conflict_plain");
    static const char *const k[] = { "who", "when", "did" };
    const char *v[] = { res->by, when, did };
    return inbox_text(r, "flow.conflict", 3, k, v);
  }
  if( strcmp(res->msg, "flow.assigned")==0 ){
    static const char *const k[] = { "who" };
    const char *v[] = { res->by ? res->by : "" };
    return inbox_text(r, "flow.assigned", 1, k, v);
  }
  return view_text(r, res->msg);
}
