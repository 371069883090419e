/*
** q_org.c -- see q_org.h.
*/
#include "q_org.h"
#include "q_scope.h"
#include "hmap.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNIT_COLS "u.id, COALESCE(u.parent_id, 0), u.code, u.name, u.kind, u.path, u.sort," \
  " u.active, u.version," \
  " (SELECT COUNT(*) FROM org_unit c WHERE c.parent_id = u.id AND c.active = 1)," \
  " (SELECT COUNT(*) FROM app_user a WHERE a.org_unit_id = u.id AND a.active = 1)"

static void unit_row(DB_STMT *st, UNITROW *u){
  u->id = db_int(st, 0);
  u->parent_id = db_int(st, 1);
  u->code = db_text(st, 2);
  u->name = db_text(st, 3);
  u->kind = db_text(st, 4);
  u->path = db_text(st, 5);
  u->sort = (int)db_int(st, 6);
  u->active = (int)db_int(st, 7);
  u->version = db_int(st, 8);
  u->active_children = (int)db_int(st, 9);
  u->active_users = (int)db_int(st, 10);
}

/* siblings by their sort number, then code */
static int sibling_cmp(const void *x, const void *y){
  const UNITROW *a = *(const UNITROW *const *)x, *b = *(const UNITROW *const *)y;
  if( a->sort!=b->sort ) return a->sort<b->sort ? -1 : 1;
  int c = strcmp(a->code, b->code);
  return c ? c : (a->id<b->id ? -1 : a->id>b->id);
}

/* r[0..n) in tree order: each unit, then its sub-units, siblings by
** sort then code (a unit whose parent is missing counts as a top unit) */
static UNITROW *tree_order(ARENA *a, UNITROW *r, int n){
  UNITROW **p = arena_alloc(a, sizeof(UNITROW*) * (size_t)(n + 1));
  for(int i=0; i<n; i++) p[i] = &r[i];
  qsort(p, (size_t)n, sizeof(UNITROW*), sibling_cmp);
  HMAP *kids = hmap_new(a, n);
  /* children lists, in sibling order: first child and next sibling */
  int *first = arena_alloc(a, sizeof(int) * (size_t)(n + 1)), *next = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
  int *last = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
  int tops = -1, top_last = -1;
  for(int i=0; i<n; i++){ first[i] = -1; next[i] = -1; last[i] = -1; }
  for(int i=0; i<n; i++) hmap_put(kids, arena_printf(a, "%lld", p[i]->id), (void*)(long)(i + 1));
  for(int i=0; i<n; i++){
    long pi = p[i]->parent_id ? (long)hmap_get(kids, arena_printf(a, "%lld", p[i]->parent_id)) - 1 : -1;
    if( pi<0 ){ if( top_last<0 ) tops = i; else next[top_last] = i; top_last = i; continue; }
    if( last[pi]<0 ) first[pi] = i; else next[last[pi]] = i;
    last[pi] = i;
  }
  UNITROW *out = arena_alloc(a, sizeof(UNITROW) * (size_t)(n + 1));
  int *stack = arena_alloc(a, sizeof(int) * (size_t)(n + 1)), *done = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
  int *c = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
  int k = 0;
  for(int t = tops; t>=0; t = next[t]){
    int sp = 0;
    stack[sp++] = t;
    while( sp>0 ){
      int i = stack[--sp];
      if( done[i] ) continue;
      done[i] = 1;
      out[k++] = *p[i];
      /* push children in reverse so the first comes out first */
      int nc = 0;
      for(int x = first[i]; x>=0 && nc<n; x = next[x]) c[nc++] = x;
      while( nc>0 && sp<n ) stack[sp++] = c[--nc];
    }
  }
  for(int i=0; i<n && k<n; i++) if( !done[i] ) out[k++] = *p[i];     /* a cycle: never, but keep them */
  return out;
}

NEOERR *q_units_all(DB *db, UNITROW **rows, int *n){
  DB_STMT *st;
  long long count;
  int found;
  NEOERR *err = db_one_int(db, &count, &found, "SELECT COUNT(*) FROM org_unit", "");
  if( err ) return nerr_pass(err);
  UNITROW *r = arena_alloc(db_arena(db), sizeof(UNITROW) * (size_t)(count + 1));
  err = db_query(db, &st,
    "SELECT u.id, COALESCE(u.parent_id, 0), u.code, u.name, u.kind, u.path, u.sort, u.active,"
    " u.version, 0, 0 FROM org_unit u", "");
  if( err ) return nerr_pass(err);
  int k = 0;
  while( db_step(st) ){
    if( k<count ) unit_row(st, &r[k++]);
  }
  *rows = tree_order(db_arena(db), r, k);
  *n = k;
  return STATUS_OK;
}

NEOERR *q_unit_get(DB *db, long long id, UNITROW *u, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, "SELECT " UNIT_COLS " FROM org_unit u WHERE u.id = ?", "i", id);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ) unit_row(st, u);
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_unit_update(DB *db, long long id, long long version, const char *code,
                      const char *name, long long parent_id, const char *kind, int sort, int *ok){
  NEOERR *err = db_exec(db,
    "UPDATE org_unit SET code = ?, name = ?, parent_id = ?, kind = ?, sort = ?,"
    " updated_at = UTC_TIMESTAMP(), version = version + 1 WHERE id = ? AND version = ?",
    "ssnsiii", code, name, parent_id, kind, (long long)sort, id, version);
  if( err ) return nerr_pass(err);
  *ok = db_affected(db)==1;
  return STATUS_OK;
}

NEOERR *q_unit_set_active(DB *db, long long id, int active){
  return nerr_pass(db_exec(db,
    "UPDATE org_unit SET active = ?, updated_at = UTC_TIMESTAMP(), version = version + 1"
    " WHERE id = ?", "ii", (long long)active, id));
}

NEOERR *q_tree_lock(DB *db){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, "SELECT id FROM org_unit ORDER BY id LIMIT 1 FOR UPDATE", "");
  if( err ) return nerr_pass(err);
  db_step(st);
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_code_retired(DB *db, const char *entity, const char *code, int *retired){
  long long n;
  int found;
  NEOERR *err = db_one_int(db, &n, &found,
    "SELECT COUNT(*) FROM code_map WHERE entity = ? AND old_code = ?", "ss", entity, code);
  if( err ) return nerr_pass(err);
  *retired = n>0;
  return STATUS_OK;
}

NEOERR *q_code_map_list(DB *db, DB_STMT **st, const char *entity){
  return nerr_pass(db_query(db, st, "SELECT old_code FROM code_map WHERE entity = ?", "s", entity));
}

NEOERR *q_unit_paths_rebuild(DB *db){
  DB_STMT *st;
  ARENA *a = db_arena(db);
  long long count;
  int found;
  NEOERR *err = db_one_int(db, &count, &found, "SELECT COUNT(*) FROM org_unit", "");
  if( err ) return nerr_pass(err);
  struct node { long long id, parent; const char *path; char *want; } *v =
    arena_alloc(a, sizeof(*v) * (size_t)(count + 1));
  HMAP *byid = hmap_new(a, (int)count);
  err = db_query(db, &st, "SELECT id, COALESCE(parent_id, 0), path FROM org_unit", "");
  if( err ) return nerr_pass(err);
  int n = 0;
  while( db_step(st) ){
    if( n>=count ) continue;
    v[n].id = db_int(st, 0);
    v[n].parent = db_int(st, 1);
    v[n].path = db_text(st, 2);
    v[n].want = NULL;
    hmap_put(byid, arena_printf(a, "%lld", v[n].id), &v[n]);
    n++;
  }
  /* resolve each path by walking up; depth is bounded by n (cycles are
  ** refused before anything is written, this is only a guard) */
  for(int i=0; i<n; i++){
    struct node *chain[256];
    int d = 0;
    struct node *x = &v[i];
    while( x && x->want==NULL && d<256 ){
      chain[d++] = x;
      x = x->parent ? hmap_get(byid, arena_printf(a, "%lld", x->parent)) : NULL;
    }
    const char *base = x && x->want ? x->want : "/";
    while( d>0 ){
      struct node *y = chain[--d];
      y->want = arena_printf(a, "%s%lld/", base, y->id);
      base = y->want;
    }
  }
  for(int i=0; i<n; i++){
    if( strcmp(v[i].path, v[i].want)==0 ) continue;
    err = db_exec(db, "UPDATE org_unit SET path = ? WHERE id = ?", "si", v[i].want, v[i].id);
    if( err ) return nerr_pass(err);
  }
  return STATUS_OK;
}

NEOERR *q_code_map(DB *db, const char *entity, const char *old_code, const char *new_code){
  return nerr_pass(db_exec(db,
    "INSERT INTO code_map (entity, old_code, new_code, created_at) VALUES (?,?,?,UTC_TIMESTAMP())"
    " ON DUPLICATE KEY UPDATE new_code = VALUES(new_code)", "sss", entity, old_code, new_code));
}

NEOERR *q_roles(DB *db, ROLEROW **rows, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st, "SELECT id, code, name_zh, name_en, caps FROM role ORDER BY sort, id LIMIT 64", "");
  if( err ) return nerr_pass(err);
  ROLEROW *r = arena_alloc(db_arena(db), sizeof(ROLEROW) * 64);
  int k = 0;
  while( db_step(st) ){
    r[k].id = db_int(st, 0);
    r[k].code = db_text(st, 1);
    r[k].name_zh = db_text(st, 2);
    r[k].name_en = db_text(st, 3);
    r[k].caps = (unsigned)db_int(st, 4);
    k++;
  }
  *rows = r;
  *n = k;
  return STATUS_OK;
}

NEOERR *q_users_page(DB *db, HDF *out, const char *prefix, long long scope_user, unsigned cap,
                     long long unit_id, const char *search, const char *after, int limit, int *n){
  DB_STMT *st;
  const char *like = search && *search ? arena_printf(db_arena(db), "%%%s%%", search) : NULL;
  NEOERR *err = db_query(db, &st,
    "SELECT a.id, a.login, a.name, o.code, o.name, a.active, a.pw_hash IS NOT NULL,"
    " a.activation_hash IS NOT NULL, a.last_login_at,"
    " (SELECT GROUP_CONCAT(r.name_zh ORDER BY r.sort SEPARATOR '、') FROM user_role ur"
    "   JOIN role r ON r.id = ur.role_id WHERE ur.user_id = a.id),"
    " EXISTS(SELECT 1 FROM login_lock l WHERE l.lock_key = CONCAT('u:', LOWER(a.login))"
    "   AND l.locked_until > UTC_TIMESTAMP())"
    " FROM app_user a JOIN org_unit o ON o.id = a.org_unit_id"
    " WHERE " Q_SCOPE("o") ""
    "   AND (? = 0 OR a.org_unit_id = ?)"
    "   AND (? IS NULL OR a.login LIKE ? OR a.name LIKE ?)"
    "   AND a.login > ?"
    " ORDER BY a.login LIMIT ?",
    Q_SCOPE_FMT "iissssi", scope_user, scope_user, (long long)cap, unit_id, unit_id, like, like, like,
    after ? after : "", (long long)limit);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, out, prefix,
    "id,login,name,unit_code,unit_name,active,has_password,pending,last_login,roles,locked", n));
}

#define USER_COLS "a.id, a.login, a.name, a.phone, a.org_unit_id, o.code, o.name, o.path," \
  " a.active, a.must_change, a.pw_hash IS NOT NULL, a.activation_hash IS NOT NULL," \
  " EXISTS(SELECT 1 FROM login_lock l WHERE l.lock_key = CONCAT('u:', LOWER(a.login))" \
  "   AND l.locked_until > UTC_TIMESTAMP()), a.last_login_at, a.version"

static void user_row(DB_STMT *st, USERROW *u){
  u->id = db_int(st, 0);
  u->login = db_text(st, 1);
  u->name = db_text(st, 2);
  u->phone = db_text(st, 3) ? db_text(st, 3) : "";
  u->unit_id = db_int(st, 4);
  u->unit_code = db_text(st, 5);
  u->unit_name = db_text(st, 6);
  u->unit_path = db_text(st, 7);
  u->active = (int)db_int(st, 8);
  u->must_change = (int)db_int(st, 9);
  u->has_password = (int)db_int(st, 10);
  u->activation_pending = (int)db_int(st, 11);
  u->locked = (int)db_int(st, 12);
  u->last_login = db_text(st, 13);
  u->version = db_int(st, 14);
}

NEOERR *q_user_row(DB *db, long long id, const char *login, USERROW *u, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT " USER_COLS " FROM app_user a JOIN org_unit o ON o.id = a.org_unit_id"
    " WHERE a.id = ? OR a.login = ?", "is", id, login ? login : "");
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ) user_row(st, u);
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_users_all(DB *db, USERROW **rows, int *n){
  DB_STMT *st;
  long long count;
  int found;
  NEOERR *err = db_one_int(db, &count, &found, "SELECT COUNT(*) FROM app_user", "");
  if( err ) return nerr_pass(err);
  USERROW *r = arena_alloc(db_arena(db), sizeof(USERROW) * (size_t)(count + 1));
  err = db_query(db, &st,
    "SELECT " USER_COLS " FROM app_user a JOIN org_unit o ON o.id = a.org_unit_id", "");
  if( err ) return nerr_pass(err);
  int k = 0;
  while( db_step(st) ) if( k<count ) user_row(st, &r[k++]);
  *rows = r;
  *n = k;
  return STATUS_OK;
}

NEOERR *q_user_create(DB *db, const char *login, const char *name, long long unit_id,
                      const char *phone, const unsigned char act_hash[32], int days, long long *id){
  NEOERR *err = db_exec(db,
    "INSERT INTO app_user (login, name, org_unit_id, phone, pw_hash, must_change,"
    " activation_hash, activation_expires, created_at, updated_at)"
    " VALUES (?,?,?,?,NULL,1,?,UTC_TIMESTAMP() + INTERVAL ? DAY,UTC_TIMESTAMP(),UTC_TIMESTAMP())",
    "ssisbi", login, name, unit_id, phone && *phone ? phone : NULL, act_hash, (size_t)32,
    (long long)days);
  if( err ) return nerr_pass(err);
  *id = (long long)db_last_id(db);
  return STATUS_OK;
}

NEOERR *q_user_update(DB *db, long long id, long long version, const char *login,
                      const char *name, long long unit_id, const char *phone, int *ok){
  NEOERR *err = db_exec(db,
    "UPDATE app_user SET login = ?, name = ?, org_unit_id = ?, phone = ?,"
    " updated_at = UTC_TIMESTAMP(), version = version + 1 WHERE id = ? AND version = ?",
    "ssisii", login, name, unit_id, phone && *phone ? phone : NULL, id, version);
  if( err ) return nerr_pass(err);
  *ok = db_affected(db)==1;
  return STATUS_OK;
}

NEOERR *q_user_set_active(DB *db, long long id, int active){
  return nerr_pass(db_exec(db,
    "UPDATE app_user SET active = ?, updated_at = UTC_TIMESTAMP(), version = version + 1"
    " WHERE id = ?", "ii", (long long)active, id));
}

NEOERR *q_user_set_activation(DB *db, long long id, const unsigned char act_hash[32], int days){
  return nerr_pass(db_exec(db,
    "UPDATE app_user SET pw_hash = NULL, must_change = 1, activation_hash = ?,"
    " activation_expires = UTC_TIMESTAMP() + INTERVAL ? DAY, updated_at = UTC_TIMESTAMP(),"
    " version = version + 1 WHERE id = ?", "bii", act_hash, (size_t)32, (long long)days, id));
}

NEOERR *q_user_by_activation(DB *db, const char *login, const unsigned char act_hash[32],
                             long long *id){
  int found;
  NEOERR *err = db_one_int(db, id, &found,
    "SELECT id FROM app_user WHERE login = ? AND active = 1 AND activation_hash = ?"
    " AND activation_expires > UTC_TIMESTAMP()", "sb", login, act_hash, (size_t)32);
  if( err ) return nerr_pass(err);
  if( !found ) *id = 0;
  return STATUS_OK;
}

NEOERR *q_sessions_drop(DB *db, long long user_id){
  return nerr_pass(db_exec(db, "DELETE FROM session WHERE user_id = ?", "i", user_id));
}

NEOERR *q_grants_hdf(DB *db, long long user_id, HDF *out, const char *prefix){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT ur.id, r.code, r.name_zh, r.name_en, o.code, o.name, ur.scope FROM user_role ur"
    " JOIN role r ON r.id = ur.role_id JOIN org_unit o ON o.id = ur.org_unit_id"
    " WHERE ur.user_id = ? ORDER BY r.sort, o.path", "i", user_id);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, out, prefix,
    "id,role,role_zh,role_en,unit_code,unit_name,scope", NULL));
}

NEOERR *q_grant_get(DB *db, long long grant_id, long long *user_id, const char **role_code,
                    const char **unit_path, const char **scope, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT ur.user_id, r.code, o.path, ur.scope FROM user_role ur JOIN role r ON r.id = ur.role_id"
    " JOIN org_unit o ON o.id = ur.org_unit_id WHERE ur.id = ?", "i", grant_id);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ){
    *user_id = db_int(st, 0);
    *role_code = db_text(st, 1);
    *unit_path = db_text(st, 2);
    *scope = db_text(st, 3);
  }
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_grant_add(DB *db, long long user_id, long long role_id, long long unit_id,
                    const char *scope){
  return nerr_pass(db_exec(db,
    "INSERT INTO user_role (user_id, role_id, org_unit_id, scope) VALUES (?,?,?,?)",
    "iiis", user_id, role_id, unit_id, scope));
}

NEOERR *q_grant_del(DB *db, long long grant_id){
  return nerr_pass(db_exec(db, "DELETE FROM user_role WHERE id = ?", "i", grant_id));
}

NEOERR *q_grants_clear(DB *db, long long user_id){
  return nerr_pass(db_exec(db, "DELETE FROM user_role WHERE user_id = ?", "i", user_id));
}

NEOERR *q_user_has_role(DB *db, long long user_id, const char *role_code, int *has){
  long long n;
  int found;
  NEOERR *err = db_one_int(db, &n, &found,
    "SELECT (SELECT COUNT(*) FROM user_role ur JOIN role r ON r.id = ur.role_id"
    "   WHERE ur.user_id = ? AND r.code = ?)"
    " + (SELECT COUNT(*) FROM pending_grant p JOIN role r ON r.id = p.role_id"
    "   WHERE p.user_id = ? AND r.code = ?)", "isis", user_id, role_code, user_id, role_code);
  if( err ) return nerr_pass(err);
  *has = n>0;
  return STATUS_OK;
}

NEOERR *q_admins_all_count(DB *db, long long *n){
  int found;
  return nerr_pass(db_one_int(db, n, &found,
    "SELECT COUNT(DISTINCT a.id) FROM app_user a JOIN user_role ur ON ur.user_id = a.id"
    " JOIN role r ON r.id = ur.role_id WHERE r.code = 'admin' AND ur.scope = 'all' AND a.active = 1", ""));
}

NEOERR *q_sheet_add(DB *db, long long batch_id, long long user_id, const char *code,
                    long long created_by, int days){
  NEOERR *err = q_sheet_drop_user(db, user_id);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_exec(db,
    "INSERT INTO activation_sheet (batch_id, user_id, code, created_by, created_at, expires_at)"
    " VALUES (?,?,?,?,UTC_TIMESTAMP(),UTC_TIMESTAMP() + INTERVAL ? DAY)",
    "nisii", batch_id, user_id, code, created_by, (long long)days));
}

struct sheet_row { long rank; const char *v[6]; };

static int sheet_cmp(const void *x, const void *y){
  const struct sheet_row *a = x, *b = y;
  if( a->rank!=b->rank ) return a->rank<b->rank ? -1 : 1;
  return strcmp(a->v[0], b->v[0]);
}

NEOERR *q_sheet_hdf(DB *db, long long batch_id, long long user_id, long long created_by,
                    HDF *out, const char *prefix, int *n){
  DB_STMT *st;
  ARENA *a = db_arena(db);
  UNITROW *units;
  int nunits;
  /* slips come out in tree order (siblings by sort, then code), then by account */
  NEOERR *err = q_units_all(db, &units, &nunits);
  if( err ) return nerr_pass(err);
  HMAP *rank = hmap_new(a, nunits);
  for(int i=0; i<nunits; i++) hmap_put(rank, arena_printf(a, "%lld", units[i].id), (void*)(long)(i + 1));
  long long count;
  int found;
  if( (err = db_one_int(db, &count, &found, "SELECT COUNT(*) FROM activation_sheet", "")) ) return nerr_pass(err);
  struct sheet_row *rows = arena_alloc(a, sizeof(struct sheet_row) * (size_t)(count + 1));
  err = db_query(db, &st,
    "SELECT a.login, a.name, o.code, o.name, s.code, DATE_FORMAT(s.expires_at, '%Y-%m-%d %H:%i:%s'), o.id"
    " FROM activation_sheet s JOIN app_user a ON a.id = s.user_id"
    " JOIN org_unit o ON o.id = a.org_unit_id"
    " WHERE s.created_by = ? AND s.expires_at > UTC_TIMESTAMP() AND a.activation_hash IS NOT NULL"
    "   AND ((? > 0 AND s.batch_id = ?) OR (? > 0 AND s.user_id = ?))",
    "iiiii", created_by, batch_id, batch_id, user_id, user_id);
  if( err ) return nerr_pass(err);
  int k = 0;
  while( db_step(st) ){
    if( k>=count ) continue;
    for(int i=0; i<6; i++) rows[k].v[i] = db_text(st, i) ? db_text(st, i) : "";
    rows[k].rank = (long)hmap_get(rank, arena_printf(a, "%lld", db_int(st, 6)));
    k++;
  }
  qsort(rows, (size_t)k, sizeof rows[0], sheet_cmp);
  static const char *const names[] = { "login", "name", "unit_code", "unit_name", "code", "expires" };
  for(int i=0; i<k; i++)
    for(int j=0; j<6; j++) hdf_set_valuef(out, "%s.%d.%s=%s", prefix, i, names[j], rows[i].v[j]);
  *n = k;
  return STATUS_OK;
}

NEOERR *q_sheet_drop_user(DB *db, long long user_id){
  return nerr_pass(db_exec(db, "DELETE FROM activation_sheet WHERE user_id = ?", "i", user_id));
}

NEOERR *q_sheet_clear(DB *db, long long batch_id, long long created_by){
  return nerr_pass(db_exec(db, "DELETE FROM activation_sheet WHERE batch_id = ? AND created_by = ?",
                           "ii", batch_id, created_by));
}

NEOERR *q_ready_rows(DB *db, READYROW **rows, int *n){
  DB_STMT *st;
  long long count;
  int found;
  NEOERR *err = db_one_int(db, &count, &found, "SELECT COUNT(*) FROM org_unit", "");
  if( err ) return nerr_pass(err);
  READYROW *r = arena_alloc(db_arena(db), sizeof(READYROW) * (size_t)(count + 1));
#define GRANTED(role, extra) \
    " (SELECT COUNT(DISTINCT a.id) FROM user_role ur JOIN role r ON r.id = ur.role_id" \
    "   JOIN app_user a ON a.id = ur.user_id WHERE ur.org_unit_id = o.id AND r.code = '" role "'" \
    "   AND a.active = 1" extra ")"
  err = db_query(db, &st,
    "SELECT o.id,"
    " (SELECT COUNT(*) FROM app_user a WHERE a.org_unit_id = o.id AND a.active = 1),"
    " (SELECT COUNT(*) FROM app_user a WHERE a.org_unit_id = o.id AND a.active = 1"
    "   AND a.last_login_at IS NOT NULL),"
    GRANTED("head", "") "," GRANTED("head", " AND a.last_login_at IS NOT NULL") ","
    GRANTED("clerk", "") "," GRANTED("clerk", " AND a.last_login_at IS NOT NULL") ","
    GRANTED("head", " AND ur.scope <> 'unit'") ","
    GRANTED("head", " AND ur.scope <> 'unit' AND a.last_login_at IS NOT NULL") ","
    " (SELECT COUNT(*) FROM app_user a WHERE a.org_unit_id = o.id AND a.active = 1 AND ("
    "   EXISTS(SELECT 1 FROM user_role ur JOIN role r ON r.id = ur.role_id WHERE ur.user_id = a.id"
    "     AND r.code IN ('dispatcher', 'leader', 'admin', 'auditor'))"
    "   OR EXISTS(SELECT 1 FROM pending_grant p WHERE p.user_id = a.id))),"
    " (SELECT COUNT(*) FROM base_item b WHERE b.org_unit_id = o.id AND b.active = 1),"
    " COALESCE(o.forms, -1),"
    " (SELECT MIN(e.submitted_at) FROM entry e WHERE e.org_unit_id = o.id AND e.submitted_at IS NOT NULL)"
    " FROM org_unit o WHERE o.active = 1", "");
#undef GRANTED
  if( err ) return nerr_pass(err);
  int k = 0;
  while( db_step(st) ){
    if( k>=count ) continue;
    READYROW *x = &r[k++];
    x->unit_id = db_int(st, 0);
    x->accounts = (int)db_int(st, 1);
    x->activated = (int)db_int(st, 2);
    x->heads = (int)db_int(st, 3);
    x->heads_active = (int)db_int(st, 4);
    x->clerks = (int)db_int(st, 5);
    x->clerks_active = (int)db_int(st, 6);
    x->heads_below = (int)db_int(st, 7);
    x->heads_below_active = (int)db_int(st, 8);
    x->staff = (int)db_int(st, 9);
    x->base_items = (int)db_int(st, 10);
    x->forms = (int)db_int(st, 11);
    x->first_entry = db_text(st, 12);
  }
  *rows = r;
  *n = k;
  return STATUS_OK;
}

NEOERR *q_unit_set_forms(DB *db, long long id, int forms){
  if( forms<0 ) return nerr_pass(db_exec(db,
    "UPDATE org_unit SET forms = NULL, updated_at = UTC_TIMESTAMP(), version = version + 1 WHERE id = ?",
    "i", id));
  return nerr_pass(db_exec(db,
    "UPDATE org_unit SET forms = ?, updated_at = UTC_TIMESTAMP(), version = version + 1 WHERE id = ?",
    "ii", (long long)(forms ? 1 : 0), id));
}

NEOERR *q_batch_insert(DB *db, const BATCH *b, long long *id){
  NEOERR *err = db_exec(db,
    "INSERT INTO import_batch (kind, filename, sha256, encoding, content, user_id, status,"
    " n_rows, n_new, n_updated, n_errors, created_at) VALUES (?,?,?,?,?,?,'checked',?,?,?,?,UTC_TIMESTAMP())",
    "ssssbiiiii", b->kind, b->filename, b->sha256, b->encoding, b->content, b->len, b->user_id,
    (long long)b->n_rows, (long long)b->n_new, (long long)b->n_updated, (long long)b->n_errors);
  if( err ) return nerr_pass(err);
  *id = (long long)db_last_id(db);
  return STATUS_OK;
}

NEOERR *q_batch_get(DB *db, long long id, long long user_id, BATCH *b, int *found){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT id, user_id, kind, filename, sha256, encoding, status, created_at, content,"
    " n_rows, n_new, n_updated, n_errors FROM import_batch WHERE id = ? AND user_id = ?",
    "ii", id, user_id);
  if( err ) return nerr_pass(err);
  *found = db_step(st);
  if( *found ){
    b->id = db_int(st, 0);
    b->user_id = db_int(st, 1);
    b->kind = db_text(st, 2);
    b->filename = db_text(st, 3);
    b->sha256 = db_text(st, 4);
    b->encoding = db_text(st, 5);
    b->status = db_text(st, 6);
    b->created_at = db_text(st, 7);
    b->content = db_text(st, 8);
    b->len = db_len(st, 8);
    b->n_rows = (int)db_int(st, 9);
    b->n_new = (int)db_int(st, 10);
    b->n_updated = (int)db_int(st, 11);
    b->n_errors = (int)db_int(st, 12);
  }
  db_done(st);
  return STATUS_OK;
}

NEOERR *q_batch_applied(DB *db, long long id, int n_new, int n_updated, int *ok){
  NEOERR *err = db_exec(db,
    "UPDATE import_batch SET status = 'applied', applied_at = UTC_TIMESTAMP(), n_new = ?,"
    " n_updated = ?, content = '' WHERE id = ? AND status = 'checked'",
    "iii", (long long)n_new, (long long)n_updated, id);
  if( err ) return nerr_pass(err);
  *ok = db_affected(db)==1;
  return STATUS_OK;
}

NEOERR *q_batches_hdf(DB *db, long long user_id, HDF *out, const char *prefix, int *n){
  DB_STMT *st;
  NEOERR *err = db_query(db, &st,
    "SELECT id, kind, filename, status, n_rows, n_new, n_updated, n_errors, created_at,"
    " (SELECT COUNT(*) FROM activation_sheet s WHERE s.batch_id = b.id)"
    " FROM import_batch b WHERE user_id = ? ORDER BY id DESC LIMIT 20", "i", user_id);
  if( err ) return nerr_pass(err);
  return nerr_pass(db_hdf_rows(st, out, prefix,
    "id,kind,filename,status,rows,new,updated,errors,created_at,codes", n));
}
