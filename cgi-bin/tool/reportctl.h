/*
** reportctl.h -- `diaodu-ctl report ...` (reportctl.c).
*/
#ifndef DIAODU_REPORTCTL_H
#define DIAODU_REPORTCTL_H
#include "ctx.h"

NEOERR *reportctl(CTX *c, int argc, char **argv);

#endif
