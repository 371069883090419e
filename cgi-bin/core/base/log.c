/*
** log.c -- timestamped lines on stderr (the run command sends them to var/log/).
*/
#include "log.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char g_prog[32] = "diaodu";

void log_init(const char *prog){
  snprintf(g_prog, sizeof g_prog, "%s", prog);
}

static void vlog(const char *level, const char *fmt, va_list ap){
  char ts[32], line[2048];
  struct timespec now;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &now);
  gmtime_r(&now.tv_sec, &tm);
  strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
  int n = snprintf(line, sizeof line, "%s %s[%d] %s: ", ts, g_prog, (int)getpid(), level);
  if( n<0 || (size_t)n>=sizeof line ) n = 0;
  vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
  /* one event, one line: control characters from requests cannot forge lines */
  for(char *p = line + n; *p; p++) if( (unsigned char)*p<0x20 ) *p = '?';
  size_t len = strlen(line);
  if( len < sizeof line - 1 ) line[len++] = '\n';
  else line[sizeof line - 2] = '\n', len = sizeof line - 1;
  /* one write() so lines of concurrent workers do not interleave */
  ssize_t w = write(2, line, len);
  (void)w;
}

#define LOGFN(name, level) \
  void name(const char *fmt, ...){ va_list ap; va_start(ap, fmt); vlog(level, fmt, ap); va_end(ap); }
LOGFN(log_info, "info")
LOGFN(log_warn, "warn")
LOGFN(log_error, "error")

void log_neoerr(const char *what, NEOERR *err){
  STRING s;
  string_init(&s);
  nerr_error_traceback(err, &s);
  /* the traceback on one line: frames separated by " | " */
  STRING flat;
  string_init(&flat);
  for(const char *p = s.buf ? s.buf : "(no traceback)"; *p; p++){
    if( *p=='\n' ){ if( p[1] ) string_append(&flat, " | "); }
    else string_append_char(&flat, *p);
  }
  log_error("%s: %s", what, flat.buf ? flat.buf : "");
  string_clear(&flat);
  string_clear(&s);
}
