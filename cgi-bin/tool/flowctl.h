/*
** flowctl.h -- `diaodu-ctl flow adopt | explain LOGIN` (flowctl.c).
*/
#ifndef DIAODU_FLOWCTL_H
#define DIAODU_FLOWCTL_H
#include "ctx.h"

/* argv: the words after "flow" */
NEOERR *flowctl(CTX *c, int argc, char **argv);

#endif
