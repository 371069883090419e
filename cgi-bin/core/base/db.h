/*
** db.h -- MariaDB through prepared statements only.
**
** One connection per worker, opened on first use and re-opened after the
** server went away -- but never silently inside a transaction that has done
** work: then the statement fails with ERR_UNAVAIL and the request is rolled
** back as a whole.  Statements are prepared once per connection and cached.
**
** Parameters are described by a format string, one letter each:
**   i  long long            n  long long, 0 binds NULL (optional ids)
**   s  const char* (NULL binds NULL)
**   b  const void*, size_t  (binary)
** Result values are copied into the request arena: they stay valid until
** the request ends.  Errors: duplicate key -> ERR_CONFLICT "duplicate";
** deadlock/lock wait -> ERR_CONFLICT "busy"; statement time limit ->
** ERR_UNAVAIL "timeout"; lost connection -> ERR_UNAVAIL "db_lost";
** anything else -> NERR_DB (500).
*/
#ifndef DIAODU_DB_H
#define DIAODU_DB_H
#include <ClearSilver.h>
#include "arena.h"

typedef struct db DB;
typedef struct db_stmt DB_STMT;

NEOERR *db_open(DB **db, HDF *conf, ARENA *arena);  /* does not connect yet */
void db_close(DB *db);

NEOERR *db_begin(DB *db);
NEOERR *db_commit(DB *db);
void db_rollback(DB *db);          /* no-op outside a transaction */
int db_in_tx(DB *db);

NEOERR *db_exec(DB *db, const char *sql, const char *fmt, ...);
NEOERR *db_query(DB *db, DB_STMT **st, const char *sql, const char *fmt, ...);
/* 1: a row is ready, 0: no more rows (the result is released) */
int db_step(DB_STMT *st);
const char *db_text(DB_STMT *st, int col);      /* NULL for SQL NULL */
long long db_int(DB_STMT *st, int col);         /* 0 for NULL */
size_t db_len(DB_STMT *st, int col);
void db_done(DB_STMT *st);                      /* release a result early */

unsigned long long db_last_id(DB *db);
unsigned long long db_affected(DB *db);
long db_connects(DB *db);
ARENA *db_arena(DB *db);                        /* where results are copied */                       /* connections opened so far */

/* copy every remaining row into HDF: <prefix>.<i>.<name> for the
** comma-separated column names (NULL values are left unset); *n = rows */
NEOERR *db_hdf_rows(DB_STMT *st, HDF *hdf, const char *prefix, const char *names, int *n);

/* single-row conveniences: 0 rows -> *found = 0 */
NEOERR *db_one_int(DB *db, long long *out, int *found, const char *sql, const char *fmt, ...);

#endif
