/*
** q_sess.c -- see q_sess.h.
*/
#include "q_sess.h"
#include "str.h"

NEOERR *q_sess_insert(DB *db, const unsigned char hash[32], long long user_id,
                      const char *csrf, const char *ip, const char *ua, long long *id){
  NEOERR *err = db_exec(db,
    "INSERT INTO session (token_hash, user_id, csrf, created_at, last_seen_at, ip, ua)"
    " VALUES (?,?,?,UTC_TIMESTAMP(),UTC_TIMESTAMP(),?,?)",
    "bisss", hash, (size_t)32, user_id, csrf, ip, utf8_sanitize(db_arena(db), ua, 255));
  if( err ) return nerr_pass(err);
  *id = (long long)db_last_id(db);
  return STATUS_OK;
}

NEOERR *q_sess_find(DB *db, ARENA *a, const unsigned char hash[32], USER *u,
                    long long *age, long long *idle, int *found){
  DB_STMT *st;
  (void)a;
  NEOERR *err = db_query(db, &st,
    "SELECT s.id, s.csrf, TIMESTAMPDIFF(SECOND, s.created_at, UTC_TIMESTAMP()),"
    " TIMESTAMPDIFF(SECOND, s.last_seen_at, UTC_TIMESTAMP()),"
    " u.id, u.login, u.name, u.must_change, TIMESTAMPDIFF(DAY, u.pw_changed_at, UTC_TIMESTAMP()),"
    " o.id, o.code, o.name, o.path"
    " FROM session s JOIN app_user u ON u.id = s.user_id JOIN org_unit o ON o.id = u.org_unit_id"
    " WHERE s.token_hash = ? AND u.active = 1", "b", hash, (size_t)32);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ){
    u->sess_id = db_int(st, 0);
    u->csrf = db_text(st, 1);
    *age = db_int(st, 2);
    *idle = db_int(st, 3);
    u->id = db_int(st, 4);
    u->login = db_text(st, 5);
    u->name = db_text(st, 6);
    u->must_change = (int)db_int(st, 7);
    u->pw_expired = db_text(st, 8) ? (int)db_int(st, 8) : -1;   /* age in days; sess.c decides */
    u->unit_id = db_int(st, 9);
    u->unit_code = db_text(st, 10);
    u->unit_name = db_text(st, 11);
    u->unit_path = db_text(st, 12);
  }
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_sess_touch(DB *db, long long id){
  return nerr_pass(db_exec(db, "UPDATE session SET last_seen_at = UTC_TIMESTAMP() WHERE id = ?",
                           "i", id));
}

NEOERR *q_sess_delete(DB *db, long long id){
  return nerr_pass(db_exec(db, "DELETE FROM session WHERE id = ?", "i", id));
}

NEOERR *q_sess_delete_others(DB *db, long long user_id, long long keep_id){
  return nerr_pass(db_exec(db, "DELETE FROM session WHERE user_id = ? AND id <> ?",
                           "ii", user_id, keep_id));
}

NEOERR *q_sess_purge(DB *db, long idle_secs, long abs_secs){
  return nerr_pass(db_exec(db,
    "DELETE FROM session WHERE last_seen_at < UTC_TIMESTAMP() - INTERVAL ? SECOND"
    " OR created_at < UTC_TIMESTAMP() - INTERVAL ? SECOND LIMIT 500",
    "ii", (long long)idle_secs, (long long)abs_secs));
}
