/*
** demo.h -- the demo company's sheets: about six weeks of believable
** entries of its five forms, made through the same domain functions the
** entry and approval pages use (entry_new, entry_save, flow_act), as the units' own
** clerks, heads and dispatchers, each action at its own simulated instant -- so late
** marks, audit records and the previous readings come out as they would.
*/
#ifndef DIAODU_DEMO_H
#define DIAODU_DEMO_H
#include "ctx.h"

typedef struct {
  int sheets, submitted, late, drafts, missing, approved, returned;
} DEMO_RESULT;

/* days: how many days back from today (company time); owner: a connection
** as the owner account, which dates the forms' go-live back to the first
** day (so a sheet missing five weeks ago is closed, not history) */
NEOERR *demo_entries(DB *db, DB *owner, ARENA *a, HDF *conf, int days, DEMO_RESULT *res);

#endif
