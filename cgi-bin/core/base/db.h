/*
** db.h -- MariaDB through prepared statements only.
**
** One connection per worker, opened on first use and re-opened after the
** server went away -- but never silently inside a transaction that has done
** work: then the statement fails with ERR_UNAVAIL and the request is rolled
** back as a whole.
**
** Statements are prepared once per connection and cached by their SQL text
** (the cache keeps its own copy, so SQL built in an arena or a reused
** buffer is fine); when DB_STMT_CACHE statements are cached, the least
** recently used one whose result is not being read is closed.  A DB_STMT
** handle is the cache's: use it until its rows are read and db_finish()ed.
** After a reconnect the cached statements are prepared again on first use.
**
** Parameters are described by a format string, one letter each:
**   i  long long            n  long long, 0 binds NULL (optional ids)
**   s  const char* (NULL binds NULL)
**   b  const void*, size_t  (binary)
** The *_args variants take the values from a DB_ARG array instead of the
** argument list, for statements whose parameter count is known only at run
** time (a sheet of 30 rows of 10 fields is one INSERT of 300 parameters).
** A statement may have up to DB_MAX_BIND parameters and as many result
** columns; more is NERR_ASSERT, and so is a format that does not match the
** statement's placeholders.
**
** Results.  db_query() reads the whole result into the client, then
** db_step() copies each row's values into the request arena: they stay
** valid until the request ends.
** db_query_stream() is for large reads (reports, exports): rows come from
** the server one at a time as db_step() asks for them, and each row's
** values live in a buffer owned by the statement that the next db_step()
** overwrites -- copy what must outlive the row.  Memory stays flat however
** many rows are read.  The rule of a stream: while it is open, the
** connection carries nothing else -- no other statement, db_exec_text(),
** db_begin() or db_commit() (each is NERR_ASSERT "stream open", and closes
** the stream so the worker recovers).  End a stream with db_finish(), which returns the
** error that cut it short (the statement time limit, a lost connection);
** a stream whose db_step() returned 0 without db_finish() may have been
** truncated without anyone knowing.  db_finish() on a stream closed early
** reads and discards the rest of the rows.
**
** Errors: duplicate key -> ERR_CONFLICT "duplicate"; deadlock/lock wait ->
** ERR_CONFLICT "busy"; statement time limit -> ERR_UNAVAIL "timeout"; lost
** connection -> ERR_UNAVAIL "db_lost"; cannot connect -> ERR_UNAVAIL
** "db_down"; anything else -> NERR_DB (500).  db_err_is() tells them
** apart under any nerr_pass() wrapping.
*/
#ifndef DIAODU_DB_H
#define DIAODU_DB_H
#include <ClearSilver.h>
#include "arena.h"

typedef struct db DB;
typedef struct db_stmt DB_STMT;

#define DB_STMT_CACHE 96       /* prepared statements kept per connection */
#define DB_MAX_BIND   4096     /* parameters, and result columns, per statement */

/* one parameter for the *_args variants, read according to its letter */
typedef struct {
  long long i;                 /* i, n */
  const void *p;               /* s: NUL-terminated text or NULL; b: bytes */
  size_t n;                    /* b: length */
} DB_ARG;

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
** the database was busy (deadlock, lock wait timeout); see db_err_is() */
int db_is_dup(NEOERR *err);
int db_is_busy(NEOERR *err);

NEOERR *db_exec(DB *db, const char *sql, const char *fmt, ...);
NEOERR *db_query(DB *db, DB_STMT **st, const char *sql, const char *fmt, ...);
NEOERR *db_query_stream(DB *db, DB_STMT **st, const char *sql, const char *fmt, ...);
NEOERR *db_exec_args(DB *db, const char *sql, const char *fmt, const DB_ARG *args);
#define DB_STREAM 1
NEOERR *db_query_args(DB *db, DB_STMT **st, int flags, const char *sql,
                      const char *fmt, const DB_ARG *args);

/* 1: a row is ready, 0: no more rows (the result is released) */
int db_step(DB_STMT *st);
const char *db_text(DB_STMT *st, int col);      /* NULL for SQL NULL */
long long db_int(DB_STMT *st, int col);         /* 0 for NULL */
size_t db_len(DB_STMT *st, int col);
int db_cols(DB_STMT *st);                       /* result columns */
void db_done(DB_STMT *st);                      /* release a result early */
/* release the result; the error that ended its rows early, if any */
NEOERR *db_finish(DB_STMT *st);

unsigned long long db_last_id(DB *db);
unsigned long long db_affected(DB *db);
long db_connects(DB *db);                       /* connections opened so far */
long db_prepares(DB *db);                       /* statements prepared so far */
ARENA *db_arena(DB *db);                        /* where results are copied */

/* 1 if err (under any nerr_pass) is the database error with this key:
** "duplicate", "busy", "timeout", "db_lost", "db_down" */
int db_err_is(NEOERR *err, const char *key);
/* copy results into another arena from now on (a long scan resets its own
** arena between chunks); returns the one used before */
ARENA *db_set_arena(DB *db, ARENA *a);

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
