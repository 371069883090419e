/*
** rpages.h -- the report pages of the report executable (rpages.c): the
** list, a report as a page, its downloads, the builder; their rows are in
** report.c's route table.
*/
#ifndef DIAODU_RPAGES_H
#define DIAODU_RPAGES_H
#include "app.h"

NEOERR *rp_home(REQ *r);

/* who reads reports: any business capability (the data is cut to the grants) */
#define RP_READERS (CAP_ENTRY | CAP_APPROVE | CAP_DISPATCH | CAP_REPORT)

#endif
