/*
** job.h -- background jobs: long work (a large export, a year-long PDF, the
** leadership reports' archive) queued by a request that returns at once and
** done by the job runner (diaodu-runner: a master supervising Jobs.Runners
** processes, web/app.c), with its progress, its file and its end kept in
** the table job (schema 012).
**
**   queued --claim--> running --done--> done --Jobs.KeepHours--> expired
**                        |  \--an error--> failed (the reason)
**                        |  \--the owner cancels--> cancelled
**                        \--lease passed (runner killed, crashed, hung)-->
**                           queued again while attempts < max_attempts,
**                           else failed "job.interrupted"
**
** A job belongs to the account that queued it and runs with that account's
** grants as the database holds them when it starts (job_owner_ctx): what a
** job may read is what its owner may read in the browser.  Only the owner
** sees, cancels and downloads it; every queueing, cancellation and download
** is audited.  The runner holds a job by a claim token (a fence: its writes
** name it) and a lease it renews with every progress report; a runner that
** finds the job cancelled or taken back stops and leaves no file.
**
** Files live under Jobs.Dir (0700, files 0600: the service's account only),
** at most Jobs.MaxFileMB each; done jobs' files are removed after
** Jobs.KeepHours.  The archive's PDFs (Jobs.Dir/archive) are kept.
**
** Kinds: "export" (a report, REPORT_ARGS and a format: csv xlsx pdf) and
** "archive" (one leadership report for a week or a month, PDF, into the
** archive, queued by job_archive_due: diaodu-ctl report-archive and the runner's
** own schedule).
*/
#ifndef DIAODU_JOB_H
#define DIAODU_JOB_H
#include "ctx.h"
#include "q_job.h"
#include <signal.h>

/* ---- the owner's side (pages) ---- */

/* queue a job of a kind for the acting user; *msg a Lang key of a refusal
** (job.too_many: Jobs.MaxActive of theirs are queued or running) */
NEOERR *job_queue(CTX *c, const char *kind, const char *title, const char *args,
                  long long *id, const char **msg);
/* a job of the acting user's; *found = 0 for anybody else's */
NEOERR *job_get(CTX *c, long long id, QJOB *j, int *found);
NEOERR *job_list(CTX *c, int limit, QJOB **out, int *n);
/* cancel it (queued or running); *msg job.not_found or job.not_active */
NEOERR *job_cancel(CTX *c, long long id, const char **msg);
/* the file of a done job of theirs, read whole into data (audited);
** *msg job.not_found, job.not_ready or job.file_gone */
NEOERR *job_file(CTX *c, long long id, QJOB *j, STRING *data, const char **msg);

/* ---- the runner's side ---- */

/* what a running job's work sees: its row, and where to report progress */
typedef struct jobrun {
  CTX *ctl;                      /* the runner's control connection (operator) */
  QJOB job;
  const char *claim;
  long lease_secs, delay_ms;
  volatile sig_atomic_t *stopping;   /* the runner was told to stop */
  int stop;                      /* set when the work must end: cancelled, taken back, stopping */
  int released;                  /* given back (stopping), not failed */
} JOBRUN;

/* the work's output: bytes in memory, what to call them, how many rows */
typedef struct {
  STRING data;
  const char *file_name, *file_type, *ext;
  long long nrows;
} JOBOUT;

/* report progress (0..100) and the phase (a Lang key: job.phase.*), renew
** the lease; sets jr->stop when the work must end (the caller returns) */
NEOERR *job_progress(JOBRUN *jr, int percent, const char *phase);

/* the runner's one round: take back jobs of runners gone, claim the oldest
** queued job and do it with its owner's context on c (the work connection);
** *did = 1 if a job was run.  ctl is the control connection's context. */
NEOERR *job_tick(CTX *c, CTX *ctl, const char *runner, volatile sig_atomic_t *stopping, int *did);
/* housekeeping: leases passed, runners of this host that are gone
** (host prefix "host:"), expired files, stale temporary files, and the
** archive's schedule (Archive.Schedule = 1) */
NEOERR *job_housekeep(CTX *c, const char *host_prefix);

/* the archive: queue the weekly and monthly leadership reports of the last
** complete week and month (or of the period containing `date` when given,
** "YYYY-MM-DD", with kind "week" | "month" | "" both), once per period;
** *queued how many were new */
NEOERR *job_archive_due(CTX *c, const char *kind, const char *date, int *queued, const char **msg);
/* the archive rows the acting user reaches (CAP_REPORT) */
NEOERR *job_archive_list(CTX *c, const char *kind, const char *year, int limit, QARCHIVE **out, int *n);
/* one archived PDF (audited); *msg job.not_found, job.not_ready, job.file_gone */
NEOERR *job_archive_file(CTX *c, long long id, QARCHIVE *a, STRING *data, const char **msg);

/* the directory of the files (Jobs.Dir), made 0700 when missing */
NEOERR *job_dir(CTX *c, const char **dir);

#endif
