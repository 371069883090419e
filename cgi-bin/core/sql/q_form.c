/*
** q_form.c -- see q_form.h.
*/
#include "q_form.h"
#include "q_scope.h"
#include <string.h>

#define FORM_COLS "id, code, name, name_en, period, units, unit_kinds, file, source_hash," \
  " applied_at, version, active, opens_min, cutoff_min, closes_min, created_at"

static void form_row(DB_STMT *st, QFORM *f){
  f->id = db_int(st, 0);
  f->code = db_text(st, 1);
  f->name = db_text(st, 2);
  f->name_en = db_text(st, 3);
  f->period = db_text(st, 4);
  f->units = db_text(st, 5);
  f->unit_kinds = db_text(st, 6);
  f->file = db_text(st, 7);
  f->hash = db_text(st, 8);
  f->applied_at = db_text(st, 9);
  f->version = (int)db_int(st, 10);
  f->active = (int)db_int(st, 11);
  f->opens = (long)db_int(st, 12);
  f->cutoff = (long)db_int(st, 13);
  f->closes = (long)db_int(st, 14);
  f->created_at = db_text(st, 15);
}

NEOERR *q_form_get(DB *db, const char *code, int want_source, QFORM *f, const char **source, int *found){
  DB_STMT *st;
  NEOERR *err = want_source
    ? db_query(db, &st, "SELECT " FORM_COLS ", source FROM form WHERE code = ?", "s", code)
    : db_query(db, &st, "SELECT " FORM_COLS " FROM form WHERE code = ?", "s", code);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( !*found ) return STATUS_OK;
  form_row(st, f);
  if( source ) *source = want_source ? db_text(st, 16) : NULL;
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_form_look(DB *db, const char *code, long long unit_id, long long user, unsigned caps,
                    const char *period_key, QFORM *f, int *found, QUNIT *u, int *ufound, long long *other){
  DB_STMT *st;
  *found = *ufound = 0;
  *other = 0;
  NEOERR *err = db_query(db, &st,
    "SELECT f.id, f.code, f.name, f.name_en, f.period, f.units, f.unit_kinds, f.file, f.source_hash,"
    " f.applied_at, f.version, f.active, f.opens_min, f.cutoff_min, f.closes_min, f.created_at,"
    " o.id, o.code, o.name, o.kind, o.path, o.active, " Q_SCOPE("o") ","
    " (SELECT e.id FROM entry e WHERE e.form_id = f.id AND e.org_unit_id = o.id AND e.period_key = ?"
    "  AND e.cur = 1)"
    " FROM form f LEFT JOIN org_unit o ON o.id = ? WHERE f.code = ?",
    Q_SCOPE_FMT "sis", user, user, (long long)caps, period_key, unit_id, code);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( !*found ) return STATUS_OK;
  form_row(st, f);
  if( db_text(st, 16) ){
    *ufound = 1;
    u->id = db_int(st, 16);
    u->code = db_text(st, 17);
    u->name = db_text(st, 18);
    u->kind = db_text(st, 19);
    u->path = db_text(st, 20);
    u->active = (int)db_int(st, 21);
    u->in_scope = (int)db_int(st, 22);
    *other = db_int(st, 23);
  }
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_form_by_id(DB *db, long long id, QFORM *f, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, "SELECT " FORM_COLS " FROM form WHERE id = ?", "i", id);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ) form_row(st, f);
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_forms(DB *db, QFORM **out, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, "SELECT " FORM_COLS " FROM form ORDER BY active DESC, code", "");
  if( err ) return nerr_pass(err);
  int cap = 16;
  QFORM *v = arena_alloc(db_arena(db), sizeof(QFORM) * (size_t)cap);
  *n = 0;
  while( db_step(st) ){
    if( *n==cap ){
      QFORM *w = arena_alloc(db_arena(db), sizeof(QFORM) * (size_t)cap * 2);
      memcpy(w, v, sizeof(QFORM) * (size_t)cap);
      v = w;
      cap *= 2;
    }
    form_row(st, &v[(*n)++]);
  }
  *out = v;
  return STATUS_OK;
}

NEOERR *q_form_fields(DB *db, long long form_id, QFIELD **out, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT code, part, type, label, prec, scale, active, sort, added_version,"
    " COALESCE(removed_version, 0) FROM form_field WHERE form_id = ? ORDER BY part, sort, id", "i", form_id);
  if( err ) return nerr_pass(err);
  int cap = 32;
  QFIELD *v = arena_alloc(db_arena(db), sizeof(QFIELD) * (size_t)cap);
  *n = 0;
  while( db_step(st) ){
    if( *n==cap ){
      QFIELD *w = arena_alloc(db_arena(db), sizeof(QFIELD) * (size_t)cap * 2);
      memcpy(w, v, sizeof(QFIELD) * (size_t)cap);
      v = w;
      cap *= 2;
    }
    QFIELD *x = &v[(*n)++];
    x->code = db_text(st, 0);
    x->part = db_text(st, 1);
    x->type = db_text(st, 2);
    x->label = db_text(st, 3);
    x->prec = (int)db_int(st, 4);
    x->scale = (int)db_int(st, 5);
    x->active = (int)db_int(st, 6);
    x->sort = (int)db_int(st, 7);
    x->added = (int)db_int(st, 8);
    x->removed = (int)db_int(st, 9);
  }
  *out = v;
  return STATUS_OK;
}

NEOERR *q_form_versions_hdf(DB *db, long long form_id, HDF *out, const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT version, source_hash, added, removed, applied_at FROM form_version"
    " WHERE form_id = ? ORDER BY version DESC", "i", form_id);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, out, prefix, "version,hash,added,removed,applied_at", n));
}

NEOERR *q_form_live_since(DB *db, const char *utc){
  return nerr_pass(db_exec(db, "UPDATE form SET created_at = ? WHERE created_at > ?", "ss", utc, utc));
}

NEOERR *q_form_put(DB *db, const QFORM *f, const char *source, long long *id){
  NEOERR *err = db_exec(db,
    "INSERT INTO form (code, name, name_en, version, period, units, unit_kinds, opens_min, cutoff_min,"
    " closes_min, active, file, source, source_hash, applied_at, created_at)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,UTC_TIMESTAMP(),UTC_TIMESTAMP())"
    " ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id), name = VALUES(name), name_en = VALUES(name_en),"
    " version = VALUES(version), period = VALUES(period), units = VALUES(units),"
    " unit_kinds = VALUES(unit_kinds), opens_min = VALUES(opens_min), cutoff_min = VALUES(cutoff_min),"
    " closes_min = VALUES(closes_min), active = VALUES(active), file = VALUES(file),"
    " source = VALUES(source), source_hash = VALUES(source_hash), applied_at = VALUES(applied_at)",
    "sssisssiiiisss", f->code, f->name, f->name_en, (long long)f->version, f->period, f->units,
    f->unit_kinds, (long long)f->opens, (long long)f->cutoff, (long long)f->closes, (long long)f->active,
    f->file, source, f->hash);
  if( err ) return nerr_pass(err);
  *id = (long long)db_last_id(db);
  return STATUS_OK;
}

NEOERR *q_form_field_put(DB *db, long long form_id, const QFIELD *x, int version){
  return nerr_pass(db_exec(db,
    "INSERT INTO form_field (form_id, code, part, type, prec, scale, label, sort, active, added_version)"
    " VALUES (?,?,?,?,?,?,?,?,1,?)"
    " ON DUPLICATE KEY UPDATE label = VALUES(label), sort = VALUES(sort), type = VALUES(type),"
    " active = 1, removed_version = NULL",
    "isssiisii", form_id, x->code, x->part, x->type, (long long)x->prec, (long long)x->scale, x->label,
    (long long)x->sort, (long long)version));
}

NEOERR *q_form_field_retire(DB *db, long long form_id, const char *code, int version){
  return nerr_pass(db_exec(db,
    "UPDATE form_field SET active = 0, removed_version = ? WHERE form_id = ? AND code = ? AND active = 1",
    "iis", (long long)version, form_id, code));
}

NEOERR *q_form_version_add(DB *db, long long form_id, int version, const char *hash, const char *source,
                           const char *added, const char *removed){
  return nerr_pass(db_exec(db,
    "INSERT INTO form_version (form_id, version, source_hash, source, added, removed, applied_at)"
    " VALUES (?,?,?,?,?,?,UTC_TIMESTAMP())"
    " ON DUPLICATE KEY UPDATE source_hash = VALUES(source_hash), source = VALUES(source),"
    " added = VALUES(added), removed = VALUES(removed), applied_at = VALUES(applied_at)",
    "iissss", form_id, (long long)version, hash, source, added, removed));
}
