/*
** q_schema.h -- the SQL of migrations and grants (dom/schema.c), run on an
** owner connection: the database, the schema_version and schema_step
** bookkeeping, a named lock so that two instances never migrate at once,
** the application account and its table privileges.
**
** Names that reach SQL text (database, account, tables, privileges) are
** checked here against whitelists first; the password goes through
** db_quote().
*/
#ifndef DIAODU_Q_SCHEMA_H
#define DIAODU_Q_SCHEMA_H
#include "db.h"

/* the application account's privileges on a table, comma-separated ("" none):
** DML everywhere, except audit_log (SELECT, INSERT), schema_version and
** ddl_change and the form registry form, form_field, form_version
** (SELECT), schema_step (nothing) */
const char *q_schema_policy(const char *table);

/* the connection must not name a database yet (Db.Name empty) */
NEOERR *q_schema_create_db(DB *db, ARENA *a, const char *name);
/* schema_version (one row per applied migration) and schema_step (the
** statements done of a migration that has not finished) */
NEOERR *q_schema_init(DB *db);
/* GET_LOCK('diaodu.migrate') for at most wait seconds; *got = 0 on time-out */
NEOERR *q_schema_lock(DB *db, int wait, int *got);
NEOERR *q_schema_unlock(DB *db);
NEOERR *q_schema_applied(DB *db, int version, int *found);
/* the hash recorded for statement stmt of a migration in progress */
NEOERR *q_schema_step_get(DB *db, ARENA *a, int version, int stmt, const char **hash, int *found);
NEOERR *q_schema_step_put(DB *db, int version, int stmt, const char *hash);
/* the migration is applied: schema_version gets its row, its steps go
** (the caller's transaction) */
NEOERR *q_schema_done(DB *db, int version, const char *name);

/* base tables of the schema */
NEOERR *q_schema_tables(DB *db, ARENA *a, const char *schema, const char ***names, int *n);

/* account names [a-z][a-z0-9_]{0,63} (q_ident_ok); hosts [A-Za-z0-9.%_:-]{1,60} */
int q_host_ok(const char *s);
/* create the account if missing and set its password and statement limit */
NEOERR *q_schema_account(DB *db, ARENA *a, const char *user, const char *host,
                         const char *password, long timeout);

typedef struct {
  const char *table;      /* NULL: on the schema (db.*); "*" with global: *.* */
  const char *priv;       /* SELECT, INSERT ..., or GRANT OPTION */
  int global;
} Q_PRIV;
/* every privilege of the account on the schema, its tables, and globally
** (USAGE left out) */
NEOERR *q_schema_privs(DB *db, ARENA *a, const char *user, const char *host,
                       const char *schema, Q_PRIV **out, int *n);
/* GRANT (grant=1) or REVOKE privs (comma-separated, each checked) on
** schema.table (table NULL: schema.*; global: *.*) */
NEOERR *q_schema_grant(DB *db, ARENA *a, int grant, const char *privs, int global,
                       const char *schema, const char *table, const char *user, const char *host);

#endif
