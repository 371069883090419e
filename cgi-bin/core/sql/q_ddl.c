/*
** q_ddl.c -- see q_ddl.h.
*/
#include "q_ddl.h"
#include "err.h"
#include <string.h>

/* the root error is the bare Lang key (err.ddl_*), the detail its context */
#define REFUSE(key, ...) nerr_pass_ctx(nerr_raise(ERR_INPUT, "%s", key), __VA_ARGS__)

int q_ident_ok(const char *s){
  if( s==NULL || !(s[0]>='a' && s[0]<='z') ) return 0;
  size_t i = 1;
  for(; s[i]; i++){
    char c = s[i];
    if( !((c>='a' && c<='z') || (c>='0' && c<='9') || c=='_') ) return 0;
    if( i>=64 ) return 0;
  }
  return 1;
}

static const DDL_COL *find_col(const DDL_TABLE *t, const char *name){
  for(int i=0; i<t->ncols; i++) if( strcmp(t->cols[i].name, name)==0 ) return &t->cols[i];
  return NULL;
}

/* bytes a key part takes in InnoDB (utf8mb4: 4 a character, +2 length) */
static int key_bytes(const DDL_COL *c){
  switch( c->type ){
    case DDL_INT: return 4;
    case DDL_BIGINT: return 8;
    case DDL_DECIMAL: return c->len / 2 + 1;
    case DDL_VARCHAR: return 4 * c->len + 2;
    case DDL_DATE: case DDL_TIME: return 3;
    case DDL_DATETIME: return 5;
    default: return 100000;
  }
}

static NEOERR *check_col(const DDL_COL *c){
  if( !q_ident_ok(c->name) || strcmp(c->name, "id")==0 )
    return REFUSE("ddl_name", "column \"%.80s\"", c->name ? c->name : "");
  switch( c->type ){
    case DDL_INT: case DDL_BIGINT: case DDL_DATE: case DDL_TIME: case DDL_DATETIME: case DDL_TEXT:
      return STATUS_OK;
    case DDL_VARCHAR:
      if( c->len<1 || c->len>4000 ) return REFUSE("ddl_type", "VARCHAR(%d) of %s", c->len, c->name);
      return STATUS_OK;
    case DDL_DECIMAL:
      if( c->len<1 || c->len>38 || c->scale<0 || c->scale>10 || c->scale>c->len )
        return REFUSE("ddl_type", "DECIMAL(%d,%d) of %s", c->len, c->scale, c->name);
      return STATUS_OK;
  }
  return REFUSE("ddl_type", "type %d of %s", (int)c->type, c->name);
}

static NEOERR *check_index(const DDL_TABLE *t, const DDL_INDEX *x){
  if( !q_ident_ok(x->name) || strcmp(x->name, "primary")==0 )
    return REFUSE("ddl_name", "index \"%.80s\"", x->name ? x->name : "");
  int n = 0, bytes = 0;
  for(; n<=DDL_MAXKEY && x->cols[n]; n++){
    const DDL_COL *c = strcmp(x->cols[n], "id")==0 ? NULL : find_col(t, x->cols[n]);
    if( c==NULL ) return REFUSE("ddl_index", "%s names no column \"%.80s\"", x->name, x->cols[n]);
    if( c->type==DDL_TEXT ) return REFUSE("ddl_index", "%s on the TEXT column %s", x->name, c->name);
    for(int k=0; k<n; k++)
      if( strcmp(x->cols[k], x->cols[n])==0 ) return REFUSE("ddl_index", "%s repeats %s", x->name, c->name);
    bytes += key_bytes(c);
  }
  if( n==0 || n>DDL_MAXKEY ) return REFUSE("ddl_index", "%s has %d columns", x->name, n);
  if( bytes>3072 ) return REFUSE("ddl_index", "%s is %d bytes long (at most 3072)", x->name, bytes);
  return STATUS_OK;
}

NEOERR *q_ddl_check(const DDL_TABLE *t){
  NEOERR *err;
  if( !q_ident_ok(t->name) ) return REFUSE("ddl_name", "table \"%.80s\"", t->name ? t->name : "");
  if( t->ncols<1 || t->ncols>500 ) return REFUSE("ddl_type", "%s has %d columns", t->name, t->ncols);
  if( t->nidx<0 || t->nidx>60 ) return REFUSE("ddl_index", "%s has %d indexes", t->name, t->nidx);
  for(int i=0; i<t->ncols; i++){
    if( (err = check_col(&t->cols[i])) ) return nerr_pass(err);
    for(int k=0; k<i; k++)
      if( strcmp(t->cols[k].name, t->cols[i].name)==0 )
        return REFUSE("ddl_name", "column %s twice", t->cols[i].name);
  }
  for(int i=0; i<t->nidx; i++){
    if( (err = check_index(t, &t->idx[i])) ) return nerr_pass(err);
    for(int k=0; k<i; k++)
      if( strcmp(t->idx[k].name, t->idx[i].name)==0 )
        return REFUSE("ddl_name", "index %s twice", t->idx[i].name);
  }
  return STATUS_OK;
}

const char *q_ddl_type(ARENA *a, const DDL_COL *c){
  switch( c->type ){
    case DDL_INT: return "INT";
    case DDL_BIGINT: return "BIGINT";
    case DDL_DECIMAL: return arena_printf(a, "DECIMAL(%d,%d)", c->len, c->scale);
    case DDL_VARCHAR: return arena_printf(a, "VARCHAR(%d)", c->len);
    case DDL_DATE: return "DATE";
    case DDL_TIME: return "TIME";
    case DDL_DATETIME: return "DATETIME";
    case DDL_TEXT: return "TEXT";
  }
  return "?";
}

static const char *col_sql(ARENA *a, const DDL_COL *c){
  return arena_printf(a, "`%s` %s %s", c->name, q_ddl_type(a, c), c->nullable ? "NULL" : "NOT NULL");
}

static const char *index_sql(ARENA *a, const DDL_INDEX *x){
  STRING s;
  string_init(&s);
  string_appendf(&s, "%s `%s` (", x->unique ? "UNIQUE KEY" : "KEY", x->name);
  for(int i=0; x->cols[i]; i++) string_appendf(&s, "%s`%s`", i ? ", " : "", x->cols[i]);
  string_append(&s, ")");
  const char *out = arena_strdup(a, s.buf);
  string_clear(&s);
  return out;
}

NEOERR *q_ddl_create(ARENA *a, const DDL_TABLE *t, const char **sql){
  NEOERR *err = q_ddl_check(t);
  if( err ) return nerr_pass(err);
  STRING s;
  string_init(&s);
  /* lint: sql-built reviewed: names cannot be bound; q_ddl_check() passed each through q_ident_ok() */
  string_appendf(&s, "CREATE TABLE `%s` (\n  `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY", t->name);
  for(int i=0; i<t->ncols; i++) string_appendf(&s, ",\n  %s", col_sql(a, &t->cols[i]));
  for(int i=0; i<t->nidx; i++) string_appendf(&s, ",\n  %s", index_sql(a, &t->idx[i]));
  string_append(&s, "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci");
  *sql = arena_strdup(a, s.buf);
  string_clear(&s);
  return STATUS_OK;
}

NEOERR *q_ddl_add_column(ARENA *a, const DDL_TABLE *t, const DDL_COL *c, const char **sql){
  NEOERR *err = q_ddl_check(t);
  if( err ) return nerr_pass(err);
  if( c<t->cols || c>=t->cols + t->ncols ) return nerr_raise(NERR_ASSERT, "column not of table %s", t->name);
  if( !c->nullable ) return REFUSE("ddl_notnull_add", "%s.%s", t->name, c->name);
  /* lint: sql-built reviewed: names checked by q_ddl_check(), the type from DDL_COL */
  *sql = arena_printf(a, "ALTER TABLE `%s` ADD COLUMN %s", t->name, col_sql(a, c));
  return STATUS_OK;
}

NEOERR *q_ddl_add_index(ARENA *a, const DDL_TABLE *t, const DDL_INDEX *x, const char **sql){
  NEOERR *err = q_ddl_check(t);
  if( err ) return nerr_pass(err);
  if( x<t->idx || x>=t->idx + t->nidx ) return nerr_raise(NERR_ASSERT, "index not of table %s", t->name);
  /* lint: sql-built reviewed: names checked by q_ddl_check() */
  *sql = arena_printf(a, "ALTER TABLE `%s` ADD %s", t->name, index_sql(a, x));
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */

NEOERR *q_ddl_table_exists(DB *db, const char *table, int *found){
  long long n;
  return nerr_pass(db_one_int(db, &n, found,
    "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
    "s", table));
}

NEOERR *q_ddl_column(DB *db, const char *table, const char *col, DDL_COLINFO *info, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT LOWER(DATA_TYPE), CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, IS_NULLABLE"
    " FROM information_schema.COLUMNS"
    " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?", "ss", table, col);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( !*found ) return STATUS_OK;
  info->data_type = db_text(st, 0);
  info->len = db_int(st, 1);
  info->prec = db_int(st, 2);
  info->scale = db_int(st, 3);
  info->nullable = db_text(st, 4) && strcmp(db_text(st, 4), "YES")==0;
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_ddl_index_exists(DB *db, const char *table, const char *index, int *found){
  long long n;
  return nerr_pass(db_one_int(db, &n, found,
    "SELECT 1 FROM information_schema.STATISTICS"
    " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = ? LIMIT 1",
    "ss", table, index));
}

NEOERR *q_ddl_change_plan(DB *db, const char *kind, const char *tbl, const char *obj,
                          const char *stmt, const char *hash, long long *id){
  NEOERR *err = db_exec(db,
    "INSERT INTO ddl_change (kind, tbl, obj, statement, stmt_hash, state, planned_at)"
    " VALUES (?, ?, ?, ?, ?, 'planned', UTC_TIMESTAMP())", "sssss", kind, tbl, obj, stmt, hash);
  if( err ) return nerr_pass(err);
  *id = (long long)db_last_id(db);
  return STATUS_OK;
}

NEOERR *q_ddl_change_done(DB *db, long long id, const char *state, const char *error){
  return nerr_pass(db_exec(db,
    "UPDATE ddl_change SET state = ?, error = LEFT(?, 1000), done_at = UTC_TIMESTAMP() WHERE id = ?",
    "ssi", state, error, id));
}

static NEOERR *changes(DB *db, DB_STMT *st, DDL_CHANGE *out, int max, int *n){
  *n = 0;
  while( db_step(st) ){
    if( *n>=max ) continue;
    DDL_CHANGE *c = &out[(*n)++];
    c->id = db_int(st, 0);
    c->kind = db_text(st, 1);
    c->tbl = db_text(st, 2);
    c->obj = db_text(st, 3);
    c->stmt = db_text(st, 4);
    c->hash = db_text(st, 5);
    c->state = db_text(st, 6);
    c->error = db_text(st, 7);
  }
  return STATUS_OK;
}

NEOERR *q_ddl_changes_planned(DB *db, DDL_CHANGE *out, int max, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT id, kind, tbl, obj, statement, stmt_hash, state, error FROM ddl_change"
    " WHERE state = 'planned' ORDER BY id", "");
  if( err ) return nerr_pass(err);
  return nerr_pass(changes(db, st, out, max, n));
}

NEOERR *q_ddl_changes_failed(DB *db, DDL_CHANGE *out, int max, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT c.id, c.kind, c.tbl, c.obj, c.statement, c.stmt_hash, c.state, c.error FROM ddl_change c"
    " WHERE c.state = 'failed' AND NOT EXISTS (SELECT 1 FROM ddl_change d WHERE d.kind = c.kind"
    " AND d.tbl = c.tbl AND d.obj = c.obj AND d.state = 'applied' AND d.id > c.id) ORDER BY c.id", "");
  if( err ) return nerr_pass(err);
  return nerr_pass(changes(db, st, out, max, n));
}
