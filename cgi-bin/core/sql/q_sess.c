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
  long long key[Q_SESS_MAX_GRANTS][2];
  /* one round trip on every request that has a session: the session, its
  ** user and unit, and one row per grant (a single row of NULL grant
  ** columns for a user without any).  The join order is fixed (each step
  ** is a unique key) and the grants are sorted here, not by the server:
  ** the optimiser and the sort's temporary table were most of MariaDB's
  ** time for this statement, which every page runs (docs/BENCHMARKS.md) */
  NEOERR *err = db_query(db, &st,
    "SELECT STRAIGHT_JOIN s.id, s.csrf, TIMESTAMPDIFF(SECOND, s.created_at, UTC_TIMESTAMP()),"
    " TIMESTAMPDIFF(SECOND, s.last_seen_at, UTC_TIMESTAMP()),"
    " u.id, u.login, u.name, u.must_change, TIMESTAMPDIFF(DAY, u.pw_changed_at, UTC_TIMESTAMP()),"
    " o.id, o.code, o.name, o.path,"
    " r.caps, ur.org_unit_id, g.path, ur.scope, r.sort, ur.id"
    " FROM session s JOIN app_user u ON u.id = s.user_id JOIN org_unit o ON o.id = u.org_unit_id"
    " LEFT JOIN (user_role ur JOIN role r ON r.id = ur.role_id"
    "   JOIN org_unit g ON g.id = ur.org_unit_id) ON ur.user_id = u.id"
    " WHERE s.token_hash = ? AND u.active = 1", "b", hash, (size_t)32);
  if( err ) return nerr_pass(err);
  *found = 0;
  u->grants = NULL;
  u->ngrants = 0;
  while( db_step(st) ){
    if( !*found ){
      *found = 1;
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
      u->grants = arena_alloc(a, sizeof(GRANT) * Q_SESS_MAX_GRANTS);
    }
    if( db_text(st, 13)==NULL ) continue;          /* no grant at all */
    /* the first Q_SESS_MAX_GRANTS in the order of q_user_grants (role
    ** sort, grant id), by insertion: a user has a handful of grants */
    long long sort = db_int(st, 17), id = db_int(st, 18);
    if( u->ngrants==Q_SESS_MAX_GRANTS ){
      long long *last = key[Q_SESS_MAX_GRANTS - 1];
      if( last[0]<sort || (last[0]==sort && last[1]<id) ) continue;
      u->ngrants--;
    }
    int k = u->ngrants++;
    while( k>0 && (key[k-1][0]>sort || (key[k-1][0]==sort && key[k-1][1]>id)) ){
      u->grants[k] = u->grants[k-1];
      key[k][0] = key[k-1][0];
      key[k][1] = key[k-1][1];
      k--;
    }
    key[k][0] = sort;
    key[k][1] = id;
    GRANT *g = &u->grants[k];
    g->caps = (unsigned)db_int(st, 13);
    g->unit_id = db_int(st, 14);
    g->unit_path = db_text(st, 15);
    g->scope = auth_scope_parse(db_text(st, 16));
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
