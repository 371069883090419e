/*
** log.h -- one line per event on stderr: time, program, pid, level, text.
** stdout belongs to nobody: FastCGI replies go through FCGX streams.
*/
#ifndef DIAODU_LOG_H
#define DIAODU_LOG_H
#include <ClearSilver.h>

void log_init(const char *prog);
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_neoerr(const char *what, NEOERR *err);   /* traceback, does not free */

#endif
