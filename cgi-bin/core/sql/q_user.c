/*
** q_user.c -- see q_user.h.
*/
#include "q_user.h"
#include "err.h"
#include <string.h>

static void account_row(DB_STMT *st, ACCOUNT *o){
  o->id = db_int(st, 0);
  o->login = db_text(st, 1);
  o->name = db_text(st, 2);
  o->pw_hash = db_text(st, 3);
  o->active = (int)db_int(st, 4);
  o->must_change = (int)db_int(st, 5);
  o->pw_age_days = db_text(st, 6) ? db_int(st, 6) : -1;
}

#define ACCOUNT_COLS "id, login, name, pw_hash, active, must_change," \
  " TIMESTAMPDIFF(DAY, pw_changed_at, UTC_TIMESTAMP())"

NEOERR *q_user_by_login(DB *db, ARENA *a, const char *login, ACCOUNT *out, int *found){
  DB_STMT *st;
  (void)a;
  NEOERR *err = db_query(db, &st, "SELECT " ACCOUNT_COLS " FROM app_user WHERE login = ?",
                         "s", login);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ) account_row(st, out);
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_user_by_id(DB *db, ARENA *a, long long id, ACCOUNT *out, int *found){
  DB_STMT *st;
  (void)a;
  NEOERR *err = db_query(db, &st, "SELECT " ACCOUNT_COLS " FROM app_user WHERE id = ?",
                         "i", id);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ) account_row(st, out);
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_user_count(DB *db, long long *n){
  int found;
  return nerr_pass(db_one_int(db, n, &found, "SELECT COUNT(*) FROM app_user", ""));
}

NEOERR *q_user_logged_in(DB *db, long long id){
  return nerr_pass(db_exec(db,
    "UPDATE app_user SET last_login_at = UTC_TIMESTAMP() WHERE id = ?", "i", id));
}

NEOERR *q_user_set_password(DB *db, long long id, const char *hash, int must_change){
  return nerr_pass(db_exec(db,
    "UPDATE app_user SET pw_hash = ?, must_change = ?, pw_changed_at = UTC_TIMESTAMP(),"
    " activation_hash = NULL, activation_expires = NULL, updated_at = UTC_TIMESTAMP(),"
    " version = version + 1 WHERE id = ?", "sii", hash, (long long)must_change, id));
}

NEOERR *q_user_insert(DB *db, const char *login, const char *name, long long unit_id,
                      const char *pw_hash, int must_change, long long *id){
  NEOERR *err = db_exec(db,
    "INSERT INTO app_user (login, name, org_unit_id, pw_hash, must_change, pw_changed_at,"
    " created_at, updated_at) VALUES (?,?,?,?,?,UTC_TIMESTAMP(),UTC_TIMESTAMP(),UTC_TIMESTAMP())",
    "ssisi", login, name, unit_id, pw_hash, (long long)must_change);
  if( err ) return nerr_pass(err);
  *id = (long long)db_last_id(db);
  return STATUS_OK;
}

NEOERR *q_user_grants(DB *db, ARENA *a, long long user_id, GRANT **out, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT r.caps, ur.org_unit_id, o.path, ur.scope FROM user_role ur"
    " JOIN role r ON r.id = ur.role_id JOIN org_unit o ON o.id = ur.org_unit_id"
    " WHERE ur.user_id = ? ORDER BY r.sort, ur.id LIMIT 64", "i", user_id);
  if( err ) return nerr_pass(err);
  GRANT *g = arena_alloc(a, sizeof(GRANT) * 64);
  int k = 0;
  while( db_step(st) ){
    g[k].caps = (unsigned)db_int(st, 0);
    g[k].unit_id = db_int(st, 1);
    g[k].unit_path = db_text(st, 2);
    g[k].scope = auth_scope_parse(db_text(st, 3));
    k++;
  }
  *out = g;
  *n = k;
  return STATUS_OK;
}

NEOERR *q_grant_insert(DB *db, long long user_id, const char *role_code,
                       long long unit_id, const char *scope){
  NEOERR *err = db_exec(db,
    "INSERT INTO user_role (user_id, role_id, org_unit_id, scope)"
    " SELECT ?, id, ?, ? FROM role WHERE code = ?", "iiss", user_id, unit_id, scope, role_code);
  if( err ) return nerr_pass(err);
  if( db_affected(db)!=1 ) return nerr_raise(ERR_INPUT, "unknown_role");
  return STATUS_OK;
}

NEOERR *q_unit_insert(DB *db, long long parent_id, const char *code, const char *name,
                      const char *kind, int sort, long long *id){
  NEOERR *err = db_exec(db,
    "INSERT INTO org_unit (parent_id, code, name, kind, sort, created_at, updated_at)"
    " VALUES (?,?,?,?,?,UTC_TIMESTAMP(),UTC_TIMESTAMP())",
    "nsssi", parent_id, code, name, kind, (long long)sort);
  if( err ) return nerr_pass(err);
  *id = (long long)db_last_id(db);
  /* materialised path: the parent's path plus our id */
  return nerr_pass(db_exec(db,
    "UPDATE org_unit u LEFT JOIN org_unit p ON p.id = u.parent_id"
    " SET u.path = CONCAT(COALESCE(p.path, '/'), u.id, '/') WHERE u.id = ?", "i", *id));
}

NEOERR *q_unit_id_by_code(DB *db, const char *code, long long *id, int *found){
  return nerr_pass(db_one_int(db, id, found, "SELECT id FROM org_unit WHERE code = ?", "s", code));
}

NEOERR *q_lock_get(DB *db, const char *key, long long *failures, long long *locked_secs){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT failures, GREATEST(0, COALESCE(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), locked_until), 0))"
    " FROM login_lock WHERE lock_key = ?", "s", key);
  if( err ) return nerr_pass(err);
  *failures = *locked_secs = 0;
  if( db_step(st) ){
    *failures = db_int(st, 0);
    *locked_secs = db_int(st, 1);
  }
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_lock_fail(DB *db, const char *key, long max, long lock_minutes, int *locked_now){
  NEOERR *err;
  long long failures, locked;
  *locked_now = 0;
  err = db_exec(db,
    "INSERT INTO login_lock (lock_key, failures, updated_at) VALUES (?, 0, UTC_TIMESTAMP())"
    " ON DUPLICATE KEY UPDATE lock_key = lock_key", "s", key);
  if( err ) return nerr_pass(err);
  DB_STMT *st;
  /* failures count within the lock window: older ones are forgotten */
  err = db_query(db, &st,
    "SELECT failures, COALESCE(locked_until > UTC_TIMESTAMP(), 0),"
    " updated_at < UTC_TIMESTAMP() - INTERVAL ? MINUTE FROM login_lock"
    " WHERE lock_key = ? FOR UPDATE", "is", (long long)lock_minutes, key);
  if( err ) return nerr_pass(err);
  failures = locked = 0;
  if( db_step(st) ){ failures = db_int(st, 2) ? 0 : db_int(st, 0); locked = db_int(st, 1); }
  db_done(st);
  if( locked ) return STATUS_OK;
  failures++;
  if( failures>=max ){
    *locked_now = 1;
    return nerr_pass(db_exec(db,
      "UPDATE login_lock SET failures = 0, refused = 0, updated_at = UTC_TIMESTAMP(),"
      " locked_until = UTC_TIMESTAMP() + INTERVAL ? MINUTE WHERE lock_key = ?",
      "is", (long long)lock_minutes, key));
  }
  return nerr_pass(db_exec(db,
    "UPDATE login_lock SET failures = ?, updated_at = UTC_TIMESTAMP() WHERE lock_key = ?",
    "is", failures, key));
}

NEOERR *q_lock_refused(DB *db, const char *key, long long *n){
  int found;
  NEOERR *err = db_exec(db, "UPDATE login_lock SET refused = refused + 1 WHERE lock_key = ?", "s", key);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_one_int(db, n, &found, "SELECT refused FROM login_lock WHERE lock_key = ?", "s", key));
}

NEOERR *q_lock_clear(DB *db, const char *key){
  return nerr_pass(db_exec(db, "DELETE FROM login_lock WHERE lock_key = ?", "s", key));
}
