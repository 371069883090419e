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

/* The one transaction idiom.  DB_TX(db, msgp, expr) evaluates expr (a
** NEOERR * expression) inside a transaction and commits when it returns
** STATUS_OK and no refusal was set in *msgp; otherwise it rolls back.
** msgp is a `const char **` (a Lang key of a refusal) or NULL when every
** outcome of expr is to be committed (a failed log-in still records its
** counter and audit record).  When the first attempt hits a deadlock or a
** lock-wait timeout, everything is rolled back and expr runs once more;
** a second one comes back as ERR_CONFLICT "busy" ("系统繁忙，请稍后重试"),
** never as a duplicate.  expr must therefore read what it decides on
** inside the transaction.  Its value is the NEOERR * of the whole.
** Domain functions compose: a DB_TX inside another one's transaction just
** evaluates expr there, and the outermost one commits, rolls back or
** retries the whole (the caller checks *msgp of the inner one). */
#define DB_TX(db, msgp, expr) ({ \
    const char **tx_m_ = (msgp); \
    NEOERR *tx_e_ = STATUS_OK; \
    if( db_in_tx(db) ){ if( tx_m_ ) *tx_m_ = NULL; tx_e_ = (expr); } \
    else for(int tx_n_ = 0; ; tx_n_++){ \
      if( tx_m_ ) *tx_m_ = NULL; \
      if( (tx_e_ = db_begin(db)) ) break; \
      tx_e_ = (expr); \
      tx_e_ = db_end((db), tx_e_, tx_m_ && *tx_m_); \
      if( tx_n_>0 || !db_is_busy(tx_e_) ) break; \
      nerr_ignore(&tx_e_); \
    } \
    tx_e_; })
/* commit (err NULL and not refused) or roll back; returns err or the
** commit's error */
NEOERR *db_end(DB *db, NEOERR *err, int refused);
/* what a failed statement meant: a unique key was hit ("duplicate"), or
** the database was busy (deadlock, lock wait timeout) */
int db_is_dup(NEOERR *err);
int db_is_busy(NEOERR *err);

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

/* Scripts -- migrations (schema/NNN_*.sql), DDL and grants, run by an owner
** account outside any request.  A script is split into statements by one
** rule, which our files follow: a statement ends with ';' as the last
** character of a line (no comment after it), and no line inside a string
** literal ends with ';' or starts with "--".  Whole-line "--" comments and
** blank lines are dropped.  db_script_next() returns the next statement
** without its ';', copied into the arena, and the line it starts on; NULL
** at the end.  It is a pure function (tests/unit/test_dbscript.c). */
typedef struct { const char *p; int line; } DB_SCRIPT;
void db_script_init(DB_SCRIPT *sc, const char *text);
const char *db_script_next(DB_SCRIPT *sc, ARENA *a, int *first);

/* one statement without parameters through the text protocol, not cached:
** DDL, GRANT, CREATE USER (identifiers checked and quoted by the caller) */
NEOERR *db_exec_text(DB *db, const char *sql);
/* a string literal for such a statement: 'escaped' in the connection's
** character set (connects if needed) */
NEOERR *db_quote(DB *db, ARENA *a, const char *s, const char **out);

#endif
