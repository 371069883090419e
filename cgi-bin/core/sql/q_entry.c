/*
** q_entry.c -- see q_entry.h.
*/
#include "q_entry.h"
#include "q_ddl.h"
#include "q_scope.h"
#include "err.h"
#include "str.h"
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* sheets                                                              */

#define ENTRY_COLS "e.id, e.form_id, e.org_unit_id, o.code, o.name, o.kind, o.path, e.period_key," \
  " e.period_start, e.revision, e.late, e.form_version, e.nrows, e.status, e.version," \
  " e.created_at, e.updated_at, e.submitted_at, e.decided_at, e.reason," \
  " (SELECT name FROM app_user WHERE id = e.created_by), (SELECT name FROM app_user WHERE id = e.updated_by)," \
  " (SELECT name FROM app_user WHERE id = e.submitted_by), (SELECT name FROM app_user WHERE id = e.decided_by)," \
  " " Q_SCOPE("o")

static void entry_row(DB_STMT *st, QENTRY *e){
  e->id = db_int(st, 0);
  e->form_id = db_int(st, 1);
  e->unit_id = db_int(st, 2);
  e->unit_code = db_text(st, 3);
  e->unit_name = db_text(st, 4);
  e->unit_kind = db_text(st, 5);
  e->unit_path = db_text(st, 6);
  e->period_key = db_text(st, 7);
  e->period_start = db_text(st, 8);
  e->revision = (int)db_int(st, 9);
  e->late = (int)db_int(st, 10);
  e->form_version = (int)db_int(st, 11);
  e->nrows = (int)db_int(st, 12);
  e->status = db_text(st, 13);
  e->version = db_int(st, 14);
  e->created_at = db_text(st, 15);
  e->updated_at = db_text(st, 16);
  e->submitted_at = db_text(st, 17);
  e->decided_at = db_text(st, 18);
  e->reason = db_text(st, 19);
  e->created_name = db_text(st, 20);
  e->updated_name = db_text(st, 21);
  e->submitted_name = db_text(st, 22);
  e->decided_name = db_text(st, 23);
  e->in_scope = (int)db_int(st, 24);
}

NEOERR *q_entry_get(DB *db, long long id, int lock, long long user, unsigned caps, QENTRY *e, int *found){
  DB_STMT *st;
  NEOERR *err = lock
    ? db_query(db, &st, "SELECT " ENTRY_COLS " FROM entry e JOIN org_unit o ON o.id = e.org_unit_id"
               " WHERE e.id = ? FOR UPDATE", Q_SCOPE_FMT "i", user, user, (long long)caps, id)
    : db_query(db, &st, "SELECT " ENTRY_COLS " FROM entry e JOIN org_unit o ON o.id = e.org_unit_id"
               " WHERE e.id = ?", Q_SCOPE_FMT "i", user, user, (long long)caps, id);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ) entry_row(st, e);
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_entry_find(DB *db, long long form_id, long long unit_id, const char *period_key,
                     long long *id, int *found){
  return nerr_pass(db_one_int(db, id, found,
    "SELECT id FROM entry WHERE form_id = ? AND org_unit_id = ? AND period_key = ? AND cur = 1",
    "iis", form_id, unit_id, period_key));
}

NEOERR *q_entry_before(DB *db, long long form_id, long long unit_id, const char *period_start,
                       long long *id){
  int found;
  return nerr_pass(db_one_int(db, id, &found,
    "SELECT id FROM entry WHERE org_unit_id = ? AND form_id = ? AND cur = 1 AND period_start < ?"
    " ORDER BY period_start DESC, id DESC LIMIT 1", "iis", unit_id, form_id, period_start));
}

NEOERR *q_entry_create(DB *db, const QNEW *n, long long *id){
  long long sub = n->submit, fin = n->final;
  NEOERR *err = db_exec(db,
    "INSERT INTO entry (form_id, org_unit_id, period_key, period_start, status, form_version, nrows, late,"
    " version, created_by, created_at, updated_by, updated_at, submitted_by, submitted_at,"
    " nsteps, step, state_at, decided_by, decided_at, counted)"
    " VALUES (?,?,?,?,?,?,?,?, IF(? = 1, 3, 2), ?,?,?,?, IF(? = 1, ?, NULL), IF(? = 1, ?, NULL),"
    " IF(? = 1, 0, NULL), 0, IF(? = 1, ?, NULL), IF(? = 1, ?, NULL), IF(? = 1, ?, NULL), IF(? = 1, 1, NULL))",
    "iisssiii" "i" "isis" "iiis" "i" "is" "ii" "is" "i",
    n->form_id, n->unit_id, n->period_key, n->period_start, n->status, (long long)n->form_version,
    (long long)n->nrows, (long long)(n->submit ? n->late : 0), fin, n->user, n->at, n->user, n->at,
    sub, n->user, sub, n->at, fin, fin, n->at, fin, n->user, fin, n->at, fin);
  if( err ) return nerr_pass(err);
  *id = (long long)db_last_id(db);
  return STATUS_OK;
}

NEOERR *q_entry_saved(DB *db, long long id, long long version, const char *status, int nrows,
                      int late, int submit, long long user, int form_version, const char *at, int *ok){
  NEOERR *err = db_exec(db,
    "UPDATE entry SET status = ?, nrows = ?, version = version + 1, updated_by = ?,"
    " updated_at = ?, form_version = ?,"
    " late = IF(? = 1, ?, late), submitted_by = IF(? = 1, ?, submitted_by),"
    " submitted_at = IF(? = 1, ?, submitted_at), reason = IF(? = 1, NULL, reason)"
    " WHERE id = ? AND version = ?",
    "siisiiiiiisiii", status, (long long)nrows, user, at, (long long)form_version, (long long)submit,
    (long long)late, (long long)submit, user, (long long)submit, at, (long long)submit, id, version);
  if( err ) return nerr_pass(err);
  *ok = db_affected(db)==1;
  return STATUS_OK;
}

NEOERR *q_entry_decided(DB *db, long long id, long long version, const char *status,
                        const char *reason, long long user, const char *at, int *ok){
  NEOERR *err = db_exec(db,
    "UPDATE entry SET status = ?, reason = ?, decided_by = ?, decided_at = ?,"
    " version = version + 1 WHERE id = ? AND version = ?",
    "ssisii", status, reason, user, at, id, version);
  if( err ) return nerr_pass(err);
  *ok = db_affected(db)==1;
  return STATUS_OK;
}

NEOERR *q_unit_for(DB *db, long long unit_id, long long user, unsigned caps, QUNIT *u, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT o.id, o.code, o.name, o.kind, o.path, o.active, " Q_SCOPE("o")
    " FROM org_unit o WHERE o.id = ?", Q_SCOPE_FMT "i", user, user, (long long)caps, unit_id);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ){
    u->id = db_int(st, 0);
    u->code = db_text(st, 1);
    u->name = db_text(st, 2);
    u->kind = db_text(st, 3);
    u->path = db_text(st, 4);
    u->active = (int)db_int(st, 5);
    u->in_scope = (int)db_int(st, 6);
  }
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_units_for(DB *db, long long user, unsigned caps, QUNIT **out, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT o.id, o.code, o.name, o.kind, o.path FROM org_unit o"
    " WHERE o.active = 1 AND " Q_SCOPE("o") " ORDER BY o.path", Q_SCOPE_FMT,
    user, user, (long long)caps);
  if( err ) return nerr_pass(err);
  int cap = 32;
  QUNIT *v = arena_alloc(db_arena(db), sizeof(QUNIT) * (size_t)cap);
  *n = 0;
  while( db_step(st) ){
    if( *n==cap ){
      QUNIT *w = arena_alloc(db_arena(db), sizeof(QUNIT) * (size_t)cap * 2);
      memcpy(w, v, sizeof(QUNIT) * (size_t)cap);
      v = w;
      cap *= 2;
    }
    QUNIT *u = &v[(*n)++];
    u->id = db_int(st, 0);
    u->code = db_text(st, 1);
    u->name = db_text(st, 2);
    u->kind = db_text(st, 3);
    u->path = db_text(st, 4);
    u->active = 1;
    u->in_scope = 1;
  }
  *out = v;
  return STATUS_OK;
}

NEOERR *q_entry_today(DB *db, long long user, unsigned caps, const char *keys[4], QTODAY **out, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT o.id, o.code, o.name, o.kind, o.path, e.form_id, e.id, e.period_key, e.status, e.late"
    " FROM org_unit o LEFT JOIN entry e ON e.org_unit_id = o.id AND e.cur = 1 AND e.period_key IN (?, ?, ?, ?)"
    " WHERE o.active = 1 AND " Q_SCOPE("o") " ORDER BY o.path",
    "ssss" Q_SCOPE_FMT, keys[0], keys[1], keys[2], keys[3], user, user, (long long)caps);
  if( err ) return nerr_pass(err);
  int cap = 32;
  QTODAY *v = arena_alloc(db_arena(db), sizeof(QTODAY) * (size_t)cap);
  *n = 0;
  while( db_step(st) ){
    if( *n==cap ){
      QTODAY *w = arena_alloc(db_arena(db), sizeof(QTODAY) * (size_t)cap * 2);
      memcpy(w, v, sizeof(QTODAY) * (size_t)cap);
      v = w;
      cap *= 2;
    }
    QTODAY *t = &v[(*n)++];
    t->u.id = db_int(st, 0);
    t->u.code = db_text(st, 1);
    t->u.name = db_text(st, 2);
    t->u.kind = db_text(st, 3);
    t->u.path = db_text(st, 4);
    t->u.active = 1;
    t->u.in_scope = 1;
    t->form_id = db_int(st, 5);
    t->id = db_int(st, 6);
    t->period_key = db_text(st, 7);
    t->status = db_text(st, 8);
    t->late = (int)db_int(st, 9);
  }
  *out = v;
  return STATUS_OK;
}

#define PAGE_COLS "SELECT STRAIGHT_JOIN e.id, e.form_id, f.code, f.name, e.org_unit_id, o.code, o.name, e.period_key," \
  " e.period_start, e.status, e.late, e.nrows, e.updated_at, e.submitted_at, e.version"
#define PAGE_JOIN " JOIN org_unit o ON o.id = e.org_unit_id JOIN form f ON f.id = e.form_id"
/* the filters and the keyset; "iissss" "sssi" */
#define PAGE_WHERE " WHERE e.cur = 1 AND (? = 0 OR e.form_id = ?) AND (? = 0 OR e.org_unit_id = ?)" \
  " AND (? = '' OR e.status = ?) AND e.period_start BETWEEN ? AND ?" \
  " AND (e.period_start < ? OR (e.period_start = ? AND e.id < ?))"
#define PAGE_ORDER " ORDER BY e.period_start DESC, e.id DESC LIMIT ?"

NEOERR *q_entry_page(DB *db, long long user, unsigned caps, const QLIST *l, HDF *out,
                     const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err;
  const char *from = l->from && *l->from ? l->from : "1000-01-01";
  const char *to = l->to && *l->to ? l->to : "9999-12-31";
  int keyset = l->after_start && *l->after_start;
  const char *after = keyset ? l->after_start : "9999-12-31";
  long long after_id = keyset ? l->after_id : 9223372036854775807LL;
  const char *status = l->status ? l->status : "";
  /* read along the index that fits the filter, newest first, until the
  ** page is full (STRAIGHT_JOIN: the sheets drive); a user who does not
  ** reach every unit has the scope checked on each sheet read -- about a
  ** page of them when the grant reaches most sheets, never more than all */
#define PAGE_ARGS l->form_id, l->form_id, l->unit_id, l->unit_id, status, status, from, to, after, after, after_id
#define PAGE_FMT "iiiissss" "ssi"
#define PAGE_SQL(ix, scope) PAGE_COLS " FROM entry e FORCE INDEX (" ix ")" PAGE_JOIN PAGE_WHERE scope PAGE_ORDER
#define SCOPED " AND " Q_SCOPE("o")
  if( l->all ){
    if( l->unit_id )
      err = db_query(db, &st, PAGE_SQL("ix_entry_unit", ""), PAGE_FMT "i", PAGE_ARGS, (long long)l->limit);
    else if( l->form_id )
      err = db_query(db, &st, PAGE_SQL("ix_entry_form", ""), PAGE_FMT "i", PAGE_ARGS, (long long)l->limit);
    else
      err = db_query(db, &st, PAGE_SQL("ix_entry_period", ""), PAGE_FMT "i", PAGE_ARGS, (long long)l->limit);
  }else{
    if( l->unit_id )
      err = db_query(db, &st, PAGE_SQL("ix_entry_unit", SCOPED), PAGE_FMT Q_SCOPE_FMT "i", PAGE_ARGS,
                     user, user, (long long)caps, (long long)l->limit);
    else if( l->form_id )
      err = db_query(db, &st, PAGE_SQL("ix_entry_form", SCOPED), PAGE_FMT Q_SCOPE_FMT "i", PAGE_ARGS,
                     user, user, (long long)caps, (long long)l->limit);
    else
      err = db_query(db, &st, PAGE_SQL("ix_entry_period", SCOPED), PAGE_FMT Q_SCOPE_FMT "i", PAGE_ARGS,
                     user, user, (long long)caps, (long long)l->limit);
  }
#undef PAGE_ARGS
#undef PAGE_FMT
#undef PAGE_SQL
#undef SCOPED
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, out, prefix,
    "id,form_id,form_code,form_name,unit_id,unit_code,unit_name,period_key,period_start,status,late,"
    "nrows,updated_at,submitted_at,version", n));
}

/* ------------------------------------------------------------------ */
/* tokens and reopened periods                                         */

NEOERR *q_token_put(DB *db, long long user, const char *token, long long entry_id, const char *outcome){
  NEOERR *err = db_exec(db,
    "INSERT INTO entry_token (user_id, token, entry_id, outcome, created_at) VALUES (?, ?, ?, ?, UTC_TIMESTAMP())",
    "isns", user, token, entry_id, outcome);
  if( err ) return nerr_pass(err);
  /* now and then, forget tokens nobody can resend any more */
  if( (rand() & 63)==0 )
    return nerr_pass(db_exec(db, "DELETE FROM entry_token WHERE created_at < UTC_TIMESTAMP() - INTERVAL 2 DAY"
                             " LIMIT 500", ""));
  return STATUS_OK;
}

NEOERR *q_token_seen(DB *db, long long user, const char *token, int *found, long long *entry_id,
                     const char **outcome){
  DB_STMT *st;
  *entry_id = 0;
  *outcome = "";
  NEOERR *err = db_query(db, &st, "SELECT COALESCE(entry_id, 0), outcome FROM entry_token"
                         " WHERE user_id = ? AND token = ? LOCK IN SHARE MODE", "is", user, token);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ){
    *entry_id = db_int(st, 0);
    *outcome = db_text(st, 1);
    db_done(st);
  }
  return STATUS_OK;
}

NEOERR *q_reopen_add(DB *db, long long form_id, long long unit_id, const char *period_key,
                     const char *reason, long long user, const char *at, long hours){
  return nerr_pass(db_exec(db,
    "INSERT INTO entry_reopen (form_id, org_unit_id, period_key, reason, user_id, created_at, until_at)"
    " VALUES (?,?,?,?,?,?, ? + INTERVAL ? HOUR)",
    "iississi", form_id, unit_id, period_key, reason, user, at, at, (long long)hours));
}

NEOERR *q_reopen_active(DB *db, long long form_id, long long unit_id, const char *period_key,
                        const char *at, int *found){
  long long one;
  return nerr_pass(db_one_int(db, &one, found,
    "SELECT 1 FROM entry_reopen WHERE form_id = ? AND org_unit_id = ? AND period_key = ?"
    " AND created_at <= ? AND until_at > ? LIMIT 1", "iisss", form_id, unit_id, period_key, at, at));
}

NEOERR *q_entry_count(DB *db, long long *n){
  int found;
  return nerr_pass(db_one_int(db, n, &found, "SELECT COUNT(*) FROM entry", ""));
}

NEOERR *q_unit_account(DB *db, long long unit_id, const char *role, const char **login, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT u.login FROM app_user u JOIN user_role ur ON ur.user_id = u.id JOIN role r ON r.id = ur.role_id"
    " WHERE ur.org_unit_id = ? AND r.code = ? AND u.active = 1 ORDER BY u.id LIMIT 1", "is", unit_id, role);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  *login = *found ? db_text(st, 0) : NULL;
  db_done(st);
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* lookups                                                             */

static QREF *refs_read(DB *db, DB_STMT *st, int *n){
  int cap = 16;
  QREF *v = arena_alloc(db_arena(db), sizeof(QREF) * (size_t)cap);
  *n = 0;
  while( db_step(st) ){
    if( *n==cap ){
      QREF *w = arena_alloc(db_arena(db), sizeof(QREF) * (size_t)cap * 2);
      memcpy(w, v, sizeof(QREF) * (size_t)cap);
      v = w;
      cap *= 2;
    }
    QREF *r = &v[(*n)++];
    r->id = db_int(st, 0);
    r->code = db_text(st, 1);
    r->name = db_text(st, 2);
    r->path = db_text(st, 3) ? db_text(st, 3) : "";
    r->active = (int)db_int(st, 4);
  }
  return v;
}

/* "?, ?, ?" for n placeholders */
static const char *marks(ARENA *a, int n){
  char *s = arena_alloc(a, (size_t)n * 3 + 1), *p = s;
  for(int i=0; i<n; i++){ if( i ){ *p++ = ','; *p++ = ' '; } *p++ = '?'; }
  *p = 0;
  return s;
}

#define MAX_REFS 1000

NEOERR *q_refs_by_code(DB *db, int kind, const char *base_kind, const char **codes, int n, QREF **out, int *nout){
  ARENA *a = db_arena(db);
  *nout = 0;
  *out = NULL;
  if( n<=0 ) return STATUS_OK;
  if( n>MAX_REFS ) n = MAX_REFS;
  DB_ARG *args = arena_alloc(a, sizeof(DB_ARG) * (size_t)(n + 1));
  char *fmt = arena_alloc(a, (size_t)n + 2);
  int k = 0;
  if( kind==QL_BASE ){ args[k].p = base_kind; fmt[k++] = 's'; }
  for(int i=0; i<n; i++){ args[k].p = codes[i]; fmt[k++] = 's'; }
  const char *sql;
  if( kind==QL_BASE )
    sql = arena_printf(a, "SELECT b.id, b.code, b.name, o.path, b.active FROM base_item b" /* lint: sql-built reviewed: names checked (q_ident_ok), values bound */
      " JOIN base_kind k ON k.id = b.kind_id LEFT JOIN org_unit o ON o.id = b.org_unit_id"
      " WHERE k.code = ? AND b.code IN (%s)", marks(a, n));
  else if( kind==QL_ORG )   /* lint: sql-built reviewed: placeholders only */
    sql = arena_printf(a, "SELECT o.id, o.code, o.name, o.path, o.active FROM org_unit o WHERE o.code IN (%s)", marks(a, n)); /* lint: sql-built reviewed: names checked (q_ident_ok), values bound */
  else   /* lint: sql-built reviewed: placeholders only */
    sql = arena_printf(a, "SELECT u.id, u.login, u.name, o.path, u.active FROM app_user u" /* lint: sql-built reviewed: names checked (q_ident_ok), values bound */
      " JOIN org_unit o ON o.id = u.org_unit_id WHERE u.login IN (%s)", marks(a, n));
  DB_STMT *st;
  NEOERR *err = db_query_args(db, &st, 0, sql, fmt, args);
  if( err ) return nerr_pass(err);
  *out = refs_read(db, st, nout);
  return STATUS_OK;
}

NEOERR *q_refs_by_codes(DB *db, QREFS *q, int nq){
  ARENA *a = db_arena(db);
  int total = 0, parts = 0;
  for(int j=0; j<nq; j++){
    q[j].out = NULL;
    q[j].nout = 0;
    if( q[j].n>MAX_REFS ) q[j].n = MAX_REFS;
    if( q[j].n>0 ){ total += q[j].n + 2; parts++; }
  }
  if( parts==0 ) return STATUS_OK;
  if( total>DB_MAX_BIND ) return nerr_raise(NERR_ASSERT, "q_refs_by_codes: %d parameters", total);
  DB_ARG *args = arena_alloc(a, sizeof(DB_ARG) * (size_t)total);
  char *fmt = arena_alloc(a, (size_t)total + 1);
  STRING sql;
  string_init(&sql);
  int k = 0, first = 1;
  for(int j=0; j<nq; j++){
    if( q[j].n<=0 ) continue;
    if( !first ) string_append(&sql, " UNION ALL ");
    first = 0;
    args[k].i = j; fmt[k++] = 'i';
    /* the list's kind picks one of three fixed texts; values bound */
    if( q[j].kind==QL_BASE ){
      string_appendf(&sql, "(SELECT ?, b.id, b.code, b.name, o.path, b.active FROM base_item b" /* lint: sql-built reviewed: placeholders only */
        " JOIN base_kind k ON k.id = b.kind_id LEFT JOIN org_unit o ON o.id = b.org_unit_id"
        " WHERE k.code = ? AND b.code IN (%s))", marks(a, q[j].n)); /* lint: sql-built reviewed: placeholders only */
      args[k].p = q[j].base_kind; fmt[k++] = 's';
    }else if( q[j].kind==QL_ORG ){
      string_appendf(&sql, "(SELECT ?, o.id, o.code, o.name, o.path, o.active FROM org_unit o" /* lint: sql-built reviewed: placeholders only */
        " WHERE ? = '' AND o.code IN (%s))", marks(a, q[j].n)); /* lint: sql-built reviewed: placeholders only */
      args[k].p = ""; fmt[k++] = 's';
    }else{
      string_appendf(&sql, "(SELECT ?, u.id, u.login, u.name, o.path, u.active FROM app_user u" /* lint: sql-built reviewed: placeholders only */
        " JOIN org_unit o ON o.id = u.org_unit_id WHERE ? = '' AND u.login IN (%s))", marks(a, q[j].n)); /* lint: sql-built reviewed: placeholders only */
      args[k].p = ""; fmt[k++] = 's';
    }
    for(int i=0; i<q[j].n; i++){ args[k].p = q[j].codes[i]; fmt[k++] = 's'; }
  }
  fmt[k] = 0;
  const char *text = arena_strdup(a, sql.buf);
  string_clear(&sql);
  DB_STMT *st;
  NEOERR *err = db_query_args(db, &st, 0, text, fmt, args);
  if( err ) return nerr_pass(err);
  int *cap = arena_alloc(a, sizeof(int) * (size_t)nq);
  for(int j=0; j<nq; j++) cap[j] = 0;
  while( db_step(st) ){
    long long j = db_int(st, 0);
    if( j<0 || j>=nq ) continue;
    QREFS *l = &q[j];
    if( l->nout==cap[j] ){
      int nc = cap[j] ? cap[j] * 2 : 16;
      QREF *w = arena_alloc(a, sizeof(QREF) * (size_t)nc);
      if( l->nout ) memcpy(w, l->out, sizeof(QREF) * (size_t)l->nout);
      l->out = w;
      cap[j] = nc;
    }
    QREF *r = &l->out[l->nout++];
    r->id = db_int(st, 1);
    r->code = db_text(st, 2);
    r->name = db_text(st, 3);
    r->path = db_text(st, 4) ? db_text(st, 4) : "";
    r->active = (int)db_int(st, 5);
  }
  return STATUS_OK;
}

NEOERR *q_refs_by_id(DB *db, int kind, const long long *ids, int n, QREF **out, int *nout){
  ARENA *a = db_arena(db);
  *nout = 0;
  *out = NULL;
  if( n<=0 ) return STATUS_OK;
  if( n>MAX_REFS ) n = MAX_REFS;
  DB_ARG *args = arena_alloc(a, sizeof(DB_ARG) * (size_t)n);
  char *fmt = arena_alloc(a, (size_t)n + 1);
  for(int i=0; i<n; i++){ args[i].i = ids[i]; fmt[i] = 'i'; }
  const char *sql;
  if( kind==QL_BASE )   /* lint: sql-built reviewed: placeholders only */
    sql = arena_printf(a, "SELECT b.id, b.code, b.name, o.path, b.active FROM base_item b" /* lint: sql-built reviewed: names checked (q_ident_ok), values bound */
      " LEFT JOIN org_unit o ON o.id = b.org_unit_id WHERE b.id IN (%s)", marks(a, n));
  else if( kind==QL_ORG )   /* lint: sql-built reviewed: placeholders only */
    sql = arena_printf(a, "SELECT o.id, o.code, o.name, o.path, o.active FROM org_unit o WHERE o.id IN (%s)", marks(a, n)); /* lint: sql-built reviewed: names checked (q_ident_ok), values bound */
  else   /* lint: sql-built reviewed: placeholders only */
    sql = arena_printf(a, "SELECT u.id, u.login, u.name, o.path, u.active FROM app_user u" /* lint: sql-built reviewed: names checked (q_ident_ok), values bound */
      " JOIN org_unit o ON o.id = u.org_unit_id WHERE u.id IN (%s)", marks(a, n));
  DB_STMT *st;
  NEOERR *err = db_query_args(db, &st, 0, sql, fmt, args);
  if( err ) return nerr_pass(err);
  *out = refs_read(db, st, nout);
  return STATUS_OK;
}

NEOERR *q_refs_options(DB *db, int kind, const char *base_kind, const char *own_path, int limit,
                       QREF **out, int *nout){
  DB_STMT *st;
  const char *own = own_path ? own_path : "";
  NEOERR *err;
  if( kind==QL_BASE )
    err = db_query(db, &st,
      "SELECT b.id, b.code, b.name, o.path, b.active FROM base_item b JOIN base_kind k ON k.id = b.kind_id"
      " LEFT JOIN org_unit o ON o.id = b.org_unit_id"
      " WHERE k.code = ? AND b.active = 1 AND (? = '' OR b.org_unit_id IS NULL OR o.path LIKE CONCAT(?, '%'))"
      " ORDER BY b.code LIMIT ?", "sssi", base_kind, own, own, (long long)limit);
  else if( kind==QL_ORG )
    err = db_query(db, &st,
      "SELECT o.id, o.code, o.name, o.path, o.active FROM org_unit o"
      " WHERE o.active = 1 AND (? = '' OR o.path LIKE CONCAT(?, '%')) ORDER BY o.path LIMIT ?",
      "ssi", own, own, (long long)limit);
  else
    err = db_query(db, &st,
      "SELECT u.id, u.login, u.name, o.path, u.active FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id"
      " WHERE u.active = 1 AND (? = '' OR o.path LIKE CONCAT(?, '%')) ORDER BY u.login LIMIT ?",
      "ssi", own, own, (long long)limit);
  if( err ) return nerr_pass(err);
  *out = refs_read(db, st, nout);
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* the generated tables                                                */

NEOERR *q_sheet_check(const QSHEET *s){
  if( !q_ident_ok(s->table) ) return nerr_raise(NERR_ASSERT, "table name %.80s", s->table ? s->table : "");
  for(int i=0; i<s->ncols; i++)
    if( !q_ident_ok(s->cols[i]) ) return nerr_raise(NERR_ASSERT, "column name %.80s", s->cols[i] ? s->cols[i] : "");
  return STATUS_OK;
}

/* "`a`, `b`" (names checked by q_sheet_check) */
static const char *col_list(ARENA *a, const QSHEET *s, const char *prefix){
  STRING b;
  string_init(&b);
  for(int i=0; i<s->ncols; i++) string_appendf(&b, "%s%s`%s`", i ? ", " : "", prefix, s->cols[i]);
  const char *out = arena_strdup(a, b.buf ? b.buf : "");
  string_clear(&b);
  return out;
}

NEOERR *q_sheet_header(DB *db, const QSHEET *s, long long entry_id, const char ***vals, int *found){
  ARENA *a = db_arena(db);
  NEOERR *err = q_sheet_check(s);
  *found = 0;
  *vals = NULL;
  if( err ) return nerr_pass(err);
  if( s->ncols==0 ) return STATUS_OK;
  /* lint: sql-built reviewed: table and column names checked by q_sheet_check */
  const char *sql = arena_printf(a, "SELECT %s FROM `%s` WHERE entry_id = ?", col_list(a, s, ""), s->table); /* lint: sql-built reviewed: names checked (q_ident_ok), values bound */
  DB_ARG arg = { entry_id, NULL, 0 };
  DB_STMT *st;
  if( (err = db_query_args(db, &st, 0, sql, "i", &arg)) ) return nerr_pass(err);
  if( db_step(st) ){
    *found = 1;
    *vals = arena_alloc(a, sizeof(char*) * (size_t)s->ncols);
    for(int i=0; i<s->ncols; i++) (*vals)[i] = db_text(st, i);
    db_done(st);
  }
  return STATUS_OK;
}

NEOERR *q_sheet_rows(DB *db, const QSHEET *s, long long entry_id, long long **ids, const char ****vals, int *n){
  ARENA *a = db_arena(db);
  NEOERR *err = q_sheet_check(s);
  *n = 0;
  if( err ) return nerr_pass(err);
  /* lint: sql-built reviewed: table and column names checked by q_sheet_check */
  const char *sql = arena_printf(a, "SELECT id%s%s FROM `%s` WHERE entry_id = ? ORDER BY line, id", /* lint: sql-built reviewed: names checked (q_ident_ok), values bound */
                                 s->ncols ? ", " : "", col_list(a, s, ""), s->table);
  DB_ARG arg = { entry_id, NULL, 0 };
  DB_STMT *st;
  if( (err = db_query_args(db, &st, 0, sql, "i", &arg)) ) return nerr_pass(err);
  int cap = 16;
  long long *iv = arena_alloc(a, sizeof(long long) * (size_t)cap);
  const char ***vv = arena_alloc(a, sizeof(char**) * (size_t)cap);
  while( db_step(st) ){
    if( *n==cap ){
      long long *i2 = arena_alloc(a, sizeof(long long) * (size_t)cap * 2);
      const char ***v2 = arena_alloc(a, sizeof(char**) * (size_t)cap * 2);
      memcpy(i2, iv, sizeof(long long) * (size_t)cap);
      memcpy(v2, vv, sizeof(char**) * (size_t)cap);
      iv = i2; vv = v2; cap *= 2;
    }
    iv[*n] = db_int(st, 0);
    vv[*n] = arena_alloc(a, sizeof(char*) * (size_t)(s->ncols ? s->ncols : 1));
    for(int i=0; i<s->ncols; i++) vv[*n][i] = db_text(st, i + 1);
    (*n)++;
  }
  *ids = iv;
  *vals = vv;
  return STATUS_OK;
}

static const char *empty_null(const char *v){ return v && *v ? v : NULL; }

NEOERR *q_sheet_put_header(DB *db, const QSHEET *s, long long entry_id, long long unit_id,
                           const char *period_start, const char **vals){
  ARENA *a = db_arena(db);
  NEOERR *err = q_sheet_check(s);
  if( err ) return nerr_pass(err);
  STRING upd;
  string_init(&upd);
  string_append(&upd, "org_unit_id = VALUES(org_unit_id), period_start = VALUES(period_start)");
  for(int i=0; i<s->ncols; i++) string_appendf(&upd, ", `%s` = VALUES(`%s`)", s->cols[i], s->cols[i]);
  /* lint: sql-built reviewed: table and column names checked by q_sheet_check; values bound */
  const char *sql = arena_printf(a, "INSERT INTO `%s` (entry_id, org_unit_id, period_start%s%s) VALUES (?, ?, ?%s%s)" /* lint: sql-built reviewed: names checked (q_ident_ok), values bound */
    " ON DUPLICATE KEY UPDATE %s", s->table, s->ncols ? ", " : "", col_list(a, s, ""),
    s->ncols ? ", " : "", s->ncols ? marks(a, s->ncols) : "", upd.buf);
  string_clear(&upd);
  DB_ARG *args = arena_alloc(a, sizeof(DB_ARG) * (size_t)(s->ncols + 3));
  char *fmt = arena_alloc(a, (size_t)s->ncols + 4);
  args[0].i = entry_id; args[1].i = unit_id; args[2].p = period_start;
  memcpy(fmt, "iis", 3);
  for(int i=0; i<s->ncols; i++){ args[3 + i].p = empty_null(vals[i]); fmt[3 + i] = 's'; }
  return nerr_pass(db_exec_args(db, sql, fmt, args));
}

NEOERR *q_sheet_put_rows(DB *db, const QSHEET *s, long long entry_id, long long unit_id,
                         const char *period_start, const long long *ids, const char ***vals, int n,
                         int fresh){
  ARENA *a = db_arena(db);
  NEOERR *err = q_sheet_check(s);
  if( err ) return nerr_pass(err);
  if( fresh ) goto insert;                   /* a new sheet has no rows yet */
  /* rows no longer on the sheet go first */
  int kept = 0;
  for(int i=0; i<n; i++) if( ids[i] ) kept++;
  DB_ARG *dargs = arena_alloc(a, sizeof(DB_ARG) * (size_t)(kept + 1));
  char *dfmt = arena_alloc(a, (size_t)kept + 2);
  int k = 0;
  dargs[k].i = entry_id; dfmt[k++] = 'i';
  for(int i=0; i<n; i++) if( ids[i] ){ dargs[k].i = ids[i]; dfmt[k++] = 'i'; }
  /* lint: sql-built reviewed: the table name is checked; one placeholder per kept row */
  const char *del = kept ? arena_printf(a, "DELETE FROM `%s` WHERE entry_id = ? AND id NOT IN (%s)", s->table, marks(a, kept)) /* lint: sql-built reviewed: names checked (q_ident_ok), values bound */
                         : arena_printf(a, "DELETE FROM `%s` WHERE entry_id = ?", s->table); /* lint: sql-built reviewed: names checked (q_ident_ok), values bound */
  if( (err = db_exec_args(db, del, dfmt, dargs)) ) return nerr_pass(err);
insert:
  if( n==0 ) return STATUS_OK;

  /* then one INSERT ... ON DUPLICATE KEY UPDATE per chunk: new rows get an
  ** id, kept rows (by id) are updated -- only the definition's columns, so
  ** a removed field's data stays where it was */
  int per = 5 + s->ncols;
  int chunk = (DB_MAX_BIND - 1) / per;
  if( chunk>200 ) chunk = 200;
  STRING upd;
  string_init(&upd);
  string_append(&upd, "line = VALUES(line), org_unit_id = VALUES(org_unit_id), period_start = VALUES(period_start)");
  for(int i=0; i<s->ncols; i++) string_appendf(&upd, ", `%s` = VALUES(`%s`)", s->cols[i], s->cols[i]);
  const char *cols = col_list(a, s, "");
  const char *one = arena_printf(a, "(?, ?, ?, ?, ?%s%s)", s->ncols ? ", " : "", s->ncols ? marks(a, s->ncols) : "");
  for(int start = 0; start<n && !err; start += chunk){
    int m = n - start < chunk ? n - start : chunk;
    STRING q;
    string_init(&q);
    /* lint: sql-built reviewed: table and column names checked by q_sheet_check; values bound */
    string_appendf(&q, "INSERT INTO `%s` (id, entry_id, line, org_unit_id, period_start%s%s) VALUES ", /* lint: sql-built reviewed: names checked (q_ident_ok), values bound */
                   s->table, s->ncols ? ", " : "", cols);
    for(int i=0; i<m; i++) string_appendf(&q, "%s%s", i ? ", " : "", one);
    string_appendf(&q, " ON DUPLICATE KEY UPDATE %s", upd.buf); /* lint: sql-built reviewed: names checked (q_ident_ok), values bound */
    DB_ARG *args = arena_alloc(a, sizeof(DB_ARG) * (size_t)(m * per));
    char *fmt = arena_alloc(a, (size_t)(m * per) + 1);
    int p = 0;
    for(int i=0; i<m; i++){
      int r = start + i;
      args[p].i = ids[r]; fmt[p++] = 'n';
      args[p].i = entry_id; fmt[p++] = 'i';
      args[p].i = r + 1; fmt[p++] = 'i';
      args[p].i = unit_id; fmt[p++] = 'i';
      args[p].p = period_start; fmt[p++] = 's';
      for(int c=0; c<s->ncols; c++){ args[p].p = empty_null(vals[r][c]); fmt[p++] = 's'; }
    }
    err = db_exec_args(db, arena_strdup(a, q.buf), fmt, args);
    string_clear(&q);
  }
  string_clear(&upd);
  return nerr_pass(err);
}

NEOERR *q_sheet_prev(DB *db, const char *rows_table, const char *key, const char *val, long long form_id,
                     long long unit_id, const char *period_start, const char *since, DB_STMT **st){
  ARENA *a = db_arena(db);
  if( !q_ident_ok(rows_table) || !q_ident_ok(key) || !q_ident_ok(val) )
    return nerr_raise(NERR_ASSERT, "names %.60s %.60s %.60s", rows_table, key, val);
  /* lint: sql-built reviewed: table and column names checked with q_ident_ok */
  const char *sql = arena_printf(a, /* lint: sql-built reviewed: names checked (q_ident_ok), values bound */
    "SELECT r.`%s`, r.`%s` FROM `%s` r JOIN entry e ON e.id = r.entry_id"
    " WHERE r.org_unit_id = ? AND r.period_start < ? AND r.period_start >= ?"
    " AND e.form_id = ? AND e.cur = 1 AND e.status = 'approved' AND r.`%s` IS NOT NULL"
    " ORDER BY r.period_start DESC, r.id DESC", key, val, rows_table, val);
  DB_ARG args[4] = { { unit_id, NULL, 0 }, { 0, period_start, 0 }, { 0, since, 0 }, { form_id, NULL, 0 } };
  return nerr_pass(db_query_args(db, st, 0, sql, "issi", args));
}
