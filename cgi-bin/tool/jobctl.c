/*
** jobctl.c -- see jobctl.h.  Queueing is job_archive_due(), the same call
** the runner's own schedule makes, so running it from cron as well is
** harmless: each report and period is archived once (a unique key).  The
** runner makes the PDFs; --list shows what the archive holds.
**
**   diaodu-ctl report-archive                  the last complete week and month
**                                       (Archive.AfterHours after their end)
**   diaodu-ctl report-archive week|month       only that kind
**   diaodu-ctl report-archive --date D         the week and/or month containing D
**   diaodu-ctl report-archive --list           period, report, state, size, SHA-256
*/
#include "jobctl.h"
#include "job.h"
#include <stdio.h>
#include <string.h>

NEOERR *jobctl_archive(CTX *c, int argc, char **argv, const char **msg){
  const char *kind = "", *date = NULL;
  int list = 0;
  *msg = NULL;
  for(int i=0; i<argc; i++){
    if( strcmp(argv[i], "week")==0 || strcmp(argv[i], "month")==0 ) kind = argv[i];
    else if( strcmp(argv[i], "--date")==0 && i + 1<argc ) date = argv[++i];
    else if( strcmp(argv[i], "--list")==0 ) list = 1;
    else return nerr_raise(NERR_ASSERT, "usage: diaodu-ctl report-archive [week|month] [--date YYYY-MM-DD] [--list]");
  }
  if( list ){
    QARCHIVE *v;
    int n;
    NEOERR *err = job_archive_list(c, kind, "", 1000, &v, &n);
    if( err ) return nerr_pass(err);
    for(int i=0; i<n; i++)
      printf("%s\t%s\t%s\t%s\t%lld\t%s\n", v[i].period_key, v[i].report, v[i].state,
             v[i].file_path ? v[i].file_path : "-", v[i].file_size, v[i].file_sha256 ? v[i].file_sha256 : "-");
    return STATUS_OK;
  }
  int queued;
  NEOERR *err = job_archive_due(c, kind, date, &queued, msg);
  if( err || *msg ) return nerr_pass(err);
  printf("archive: %d report(s) queued (the runner makes them; diaodu-ctl report-archive --list)\n", queued);
  return STATUS_OK;
}
