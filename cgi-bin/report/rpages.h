/*
** rpages.h -- the report pages of the report executable (rpages.c): the
** list, a report as a page, its downloads, the builder; their rows are in
** report.c's route table.
*/
#ifndef DIAODU_RPAGES_H
#define DIAODU_RPAGES_H
#include "app.h"

NEOERR *rp_home(REQ *r);      /* GET  /report/            the reports the user may run */
NEOERR *rp_view(REQ *r);      /* GET  /report/view        a report as a page (r, period, date, from, to, unit, pending) */
NEOERR *rp_export(REQ *r);    /* GET  /report/export      the same as fmt=csv|xlsx|pdf, audited */
NEOERR *rp_build(REQ *r);     /* GET  /report/build       the builder (form, choices, preview=1; id: edit a saved one) */
NEOERR *rp_save(REQ *r);      /* POST /report/save        save the builder's report (id: update one's own) */
NEOERR *rp_delete(REQ *r);    /* POST /report/delete      delete one's own saved report */

/* who reads reports: any business capability (the data is cut to the grants) */
#define RP_READERS (CAP_ENTRY | CAP_APPROVE | CAP_DISPATCH | CAP_REPORT)

#endif
