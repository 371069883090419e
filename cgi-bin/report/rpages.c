/*
** rpages.c -- the report pages (/report/): the list of reports the user may
** run, a report as a page (period, unit and pending filters, the table with
** totals, the chart drawn by the server as SVG elements of the template),
** its downloads, and the report builder.  Thin: the engine is dom/report.h.
*/
#include "rpages.h"
#include "err.h"
#include "hset.h"
#include "report.h"
#include "str.h"
#include "view.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int en(REQ *r){ return strcmp(view_lang(r), "en")==0; }

static const char *def_name(REQ *r, const REPORT_DEF *d){
  return en(r) && d->name_en ? d->name_en : d->name;
}
static const char *form_name(REQ *r, const FORM *f){
  return en(r) && f->name_en ? f->name_en : f->name;
}

/* ------------------------------------------------------------------ */
/* the list                                                            */

NEOERR *rp_home(REQ *r){
  HDF *h = req_hdf(r);
  REPORT_DEF **all;
  int n, ns;
  NEOERR *err = report_builtins(app_ctx(r), &all, &n);
  if( err ) return nerr_pass(err);
  for(int i=0; i<n; i++){
    hset_fmt(h, "Builtins.%d.code=%s", i, all[i]->code);
    hset_fmt(h, "Builtins.%d.name=%s", i, def_name(r, all[i]));
    hset_fmt(h, "Builtins.%d.form=%s", i, form_name(r, all[i]->fm));
    hset_fmt(h, "Builtins.%d.period=%s", i, report_period_name(all[i]->period));
  }
  if( (err = report_saved_hdf(app_ctx(r), h, "Saved", &ns)) ) return nerr_pass(err);
  view_set_text(r, "Page.Title", "report.title");
  return nerr_pass(app_page(r, "report_home"));
}
