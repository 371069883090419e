/*
** runner.c -- diaodu-runner, the job runner: a master (web/app.c,
** app_daemon_main) supervising Jobs.Runners processes, like the FastCGI
** executables' workers.  Each process opens two connections -- one for the
** work (reports stream on it), one for the job's control (claim, progress
** beats renewing the lease, the end) -- and loops: housekeeping every
** Jobs.HousekeepSeconds (jobs of runners gone or whose lease passed, old
** files, the archive's schedule every Archive.CheckMinutes), then the
** oldest queued job, or a sleep of Jobs.PollMs.  SIGTERM: the job under
** way is given back (queued again, the attempt not counted) and the
** process ends.  Everything a job does is the domain's (dom/job.c).
**
**   diaodu-runner -c CONF [-c CONF...] [-s DIR/runner.sock] [-n N] [-r JOBS] [-1]
*/
#include "app.h"
#include "audit.h"
#include "conf.h"
#include "err.h"
#include "job.h"
#include "log.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void nap(long ms, volatile sig_atomic_t *stop){
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  while( !*stop && nanosleep(&ts, &ts)!=0 && errno==EINTR ) ;
}

static void report(const char *what, NEOERR **err){
  log_neoerr(what, *err);
  nerr_ignore(err);
}

static int body(const char *prog, HDF *conf, int slot, long max_work, volatile sig_atomic_t *stop){
  (void)prog;
  NEOERR *err;
  ARENA *wa = arena_new(1 << 20), *ca = arena_new(65536);
  DB *wdb = NULL, *cdb = NULL;
  CTX work, ctl;
  int rc = 0;
  /* the audit chain's key, as the workers load it (queueing the archive
  ** and every other record the runner writes is keyed) */
  if( (err = audit_init(conf)) || (err = db_open(&wdb, conf, wa)) || (err = db_open(&cdb, conf, ca)) ){
    report("runner: db_open", &err);
    rc = 2;
    goto done;
  }
  ctx_operator(&work, wdb, wa, conf, "diaodu-runner");
  ctx_operator(&ctl, cdb, ca, conf, "diaodu-runner");
  /* the database must answer before the process counts as ready: a
  ** runner that cannot reach it backs off like a worker that cannot start */
  const char *dir;
  if( (err = job_housekeep(&ctl, NULL)) || (err = job_dir(&ctl, &dir)) ){
    report("runner: start", &err);
    rc = 2;
    goto done;
  }
  char host[128], runner[160], prefix[140];
  if( gethostname(host, sizeof host)!=0 ) snprintf(host, sizeof host, "localhost");
  host[sizeof host - 1] = 0;
  snprintf(prefix, sizeof prefix, "%s:", host);
  snprintf(runner, sizeof runner, "%s:%d", host, (int)getpid());
  log_info("runner %s (slot %d) ready; files in %s", runner, slot, dir);
  app_worker_ready();

  long poll = conf_int(conf, "Jobs.PollMs", 1000), hk = conf_int(conf, "Jobs.HousekeepSeconds", 5);
  long check = conf_int(conf, "Archive.CheckMinutes", 10) * 60;
  int schedule = (int)conf_int(conf, "Archive.Schedule", 1);
  time_t last_hk = 0, last_archive = 0;
  long done = 0;
  if( poll<50 ) poll = 50;
  while( !*stop && (max_work<=0 || done<max_work) ){
    time_t now = time(NULL);
    if( now - last_hk>=hk ){
      last_hk = now;
      if( (err = job_housekeep(&ctl, prefix)) ) report("runner: housekeeping", &err);
      if( schedule && now - last_archive>=check ){
        int queued;
        const char *msg;
        last_archive = now;
        if( (err = job_archive_due(&ctl, "", NULL, &queued, &msg)) ) report("runner: archive schedule", &err);
        else if( msg ) log_warn("runner: archive schedule: %s", msg);
        else if( queued ) log_info("runner: %d leadership report(s) queued for the archive", queued);
      }
      arena_reset(ca);
    }
    int did = 0;
    err = job_tick(&work, &ctl, runner, stop, &did);
    db_rollback(wdb);
    db_rollback(cdb);
    arena_reset(wa);
    arena_reset(ca);
    if( err ){
      report("runner: job", &err);
      nap(1000, stop);              /* the database may be restarting */
      continue;
    }
    if( did ){
      app_worker_served(++done);
      continue;
    }
    nap(poll, stop);
  }
  if( max_work>0 && done>=max_work ) log_info("runner %s recycling after %ld jobs", runner, done);
done:
  if( wdb ) db_close(wdb);
  if( cdb ) db_close(cdb);
  arena_free(wa);
  arena_free(ca);
  return rc;
}

int main(int argc, char **argv){
  return app_daemon_main("runner", body, argc, argv);
}
