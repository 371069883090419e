/*
** q_imp.c -- see q_imp.h.
*/
#include "q_imp.h"
#include <string.h>

NEOERR *q_mapping_get(DB *db, const char *kind, const char *header_key, const char **mapping){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT mapping FROM import_mapping WHERE kind = ? AND header_key = ?", "ss", kind, header_key);
  if( err ) return nerr_pass(err);
  *mapping = db_step(st) ? db_text(st, 0) : NULL;
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_mapping_put(DB *db, const char *kind, const char *header_key, const char *header,
                      const char *mapping, long long user_id){
  return nerr_pass(db_exec(db,
    "INSERT INTO import_mapping (kind, header_key, header, mapping, updated_by, updated_at)"
    " VALUES (?,?,?,?,?,UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE header = VALUES(header),"
    " mapping = VALUES(mapping), updated_by = VALUES(updated_by), updated_at = VALUES(updated_at)",
    "ssssi", kind, header_key, header, mapping, user_id));
}

NEOERR *q_role_words(DB *db, const char ***words, const char ***roles, int *n){
  DB_STMT *st;
  long long count;
  int found;
  NEOERR *err = db_one_int(db, &count, &found, "SELECT COUNT(*) FROM import_role_word", "");
  if( err ) return nerr_pass(err);
  ARENA *a = db_arena(db);
  *words = arena_alloc(a, sizeof(char*) * (size_t)(count + 1));
  *roles = arena_alloc(a, sizeof(char*) * (size_t)(count + 1));
  if( (err = db_query(db, &st, "SELECT word, role FROM import_role_word ORDER BY word", "")) )
    return nerr_pass(err);
  int k = 0;
  while( db_step(st) ){
    if( k>=count ) continue;
    (*words)[k] = db_text(st, 0);
    (*roles)[k++] = db_text(st, 1);
  }
  *n = k;
  return STATUS_OK;
}

NEOERR *q_role_word_put(DB *db, const char *word, const char *role, long long user_id){
  return nerr_pass(db_exec(db,
    "INSERT INTO import_role_word (word, role, updated_by, updated_at) VALUES (?,?,?,UTC_TIMESTAMP())"
    " ON DUPLICATE KEY UPDATE role = VALUES(role), updated_by = VALUES(updated_by),"
    " updated_at = VALUES(updated_at)", "ssi", word, role, user_id));
}

NEOERR *q_upload_insert(DB *db, const char *kind, const char *filename, const char *content,
                        size_t len, long long user_id, long long *id){
  /* an admin works on a few files at a time: keep the last five, a day at most */
  NEOERR *err = db_exec(db,
    "DELETE FROM import_upload WHERE created_at < UTC_TIMESTAMP() - INTERVAL 1 DAY"
    " OR (user_id = ? AND id <= (SELECT m FROM (SELECT COALESCE(MAX(id), 0) - 5 m"
    "   FROM import_upload WHERE user_id = ?) x))", "ii", user_id, user_id);
  if( err ) return nerr_pass(err);
  err = db_exec(db,
    "INSERT INTO import_upload (kind, filename, content, user_id, created_at)"
    " VALUES (?,?,?,?,UTC_TIMESTAMP())", "ssbi", kind, filename, content, len, user_id);
  if( err ) return nerr_pass(err);
  *id = (long long)db_last_id(db);
  return STATUS_OK;
}

NEOERR *q_upload_get(DB *db, long long id, long long user_id, const char **kind,
                     const char **filename, const char **content, size_t *len, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT kind, filename, content FROM import_upload WHERE id = ? AND user_id = ?"
    " AND created_at > UTC_TIMESTAMP() - INTERVAL 1 DAY", "ii", id, user_id);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ){
    *kind = db_text(st, 0);
    *filename = db_text(st, 1);
    *content = db_text(st, 2);
    *len = db_len(st, 2);
  }
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_upload_delete(DB *db, long long id){
  return nerr_pass(db_exec(db, "DELETE FROM import_upload WHERE id = ?", "i", id));
}

NEOERR *q_batch_options_set(DB *db, long long batch_id, const char *options){
  return nerr_pass(db_exec(db, "UPDATE import_batch SET options = ? WHERE id = ?", "si", options, batch_id));
}

NEOERR *q_batch_options(DB *db, long long batch_id, const char **options){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, "SELECT options FROM import_batch WHERE id = ?", "i", batch_id);
  if( err ) return nerr_pass(err);
  *options = db_step(st) ? db_text(st, 0) : NULL;
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_grants_all(DB *db, GRANTROW **rows, int *n){
  DB_STMT *st;
  long long count;
  int found;
  NEOERR *err = db_one_int(db, &count, &found, "SELECT COUNT(*) FROM user_role", "");
  if( err ) return nerr_pass(err);
  GRANTROW *r = arena_alloc(db_arena(db), sizeof(GRANTROW) * (size_t)(count + 1));
  err = db_query(db, &st,
    "SELECT ur.user_id, r.code, o.code, o.name, ur.scope FROM user_role ur"
    " JOIN role r ON r.id = ur.role_id JOIN org_unit o ON o.id = ur.org_unit_id"
    " ORDER BY ur.user_id, r.sort, o.code", "");
  if( err ) return nerr_pass(err);
  int k = 0;
  while( db_step(st) ){
    if( k>=count ) continue;
    r[k].user_id = db_int(st, 0);
    r[k].role = db_text(st, 1);
    r[k].unit_code = db_text(st, 2);
    r[k].unit_name = db_text(st, 3);
    r[k].scope = db_text(st, 4);
    k++;
  }
  *rows = r;
  *n = k;
  return STATUS_OK;
}

NEOERR *q_pending_add(DB *db, long long user_id, long long role_id, long long unit_id,
                      const char *scope, long long created_by){
  return nerr_pass(db_exec(db,
    "INSERT INTO pending_grant (user_id, role_id, org_unit_id, scope, created_by, created_at)"
    " VALUES (?,?,?,?,?,UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE scope = VALUES(scope)",
    "iiisi", user_id, role_id, unit_id, scope, created_by));
}

NEOERR *q_pending_hdf(DB *db, long long user_id, HDF *out, const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT r.name_zh, r.name_en, o.code, o.name, p.scope FROM pending_grant p"
    " JOIN role r ON r.id = p.role_id JOIN org_unit o ON o.id = p.org_unit_id"
    " WHERE p.user_id = ? ORDER BY r.sort", "i", user_id);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, out, prefix, "role_zh,role_en,unit_code,unit_name,scope", n));
}

NEOERR *q_pending_count(DB *db, long long user_id, long long *n){
  int found;
  return nerr_pass(db_one_int(db, n, &found,
    "SELECT COUNT(*) FROM pending_grant WHERE user_id = ?", "i", user_id));
}

NEOERR *q_pending_apply(DB *db, long long user_id, long long *n){
  NEOERR *err = db_exec(db,
    "INSERT IGNORE INTO user_role (user_id, role_id, org_unit_id, scope)"
    " SELECT user_id, role_id, org_unit_id, scope FROM pending_grant"
    " WHERE user_id = ? AND (created_by = 0 OR confirmed_by IS NOT NULL)", "i", user_id);
  if( err ) return nerr_pass(err);
  *n = (long long)db_affected(db);
  /* 三员分立 (sec.h): what an administrator's import proposed waits for the
  ** security officer too; an auditor for good, once granted */
  if( (err = db_exec(db, "DELETE FROM pending_grant WHERE user_id = ? AND (created_by = 0 OR confirmed_by IS NOT NULL)",
                     "i", user_id)) ) return nerr_pass(err);
  return nerr_pass(db_exec(db, "UPDATE app_user SET ever_auditor = 1 WHERE id = ? AND EXISTS(SELECT 1 FROM user_role ur"
                           " JOIN role r ON r.id = ur.role_id WHERE ur.user_id = app_user.id AND r.code = 'auditor')", "i", user_id));
}

NEOERR *q_activation_revoke(DB *db, long long user_id){
  NEOERR *err = db_exec(db,
    "UPDATE app_user SET activation_hash = NULL, activation_expires = NULL,"
    " updated_at = UTC_TIMESTAMP(), version = version + 1 WHERE id = ?", "i", user_id);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_exec(db, "DELETE FROM activation_sheet WHERE user_id = ?", "i", user_id));
}
