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

#define DB_CACHE 96
#define DB_MAXCOL 64
#define DB_MAXPARAM 64
#define DB_COLBUF 256

struct db_stmt {
  DB *db;
  const char *sql;
  MYSQL_STMT *st;
  int ncol;
  int open;                           /* a result is pending */
  MYSQL_BIND res[DB_MAXCOL];
  unsigned long len[DB_MAXCOL];
  my_bool isnull[DB_MAXCOL];
  my_bool error[DB_MAXCOL];
  char buf[DB_MAXCOL][DB_COLBUF];
  const char *val[DB_MAXCOL];         /* current row, in the arena */
  size_t vlen[DB_MAXCOL];
};

struct db {
  HDF *conf;
  ARENA *arena;
  MYSQL *conn;
  int in_tx;
  int tx_work;                        /* statements run in this transaction */
  long connects;
  unsigned long long last_id, affected;
  DB_STMT *cache[DB_CACHE];
  int ncache;
};

NEOERR *db_open(DB **out, HDF *conf, ARENA *arena){
  DB *db = calloc(1, sizeof(*db));
  if( db==NULL ) return nerr_raise(NERR_NOMEM, "db");
  db->conf = conf;
  db->arena = arena;
  *out = db;
  return STATUS_OK;
}

static void drop_connection(DB *db){
  for(int i=0; i<db->ncache; i++){
    if( db->cache[i]->st ) mysql_stmt_close(db->cache[i]->st);
    free(db->cache[i]);
    db->cache[i] = NULL;
  }
  db->ncache = 0;
  if( db->conn ) mysql_close(db->conn);
  db->conn = NULL;
  db->in_tx = 0;
  db->tx_work = 0;
}

void db_close(DB *db){
  if( db==NULL ) return;
  drop_connection(db);
  free(db);
}

static int is_lost(unsigned e){
  return e==CR_SERVER_GONE_ERROR || e==CR_SERVER_LOST || e==CR_CONNECTION_ERROR
      || e==ER_CONNECTION_KILLED || e==ER_SERVER_SHUTDOWN || e==1927 /* killed */;
}

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

static DB_STMT *cached(DB *db, const char *sql){
  for(int i=0; i<db->ncache; i++)
    if( db->cache[i]->sql==sql || strcmp(db->cache[i]->sql, sql)==0 ) return db->cache[i];
  return NULL;
}

static NEOERR *prepare(DB *db, const char *sql, DB_STMT **out){
  DB_STMT *s = cached(db, sql);
  if( s ){ *out = s; return STATUS_OK; }
  if( db->ncache==DB_CACHE ){
    /* evict the oldest entry */
    DB_STMT *old = db->cache[0];
    if( old->st ) mysql_stmt_close(old->st);
    free(old);
    memmove(db->cache, db->cache + 1, sizeof(db->cache[0]) * (DB_CACHE - 1));
    db->ncache--;
  }
  s = calloc(1, sizeof(*s));
  if( s==NULL ) return nerr_raise(NERR_NOMEM, "stmt");
  s->db = db;
  s->sql = sql;
  s->st = mysql_stmt_init(db->conn);
  if( s->st==NULL || mysql_stmt_prepare(s->st, sql, (unsigned long)strlen(sql)) ){
    unsigned e = s->st ? mysql_stmt_errno(s->st) : mysql_errno(db->conn);
    const char *m = s->st ? mysql_stmt_error(s->st) : mysql_error(db->conn);
    NEOERR *err = db_error(db, e, m, sql);
    if( s->st ) mysql_stmt_close(s->st);   /* safe after mysql_close too */
    free(s);
    return err;
  }
  s->ncol = (int)mysql_stmt_field_count(s->st);
  if( s->ncol>DB_MAXCOL ){
    mysql_stmt_close(s->st);
    free(s);
    return nerr_raise(NERR_ASSERT, "too many columns in [%s]", sql);
  }
  for(int i=0; i<s->ncol; i++){
    s->res[i].buffer_type = MYSQL_TYPE_STRING;
    s->res[i].buffer = s->buf[i];
    s->res[i].buffer_length = DB_COLBUF;
    s->res[i].length = &s->len[i];
    s->res[i].is_null = &s->isnull[i];
    s->res[i].error = &s->error[i];
  }
  db->cache[db->ncache++] = s;
  *out = s;
  return STATUS_OK;
}

/* one attempt: prepare, bind, execute, store the result */
static NEOERR *run(DB *db, DB_STMT **out, const char *sql, const char *fmt, va_list ap){
  NEOERR *err;
  DB_STMT *s = NULL;
  MYSQL_BIND par[DB_MAXPARAM];
  long long ints[DB_MAXPARAM];
  unsigned long lens[DB_MAXPARAM];
  my_bool nulls[DB_MAXPARAM];

  if( db->conn==NULL && (err = connect_db(db)) ) return nerr_pass(err);
  if( (err = prepare(db, sql, &s)) ) return nerr_pass(err);
  if( s->open ){ mysql_stmt_free_result(s->st); s->open = 0; }

  int np = (int)strlen(fmt);
  if( np!=(int)mysql_stmt_param_count(s->st) || np>DB_MAXPARAM )
    return nerr_raise(NERR_ASSERT, "%d parameters given for [%s]", np, sql);
  memset(par, 0, sizeof(par[0]) * (size_t)(np ? np : 1));
  for(int i=0; i<np; i++){
    nulls[i] = 0;
    par[i].is_null = &nulls[i];
    switch( fmt[i] ){
      case 'i': case 'n':
        ints[i] = va_arg(ap, long long);
        par[i].buffer_type = MYSQL_TYPE_LONGLONG;
        par[i].buffer = &ints[i];
        if( fmt[i]=='n' && ints[i]==0 ) nulls[i] = 1;
        break;
      case 's': {
        const char *v = va_arg(ap, const char*);
        par[i].buffer_type = MYSQL_TYPE_STRING;
        if( v==NULL ){ nulls[i] = 1; v = ""; }
        par[i].buffer = (void*)v;
        lens[i] = (unsigned long)strlen(v);
        par[i].buffer_length = lens[i];
        par[i].length = &lens[i];
        break;
      }
      case 'b': {
        const void *v = va_arg(ap, const void*);
        size_t n = va_arg(ap, size_t);
        par[i].buffer_type = MYSQL_TYPE_BLOB;
        par[i].buffer = (void*)v;
        lens[i] = (unsigned long)n;
        par[i].buffer_length = lens[i];
        par[i].length = &lens[i];
        break;
      }
      default:
        return nerr_raise(NERR_ASSERT, "bad format letter '%c' for [%s]", fmt[i], sql);
    }
  }
  if( (np && mysql_stmt_bind_param(s->st, par)) || mysql_stmt_execute(s->st) )
    return db_error(db, mysql_stmt_errno(s->st), mysql_stmt_error(s->st), sql);
  if( db->in_tx ) db->tx_work++;
  if( s->ncol>0 ){
    if( mysql_stmt_bind_result(s->st, s->res) || mysql_stmt_store_result(s->st) )
      return db_error(db, mysql_stmt_errno(s->st), mysql_stmt_error(s->st), sql);
    s->open = 1;
  }else{
    db->affected = (unsigned long long)mysql_stmt_affected_rows(s->st);
    db->last_id = (unsigned long long)mysql_stmt_insert_id(s->st);
  }
  *out = s;
  return STATUS_OK;
}

/* run once; if the connection had gone away and no transaction work can be
** lost, reconnect and run again */
static NEOERR *run_retry(DB *db, DB_STMT **out, const char *sql, const char *fmt, va_list ap){
  va_list cp;
  va_copy(cp, ap);
  int can_retry = !db->in_tx || db->tx_work==0;
  int was_tx = db->in_tx;
  NEOERR *err = run(db, out, sql, fmt, ap);
  if( err && can_retry && db->conn==NULL && err_status(err)==503 ){
    /* the connection was dropped by db_error(): start over */
    nerr_ignore(&err);
    if( was_tx ){
      if( (err = db_begin(db)) ){ va_end(cp); return nerr_pass(err); }
    }
    err = run(db, out, sql, fmt, cp);
  }
  va_end(cp);
  return err ? nerr_pass(err) : STATUS_OK;
}

NEOERR *db_exec(DB *db, const char *sql, const char *fmt, ...){
  DB_STMT *s = NULL;
  va_list ap;
  va_start(ap, fmt);
  NEOERR *err = run_retry(db, &s, sql, fmt, ap);
  va_end(ap);
  if( err ) return nerr_pass(err);
  if( s->open ){ mysql_stmt_free_result(s->st); s->open = 0; }
  return STATUS_OK;
}

NEOERR *db_query(DB *db, DB_STMT **st, const char *sql, const char *fmt, ...){
  va_list ap;
  va_start(ap, fmt);
  NEOERR *err = run_retry(db, st, sql, fmt, ap);
  va_end(ap);
  return err ? nerr_pass(err) : STATUS_OK;
}

int db_step(DB_STMT *s){
  if( !s->open ) return 0;
  int rc = mysql_stmt_fetch(s->st);
  if( rc==MYSQL_NO_DATA || rc==1 ){
    if( rc==1 ) log_error("fetch failed: %s", mysql_stmt_error(s->st));
    db_done(s);
    return 0;
  }
  ARENA *a = s->db->arena;
  for(int i=0; i<s->ncol; i++){
    if( s->isnull[i] ){ s->val[i] = NULL; s->vlen[i] = 0; continue; }
    size_t n = s->len[i];
    if( n<=DB_COLBUF ){
      s->val[i] = arena_strndup(a, s->buf[i], n);
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

const char *db_text(DB_STMT *s, int col){ return col<s->ncol ? s->val[col] : NULL; }
size_t db_len(DB_STMT *s, int col){ return col<s->ncol ? s->vlen[col] : 0; }
long long db_int(DB_STMT *s, int col){
  const char *v = db_text(s, col);
  return v ? strtoll(v, NULL, 10) : 0;
}

void db_done(DB_STMT *s){
  if( s && s->open ){ mysql_stmt_free_result(s->st); s->open = 0; }
}

NEOERR *db_begin(DB *db){
  if( db->in_tx ) return nerr_raise(NERR_ASSERT, "nested transaction");
  for(int attempt=0; attempt<2; attempt++){
    if( db->conn==NULL ){
      NEOERR *err = connect_db(db);
      if( err ) return nerr_pass(err);
    }
    if( mysql_autocommit(db->conn, 0)==0 ){
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
  if( mysql_commit(db->conn) ){
    NEOERR *err = db_error(db, mysql_errno(db->conn), mysql_error(db->conn), "COMMIT");
    db_rollback(db);
    return err;
  }
  mysql_autocommit(db->conn, 1);
  db->in_tx = 0;
  db->tx_work = 0;
  return STATUS_OK;
}

void db_rollback(DB *db){
  if( db==NULL || !db->in_tx ) return;
  if( db->conn ){
    for(int i=0; i<db->ncache; i++) db_done(db->cache[i]);
    if( mysql_rollback(db->conn) || mysql_autocommit(db->conn, 1) ) drop_connection(db);
  }
  db->in_tx = 0;
  db->tx_work = 0;
}

int db_in_tx(DB *db){ return db->in_tx; }

NEOERR *db_end(DB *db, NEOERR *err, int refused){
  if( err || refused ){ db_rollback(db); return err; }
  return nerr_pass(db_commit(db));
}

static int err_is(NEOERR *err, const char *key){
  const char *k = err ? err_key(err) : NULL;
  return k && strcmp(k, key)==0;
}
int db_is_dup(NEOERR *err){ return err_is(err, "duplicate"); }
int db_is_busy(NEOERR *err){ return err_is(err, "busy"); }
unsigned long long db_last_id(DB *db){ return db->last_id; }
unsigned long long db_affected(DB *db){ return db->affected; }
long db_connects(DB *db){ return db->connects; }
ARENA *db_arena(DB *db){ return db->arena; }

NEOERR *db_one_int(DB *db, long long *out, int *found, const char *sql, const char *fmt, ...){
  DB_STMT *s = NULL;
  va_list ap;
  va_start(ap, fmt);
  NEOERR *err = run_retry(db, &s, sql, fmt, ap);
  va_end(ap);
  if( err ) return nerr_pass(err);
  *found = db_step(s);
  *out = *found ? db_int(s, 0) : 0;
  db_done(s);
  return STATUS_OK;
}

NEOERR *db_hdf_rows(DB_STMT *s, HDF *hdf, const char *prefix, const char *names, int *n){
  const char *cols[DB_MAXCOL];
  char buf[512];
  int ncols = 0, row = 0;
  snprintf(buf, sizeof buf, "%s", names);
  for(char *save = NULL, *t = strtok_r(buf, ",", &save); t && ncols<DB_MAXCOL; t = strtok_r(NULL, ",", &save))
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
  return STATUS_OK;
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
