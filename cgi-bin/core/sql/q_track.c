/*
** q_track.c -- see q_track.h.
*/
#include "q_track.h"
#include "q_scope.h"
#include <string.h>

/* grow an arena array of `type` by doubling (v, n, cap in scope) */
#define GROW(type) do{ if( n_==cap_ ){ type *w_ = arena_alloc(a_, sizeof(type) * (size_t)cap_ * 2); \
    memcpy(w_, v_, sizeof(type) * (size_t)cap_); v_ = w_; cap_ *= 2; } }while(0)

NEOERR *q_track_units(DB *db, long long user, unsigned caps, const char *under, QTUNIT **out, int *n){
  DB_STMT *st;
  ARENA *a_ = db_arena(db);
  NEOERR *err = db_query(db, &st,
    "SELECT o.id, COALESCE(o.parent_id, 0), o.code, o.name, o.kind, o.path, o.sort FROM org_unit o"
    " WHERE o.active = 1 AND (? = '' OR o.path LIKE CONCAT(?, '%')) AND " Q_SCOPE("o"),
    "ss" Q_SCOPE_FMT, under ? under : "", under ? under : "", user, user, (long long)caps);
  if( err ) return nerr_pass(err);
  int cap_ = 64, n_ = 0;
  QTUNIT *v_ = arena_alloc(a_, sizeof(QTUNIT) * (size_t)cap_);
  while( db_step(st) ){
    GROW(QTUNIT);
    QTUNIT *u = &v_[n_++];
    u->id = db_int(st, 0);
    u->parent_id = db_int(st, 1);
    u->code = db_text(st, 2);
    u->name = db_text(st, 3);
    u->kind = db_text(st, 4);
    u->path = db_text(st, 5);
    u->sort = (int)db_int(st, 6);
  }
  *out = v_;
  *n = n_;
  return STATUS_OK;
}

/* the units of a JSON array of ids as a table */
#define IDS "JSON_TABLE(?, '$[*]' COLUMNS (id INT UNSIGNED PATH '$')) j"

NEOERR *q_track_sheets(DB *db, long long form_id, const char *from, const char *to, const char *units,
                       QTSHEET **out, int *n){
  DB_STMT *st;
  ARENA *a_ = db_arena(db);
  /* every unit: along ix_entry_form (form_id, period_start, id); the units
  ** given: each one's sheets of the range along ix_entry_unit (org_unit_id,
  ** period_start, id) */
  NEOERR *err = units==NULL
    ? db_query(db, &st,
        "SELECT e.org_unit_id, e.id, e.period_key, e.status, e.submitted_at, e.late FROM entry e"
        " WHERE e.form_id = ? AND e.period_start BETWEEN ? AND ? AND e.cur = 1",
        "iss", form_id, from, to)
    : db_query(db, &st,
        "SELECT STRAIGHT_JOIN e.org_unit_id, e.id, e.period_key, e.status, e.submitted_at, e.late"
        " FROM " IDS " JOIN entry e ON e.org_unit_id = j.id"
        " WHERE e.form_id = ? AND e.period_start BETWEEN ? AND ? AND e.cur = 1",
        "siss", units, form_id, from, to);
  if( err ) return nerr_pass(err);
  int cap_ = 256, n_ = 0;
  QTSHEET *v_ = arena_alloc(a_, sizeof(QTSHEET) * (size_t)cap_);
  while( db_step(st) ){
    GROW(QTSHEET);
    QTSHEET *s = &v_[n_++];
    s->unit_id = db_int(st, 0);
    s->id = db_int(st, 1);
    s->period_key = db_text(st, 2);
    s->status = db_text(st, 3);
    s->submitted_at = db_text(st, 4);
    s->late = (int)db_int(st, 5);
  }
  *out = v_;
  *n = n_;
  return STATUS_OK;
}

NEOERR *q_track_reminds(DB *db, long long form_id, const char *from, const char *to, const char *units,
                        QTREMIND **out, int *n){
  DB_STMT *st;
  ARENA *a_ = db_arena(db);
  NEOERR *err = units==NULL
    ? db_query(db, &st,
        "SELECT r.id, r.org_unit_id, r.period_key, r.kind, r.sent_at, COALESCE(u.name, ''), r.seq, r.recipients"
        " FROM track_remind r LEFT JOIN app_user u ON u.id = r.sent_by"
        " WHERE r.form_id = ? AND r.period_start BETWEEN ? AND ? ORDER BY r.sent_at, r.id",
        "iss", form_id, from, to)
    : db_query(db, &st,
        "SELECT STRAIGHT_JOIN r.id, r.org_unit_id, r.period_key, r.kind, r.sent_at, COALESCE(u.name, ''), r.seq,"
        " r.recipients FROM " IDS " JOIN track_remind r ON r.form_id = ? AND r.org_unit_id = j.id"
        " LEFT JOIN app_user u ON u.id = r.sent_by"
        " WHERE r.period_start BETWEEN ? AND ? ORDER BY r.sent_at, r.id",
        "siss", units, form_id, from, to);
  if( err ) return nerr_pass(err);
  int cap_ = 64, n_ = 0;
  QTREMIND *v_ = arena_alloc(a_, sizeof(QTREMIND) * (size_t)cap_);
  while( db_step(st) ){
    GROW(QTREMIND);
    QTREMIND *r = &v_[n_++];
    r->id = db_int(st, 0);
    r->unit_id = db_int(st, 1);
    r->period_key = db_text(st, 2);
    r->kind = db_text(st, 3);
    r->sent_at = db_text(st, 4);
    r->sender = db_text(st, 5);
    r->seq = (int)db_int(st, 6);
    r->recipients = (int)db_int(st, 7);
  }
  *out = v_;
  *n = n_;
  return STATUS_OK;
}

NEOERR *q_track_count(DB *db, long long form_id, long long unit_id, const char *period_key, const char *kind,
                      long long *n){
  int found;
  return nerr_pass(db_one_int(db, n, &found,
    "SELECT COUNT(*) FROM track_remind WHERE form_id = ? AND org_unit_id = ? AND period_key = ? AND kind = ?",
    "iiss", form_id, unit_id, period_key, kind));
}

NEOERR *q_track_add(DB *db, long long form_id, long long unit_id, const char *period_key, const char *period_start,
                    const char *kind, int seq, long long sent_by, const char *at, long long *id){
  NEOERR *err = db_exec(db,
    "INSERT INTO track_remind (form_id, org_unit_id, period_key, period_start, kind, seq, sent_by, sent_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "iisssins", form_id, unit_id, period_key, period_start, kind, (long long)seq, sent_by, at);
  if( err ) return nerr_pass(err);
  *id = (long long)db_last_id(db);
  return STATUS_OK;
}

NEOERR *q_track_notify(DB *db, long long remind_id, long long unit_id, const char *role, long long *n){
  NEOERR *err = db_exec(db,
    "INSERT INTO track_notice (user_id, remind_id)"
    " SELECT DISTINCT a.id, ? FROM org_unit o JOIN user_role g JOIN role r ON r.id = g.role_id"
    " JOIN org_unit gu ON gu.id = g.org_unit_id JOIN app_user a ON a.id = g.user_id"
    " WHERE o.id = ? AND r.code = ? AND a.active = 1"
    " AND (gu.id = o.id OR (g.scope = 'subtree' AND o.path LIKE CONCAT(gu.path, '%')))",
    "iis", remind_id, unit_id, role);
  if( err ) return nerr_pass(err);
  *n = (long long)db_affected(db);
  return nerr_pass(db_exec(db, "UPDATE track_remind SET recipients = ? WHERE id = ?", "ii", *n, remind_id));
}

NEOERR *q_track_status(DB *db, long long form_id, long long unit_id, const char *period_key,
                       const char **status){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT status FROM entry WHERE form_id = ? AND org_unit_id = ? AND period_key = ? AND cur = 1",
    "iis", form_id, unit_id, period_key);
  if( err ) return nerr_pass(err);
  *status = "";
  if( db_step(st) ){
    *status = db_text(st, 0);
    db_done(st);
  }
  return STATUS_OK;
}

NEOERR *q_track_portal(DB *db, long long user, const char *since, int limit, QTNOTE **out, int *n){
  DB_STMT *st;
  ARENA *a_ = db_arena(db);
  NEOERR *err = db_query(db, &st,
    "SELECT r.id, r.form_id, r.org_unit_id, COALESCE(e.id, 0), r.kind, r.sent_at, COALESCE(u.name, ''),"
    " f.code, f.name, f.name_en, o.name, r.period_key, COALESCE(e.status, '')"
    " FROM track_notice t JOIN track_remind r ON r.id = t.remind_id"
    " JOIN form f ON f.id = r.form_id JOIN org_unit o ON o.id = r.org_unit_id"
    " LEFT JOIN app_user u ON u.id = r.sent_by"
    " LEFT JOIN entry e ON e.form_id = r.form_id AND e.org_unit_id = r.org_unit_id"
    "   AND e.period_key = r.period_key AND e.cur = 1"
    " WHERE t.user_id = ? AND r.sent_at >= ? AND f.active = 1"
    " AND (e.id IS NULL OR e.status IN ('draft', 'returned'))"
    " ORDER BY r.sent_at DESC, r.id DESC LIMIT ?",
    "isi", user, since, (long long)limit);
  if( err ) return nerr_pass(err);
  int cap_ = 16, n_ = 0;
  QTNOTE *v_ = arena_alloc(a_, sizeof(QTNOTE) * (size_t)cap_);
  while( db_step(st) ){
    GROW(QTNOTE);
    QTNOTE *x = &v_[n_++];
    x->id = db_int(st, 0);
    x->form_id = db_int(st, 1);
    x->unit_id = db_int(st, 2);
    x->entry_id = db_int(st, 3);
    x->kind = db_text(st, 4);
    x->sent_at = db_text(st, 5);
    x->sender = db_text(st, 6);
    x->form_code = db_text(st, 7);
    x->form_name = db_text(st, 8);
    x->form_name_en = db_text(st, 9);
    x->unit_name = db_text(st, 10);
    x->period_key = db_text(st, 11);
    x->status = db_text(st, 12);
  }
  *out = v_;
  *n = n_;
  return STATUS_OK;
}
