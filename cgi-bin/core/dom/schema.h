/*
** schema.h -- the database's structure and the application account's
** rights, brought up to date by one call (diaodu-ctl migrate), the same in
** development (./diaodu run) and in deployment.
**
** schema_migrate() connects as the owner account (Db.Owner.*, conf_owner()),
** creates the database if missing, takes a named lock (two instances
** starting at once never migrate twice), applies each schema/NNN_name.sql
** not yet in schema_version statement by statement (a migration cut short
** resumes after its last completed statement; a statement that was edited
** after it ran is refused), finishes or reports DDL changes left over by
** the DDL module (ddl.h), and then brings the grants up to date.
**
** schema_grants() computes the difference between the privileges the
** application account (Db.User @ Db.Owner.AppHost) holds and the ones it
** should hold, and grants what is missing and revokes what is extra --
** never "REVOKE ALL" and re-grant, so workers of a running instance never
** see "command denied" while another instance starts.  The policy: DML
** (SELECT, INSERT, UPDATE, DELETE) on every table, except audit_log
** (SELECT, INSERT), schema_version, ddl_change and the form registry
** (SELECT) and schema_step
** (nothing); no DDL, nothing on the schema as a whole, nothing global.
*/
#ifndef DIAODU_SCHEMA_H
#define DIAODU_SCHEMA_H
#include "db.h"

typedef struct {
  int migrations;        /* migrations applied by this call */
  int granted, revoked;  /* GRANT and REVOKE statements run */
  int ddl_finished;      /* DDL changes finished on behalf of an earlier run */
  int ddl_failed;        /* DDL changes still failed (reported on stderr) */
} SCHEMA_RESULT;

/* dir: the migrations' folder (Paths.Schema) */
NEOERR *schema_migrate(HDF *conf, ARENA *a, const char *dir, SCHEMA_RESULT *res);
/* the grant step alone, on an owner connection to the database */
NEOERR *schema_grants(DB *owner, HDF *conf, ARENA *a, SCHEMA_RESULT *res);
/* the privileges the policy gives the application on a table ("" none) */
const char *schema_policy(const char *table);

#endif
