/*
** q_sec.c -- see q_sec.h.
*/
#include "q_sec.h"
#include <string.h>

NEOERR *q_sec_privileged(DB *db, long long user_id, int *priv){
  long long n;
  int found;
  NEOERR *err = db_one_int(db, &n, &found,
    "SELECT (u.ever_auditor OR u.ever_officer OR EXISTS(SELECT 1 FROM user_role ur JOIN role r ON r.id = ur.role_id"
    " WHERE ur.user_id = u.id AND r.code IN ('auditor', 'secofficer')) OR EXISTS(SELECT 1 FROM pending_grant pg"
    " JOIN role r ON r.id = pg.role_id WHERE pg.user_id = u.id AND r.code IN ('auditor', 'secofficer')))"
    " FROM app_user u WHERE u.id = ?", "i", user_id);
  if( err ) return nerr_pass(err);
  *priv = found && n;
  return STATUS_OK;
}

NEOERR *q_sec_privileged_logins(DB *db, const char ***logins, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT u.login FROM app_user u WHERE u.ever_auditor = 1 OR u.ever_officer = 1 OR EXISTS(SELECT 1 FROM user_role ur"
    " JOIN role r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.code IN ('auditor', 'secofficer'))"
    " OR EXISTS(SELECT 1 FROM pending_grant pg JOIN role r ON r.id = pg.role_id WHERE pg.user_id = u.id"
    " AND r.code IN ('auditor', 'secofficer'))", "");
  if( err ) return nerr_pass(err);
  int cap = 16;
  *logins = arena_alloc(db_arena(db), sizeof(char*) * (size_t)cap);
  *n = 0;
  while( db_step(st) ){
    if( *n==cap ){
      const char **m = arena_alloc(db_arena(db), sizeof(char*) * (size_t)cap * 2);
      memcpy(m, *logins, sizeof(char*) * (size_t)cap);
      *logins = m;
      cap *= 2;
    }
    (*logins)[(*n)++] = db_text(st, 0);
  }
  return STATUS_OK;
}

NEOERR *q_sec_mark(DB *db, long long user_id, const char *role_code){
  if( strcmp(role_code, "auditor")==0 )
    return nerr_pass(db_exec(db, "UPDATE app_user SET ever_auditor = 1 WHERE id = ?", "i", user_id));
  if( strcmp(role_code, "secofficer")==0 )
    return nerr_pass(db_exec(db, "UPDATE app_user SET ever_officer = 1 WHERE id = ?", "i", user_id));
  return STATUS_OK;
}

NEOERR *q_sec_accounts_hdf(DB *db, HDF *hdf, const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT u.id, u.login, u.name, o.name, u.active, u.pw_hash IS NOT NULL,"
    " (u.activation_hash IS NOT NULL AND u.activation_expires > UTC_TIMESTAMP()),"
    " COALESCE((SELECT GROUP_CONCAT(r.code ORDER BY r.sort SEPARATOR ',') FROM user_role ur JOIN role r ON r.id = ur.role_id"
    "   WHERE ur.user_id = u.id), ''), u.ever_auditor, u.ever_officer"
    " FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id"
    " WHERE u.ever_auditor = 1 OR u.ever_officer = 1 OR EXISTS(SELECT 1 FROM user_role ur JOIN role r ON r.id = ur.role_id"
    "   WHERE ur.user_id = u.id AND r.code IN ('auditor', 'secofficer'))"
    " ORDER BY u.login", "");
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, hdf, prefix,
    "id,login,name,unit,active,has_password,pending,roles,ever_auditor,ever_officer", n));
}

NEOERR *q_sec_grants_hdf(DB *db, long long user_id, HDF *hdf, const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT ur.id, r.code FROM user_role ur JOIN role r ON r.id = ur.role_id"
    " WHERE ur.user_id = ? AND r.code IN ('auditor', 'secofficer') ORDER BY r.sort", "i", user_id);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, hdf, prefix, "id,role", n));
}

NEOERR *q_sec_pending_hdf(DB *db, HDF *hdf, const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT pg.id, u.login, u.name, o.name, r.code, u.pw_hash IS NOT NULL AND (u.activation_hash IS NULL"
    " OR u.activation_expires <= UTC_TIMESTAMP()), COALESCE(c.login, 'system'), pg.confirmed_by IS NOT NULL OR pg.created_by = 0"
    " FROM pending_grant pg JOIN app_user u ON u.id = pg.user_id JOIN org_unit o ON o.id = pg.org_unit_id"
    " JOIN role r ON r.id = pg.role_id LEFT JOIN app_user c ON c.id = pg.created_by"
    " WHERE r.code IN ('auditor', 'secofficer') ORDER BY pg.id", "");
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, hdf, prefix, "id,login,name,unit,role,activated,by,confirmed", n));
}

NEOERR *q_sec_pending_get(DB *db, long long id, long long *user_id, long long *role_id, long long *unit_id,
                          const char **role, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, "SELECT pg.user_id, pg.role_id, pg.org_unit_id, r.code FROM pending_grant pg"
                         " JOIN role r ON r.id = pg.role_id WHERE pg.id = ?", "i", id);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ){ *user_id = db_int(st, 0); *role_id = db_int(st, 1); *unit_id = db_int(st, 2); *role = db_text(st, 3); }
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_sec_pending_confirm(DB *db, long long id, long long officer){
  return nerr_pass(db_exec(db, "UPDATE pending_grant SET confirmed_by = ? WHERE id = ?", "ii", officer, id));
}

NEOERR *q_sec_pending_drop(DB *db, long long id){
  return nerr_pass(db_exec(db, "DELETE FROM pending_grant WHERE id = ?", "i", id));
}
