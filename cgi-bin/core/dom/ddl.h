/*
** ddl.h -- tables generated from a definition in C (q_ddl.h's DDL_TABLE):
** the form engine creates and extends its tables through this module.
**
** MariaDB commits DDL implicitly, so DDL never runs inside a transaction
** (refused with an error) and never on the application account (which has
** DML rights only): the caller passes an owner connection (conf_owner()).
** Each change is journalled in ddl_change: planned (all changes of one
** sync, in one transaction) before anything runs, then applied or failed
** one by one.  A run cut short (a crash between two ALTERs) leaves planned
** rows: the next ddl_sync() or ddl_resume() -- diaodu-ctl migrate calls it
** -- checks whether each is already in effect (the table, column or index
** exists), marks it applied or runs it, and reports failed changes.
**
** ddl_sync() only adds: a missing table, missing columns (which must allow
** NULL), missing indexes.  A column whose type differs from the definition
** is reported (ERR_CONFLICT "ddl_mismatch"), never altered.
*/
#ifndef DIAODU_DDL_H
#define DIAODU_DDL_H
#include "db.h"
#include "q_ddl.h"

#define DDL_MAXFAIL 16
typedef struct {
  int planned;          /* changes planned by this call */
  int applied;          /* changes applied (or found in effect) by this call */
  int failed;           /* changes that failed and were not redone since */
  int nfailed;
  DDL_CHANGE fail[DDL_MAXFAIL];
} DDL_RESULT;

/* bring the table to the definition; res->failed > 0 comes with an error */
NEOERR *ddl_sync(DB *db, ARENA *a, const DDL_TABLE *t, DDL_RESULT *res);
/* the steps of ddl_sync(), for tests and tools: record the changes the
** definition needs as planned (*n of them) ... */
NEOERR *ddl_plan(DB *db, ARENA *a, const DDL_TABLE *t, int *n);
/* ... and run at most max planned changes (-1: all), oldest first; then
** list the failed ones.  ddl_resume() is ddl_apply(db, a, -1, res). */
NEOERR *ddl_apply(DB *db, ARENA *a, int max, DDL_RESULT *res);
NEOERR *ddl_resume(DB *db, ARENA *a, DDL_RESULT *res);

#endif
