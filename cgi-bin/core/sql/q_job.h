/*
** q_job.h -- the SQL of background jobs (dom/job.c) and of the leadership
** reports' archive (报表归档): queueing, claiming with a fence token and a
** lease, progress beats, finishing, taking back jobs whose runner is gone,
** cancelling, the owner's lists, expired files, and the archive's rows.
**
** Claiming is safe with any number of runners: the oldest queued job is
** read with SELECT ... FOR UPDATE SKIP LOCKED (MariaDB 10.6+; runners skip
** each other's rows instead of waiting) and taken with an UPDATE that
** still requires state 'queued'.  Every later write of the runner names the
** claim token it set, so a runner whose job was taken back (lease passed)
** or cancelled changes nothing.  Times are UTC "YYYY-MM-DD HH:MM:SS" from
** the domain's clock (a test sets it).
*/
#ifndef DIAODU_Q_JOB_H
#define DIAODU_Q_JOB_H
#include "db.h"

typedef struct {
  long long id, user_id, file_size, nrows;
  const char *kind, *title, *args, *state, *phase, *claim, *runner;
  const char *lease_until, *created_at, *started_at, *finished_at, *reason;
  const char *file_name, *file_type, *file_path, *file_sha256;
  int progress, attempts, max_attempts;
} QJOB;

NEOERR *q_job_insert(DB *db, long long user_id, const char *kind, const char *title,
                     const char *args, int max_attempts, const char *now, long long *id);
/* the owner's jobs still queued or running */
NEOERR *q_job_active(DB *db, long long user_id, long long *n);
NEOERR *q_job_get(DB *db, long long id, QJOB *j, int *found);
/* the owner's jobs, newest first */
NEOERR *q_job_list(DB *db, long long user_id, int limit, QJOB **out, int *n);

/* take the oldest queued job (call inside a transaction) */
NEOERR *q_job_claim(DB *db, const char *claim, const char *runner, const char *now,
                    const char *lease_until, QJOB *j, int *found);
/* progress and a new lease; *held = 0 when the job is no longer this claim's */
NEOERR *q_job_beat(DB *db, long long id, const char *claim, int progress, const char *phase,
                   const char *now, const char *lease_until, int *held);
NEOERR *q_job_done(DB *db, long long id, const char *claim, const char *now, const char *file_name,
                   const char *file_type, const char *file_path, long long size,
                   const char *sha256, long long nrows, int *held);
NEOERR *q_job_fail(DB *db, long long id, const char *claim, const char *now,
                   const char *reason, int *held);
/* give a job back without counting the attempt (the runner is stopping) */
NEOERR *q_job_release(DB *db, long long id, const char *claim, int *held);
/* the owner cancels a queued or running job; *done = 0 if it was neither */
NEOERR *q_job_cancel(DB *db, long long id, long long user_id, const char *now, int *done);

/* running jobs of runners whose names start with prefix ("host:") */
NEOERR *q_job_runners(DB *db, const char *prefix, const char ***names, int *n);
/* a runner is known to be gone: its jobs' leases end now */
NEOERR *q_job_runner_gone(DB *db, const char *runner, const char *now, long long *n);
/* running jobs whose lease has passed: queued again while attempts remain
** (reason "job.retried"), else failed ("job.interrupted"); archive rows follow */
NEOERR *q_job_recover(DB *db, const char *now, long long *requeued, long long *failed);
/* done jobs finished before `before` (their files go), at most limit */
NEOERR *q_job_expired(DB *db, const char *before, int limit, QJOB **out, int *n);
NEOERR *q_job_set_expired(DB *db, long long id);

/* ---- the archive ---- */
typedef struct {
  long long id, unit_id, job_id, file_size, nrows;
  const char *report, *title, *period_kind, *period_key, *period_start, *period_end;
  const char *unit_code, *unit_name, *unit_path, *state, *created_at, *finished_at;
  const char *file_path, *file_sha256, *reason;
} QARCHIVE;

/* a new row for (report, kind, period, unit); *made = 0 when it exists */
NEOERR *q_archive_insert(DB *db, const char *report, const char *title, const char *kind,
                         const char *key, const char *start, const char *end, long long unit_id,
                         const char *now, long long *id, int *made);
NEOERR *q_archive_set_job(DB *db, long long id, long long job_id);
NEOERR *q_archive_done(DB *db, long long job_id, const char *now, const char *path,
                       long long size, const char *sha256, long long nrows);
NEOERR *q_archive_failed(DB *db, long long job_id, const char *now, const char *reason);
/* rows the user reaches with caps (Q_SCOPE on the unit), of a kind ("" any)
** and a year ("" any), newest period first */
NEOERR *q_archive_list(DB *db, long long user, unsigned caps, const char *kind, const char *year,
                       int limit, QARCHIVE **out, int *n);
/* one row, *in_scope: the user reaches its unit with caps */
NEOERR *q_archive_get(DB *db, long long id, long long user, unsigned caps, QARCHIVE *a,
                      int *found, int *in_scope);
/* the years that have archived reports, newest first */
NEOERR *q_archive_years(DB *db, const char ***years, int *n);

#endif
