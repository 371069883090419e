/*
** report.c -- the report executable (统计报表, /report/): the list of
** reports a user may run (the built-ins of conf/reports/ and the saved ones
** of the report builder), a report as a page with its chart, its downloads
** (CSV, XLSX, PDF), and the report builder.
**
** Routes and thin handlers only: definitions, running, scope, numbers and
** formats are the report engine's (dom/report.h); its SQL is in
** sql/q_report.c.  Reading reports needs any business capability (a clerk,
** a head, a dispatcher, a leader): what a report shows is cut to the
** user's grants in SQL, whoever saved it.
**
** The other parts of /report/ live in files of their own in this directory
** (every .c file here is linked into diaodu-report), each with a header
** declaring its handlers: include the header below and add the rows to the
** one route table, in the part's own block (the tests read the table).
*/
#include "app.h"
#include "err.h"
#include "hset.h"
#include "report.h"
#include "rpages.h"
#include "str.h"
#include "view.h"
#include <stdlib.h>
#include <string.h>

/* ---- the other parts of /report/: one #include each ----
** e.g. #include "track.h"     上报情况, 催报 (track.c)
**      #include "jobs.h"      后台任务, 报表归档 (jobs.c)
** ---- */
#include "tracking.h"          /* 上报情况, 催报 (tracking.c) */
#include "jobs.h"

#define L R_LOGIN
static const ROUTE routes[] = {
  /* ---- the reports, the downloads and the builder (rpages.c) ---- */
  { "GET",  "/report/",              rp_home,     L | R_ANYCAP, RP_READERS, 0, 0 },
  { "GET",  "/report/view",          rp_view,     L | R_ANYCAP, RP_READERS, 0, 0 },
  { "GET",  "/report/export",        rp_export,   L | R_ANYCAP, RP_READERS, 0, 0 },
  { "GET",  "/report/build",         rp_build,    L | R_ANYCAP, RP_READERS, 0, 0 },
  { "POST", "/report/save",          rp_save,     L | R_ANYCAP, RP_READERS, 0, 0 },
  { "POST", "/report/delete",        rp_delete,   L | R_ANYCAP, RP_READERS, 0, 0 },
  /* ---- the other parts: a block of rows each ---- */
  /* 上报情况, 催报 (tracking.c) */
  { "GET",  "/report/track",         tracking_matrix, L | R_ANYCAP, TRACK_READ, 0, 0 },
  { "GET",  "/report/track/due",     tracking_due,    L | R_ANYCAP, TRACK_DUE, 0, 0 },
  { "POST", "/report/track/remind",  tracking_remind, L, TRACK_SEND, 0, 0 },
  /* ---- 后台任务, 报表归档 (jobs.c) ---- */
  { "GET",  "/report/jobs",          jobs_list,         L | R_ANYCAP, JOBS_READERS, 0, 0 },
  { "GET",  "/report/job",           jobs_show,         L | R_ANYCAP, JOBS_READERS, 0, 0 },
  { "POST", "/report/job/new",       jobs_new,          L | R_ANYCAP, JOBS_READERS, 0, 0 },
  { "POST", "/report/job/cancel",    jobs_cancel,       L | R_ANYCAP, JOBS_READERS, 0, 0 },
  { "GET",  "/report/job/file",      jobs_file,         L | R_ANYCAP, JOBS_READERS, 0, 0 },
  { "GET",  "/report/archive",       jobs_archive,      L, CAP_REPORT, 0, 0 },
  { "GET",  "/report/archive/file",  jobs_archive_file, L, CAP_REPORT, 0, 0 },
  { 0, 0, 0, 0, 0, 0, 0 }
};

int main(int argc, char **argv){
  return app_main("report", routes, argc, argv);
}
