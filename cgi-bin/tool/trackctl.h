/*
** trackctl.h -- `diaodu-ctl track escalate` (trackctl.c).
*/
#ifndef DIAODU_TRACKCTL_H
#define DIAODU_TRACKCTL_H
#include "ctx.h"

/* argv: the words after "track" */
NEOERR *trackctl(CTX *c, int argc, char **argv);

#endif
