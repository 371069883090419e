/*
** gendata.h -- `diaodu-ctl gen-data` (gendata.c).
*/
#ifndef DIAODU_GENDATA_H
#define DIAODU_GENDATA_H
#include "ctx.h"

NEOERR *gendata(CTX *c, int argc, char **argv);

#endif
