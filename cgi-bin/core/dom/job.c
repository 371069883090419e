/*
** job.c -- see job.h.  Queueing, the owner's view, cancelling and
** downloading; the runner's claim, progress, finish and housekeeping; the
** archive's schedule and rows.  What a kind of job does is in jobkind.c.
*/
#define _GNU_SOURCE
#include "job.h"
#include "jobkind.h"
#include "conf.h"
#include "day.h"
#include "err.h"
#include "json.h"
#include "log.h"
#include "str.h"
#include "q_user.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *utc(CTX *c, time_t t){
  char buf[DAY_KEYSZ];
  return arena_strdup(c->arena, day_utc_text(t, buf));
}
static const char *now_text(CTX *c){ return utc(c, ctx_now(c)); }

/* ------------------------------------------------------------ files */

NEOERR *job_dir(CTX *c, const char **dir){
  const char *d = conf_str(c->conf, "Jobs.Dir", "var/jobs");
  struct stat sb;
  if( stat(d, &sb)!=0 ){
    if( errno!=ENOENT ) return nerr_raise_errno(NERR_IO, "Jobs.Dir %s", d);
    if( mkdir(d, 0700)!=0 && errno!=EEXIST ) return nerr_raise_errno(NERR_IO, "cannot make Jobs.Dir %s", d);
  }else if( !S_ISDIR(sb.st_mode) ){
    return nerr_raise(NERR_IO, "Jobs.Dir %s is not a directory", d);
  }else if( (sb.st_mode & 077)!=0 && sb.st_uid==geteuid() && chmod(d, 0700)!=0 ){
    return nerr_raise_errno(NERR_IO, "cannot chmod 0700 %s", d);
  }
  *dir = d;
  return STATUS_OK;
}

/* the whole file dir/rel into data; *gone when it is not there */
static NEOERR *read_file(const char *dir, const char *rel, STRING *data, int *gone){
  char path[1024];
  *gone = 0;
  if( rel==NULL || strstr(rel, "..") || rel[0]=='/' ){ *gone = 1; return STATUS_OK; }
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if( fd<0 ){
    if( errno==ENOENT ){ *gone = 1; return STATUS_OK; }
    return nerr_raise_errno(NERR_IO, "cannot open %s", path);
  }
  char buf[65536];
  ssize_t n;
  NEOERR *err = STATUS_OK;
  while( (n = read(fd, buf, sizeof buf))>0 )
    if( (err = string_appendn(data, buf, (int)n)) ) break;
  if( !err && n<0 ) err = nerr_raise_errno(NERR_IO, "cannot read %s", path);
  close(fd);
  return err;
}

/* write data to dir/rel (0600) through a temporary file renamed into place */
static NEOERR *write_file(const char *dir, const char *rel, const char *data, size_t len){
  char path[1024], tmp[1100];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if( fd<0 ) return nerr_raise_errno(NERR_IO, "cannot create %s", tmp);
  size_t off = 0;
  while( off<len ){
    ssize_t n = write(fd, data + off, len - off);
    if( n<0 ){
      if( errno==EINTR ) continue;
      NEOERR *err = nerr_raise_errno(NERR_IO, "cannot write %s", tmp);
      close(fd);
      unlink(tmp);
      return err;
    }
    off += (size_t)n;
  }
  if( fsync(fd)!=0 || close(fd)!=0 || rename(tmp, path)!=0 ){
    NEOERR *err = nerr_raise_errno(NERR_IO, "cannot finish %s", path);
    unlink(tmp);
    return err;
  }
  return STATUS_OK;
}

static void sha256_hex(const char *data, size_t len, char out[65]){
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, (const unsigned char*)data, len);
  hex_encode(out, h, sizeof h);
}

/* ------------------------------------------------------------ the owner's side */

static NEOERR *queue_tx(CTX *c, const char *kind, const char *title, const char *args,
                        long long *id, const char **msg){
  long long active;
  long max = conf_int(c->conf, "Jobs.MaxActive", 5);
  NEOERR *err;
  if( c->user->id && (err = q_job_active(c->db, c->user->id, &active)) ) return nerr_pass(err);
  if( c->user->id && active>=max ){
    *msg = "job.too_many";
    return STATUS_OK;
  }
  int attempts = (int)conf_int(c->conf, "Jobs.MaxAttempts", 3);
  if( attempts<1 ) attempts = 1;
  if( attempts>20 ) attempts = 20;
  if( (err = q_job_insert(c->db, c->user->id, kind, title, args, attempts, now_text(c), id)) )
    return nerr_pass(err);
  JSON j;
  json_open(&j);
  json_str(&j, "kind", kind);
  json_str(&j, "title", title);
  json_str(&j, "args", args);
  json_end(&j);
  return nerr_pass(ctx_audit(c, "job.queue", arena_printf(c->arena, "job:%lld", *id), "ok",
                             json_done(&j, c->arena)));
}

NEOERR *job_queue(CTX *c, const char *kind, const char *title, const char *args,
                  long long *id, const char **msg){
  *id = 0;
  if( jobkind_find(kind)==NULL ) return nerr_raise(NERR_ASSERT, "job kind %s", kind);
  return nerr_pass(DB_TX(c->db, msg, queue_tx(c, kind, title, args, id, msg)));
}

NEOERR *job_get(CTX *c, long long id, QJOB *j, int *found){
  NEOERR *err = q_job_get(c->db, id, j, found);
  if( err ) return nerr_pass(err);
  /* only the owner's; the operator's own (archive) jobs are nobody's page */
  if( *found && (j->user_id==0 || j->user_id!=c->user->id) ) *found = 0;
  return STATUS_OK;
}

NEOERR *job_list(CTX *c, int limit, QJOB **out, int *n){
  return nerr_pass(q_job_list(c->db, c->user->id, limit, out, n));
}

static NEOERR *cancel_tx(CTX *c, long long id, const char **msg){
  QJOB j;
  int found, done;
  NEOERR *err = job_get(c, id, &j, &found);
  if( err ) return nerr_pass(err);
  if( !found ){ *msg = "job.not_found"; return STATUS_OK; }
  if( (err = q_job_cancel(c->db, id, c->user->id, now_text(c), &done)) ) return nerr_pass(err);
  if( !done ){ *msg = "job.not_active"; return STATUS_OK; }
  JSON js;
  json_open(&js);
  json_str(&js, "title", j.title);
  json_str(&js, "was", j.state);
  json_int(&js, "progress", j.progress);
  json_end(&js);
  return nerr_pass(ctx_audit(c, "job.cancel", arena_printf(c->arena, "job:%lld", id), "ok",
                             json_done(&js, c->arena)));
}

NEOERR *job_cancel(CTX *c, long long id, const char **msg){
  return nerr_pass(DB_TX(c->db, msg, cancel_tx(c, id, msg)));
}

static NEOERR *download_audit(CTX *c, const char *action, const char *object, const char *title,
                              long long size, const char *sha, long long nrows){
  JSON js;
  json_open(&js);
  json_str(&js, "title", title);
  json_int(&js, "bytes", size);
  json_int(&js, "rows", nrows);
  json_str(&js, "sha256", sha);
  json_end(&js);
  const char *detail = json_done(&js, c->arena);
  return nerr_pass(DB_TX(c->db, NULL, ctx_audit(c, action, object, "ok", detail)));
}

NEOERR *job_file(CTX *c, long long id, QJOB *j, STRING *data, const char **msg){
  int found, gone;
  const char *dir;
  *msg = NULL;
  NEOERR *err = job_get(c, id, j, &found);
  if( err ) return nerr_pass(err);
  if( !found ){ *msg = "job.not_found"; return STATUS_OK; }
  if( strcmp(j->state, "done")!=0 ){
    *msg = strcmp(j->state, "expired")==0 ? "job.file_gone" : "job.not_ready";
    return STATUS_OK;
  }
  if( (err = job_dir(c, &dir)) ) return nerr_pass(err);
  if( (err = read_file(dir, j->file_path, data, &gone)) ) return nerr_pass(err);
  if( gone ){ *msg = "job.file_gone"; return STATUS_OK; }
  return nerr_pass(download_audit(c, "job.download", arena_printf(c->arena, "job:%lld", id), j->title,
                                  (long long)data->len, j->file_sha256, j->nrows));
}

/* ------------------------------------------------------------ the runner's side */

static long lease_secs(CTX *c){
  long s = conf_int(c->conf, "Jobs.LeaseSeconds", 120);
  return s<2 ? 2 : s;
}

NEOERR *job_progress(JOBRUN *jr, int percent, const char *phase){
  CTX *c = jr->ctl;
  int held;
  if( jr->stop ) return STATUS_OK;
  if( jr->delay_ms>0 ){     /* Jobs.TestDelayMs: a slow job for the tests */
    struct timespec ts = { jr->delay_ms / 1000, (jr->delay_ms % 1000) * 1000000L };
    while( nanosleep(&ts, &ts)!=0 && errno==EINTR && !*jr->stopping ) ;
  }
  if( *jr->stopping ){
    NEOERR *err = q_job_release(c->db, jr->job.id, jr->claim, &held);
    jr->stop = 1;
    jr->released = held;
    return nerr_pass(err);
  }
  if( percent<0 ) percent = 0;
  if( percent>99 ) percent = 99;
  time_t now = ctx_now(c);
  NEOERR *err = q_job_beat(c->db, jr->job.id, jr->claim, percent, phase, utc(c, now),
                           utc(c, now + jr->lease_secs), &held);
  if( err ) return nerr_pass(err);
  if( !held ) jr->stop = 1;
  return STATUS_OK;
}

/* the context of the job's owner: their account and grants as they are now */
static NEOERR *owner_ctx(CTX *c, CTX *out, const QJOB *j, const char **msg){
  *out = *c;
  *msg = NULL;
  if( j->user_id==0 ) return STATUS_OK;          /* the runner's own: the operator */
  ACCOUNT acc;
  int found;
  NEOERR *err = q_user_by_id(c->db, c->arena, j->user_id, &acc, &found);
  if( err ) return nerr_pass(err);
  if( !found || !acc.active ){ *msg = "job.owner_gone"; return STATUS_OK; }
  USER *u = arena_alloc(c->arena, sizeof *u);
  u->id = acc.id;
  u->login = acc.login;
  u->name = acc.name;
  if( (err = q_user_grants(c->db, c->arena, acc.id, &u->grants, &u->ngrants)) ) return nerr_pass(err);
  for(int i=0; i<u->ngrants; i++) u->caps |= u->grants[i].caps;
  u->unit_path = "";
  out->user = u;
  out->ip = "127.0.0.1";
  out->ua = "diaodu-runner";
  return STATUS_OK;
}

static NEOERR *finish_fail(JOBRUN *jr, const char *reason){
  CTX *c = jr->ctl;
  int held;
  const char *now = now_text(c);
  return nerr_pass(DB_TX(c->db, NULL, ({
    NEOERR *e_ = q_job_fail(c->db, jr->job.id, jr->claim, now, reason, &held);
    if( !e_ && held && strcmp(jr->job.kind, "archive")==0 ) e_ = q_archive_failed(c->db, jr->job.id, now, reason);
    e_; })));
}

/* the reason a failed job shows: a Lang key the owner can read */
static const char *reason_of(CTX *c, NEOERR *err){
  const char *k = err_key(err);
  if( k && (strncmp(k, "report_", 7)==0 || strncmp(k, "job.", 4)==0) ) return arena_strdup(c->arena, k);
  if( db_err_is(err, "timeout") ) return "job.timeout";
  return "job.failed";
}

static NEOERR *run_job(CTX *c, JOBRUN *jr){
  CTX *ctl = jr->ctl;
  const JOBKIND *k = jobkind_find(jr->job.kind);
  CTX oc;
  const char *msg = NULL;
  JOBOUT out;
  NEOERR *err;
  int held;
  memset(&out, 0, sizeof out);
  string_init(&out.data);
  log_info("job %lld (%s, attempt %d of %d) started: %s", jr->job.id, jr->job.kind,
           jr->job.attempts, jr->job.max_attempts, jr->job.title);
  if( k==NULL ) msg = "job.unknown_kind";
  else if( (err = owner_ctx(c, &oc, &jr->job, &msg)) ) goto failed;
  if( msg ){
    err = finish_fail(jr, msg);
    log_warn("job %lld refused: %s", jr->job.id, msg);
    goto done;
  }
  err = k->run(&oc, jr, &out);
  if( jr->stop ){
    log_info("job %lld stopped (%s)", jr->job.id, jr->released ? "given back: the runner stops" : "cancelled or taken back");
    nerr_ignore(&err);
    goto done;
  }
  if( err ) goto failed;
  if( (err = job_progress(jr, 99, "job.phase.save")) ) goto failed;
  if( jr->stop ) goto done;
  long long max = (long long)conf_int(c->conf, "Jobs.MaxFileMB", 64) * 1048576LL;
  if( (long long)out.data.len>max ){
    err = finish_fail(jr, "job.too_big");
    log_warn("job %lld: %d bytes, over Jobs.MaxFileMB", jr->job.id, out.data.len);
    goto done;
  }
  const char *dir;
  if( (err = job_dir(c, &dir)) ) goto failed;
  int archive = strcmp(jr->job.kind, "archive")==0;
  const char *rel = archive && k->archive_name ? k->archive_name(&oc, jr, &out)
                  : arena_printf(c->arena, "j%lld-%.8s.%s", jr->job.id, jr->claim, out.ext ? out.ext : "dat");
  if( archive ){
    char sub[1024];
    snprintf(sub, sizeof sub, "%s/archive", dir);
    if( mkdir(sub, 0700)!=0 && errno!=EEXIST ){ err = nerr_raise_errno(NERR_IO, "mkdir %s", sub); goto failed; }
  }
  if( (err = write_file(dir, rel, out.data.buf ? out.data.buf : "", (size_t)out.data.len)) ) goto failed;
  char sha[65];
  sha256_hex(out.data.buf ? out.data.buf : "", (size_t)out.data.len, sha);
  const char *now = now_text(ctl);
  err = DB_TX(ctl->db, NULL, ({
    NEOERR *e_ = q_job_done(ctl->db, jr->job.id, jr->claim, now, out.file_name, out.file_type, rel,
                            (long long)out.data.len, sha, out.nrows, &held);
    if( !e_ && held && archive ) e_ = q_archive_done(ctl->db, jr->job.id, now, rel, (long long)out.data.len, sha, out.nrows);
    e_; }));
  if( err ) goto failed;
  if( !held ){
    /* cancelled or taken back while saving: the file is nobody's (an
    ** archive's name is the period's: the one who holds it now writes it) */
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    if( !archive ) unlink(path);
    log_info("job %lld was cancelled or taken back at the end; its file is dropped", jr->job.id);
  }else{
    log_info("job %lld done: %s, %d bytes, %lld rows, sha256 %s", jr->job.id, rel, out.data.len, out.nrows, sha);
  }
  goto done;
failed:
  log_neoerr(arena_printf(c->arena, "job %lld failed", jr->job.id), err);
  {
    const char *reason = reason_of(c, err);
    nerr_ignore(&err);
    db_rollback(c->db);
    err = finish_fail(jr, reason);
  }
done:
  string_clear(&out.data);
  return nerr_pass(err);
}

NEOERR *job_tick(CTX *c, CTX *ctl, const char *runner, volatile sig_atomic_t *stopping, int *did){
  unsigned char raw[16];
  char claim[33];
  QJOB j;
  int found = 0;
  *did = 0;
  randombytes_buf(raw, sizeof raw);
  hex_encode(claim, raw, sizeof raw);
  time_t now = ctx_now(ctl);
  long lease = lease_secs(ctl);
  const char *tnow = utc(ctl, now), *tlease = utc(ctl, now + lease);
  NEOERR *err = DB_TX(ctl->db, NULL, q_job_claim(ctl->db, claim, runner, tnow, tlease, &j, &found));
  if( err || !found ) return nerr_pass(err);
  *did = 1;
  JOBRUN jr;
  memset(&jr, 0, sizeof jr);
  jr.ctl = ctl;
  jr.job = j;
  jr.claim = arena_strdup(ctl->arena, claim);
  jr.lease_secs = lease;
  jr.delay_ms = conf_int(ctl->conf, "Jobs.TestDelayMs", 0);
  jr.stopping = stopping;
  return nerr_pass(run_job(c, &jr));
}

/* temporary files older than an hour: a runner died while writing */
static void sweep_tmp(const char *dir){
  DIR *d = opendir(dir);
  if( d==NULL ) return;
  struct dirent *e;
  time_t now = time(NULL);
  while( (e = readdir(d)) ){
    size_t n = strlen(e->d_name);
    if( n<5 || strcmp(e->d_name + n - 4, ".tmp")!=0 ) continue;
    struct stat sb;
    if( fstatat(dirfd(d), e->d_name, &sb, 0)==0 && now - sb.st_mtime>3600 ) unlinkat(dirfd(d), e->d_name, 0);
  }
  closedir(d);
}

NEOERR *job_housekeep(CTX *c, const char *host_prefix){
  NEOERR *err;
  const char **names;
  int n;
  long long k, requeued, failed;
  const char *now = now_text(c);
  /* runners of this host whose process is gone (killed, crashed): their
  ** jobs need not wait for the lease */
  if( host_prefix && *host_prefix ){
    if( (err = q_job_runners(c->db, host_prefix, &names, &n)) ) return nerr_pass(err);
    for(int i=0; i<n; i++){
      long pid = atol(names[i] + strlen(host_prefix));
      if( pid<=1 || kill((pid_t)pid, 0)==0 || errno!=ESRCH ) continue;
      if( (err = q_job_runner_gone(c->db, names[i], utc(c, ctx_now(c) - 1), &k)) ) return nerr_pass(err);
      if( k ) log_warn("runner %s is gone; its %lld running job(s) are taken back", names[i], k);
    }
  }
  if( (err = DB_TX(c->db, NULL, q_job_recover(c->db, now, &requeued, &failed))) ) return nerr_pass(err);
  if( requeued ) log_warn("%lld interrupted job(s) queued again", requeued);
  if( failed ) log_warn("%lld interrupted job(s) failed: no attempts left", failed);

  /* files of done jobs past Jobs.KeepHours */
  const char *dir;
  if( (err = job_dir(c, &dir)) ) return nerr_pass(err);
  long keep = conf_int(c->conf, "Jobs.KeepHours", 72);
  QJOB *old;
  if( (err = q_job_expired(c->db, utc(c, ctx_now(c) - keep * 3600), 100, &old, &n)) ) return nerr_pass(err);
  for(int i=0; i<n; i++){
    if( old[i].file_path && !strstr(old[i].file_path, "..") && old[i].file_path[0]!='/' ){
      char path[1024];
      snprintf(path, sizeof path, "%s/%s", dir, old[i].file_path);
      if( unlink(path)!=0 && errno!=ENOENT ) log_warn("cannot remove %s: %s", path, strerror(errno));
    }
    if( (err = q_job_set_expired(c->db, old[i].id)) ) return nerr_pass(err);
  }
  if( n ) log_info("%d job file(s) older than %ld hours removed", n, keep);
  sweep_tmp(dir);
  return STATUS_OK;
}

/* ------------------------------------------------------------ the archive */

NEOERR *job_archive_list(CTX *c, const char *kind, const char *year, int limit, QARCHIVE **out, int *n){
  return nerr_pass(q_archive_list(c->db, c->user->id, CAP_REPORT, kind ? kind : "", year ? year : "",
                                  limit, out, n));
}

NEOERR *job_archive_file(CTX *c, long long id, QARCHIVE *a, STRING *data, const char **msg){
  int found, in_scope = 0, gone;
  const char *dir;
  *msg = NULL;
  NEOERR *err = q_archive_get(c->db, id, c->user->id, CAP_REPORT, a, &found, &in_scope);
  if( err ) return nerr_pass(err);
  if( !found || !in_scope ){ *msg = "job.not_found"; return STATUS_OK; }
  if( strcmp(a->state, "done")!=0 ){ *msg = "job.not_ready"; return STATUS_OK; }
  if( (err = job_dir(c, &dir)) ) return nerr_pass(err);
  if( (err = read_file(dir, a->file_path, data, &gone)) ) return nerr_pass(err);
  if( gone ){ *msg = "job.file_gone"; return STATUS_OK; }
  return nerr_pass(download_audit(c, "archive.download", arena_printf(c->arena, "archive:%lld", id),
                                  a->title, (long long)data->len, a->file_sha256, a->nrows));
}

NEOERR *job_archive_due(CTX *c, const char *kind, const char *date, int *queued, const char **msg){
  *queued = 0;
  *msg = NULL;
  DAYCAL cal;
  NEOERR *err = day_cal_conf(&cal, c->conf);
  if( err ) return nerr_pass(err);
  time_t now = ctx_now(c);
  long day = 0;
  if( date && *date ){
    int y, m, d;
    char tail;
    if( strlen(date)!=10 || sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &tail)!=3 || !day_ymd_ok(y, m, d) ){
      *msg = "archive.bad_date";
      return STATUS_OK;
    }
    day = day_num(y, m, d);
  }
  static const struct { const char *kind; DAY_PKIND pk; } kinds[] = {
    { "week", DAY_P_WEEK }, { "month", DAY_P_MONTH } };
  for(int i=0; i<2; i++){
    if( kind && *kind && strcmp(kind, kinds[i].kind)!=0 ) continue;
    PERIOD p;
    if( day ){
      p = day_period_of_date(kinds[i].pk, day);
      time_t start, end;
      day_period_bounds(&cal, &p, &start, &end);
      if( end>now ){ *msg = "archive.not_ended"; return STATUS_OK; }
    }else{
      /* the last period that ended Archive.AfterHours ago or earlier */
      long after = conf_int(c->conf, "Archive.AfterHours", 48);
      PERIOD cur = day_period_at(&cal, kinds[i].pk, now - (after<0 ? 0 : after) * 3600);
      p = day_period_prev(&cal, &cur);
    }
    int k = 0;
    if( (err = jobkind_archive_queue(c, kinds[i].kind, &p, &k, msg)) ) return nerr_pass(err);
    if( *msg ) return STATUS_OK;
    *queued += k;
  }
  return STATUS_OK;
}
