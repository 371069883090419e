/*
** app.h -- an executable is a route table plus thin handlers.
**
** Each route declares what it needs (a session, capabilities, the method,
** limits on its body's size and parameter count) and app.c enforces all of
** it before the handler runs, so no handler can forget a check (cgit's cmd
** table is the model):
**   1. parse the request strictly (400 / 413 on bad input)
**   2. find the route (404 / 405)
**   3. load the session; R_LOGIN routes redirect to /login without one
**   4. a user who must change the password only reaches R_PWCHANGE routes
**   5. the route's capabilities (403)
**   6. every POST carries a valid CSRF token (403)
**   7. the handler; on error the transaction is rolled back and a clean
**      error page in the user's language replaces whatever was rendered.
**
** app_main() is also the process master (in the manner of PHP-FPM): it
** owns the FastCGI socket, keeps Workers.Count workers alive, replaces a
** worker that died (backing off on crash loops, never giving up), recycles
** workers after Workers.MaxRequests requests, and logs why each time.
** app_daemon_main() is the same master for the job runner.
*/
#ifndef DIAODU_APP_H
#define DIAODU_APP_H
#include "req.h"
#include "db.h"
#include "auth.h"
#include "ctx.h"

typedef NEOERR *(*HANDLER)(REQ *r);

enum {
  R_PUBLIC   = 0,
  R_LOGIN    = 1,      /* a valid session is required */
  R_PWCHANGE = 2,      /* reachable while a password change is pending */
  R_ANYCAP   = 4       /* caps: any one of them suffices (readers of sheets) */
};

typedef struct {
  const char *method;  /* "GET" (also serves HEAD) or "POST" */
  const char *path;    /* exact path; "/x/" + "*" matches /x/ and below */
  HANDLER fn;
  unsigned flags;      /* R_* */
  unsigned caps;       /* CAP_* all required (R_ANYCAP: one of them); 0 = any logged-in user */
  size_t max_body;     /* 0: Limits.MaxBody; ROUTE_UPLOAD: Limits.UploadMax */
  int max_params;      /* body parameters, 0: Limits.MaxParams; a sheet of
                          30 rows of 10 fields needs 300 (req.h: rows) */
} ROUTE;

#define ROUTE_UPLOAD ((size_t)-1)

int app_main(const char *prog, const ROUTE *routes, int argc, char **argv);

/* The same master for processes that serve no socket (the job runner):
** app_daemon_main() forks Jobs.Runners processes (-n), each running body,
** and supervises them exactly like FastCGI workers -- replaced when they
** die, backing off only when they die before they are ready, recycled
** after `max_work` units of work (-r, Jobs.Recycle), SIGHUP re-reads the
** configuration and recycles them, SIGTERM stops them.  Its status file
** is <directory of -s or Apps.<name>.Socket or Apps.<name>.Status>/<name>.workers.
** body returns the process's exit status; it ends when *stop becomes 1
** (SIGTERM), tells the master app_worker_ready() once it is set up and
** app_worker_served(n) after each unit of work.  -1 runs one in the
** foreground. */
#include <signal.h>
typedef int (*APP_DAEMON)(const char *prog, HDF *conf, int slot, long max_work,
                          volatile sig_atomic_t *stop);
int app_daemon_main(const char *prog, APP_DAEMON body, int argc, char **argv);
void app_worker_ready(void);
void app_worker_served(long n);

DB *app_db(REQ *r);
USER *app_user(REQ *r);
/* render a page with the common data set (user, menu flags, CSRF token) */
NEOERR *app_page(REQ *r, const char *page);
/* the domain context of this request: the worker's DB, the request's arena
** and user, its address and user agent (built once per request) */
CTX *app_ctx(REQ *r);
/* format a UTC "YYYY-MM-DD HH:MM:SS" in the company's time zone */
const char *app_local_time(REQ *r, const char *utc);

#endif
