/*
** jobs.c -- see jobs.h.  Routes and thin handlers: queueing, the owner's
** check, cancelling, files and audit records are the domain's (dom/job.c,
** dom/jobkind.c).  A job of somebody else is "not found" (404), never
** "forbidden": ids are not probed.
*/
#include "jobs.h"
#include "conf.h"
#include "day.h"
#include "err.h"
#include "hset.h"
#include "job.h"
#include "jobkind.h"
#include "str.h"
#include "view.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long num(REQ *r, const char *name){
  const char *v = req_param(r, name);
  if( v==NULL || *v==0 ) return 0;
  char *end;
  long long n = strtoll(v, &end, 10);
  if( *end || n<0 ) return -1;
  return n;
}

static long long need_id(REQ *r, NEOERR **err){
  long long id = num(r, "id");
  if( id<=0 ) *err = nerr_raise(ERR_INPUT, "bad_request");
  return id;
}

/* a Lang key's text (a refusal, a reason, a phase), or the fallback's */
static const char *text_of(REQ *r, const char *key, const char *fallback){
  HDF *h = req_hdf(r);
  if( key && *key ){
    if( hdf_get_valuef(h, "Lang.%s", key) ) return view_text(r, key);
    if( hdf_get_valuef(h, "Lang.err.%s", key) ) return hdf_get_valuef(h, "Lang.err.%s", key);
  }
  return view_text(r, fallback);
}

/* 1,234,567 字节 (bytes): the exact size, digits grouped by thousands */
static const char *size_text(REQ *r, long long n){
  char d[32], g[48];
  int len = snprintf(d, sizeof d, "%lld", n < 0 ? 0 : n), k = 0;
  for(int i=0; i<len; i++){
    if( i && (len - i) % 3==0 ) g[k++] = ',';
    g[k++] = d[i];
  }
  g[k] = 0;
  return arena_printf(req_arena(r), "%s %s", g, view_text(r, "job.bytes"));
}

static int year_ok(const char *y){
  if( y==NULL || strlen(y)!=4 || y[0]<'1' || y[0]>'9' ) return 0;
  for(int i=1; i<4; i++) if( y[i]<'0' || y[i]>'9' ) return 0;
  return 1;
}

static void job_hdf(REQ *r, const char *prefix, const QJOB *j){
  HDF *h = req_hdf(r);
  ARENA *a = req_arena(r);
  hset_int(h, arena_printf(a, "%s.id", prefix), j->id);
  hset_str(h, arena_printf(a, "%s.title", prefix), j->title);
  hset_str(h, arena_printf(a, "%s.state", prefix), j->state);
  hset_str(h, arena_printf(a, "%s.state_text", prefix), view_text(r, arena_printf(a, "job.state.%s", j->state)));
  int active = strcmp(j->state, "queued")==0 || strcmp(j->state, "running")==0;
  int pct = strcmp(j->state, "done")==0 ? 100 : j->progress;
  hset_int(h, arena_printf(a, "%s.progress", prefix), pct);
  hset_int(h, arena_printf(a, "%s.active", prefix), active);
  if( active && j->phase && *j->phase )
    hset_str(h, arena_printf(a, "%s.phase", prefix), text_of(r, j->phase, "job.phase.run"));
  else if( strcmp(j->state, "queued")==0 )
    hset_str(h, arena_printf(a, "%s.phase", prefix), view_text(r, "job.phase.wait"));
  hset_int(h, arena_printf(a, "%s.attempts", prefix), j->attempts);
  hset_int(h, arena_printf(a, "%s.max_attempts", prefix), j->max_attempts);
  hset_str(h, arena_printf(a, "%s.created", prefix), app_local_time(r, j->created_at));
  if( j->finished_at ) hset_str(h, arena_printf(a, "%s.finished", prefix), app_local_time(r, j->finished_at));
  if( j->reason && (strcmp(j->state, "failed")==0 || active) )
    hset_str(h, arena_printf(a, "%s.reason", prefix), text_of(r, j->reason, "job.failed"));
  if( strcmp(j->state, "done")==0 ){
    hset_str(h, arena_printf(a, "%s.file", prefix), j->file_name ? j->file_name : "");
    hset_str(h, arena_printf(a, "%s.size", prefix), size_text(r, j->file_size));
    hset_str(h, arena_printf(a, "%s.sha256", prefix), j->file_sha256 ? j->file_sha256 : "");
    hset_int(h, arena_printf(a, "%s.rows", prefix), j->nrows);
  }
}

/* the reports the user may run, for the form that queues an export */
static NEOERR *report_choices(REQ *r){
  CTX *c = app_ctx(r);
  REPORT_DEF **all;
  int n, ns;
  NEOERR *err = report_builtins(c, &all, &n);
  if( err ) return nerr_pass(err);
  HDF *h = req_hdf(r);
  int en = strcmp(view_lang(r), "en")==0;
  for(int i=0; i<n; i++){
    hset_str(h, arena_printf(req_arena(r), "Reports.%d.code", i), all[i]->code);
    hset_str(h, arena_printf(req_arena(r), "Reports.%d.name", i),
             en && all[i]->name_en && *all[i]->name_en ? all[i]->name_en : all[i]->name);
  }
  return nerr_pass(report_saved_hdf(c, h, "Saved", &ns));
}

NEOERR *jobs_list(REQ *r){
  QJOB *v;
  int n;
  NEOERR *err = job_list(app_ctx(r), 50, &v, &n);
  if( !err ) err = report_choices(r);
  if( err ) return nerr_pass(err);
  HDF *h = req_hdf(r);
  /* the form keeps what was sent (a refusal shows it again) */
  const char *keep[] = { "report", "period", "date", "format" };
  for(int i=0; i<4; i++){
    const char *v2 = req_param(r, keep[i]);
    if( v2 ) hset_str(h, arena_printf(req_arena(r), "Form.%s", keep[i]), v2);
  }
  if( hdf_get_value(h, "Form.date", NULL)==NULL ){
    DAYCAL cal;
    char buf[DAY_KEYSZ];
    if( (err = day_cal_conf(&cal, req_conf(r))) ) return nerr_pass(err);
    hset_str(h, "Form.date", day_ymd_text(day_today(&cal, time(NULL)), buf));
  }
  int active = 0;
  for(int i=0; i<n; i++){
    job_hdf(r, arena_printf(req_arena(r), "List.%d", i), &v[i]);
    if( strcmp(v[i].state, "queued")==0 || strcmp(v[i].state, "running")==0 ) active = 1;
  }
  if( active ) hset_int(req_hdf(r), "Page.Refresh", conf_int(req_conf(r), "Jobs.RefreshSeconds", 2));
  return nerr_pass(app_page(r, "job_list"));
}

NEOERR *jobs_show(REQ *r){
  NEOERR *err = STATUS_OK;
  long long id = need_id(r, &err);
  if( err ) return err;
  QJOB j;
  int found;
  if( (err = job_get(app_ctx(r), id, &j, &found)) ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  job_hdf(r, "Job", &j);
  if( strcmp(j.state, "queued")==0 || strcmp(j.state, "running")==0 )
    hset_int(req_hdf(r), "Page.Refresh", conf_int(req_conf(r), "Jobs.RefreshSeconds", 2));
  if( req_query(r, "cancelled") ) view_set_text(r, "Notice", "job.cancelled");
  return nerr_pass(app_page(r, "job"));
}

/* a refusal on the jobs page, with its status and sentence */
static NEOERR *refused(REQ *r, int status, const char *msg){
  req_set_status(r, status);
  hset_str(req_hdf(r), "Error", text_of(r, msg, "job.failed"));
  return nerr_pass(jobs_list(r));
}

NEOERR *jobs_new(REQ *r){
  REPORT_ARGS a;
  memset(&a, 0, sizeof a);
  const char *code = req_param(r, "report"), *format = req_param(r, "format");
  const char *period = req_param(r, "period");
  a.period = period && *period ? report_period_of(period) : RP_MONTH;
  if( a.period==0 ) return nerr_pass(refused(r, 400, "job.bad_period"));
  a.date = req_param(r, "date");
  a.from = req_param(r, "from");
  a.to = req_param(r, "to");
  if( a.date && *a.date==0 ) a.date = NULL;
  if( a.from && *a.from==0 ) a.from = NULL;
  if( a.to && *a.to==0 ) a.to = NULL;
  long long unit = num(r, "unit");
  if( unit<0 ) return nerr_pass(refused(r, 400, "job.bad_unit"));
  a.unit_id = unit;
  const char *p = req_param(r, "pending");
  a.pending = p && strcmp(p, "1")==0;
  a.lang = view_lang(r);
  if( a.period==RP_RANGE ) a.date = NULL;
  else a.from = a.to = NULL;
  long long id;
  const char *msg;
  NEOERR *err = jobkind_export(app_ctx(r), code ? code : "", &a, format ? format : "", &id, &msg);
  if( err ) return nerr_pass(err);
  if( msg ) return nerr_pass(refused(r, strcmp(msg, "job.too_many")==0 ? 409
                                        : strcmp(msg, "job.not_found")==0 ? 404 : 400, msg));
  req_redirect(r, arena_printf(req_arena(r), "/report/job?id=%lld", id));
  return STATUS_OK;
}

NEOERR *jobs_cancel(REQ *r){
  NEOERR *err = STATUS_OK;
  long long id = need_id(r, &err);
  if( err ) return err;
  const char *msg;
  if( (err = job_cancel(app_ctx(r), id, &msg)) ) return nerr_pass(err);
  if( msg && strcmp(msg, "job.not_found")==0 ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( msg ) return nerr_raise(ERR_CONFLICT, "job_not_active");
  req_redirect(r, arena_printf(req_arena(r), "/report/job?id=%lld&cancelled=1", id));
  return STATUS_OK;
}

/* an attachment: the plain filename= is ASCII ("diaodu.<ext>"), the
** real one in filename*= */
static NEOERR *send(REQ *r, const char *name, const char *type, const STRING *data){
  const char *dot = name ? strrchr(name, '.') : NULL;
  const char *ext = dot && str_is_name(dot + 1, strlen(dot + 1), 8) ? dot + 1 : "dat";
  req_set_type(r, type && *type ? type : "application/octet-stream");
  req_add_header(r, "Content-Disposition",
    arena_printf(req_arena(r), "attachment; filename=\"diaodu.%s\"; filename*=UTF-8''%s",
                 ext, url_encode(req_arena(r), name ? name : "diaodu.dat")));
  return nerr_pass(req_append(r, data->buf ? data->buf : "", (size_t)data->len));
}

static NEOERR *file_refused(const char *msg){
  if( strcmp(msg, "job.not_found")==0 ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( strcmp(msg, "job.file_gone")==0 ) return nerr_raise(ERR_NOTFOUND, "job_file_gone");
  return nerr_raise(ERR_CONFLICT, "job_not_ready");
}

NEOERR *jobs_file(REQ *r){
  NEOERR *err = STATUS_OK;
  long long id = need_id(r, &err);
  if( err ) return err;
  QJOB j;
  const char *msg;
  STRING data;
  string_init(&data);
  err = job_file(app_ctx(r), id, &j, &data, &msg);
  if( !err && msg ) err = file_refused(msg);
  if( !err ) err = send(r, j.file_name, j.file_type, &data);
  string_clear(&data);
  return nerr_pass(err);
}

NEOERR *jobs_archive(REQ *r){
  const char *kind = req_param(r, "kind"), *year = req_param(r, "year");
  if( kind && *kind && strcmp(kind, "week")!=0 && strcmp(kind, "month")!=0 ) kind = "";
  if( year && *year && !year_ok(year) ) year = "";
  CTX *c = app_ctx(r);
  QARCHIVE *v;
  int n, ny;
  const char **years;
  NEOERR *err = job_archive_list(c, kind, year, 200, &v, &n);
  if( !err ) err = q_archive_years(c->db, &years, &ny);
  if( err ) return nerr_pass(err);
  HDF *h = req_hdf(r);
  ARENA *a = req_arena(r);
  hset_str(h, "Filter.kind", kind ? kind : "");
  hset_str(h, "Filter.year", year ? year : "");
  for(int i=0; i<ny; i++) hset_str(h, arena_printf(a, "Years.%d", i), years[i]);
  for(int i=0; i<n; i++){
    const char *p = arena_printf(a, "List.%d", i);
    hset_int(h, arena_printf(a, "%s.id", p), v[i].id);
    hset_str(h, arena_printf(a, "%s.title", p), v[i].title);
    hset_str(h, arena_printf(a, "%s.kind", p), view_text(r, arena_printf(a, "archive.kind_%s", v[i].period_kind)));
    hset_str(h, arena_printf(a, "%s.period", p), arena_printf(a, "%s %s %s", v[i].period_start,
             view_text(r, "archive.to"), v[i].period_end));
    hset_str(h, arena_printf(a, "%s.unit", p), v[i].unit_name);
    hset_str(h, arena_printf(a, "%s.state", p), v[i].state);
    hset_str(h, arena_printf(a, "%s.state_text", p), view_text(r, arena_printf(a, "job.state.%s", v[i].state)));
    if( v[i].finished_at ) hset_str(h, arena_printf(a, "%s.made", p), app_local_time(r, v[i].finished_at));
    if( strcmp(v[i].state, "done")==0 ){
      hset_str(h, arena_printf(a, "%s.size", p), size_text(r, v[i].file_size));
      hset_str(h, arena_printf(a, "%s.sha256", p), v[i].file_sha256 ? v[i].file_sha256 : "");
    }
    if( strcmp(v[i].state, "failed")==0 && v[i].reason )
      hset_str(h, arena_printf(a, "%s.reason", p), text_of(r, v[i].reason, "job.failed"));
  }
  return nerr_pass(app_page(r, "job_archive"));
}

NEOERR *jobs_archive_file(REQ *r){
  NEOERR *err = STATUS_OK;
  long long id = need_id(r, &err);
  if( err ) return err;
  QARCHIVE a;
  const char *msg;
  STRING data;
  string_init(&data);
  err = job_archive_file(app_ctx(r), id, &a, &data, &msg);
  if( !err && msg ) err = file_refused(msg);
  if( !err ) err = send(r, arena_printf(req_arena(r), "%s.pdf", a.title), "application/pdf", &data);
  string_clear(&data);
  return nerr_pass(err);
}
