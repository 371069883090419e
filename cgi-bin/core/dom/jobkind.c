/*
** jobkind.c -- see jobkind.h.
*/
#include "jobkind.h"
#include "conf.h"
#include "err.h"
#include "json.h"
#include "log.h"
#include "q_job.h"
#include "q_user.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ arguments */

/* a value that may stand in the HDF text of job.args as it is */
static int plain(const char *s){
  if( s==NULL ) return 1;
  for(const char *p = s; *p; p++)
    if( !((*p>='a' && *p<='z') || (*p>='A' && *p<='Z') || (*p>='0' && *p<='9') || *p=='_' || *p=='-') ) return 0;
  return strlen(s)<=64;
}

static const char *args_text(CTX *c, const char *code, const REPORT_ARGS *a, const char *format,
                             long long archive){
  return arena_printf(c->arena,
    "Report = %s\nFormat = %s\nPeriod = %s\nDate = %s\nFrom = %s\nTo = %s\nUnit = %lld\nPending = %d\nLang = %s\nArchive = %lld\n",
    code, format, report_period_name(a->period), a->date ? a->date : "", a->from ? a->from : "",
    a->to ? a->to : "", a->unit_id, a->pending ? 1 : 0, a->lang && strcmp(a->lang, "en")==0 ? "en" : "zh_CN", archive);
}

typedef struct {
  const char *code, *format;
  REPORT_ARGS a;
  long long archive;
} XARGS;

static NEOERR *args_read(CTX *c, const char *text, XARGS *x){
  HDF *h = NULL;
  NEOERR *err = hdf_init(&h);
  if( !err ) err = hdf_read_string(h, text ? text : "");
  if( err ){ hdf_destroy(&h); return nerr_pass(err); }
  memset(x, 0, sizeof *x);
  x->code = arena_strdup(c->arena, hdf_get_value(h, "Report", ""));
  x->format = arena_strdup(c->arena, hdf_get_value(h, "Format", "pdf"));
  x->a.period = report_period_of(hdf_get_value(h, "Period", ""));
  const char *d = hdf_get_value(h, "Date", ""), *f = hdf_get_value(h, "From", ""), *t = hdf_get_value(h, "To", "");
  x->a.date = *d ? arena_strdup(c->arena, d) : NULL;
  x->a.from = *f ? arena_strdup(c->arena, f) : NULL;
  x->a.to = *t ? arena_strdup(c->arena, t) : NULL;
  x->a.unit_id = atoll(hdf_get_value(h, "Unit", "0"));
  x->a.pending = hdf_get_int_value(h, "Pending", 0);
  x->a.lang = strcmp(hdf_get_value(h, "Lang", "zh_CN"), "en")==0 ? "en" : "zh_CN";
  x->archive = atoll(hdf_get_value(h, "Archive", "0"));
  hdf_destroy(&h);
  return STATUS_OK;
}

static const struct { const char *fmt, *ext, *type; } FORMATS[] = {
  { "csv",  "csv",  "text/csv; charset=utf-8" },
  { "xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
  { "pdf",  "pdf",  "application/pdf" } };

static int format_of(const char *f){
  for(int i=0; i<3; i++) if( f && strcmp(f, FORMATS[i].fmt)==0 ) return i;
  return -1;
}

/* ------------------------------------------------------------ running a report */

static NEOERR *render(CTX *c, JOBRUN *jr, const XARGS *x, JOBOUT *out){
  REPORT_DEF *d;
  REPORT_RESULT *res;
  int f = format_of(x->format);
  NEOERR *err;
  if( f<0 ) return nerr_raise(ERR_INPUT, "job.bad_format");
  if( (err = job_progress(jr, 5, "job.phase.prepare")) || jr->stop ) return nerr_pass(err);
  if( (err = report_find(c, x->code, &d)) ) return nerr_pass(err);
  if( d==NULL ) return nerr_raise(ERR_INPUT, "job.report_gone");
  if( (err = job_progress(jr, 10, "job.phase.query")) || jr->stop ) return nerr_pass(err);
  if( (err = report_run(c, d, &x->a, &res)) ) return nerr_pass(err);
  if( (err = job_progress(jr, 60, "job.phase.render")) || jr->stop ) return nerr_pass(err);
  switch( f ){
    case 0: err = report_csv(res, &out->data); break;
    case 1: err = report_xlsx(res, &out->data); break;
    default: err = report_pdf(c, res, &out->data); break;
  }
  if( err ) return nerr_pass(err);
  if( (err = job_progress(jr, 90, "job.phase.render")) || jr->stop ) return nerr_pass(err);
  out->ext = FORMATS[f].ext;
  out->file_type = FORMATS[f].type;
  out->file_name = arena_printf(c->arena, "%s %s至%s.%s", res->title ? res->title : x->code,
                                res->from ? res->from : "", res->to ? res->to : "", FORMATS[f].ext);
  out->nrows = res->nrow;
  /* no record here: the export was recorded when it was queued (what, which
  ** filters: job.queue) and each download is (rows, bytes, SHA-256:
  ** job.download) -- the runner writes nothing to the log behind anyone's back */
  return STATUS_OK;
}

static NEOERR *run_export(CTX *c, JOBRUN *jr, JOBOUT *out){
  XARGS x;
  NEOERR *err = args_read(c, jr->job.args, &x);
  if( err ) return nerr_pass(err);
  return nerr_pass(render(c, jr, &x, out));
}

static NEOERR *run_archive(CTX *c, JOBRUN *jr, JOBOUT *out){
  XARGS x;
  NEOERR *err = args_read(c, jr->job.args, &x);
  if( err ) return nerr_pass(err);
  x.format = "pdf";
  return nerr_pass(render(c, jr, &x, out));
}

/* archive/<kind>-<period>-<report>-<unit id>.pdf: one name per archive row */
static const char *archive_name(CTX *c, JOBRUN *jr, JOBOUT *out){
  (void)out;
  XARGS x;
  NEOERR *err = args_read(c, jr->job.args, &x);
  if( err ){ nerr_ignore(&err); return arena_printf(c->arena, "archive/job%lld.pdf", jr->job.id); }
  return arena_printf(c->arena, "archive/a%lld-%s-%s.pdf", x.archive, x.code, x.a.date ? x.a.date : "");
}

static const JOBKIND KINDS[] = {
  { "export",  run_export,  NULL },
  { "archive", run_archive, archive_name },
};

const JOBKIND *jobkind_find(const char *kind){
  for(size_t i=0; i<sizeof KINDS/sizeof KINDS[0]; i++)
    if( kind && strcmp(kind, KINDS[i].kind)==0 ) return &KINDS[i];
  return NULL;
}

/* ------------------------------------------------------------ queueing */

NEOERR *jobkind_export(CTX *c, const char *code, const REPORT_ARGS *args, const char *format,
                       long long *id, const char **msg){
  REPORT_DEF *d;
  const char *from, *to, *pf, *pt;
  NEOERR *err;
  *id = 0;
  *msg = NULL;
  int f = format_of(format);
  if( f<0 ){ *msg = "job.bad_format"; return STATUS_OK; }
  if( !plain(code) || !plain(args->date) || !plain(args->from) || !plain(args->to) ){
    *msg = "job.not_found";
    return STATUS_OK;
  }
  if( (err = report_find(c, code, &d)) ) return nerr_pass(err);
  if( d==NULL ){ *msg = "job.not_found"; return STATUS_OK; }
  /* the period is checked now, so a bad one is said on the page */
  err = report_period(c, args, &from, &to, &pf, &pt);
  if( err && nerr_match(err, ERR_INPUT) ){
    *msg = arena_strdup(c->arena, err_key(err));
    nerr_ignore(&err);
    return STATUS_OK;
  }
  if( err ) return nerr_pass(err);
  const char *name = d->name ? d->name : code;
  const char *title = arena_printf(c->arena, "%s %s 至 %s (%s)", name, from, to, f==1 ? "XLSX" : f==0 ? "CSV" : "PDF");
  return nerr_pass(job_queue(c, "export", title, args_text(c, code, args, FORMATS[f].fmt, 0), id, msg));
}

static NEOERR *archive_one(CTX *c, const char *kind, const char *code, const char *name,
                           const PERIOD *p, const char *start, const char *end, long long unit_id,
                           int *made){
  char key[DAY_KEYSZ], now[DAY_KEYSZ];
  long long aid, jid;
  NEOERR *err;
  day_period_key(p, key);
  day_utc_text(ctx_now(c), now);
  const char *title = arena_printf(c->arena, "%s %s 至 %s", name, start, end);
  if( (err = q_archive_insert(c->db, code, title, kind, key, start, end, unit_id, now, &aid, made)) )
    return nerr_pass(err);
  if( !*made ) return STATUS_OK;
  REPORT_ARGS a;
  memset(&a, 0, sizeof a);
  a.period = strcmp(kind, "week")==0 ? RP_WEEK : RP_MONTH;
  a.date = start;
  a.unit_id = unit_id;
  int attempts = (int)conf_int(c->conf, "Jobs.MaxAttempts", 3);
  if( (err = q_job_insert(c->db, 0, "archive", title, args_text(c, code, &a, "pdf", aid),
                          attempts<1 ? 1 : attempts, now, &jid)) ) return nerr_pass(err);
  if( (err = q_archive_set_job(c->db, aid, jid)) ) return nerr_pass(err);
  JSON j;
  json_open(&j);
  json_str(&j, "report", code);
  json_str(&j, "period", key);
  json_int(&j, "job", jid);
  json_end(&j);
  return nerr_pass(ctx_audit(c, "archive.queue", arena_printf(c->arena, "archive:%lld", aid), "ok",
                             json_done(&j, c->arena)));
}

NEOERR *jobkind_archive_queue(CTX *c, const char *kind, const PERIOD *p, int *queued, const char **msg){
  NEOERR *err;
  *queued = 0;
  *msg = NULL;
  const char *list = conf_str(c->conf, strcmp(kind, "week")==0 ? "Archive.Weekly" : "Archive.Monthly", "");
  const char *ucode = conf_str(c->conf, "Archive.Unit", "");
  if( *ucode==0 ) ucode = conf_str(c->conf, "Site.CompanyCode", "100");
  long long unit_id;
  int found;
  if( (err = q_unit_id_by_code(c->db, ucode, &unit_id, &found)) ) return nerr_pass(err);
  if( !found ){ *msg = "archive.no_unit"; return STATUS_OK; }
  char start[DAY_KEYSZ], end[DAY_KEYSZ];
  DAYCAL cal;
  if( (err = day_cal_conf(&cal, c->conf)) ) return nerr_pass(err);
  PERIOD nx = day_period_next(&cal, p);
  day_ymd_text(day_ymd(p->first), start);
  day_ymd_text(day_ymd(nx.first - 1), end);
  char *copy = arena_strdup(c->arena, list);
  for(char *save = NULL, *t = strtok_r(copy, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save)){
    REPORT_DEF *d;
    if( (err = report_find(c, t, &d)) ) return nerr_pass(err);
    if( d==NULL ){
      log_warn("archive: Archive.%s names %s, which is no report that runs", strcmp(kind, "week")==0 ? "Weekly" : "Monthly", t);
      continue;
    }
    int made = 0;
    const char *code = t, *name = d->name ? d->name : t;
    if( (err = DB_TX(c->db, NULL, archive_one(c, kind, code, name, p, start, end, unit_id, &made))) )
      return nerr_pass(err);
    if( made ) (*queued)++;
  }
  return STATUS_OK;
}
