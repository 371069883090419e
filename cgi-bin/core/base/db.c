/*
** db.c -- see db.h.  The only file that calls the MariaDB client library.
*/
#include "db.h"
#include "err.h"
#include "conf.h"
#include "log.h"
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DB_COLBUF 256          /* values longer than this are fetched apart */
#define DB_BUCKETS 256         /* hash buckets of the statement cache */

struct db_stmt {
  DB *db;
  DB_STMT *hnext;                     /* same hash bucket */
  DB_STMT *prev, *next;               /* cache order, most recently used first */
  unsigned hash;
  size_t sqllen;
  char *sql;                          /* our own copy of the text */
  MYSQL_STMT *st;
  int ncol, npar;
  int open;                           /* a result is pending */
  int stream;                         /* ... and it is read from the server row by row */
  unsigned ferr;                      /* the error that ended the rows early */
  char ferrmsg[200];
  /* npar parameters, ncol result columns: sized at prepare time */
  MYSQL_BIND *par;
  long long *ints;
  unsigned long *plen;
  my_bool *pnull;
  MYSQL_BIND *res;
  unsigned long *len;
  my_bool *isnull, *error;
  char *buf;                          /* ncol * DB_COLBUF */
  const char **val;                   /* current row: arena, or scratch for a stream */
  size_t *vlen;
  char *scratch;                      /* a stream's current row */
  size_t scratch_cap;
};

struct db {
  HDF *conf;
  ARENA *arena;
  MYSQL *conn;
  int in_tx;
  int tx_work;                        /* statements run in this transaction */
  long connects, prepares;
  unsigned long long last_id, affected;
  DB_STMT *bucket[DB_BUCKETS];
  DB_STMT *mru, *lru;                 /* both ends of the cache order */
  int ncache;
  DB_STMT *stream;                    /* the open stream, if any */
};

NEOERR *db_open(DB **out, HDF *conf, ARENA *arena){
  DB *db = calloc(1, sizeof(*db));
  if( db==NULL ) return nerr_raise(NERR_NOMEM, "db");
  db->conf = conf;
  db->arena = arena;
  *out = db;
  return STATUS_OK;
}

static void stmt_free(DB_STMT *s){
  if( s->st ) mysql_stmt_close(s->st);   /* safe after mysql_close too */
  free(s->par);
  free(s->scratch);
  free(s);
}

/* take s out of the cache (it stays allocated) */
static void unlink_stmt(DB *db, DB_STMT *s){
  DB_STMT **pp = &db->bucket[s->hash % DB_BUCKETS];
  while( *pp && *pp!=s ) pp = &(*pp)->hnext;
  if( *pp ) *pp = s->hnext;
  if( s->prev ) s->prev->next = s->next; else db->mru = s->next;
  if( s->next ) s->next->prev = s->prev; else db->lru = s->prev;
  s->prev = s->next = s->hnext = NULL;
  db->ncache--;
  if( db->stream==s ) db->stream = NULL;
}

/* the server side of every statement is gone with the connection; the
** cache entries stay (a caller may still hold one) and are prepared again
** on their next use */
static void drop_connection(DB *db){
  for(DB_STMT *s=db->mru; s; s=s->next){
    if( s->st ) mysql_stmt_close(s->st);
    s->st = NULL;
    s->open = 0;
  }
  db->stream = NULL;
  if( db->conn ) mysql_close(db->conn);
  db->conn = NULL;
  db->in_tx = 0;
  db->tx_work = 0;
}

void db_close(DB *db){
  if( db==NULL ) return;
  drop_connection(db);
  while( db->mru ){
    DB_STMT *s = db->mru;
    unlink_stmt(db, s);
    stmt_free(s);
  }
  free(db);
}

static int is_lost(unsigned e){
  return e==CR_SERVER_GONE_ERROR || e==CR_SERVER_LOST || e==CR_CONNECTION_ERROR
      || e==ER_CONNECTION_KILLED || e==ER_SERVER_SHUTDOWN || e==1927 /* killed */;
}

/* map a server error; a lost connection is dropped (with every statement)
** only after the message was made */
static NEOERR *db_error(DB *db, unsigned e, const char *msg, const char *sql){
  if( e==ER_DUP_ENTRY ) return nerr_raise(ERR_CONFLICT, "duplicate");
  if( e==ER_LOCK_DEADLOCK || e==ER_LOCK_WAIT_TIMEOUT ) return nerr_raise(ERR_CONFLICT, "busy");
  if( e==1969 /* ER_STATEMENT_TIMEOUT */ ){
    log_warn("statement time limit hit: %.200s", sql ? sql : "");
    return nerr_raise(ERR_UNAVAIL, "timeout");
  }
  if( is_lost(e) ){
    drop_connection(db);
    return nerr_raise(ERR_UNAVAIL, "db_lost");
  }
  return nerr_raise(NERR_DB, "MariaDB error %u: %s [%.300s]", e, msg, sql ? sql : "");
}

int db_err_is(NEOERR *err, const char *key){
  while( err && err!=INTERNAL_ERR && err->error==NERR_PASS && err->next ) err = err->next;
  if( err==NULL || err==INTERNAL_ERR || key==NULL ) return 0;
  if( err->error!=ERR_CONFLICT && err->error!=ERR_UNAVAIL ) return 0;
  return strcmp(err->desc, key)==0;
}

static NEOERR *connect_db(DB *db){
  HDF *c = db->conf;
  unsigned timeout = (unsigned)conf_int(c, "Db.ConnectTimeout", 5);
  my_bool no = 0;
  db->conn = mysql_init(NULL);
  if( db->conn==NULL ) return nerr_raise(NERR_NOMEM, "mysql_init");
  mysql_optionsv(db->conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  mysql_optionsv(db->conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_optionsv(db->conn, MYSQL_OPT_RECONNECT, &no);   /* we reconnect ourselves */
  const char *host = conf_str(c, "Db.Host", "");
  const char *sock = conf_str(c, "Db.Socket", "");
  if( !mysql_real_connect(db->conn, *host ? host : NULL,
        conf_str(c, "Db.User", "diaodu"), conf_str(c, "Db.Password", ""),
        conf_str(c, "Db.Name", "diaodu"), (unsigned)conf_int(c, "Db.Port", 0),
        *sock ? sock : NULL, 0) ){
    NEOERR *err = nerr_raise(ERR_UNAVAIL, "db_down");
    log_error("cannot connect to MariaDB: %s", mysql_error(db->conn));
    mysql_close(db->conn);
    db->conn = NULL;
    return err;
  }
  db->connects++;
  if( db->connects>1 ) log_info("reconnected to MariaDB (connection #%ld)", db->connects);
  /* instants are UTC in the database; the company's zone is applied on display */
  NEOERR *err = db_exec(db, "SET time_zone = '+00:00'", "");
  if( err==STATUS_OK ){
    long limit = conf_int(c, "Db.StatementTimeout", 30);
    if( limit>0 ) err = db_exec(db, "SET SESSION max_statement_time = ?", "i", (long long)limit);
  }
  return nerr_pass(err);
}

/* FNV-1a over the text; *len gets its length */
static unsigned sql_hash(const char *sql, size_t *len){
  unsigned h = 2166136261u;
  const char *p = sql;
  for(; *p; p++){ h ^= (unsigned char)*p; h *= 16777619u; }
  *len = (size_t)(p - sql);
  return h;
}

/* the cached statement for this text, now the most recently used */
static DB_STMT *cached(DB *db, const char *sql, unsigned h, size_t len){
  DB_STMT *s = db->bucket[h % DB_BUCKETS];
  while( s && !(s->hash==h && s->sqllen==len && memcmp(s->sql, sql, len)==0) ) s = s->hnext;
  if( s && s!=db->mru ){
    s->prev->next = s->next;
    if( s->next ) s->next->prev = s->prev; else db->lru = s->prev;
    s->prev = NULL;
    s->next = db->mru;
    db->mru->prev = s;
    db->mru = s;
  }
  return s;
}

/* close the least recently used statement whose result nobody is reading */
static void evict(DB *db){
  DB_STMT *s = db->lru;
  while( s && (s->open || s->ferr) ) s = s->prev;   /* still to be finished */
  if( s==NULL ) return;        /* every one is being read: grow instead */
  unlink_stmt(db, s);
  stmt_free(s);
}

/* the arrays of a prepared statement, in one block */
static int stmt_arrays(DB_STMT *s){
  size_t np = (size_t)s->npar, nc = (size_t)s->ncol;
  size_t sz = np * (sizeof(MYSQL_BIND) + sizeof(long long) + sizeof(unsigned long) + sizeof(my_bool))
            + nc * (sizeof(MYSQL_BIND) + sizeof(unsigned long) + 2*sizeof(my_bool) + DB_COLBUF
                    + sizeof(char*) + sizeof(size_t))
            + 64;
  unsigned char *p = calloc(1, sz);
  if( p==NULL ) return -1;
  /* most strictly aligned first */
  s->par = (MYSQL_BIND*)p;          p += np * sizeof(MYSQL_BIND);
  s->res = (MYSQL_BIND*)p;          p += nc * sizeof(MYSQL_BIND);
  s->ints = (long long*)p;          p += np * sizeof(long long);
  s->plen = (unsigned long*)p;      p += np * sizeof(unsigned long);
  s->len = (unsigned long*)p;       p += nc * sizeof(unsigned long);
  s->val = (const char**)p;         p += nc * sizeof(char*);
  s->vlen = (size_t*)p;             p += nc * sizeof(size_t);
  s->pnull = (my_bool*)p;           p += np * sizeof(my_bool);
  s->isnull = (my_bool*)p;          p += nc * sizeof(my_bool);
  s->error = (my_bool*)p;           p += nc * sizeof(my_bool);
  s->buf = (char*)p;
  for(int i=0; i<s->ncol; i++){
    s->res[i].buffer_type = MYSQL_TYPE_STRING;
    s->res[i].buffer = s->buf + (size_t)i * DB_COLBUF;
    s->res[i].buffer_length = DB_COLBUF;
    s->res[i].length = &s->len[i];
    s->res[i].is_null = &s->isnull[i];
    s->res[i].error = &s->error[i];
  }
  for(int i=0; i<s->npar; i++) s->par[i].is_null = &s->pnull[i];
  return 0;
}

/* prepare s->sql on the connection and size its arrays */
static NEOERR *stmt_prepare(DB *db, DB_STMT *s){
  s->st = mysql_stmt_init(db->conn);
  if( s->st==NULL || mysql_stmt_prepare(s->st, s->sql, (unsigned long)s->sqllen) ){
    unsigned e = s->st ? mysql_stmt_errno(s->st) : mysql_errno(db->conn);
    char m[256];
    snprintf(m, sizeof m, "%s", s->st ? mysql_stmt_error(s->st) : mysql_error(db->conn));
    if( s->st ) mysql_stmt_close(s->st);
    s->st = NULL;
    return db_error(db, e, m, s->sql);
  }
  db->prepares++;
  unsigned long ncol = mysql_stmt_field_count(s->st), npar = mysql_stmt_param_count(s->st);
  if( ncol>DB_MAX_BIND || npar>DB_MAX_BIND ){
    mysql_stmt_close(s->st);
    s->st = NULL;
    return nerr_raise(NERR_ASSERT, "%lu parameters and %lu result columns, more than %d, in [%.200s]",
                      npar, ncol, DB_MAX_BIND, s->sql);
  }
  if( s->par==NULL || (int)ncol!=s->ncol || (int)npar!=s->npar ){
    free(s->par);
    s->par = NULL;
    s->ncol = (int)ncol;
    s->npar = (int)npar;
    if( stmt_arrays(s) ){
      mysql_stmt_close(s->st);
      s->st = NULL;
      return nerr_raise(NERR_NOMEM, "stmt");
    }
  }
  return STATUS_OK;
}

/* the statement for this text: cached, prepared again after a reconnect,
** or new (then the least recently used one may go) */
static NEOERR *prepare(DB *db, const char *sql, DB_STMT **out){
  size_t len;
  unsigned h = sql_hash(sql, &len);
  DB_STMT *s = cached(db, sql, h, len);
  if( s ){
    if( s->st==NULL ){
      NEOERR *err = stmt_prepare(db, s);
      if( err ) return nerr_pass(err);
    }
    *out = s;
    return STATUS_OK;
  }
  if( db->ncache>=DB_STMT_CACHE ) evict(db);
  s = calloc(1, sizeof(*s) + len + 1);
  if( s==NULL ) return nerr_raise(NERR_NOMEM, "stmt");
  s->db = db;
  s->hash = h;
  s->sqllen = len;
  s->sql = (char*)(s + 1);
  memcpy(s->sql, sql, len + 1);
  NEOERR *err = stmt_prepare(db, s);
  if( err ){
    stmt_free(s);
    return nerr_pass(err);
  }
  DB_STMT **b = &db->bucket[h % DB_BUCKETS];
  s->hnext = *b;
  *b = s;
  s->next = db->mru;
  if( db->mru ) db->mru->prev = s; else db->lru = s;
  db->mru = s;
  db->ncache++;
  *out = s;
  return STATUS_OK;
}

/* where the parameters come from: the argument list or an array */
typedef struct { va_list *ap; const DB_ARG *arr; } ARGS;

/* close the open stream because something else wants the connection */
static NEOERR *stream_in_the_way(DB *db, const char *what){
  DB_STMT *s = db->stream;
  NEOERR *err = nerr_raise(NERR_ASSERT, "stream open: %.100s while reading [%.200s]",
                           what, s->sql);
  db_done(s);
  return err;
}

static void release(DB_STMT *s){
  if( !s->open ) return;
  mysql_stmt_free_result(s->st);     /* a stream: reads and discards the rest */
  s->open = 0;
  if( s->db->stream==s ) s->db->stream = NULL;
  if( s->scratch_cap>65536 ){ free(s->scratch); s->scratch = NULL; s->scratch_cap = 0; }
}

/* one attempt: prepare, bind, execute, then store the result or leave it
** on the server for a stream */
static NEOERR *run(DB *db, DB_STMT **out, int stream, const char *sql, const char *fmt, ARGS *a){
  NEOERR *err;
  DB_STMT *s = NULL;

  if( db->stream && db->stream->open ) return stream_in_the_way(db, sql);
  if( db->conn==NULL && (err = connect_db(db)) ) return nerr_pass(err);
  if( (err = prepare(db, sql, &s)) ) return nerr_pass(err);
  release(s);
  s->ferr = 0;

  int np = (int)strlen(fmt);
  if( np!=s->npar )
    return nerr_raise(NERR_ASSERT, "%d parameters given, %d wanted, for [%.200s]", np, s->npar, sql);
  for(int i=0; i<np; i++){
    MYSQL_BIND *p = &s->par[i];
    const DB_ARG *v = a->arr ? &a->arr[i] : NULL;
    s->pnull[i] = 0;
    p->length = NULL;
    p->buffer_length = 0;
    switch( fmt[i] ){
      case 'i': case 'n':
        s->ints[i] = v ? v->i : va_arg(*a->ap, long long);
        p->buffer_type = MYSQL_TYPE_LONGLONG;
        p->buffer = &s->ints[i];
        if( fmt[i]=='n' && s->ints[i]==0 ) s->pnull[i] = 1;
        break;
      case 's': {
        const char *t = v ? (const char*)v->p : va_arg(*a->ap, const char*);
        p->buffer_type = MYSQL_TYPE_STRING;
        if( t==NULL ){ s->pnull[i] = 1; t = ""; }
        p->buffer = (void*)t;
        s->plen[i] = (unsigned long)strlen(t);
        p->buffer_length = s->plen[i];
        p->length = &s->plen[i];
        break;
      }
      case 'b': {
        const void *d = v ? v->p : va_arg(*a->ap, const void*);
        size_t n = v ? v->n : va_arg(*a->ap, size_t);
        p->buffer_type = MYSQL_TYPE_BLOB;
        p->buffer = (void*)d;
        s->plen[i] = (unsigned long)n;
        p->buffer_length = s->plen[i];
        p->length = &s->plen[i];
        break;
      }
      default:
        return nerr_raise(NERR_ASSERT, "bad format letter '%c' for [%.200s]", fmt[i], sql);
    }
  }
  if( (np && mysql_stmt_bind_param(s->st, s->par)) || mysql_stmt_execute(s->st) )
    return db_error(db, mysql_stmt_errno(s->st), mysql_stmt_error(s->st), sql);
  if( db->in_tx ) db->tx_work++;
  if( s->ncol>0 ){
    if( mysql_stmt_bind_result(s->st, s->res) || (!stream && mysql_stmt_store_result(s->st)) ){
      NEOERR *e = db_error(db, mysql_stmt_errno(s->st), mysql_stmt_error(s->st), sql);
      if( db->conn ) release(s);
      return e;
    }
    s->open = 1;
    s->stream = stream;
    if( stream ) db->stream = s;
  }else{
    db->affected = (unsigned long long)mysql_stmt_affected_rows(s->st);
    db->last_id = (unsigned long long)mysql_stmt_insert_id(s->st);
  }
  *out = s;
  return STATUS_OK;
}

/* run once; if the connection had gone away and no transaction work can be
** lost, reconnect and run again */
static NEOERR *run_retry(DB *db, DB_STMT **out, int stream, const char *sql, const char *fmt,
                         va_list *ap, const DB_ARG *arr){
  va_list cp;
  ARGS a = { ap, arr }, b = { &cp, arr };
  if( ap ) va_copy(cp, *ap);
  int can_retry = !db->in_tx || db->tx_work==0;
  int was_tx = db->in_tx;
  NEOERR *err = run(db, out, stream, sql, fmt, &a);
  if( err && can_retry && db->conn==NULL && err_status(err)==503 ){
    /* the connection was dropped by db_error(): start over */
    nerr_ignore(&err);
    if( !was_tx || (err = db_begin(db))==STATUS_OK ) err = run(db, out, stream, sql, fmt, &b);
  }
  if( ap ) va_end(cp);
  return err ? nerr_pass(err) : STATUS_OK;
}

NEOERR *db_exec(DB *db, const char *sql, const char *fmt, ...){
  DB_STMT *s = NULL;
  va_list ap;
  va_start(ap, fmt);
  NEOERR *err = run_retry(db, &s, 0, sql, fmt, &ap, NULL);
  va_end(ap);
  if( err ) return nerr_pass(err);
  release(s);
  return STATUS_OK;
}

NEOERR *db_exec_args(DB *db, const char *sql, const char *fmt, const DB_ARG *args){
  DB_STMT *s = NULL;
  NEOERR *err = run_retry(db, &s, 0, sql, fmt, NULL, args);
  if( err ) return nerr_pass(err);
  release(s);
  return STATUS_OK;
}

NEOERR *db_query(DB *db, DB_STMT **st, const char *sql, const char *fmt, ...){
  va_list ap;
  va_start(ap, fmt);
  NEOERR *err = run_retry(db, st, 0, sql, fmt, &ap, NULL);
  va_end(ap);
  return err ? nerr_pass(err) : STATUS_OK;
}

NEOERR *db_query_stream(DB *db, DB_STMT **st, const char *sql, const char *fmt, ...){
  va_list ap;
  va_start(ap, fmt);
  NEOERR *err = run_retry(db, st, 1, sql, fmt, &ap, NULL);
  va_end(ap);
  return err ? nerr_pass(err) : STATUS_OK;
}

NEOERR *db_query_args(DB *db, DB_STMT **st, int flags, const char *sql,
                      const char *fmt, const DB_ARG *args){
  return nerr_pass(run_retry(db, st, (flags & DB_STREAM)!=0, sql, fmt, NULL, args));
}

/* the current row of a stream into the statement's scratch buffer */
static int stream_row(DB_STMT *s){
  size_t need = 0;
  for(int i=0; i<s->ncol; i++) if( !s->isnull[i] ) need += s->len[i] + 1;
  if( need>s->scratch_cap ){
    size_t cap = s->scratch_cap ? s->scratch_cap : 1024;
    while( cap<need ) cap *= 2;
    char *p = realloc(s->scratch, cap);
    if( p==NULL ) return -1;
    s->scratch = p;
    s->scratch_cap = cap;
  }
  char *p = s->scratch;
  for(int i=0; i<s->ncol; i++){
    if( s->isnull[i] ){ s->val[i] = NULL; s->vlen[i] = 0; continue; }
    size_t n = s->len[i];
    if( n<=DB_COLBUF ){
      memcpy(p, s->buf + (size_t)i * DB_COLBUF, n);
    }else{
      MYSQL_BIND b;
      memset(&b, 0, sizeof b);
      b.buffer_type = MYSQL_TYPE_STRING;
      b.buffer = p;
      b.buffer_length = n;
      mysql_stmt_fetch_column(s->st, &b, (unsigned)i, 0);
    }
    p[n] = 0;
    s->val[i] = p;
    s->vlen[i] = n;
    p += n + 1;
  }
  return 0;
}

int db_step(DB_STMT *s){
  if( !s->open ) return 0;
  int rc = mysql_stmt_fetch(s->st);
  if( rc==MYSQL_NO_DATA || rc==1 ){
    if( rc==1 ){
      /* a stream's read error is the connection's, not the statement's */
      int own = mysql_stmt_errno(s->st)!=0;
      s->ferr = own ? mysql_stmt_errno(s->st) : mysql_errno(s->db->conn);
      snprintf(s->ferrmsg, sizeof s->ferrmsg, "%s",
               own ? mysql_stmt_error(s->st) : mysql_error(s->db->conn));
      if( s->ferr==0 ) s->ferr = CR_UNKNOWN_ERROR;
      log_error("fetch failed: %s [%.200s]", s->ferrmsg, s->sql);
    }
    release(s);
    return 0;
  }
  if( s->stream ){
    if( stream_row(s)==0 ) return 1;
    s->ferr = CR_OUT_OF_MEMORY;
    snprintf(s->ferrmsg, sizeof s->ferrmsg, "out of memory for a row");
    release(s);
    return 0;
  }
  ARENA *a = s->db->arena;
  for(int i=0; i<s->ncol; i++){
    if( s->isnull[i] ){ s->val[i] = NULL; s->vlen[i] = 0; continue; }
    size_t n = s->len[i];
    if( n<=DB_COLBUF ){
      s->val[i] = arena_strndup(a, s->buf + (size_t)i * DB_COLBUF, n);
    }else{
      char *big = arena_alloc(a, n + 1);
      MYSQL_BIND b;
      memset(&b, 0, sizeof b);
      b.buffer_type = MYSQL_TYPE_STRING;
      b.buffer = big;
      b.buffer_length = n;
      mysql_stmt_fetch_column(s->st, &b, (unsigned)i, 0);
      big[n] = 0;
      s->val[i] = big;
    }
    s->vlen[i] = n;
  }
  return 1;
}

const char *db_text(DB_STMT *s, int col){ return col>=0 && col<s->ncol ? s->val[col] : NULL; }
size_t db_len(DB_STMT *s, int col){ return col>=0 && col<s->ncol ? s->vlen[col] : 0; }
int db_cols(DB_STMT *s){ return s->ncol; }
long long db_int(DB_STMT *s, int col){
  const char *v = db_text(s, col);
  return v ? strtoll(v, NULL, 10) : 0;
}

void db_done(DB_STMT *s){
  if( s ) release(s);
}

NEOERR *db_finish(DB_STMT *s){
  if( s==NULL ) return STATUS_OK;
  release(s);
  if( s->ferr==0 ) return STATUS_OK;
  unsigned e = s->ferr;
  s->ferr = 0;
  return db_error(s->db, e, s->ferrmsg, s->sql);
}

NEOERR *db_begin(DB *db){
  if( db->in_tx ) return nerr_raise(NERR_ASSERT, "nested transaction");
  if( db->stream ) return stream_in_the_way(db, "BEGIN");
  for(int attempt=0; attempt<2; attempt++){
    if( db->conn==NULL ){
      NEOERR *err = connect_db(db);
      if( err ) return nerr_pass(err);
    }
    /* START TRANSACTION rather than autocommit off and on again: the
    ** connection stays in autocommit, so COMMIT or ROLLBACK ends the
    ** transaction without a third round trip */
    if( mysql_real_query(db->conn, "START TRANSACTION", 17)==0 ){
      db->in_tx = 1;
      db->tx_work = 0;
      return STATUS_OK;
    }
    unsigned e = mysql_errno(db->conn);
    if( !is_lost(e) ) return db_error(db, e, mysql_error(db->conn), "BEGIN");
    drop_connection(db);   /* stale connection: nothing was done yet, reconnect */
  }
  return nerr_raise(ERR_UNAVAIL, "db_down");
}

NEOERR *db_commit(DB *db){
  if( !db->in_tx ) return nerr_raise(NERR_ASSERT, "commit outside a transaction");
  if( db->stream ){
    NEOERR *err = stream_in_the_way(db, "COMMIT");
    db_rollback(db);
    return err;
  }
  if( mysql_commit(db->conn) ){
    NEOERR *err = db_error(db, mysql_errno(db->conn), mysql_error(db->conn), "COMMIT");
    db_rollback(db);
    return err;
  }
  db->in_tx = 0;
  db->tx_work = 0;
  return STATUS_OK;
}

void db_rollback(DB *db){
  if( db==NULL || !db->in_tx ) return;
  if( db->conn ){
    for(DB_STMT *s=db->mru; s; s=s->next) release(s);
    if( mysql_rollback(db->conn) ) drop_connection(db);
  }
  db->in_tx = 0;
  db->tx_work = 0;
}

int db_in_tx(DB *db){ return db->in_tx; }

NEOERR *db_end(DB *db, NEOERR *err, int refused){
  if( err || refused ){ db_rollback(db); return err; }
  return nerr_pass(db_commit(db));
}

int db_is_dup(NEOERR *err){ return db_err_is(err, "duplicate"); }
int db_is_busy(NEOERR *err){ return db_err_is(err, "busy"); }
unsigned long long db_last_id(DB *db){ return db->last_id; }
unsigned long long db_affected(DB *db){ return db->affected; }
long db_connects(DB *db){ return db->connects; }
long db_prepares(DB *db){ return db->prepares; }
ARENA *db_arena(DB *db){ return db->arena; }
ARENA *db_set_arena(DB *db, ARENA *a){ ARENA *old = db->arena; db->arena = a; return old; }

NEOERR *db_one_int(DB *db, long long *out, int *found, const char *sql, const char *fmt, ...){
  DB_STMT *s = NULL;
  va_list ap;
  va_start(ap, fmt);
  NEOERR *err = run_retry(db, &s, 0, sql, fmt, &ap, NULL);
  va_end(ap);
  if( err ) return nerr_pass(err);
  *found = db_step(s);
  *out = *found ? db_int(s, 0) : 0;
  return nerr_pass(db_finish(s));
}

NEOERR *db_hdf_rows(DB_STMT *s, HDF *hdf, const char *prefix, const char *names, int *n){
  const char *cols[64];
  char buf[512];
  int ncols = 0, row = 0;
  snprintf(buf, sizeof buf, "%s", names);
  for(char *save = NULL, *t = strtok_r(buf, ",", &save); t && ncols<64; t = strtok_r(NULL, ",", &save))
    cols[ncols++] = t;
  while( db_step(s) ){
    for(int i=0; i<ncols && i<s->ncol; i++){
      if( s->val[i]==NULL ) continue;
      NEOERR *err = hdf_set_valuef(hdf, "%s.%d.%s=%s", prefix, row, cols[i], s->val[i]);
      if( err ){ db_done(s); return nerr_pass(err); }
    }
    row++;
  }
  if( n ) *n = row;
  return nerr_pass(db_finish(s));
}

/* ------------------------------------------------------------------ */
/* scripts: migrations, DDL and grants, run on an owner connection     */

void db_script_init(DB_SCRIPT *sc, const char *text){ sc->p = text; sc->line = 0; }

static int blank(char c){ return c==' ' || c=='\t' || c=='\r' || c=='\n'; }

const char *db_script_next(DB_SCRIPT *sc, ARENA *a, int *first){
  const char *p = sc->p;
  size_t cap = 0, n = 0;
  char *out = NULL;
  while( *p ){
    const char *eol = strchr(p, '\n');
    size_t len = eol ? (size_t)(eol - p) : strlen(p);
    const char *next = eol ? eol + 1 : p + len;
    size_t b = 0, e = len;
    sc->line++;
    while( b<len && blank(p[b]) ) b++;
    while( e>b && blank(p[e-1]) ) e--;
    /* blank lines and whole-line comments are dropped, inside a statement too */
    if( e==b || (e - b>=2 && p[b]=='-' && p[b+1]=='-') ){ p = next; continue; }
    if( out==NULL ) *first = sc->line;
    if( n + len + 2>cap ){
      size_t ncap = cap ? cap : 256;
      while( n + len + 2>ncap ) ncap *= 2;
      char *bigger = arena_alloc(a, ncap);
      if( n ) memcpy(bigger, out, n);
      out = bigger;
      cap = ncap;
    }
    int last = p[e-1]==';';
    memcpy(out + n, p, last ? e - 1 : e);
    n += last ? e - 1 : e;
    out[n++] = '\n';
    p = next;
    if( last ) break;
  }
  sc->p = p;
  if( out==NULL ) return NULL;
  while( n>0 && blank(out[n-1]) ) n--;
  out[n] = 0;
  return out;
}

NEOERR *db_exec_text(DB *db, const char *sql){
  NEOERR *err;
  if( db->stream ) return stream_in_the_way(db, sql);
  for(int attempt=0; attempt<2; attempt++){
    if( db->conn==NULL && (err = connect_db(db)) ) return nerr_pass(err);
    if( mysql_real_query(db->conn, sql, (unsigned long)strlen(sql))==0 ){
      /* a statement that returns rows (SHOW ..., a SELECT in a script): drop them */
      do{
        MYSQL_RES *res = mysql_store_result(db->conn);
        if( res ) mysql_free_result(res);
      }while( mysql_next_result(db->conn)==0 );
      db->affected = (unsigned long long)mysql_affected_rows(db->conn);
      if( db->in_tx ) db->tx_work++;
      return STATUS_OK;
    }
    int can_retry = attempt==0 && !db->in_tx;
    err = db_error(db, mysql_errno(db->conn), mysql_error(db->conn), sql);
    if( !(can_retry && db->conn==NULL && err_status(err)==503) ) return err;
    nerr_ignore(&err);          /* the connection had gone away: once more */
  }
  return nerr_raise(ERR_UNAVAIL, "db_down");
}

NEOERR *db_quote(DB *db, ARENA *a, const char *s, const char **out){
  NEOERR *err;
  if( db->conn==NULL && (err = connect_db(db)) ) return nerr_pass(err);
  size_t n = strlen(s);
  char *q = arena_alloc(a, 2*n + 3);
  q[0] = '\'';
  unsigned long m = mysql_real_escape_string(db->conn, q + 1, s, (unsigned long)n);
  q[1 + m] = '\'';
  q[2 + m] = 0;
  *out = q;
  return STATUS_OK;
}
