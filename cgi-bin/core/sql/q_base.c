/*
** q_base.c -- see q_base.h.
*/
#include "q_base.h"
#include "q_scope.h"
#include <string.h>

NEOERR *q_kinds_hdf(DB *db, HDF *out, const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT k.id, k.code, k.name, k.builtin, k.active,"
    " (SELECT COUNT(*) FROM base_item b WHERE b.kind_id = k.id AND b.active = 1)"
    " FROM base_kind k ORDER BY k.sort, k.id", "");
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, out, prefix, "id,code,name,builtin,active,items", n));
}

NEOERR *q_kind_get(DB *db, const char *code, BASEKIND *k, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT id, code, name, active, builtin FROM base_kind WHERE code = ?", "s", code);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( !*found ) return STATUS_OK;
  k->id = db_int(st, 0);
  k->code = db_text(st, 1);
  k->name = db_text(st, 2);
  k->active = (int)db_int(st, 3);
  k->builtin = (int)db_int(st, 4);
  db_done(st);
  err = db_query(db, &st,
    "SELECT col, code, label, type, required FROM base_field WHERE kind_id = ? ORDER BY col",
    "i", k->id);
  if( err ) return nerr_pass(err);
  k->nfields = 0;
  while( db_step(st) ){
    if( k->nfields>=BASE_MAXF ) continue;
    BASEFIELD *f = &k->f[k->nfields++];
    f->col = (int)db_int(st, 0);
    f->code = db_text(st, 1);
    f->label = db_text(st, 2);
    f->type = db_text(st, 3);
    f->required = (int)db_int(st, 4);
  }
  return STATUS_OK;
}

NEOERR *q_kind_create(DB *db, const char *code, const char *name, long long *id){
  NEOERR *err = db_exec(db,
    "INSERT INTO base_kind (code, name, sort, builtin, created_at, updated_at)"
    " SELECT ?, ?, COALESCE(MAX(sort), 0) + 10, 0, UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM base_kind",
    "ss", code, name);
  if( err ) return nerr_pass(err);
  *id = (long long)db_last_id(db);
  return STATUS_OK;
}

NEOERR *q_field_add(DB *db, long long kind_id, int col, const char *code, const char *label,
                    const char *type, int required){
  return nerr_pass(db_exec(db,
    "INSERT INTO base_field (kind_id, col, code, label, type, required) VALUES (?,?,?,?,?,?)",
    "iisssi", kind_id, (long long)col, code, label, type, (long long)required));
}

#define ITEM_COLS "b.id, COALESCE(b.org_unit_id, 0), b.code, b.name, o.code, o.path," \
  " b.a1, b.a2, b.a3, b.a4, b.a5, b.a6, b.a7, b.a8, b.active, b.version"

static void item_row(DB_STMT *st, BASEITEM *it){
  it->id = db_int(st, 0);
  it->unit_id = db_int(st, 1);
  it->code = db_text(st, 2);
  it->name = db_text(st, 3);
  it->unit_code = db_text(st, 4);
  it->unit_path = db_text(st, 5);
  for(int i=0; i<BASE_MAXF; i++) it->a[i] = db_text(st, 6 + i);
  it->active = (int)db_int(st, 14);
  it->version = db_int(st, 15);
}

NEOERR *q_items_page(DB *db, const BASEKIND *k, HDF *out, const char *prefix,
                     long long scope_user, unsigned cap, const char *after, int limit, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT b.id, b.code, b.name, o.code, o.name, b.active,"
    " b.a1, b.a2, b.a3, b.a4, b.a5, b.a6, b.a7, b.a8"
    " FROM base_item b LEFT JOIN org_unit o ON o.id = b.org_unit_id"
    " WHERE b.kind_id = ? AND b.code > ?"
    "   AND " Q_SCOPE("o") ""
    " ORDER BY b.code LIMIT ?", "is" Q_SCOPE_FMT "i", k->id, after ? after : "",
    scope_user, scope_user, (long long)cap,
    (long long)limit);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, out, prefix,
    "id,code,name,unit_code,unit_name,active,a1,a2,a3,a4,a5,a6,a7,a8", n));
}

NEOERR *q_item_get(DB *db, long long kind_id, long long id, const char *code, BASEITEM *it, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT " ITEM_COLS " FROM base_item b LEFT JOIN org_unit o ON o.id = b.org_unit_id"
    " WHERE b.kind_id = ? AND (b.id = ? OR b.code = ?)", "iis", kind_id, id, code ? code : "");
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ) item_row(st, it);
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_items_all(DB *db, long long kind_id, BASEITEM **rows, int *n){
  DB_STMT *st;
  long long count;
  int found;
  NEOERR *err = db_one_int(db, &count, &found, "SELECT COUNT(*) FROM base_item WHERE kind_id = ?",
                           "i", kind_id);
  if( err ) return nerr_pass(err);
  BASEITEM *r = arena_alloc(db_arena(db), sizeof(BASEITEM) * (size_t)(count + 1));
  err = db_query(db, &st,
    "SELECT " ITEM_COLS " FROM base_item b LEFT JOIN org_unit o ON o.id = b.org_unit_id"
    " WHERE b.kind_id = ?", "i", kind_id);
  if( err ) return nerr_pass(err);
  int k = 0;
  while( db_step(st) ) if( k<count ) item_row(st, &r[k++]);
  *rows = r;
  *n = k;
  return STATUS_OK;
}

NEOERR *q_item_insert(DB *db, long long kind_id, const BASEITEM *it, long long *id){
  NEOERR *err = db_exec(db,
    "INSERT INTO base_item (kind_id, code, name, org_unit_id, a1, a2, a3, a4, a5, a6, a7, a8,"
    " active, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,UTC_TIMESTAMP(),UTC_TIMESTAMP())",
    "issnssssssssi", kind_id, it->code, it->name, it->unit_id, it->a[0], it->a[1], it->a[2],
    it->a[3], it->a[4], it->a[5], it->a[6], it->a[7], (long long)it->active);
  if( err ) return nerr_pass(err);
  *id = (long long)db_last_id(db);
  return STATUS_OK;
}

NEOERR *q_item_update(DB *db, const BASEITEM *it, int *ok){
  NEOERR *err = db_exec(db,
    "UPDATE base_item SET code = ?, name = ?, org_unit_id = ?, a1 = ?, a2 = ?, a3 = ?, a4 = ?,"
    " a5 = ?, a6 = ?, a7 = ?, a8 = ?, active = ?, updated_at = UTC_TIMESTAMP(),"
    " version = version + 1 WHERE id = ? AND version = ?",
    "ssnssssssssiii", it->code, it->name, it->unit_id, it->a[0], it->a[1], it->a[2], it->a[3],
    it->a[4], it->a[5], it->a[6], it->a[7], (long long)it->active, it->id, it->version);
  if( err ) return nerr_pass(err);
  *ok = db_affected(db)==1;
  return STATUS_OK;
}
