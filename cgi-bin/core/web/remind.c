/*
** remind.c -- see remind.h.
*/
#include "remind.h"
#include "track.h"
#include "hset.h"
#include "inbox.h"
#include "sheet.h"
#include "view.h"
#include <string.h>

NEOERR *remind_portal_hdf(REQ *r){
  CTX *c = app_ctx(r);
  ARENA *a = req_arena(r);
  QTNOTE *v;
  int n;
  DAYCAL cal;
  NEOERR *err = track_portal(c, &v, &n);
  if( err ) return nerr_pass(err);
  if( n==0 ) return STATUS_OK;
  if( (err = day_cal_conf(&cal, req_conf(r))) ) return nerr_pass(err);
  int en = strcmp(view_lang(r), "en")==0;
  for(int i=0; i<n; i++){
    HDF *x;
    PERIOD p;
    if( (err = hdf_get_node(req_hdf(r), arena_printf(a, "Remind.%d", i), &x)) ) return nerr_pass(err);
    const char *label = day_period_parse(&cal, v[i].period_key, &p) ? v[i].period_key : sheet_period_label(r, &p);
    int esc = strcmp(v[i].kind, "escalate")==0;
    static const char *const k[] = { "who", "when", "unit", "form", "period" };
    const char *vals[] = { *v[i].sender ? v[i].sender : view_text(r, "track.system"), app_local_time(r, v[i].sent_at),
                           v[i].unit_name, en && v[i].form_name_en && *v[i].form_name_en ? v[i].form_name_en : v[i].form_name,
                           label };
    hset_str(x, "kind", v[i].kind);
    hset_str(x, "text", inbox_text(r, esc ? "track.portal_escalate" : "track.portal_remind", 5, k, vals));
    if( esc ){
      char day[DAY_KEYSZ];
      const char *d = day_period_parse(&cal, v[i].period_key, &p) ? "" : day_ymd_text(day_ymd(p.first), day);
      hset_str(x, "href", arena_printf(a, "/report/track?form=%s&from=%s&to=%s&unit=%lld", v[i].form_code, d, d,
                                       v[i].unit_id));
      hset_str(x, "go", view_text(r, "track.portal_view"));
    }else{
      hset_str(x, "href", v[i].entry_id ? arena_printf(a, "/entry/edit?id=%lld", v[i].entry_id)
                          : arena_printf(a, "/entry/new?form=%s&unit=%lld&period=%s", v[i].form_code, v[i].unit_id,
                                         v[i].period_key));
      hset_str(x, "go", view_text(r, "track.portal_fill"));
    }
  }
  return STATUS_OK;
}
