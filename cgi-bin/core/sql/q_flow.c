/*
** q_flow.c -- see q_flow.h.
*/
#include "q_flow.h"
#include "q_ddl.h"
#include "q_scope.h"
#include "err.h"
#include <stdlib.h>
#include <string.h>

/* a grant g (unit gu) reaches the unit o by its data scope */
#define REACH \
  "(g.scope = 'all' OR (g.scope = 'subtree' AND o.path LIKE CONCAT(gu.path, '%'))" \
  " OR (g.scope = 'unit' AND gu.id = o.id))"

/* the grant g is of the step's role; on a step added for one account
** (加签), any approving grant of that account */
#define ROLE_FITS \
  "(g.role_id = s.role_id OR (s.at_kind = 'user' AND g.user_id = s.user_id" \
  " AND g.role_id IN (SELECT ar.id FROM role ar WHERE (ar.caps & 6) <> 0)))"

/* the grants g of the accounts named by WHO that qualify for step s of
** sheet e (unit o); SEL is the select list */
#define QUAL(SEL, WHO) \
  "SELECT " SEL " FROM user_role g JOIN org_unit gu ON gu.id = g.org_unit_id" \
  " JOIN app_user gp ON gp.id = g.user_id" \
  " WHERE " WHO " AND gp.active = 1 AND " ROLE_FITS \
  " AND (e.assignee_id IS NULL OR e.assignee_id = g.user_id)" \
  " AND (s.at_kind <> 'unit' OR gu.id = o.id)" \
  " AND (s.at_kind <> 'up' OR o.path LIKE CONCAT(gu.path, '%'))" \
  " AND (s.at_kind <> 'at' OR gu.id = s.at_unit_id)" \
  " AND " REACH

/* the approvers whose stand-in the user is on a date: 4 parameters "isss"
** (user, today, today, now) */
#define PRINCIPALS \
  "g.user_id IN (SELECT d.user_id FROM flow_standin d WHERE d.standin_id = ?" \
  " AND d.from_day <= ? AND d.to_day >= ? AND (d.ended_at IS NULL OR d.ended_at > ?))"

/* ------------------------------------------------------------------ */
/* one sheet                                                           */

#define FLOW_COLS \
  "e.id, e.form_id, e.org_unit_id, e.version, o.code, o.name, o.path, e.period_key, e.period_start, e.status," \
  " e.revision, COALESCE(e.cur, 0), COALESCE(e.counted, 0), e.step, COALESCE(e.nsteps, -1), e.late," \
  " COALESCE(e.submitted_by, 0), COALESCE(e.assignee_id, 0), COALESCE(e.prev_id, 0)," \
  " e.state_at, e.due_at, e.submitted_at, e.decided_at," \
  " (SELECT name FROM app_user WHERE id = e.submitted_by), (SELECT name FROM app_user WHERE id = e.assignee_id)," \
  " e.reason, s.label"

NEOERR *q_flow_entry(DB *db, long long id, int lock, long long user, unsigned read_caps, unsigned entry_caps,
                     const char *today, const char *now, QFENTRY *e, int *found){
  DB_STMT *st;
  NEOERR *err;
  *found = 0;
  if( lock ){
    /* the sheet's row alone is locked; everything below is read after the
    ** lock is held, so it sees what the one before us committed */
    long long v;
    if( (err = db_one_int(db, &v, found, "SELECT version FROM entry WHERE id = ? FOR UPDATE", "i", id)) )
      return nerr_pass(err);
    if( !*found ) return STATUS_OK;
  }
  err = db_query(db, &st,
    "SELECT " FLOW_COLS ", " Q_SCOPE("o") ", " Q_SCOPE("o") ","
    " EXISTS(" QUAL("1", "g.user_id = ?") "),"
    " COALESCE((" QUAL("MIN(g.user_id)", PRINCIPALS " AND g.user_id <> e.submitted_by") "), 0),"
    " EXISTS(" QUAL("1", PRINCIPALS " AND g.user_id = e.submitted_by") "),"
    " (e.status = 'approved' AND EXISTS(SELECT 1 FROM entry_cc c JOIN user_role g ON g.role_id = c.role_id"
    "   JOIN org_unit gu ON gu.id = g.org_unit_id WHERE c.entry_id = e.id AND g.user_id = ? AND " REACH ")),"
    " EXISTS(SELECT 1 FROM entry_action a WHERE a.entry_id = e.id AND a.actor_id = ?)"
    " FROM entry e JOIN org_unit o ON o.id = e.org_unit_id"
    " LEFT JOIN entry_step s ON s.entry_id = e.id AND s.step = e.step"
    " WHERE e.id = ?",
    Q_SCOPE_FMT Q_SCOPE_FMT "i" "isss" "isss" "i" "i" "i",
    user, user, (long long)read_caps, user, user, (long long)entry_caps, user,
    user, today, today, now, user, today, today, now, user, user, id);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( !*found ) return STATUS_OK;
  e->id = db_int(st, 0);
  e->form_id = db_int(st, 1);
  e->unit_id = db_int(st, 2);
  e->version = db_int(st, 3);
  e->unit_code = db_text(st, 4);
  e->unit_name = db_text(st, 5);
  e->unit_path = db_text(st, 6);
  e->period_key = db_text(st, 7);
  e->period_start = db_text(st, 8);
  e->status = db_text(st, 9);
  e->revision = (int)db_int(st, 10);
  e->cur = (int)db_int(st, 11);
  e->counted = (int)db_int(st, 12);
  e->step = (int)db_int(st, 13);
  e->nsteps = (int)db_int(st, 14);
  e->late = (int)db_int(st, 15);
  e->submitted_by = db_int(st, 16);
  e->assignee_id = db_int(st, 17);
  e->prev_id = db_int(st, 18);
  e->state_at = db_text(st, 19);
  e->due_at = db_text(st, 20);
  e->submitted_at = db_text(st, 21);
  e->decided_at = db_text(st, 22);
  e->submitted_name = db_text(st, 23);
  e->assignee_name = db_text(st, 24);
  e->reason = db_text(st, 25);
  e->step_label = db_text(st, 26);
  e->in_scope = (int)db_int(st, 27);
  e->entry_scope = (int)db_int(st, 28);
  e->self_ok = (int)db_int(st, 29);
  e->for_id = db_int(st, 30);
  e->for_own = (int)db_int(st, 31);
  e->cc_ok = (int)db_int(st, 32);
  e->acted = (int)db_int(st, 33);
  db_done(st);
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* the chain in force                                                  */

NEOERR *q_flow_role_id(DB *db, const char *code, long long *id, int *found){
  return nerr_pass(db_one_int(db, id, found, "SELECT id FROM role WHERE code = ?", "s", code));
}

NEOERR *q_flow_unit_id(DB *db, const char *code, long long *id, int *found){
  return nerr_pass(db_one_int(db, id, found, "SELECT id FROM org_unit WHERE code = ? AND active = 1", "s", code));
}

NEOERR *q_flow_step_add(DB *db, long long entry_id, int step, long long role_id, const char *at_kind,
                        long long at_unit_id, const char *label, long overdue_min){
  return nerr_pass(db_exec(db,
    "INSERT INTO entry_step (entry_id, step, role_id, at_kind, at_unit_id, label, overdue_min)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)", "iiisnsi", entry_id, (long long)step, role_id, at_kind, at_unit_id,
    label, (long long)overdue_min));
}

NEOERR *q_flow_cc_add(DB *db, long long entry_id, long long role_id){
  return nerr_pass(db_exec(db, "INSERT INTO entry_cc (entry_id, role_id) VALUES (?, ?)", "ii", entry_id, role_id));
}

NEOERR *q_flow_step_overdue(DB *db, long long entry_id, int step, long *minutes, int *found){
  long long m = 0;
  NEOERR *err = db_one_int(db, &m, found, "SELECT overdue_min FROM entry_step WHERE entry_id = ? AND step = ?",
                           "ii", entry_id, (long long)step);
  *minutes = (long)m;
  return nerr_pass(err);
}

NEOERR *q_flow_steps_hdf(DB *db, long long entry_id, HDF *out, const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT s.step, COALESCE(r.name_zh, ''), COALESCE(r.name_en, ''), s.label, s.at_kind, COALESCE(u.name, ''),"
    " s.overdue_min, COALESCE(a.name, '') FROM entry_step s LEFT JOIN role r ON r.id = s.role_id"
    " LEFT JOIN org_unit u ON u.id = s.at_unit_id LEFT JOIN app_user a ON a.id = s.user_id"
    " WHERE s.entry_id = ? ORDER BY s.step", "i", entry_id);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, out, prefix, "step,role,role_en,label,at_kind,at_unit,overdue_min,user", n));
}

/* ------------------------------------------------------------------ */
/* moving a sheet                                                      */

NEOERR *q_flow_started(DB *db, long long id, int nsteps, int step, const char *at, const char *due){
  return nerr_pass(db_exec(db,
    "UPDATE entry SET nsteps = ?, step = ?, state_at = ?, due_at = ?, assignee_id = NULL WHERE id = ?",
    "iissi", (long long)nsteps, (long long)step, at, due, id));
}

NEOERR *q_flow_move(DB *db, long long id, long long version, const QFMOVE *m, int *ok){
  NEOERR *err = db_exec(db,
    "UPDATE entry SET status = ?, step = ?, state_at = ?, due_at = ?, assignee_id = ?,"
    " decided_by = IF(? = 1, ?, decided_by), decided_at = IF(? = 1, ?, decided_at),"
    " reason = IF(? = 1, ?, reason), version = version + 1"
    " WHERE id = ? AND version = ?",
    "sissniiisisii", m->status, (long long)m->step, m->state_at, m->due_at, m->assignee,
    (long long)m->decided, m->decided_by, (long long)m->decided, m->state_at,
    (long long)m->set_reason, m->reason, id, version);
  if( err ) return nerr_pass(err);
  *ok = db_affected(db)==1;
  return STATUS_OK;
}

NEOERR *q_flow_wait_sync(DB *db, long long id){
  NEOERR *err = db_exec(db, "DELETE FROM flow_wait WHERE entry_id = ?", "i", id);
  if( !err ) err = db_exec(db,
    "INSERT INTO flow_wait (entry_id, step, role_id, kind, at_unit_id, user_id, org_unit_id, assignee_id,"
    " submitted_by, form_id, period_start, state_at, due_at)"
    " SELECT e.id, s.step, s.role_id, s.at_kind, s.at_unit_id, s.user_id, e.org_unit_id, e.assignee_id, e.submitted_by,"
    " e.form_id, e.period_start, e.state_at, e.due_at"
    " FROM entry e JOIN entry_step s ON s.entry_id = e.id AND s.step = e.step"
    " WHERE e.id = ? AND e.status = 'submitted'", "i", id);
  return nerr_pass(err);
}

NEOERR *q_flow_step_insert(DB *db, long long entry_id, int after, long long user_id, long overdue_min){
  /* the steps after it move up one, the last first (the key is (entry, step)) */
  NEOERR *err = db_exec(db, "UPDATE entry_step SET step = step + 1 WHERE entry_id = ? AND step > ? ORDER BY step DESC",
                        "ii", entry_id, (long long)after);
  if( !err ) err = db_exec(db,
    "INSERT INTO entry_step (entry_id, step, role_id, at_kind, at_unit_id, user_id, label, overdue_min)"
    " VALUES (?, ?, NULL, 'user', NULL, ?, '', ?)", "iiii", entry_id, (long long)after + 1, user_id, (long long)overdue_min);
  if( !err ) err = db_exec(db, "UPDATE entry SET nsteps = nsteps + 1 WHERE id = ?", "i", entry_id);
  return nerr_pass(err);
}

NEOERR *q_flow_step_remove(DB *db, long long entry_id, int step){
  NEOERR *err = db_exec(db, "DELETE FROM entry_step WHERE entry_id = ? AND step = ? AND at_kind = 'user'",
                        "ii", entry_id, (long long)step);
  if( !err ) err = db_exec(db, "UPDATE entry_step SET step = step - 1 WHERE entry_id = ? AND step > ? ORDER BY step",
                           "ii", entry_id, (long long)step);
  if( !err ) err = db_exec(db, "UPDATE entry SET nsteps = nsteps - 1 WHERE id = ?", "i", entry_id);
  return nerr_pass(err);
}

NEOERR *q_flow_may_approve(DB *db, long long entry_id, long long user, int *ok){
  long long one;
  return nerr_pass(db_one_int(db, &one, ok,
    "SELECT 1 FROM entry e JOIN org_unit o ON o.id = e.org_unit_id JOIN user_role g ON g.user_id = ?"
    " JOIN role ar ON ar.id = g.role_id AND (ar.caps & 6) <> 0 JOIN org_unit gu ON gu.id = g.org_unit_id"
    " JOIN app_user gp ON gp.id = g.user_id AND gp.active = 1 AND gp.pw_hash IS NOT NULL"
    " WHERE e.id = ? AND " REACH " LIMIT 1", "ii", user, entry_id));
}

NEOERR *q_flow_addable(DB *db, long long entry_id, QFUSER **out, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT DISTINCT gp.id, gp.login, gp.name FROM entry e JOIN org_unit o ON o.id = e.org_unit_id"
    " JOIN user_role g JOIN role ar ON ar.id = g.role_id AND (ar.caps & 6) <> 0"
    " JOIN org_unit gu ON gu.id = g.org_unit_id JOIN app_user gp ON gp.id = g.user_id"
    " WHERE e.id = ? AND gp.active = 1 AND gp.pw_hash IS NOT NULL AND gp.id <> e.submitted_by AND " REACH
    " ORDER BY gp.login LIMIT 200", "i", entry_id);
  if( err ) return nerr_pass(err);
  int cap = 16;
  QFUSER *v = arena_alloc(db_arena(db), sizeof(QFUSER) * (size_t)cap);
  *n = 0;
  while( db_step(st) ){
    if( *n==cap ){
      QFUSER *w = arena_alloc(db_arena(db), sizeof(QFUSER) * (size_t)cap * 2);
      memcpy(w, v, sizeof(QFUSER) * (size_t)cap);
      v = w;
      cap *= 2;
    }
    v[*n].id = db_int(st, 0);
    v[*n].login = db_text(st, 1);
    v[*n].name = db_text(st, 2);
    (*n)++;
  }
  *out = v;
  return STATUS_OK;
}

NEOERR *q_flow_count_clear(DB *db, long long form_id, long long unit_id, const char *period_key){
  return nerr_pass(db_exec(db, "UPDATE entry SET counted = NULL WHERE form_id = ? AND org_unit_id = ?"
                           " AND period_key = ? AND counted = 1", "iis", form_id, unit_id, period_key));
}

NEOERR *q_flow_count_this(DB *db, long long id, long long form_id, long long unit_id, const char *period_key){
  NEOERR *err = db_exec(db,
    "UPDATE entry SET counted = NULL WHERE form_id = ? AND org_unit_id = ? AND period_key = ? AND counted = 1"
    " AND id <> ?", "iisi", form_id, unit_id, period_key, id);
  if( !err ) err = db_exec(db, "UPDATE entry SET counted = 1 WHERE id = ?", "i", id);
  return nerr_pass(err);
}

NEOERR *q_flow_keep_late(DB *db, long long id, long long prev_id){
  return nerr_pass(db_exec(db,
    "UPDATE entry e JOIN entry p ON p.id = ? SET e.late = p.late WHERE e.id = ?", "ii", prev_id, id));
}

NEOERR *q_flow_action_add(DB *db, long long entry_id, const char *action, int step, long long actor,
                          long long for_id, long long to_id, const char *note, const char *at){
  return nerr_pass(db_exec(db,
    "INSERT INTO entry_action (entry_id, action, step, actor_id, for_id, to_id, note, at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "isiinnss", entry_id, action, (long long)step, actor, for_id, to_id,
    note && *note ? note : NULL, at));
}

NEOERR *q_flow_last(DB *db, long long entry_id, QFLAST *l, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT a.action, a.step, a.actor_id, u.name, u.login, a.at FROM entry_action a"
    " JOIN app_user u ON u.id = a.actor_id WHERE a.entry_id = ? ORDER BY a.id DESC LIMIT 1", "i", entry_id);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ){
    l->action = db_text(st, 0);
    l->step = (int)db_int(st, 1);
    l->actor_id = db_int(st, 2);
    l->actor_name = db_text(st, 3);
    l->actor_login = db_text(st, 4);
    l->at = db_text(st, 5);
    db_done(st);
  }
  return STATUS_OK;
}

NEOERR *q_flow_history_hdf(DB *db, long long entry_id, HDF *out, const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT a.action, a.step, COALESCE(s.label, ''), a.at, a.note, au.name, au.login, fu.name, fu.login,"
    " tu.name, tu.login FROM entry_action a JOIN app_user au ON au.id = a.actor_id"
    " LEFT JOIN app_user fu ON fu.id = a.for_id LEFT JOIN app_user tu ON tu.id = a.to_id"
    " LEFT JOIN entry_step s ON s.entry_id = a.entry_id AND s.step = a.step"
    " WHERE a.entry_id = ? ORDER BY a.id LIMIT 500", "i", entry_id);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, out, prefix,
    "action,step,label,at,note,actor,actor_login,for_name,for_login,to_name,to_login", n));
}

NEOERR *q_flow_revisions_hdf(DB *db, long long form_id, long long unit_id, const char *period_key,
                             HDF *out, const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT id, revision, status, COALESCE(counted, 0), COALESCE(cur, 0) FROM entry"
    " WHERE form_id = ? AND org_unit_id = ? AND period_key = ? ORDER BY revision LIMIT 100",
    "iis", form_id, unit_id, period_key);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, out, prefix, "id,revision,status,counted,cur", n));
}

NEOERR *q_flow_approvers(DB *db, long long entry_id, long long only_user, QFUSER **out, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT DISTINCT gp.id, gp.login, gp.name FROM entry e JOIN org_unit o ON o.id = e.org_unit_id"
    " JOIN entry_step s ON s.entry_id = e.id AND s.step = e.step"
    " JOIN user_role g ON " ROLE_FITS " JOIN org_unit gu ON gu.id = g.org_unit_id"
    " JOIN app_user gp ON gp.id = g.user_id"
    " WHERE e.id = ? AND gp.active = 1 AND gp.id <> e.submitted_by AND (? = 0 OR gp.id = ?)"
    " AND (s.at_kind <> 'unit' OR gu.id = o.id)"
    " AND (s.at_kind <> 'up' OR o.path LIKE CONCAT(gu.path, '%'))"
    " AND (s.at_kind <> 'at' OR gu.id = s.at_unit_id)"
    " AND " REACH " ORDER BY gp.login LIMIT 200", "iii", entry_id, only_user, only_user);
  if( err ) return nerr_pass(err);
  int cap = 16;
  QFUSER *v = arena_alloc(db_arena(db), sizeof(QFUSER) * (size_t)cap);
  *n = 0;
  while( db_step(st) ){
    if( *n==cap ){
      QFUSER *w = arena_alloc(db_arena(db), sizeof(QFUSER) * (size_t)cap * 2);
      memcpy(w, v, sizeof(QFUSER) * (size_t)cap);
      v = w;
      cap *= 2;
    }
    v[*n].id = db_int(st, 0);
    v[*n].login = db_text(st, 1);
    v[*n].name = db_text(st, 2);
    (*n)++;
  }
  *out = v;
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* the inbox                                                           */

/* The inbox starts from the reader's grants -- their own, and those of the
** approvers they stand in for today (p.uid) -- and reaches the waiting
** sheets through flow_wait's keys: a step held at a named unit by that
** unit (A), a step relative to the submitting unit by the units under the
** grant's unit (B).  Each candidate carries the account whose grant found
** it; c has one row per sheet: self (found by the reader's own grant) and
** for_id (else the approver stood in for).  Parameters "iisss" + "i".  */
#define WHO \
  " FROM (SELECT ? AS uid UNION SELECT d.user_id FROM flow_standin d WHERE d.standin_id = ?" \
  "   AND d.from_day <= ? AND d.to_day >= ? AND (d.ended_at IS NULL OR d.ended_at > ?)) p" \
  " JOIN user_role g ON g.user_id = p.uid JOIN app_user gp ON gp.id = g.user_id AND gp.active = 1" \
  " JOIN org_unit gu ON gu.id = g.org_unit_id"
#define FITS \
  " AND " REACH " AND (w.assignee_id IS NULL OR w.assignee_id = g.user_id)" \
  " AND (g.user_id = ? OR g.user_id <> w.submitted_by)"
/* the queue's columns a candidate carries, and the account whose grant found it */
#define WCOLS "w.entry_id, w.form_id, w.org_unit_id, w.period_start, w.state_at, w.due_at, w.submitted_by, g.user_id AS via"
#define CAND_A \
  "SELECT " WCOLS WHO \
  " JOIN flow_wait w ON w.role_id = g.role_id AND w.kind = 'at' AND w.at_unit_id = g.org_unit_id" \
  " JOIN org_unit o ON o.id = w.org_unit_id WHERE 1 = 1" FITS
/* B in the order written: the grant's units, then the queue by unit (left
** to itself, MariaDB reads every waiting sheet of the role instead) */
#define CAND_B \
  "SELECT STRAIGHT_JOIN " WCOLS WHO \
  " JOIN org_unit o ON o.path LIKE CONCAT(gu.path, '%')" \
  " JOIN flow_wait w ON w.org_unit_id = o.id AND w.role_id = g.role_id AND w.kind <> 'at'" \
  " WHERE (w.kind = 'up' OR o.id = gu.id)" FITS
/* C: a step added for one account (加签), reached by that account */
#define CAND_C \
  "SELECT " WCOLS WHO \
  " JOIN flow_wait w ON w.kind = 'user' AND w.user_id = g.user_id" \
  " JOIN role ar ON ar.id = g.role_id AND (ar.caps & 6) <> 0" \
  " JOIN org_unit o ON o.id = w.org_unit_id WHERE 1 = 1" FITS
/* one row per waiting sheet, never the reader's own submission, with the
** queue's columns; parameters CAND_FMT */
#define CAND \
  "(SELECT x.entry_id, MIN(x.form_id) AS form_id, MIN(x.org_unit_id) AS org_unit_id," \
  " MIN(x.period_start) AS period_start, MIN(x.state_at) AS state_at, MIN(x.due_at) AS due_at," \
  " MAX(x.via = ?) AS self, MIN(IF(x.via = ?, NULL, x.via)) AS for_id" \
  " FROM (" CAND_A " UNION ALL " CAND_B " UNION ALL " CAND_C ") x WHERE x.submitted_by <> ? GROUP BY x.entry_id) c"
#define CAND_FMT "ii" "iisss" "i" "iisss" "i" "iisss" "i" "i"
#define CAND_ARGS(me, today, now) me, me, me, me, today, today, now, me, me, me, today, today, now, me, \
  me, me, today, today, now, me, me

/* the page: filtered, ordered and cut in the queue's rows, then the sheets
** of that page read */
#define INBOX_SQL \
  "SELECT e.id, e.version, f.code, f.name, f.name_en, e.org_unit_id, o.code, o.name, e.period_key," \
  " e.period_start, e.revision, e.step, e.nsteps, s.label, e.state_at, e.due_at," \
  " (e.due_at IS NOT NULL AND e.due_at <= ?), e.submitted_at," \
  " (SELECT name FROM app_user WHERE id = e.submitted_by), c.self," \
  " (SELECT name FROM app_user WHERE id = c.for_id)" \
  " FROM (SELECT c.* FROM " CAND \
  "   WHERE (? = 0 OR c.form_id = ?)" \
  "   AND (? = 0 OR c.org_unit_id IN (SELECT u.id FROM org_unit u JOIN org_unit t ON t.id = ?" \
  "        WHERE u.path LIKE CONCAT(t.path, '%')))" \
  "   AND (? = '' OR c.period_start >= ?) AND (? = '' OR c.period_start <= ?)" \
  "   AND (? = '' OR c.state_at > ? OR (c.state_at = ? AND c.entry_id > ?))" \
  "   ORDER BY c.state_at, c.entry_id LIMIT ?) c" \
  " JOIN entry e ON e.id = c.entry_id JOIN entry_step s ON s.entry_id = e.id AND s.step = e.step" \
  " JOIN org_unit o ON o.id = e.org_unit_id JOIN form f ON f.id = e.form_id" \
  " ORDER BY c.state_at, c.entry_id"
#define INBOX_FMT "s" CAND_FMT "iiii" "sssssss" "ii"

#define INBOX_ARGS(q) \
  (q)->now, CAND_ARGS((q)->user, (q)->today, (q)->now), \
  (q)->form_id, (q)->form_id, (q)->unit_id, (q)->unit_id, (q)->from, (q)->from, (q)->to, (q)->to, \
  (q)->after_at, (q)->after_at, (q)->after_at, (q)->after_id, (long long)(q)->limit

NEOERR *q_flow_inbox(DB *db, const QINBOX *q, HDF *out, const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, INBOX_SQL, INBOX_FMT, INBOX_ARGS(q));
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, out, prefix,
    "id,version,form_code,form_name,form_name_en,unit_id,unit_code,unit_name,period_key,period_start,revision,"
    "step,nsteps,label,state_at,due_at,overdue,submitted_at,submitter,self,for_name", n));
}

NEOERR *q_flow_inbox_explain(DB *db, const QINBOX *q, HDF *out, const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, "EXPLAIN " INBOX_SQL, INBOX_FMT, INBOX_ARGS(q));
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, out, prefix, "id,select_type,table,type,possible_keys,key,key_len,ref,rows,extra", n));
}

NEOERR *q_flow_inbox_count(DB *db, long long user, const char *today, const char *now, long long *waiting,
                           long long *overdue){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT COUNT(*), COALESCE(SUM(c.due_at IS NOT NULL AND c.due_at <= ?), 0) FROM " CAND,
    "s" CAND_FMT, now, CAND_ARGS(user, today, now));
  if( err ) return nerr_pass(err);
  *waiting = *overdue = 0;
  if( db_step(st) ){
    *waiting = db_int(st, 0);
    *overdue = db_int(st, 1);
    db_done(st);
  }
  return STATUS_OK;
}

NEOERR *q_flow_inbox_summary(DB *db, long long user, const char *today, const char *now, QFSUM **out, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT f.id, f.code, f.name, f.name_en, o.id, o.code, o.name, g.n, g.late FROM"
    " (SELECT c.form_id, c.org_unit_id, COUNT(*) AS n, SUM(c.due_at IS NOT NULL AND c.due_at <= ?) AS late"
    "  FROM " CAND " GROUP BY c.form_id, c.org_unit_id) g"
    " JOIN form f ON f.id = g.form_id JOIN org_unit o ON o.id = g.org_unit_id ORDER BY f.code, o.path",
    "s" CAND_FMT, now, CAND_ARGS(user, today, now));
  if( err ) return nerr_pass(err);
  int cap = 16;
  QFSUM *v = arena_alloc(db_arena(db), sizeof(QFSUM) * (size_t)cap);
  *n = 0;
  while( db_step(st) ){
    if( *n==cap ){
      QFSUM *w = arena_alloc(db_arena(db), sizeof(QFSUM) * (size_t)cap * 2);
      memcpy(w, v, sizeof(QFSUM) * (size_t)cap);
      v = w;
      cap *= 2;
    }
    QFSUM *x = &v[(*n)++];
    x->form_id = db_int(st, 0);
    x->form_code = db_text(st, 1);
    x->form_name = db_text(st, 2);
    x->form_name_en = db_text(st, 3);
    x->unit_id = db_int(st, 4);
    x->unit_code = db_text(st, 5);
    x->unit_name = db_text(st, 6);
    x->n = db_int(st, 7);
    x->overdue = db_int(st, 8);
  }
  *out = v;
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* returned and informed sheets                                        */

NEOERR *q_flow_returned_count(DB *db, long long user, unsigned caps, const char *now, long long *mine,
                              long long *mine_late, long long *theirs_late){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT COALESCE(SUM(e.submitted_by = ?), 0), COALESCE(SUM(e.submitted_by = ? AND e.due_at <= ?), 0),"
    " COALESCE(SUM(e.submitted_by <> ? AND e.due_at <= ? AND " Q_SCOPE("o") "), 0)"
    " FROM entry e JOIN org_unit o ON o.id = e.org_unit_id"
    " WHERE e.status = 'returned' AND e.cur = 1 AND (e.submitted_by = ? OR " Q_SCOPE("o") ")",
    "iisis" Q_SCOPE_FMT "i" Q_SCOPE_FMT, user, user, now, user, now, user, user, (long long)caps,
    user, user, user, (long long)caps);
  if( err ) return nerr_pass(err);
  *mine = *mine_late = *theirs_late = 0;
  if( db_step(st) ){
    *mine = db_int(st, 0);
    *mine_late = db_int(st, 1);
    *theirs_late = db_int(st, 2);
    db_done(st);
  }
  return STATUS_OK;
}

NEOERR *q_flow_returned_hdf(DB *db, long long user, unsigned caps, const char *now, int limit, HDF *out,
                            const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT e.id, f.code, f.name, f.name_en, o.code, o.name, e.period_key, e.revision, e.state_at, e.due_at,"
    " (e.due_at IS NOT NULL AND e.due_at <= ?), e.reason, (SELECT name FROM app_user WHERE id = e.submitted_by),"
    " e.submitted_by = ?"
    " FROM entry e JOIN org_unit o ON o.id = e.org_unit_id JOIN form f ON f.id = e.form_id"
    " WHERE e.status = 'returned' AND e.cur = 1 AND (e.submitted_by = ? OR " Q_SCOPE("o") ")"
    " ORDER BY e.state_at, e.id LIMIT ?",
    "sii" Q_SCOPE_FMT "i", now, user, user, user, user, (long long)caps, (long long)limit);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, out, prefix,
    "id,form_code,form_name,form_name_en,unit_code,unit_name,period_key,revision,state_at,due_at,late,reason,"
    "submitter,mine", n));
}

NEOERR *q_flow_cc_hdf(DB *db, long long user, long long after_id, int limit, HDF *out, const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT DISTINCT e.id, f.code, f.name, f.name_en, o.code, o.name, e.period_key, e.revision, e.decided_at"
    " FROM user_role g JOIN org_unit gu ON gu.id = g.org_unit_id JOIN entry_cc c ON c.role_id = g.role_id"
    " JOIN entry e ON e.id = c.entry_id JOIN org_unit o ON o.id = e.org_unit_id JOIN form f ON f.id = e.form_id"
    " WHERE g.user_id = ? AND e.status = 'approved' AND (? = 0 OR e.id < ?) AND " REACH
    " ORDER BY e.id DESC LIMIT ?", "iiii", user, after_id, after_id, (long long)limit);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, out, prefix,
    "id,form_code,form_name,form_name_en,unit_code,unit_name,period_key,revision,decided_at", n));
}

/* ------------------------------------------------------------------ */
/* corrections                                                         */

NEOERR *q_flow_supersede(DB *db, long long id, long long version, int *ok){
  NEOERR *err = db_exec(db, "UPDATE entry SET cur = NULL, version = version + 1 WHERE id = ? AND version = ?"
                        " AND cur = 1", "ii", id, version);
  if( err ) return nerr_pass(err);
  *ok = db_affected(db)==1;
  return STATUS_OK;
}

NEOERR *q_flow_revision_add(DB *db, long long from_id, int form_version, long long user, const char *at,
                            long long *new_id){
  NEOERR *err = db_exec(db,
    "INSERT INTO entry (form_id, org_unit_id, period_key, period_start, revision, cur, status, late,"
    " form_version, nrows, created_by, created_at, updated_by, updated_at, prev_id)"
    " SELECT form_id, org_unit_id, period_key, period_start, revision + 1, 1, 'draft', late, ?, nrows,"
    " ?, ?, ?, ?, id FROM entry WHERE id = ?",
    "iisisi", (long long)form_version, user, at, user, at, from_id);
  if( err ) return nerr_pass(err);
  *new_id = (long long)db_last_id(db);
  return STATUS_OK;
}

NEOERR *q_flow_copy(DB *db, const QFCOPY *t, long long from_id, long long to_id){
  ARENA *a = db_arena(db);
  if( !q_ident_ok(t->table) ) return nerr_raise(NERR_ASSERT, "table name %.80s", t->table ? t->table : "");
  STRING cols;
  string_init(&cols);
  for(int i=0; i<t->ncols; i++){
    if( !q_ident_ok(t->cols[i]) ){ string_clear(&cols); return nerr_raise(NERR_ASSERT, "column %.80s", t->cols[i]); }
    string_appendf(&cols, ", `%s`", t->cols[i]);
  }
  const char *c = arena_strdup(a, cols.buf ? cols.buf : "");
  string_clear(&cols);
  /* lint: sql-built reviewed: table and column names checked with q_ident_ok; the ids are bound */
  const char *sql = arena_printf(a,
    "INSERT INTO `%s` (entry_id%s, org_unit_id, period_start%s) SELECT ?%s, org_unit_id, period_start%s"
    " FROM `%s` WHERE entry_id = ?%s", t->table, t->rows ? ", line" : "", c, t->rows ? ", line" : "", c,
    t->table, t->rows ? " ORDER BY line, id" : "");
  DB_ARG args[2] = { { to_id, NULL, 0 }, { from_id, NULL, 0 } };
  return nerr_pass(db_exec_args(db, sql, "ii", args));
}

NEOERR *q_flow_unadopted(DB *db, int limit, QFOLD **out, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT id, form_id, COALESCE(submitted_by, created_by), COALESCE(submitted_at, updated_at) FROM entry"
    " WHERE status = 'submitted' AND nsteps IS NULL ORDER BY id LIMIT ?", "i", (long long)limit);
  if( err ) return nerr_pass(err);
  *out = arena_alloc(db_arena(db), sizeof(QFOLD) * (size_t)(limit + 1));
  *n = 0;
  while( db_step(st) ){
    QFOLD *o = &(*out)[(*n)++];
    o->id = db_int(st, 0);
    o->form_id = db_int(st, 1);
    o->submitted_by = db_int(st, 2);
    o->submitted_at = db_text(st, 3);
  }
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* stand-ins                                                           */

NEOERR *q_standin_add(DB *db, long long user, long long standin, const char *from, const char *to,
                      const char *reason, const char *at, long long *id){
  NEOERR *err = db_exec(db,
    "INSERT INTO flow_standin (user_id, standin_id, from_day, to_day, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    "iissss", user, standin, from, to, reason, at);
  if( err ) return nerr_pass(err);
  *id = (long long)db_last_id(db);
  return STATUS_OK;
}

NEOERR *q_standin_overlap(DB *db, long long user, const char *from, const char *to, const char *now, long long *n){
  int found;
  return nerr_pass(db_one_int(db, n, &found,
    "SELECT COUNT(*) FROM flow_standin WHERE user_id = ? AND (ended_at IS NULL OR ended_at > ?)"
    " AND from_day <= ? AND to_day >= ?", "isss", user, now, to, from));
}

NEOERR *q_standin_end(DB *db, long long id, long long user, const char *today, const char *at, int *ok){
  NEOERR *err = db_exec(db,
    "UPDATE flow_standin SET ended_at = ? WHERE id = ? AND user_id = ? AND ended_at IS NULL AND to_day >= ?",
    "siis", at, id, user, today);
  if( err ) return nerr_pass(err);
  *ok = db_affected(db)==1;
  return STATUS_OK;
}

NEOERR *q_standin_hdf(DB *db, long long user, int received, const char *today, const char *now, HDF *out,
                      const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err = received
    ? db_query(db, &st,
        "SELECT d.id, u.login, u.name, d.from_day, d.to_day, d.reason, d.from_day <= ? FROM flow_standin d"
        " JOIN app_user u ON u.id = d.user_id WHERE d.standin_id = ? AND d.to_day >= ?"
        " AND (d.ended_at IS NULL OR d.ended_at > ?) ORDER BY d.from_day, d.id LIMIT 100",
        "siss", today, user, today, now)
    : db_query(db, &st,
        "SELECT d.id, u.login, u.name, d.from_day, d.to_day, d.reason, d.from_day <= ? FROM flow_standin d"
        " JOIN app_user u ON u.id = d.standin_id WHERE d.user_id = ? AND d.to_day >= ?"
        " AND (d.ended_at IS NULL OR d.ended_at > ?) ORDER BY d.from_day, d.id LIMIT 100",
        "siss", today, user, today, now);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, out, prefix, "id,login,name,from,to,reason,active", n));
}
