/*
** q_report.c -- the SQL of the report engine: the grouped aggregation of a
** checked definition, the unit filter's reach, saved reports.  See
** q_report.h.
*/
#include "q_report.h"
#include "q_ddl.h"
#include "q_scope.h"
#include "hset.h"
#include <string.h>

static const char *op_sql(const char *op){
  if( op==NULL || !strcmp(op, "eq") ) return "=";
  if( !strcmp(op, "ne") ) return "<>";
  if( !strcmp(op, "lt") ) return "<";
  if( !strcmp(op, "le") ) return "<=";
  if( !strcmp(op, "gt") ) return ">";
  if( !strcmp(op, "ge") ) return ">=";
  return NULL;
}

static NEOERR *names_ok(const QRUN *q){
  if( !q_ident_ok(q->table) || strncmp(q->table, "f_", 2) ) return nerr_raise(NERR_ASSERT, "report: table %s", q->table);
  if( q->ndim>QRUN_MAX || q->nmeas>QRUN_MAX || q->nfilt>QRUN_MAX ) return nerr_raise(NERR_ASSERT, "report: too many parts");
  for(int i=0; i<q->ndim; i++)
    if( q->dim[i].kind>=QD_SELECT && !q_ident_ok(q->dim[i].col) ) return nerr_raise(NERR_ASSERT, "report: column %s", q->dim[i].col);
  for(int i=0; i<q->nmeas; i++){
    int fn = q->meas[i].fn;
    if( fn!=QM_COUNT && fn!=QM_SHEETS && fn!=QM_NONE && !q_ident_ok(q->meas[i].col) )
      return nerr_raise(NERR_ASSERT, "report: column %s", q->meas[i].col);
    if( fn==QM_SPAN && !q_ident_ok(q->meas[i].col2) ) return nerr_raise(NERR_ASSERT, "report: column %s", q->meas[i].col2);
  }
  for(int i=0; i<q->nfilt; i++)
    if( !q_ident_ok(q->filt[i].col) || op_sql(q->filt[i].op)==NULL ) return nerr_raise(NERR_ASSERT, "report: filter %s", q->filt[i].col);
  return STATUS_OK;
}

/* one dimension's key inside the grouping */
static void dim_key(STRING *s, const QRUN *q, int i){
  switch( q->dim[i].kind ){
    case QD_UNIT: string_append(s, "e.org_unit_id"); break;
    case QD_DAY: string_append(s, "e.period_start"); break;
    case QD_WEEK: string_append(s, "DATE_SUB(e.period_start, INTERVAL WEEKDAY(e.period_start) DAY)"); break;   /* lint: sql-built reviewed: a fixed expression */
    case QD_MONTH: string_append(s, "DATE_FORMAT(e.period_start, '%Y-%m')"); break;   /* lint: sql-built reviewed: a fixed expression */
    default: string_appendf(s, "t.`%s`", q->dim[i].col); break;
  }
}

/* one dimension's three columns outside it (key, code, name): the labels
** are joined to the groups, not to every row */
static void dim_cols(STRING *s, const QRUN *q, int i){
  switch( q->dim[i].kind ){
    case QD_UNIT: case QD_BASE: case QD_ORG: string_appendf(s, "g.k%d, d%d.code, d%d.name", i, i, i); break;
    case QD_USER: string_appendf(s, "g.k%d, d%d.login, d%d.name", i, i, i); break;
    default: string_appendf(s, "g.k%d, g.k%d, g.k%d", i, i, i); break;
  }
}

NEOERR *q_report_sql(ARENA *a, const QRUN *q, int count_only, const char **sql, const char **fmt, DB_ARG **args){
  NEOERR *err = names_ok(q);
  if( err ) return nerr_pass(err);
  STRING s, f;
  string_init(&s);
  string_init(&f);
  DB_ARG *v = arena_alloc(a, sizeof(DB_ARG) * (size_t)(16 + 2 * q->nfilt));
  int nv = 0;
  /* SELECT <labels> FROM (SELECT <keys>, <aggregates> FROM ... GROUP BY <keys>) g LEFT JOIN <labels> */
  /* lint: sql-built reviewed: names are the form's generated columns (checked above), values bound */
  string_append(&s, "SELECT ");
  if( count_only ) string_append(&s, "COUNT(DISTINCT e.id)"); /* lint: sql-built reviewed: fixed text */
  else{
    for(int i=0; i<q->ndim; i++){ dim_cols(&s, q, i); string_append(&s, ", "); }
    for(int i=0; i<q->nmeas; i++) string_appendf(&s, "%sg.a%d, g.b%d", i ? ", " : "", i, i);
    string_append(&s, " FROM (SELECT ");   /* lint: sql-built reviewed: fixed text */
    for(int i=0; i<q->ndim; i++){ dim_key(&s, q, i); string_appendf(&s, " k%d, ", i); }
    for(int i=0; i<q->nmeas; i++){
      const char *c = q->meas[i].col, *c2 = q->meas[i].col2;
      if( i ) string_append(&s, ", ");
      switch( q->meas[i].fn ){
        case QM_COUNT: string_append(&s, "COUNT(*)"); break;   /* lint: sql-built reviewed: fixed text */
        case QM_COUNTF: string_appendf(&s, "COUNT(t.`%s`)", c); break;   /* lint: sql-built reviewed: checked name */
        case QM_SHEETS: string_append(&s, "COUNT(DISTINCT e.id)"); break;   /* lint: sql-built reviewed: fixed text */
        case QM_SUM: string_appendf(&s, "SUM(t.`%s`)", c); break;   /* lint: sql-built reviewed: checked name */
        case QM_AVG: string_appendf(&s, "SUM(t.`%s`)", c); break;   /* lint: sql-built reviewed: checked name */
        case QM_MIN: string_appendf(&s, "MIN(t.`%s`)", c); break;   /* lint: sql-built reviewed: checked name */
        case QM_MAX: string_appendf(&s, "MAX(t.`%s`)", c); break;   /* lint: sql-built reviewed: checked name */
        case QM_SPAN: string_appendf(&s, "SUM(TIME_TO_SEC(t.`%s`) - TIME_TO_SEC(t.`%s`))", c2, c); break;   /* lint: sql-built reviewed: checked names */
        default: string_append(&s, "NULL"); break;
      }
      string_appendf(&s, " a%d, ", i);
      switch( q->meas[i].fn ){
        case QM_AVG: string_appendf(&s, "COUNT(t.`%s`)", c); break;   /* lint: sql-built reviewed: checked name */
        case QM_SPAN: string_appendf(&s, "COUNT(TIME_TO_SEC(t.`%s`) - TIME_TO_SEC(t.`%s`))", c2, c); break;   /* lint: sql-built reviewed: checked names */
        default: string_append(&s, "NULL"); break;
      }
      string_appendf(&s, " b%d", i);
    }
  }
  /* lint: sql-built reviewed: the table is the form's (checked above) */
  string_appendf(&s, " FROM entry e JOIN org_unit o ON o.id = e.org_unit_id JOIN `%s` t ON t.entry_id = e.id", q->table);
  string_append(&s, " WHERE e.form_id = ? AND e.period_start >= ? AND e.period_start <= ?");   /* lint: sql-built reviewed: fixed text */
  string_append(&f, "iss");
  v[nv++].i = q->form_id; v[nv++].p = q->from; v[nv++].p = q->to;
  if( q->pending )
    /* lint: sql-built reviewed: fixed text */
    string_append(&s, " AND ((e.cur = 1 AND e.status = 'submitted') OR (e.counted = 1 AND NOT EXISTS(SELECT 1 FROM entry p"
                      " WHERE p.form_id = e.form_id AND p.org_unit_id = e.org_unit_id AND p.period_key = e.period_key"
                      " AND p.cur = 1 AND p.status = 'submitted' AND p.id <> e.id)))");
  else string_append(&s, " AND e.counted = 1");   /* lint: sql-built reviewed: fixed text */
  if( q->path ){
    string_append(&s, " AND o.path LIKE CONCAT(?, '%')");   /* lint: sql-built reviewed: fixed text */
    string_append(&f, "s");
    v[nv++].p = q->path;
  }
  string_append(&s, " AND " Q_SCOPE("o"));   /* lint: sql-built reviewed: the scope macro */
  string_append(&f, Q_SCOPE_FMT);
  v[nv++].i = q->user_id; v[nv++].i = q->user_id; v[nv++].i = q->caps;
  for(int i=0; i<q->nfilt; i++){
    const char *c = q->filt[i].col, *op = op_sql(q->filt[i].op), *no = strcmp(op, "<>") ? "" : "NOT ";
    switch( q->filt[i].kind ){   /* lint: sql-built reviewed: checked names, the operator from a fixed list */
      case QF_NUM: string_appendf(&s, " AND t.`%s` %s CAST(? AS DECIMAL(38,10))", c, op); break;
      case QF_BASE:
        /* lint: sql-built reviewed: checked name */
        string_appendf(&s, " AND t.`%s` %sIN (SELECT fb.id FROM base_item fb JOIN base_kind fk ON fk.id = fb.kind_id"
                           " WHERE fk.code = ? AND fb.code = ?)", c, no);
        string_append(&f, "s");
        v[nv++].p = q->filt[i].lk_kind;
        break;
      case QF_ORG: string_appendf(&s, " AND t.`%s` %sIN (SELECT fo.id FROM org_unit fo WHERE fo.code = ?)", c, no); break;   /* lint: sql-built reviewed: checked name */
      case QF_USER: string_appendf(&s, " AND t.`%s` %sIN (SELECT fu.id FROM app_user fu WHERE fu.login = ?)", c, no); break;   /* lint: sql-built reviewed: checked name */
      default: string_appendf(&s, " AND t.`%s` %s ?", c, op); break;   /* lint: sql-built reviewed: checked name */
    }
    string_append(&f, "s");
    v[nv++].p = q->filt[i].value;
  }
  if( !count_only ){
    if( q->ndim ){
      string_append(&s, " GROUP BY ");   /* lint: sql-built reviewed: fixed text */
      for(int i=0; i<q->ndim; i++) string_appendf(&s, "%sk%d", i ? ", " : "", i);
      string_append(&s, " ORDER BY NULL");   /* lint: sql-built reviewed: fixed text; the engine orders the groups */
    }
    string_append(&s, ") g");
    for(int i=0; i<q->ndim; i++){
      switch( q->dim[i].kind ){   /* lint: sql-built reviewed: fixed names */
        case QD_UNIT: case QD_ORG: string_appendf(&s, " LEFT JOIN org_unit d%d ON d%d.id = g.k%d", i, i, i); break;
        case QD_BASE: string_appendf(&s, " LEFT JOIN base_item d%d ON d%d.id = g.k%d", i, i, i); break;   /* lint: sql-built reviewed: fixed names */
        case QD_USER: string_appendf(&s, " LEFT JOIN app_user d%d ON d%d.id = g.k%d", i, i, i); break;   /* lint: sql-built reviewed: fixed names */
      }
    }
  }
  *sql = arena_strdup(a, s.buf);
  *fmt = arena_strdup(a, f.buf ? f.buf : "");
  *args = v;
  string_clear(&s);
  string_clear(&f);
  return STATUS_OK;
}

NEOERR *q_report_run(DB *db, ARENA *a, const QRUN *q, DB_STMT **st){
  const char *sql, *fmt;
  DB_ARG *args;
  NEOERR *err = q_report_sql(a, q, 0, &sql, &fmt, &args);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_query_args(db, st, 0, sql, fmt, args));
}

NEOERR *q_report_sheets(DB *db, ARENA *a, const QRUN *q, long long *n){
  const char *sql, *fmt;
  DB_ARG *args;
  DB_STMT *st;
  NEOERR *err = q_report_sql(a, q, 1, &sql, &fmt, &args);
  if( err ) return nerr_pass(err);
  if( (err = db_query_args(db, &st, 0, sql, fmt, args)) ) return nerr_pass(err);
  *n = db_step(st) ? db_int(st, 0) : 0;
  return nerr_pass(db_finish(st));
}

NEOERR *q_report_unit(DB *db, long long unit_id, long long user_id, unsigned caps,
                      const char **path, const char **name, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, "SELECT o.path, o.name FROM org_unit o WHERE o.id = ? AND " Q_SCOPE("o"),
                         "i" Q_SCOPE_FMT, unit_id, user_id, user_id, (long long)caps);
  if( err ) return nerr_pass(err);
  *found = 0;
  if( db_step(st) ){ *found = 1; *path = db_text(st, 0); *name = db_text(st, 1); }
  return nerr_pass(db_finish(st));
}

/* ------------------------------------------------------------------ */
/* saved reports                                                       */

/* may the user run saved report s: its owner, or a holder of one of its roles */
#define MAY_RUN "(s.owner_id = ? OR EXISTS(SELECT 1 FROM user_role ur JOIN role rr ON rr.id = ur.role_id" \
                " WHERE ur.user_id = ? AND FIND_IN_SET(rr.code, s.roles) > 0))"

NEOERR *q_report_get(DB *db, long long id, long long user_id, QREPORT *q, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, "SELECT s.id, s.owner_id, s.name, s.form_code, s.def, s.roles, u.name, " MAY_RUN
                         " FROM report_saved s JOIN app_user u ON u.id = s.owner_id WHERE s.id = ? AND s.active = 1",
                         "iii", user_id, user_id, id);
  if( err ) return nerr_pass(err);
  *found = 0;
  memset(q, 0, sizeof *q);
  if( db_step(st) ){
    *found = 1;
    q->id = db_int(st, 0); q->owner_id = db_int(st, 1);
    q->name = db_text(st, 2); q->form_code = db_text(st, 3); q->text = db_text(st, 4);
    q->roles = db_text(st, 5); q->owner_name = db_text(st, 6); q->may_run = (int)db_int(st, 7);
  }
  return nerr_pass(db_finish(st));
}

NEOERR *q_report_insert(DB *db, long long owner, const char *name, const char *form, const char *text,
                        const char *roles, long long *id){
  NEOERR *err = db_exec(db, "INSERT INTO report_saved (owner_id, name, form_code, def, roles, created_at, updated_at)"
                        " VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())", "issss", owner, name, form, text, roles);
  if( err ) return nerr_pass(err);
  *id = (long long)db_last_id(db);
  return STATUS_OK;
}

NEOERR *q_report_update(DB *db, long long id, long long owner, const char *name, const char *form,
                        const char *text, const char *roles, int *mine, int *changed){
  long long n;
  int found;
  NEOERR *err = db_one_int(db, &n, &found, "SELECT id FROM report_saved WHERE id = ? AND owner_id = ? AND active = 1 FOR UPDATE",
                           "ii", id, owner);
  if( err ) return nerr_pass(err);
  *mine = found;
  *changed = 0;
  if( !found ) return STATUS_OK;
  /* unchanged: nothing written (and nothing to record) */
  err = db_exec(db, "UPDATE report_saved SET name = ?, form_code = ?, def = ?, roles = ?, updated_at = UTC_TIMESTAMP()"
                " WHERE id = ? AND (name <> ? OR form_code <> ? OR def <> ? OR roles <> ?)",
                "ssssissss", name, form, text, roles, id, name, form, text, roles);
  if( err ) return nerr_pass(err);
  *changed = db_affected(db) > 0;
  return STATUS_OK;
}

NEOERR *q_report_delete(DB *db, long long id, long long owner, int *mine){
  NEOERR *err = db_exec(db, "UPDATE report_saved SET active = 0, updated_at = UTC_TIMESTAMP() WHERE id = ? AND owner_id = ? AND active = 1",
                        "ii", id, owner);
  if( err ) return nerr_pass(err);
  *mine = db_affected(db) > 0;
  return STATUS_OK;
}

NEOERR *q_report_list(DB *db, long long user_id, HDF *hdf, const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, "SELECT CONCAT('u', s.id), s.id, s.name, s.form_code, u.name, s.owner_id = ?, s.roles"
                         " FROM report_saved s JOIN app_user u ON u.id = s.owner_id WHERE s.active = 1 AND " MAY_RUN
                         " ORDER BY s.name, s.id LIMIT 500", "iii", user_id, user_id, user_id);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, hdf, prefix, "code,id,name,form,owner,mine,roles", n));
}

NEOERR *q_report_role_ok(DB *db, const char *code, int *found){
  long long n;
  return nerr_pass(db_one_int(db, &n, found, "SELECT id FROM role WHERE code = ?", "s", code));
}

NEOERR *q_report_roles_hdf(DB *db, HDF *hdf, const char *prefix){
  DB_STMT *st;
  int n;
  NEOERR *err = db_query(db, &st, "SELECT code, name_zh, name_en FROM role WHERE (caps & 15) <> 0 ORDER BY sort", "");
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, hdf, prefix, "code,name,name_en", &n));
}
