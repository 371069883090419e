/*
** jobkind.h -- what each kind of background job does (job.h runs them):
**
**   export   a report (report.h) with its arguments, rendered as CSV, XLSX
**            or PDF with the owner's scope: the browser's download of a
**            report too large to wait for
**   archive  a leadership report of a week or a month as PDF into the
**            archive (报表归档), run as the system over Archive.Unit
**
** Both keep their arguments as HDF text in job.args (names and values of
** a closed alphabet, checked when queued) and report progress by phase.
*/
#ifndef DIAODU_JOBKIND_H
#define DIAODU_JOBKIND_H
#include "job.h"
#include "day.h"
#include "report.h"

typedef struct jobkind {
  const char *kind;
  NEOERR *(*run)(CTX *c, JOBRUN *jr, JOBOUT *out);
  /* where its file goes under Jobs.Dir (NULL: j<id>-<claim>.<ext>) */
  const char *(*archive_name)(CTX *c, JOBRUN *jr, JOBOUT *out);
} JOBKIND;

const JOBKIND *jobkind_find(const char *kind);

/* queue an export of report `code` with args as format (csv xlsx pdf) for
** the acting user; *msg a Lang key of a refusal (job.bad_format,
** job.not_found: no such report for them, job.too_many) */
NEOERR *jobkind_export(CTX *c, const char *code, const REPORT_ARGS *args, const char *format,
                       long long *id, const char **msg);

/* queue the archive's reports of a kind ("week" | "month") for a period,
** those not yet archived; *queued how many */
NEOERR *jobkind_archive_queue(CTX *c, const char *kind, const PERIOD *p, int *queued, const char **msg);

#endif
