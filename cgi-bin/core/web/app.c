/*
** app.c -- request dispatch (app_dispatch), the worker loop and the master.
*/
#define _GNU_SOURCE
#include "app.h"
#include "err.h"
#include "hset.h"
#include "conf.h"
#include "log.h"
#include "view.h"
#include "sess.h"
#include "pw.h"
#include "str.h"
#include "audit.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* per-worker state (not per request: that lives in REQ and its arena) */
static HDF *g_conf;
static DB *g_db;
static volatile sig_atomic_t g_stop;

DB *app_db(REQ *r){ (void)r; return g_db; }
USER *app_user(REQ *r){ return (USER*)req_user(r); }

/* ------------------------------------------------------------------ */
/* audit and pages                                                     */

/* a visitor without a session acts as nobody: no capabilities, no grants */
static const USER g_nobody = { .login = "", .name = "", .unit_path = "" };

CTX *app_ctx(REQ *r){
  CTX *c = req_ctx(r);
  if( c ) return c;
  c = arena_alloc(req_arena(r), sizeof *c);
  USER *u = app_user(r);
  *c = (CTX){ .db = g_db, .arena = req_arena(r), .conf = g_conf, .user = u ? u : &g_nobody,
              .ip = req_ip(r), .ua = req_ua(r), .req_id = ctx_req_id(req_arena(r)) };
  req_set_ctx(r, c);
  return c;
}

const char *app_local_time(REQ *r, const char *utc){
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  if( utc==NULL || strptime(utc, "%Y-%m-%d %H:%M:%S", &tm)==NULL ) return "";
  time_t t = timegm(&tm);
  struct tm lt;
  localtime_r(&t, &lt);       /* TZ is Site.TimeZone, set at start */
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &lt);
  return arena_strdup(req_arena(r), buf);
}

static NEOERR *export_user(REQ *r){
  HDF *h = req_hdf(r);
  USER *u = app_user(r);
  NEOERR *err;
  int nq;
  const PARAM *q = req_queries(r, &nq);
  if( (err = hdf_set_value(h, "CGI.Path", req_path(r))) ) return nerr_pass(err);
  for(int i=0; i<nq; i++){
    /* names are [A-Za-z0-9_.-] (req.c); skip the ones HDF cannot nest */
    const char *nm = q[i].name;
    size_t nl = strlen(nm);
    if( nm[0]=='.' || nm[nl-1]=='.' || strstr(nm, "..") ) continue;
    if( (err = hdf_set_value(h, arena_printf(req_arena(r), "Query.%s", nm), q[i].value)) )
      return nerr_pass(err);
  }
  if( u==NULL ){
    return nerr_pass(hdf_set_value(h, "Csrf", sess_pre_csrf(r)));
  }
  static const struct { unsigned cap; const char *name; } caps[] = {
    { CAP_ENTRY, "Entry" }, { CAP_APPROVE, "Approve" }, { CAP_DISPATCH, "Dispatch" },
    { CAP_REPORT, "Report" }, { CAP_ADMIN, "Admin" }, { CAP_AUDIT, "Audit" }, { CAP_SECURITY, "Security" } };
  if( (err = hdf_set_value(h, "Csrf", u->csrf)) ) return nerr_pass(err);
  if( (err = hdf_set_value(h, "User.Login", u->login)) ) return nerr_pass(err);
  if( (err = hdf_set_value(h, "User.Name", u->name)) ) return nerr_pass(err);
  if( (err = hdf_set_value(h, "User.Unit", u->unit_name)) ) return nerr_pass(err);
  if( (err = hdf_set_value(h, "User.UnitCode", u->unit_code)) ) return nerr_pass(err);
  if( (err = hdf_set_int_value(h, "User.MustChange", u->must_change || u->pw_expired)) )
    return nerr_pass(err);
  for(size_t i=0; i<sizeof caps/sizeof caps[0]; i++){
    if( (u->caps & caps[i].cap) &&
        (err = hdf_set_valuef(h, "User.Cap.%s=1", caps[i].name)) ) return nerr_pass(err);
  }
  return STATUS_OK;
}

NEOERR *app_page(REQ *r, const char *page){
  NEOERR *err = export_user(r);
  if( err ) return nerr_pass(err);
  return nerr_pass(view_render(r, page));
}

static void error_page(REQ *r, NEOERR *err){
  int status = err_status(err);
  const char *key = err_key(err);
  char k[80];
  req_reset_reply(r);
  req_set_status(r, status);
  HDF *h = req_hdf(r);
  if( h==NULL || hdf_get_value(h, "Lang.Code", NULL)==NULL ){
    /* the request failed before the view was set up: plain Chinese text */
    const char *msg = "请求无法处理 (Bad request)";
    if( status==413 ) msg = "提交的内容过大 (Request too large)";
    req_set_type(r, "text/plain; charset=utf-8");
    req_append(r, msg, strlen(msg));
    return;
  }
  snprintf(k, sizeof k, "err.status_%d", status);
  hset_int(h, "Error.Status", status);
  view_set_text(r, "Error.Title", k);
  view_set_text(r, "Page.Title", k);
  if( key ){
    snprintf(k, sizeof k, "err.%s", key);
    if( hdf_get_valuef(h, "Lang.%s", k) ) view_set_text(r, "Error.Message", k);
  }
  NEOERR *e2 = app_page(r, "error");
  if( e2 ){
    log_neoerr("rendering the error page", e2);
    nerr_ignore(&e2);
    req_reset_reply(r);
    req_set_type(r, "text/plain; charset=utf-8");
    req_append(r, "Error", 5);
  }
}

/* ------------------------------------------------------------------ */
/* dispatch                                                            */

static int path_match(const char *pattern, const char *path){
  size_t n = strlen(pattern);
  if( n>=2 && pattern[n-1]=='*' ) return strncmp(pattern, path, n - 1)==0;
  return strcmp(pattern, path)==0;
}

static NEOERR *dispatch(REQ *r, const ROUTE *routes){
  NEOERR *err;
  const char *method = req_method(r);
  const char *path = req_path(r);
  const ROUTE *rt = NULL;
  int path_seen = 0;
  const char *m = strcmp(method, "HEAD")==0 ? "GET" : method;

  if( (err = view_begin(r)) ) return nerr_pass(err);
  for(const ROUTE *p=routes; p->path; p++){
    if( !path_match(p->path, path) ) continue;
    path_seen = 1;
    if( strcmp(p->method, m)==0 ){ rt = p; break; }
  }
  if( rt==NULL ) return nerr_raise(path_seen ? ERR_METHOD : ERR_NOTFOUND, "%s",
                                   path_seen ? "method" : "not_found");
  USER *u = NULL;
  if( req_cookie(r, SESS_COOKIE) && (err = sess_load(r, g_db, &u)) ) return nerr_pass(err);
  req_set_user(r, u);

  if( (rt->flags & R_LOGIN) && u==NULL ){
    if( strcmp(m, "GET")==0 && strcmp(path, "/")!=0 ){
      const char *next = url_encode(req_arena(r), path);
      req_redirect(r, arena_printf(req_arena(r), "/login?next=%s", next));
    }else if( strcmp(m, "GET")==0 ){
      req_redirect(r, "/login");
    }else{
      return nerr_raise(ERR_DENIED, "session_expired");
    }
    return STATUS_OK;
  }
  if( u && (u->must_change || u->pw_expired) && !(rt->flags & R_PWCHANGE) ){
    req_redirect(r, "/password");
    return STATUS_OK;
  }
  if( rt->caps && !((rt->flags & R_ANYCAP) ? u && (u->caps & rt->caps)!=0 : auth_has(u, rt->caps)) )
    return nerr_raise(ERR_DENIED, "denied");
  /* the body is read only now: an upload-sized body is never read for a
  ** request that has no right to send it */
  size_t limit = rt->max_body==ROUTE_UPLOAD ? (size_t)conf_int(g_conf, "Limits.UploadMax", 10485760)
               : rt->max_body ? rt->max_body : (size_t)conf_int(g_conf, "Limits.MaxBody", 65536);
  if( (err = req_read_body(r, limit, rt->max_params)) ) return nerr_pass(err);
  if( strcmp(m, "POST")==0 && !sess_csrf_ok(r, u) ){
    log_warn("CSRF token missing or wrong: %s %s from %s", method, path, req_ip(r));
    return nerr_raise(ERR_CSRF, "csrf");
  }
  err = rt->fn(r);
  if( err==STATUS_OK && db_in_tx(g_db) ){
    db_rollback(g_db);
    return nerr_raise(NERR_ASSERT, "handler for %s left a transaction open", path);
  }
  return nerr_pass(err);
}

/* A logged-in user refused by the route's capabilities, a scope check or a
** rule (403, CSRF included) leaves one record with result "denied": the
** domain's own refusal when it named one (ctx_deny), else the route. */
static void refusal(REQ *r, NEOERR *err){
  if( err_status(err)!=403 || app_user(r)==NULL ) return;
  CTX *c = app_ctx(r);
  if( c->deny_action==NULL ){
    const char *id = req_param(r, "id");
    ctx_deny(c, "access.denied", arena_printf(req_arena(r), "route:%s %s%s%s", req_method(r), req_path(r),
                                              id ? "?id=" : "", id ? utf8_sanitize(req_arena(r), id, 40) : ""),
             err_key(err) ? err_key(err) : "denied");
  }
  NEOERR *e2 = ctx_flush(c);
  if( e2 ){ log_neoerr("recording a refusal", e2); nerr_ignore(&e2); }
}

static void handle(REQ *r, FCGX_Request *fr, const ROUTE *routes){
  NEOERR *err = req_begin(r, fr);
  if( err==STATUS_OK ) err = dispatch(r, routes);
  else if( req_hdf(r) ){
    /* a request that failed to parse still gets a page in the user's language */
    NEOERR *e2 = view_begin(r);
    nerr_ignore(&e2);
  }
  if( err ){
    db_rollback(g_db);
    refusal(r, err);
    int status = err_status(err);
    if( status>=500 ) log_neoerr(req_path(r), err);
    else if( status!=404 ){
      STRING s; string_init(&s); nerr_error_string(err, &s);
      log_info("%d %s %s: %s", status, req_method(r), req_path(r), s.buf ? s.buf : "");
      string_clear(&s);
    }
    error_page(r, err);
    nerr_ignore(&err);
  }
  /* a refusal by rule that the handler's transaction rolled back */
  CTX *c = req_ctx(r);
  if( c && c->deny_action && (err = ctx_flush(c)) ){ log_neoerr("recording a refusal", err); nerr_ignore(&err); }
  err = req_send(r);
  if( err ){ log_neoerr("sending the reply", err); nerr_ignore(&err); }
  req_end(r);
}

/* ------------------------------------------------------------------ */
/* worker                                                              */

/* What a worker tells its master, in memory both share (an anonymous
** MAP_SHARED mapping made before the first fork): each worker writes only
** its own slot, and rings the master's doorbell (one byte down a pipe)
** when it is ready and when it has answered its first request, so the
** master never polls. */
struct wstat {
  int ready;                   /* set up, accepting requests */
  long served;                 /* requests answered */
};
static struct wstat *g_self;   /* this worker's slot (NULL with -1) */
static APP_DAEMON g_daemon;    /* app_daemon_main: the body of each process */
static int g_bell = -1;        /* write end of the master's doorbell */
static sigset_t g_worker_mask; /* the signal mask a worker runs with */
static int g_set_mask;

static void ring(void){
  char c = 1;
  if( g_bell>=0 && write(g_bell, &c, 1)<0 ){ /* full: the master is awake anyway */ }
}

static void on_term(int sig){ (void)sig; g_stop = 1; FCGX_ShutdownPending(); }

void app_worker_ready(void){
  if( g_self ){ __atomic_store_n(&g_self->ready, 1, __ATOMIC_RELEASE); ring(); }
}

void app_worker_served(long n){
  if( g_self==NULL ) return;
  long before = __atomic_exchange_n(&g_self->served, n, __ATOMIC_ACQ_REL);
  if( before==0 && n>0 ) ring();
}

/* a process of app_daemon_main: its signals, then the body */
static int daemon_child(const char *prog, int slot, long max_work){
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_term;           /* no SA_RESTART: sleeps end at once */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGCHLD, SIG_DFL);
  if( g_set_mask ) sigprocmask(SIG_SETMASK, &g_worker_mask, NULL);
  int rc = g_daemon(prog, g_conf, slot, max_work, &g_stop);
  return rc;
}

static int worker(const char *prog, int sock, long max_requests, const ROUTE *routes){
  NEOERR *err;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_term;           /* no SA_RESTART: accept() returns EINTR */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGCHLD, SIG_DFL);
  /* the master blocks its signals outside ppoll(); ours are set now */
  if( g_set_mask ) sigprocmask(SIG_SETMASK, &g_worker_mask, NULL);

  if( (err = view_init(g_conf)) || (err = pw_init(g_conf)) || (err = audit_init(g_conf)) ){
    log_neoerr("worker start", err);
    nerr_ignore(&err);
    return 2;
  }
  if( !audit_key() )
    log_warn("no audit key (Audit.KeyFile): no change can be recorded once the chain is keyed; run diaodu-ctl setup");
  REQ *r = req_new(g_conf);
  if( (err = db_open(&g_db, g_conf, req_arena(r))) ){
    log_neoerr("db_open", err);
    nerr_ignore(&err);
    return 2;
  }
  FCGX_Request fr;
  FCGX_InitRequest(&fr, sock, FCGI_FAIL_ACCEPT_ON_INTR);
  long served = 0;
  if( g_self ){ __atomic_store_n(&g_self->ready, 1, __ATOMIC_RELEASE); ring(); }
  while( !g_stop && (max_requests<=0 || served<max_requests) ){
    if( FCGX_Accept_r(&fr)<0 ) break;
    handle(r, &fr, routes);
    /* the input read to its end (a GET's is one empty record): the web
    ** server sends nothing more, so the connection is closed at once, not
    ** with libfcgi's lingering close (shut down, then sleep until the peer
    ** closes: one more wake-up per request).  With input left unread it
    ** lingers as before, so a web server still writing a body that was
    ** refused is not cut off. */
    if( FCGX_GetChar(fr.in)==EOF && FCGX_GetError(fr.in)==0 ) FCGX_Detach(&fr);
    FCGX_Finish_r(&fr);
    served++;
    if( g_self ){
      __atomic_store_n(&g_self->served, served, __ATOMIC_RELEASE);
      if( served==1 ) ring();
    }
  }
  if( max_requests>0 && served>=max_requests )
    log_info("%s worker recycling after %ld requests", prog, served);
  FCGX_Free(&fr, 0);
  req_free(r);
  db_close(g_db);
  g_db = NULL;
  view_shutdown();
  pw_shutdown();
  return 0;
}

/* ------------------------------------------------------------------ */
/* master                                                              */

#define MAX_WORKERS 64

enum { W_DOWN, W_STARTING, W_READY, W_SERVING };
static const char *const wstate_name[] = { "down", "starting", "ready", "serving" };

struct slot {
  pid_t pid;
  long long started;      /* ms (monotonic) */
  long long respawn_at;   /* when pid==0: start a worker then (ms) */
  int state;              /* W_*, as the status file last said */
};

static volatile sig_atomic_t g_master_stop, g_master_reload;
static void on_master_term(int sig){ (void)sig; g_master_stop = 1; }
static void on_master_hup(int sig){ (void)sig; g_master_reload = 1; }
static void on_chld(int sig){ (void)sig; }

static long long now_ms(void){
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static pid_t spawn(const char *prog, int sock, long max_requests, const ROUTE *routes,
                   struct wstat *ws, int slot, int bell_r, int bell_w){
  ws->ready = 0;
  ws->served = 0;
  pid_t pid = fork();
  if( pid<0 ){
    log_error("fork failed: %s", strerror(errno));
    return -1;
  }
  if( pid==0 ){
    prctl(PR_SET_PDEATHSIG, SIGTERM);    /* never outlive the master */
    close(bell_r);
    g_self = ws;
    g_bell = bell_w;
    /* exit(): LeakSanitizer runs */
    exit(g_daemon ? daemon_child(prog, slot, max_requests) : worker(prog, sock, max_requests, routes));
  }
  return pid;
}

/* <socket's directory>/<prog>.workers: one line per slot, "slot pid state
** served", rewritten (atomically) whenever a worker starts, becomes ready,
** answers its first request or dies -- what tests and operators read
** instead of guessing from the process table */
static void write_status(const char *path, const char *prog, struct slot *slots,
                         struct wstat *ws, int n){
  char tmp[640];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if( f==NULL ){ log_warn("cannot write %s: %s", tmp, strerror(errno)); return; }
  fprintf(f, "# diaodu-%s master %d, %d workers: slot pid state served\n", prog, (int)getpid(), n);
  for(int i=0; i<n; i++)
    fprintf(f, "%d\t%d\t%s\t%ld\n", i, (int)slots[i].pid, wstate_name[slots[i].state],
            slots[i].pid ? __atomic_load_n(&ws[i].served, __ATOMIC_ACQUIRE) : 0L);
  if( fclose(f)!=0 || rename(tmp, path)!=0 ) log_warn("cannot write %s: %s", path, strerror(errno));
}

static void usage(const char *prog){
  fprintf(stderr,
    "usage: %s -c CONF [-c CONF...] -s SOCKET [-n WORKERS] [-r MAX_REQUESTS] [-1]\n"
    "  -c  configuration file (HDF); later files override earlier ones\n"
    "  -s  unix socket path to listen on (overrides Apps.<name>.Socket)\n"
    "  -n  worker processes (default Workers.Count, 2)\n"
    "  -r  requests before a worker is recycled (default Workers.MaxRequests)\n"
    "  -1  one worker in the foreground, no master (debugging, valgrind)\n", prog);
}

/* The FastCGI socket: 0660, group Apps.SocketGroup (the web server's,
** default www-data; empty: the process's own group).  Whoever can write to
** it can send requests with any REMOTE_ADDR, so nobody else may. */
static int socket_access(const char *path){
  const char *gname = conf_str(g_conf, "Apps.SocketGroup", "www-data");
  if( chmod(path, 0660) ){ log_error("chmod %s: %s", path, strerror(errno)); return -1; }
  if( *gname==0 ) return 0;
  struct group *g = getgrnam(gname);
  if( g==NULL ){
    log_error("Apps.SocketGroup = %s: no such group (the web server's group, e.g. www-data)", gname);
    return -1;
  }
  if( chown(path, (uid_t)-1, g->gr_gid) ){
    log_error("cannot give %s to the group %s: %s (run the master as a member of it, see"
              " conf/systemd/diaodu@.service)", path, gname, strerror(errno));
    return -1;
  }
  return 0;
}

/* SIGHUP: read the configuration files again.  On success the new set
** replaces the old one and the workers are recycled, so they start with
** it; if a file no longer parses, the old configuration stays in use. */
static int reload_conf(const char *prog, const char **confs, int nconf, const char *sockpath){
  HDF *fresh = NULL;
  NEOERR *err = conf_load(&fresh, confs, nconf);
  if( err ){
    STRING s; string_init(&s); nerr_error_string(err, &s);
    log_error("SIGHUP: the configuration does not load (%s); keeping the one in use", s.buf ? s.buf : "");
    string_clear(&s);
    nerr_ignore(&err);
    return -1;
  }
  const char *sp = hdf_get_valuef(fresh, "Apps.%s.Socket", prog);
  if( sp && strcmp(sp, sockpath)!=0 )
    log_warn("SIGHUP: Apps.%s.Socket changed to %s: a restart moves the socket; still on %s", prog, sp, sockpath);
  hdf_destroy(&g_conf);
  g_conf = fresh;
  setenv("TZ", conf_str(g_conf, "Site.TimeZone", "Asia/Shanghai"), 1);
  tzset();
  return 0;
}

static int app_run(const char *prog, const ROUTE *routes, int argc, char **argv){
  const char *confs[16];
  int nconf = 0, single = 0, opt;
  const char *sockpath = NULL;
  long nworkers = -1, max_requests = -1;
  NEOERR *err;
  int fixed_workers, fixed_requests;       /* given on the command line */

  log_init(prog);
  while( (opt = getopt(argc, argv, "c:s:n:r:1h"))!=-1 ){
    switch( opt ){
      case 'c': if( nconf<16 ) confs[nconf++] = optarg; break;
      case 's': sockpath = optarg; break;
      case 'n': nworkers = atol(optarg); break;
      case 'r': max_requests = atol(optarg); break;
      case '1': single = 1; break;
      default: usage(prog); return 2;
    }
  }
  if( nconf==0 ){ usage(prog); return 2; }
  if( (err = err_init()) || (err = conf_load(&g_conf, confs, nconf)) ){
    log_neoerr("start", err);
    nerr_ignore(&err);
    return 2;
  }
  if( sockpath==NULL ) sockpath = hdf_get_valuef(g_conf, "Apps.%s.Socket", prog);
  /* a process without a socket: -s (or Apps.<name>.Socket) only says in
  ** which directory its status file goes (the systemd unit passes -s) */
  if( sockpath==NULL && g_daemon ) sockpath = hdf_get_valuef(g_conf, "Apps.%s.Status", prog);
  if( sockpath==NULL ){ usage(prog); return 2; }
  /* a copy: the configuration it may come from is replaced on SIGHUP */
  char sockbuf[256];
  if( snprintf(sockbuf, sizeof sockbuf, "%s", sockpath)>=(int)sizeof sockbuf ){
    log_error("socket path too long: %s", sockpath);
    return 2;
  }
  sockpath = sockbuf;
  fixed_workers = nworkers>=0;
  fixed_requests = max_requests>=0;
  if( nworkers<0 ) nworkers = g_daemon ? conf_int(g_conf, "Jobs.Runners", 2) : conf_int(g_conf, "Workers.Count", 2);
  if( nworkers<1 ) nworkers = 1;
  if( nworkers>MAX_WORKERS ) nworkers = MAX_WORKERS;
  if( max_requests<0 ) max_requests = g_daemon ? conf_int(g_conf, "Jobs.Recycle", 100)
                                               : conf_int(g_conf, "Workers.MaxRequests", 5000);
  setenv("TZ", conf_str(g_conf, "Site.TimeZone", "Asia/Shanghai"), 1);
  tzset();

  int sock = -1;
  if( g_daemon && single ){
    int rc = daemon_child(prog, 0, 0);
    hdf_destroy(&g_conf);
    return rc;
  }
  if( !g_daemon ){
    if( FCGX_Init()!=0 ){ log_error("FCGX_Init failed"); return 2; }
    unlink(sockpath);                        /* libfcgi leaves it behind */
    mode_t old_umask = umask(0117);          /* the socket is born 0660, never wider */
    sock = FCGX_OpenSocket(sockpath, (int)conf_int(g_conf, "Workers.Backlog", 128));
    umask(old_umask);
    if( sock<0 ){ log_error("cannot listen on %s: %s", sockpath, strerror(errno)); return 2; }
    if( socket_access(sockpath) ){ close(sock); unlink(sockpath); return 2; }
  }

  if( single ){
    int rc = worker(prog, sock, 0, routes);
    unlink(sockpath);
    hdf_destroy(&g_conf);
    return rc;
  }

  /* the master's signals are blocked except inside ppoll() below, so a
  ** worker's death always wakes it at once (no lost wake-up, no sleep) */
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGCHLD); sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGINT);  sigaddset(&block, SIGHUP);
  sigprocmask(SIG_BLOCK, &block, &g_worker_mask);
  g_set_mask = 1;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_master_term; sigaction(SIGTERM, &sa, NULL); sigaction(SIGINT, &sa, NULL);
  sa.sa_handler = on_master_hup;  sigaction(SIGHUP, &sa, NULL);
  sa.sa_handler = on_chld;        sigaction(SIGCHLD, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  int bell[2];
  struct wstat *ws = mmap(NULL, sizeof(struct wstat) * MAX_WORKERS, PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if( ws==MAP_FAILED || pipe2(bell, O_NONBLOCK | O_CLOEXEC)!=0 ){
    log_error("master set-up: %s", strerror(errno));
    return 2;
  }
  char status_path[600];
  const char *slash = strrchr(sockpath, '/');
  snprintf(status_path, sizeof status_path, "%.*s%s.workers",
           slash ? (int)(slash - sockpath + 1) : 0, sockpath, prog);

  struct slot slots[MAX_WORKERS];
  memset(slots, 0, sizeof slots);
  int streak = 0;                          /* start-up crashes in a row */
  long long last_crash = 0;
  if( g_daemon )
    log_info("%s master with %ld processes, each recycled after %ld jobs; status in %s",
             prog, nworkers, max_requests, status_path);
  else
    log_info("%s master listening on %s with %ld workers, recycling after %ld requests",
             prog, sockpath, nworkers, max_requests);

  while( !g_master_stop ){
    long long now = now_ms();
    int status, changed = 0;
    pid_t pid;
    while( (pid = waitpid(-1, &status, WNOHANG))>0 ){
      for(int i=0; i<nworkers; i++){
        if( slots[i].pid!=pid ) continue;
        long lived = (long)((now - slots[i].started) / 1000);
        long served = __atomic_load_n(&ws[i].served, __ATOMIC_ACQUIRE);
        int crashed = !(WIFEXITED(status) && WEXITSTATUS(status)==0);
        slots[i].pid = 0;
        slots[i].respawn_at = now;
        changed = 1;
        char how[64];
        if( WIFSIGNALED(status) ) snprintf(how, sizeof how, "killed by signal %d", WTERMSIG(status));
        else snprintf(how, sizeof how, "exited with status %d", WEXITSTATUS(status));
        if( !crashed ){
          log_info("worker %d exited normally after %lds (recycled); starting a new one", (int)pid, lived);
        }else if( served>0 || (g_daemon && __atomic_load_n(&ws[i].ready, __ATOMIC_ACQUIRE)) ){
          /* it was serving: not a start-up crash loop; replace it now */
          streak = 0;
          log_warn("%s %d %s after %lds and %ld %s; restarting at once", g_daemon ? "process" : "worker",
                   (int)pid, how, lived, served, g_daemon ? "jobs" : "requests");
        }else{
          if( now - last_crash > 30000 ) streak = 0;
          streak++;
          last_crash = now;
          /* died before answering anything: back off on a crash loop,
          ** 0, 1, 2, 4 ... 60 s; never stop */
          long delay = streak<=1 ? 0 : (1L << (streak - 2 > 6 ? 6 : streak - 2));
          if( delay>60 ) delay = 60;
          slots[i].respawn_at = now + delay * 1000;
          if( delay==0 )
            log_warn("worker %d %s after %lds before serving a request (crash %d in a row); restarting at once",
                     (int)pid, how, lived, streak);
          else
            log_warn("worker %d %s after %lds before serving a request (crash %d in a row); restarting in %lds",
                     (int)pid, how, lived, streak, delay);
        }
        break;
      }
    }
    if( g_master_reload ){
      g_master_reload = 0;
      if( reload_conf(prog, confs, nconf, sockpath)==0 ){
        if( !fixed_requests ) max_requests = conf_int(g_conf, "Workers.MaxRequests", 5000);
        if( !fixed_workers && conf_int(g_conf, "Workers.Count", 2)!=nworkers )
          log_warn("SIGHUP: Workers.Count changed: it takes effect at the next restart (now %ld)", nworkers);
        log_info("SIGHUP: configuration re-read; recycling all workers");
        for(int i=0; i<nworkers; i++) if( slots[i].pid>0 ) kill(slots[i].pid, SIGTERM);
      }
    }
    long long next = -1;                   /* the earliest pending respawn */
    for(int i=0; i<nworkers && !g_master_stop; i++){
      if( slots[i].pid==0 && slots[i].respawn_at<=now ){
        pid_t p = spawn(prog, sock, max_requests, routes, &ws[i], i, bell[0], bell[1]);
        if( p>0 ){ slots[i].pid = p; slots[i].started = now; }
        else slots[i].respawn_at = now + 1000;
      }
      if( slots[i].pid==0 && (next<0 || slots[i].respawn_at<next) ) next = slots[i].respawn_at;
    }
    for(int i=0; i<nworkers; i++){
      int st = slots[i].pid==0 ? W_DOWN
             : __atomic_load_n(&ws[i].served, __ATOMIC_ACQUIRE)>0 ? W_SERVING
             : __atomic_load_n(&ws[i].ready, __ATOMIC_ACQUIRE) ? W_READY : W_STARTING;
      if( st==W_SERVING && slots[i].state!=W_SERVING ) streak = 0;   /* it works */
      if( st!=slots[i].state ){ slots[i].state = st; changed = 1; }
    }
    if( changed ) write_status(status_path, prog, slots, ws, (int)nworkers);

    /* sleep until a signal (a worker died, stop, reload), the doorbell
    ** (a worker is ready or served its first request), or a back-off ends */
    struct pollfd pfd = { bell[0], POLLIN, 0 };
    struct timespec ts, *tsp = NULL;
    if( next>=0 ){
      long long ms = next - now_ms();
      if( ms<0 ) ms = 0;
      ts.tv_sec = (time_t)(ms / 1000);
      ts.tv_nsec = (long)(ms % 1000) * 1000000;
      tsp = &ts;
    }
    if( ppoll(&pfd, 1, tsp, &g_worker_mask)>0 && (pfd.revents & POLLIN) ){
      char buf[256];
      while( read(bell[0], buf, sizeof buf)>0 ) ;
    }
  }

  log_info("%s master stopping", prog);
  for(int i=0; i<nworkers; i++) if( slots[i].pid>0 ) kill(slots[i].pid, SIGTERM);
  for(int tries=0; tries<50; tries++){
    int alive = 0;
    for(int i=0; i<nworkers; i++){
      if( slots[i].pid>0 && waitpid(slots[i].pid, NULL, WNOHANG)==slots[i].pid ) slots[i].pid = 0;
      if( slots[i].pid>0 ) alive++;
    }
    if( !alive ) break;
    struct timespec ts = { 0, 100*1000*1000 };
    nanosleep(&ts, NULL);
  }
  for(int i=0; i<nworkers; i++) if( slots[i].pid>0 ){ kill(slots[i].pid, SIGKILL); waitpid(slots[i].pid, NULL, 0); }
  if( !g_daemon ) unlink(sockpath);
  unlink(status_path);
  close(bell[0]);
  close(bell[1]);
  munmap(ws, sizeof(struct wstat) * MAX_WORKERS);
  hdf_destroy(&g_conf);
  return 0;
}

int app_main(const char *prog, const ROUTE *routes, int argc, char **argv){
  g_daemon = NULL;
  return app_run(prog, routes, argc, argv);
}

int app_daemon_main(const char *prog, APP_DAEMON body, int argc, char **argv){
  static const ROUTE none[] = { { NULL, NULL, NULL, 0, 0, 0, 0 } };
  g_daemon = body;
  return app_run(prog, none, argc, argv);
}
