/*
** dbowner.h -- for the C tests of migrations, grants and DDL against the
** test instance's MariaDB (tests/db/test_schema.c, test_ddl.c).  DIAODU_CONF names the configuration files, colon
** separated, as the run command writes them:
**   DIAODU_CONF=conf/diaodu.conf:var/test/local.conf build-asan/tests/db/test_x
** dbo_open() connects as the owner account (Db.Owner.*, conf_owner()) or
** as the application account; both are opened lazily by db.c.
*/
#ifndef DIAODU_DBOWNER_H
#define DIAODU_DBOWNER_H
#include "conf.h"
#include "db.h"
#include "err.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static HDF *dbo_conf;

static HDF *dbo_load(void){
  if( dbo_conf ) return dbo_conf;
  const char *env = getenv("DIAODU_CONF");
  static char buf[4096];
  const char *files[8];
  int n = 0;
  snprintf(buf, sizeof buf, "%s", env ? env : "conf/diaodu.conf:var/test/local.conf");
  for(char *save = NULL, *t = strtok_r(buf, ":", &save); t && n<8; t = strtok_r(NULL, ":", &save)) files[n++] = t;
  NEOERR *err = err_init();
  if( !err ) err = conf_load(&dbo_conf, files, n);
  if( err ){ nerr_log_error(err); nerr_ignore(&err); fprintf(stderr, "dbtest: no configuration\n"); exit(1); }
  return dbo_conf;
}

/* owner: 1 for the owner account, 0 for the application account */
static DB *dbo_open(int owner, ARENA *a, HDF **conf_out){
  HDF *c = dbo_load(), *oc = NULL;
  DB *db = NULL;
  NEOERR *err = owner ? conf_owner(c, &oc) : STATUS_OK;
  if( !err ) err = db_open(&db, owner ? oc : c, a);
  if( err ){ nerr_log_error(err); nerr_ignore(&err); exit(1); }
  if( conf_out ) *conf_out = owner ? oc : c;
  return db;
}

#endif
