/*
** audit.c -- the auditor's executable (安全审计, /audit/): the audit log with
** its filters and keyset paging, one record's change field by field, an
** object's whole history, CSV/XLSX exports (themselves audited), the
** dashboard of what needs a look (审计看板), verification of the chain and
** its archives, and reading an archive.
**
** Every route of the log needs CAP_AUDIT, and nothing there changes
** anything but the log itself (an export leaves its record).  The security
** officer's page (三员管理, /audit/officer, CAP_SECURITY) grants, resets and
** revokes auditors (sec.h) -- the auditor cannot, nor can an administrator.  Filters are in the company's
** time zone; a time range becomes an id range (records' times never go
** backwards), so every page is an index range scan (docs/ARCHITECTURE.md).
*/
#define _GNU_SOURCE
#include "app.h"
#include "audit.h"
#include "conf.h"
#include "day.h"
#include "dl.h"
#include "form.h"
#include "err.h"
#include "hset.h"
#include "json.h"
#include "q_org.h"
#include "q_base.h"
#include "q_sec.h"
#include "sec.h"
#include "str.h"
#include "view.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE 50

static long long qnum(REQ *r, const char *name){
  const char *v = req_query(r, name);
  if( v==NULL || *v==0 ) return 0;
  char *end;
  long long n = strtoll(v, &end, 10);
  return *end || n<0 ? -1 : n;
}

/* a filter text from the query: trimmed, at most max bytes */
static const char *qtext(REQ *r, const char *name, size_t max){
  const char *v = req_query(r, name);
  if( v==NULL ) return "";
  return utf8_sanitize(req_arena(r), str_trim(req_arena(r), v), max);
}

/* "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" in the company's zone -> UTC text;
** end: a bare date means the end of that day (the next midnight) */
static int local_to_utc(REQ *r, const char *s, int end, const char **utc){
  DAYCAL cal;
  int y, m, d, hh = 0, mm = 0, n = 0;
  *utc = NULL;
  if( !*s ) return 0;
  int k = sscanf(s, "%4d-%2d-%2d%n %2d:%2d%n", &y, &m, &d, &n, &hh, &mm, &n);
  if( (k!=3 && k!=5) || s[n] || !day_ymd_ok(y, m, d) || hh>23 || mm>59 ) return -1;
  NEOERR *err = day_cal_conf(&cal, req_conf(r));
  if( err ){ nerr_ignore(&err); return -1; }
  long secs = k==5 ? hh * 3600L + mm * 60L : end ? 86400L : 0;
  char buf[DAY_KEYSZ];
  *utc = arena_strdup(req_arena(r), day_utc_text(day_utc(&cal, day_num(y, m, d), secs), buf));
  return 0;
}

static long tz_offset(void){
  time_t now = time(NULL);
  struct tm lt;
  localtime_r(&now, &lt);          /* TZ is Site.TimeZone (app.c) */
  return lt.tm_gmtoff;
}

/* the filters of a list, an export or a count link, from the query; the
** form's values go back into Filter.* */
static NEOERR *filters(REQ *r, AUDIT_FILTER *f, int *bad){
  DB *db = app_db(r);
  const char *from = qtext(r, "from", 20), *to = qtext(r, "to", 20), *u;
  NEOERR *err;
  memset(f, 0, sizeof *f);
  *bad = 0;
  f->login = qtext(r, "login", 64);
  f->action = qtext(r, "action", 40);
  f->object = qtext(r, "object", 200);
  f->obj_type = qtext(r, "type", 40);
  f->result = qtext(r, "result", 16);
  f->ip = qtext(r, "ip", 45);
  f->group = qtext(r, "group", 16);
  f->unit_id = qnum(r, "unit");
  f->before = qnum(r, "before");
  if( f->unit_id<0 || f->before<0 ) return nerr_raise(ERR_INPUT, "bad_request");
  if( strcmp(qtext(r, "off", 2), "1")==0 ){
    f->off_hours = 1;
    f->off_start = (int)conf_int(req_conf(r), "Audit.WorkStart", 8);
    f->off_end = (int)conf_int(req_conf(r), "Audit.WorkEnd", 18);
    f->off_weekend = conf_int(req_conf(r), "Audit.WeekendsOff", 1)!=0;
    f->tz_offset = tz_offset();
  }
  if( local_to_utc(r, from, 0, &u) ){ *bad = 1; view_set_text(r, "Form.Error", "aud.bad_time"); }
  else if( u ){
    if( (err = q_audit_id_from(db, u, &f->from_id)) ) return nerr_pass(err);
    if( f->from_id<0 ) f->from_id = 0x7fffffffffffffffLL;      /* nothing that late: an empty page */
  }
  if( local_to_utc(r, to, 1, &u) ){ *bad = 1; view_set_text(r, "Form.Error", "aud.bad_time"); }
  else if( u ){
    if( (err = q_audit_id_before(db, u, &f->to_id)) ) return nerr_pass(err);
    if( f->to_id<0 ){ f->to_id = 1; f->from_id = 2; }           /* nothing that early */
  }
  HDF *h = req_hdf(r);
  hset_str(h, "Filter.from", from);
  hset_str(h, "Filter.to", to);
  hset_str(h, "Filter.login", f->login);
  hset_str(h, "Filter.action", f->action);
  hset_str(h, "Filter.object", f->object);
  hset_str(h, "Filter.type", f->obj_type);
  hset_str(h, "Filter.result", f->result);
  hset_str(h, "Filter.ip", f->ip);
  hset_str(h, "Filter.group", f->group);
  hset_int(h, "Filter.unit", f->unit_id);
  hset_int(h, "Filter.off", f->off_hours);
  /* the same filters as a query string, for the next page and exports */
  STRING q;
  string_init(&q);
  static const char *const names[] = { "from", "to", "login", "action", "object", "type", "result", "ip", "group", "unit", "off", "archive" };
  for(size_t i=0; i<sizeof names/sizeof names[0]; i++){
    const char *v = qtext(r, names[i], 200);
    if( *v ) string_appendf(&q, "%s%s=%s", q.len ? "&" : "", names[i], url_encode(req_arena(r), v));
  }
  hset_str(h, "Filter.query", q.buf ? q.buf : "");
  string_clear(&q);
  return STATUS_OK;
}

/* role codes "admin,auditor" -> their names in the user's language */
static const char *role_names(REQ *r, ROLEROW *roles, int nroles, const char *codes){
  if( codes==NULL || !*codes ) return "";
  int en = strcmp(view_lang(r), "en")==0;
  STRING s;
  string_init(&s);
  char *buf = arena_strdup(req_arena(r), codes);
  for(char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)){
    const char *name = strcmp(t, "operator")==0 ? view_text(r, "aud.operator") : t;
    for(int i=0; i<nroles; i++) if( strcmp(roles[i].code, t)==0 ) name = en ? roles[i].name_en : roles[i].name_zh;
    string_appendf(&s, "%s%s", s.len ? (en ? ", " : "、") : "", name);
  }
  char *out = arena_strdup(req_arena(r), s.buf ? s.buf : "");
  string_clear(&s);
  return out;
}

/* action, result and object type in words (Lang.auda.*, Lang.audr.*, Lang.audo.*) */
static const char *words(REQ *r, const char *group, const char *code){
  char key[80];
  snprintf(key, sizeof key, "%s.%s", group, code ? code : "");
  for(char *p = key + strlen(group) + 1; *p; p++) if( *p=='.' || *p==':' || *p=='-' ) *p = '_';
  /* "import.base:vehicle" falls back to import_base */
  for(;;){
    const char *v = hdf_get_valuef(req_hdf(r), "Lang.%s", key);
    if( v ) return v;
    char *cut = strrchr(key + strlen(group) + 1, '_');
    if( cut==NULL ) return code;
    *cut = 0;
  }
}

static const char *local_time(REQ *r, const char *utc){
  /* "YYYY-MM-DD HH:MM:SS[.ffffff]" UTC -> local, to the second */
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  if( utc==NULL || strptime(utc, "%Y-%m-%d %H:%M:%S", &tm)==NULL ) return "";
  time_t t = timegm(&tm);
  struct tm lt;
  localtime_r(&t, &lt);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &lt);
  return arena_strdup(req_arena(r), buf);
}

/* words for each row of a list already in HDF */
static NEOERR *decorate(REQ *r, const char *list){
  ROLEROW *roles;
  int nroles;
  NEOERR *err = q_roles(app_db(r), &roles, &nroles);
  if( err ) return nerr_pass(err);
  HDF *l = hdf_get_obj(req_hdf(r), list);
  for(HDF *c = l ? hdf_obj_child(l) : NULL; c; c = hdf_obj_next(c)){
    hset_str(c, "local", local_time(r, hdf_get_value(c, "at", NULL)));
    hset_str(c, "role_names", role_names(r, roles, nroles, hdf_get_value(c, "role", "")));
    hset_str(c, "action_name", words(r, "auda", hdf_get_value(c, "action", "")));
    hset_str(c, "result_name", words(r, "audr", hdf_get_value(c, "result", "")));
    const char *obj = hdf_get_value(c, "object", "");
    const char *colon = strchr(obj, ':');
    if( colon ){
      hset_str(c, "obj_type", words(r, "audo", arena_strndup(req_arena(r), obj, (size_t)(colon - obj))));
      hset_str(c, "obj_key", colon + 1);
    }else hset_str(c, "obj_key", obj);
  }
  return STATUS_OK;
}

static NEOERR *unit_options(REQ *r){
  UNITROW *u;
  int n;
  NEOERR *err = q_units_all(app_db(r), &u, &n);
  if( err ) return nerr_pass(err);
  for(int i=0; i<n; i++){
    hset_fmt(req_hdf(r), "UnitOpts.%d.id=%lld", i, u[i].id);
    hset_fmt(req_hdf(r), "UnitOpts.%d.label=%s (%s)", i, u[i].name, u[i].code);
  }
  return STATUS_OK;
}

/* an archive named by ?archive=<its record id>, or none */
static NEOERR *archive_param(REQ *r, AUDIT_ARCHIVE *ar, int *have){
  long long id = qnum(r, "archive");
  *have = 0;
  if( id<0 ) return nerr_raise(ERR_INPUT, "bad_request");
  if( id==0 ) return STATUS_OK;
  NEOERR *err = audit_archive_get(app_ctx(r), id, ar, have);
  if( err ) return nerr_pass(err);
  if( !*have ) return nerr_raise(ERR_NOTFOUND, "not_found");
  hset_int(req_hdf(r), "Archive.id", id);
  hset_int(req_hdf(r), "Archive.first", ar->first);
  hset_int(req_hdf(r), "Archive.last", ar->last);
  hset_str(req_hdf(r), "Archive.file", ar->file);
  return STATUS_OK;
}

/* archived rows into HDF as the list shows them */
static void rows_hdf(REQ *r, const char *prefix, const AUDIT_ROW *w, int n){
  HDF *h = req_hdf(r);
  for(int i=0; i<n; i++){
    hset_fmt(h, "%s.%d.id=%lld", prefix, i, w[i].id);
    hset_fmt(h, "%s.%d.at=%.19s", prefix, i, w[i].at);
    hset_fmt(h, "%s.%d.login=%s", prefix, i, w[i].r.login ? w[i].r.login : "");
    hset_fmt(h, "%s.%d.role=%s", prefix, i, w[i].r.role ? w[i].r.role : "");
    hset_fmt(h, "%s.%d.unit=%s", prefix, i, w[i].r.unit ? w[i].r.unit : "");
    hset_fmt(h, "%s.%d.ip=%s", prefix, i, w[i].r.ip ? w[i].r.ip : "");
    hset_fmt(h, "%s.%d.action=%s", prefix, i, w[i].r.action ? w[i].r.action : "");
    hset_fmt(h, "%s.%d.object=%s", prefix, i, w[i].r.object ? w[i].r.object : "");
    hset_fmt(h, "%s.%d.result=%s", prefix, i, w[i].r.result ? w[i].r.result : "");
    hset_fmt(h, "%s.%d.req_id=%s", prefix, i, w[i].r.req_id ? w[i].r.req_id : "");
  }
}

/* ------------------------------------------------------------------ */
/* the log                                                             */

static NEOERR *log_page(REQ *r){
  AUDIT_FILTER f;
  AUDIT_ARCHIVE ar;
  int n = 0, bad, have;
  NEOERR *err = filters(r, &f, &bad);
  if( !err ) err = archive_param(r, &ar, &have);
  if( err ) return nerr_pass(err);
  if( bad ) req_set_status(r, 400);
  else if( have ){
    AUDIT_ROW *rows;
    if( (err = audit_archive_rows(app_ctx(r), &ar, &f, PAGE + 1, &rows, &n)) ) return nerr_pass(err);
    rows_hdf(r, "Rows", rows, n);
  }else if( (err = q_audit_page(app_db(r), req_hdf(r), "Rows", &f, PAGE + 1, &n)) ) return nerr_pass(err);
  if( n>PAGE ){
    hset_str(req_hdf(r), "Next", hdf_get_valuef(req_hdf(r), "Rows.%d.id", PAGE - 1));
    hdf_remove_tree(req_hdf(r), arena_printf(req_arena(r), "Rows.%d", PAGE));
  }
  hset_int(req_hdf(r), "Shown", n>PAGE ? PAGE : n);
  if( (err = decorate(r, "Rows")) ) return nerr_pass(err);
  if( (err = unit_options(r)) ) return nerr_pass(err);
  if( (err = q_audit_actions(app_db(r), req_hdf(r), "Actions", &n)) ) return nerr_pass(err);
  for(HDF *c = hdf_get_obj(req_hdf(r), "Actions") ? hdf_obj_child(hdf_get_obj(req_hdf(r), "Actions")) : NULL;
      c; c = hdf_obj_next(c))
    hset_str(c, "name", words(r, "auda", hdf_get_value(c, "action", "")));
  if( *f.object ){
    hset_str(req_hdf(r), "History.object", f.object);
    const char *colon = strchr(f.object, ':');
    hset_str(req_hdf(r), "History.type", colon ? words(r, "audo", arena_strndup(req_arena(r), f.object, (size_t)(colon - f.object))) : "");
    hset_str(req_hdf(r), "History.key", colon ? colon + 1 : f.object);
  }
  return nerr_pass(app_page(r, "audit_log"));
}

/* one record: who, when, from where, and its change field by field */
static NEOERR *record(REQ *r){
  AUDIT_ROW w;
  int found;
  long long id = qnum(r, "id"), arch = qnum(r, "archive");
  if( id<=0 || arch<0 ) return nerr_raise(ERR_INPUT, "bad_request");
  NEOERR *err;
  if( arch ){
    AUDIT_ARCHIVE ar;
    AUDIT_FILTER f;
    AUDIT_ROW *rows;
    int n, have;
    if( (err = archive_param(r, &ar, &have)) ) return nerr_pass(err);
    memset(&f, 0, sizeof f);
    f.before = id + 1;
    if( (err = audit_archive_rows(app_ctx(r), &ar, &f, 1, &rows, &n)) ) return nerr_pass(err);
    found = n==1 && rows[0].id==id;
    if( found ) w = rows[0];
  }else if( (err = q_audit_get(app_db(r), id, &w, &found)) ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  rows_hdf(r, "Rows", &w, 1);
  if( (err = decorate(r, "Rows")) ) return nerr_pass(err);
  HDF *rec = hdf_get_obj(req_hdf(r), "Rows.0");
  hset_str(rec, "at_utc", w.at);
  hset_str(rec, "ua", w.r.ua);
  hset_int(rec, "user_id", w.r.user_id);
  hset_int(rec, "alg", w.alg);
  hset_str(rec, "mac", w.mac);
  hset_str(rec, "prev", w.prev);
  hset_str(rec, "detail", w.r.detail);
  /* the change: every field under before/after, side by side; the rest
  ** of the detail as it is */
  JSON_KV *kv;
  int n = json_flatten(req_arena(r), w.r.detail, &kv), nc = 0, nd = 0, nc2 = 0;
  HDF *h = req_hdf(r);
  /* a base-data record's fields are named by its kind's labels (车牌号, 载重) */
  BASEKIND kind;
  int have_kind = 0;
  if( w.r.object && strncmp(w.r.object, "base:", 5)==0 ){
    const char *end = strchr(w.r.object + 5, ':');
    if( end && (err = q_kind_get(app_db(r), arena_strndup(req_arena(r), w.r.object + 5, (size_t)(end - w.r.object - 5)),
                                 &kind, &have_kind)) ) return nerr_pass(err);
  }
  /* a sheet's record: changes.N.{row,field,old,new}, named by its form's labels */
  const FORM *form = NULL;
  if( w.r.object && strncmp(w.r.object, "entry:", 6)==0 ){
    const char *code = json_get(kv, n, "form");
    if( code && (err = form_get(app_ctx(r), code, &form)) ) return nerr_pass(err);
  }
  for(int i=0; i<n; i++){
    const char *p = kv[i].path;
    int is_b = strncmp(p, "before.", 7)==0, is_a = strncmp(p, "after.", 6)==0;
    if( strncmp(p, "changes.", 8)==0 ){
      char *end;
      long ci = strtol(p + 8, &end, 10);
      if( *end!='.' ) continue;
      const char *leaf = end + 1;
      if( ci<0 || ci>=10000 ) continue;
      int k = (int)ci;                 /* a sheet's record has no before/after fields */
      if( strcmp(leaf, "field")==0 ){
        const char *label = NULL;
        int row = hdf_get_int_value(h, arena_printf(req_arena(r), "Changes.%d.row", k), 0);
        for(int f=0; form && f<(row ? form->nrf : form->nhf) && !label; f++){
          const FFIELD *ff = row ? &form->rf[f] : &form->hf[f];
          if( kv[i].value && strcmp(ff->code, kv[i].value)==0 ) label = ff->label;
        }
        if( label==NULL ) label = kv[i].value ? kv[i].value : "";
        hset_fmt(h, "Changes.%d.field=%s", k, kv[i].value ? kv[i].value : "");
        hset_fmt(h, "Changes.%d.label=%s", k, row ? arena_printf(req_arena(r), "%s%d%s %s",
                 view_text(r, "aud.row_a"), row, view_text(r, "aud.row_b"), label) : label);
        hset_fmt(h, "Changes.%d.has_old=1", k);
        hset_fmt(h, "Changes.%d.has_new=1", k);
      }else if( strcmp(leaf, "row")==0 ) hset_fmt(h, "Changes.%d.row=%s", k, kv[i].value ? kv[i].value : "0");
      else if( strcmp(leaf, "old")==0 || strcmp(leaf, "new")==0 ){
        if( kv[i].value && *kv[i].value ) hset_fmt(h, "Changes.%d.%s=%s", k, leaf, kv[i].value);
      }else if( strcmp(leaf, "removed_row")==0 ){
        hset_fmt(h, "Changes.%d.label=%s%s%s", k, view_text(r, "aud.row_a"), kv[i].value ? kv[i].value : "",
                 view_text(r, "aud.row_removed"));
        hset_fmt(h, "Changes.%d.has_old=1", k);
      }
      if( k + 1>nc2 ) nc2 = k + 1;
      continue;
    }
    if( !is_b && !is_a ){
      hset_fmt(h, "Detail.%d.key=%s", nd, p);
      if( !strchr(p, '.') && hdf_get_valuef(h, "Lang.audf.%s", p) )
        hset_fmt(h, "Detail.%d.label=%s", nd, hdf_get_valuef(h, "Lang.audf.%s", p));
      hset_fmt(h, "Detail.%d.value=%s", nd++, kv[i].value ? kv[i].value : "");
      continue;
    }
    const char *field = is_b ? p + 7 : p + 6;
    int k;
    for(k=0; k<nc; k++) if( strcmp(hdf_get_valuef(h, "Changes.%d.field", k), field)==0 ) break;
    if( k==nc ){
      hset_fmt(h, "Changes.%d.field=%s", k, field);
      const char *label = NULL;
      for(int f=0; have_kind && f<kind.nfields && !label; f++) if( strcmp(kind.f[f].code, field)==0 ) label = kind.f[f].label;
      if( !label && !strchr(field, '.') ) label = hdf_get_valuef(h, "Lang.audf.%s", field);
      hset_fmt(h, "Changes.%d.label=%s", k, label ? label : field);
      nc++;
    }
    if( kv[i].value && *kv[i].value ) hset_fmt(h, "Changes.%d.%s=%s", k, is_b ? "old" : "new", kv[i].value);
    hset_fmt(h, "Changes.%d.has_%s=1", k, is_b ? "old" : "new");
  }
  if( nc2>nc ) nc = nc2;
  for(int k=0; k<nc; k++){
    const char *o = hdf_get_valuef(h, "Changes.%d.old", k), *nw = hdf_get_valuef(h, "Changes.%d.new", k);
    int differs = (hdf_get_valuef(h, "Changes.%d.has_old", k)==NULL)!=(hdf_get_valuef(h, "Changes.%d.has_new", k)==NULL)
                  || strcmp(o ? o : "", nw ? nw : "")!=0;
    hset_fmt(h, "Changes.%d.changed=%d", k, differs);
  }
  if( n<0 ) hset_int(h, "DetailRaw", 1);
  return nerr_pass(app_page(r, "audit_record"));
}

/* CSV or XLSX of the filtered records (at most Audit.ExportMax), with its
** own record in the log: the export is audited before it is sent */
static NEOERR *export(REQ *r){
  AUDIT_FILTER f;
  AUDIT_ARCHIVE ar;
  AUDIT_ROW *rows;
  int n, bad, have;
  const char *fmt = req_query(r, "fmt");
  int max = (int)conf_int(req_conf(r), "Audit.ExportMax", 100000);
  NEOERR *err = filters(r, &f, &bad);
  if( !err ) err = archive_param(r, &ar, &have);
  if( err ) return nerr_pass(err);
  if( bad ) return nerr_raise(ERR_INPUT, "bad_request");
  if( have ) err = audit_archive_rows(app_ctx(r), &ar, &f, max, &rows, &n);
  else err = q_audit_list(app_db(r), &f, max, &rows, &n);
  if( err ) return nerr_pass(err);
  ROLEROW *roles;
  int nroles;
  if( (err = q_roles(app_db(r), &roles, &nroles)) ) return nerr_pass(err);
  static const char *const hdr[] = { "编号", "时间", "账户", "角色", "单位编码", "IP 地址", "浏览器",
                                     "请求编号", "操作", "操作代码", "对象", "结果", "详情" };
  TABLE *t = dl_table_new(req_arena(r), n, 13, hdr);
  for(int i=0; i<n; i++){
    char **c = t->rows[i + 1].cols;
    c[0] = arena_printf(req_arena(r), "%lld", rows[i].id);
    c[1] = (char*)local_time(r, rows[i].at);
    c[2] = (char*)(rows[i].r.login ? rows[i].r.login : "");
    c[3] = (char*)role_names(r, roles, nroles, rows[i].r.role);
    c[4] = (char*)(rows[i].r.unit ? rows[i].r.unit : "");
    c[5] = (char*)(rows[i].r.ip ? rows[i].r.ip : "");
    c[6] = (char*)(rows[i].r.ua ? rows[i].r.ua : "");
    c[7] = (char*)(rows[i].r.req_id ? rows[i].r.req_id : "");
    c[8] = (char*)words(r, "auda", rows[i].r.action);
    c[9] = (char*)(rows[i].r.action ? rows[i].r.action : "");
    c[10] = (char*)(rows[i].r.object ? rows[i].r.object : "");
    c[11] = (char*)words(r, "audr", rows[i].r.result);
    c[12] = (char*)(rows[i].r.detail ? rows[i].r.detail : "");
  }
  CTX *c = app_ctx(r);
  JSON j;
  json_open(&j);
  json_str(&j, "format", fmt && strcmp(fmt, "xlsx")==0 ? "xlsx" : "csv");
  json_str(&j, "filter", hdf_get_value(req_hdf(r), "Filter.query", ""));
  json_int(&j, "rows", n);
  json_end(&j);
  const char *detail = json_done(&j, req_arena(r));
  if( (err = DB_TX(c->db, NULL, ctx_audit(c, "export.audit", have ? arena_printf(req_arena(r), "archive:%lld-%lld", ar.first, ar.last) : "audit:log", "ok", detail))) )
    return nerr_pass(err);
  return nerr_pass(dl_table(r, t, "审计日志", fmt));
}

/* ------------------------------------------------------------------ */
/* the dashboard                                                       */

static NEOERR *count_into(REQ *r, const char *name, AUDIT_FILTER *f, const char *link){
  long long n;
  NEOERR *err = q_audit_count(app_db(r), f, &n);
  if( err ) return nerr_pass(err);
  hset_fmt(req_hdf(r), "Dash.%s.n=%lld", name, n);
  hset_fmt(req_hdf(r), "Dash.%s.link=%s", name, link);
  return STATUS_OK;
}

static NEOERR *dashboard(REQ *r){
  long long days = qnum(r, "days");
  if( days<0 || days>366 ) return nerr_raise(ERR_INPUT, "bad_request");
  if( days==0 ) days = 7;
  DAYCAL cal;
  NEOERR *err = day_cal_conf(&cal, req_conf(r));
  if( err ) return nerr_pass(err);
  /* from the start of the day `days - 1` days ago, local time */
  YMD today = day_today(&cal, time(NULL));
  YMD start = day_ymd(day_num(today.y, today.m, today.d) - (days - 1));
  char since[DAY_KEYSZ], utc[DAY_KEYSZ];
  day_ymd_text(start, since);
  day_utc_text(day_utc(&cal, day_num(start.y, start.m, start.d), 0), utc);
  long long from_id;
  if( (err = q_audit_id_from(app_db(r), utc, &from_id)) ) return nerr_pass(err);
  if( from_id<0 ) from_id = 0x7fffffffffffffffLL;
  hset_str(req_hdf(r), "Dash.since", since);
  hset_int(req_hdf(r), "Dash.days", days);
  long long min = conf_int(req_conf(r), "Audit.FailThreshold", 3);
  hset_int(req_hdf(r), "Dash.min", min);
  int n;
  if( (err = q_audit_fail_by(app_db(r), req_hdf(r), "Dash.by_login", "login", from_id, min, &n)) ) return nerr_pass(err);
  if( (err = q_audit_fail_by(app_db(r), req_hdf(r), "Dash.by_ip", "ip", from_id, min, &n)) ) return nerr_pass(err);

  const char *base = arena_printf(req_arena(r), "/audit/?from=%s", since);
  AUDIT_FILTER f;
  memset(&f, 0, sizeof f);
  f.from_id = from_id;
  f.group = "lockouts";
  if( (err = count_into(r, "lockouts", &f, arena_printf(req_arena(r), "%s&group=lockouts", base))) ) return nerr_pass(err);
  f.group = "grants";
  if( (err = count_into(r, "grants", &f, arena_printf(req_arena(r), "%s&group=grants", base))) ) return nerr_pass(err);
  f.group = "io";
  if( (err = count_into(r, "io", &f, arena_printf(req_arena(r), "%s&group=io", base))) ) return nerr_pass(err);
  f.group = "resets";
  if( (err = count_into(r, "resets", &f, arena_printf(req_arena(r), "%s&group=resets", base))) ) return nerr_pass(err);
  f.group = NULL;
  f.result = "denied";
  if( (err = count_into(r, "denied", &f, arena_printf(req_arena(r), "%s&result=denied", base))) ) return nerr_pass(err);
  f.result = "refused";
  if( (err = count_into(r, "refused", &f, arena_printf(req_arena(r), "%s&result=refused", base))) ) return nerr_pass(err);
  f.result = "ok";
  f.off_hours = 1;
  f.off_start = (int)conf_int(req_conf(r), "Audit.WorkStart", 8);
  f.off_end = (int)conf_int(req_conf(r), "Audit.WorkEnd", 18);
  f.off_weekend = conf_int(req_conf(r), "Audit.WeekendsOff", 1)!=0;
  f.tz_offset = tz_offset();
  hset_int(req_hdf(r), "Dash.work_start", f.off_start);
  hset_int(req_hdf(r), "Dash.work_end", f.off_end);
  hset_int(req_hdf(r), "Dash.weekends", f.off_weekend);
  if( (err = count_into(r, "offhours", &f, arena_printf(req_arena(r), "%s&result=ok&off=1", base))) ) return nerr_pass(err);
  f.off_hours = 0;
  f.result = NULL;
  f.group = "loginfail";
  if( (err = count_into(r, "loginfail", &f, arena_printf(req_arena(r), "%s&group=loginfail", base))) ) return nerr_pass(err);
  return nerr_pass(app_page(r, "audit_dash"));
}

/* ------------------------------------------------------------------ */
/* verification                                                        */

static NEOERR *verify(REQ *r){
  AUDIT_CHECK v;
  CTX *c = app_ctx(r);
  NEOERR *err = audit_verify(c, &v);
  if( err ) return nerr_pass(err);
  HDF *h = req_hdf(r);
  hset_int(h, "Check.intact", v.bad_id==0);
  hset_int(h, "Check.records", v.records);
  hset_int(h, "Check.first", v.first);
  hset_int(h, "Check.last", v.last);
  hset_str(h, "Check.last_at", *v.last_at ? local_time(r, v.last_at) : "");
  hset_int(h, "Check.keyed_from", v.keyed_from);
  hset_int(h, "Check.anchors", v.anchors);
  hset_int(h, "Check.bad_id", v.bad_id);
  hset_int(h, "Check.bad_to", v.bad_to);
  if( v.how ) view_set_text(r, "Check.how", arena_printf(req_arena(r), "aud.how_%s", v.how));
  hset_int(h, "Check.archives", v.archives);
  hset_int(h, "Check.archives_bad", v.archives_bad);
  if( v.archive_why && strcmp(v.archive_why, "gap")==0 ) hset_str(h, "Check.gap", v.archive_bad);
  hset_int(h, "Check.key", audit_key()!=NULL);
  int n;
  if( (err = q_audit_archives(c->db, h, "Archives", &n)) ) return nerr_pass(err);
  for(int i=0; i<n; i++){
    AUDIT_ARCHIVE ar;
    int found;
    const char *why;
    if( (err = audit_archive_get(c, atoll(hdf_get_valuef(h, "Archives.%d.id", i) ? hdf_get_valuef(h, "Archives.%d.id", i) : "0"), &ar, &found)) ) return nerr_pass(err);
    if( !found ) continue;
    if( (err = audit_archive_check(c, &ar, &why)) ) return nerr_pass(err);
    hset_fmt(h, "Archives.%d.first=%lld", i, ar.first);
    hset_fmt(h, "Archives.%d.last=%lld", i, ar.last);
    hset_fmt(h, "Archives.%d.records=%lld", i, ar.records);
    hset_fmt(h, "Archives.%d.file=%s", i, ar.file);
    hset_fmt(h, "Archives.%d.sha256=%s", i, ar.sha256);
    hset_fmt(h, "Archives.%d.local=%s", i, local_time(r, hdf_get_valuef(h, "Archives.%d.at", i)));
    hset_fmt(h, "Archives.%d.ok=%d", i, why==NULL);
    if( why ) hset_fmt(h, "Archives.%d.why=%s", i, view_text(r, arena_printf(req_arena(r), "aud.arch_%s", why)));
  }
  return nerr_pass(app_page(r, "audit_verify"));
}

/* ------------------------------------------------------------------ */
/* 三员管理: the security officer grants, resets and revokes auditors     */

static NEOERR *officer_page(REQ *r){
  HDF *h = req_hdf(r);
  int n, ng;
  NEOERR *err = q_sec_accounts_hdf(app_db(r), h, "Accounts", &n);
  if( err ) return nerr_pass(err);
  ROLEROW *roles;
  int nroles;
  if( (err = q_roles(app_db(r), &roles, &nroles)) ) return nerr_pass(err);
  for(int i=0; i<n; i++){
    HDF *a = hdf_get_obj(h, arena_printf(req_arena(r), "Accounts.%d", i));
    hset_str(a, "role_names", role_names(r, roles, nroles, hdf_get_value(a, "roles", "")));
    if( (err = q_sec_grants_hdf(app_db(r), hdf_get_int_value(a, "id", 0), a, "grants", &ng)) ) return nerr_pass(err);
    for(HDF *g = hdf_get_obj(a, "grants") ? hdf_obj_child(hdf_get_obj(a, "grants")) : NULL; g; g = hdf_obj_next(g))
      hset_str(g, "name", role_names(r, roles, nroles, hdf_get_value(g, "role", "")));
  }
  if( (err = q_sec_pending_hdf(app_db(r), h, "Pending", &n)) ) return nerr_pass(err);
  for(int i=0; i<n; i++){
    HDF *p = hdf_get_obj(h, arena_printf(req_arena(r), "Pending.%d", i));
    hset_str(p, "role_name", role_names(r, roles, nroles, hdf_get_value(p, "role", "")));
  }
  const char *ok = req_query(r, "ok");
  if( ok && (strcmp(ok, "granted")==0 || strcmp(ok, "revoked")==0 || strcmp(ok, "confirmed")==0 || strcmp(ok, "rejected")==0) )
    view_set_text(r, "Form.Notice", arena_printf(req_arena(r), "sec.%s", ok));
  return nerr_pass(app_page(r, "audit_officer"));
}

static NEOERR *officer_grant(REQ *r){
  const char *msg;
  const char *login = utf8_sanitize(req_arena(r), str_trim(req_arena(r), req_form(r, "login") ? req_form(r, "login") : ""), 64);
  NEOERR *err = sec_grant(app_ctx(r), login, "auditor", &msg);
  if( err ) return nerr_pass(err);
  if( msg ){
    view_set_text(r, "Form.Error", msg);
    hset_str(req_hdf(r), "Form.login", login);
    req_set_status(r, 400);
    return nerr_pass(officer_page(r));
  }
  req_redirect(r, "/audit/officer?ok=granted");
  return STATUS_OK;
}

static NEOERR *officer_revoke(REQ *r){
  const char *msg;
  const char *v = req_form(r, "grant");
  long long id = v ? atoll(v) : 0;
  if( id<=0 ) return nerr_raise(ERR_INPUT, "bad_request");
  NEOERR *err = sec_revoke(app_ctx(r), id, &msg);
  if( err ) return nerr_pass(err);
  if( msg ){ view_set_text(r, "Form.Error", msg); req_set_status(r, 400); return nerr_pass(officer_page(r)); }
  req_redirect(r, "/audit/officer?ok=revoked");
  return STATUS_OK;
}

static NEOERR *officer_reset(REQ *r){
  const char *msg;
  char code[16];
  const char *v = req_form(r, "id");
  long long id = v ? atoll(v) : 0;
  if( id<=0 ) return nerr_raise(ERR_INPUT, "bad_request");
  NEOERR *err = sec_reset(app_ctx(r), id, code, &msg);
  if( err ) return nerr_pass(err);
  if( msg ){ view_set_text(r, "Form.Error", msg); req_set_status(r, 400); return nerr_pass(officer_page(r)); }
  USERROW u;
  int found;
  if( (err = q_user_row(app_db(r), id, NULL, &u, &found)) ) return nerr_pass(err);
  hset_str(req_hdf(r), "Code.login", u.login);
  hset_str(req_hdf(r), "Code.name", u.name);
  hset_str(req_hdf(r), "Code.code", code);
  hset_int(req_hdf(r), "Code.days", conf_int(req_conf(r), "Login.ActivationDays", 14));
  return nerr_pass(officer_page(r));
}

static NEOERR *officer_pending(REQ *r){
  const char *msg;
  const char *v = req_form(r, "pending"), *a = req_form(r, "accept");
  long long id = v ? atoll(v) : 0;
  if( id<=0 || a==NULL ) return nerr_raise(ERR_INPUT, "bad_request");
  int accept = strcmp(a, "1")==0;
  NEOERR *err = sec_pending(app_ctx(r), id, accept, &msg);
  if( err ) return nerr_pass(err);
  if( msg ){ view_set_text(r, "Form.Error", msg); req_set_status(r, 400); return nerr_pass(officer_page(r)); }
  req_redirect(r, accept ? "/audit/officer?ok=confirmed" : "/audit/officer?ok=rejected");
  return STATUS_OK;
}

#define AU CAP_AUDIT
#define SO CAP_SECURITY
#define L R_LOGIN
static const ROUTE routes[] = {
  { "GET",  "/audit/",          log_page,   L, AU, 0, 0 },
  { "GET",  "/audit/record",    record,     L, AU, 0, 0 },
  { "GET",  "/audit/export",    export,     L, AU, 0, 0 },
  { "GET",  "/audit/dashboard", dashboard,  L, AU, 0, 0 },
  { "GET",  "/audit/verify",    verify,     L, AU, 0, 0 },
  { "GET",  "/audit/officer",   officer_page,   L, SO, 0, 0 },
  { "POST", "/audit/officer/grant",  officer_grant,  L, SO, 0, 0 },
  { "POST", "/audit/officer/revoke", officer_revoke, L, SO, 0, 0 },
  { "POST", "/audit/officer/reset",  officer_reset,  L, SO, 0, 0 },
  { "POST", "/audit/officer/pending", officer_pending, L, SO, 0, 0 },
  { 0, 0, 0, 0, 0, 0, 0 }
};

int main(int argc, char **argv){
  return app_main("audit", routes, argc, argv);
}
