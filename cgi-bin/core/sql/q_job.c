/*
** q_job.c -- see q_job.h.
*/
#include "q_job.h"
#include "q_scope.h"
#include <string.h>

#define JOB_COLS \
  "j.id, j.user_id, j.kind, j.title, j.args, j.state, j.progress, j.phase, j.attempts," \
  " j.max_attempts, j.claim, j.runner, j.lease_until, j.created_at, j.started_at, j.finished_at," \
  " j.reason, j.file_name, j.file_type, j.file_path, j.file_size, j.file_sha256, j.nrows"

static void job_row(DB_STMT *st, QJOB *j){
  memset(j, 0, sizeof *j);
  j->id = db_int(st, 0);
  j->user_id = db_int(st, 1);
  j->kind = db_text(st, 2);
  j->title = db_text(st, 3);
  j->args = db_text(st, 4);
  j->state = db_text(st, 5);
  j->progress = (int)db_int(st, 6);
  j->phase = db_text(st, 7);
  j->attempts = (int)db_int(st, 8);
  j->max_attempts = (int)db_int(st, 9);
  j->claim = db_text(st, 10);
  j->runner = db_text(st, 11);
  j->lease_until = db_text(st, 12);
  j->created_at = db_text(st, 13);
  j->started_at = db_text(st, 14);
  j->finished_at = db_text(st, 15);
  j->reason = db_text(st, 16);
  j->file_name = db_text(st, 17);
  j->file_type = db_text(st, 18);
  j->file_path = db_text(st, 19);
  j->file_size = db_int(st, 20);
  j->file_sha256 = db_text(st, 21);
  j->nrows = db_int(st, 22);
}

static void job_rows(DB *db, DB_STMT *st, int limit, QJOB **out, int *n){
  QJOB *v = arena_alloc(db_arena(db), sizeof(QJOB) * (size_t)(limit > 0 ? limit : 1));
  int k = 0;
  while( db_step(st) ){
    if( k>=limit ) continue;
    job_row(st, &v[k++]);
  }
  *out = v;
  *n = k;
}

NEOERR *q_job_insert(DB *db, long long user_id, const char *kind, const char *title,
                     const char *args, int max_attempts, const char *now, long long *id){
  NEOERR *err = db_exec(db,
    "INSERT INTO job (user_id, kind, title, args, max_attempts, created_at) VALUES (?,?,?,?,?,?)",
    "nsssis", user_id, kind, title, args, (long long)max_attempts, now);
  if( err ) return nerr_pass(err);
  *id = (long long)db_last_id(db);
  return STATUS_OK;
}

NEOERR *q_job_active(DB *db, long long user_id, long long *n){
  int found;
  return nerr_pass(db_one_int(db, n, &found,
    "SELECT COUNT(*) FROM job WHERE user_id = ? AND state IN ('queued','running')", "i", user_id));
}

NEOERR *q_job_get(DB *db, long long id, QJOB *j, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, "SELECT " JOB_COLS " FROM job j WHERE j.id = ?", "i", id);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ) job_row(st, j);
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_job_list(DB *db, long long user_id, int limit, QJOB **out, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT " JOB_COLS " FROM job j WHERE j.user_id = ? ORDER BY j.id DESC LIMIT ?",
    "ii", user_id, (long long)limit);
  if( err ) return nerr_pass(err);
  job_rows(db, st, limit, out, n);
  return STATUS_OK;
}

NEOERR *q_job_claim(DB *db, const char *claim, const char *runner, const char *now,
                    const char *lease_until, QJOB *j, int *found){
  long long id;
  *found = 0;
  NEOERR *err = db_one_int(db, &id, found,
    "SELECT id FROM job WHERE state = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED", "");
  if( err || !*found ) return nerr_pass(err);
  if( (err = db_exec(db,
        "UPDATE job SET state = 'running', claim = ?, runner = ?, attempts = attempts + 1,"
        " started_at = ?, beat_at = ?, lease_until = ?, beats = beats + 1, progress = 0, phase = ''"
        " WHERE id = ? AND state = 'queued'",
        "sssssi", claim, runner, now, now, lease_until, id)) ) return nerr_pass(err);
  if( db_affected(db)!=1 ){ *found = 0; return STATUS_OK; }
  return nerr_pass(q_job_get(db, id, j, found));
}

NEOERR *q_job_beat(DB *db, long long id, const char *claim, int progress, const char *phase,
                   const char *now, const char *lease_until, int *held){
  NEOERR *err = db_exec(db,
    "UPDATE job SET progress = ?, phase = ?, beat_at = ?, lease_until = ?, beats = beats + 1"
    " WHERE id = ? AND claim = ? AND state = 'running'",
    "isssis", (long long)progress, phase ? phase : "", now, lease_until, id, claim);
  if( err ) return nerr_pass(err);
  *held = db_affected(db)==1;
  return STATUS_OK;
}

NEOERR *q_job_done(DB *db, long long id, const char *claim, const char *now, const char *file_name,
                   const char *file_type, const char *file_path, long long size,
                   const char *sha256, long long nrows, int *held){
  NEOERR *err = db_exec(db,
    "UPDATE job SET state = 'done', progress = 100, phase = '', finished_at = ?, lease_until = NULL,"
    " reason = NULL, file_name = ?, file_type = ?, file_path = ?, file_size = ?, file_sha256 = ?, nrows = ?"
    " WHERE id = ? AND claim = ? AND state = 'running'",
    "ssssisiis", now, file_name, file_type, file_path, size, sha256, nrows, id, claim);
  if( err ) return nerr_pass(err);
  *held = db_affected(db)==1;
  return STATUS_OK;
}

NEOERR *q_job_fail(DB *db, long long id, const char *claim, const char *now,
                   const char *reason, int *held){
  NEOERR *err = db_exec(db,
    "UPDATE job SET state = 'failed', phase = '', finished_at = ?, lease_until = NULL, reason = ?"
    " WHERE id = ? AND claim = ? AND state = 'running'", "ssis", now, reason, id, claim);
  if( err ) return nerr_pass(err);
  *held = db_affected(db)==1;
  return STATUS_OK;
}

NEOERR *q_job_release(DB *db, long long id, const char *claim, int *held){
  NEOERR *err = db_exec(db,
    "UPDATE job SET state = 'queued', attempts = GREATEST(attempts, 1) - 1, claim = NULL, runner = NULL,"
    " lease_until = NULL, progress = 0, phase = '' WHERE id = ? AND claim = ? AND state = 'running'",
    "is", id, claim);
  if( err ) return nerr_pass(err);
  *held = db_affected(db)==1;
  return STATUS_OK;
}

NEOERR *q_job_cancel(DB *db, long long id, long long user_id, const char *now, int *done){
  NEOERR *err = db_exec(db,
    "UPDATE job SET state = 'cancelled', finished_at = ?, lease_until = NULL, claim = NULL, phase = ''"
    " WHERE id = ? AND user_id = ? AND state IN ('queued','running')", "sii", now, id, user_id);
  if( err ) return nerr_pass(err);
  *done = db_affected(db)==1;
  return STATUS_OK;
}

NEOERR *q_job_runners(DB *db, const char *prefix, const char ***names, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT DISTINCT runner FROM job WHERE state = 'running' AND runner LIKE CONCAT(?, '%') LIMIT 64",
    "s", prefix);
  if( err ) return nerr_pass(err);
  const char **v = arena_alloc(db_arena(db), sizeof(char*) * 65);
  int k = 0;
  while( db_step(st) ) if( k<64 ) v[k++] = db_text(st, 0);
  *names = v;
  *n = k;
  return STATUS_OK;
}

NEOERR *q_job_runner_gone(DB *db, const char *runner, const char *now, long long *n){
  NEOERR *err = db_exec(db,
    "UPDATE job SET lease_until = ? WHERE state = 'running' AND runner = ?", "ss", now, runner);
  if( err ) return nerr_pass(err);
  *n = (long long)db_affected(db);
  return STATUS_OK;
}

NEOERR *q_job_recover(DB *db, const char *now, long long *requeued, long long *failed){
  NEOERR *err = db_exec(db,
    "UPDATE job SET state = 'queued', claim = NULL, runner = NULL, lease_until = NULL, progress = 0,"
    " phase = '', reason = 'job.retried'"
    " WHERE state = 'running' AND lease_until < ? AND attempts < max_attempts", "s", now);
  if( err ) return nerr_pass(err);
  *requeued = (long long)db_affected(db);
  if( (err = db_exec(db,
        "UPDATE job SET state = 'failed', claim = NULL, lease_until = NULL, phase = '', finished_at = ?,"
        " reason = 'job.interrupted'"
        " WHERE state = 'running' AND lease_until < ? AND attempts >= max_attempts", "ss", now, now)) )
    return nerr_pass(err);
  *failed = (long long)db_affected(db);
  if( *failed && (err = db_exec(db,
        "UPDATE report_archive a JOIN job j ON j.id = a.job_id SET a.state = 'failed',"
        " a.finished_at = j.finished_at, a.reason = j.reason WHERE a.state = 'queued' AND j.state = 'failed'", "")) )
    return nerr_pass(err);
  return STATUS_OK;
}

NEOERR *q_job_expired(DB *db, const char *before, int limit, QJOB **out, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT " JOB_COLS " FROM job j WHERE j.state = 'done' AND j.finished_at < ? AND j.kind <> 'archive'"
    " ORDER BY j.finished_at LIMIT ?", "si", before, (long long)limit);
  if( err ) return nerr_pass(err);
  job_rows(db, st, limit, out, n);
  return STATUS_OK;
}

NEOERR *q_job_set_expired(DB *db, long long id){
  return nerr_pass(db_exec(db,
    "UPDATE job SET state = 'expired', file_path = NULL WHERE id = ? AND state = 'done'", "i", id));
}

/* ------------------------------------------------------------ archive */

#define ARCH_COLS \
  "a.id, a.org_unit_id, a.job_id, a.file_size, a.nrows, a.report, a.title, a.period_kind," \
  " a.period_key, a.period_start, a.period_end, o.code, o.name, o.path, a.state, a.created_at," \
  " a.finished_at, a.file_path, a.file_sha256, a.reason"

static void arch_row(DB_STMT *st, QARCHIVE *a){
  memset(a, 0, sizeof *a);
  a->id = db_int(st, 0);
  a->unit_id = db_int(st, 1);
  a->job_id = db_int(st, 2);
  a->file_size = db_int(st, 3);
  a->nrows = db_int(st, 4);
  a->report = db_text(st, 5);
  a->title = db_text(st, 6);
  a->period_kind = db_text(st, 7);
  a->period_key = db_text(st, 8);
  a->period_start = db_text(st, 9);
  a->period_end = db_text(st, 10);
  a->unit_code = db_text(st, 11);
  a->unit_name = db_text(st, 12);
  a->unit_path = db_text(st, 13);
  a->state = db_text(st, 14);
  a->created_at = db_text(st, 15);
  a->finished_at = db_text(st, 16);
  a->file_path = db_text(st, 17);
  a->file_sha256 = db_text(st, 18);
  a->reason = db_text(st, 19);
}

NEOERR *q_archive_insert(DB *db, const char *report, const char *title, const char *kind,
                         const char *key, const char *start, const char *end, long long unit_id,
                         const char *now, long long *id, int *made){
  NEOERR *err = db_exec(db,
    "INSERT INTO report_archive (report, title, period_kind, period_key, period_start, period_end,"
    " org_unit_id, created_at) VALUES (?,?,?,?,?,?,?,?) ON DUPLICATE KEY UPDATE id = id",
    "ssssssis", report, title, kind, key, start, end, unit_id, now);
  if( err ) return nerr_pass(err);
  *made = db_affected(db)==1;
  *id = *made ? (long long)db_last_id(db) : 0;
  return STATUS_OK;
}

NEOERR *q_archive_set_job(DB *db, long long id, long long job_id){
  return nerr_pass(db_exec(db, "UPDATE report_archive SET job_id = ? WHERE id = ?", "ii", job_id, id));
}

NEOERR *q_archive_done(DB *db, long long job_id, const char *now, const char *path,
                       long long size, const char *sha256, long long nrows){
  return nerr_pass(db_exec(db,
    "UPDATE report_archive SET state = 'done', finished_at = ?, file_path = ?, file_size = ?,"
    " file_sha256 = ?, nrows = ?, reason = NULL WHERE job_id = ?",
    "ssisii", now, path, size, sha256, nrows, job_id));
}

NEOERR *q_archive_failed(DB *db, long long job_id, const char *now, const char *reason){
  return nerr_pass(db_exec(db,
    "UPDATE report_archive SET state = 'failed', finished_at = ?, reason = ? WHERE job_id = ?",
    "ssi", now, reason, job_id));
}

NEOERR *q_archive_list(DB *db, long long user, unsigned caps, const char *kind, const char *year,
                       int limit, QARCHIVE **out, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT " ARCH_COLS " FROM report_archive a JOIN org_unit o ON o.id = a.org_unit_id"
    " WHERE (? = '' OR a.period_kind = ?) AND (? = '' OR YEAR(a.period_start) = ?) AND " Q_SCOPE("o")
    " ORDER BY a.period_start DESC, a.period_kind, a.report LIMIT ?",
    "ssss" Q_SCOPE_FMT "i", kind, kind, year, year, user, user, (long long)caps, (long long)limit);
  if( err ) return nerr_pass(err);
  QARCHIVE *v = arena_alloc(db_arena(db), sizeof(QARCHIVE) * (size_t)(limit > 0 ? limit : 1));
  int k = 0;
  while( db_step(st) ){
    if( k>=limit ) continue;
    arch_row(st, &v[k++]);
  }
  *out = v;
  *n = k;
  return STATUS_OK;
}

NEOERR *q_archive_get(DB *db, long long id, long long user, unsigned caps, QARCHIVE *a,
                      int *found, int *in_scope){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT " ARCH_COLS ", " Q_SCOPE("o") " FROM report_archive a JOIN org_unit o ON o.id = a.org_unit_id"
    " WHERE a.id = ?", Q_SCOPE_FMT "i", user, user, (long long)caps, id);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ){
    arch_row(st, a);
    *in_scope = db_int(st, 20)!=0;
  }
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_archive_years(DB *db, const char ***years, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT DISTINCT CAST(YEAR(period_start) AS CHAR) y FROM report_archive ORDER BY y DESC LIMIT 50", "");
  if( err ) return nerr_pass(err);
  const char **v = arena_alloc(db_arena(db), sizeof(char*) * 51);
  int k = 0;
  while( db_step(st) ) if( k<50 ) v[k++] = db_text(st, 0);
  *years = v;
  *n = k;
  return STATUS_OK;
}
