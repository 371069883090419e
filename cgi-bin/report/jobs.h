/*
** jobs.h -- the background jobs' and the archive's pages of the report
** executable (jobs.c): a user's jobs (后台任务), one job with its progress
** bar (a page that reloads itself while the job runs: no JavaScript), its
** download and cancelling; queueing a report's export as a job; and the
** leadership reports' archive (报表归档) by period with each PDF's SHA-256.
** Their rows are a block of report.c's route table.
*/
#ifndef DIAODU_JOBS_H
#define DIAODU_JOBS_H
#include "app.h"

NEOERR *jobs_list(REQ *r);
NEOERR *jobs_show(REQ *r);
NEOERR *jobs_new(REQ *r);
NEOERR *jobs_cancel(REQ *r);
NEOERR *jobs_file(REQ *r);
NEOERR *jobs_archive(REQ *r);
NEOERR *jobs_archive_file(REQ *r);

/* who may have jobs: the readers of reports (a job shows only its owner's
** scope, like the report itself); the archive: who reads leadership reports */
#define JOBS_READERS (CAP_ENTRY | CAP_APPROVE | CAP_DISPATCH | CAP_REPORT)

#endif
