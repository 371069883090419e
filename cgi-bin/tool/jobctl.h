/*
** jobctl.h -- `diaodu-ctl report-archive [week|month] [--date YYYY-MM-DD] [--list]`
** (jobctl.c): the leadership reports' archive from the command line (cron,
** conf/systemd/diaodu-report-archive.timer).
*/
#ifndef DIAODU_JOBCTL_H
#define DIAODU_JOBCTL_H
#include "ctx.h"

/* argv: the words after "report-archive"; *msg a Lang key of a refusal */
NEOERR *jobctl_archive(CTX *c, int argc, char **argv, const char **msg);

#endif
