/*
** entry.c -- the entry executable (数据填报, /entry/): today's sheets of
** the clerk's units, the list of sheets (filters, keyset pages), a sheet
** to fill (header and rows; add and remove rows, copy the previous period,
** save a draft, submit), the read-only and printable views, and the
** dispatcher's reopening of a closed period, and a department's Excel
** ledger imported into drafts (a clerk for the own unit, an administrator
** for any unit in scope).
**
** Routes and thin handlers only: the sheet, its checks, its scope, its
** window, tokens and conflicts are the domain's (dom/entry.c); page data
** is web/sheet.c's.  Writing needs CAP_ENTRY (the route table); reading
** needs one of CAP_ENTRY, CAP_APPROVE, CAP_DISPATCH, and the grant's scope
** is checked in SQL for every sheet.
*/
#include "app.h"
#include "conf.h"
#include "err.h"
#include "hset.h"
#include "json.h"
#include "sheet.h"
#include "q_form.h"
#include "q_org.h"
#include "ledger.h"
#include "csv.h"
#include "str.h"
#include "view.h"
#include <stdlib.h>
#include <string.h>

#define PAGE 50

static long long num(REQ *r, const char *name){
  const char *v = req_param(r, name);
  if( v==NULL || *v==0 ) return 0;
  char *end;
  long long n = strtoll(v, &end, 10);
  if( *end || n<0 ) return -1;
  return n;
}

static void set(REQ *r, const char *name, const char *value){
  hset_str(req_hdf(r), name, value ? value : "");
}

static void notice(REQ *r, const char *key){ view_set_text(r, "Form.Notice", key); }

/* the page of a sheet to fill; status: 200, or 400/409 after a refusal */
static NEOERR *sheet_page(REQ *r, SHEET *s, const char *token, int status){
  NEOERR *err = sheet_hdf(r, s, 1);
  if( err ) return nerr_pass(err);
  set(r, "Sheet.token", token && *token ? token : sheet_token(r));
  view_set_text(r, "Page.Title", "entry.title_fill");
  req_set_status(r, status);
  return nerr_pass(app_page(r, "entry_sheet"));
}

/* a message instead of a sheet (closed period, a unit that does not submit ...) */
static NEOERR *notice_page(REQ *r, const char *msg, int status){
  set(r, "Notice.text", view_text(r, msg));
  set(r, "Notice.key", msg);
  req_set_status(r, status);
  view_set_text(r, "Page.Title", "entry.title");
  return nerr_pass(app_page(r, "entry_notice"));
}

/* ------------------------------------------------------------------ */
/* today, the list                                                     */

static NEOERR *home(REQ *r){
  NEOERR *err = sheet_today_hdf(r);
  if( err ) return nerr_pass(err);
  view_set_text(r, "Page.Title", "entry.title");
  return nerr_pass(app_page(r, "entry_home"));
}

/* forms and units for the filters and pickers */
static NEOERR *choices(REQ *r){
  QFORM *fs;
  QUNIT *us;
  int nf, nu;
  HDF *h = req_hdf(r);
  int en = strcmp(view_lang(r), "en")==0;
  NEOERR *err = q_forms(app_db(r), &fs, &nf);
  if( err ) return nerr_pass(err);
  for(int i=0, k=0; i<nf; i++){
    if( !fs[i].active ) continue;
    hset_fmt(h, "Forms.%d.code=%s", k, fs[i].code);
    hset_fmt(h, "Forms.%d.id=%lld", k, fs[i].id);
    hset_fmt(h, "Forms.%d.name=%s", k, en && fs[i].name_en ? fs[i].name_en : fs[i].name);
    hset_fmt(h, "Forms.%d.period=%s", k, fs[i].period);
    k++;
  }
  /* a user who reaches every unit needs no scope condition (user 0 in Q_SCOPE) */
  long long who = entry_reach_all(app_ctx(r), ENTRY_READ) ? 0 : app_user(r)->id;
  if( (err = q_units_for(app_db(r), who, ENTRY_READ, &us, &nu)) ) return nerr_pass(err);
  for(int i=0, k=0; i<nu; i++){
    hset_fmt(h, "Units.%d.id=%lld", i, us[i].id);
    hset_fmt(h, "Units.%d.label=%s (%s)", i, us[i].name, us[i].code);
    /* the units the user enters for: the same rule as Q_SCOPE, in C */
    if( !auth_unit_ok(app_user(r), CAP_ENTRY, us[i].path) ) continue;
    hset_fmt(h, "EntryUnits.%d.id=%lld", k, us[i].id);
    hset_fmt(h, "EntryUnits.%d.label=%s (%s)", k, us[i].name, us[i].code);
    k++;
  }
  DAYCAL cal;
  if( (err = day_cal_conf(&cal, req_conf(r))) ) return nerr_pass(err);
  for(int i=0; i<cal.nshift; i++){
    hset_fmt(h, "Shifts.%d.n=%d", i, i + 1);
    hset_fmt(h, "Shifts.%d.start=%02d:%02d", i, cal.shift[i] / 60, cal.shift[i] % 60);
  }
  YMD t = day_today(&cal, ctx_now(app_ctx(r)));
  hset_fmt(h, "Now.date=%04d-%02d-%02d", t.y, t.m, t.d);
  return STATUS_OK;
}

static int date_ok(const char *s){
  int y, m, d;
  char tail;
  return s && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail)==3 && day_ymd_ok(y, m, d);
}

static NEOERR *list(REQ *r){
  QLIST l;
  HDF *h = req_hdf(r);
  NEOERR *err;
  int n;
  memset(&l, 0, sizeof l);
  const char *form = req_query(r, "form"), *status = req_query(r, "status");
  const char *from = req_query(r, "from"), *to = req_query(r, "to"), *after = req_query(r, "after");
  l.unit_id = num(r, "unit");
  if( l.unit_id<0 ) return nerr_raise(ERR_INPUT, "bad_request");
  if( form && *form ){
    QFORM q;
    int found;
    if( (err = q_form_get(app_db(r), form, 0, &q, NULL, &found)) ) return nerr_pass(err);
    if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
    l.form_id = q.id;
  }
  static const char *const ST[] = { "draft", "submitted", "returned", "approved", NULL };
  l.status = "";
  for(int i=0; status && *status && ST[i]; i++) if( strcmp(status, ST[i])==0 ) l.status = ST[i];
  if( status && *status && !*l.status ) return nerr_raise(ERR_INPUT, "bad_request");
  l.from = from && *from ? from : "";
  l.to = to && *to ? to : "";
  if( (*l.from && !date_ok(l.from)) || (*l.to && !date_ok(l.to)) ){
    view_set_text(r, "Form.Error", "entry.bad_date");
    l.from = l.to = "";
  }
  l.after_start = "";
  if( after && *after ){
    /* the keyset: "<period start>.<id>" of the last row shown */
    const char *dot = strchr(after, '.');
    if( dot==NULL || dot - after!=10 ) return nerr_raise(ERR_INPUT, "bad_request");
    l.after_start = arena_strndup(req_arena(r), after, 10);
    l.after_id = atoll(dot + 1);
    if( !date_ok(l.after_start) || l.after_id<=0 ) return nerr_raise(ERR_INPUT, "bad_request");
  }
  l.limit = PAGE + 1;
  l.all = entry_reach_all(app_ctx(r), ENTRY_READ);
  if( (err = q_entry_page(app_db(r), app_user(r)->id, ENTRY_READ, &l, h, "List", &n)) ) return nerr_pass(err);
  DAYCAL cal;
  if( (err = day_cal_conf(&cal, req_conf(r))) ) return nerr_pass(err);
  int i = 0;
  for(HDF *c = hdf_get_child(h, "List"); c; c = hdf_obj_next(c), i++){
    if( i==PAGE ){
      hdf_remove_tree(h, arena_printf(req_arena(r), "List.%d", PAGE));
      break;
    }
    PERIOD p;
    if( day_period_parse(&cal, hdf_get_value(c, "period_key", ""), &p)==0 )
      hset_str(c, "period_label", sheet_period_label(r, &p));
    const char *up = hdf_get_value(c, "updated_at", NULL);
    if( up ) hset_str(c, "updated_local", app_local_time(r, up));
    if( i==PAGE - 1 && n>PAGE )
      set(r, "Next", arena_printf(req_arena(r), "%s.%s", hdf_get_value(c, "period_start", ""), hdf_get_value(c, "id", "")));
  }
  set(r, "Filter.form", form);
  set(r, "Filter.status", l.status);
  set(r, "Filter.from", l.from);
  set(r, "Filter.to", l.to);
  hset_int(h, "Filter.unit", l.unit_id);
  if( (err = choices(r)) ) return nerr_pass(err);
  const char *ok = req_query(r, "ok");
  if( ok && strcmp(ok, "reopened")==0 ) notice(r, "entry.reopened");
  view_set_text(r, "Page.Title", "entry.title_list");
  return nerr_pass(app_page(r, "entry_list"));
}

/* ------------------------------------------------------------------ */
/* sheets                                                              */

/* the period key of a request: period=, or date= (and shift=), or today */
static const char *period_param(REQ *r, const FORM *f){
  const char *k = req_param(r, "period");
  if( k && *k ) return k;
  DAYCAL cal;
  NEOERR *err = day_cal_conf(&cal, req_conf(r));
  if( err ){ nerr_ignore(&err); return NULL; }
  const char *date = req_param(r, "date");
  char *key = arena_alloc(req_arena(r), DAY_KEYSZ);
  if( date && *date ){
    long long shift = num(r, "shift");
    if( entry_period_key(f, &cal, date, (int)(shift>0 ? shift : 1), key) ) return NULL;
    return key;
  }
  PERIOD p = form_period_now(f, &cal, ctx_now(app_ctx(r)));
  return day_period_key(&p, key);
}

static NEOERR *new_sheet(REQ *r){
  const FORM *f;
  SHEET s;
  const char *msg, *code = req_query(r, "form");
  long long unit = num(r, "unit");
  if( code==NULL || unit<=0 ) return nerr_raise(ERR_INPUT, "bad_request");
  NEOERR *err = form_get(app_ctx(r), code, &f);
  if( err ) return nerr_pass(err);
  if( f==NULL ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( (err = entry_new(app_ctx(r), code, unit, period_param(r, f), &s, &msg)) ) return nerr_pass(err);
  if( msg && strcmp(msg, "entry.exists")==0 ){
    req_redirect(r, arena_printf(req_arena(r), "/entry/edit?id=%lld", s.other_id));
    return STATUS_OK;
  }
  if( msg ) return nerr_pass(notice_page(r, msg, 409));
  if( req_query(r, "copy") ){
    int found;
    if( (err = entry_copy_prev(app_ctx(r), &s, &found)) ) return nerr_pass(err);
    if( !found ){ s.msg = "entry.no_prev"; }
  }
  return nerr_pass(sheet_page(r, &s, NULL, 200));
}

static NEOERR *need_id(REQ *r, long long *id){
  *id = num(r, "id");
  return *id>0 ? STATUS_OK : nerr_raise(ERR_INPUT, "bad_request");
}

static void ok_notice(REQ *r){
  const char *ok = req_query(r, "ok");
  if( ok==NULL ) return;
  if( strcmp(ok, "saved")==0 ) notice(r, "entry.saved");
  else if( strcmp(ok, "submitted")==0 ) notice(r, "entry.submitted");
  else if( strcmp(ok, "dup")==0 ) notice(r, "entry.dup");
  else if( strcmp(ok, "reopened")==0 ) notice(r, "entry.reopened");
}

static NEOERR *edit(REQ *r){
  long long id;
  SHEET s;
  NEOERR *err = need_id(r, &id);
  if( !err ) err = entry_load(app_ctx(r), id, CAP_ENTRY, &s);
  if( err ) return nerr_pass(err);
  if( !s.editable ){
    req_redirect(r, arena_printf(req_arena(r), "/entry/view?id=%lld%s", id, req_query(r, "ok") ? "&ok=dup" : ""));
    return STATUS_OK;
  }
  ok_notice(r);
  return nerr_pass(sheet_page(r, &s, NULL, 200));
}

static NEOERR *show(REQ *r, const char *page){
  long long id;
  SHEET s;
  NEOERR *err = need_id(r, &id);
  if( !err ) err = entry_load(app_ctx(r), id, ENTRY_READ, &s);
  if( !err ) err = sheet_hdf(r, &s, 0);
  if( err ) return nerr_pass(err);
  USER *u = app_user(r);
  hset_int(req_hdf(r), "May.edit", s.editable && auth_has(u, CAP_ENTRY) && auth_unit_ok(u, CAP_ENTRY, s.unit.path));
  hset_int(req_hdf(r), "May.reopen", auth_has(u, CAP_DISPATCH) && s.state==FW_CLOSED && strcmp(s.e.status, "approved")!=0);
  set(r, "Site.Company", conf_str(req_conf(r), "Site.CompanyName", ""));
  set(r, "Printed", sheet_local(r, ctx_now(app_ctx(r))));
  ok_notice(r);
  view_set_text(r, "Page.Title", "entry.title_view");
  return nerr_pass(app_page(r, page));
}

static NEOERR *view_sheet(REQ *r){ return nerr_pass(show(r, "entry_view")); }
static NEOERR *print_sheet(REQ *r){ return nerr_pass(show(r, "entry_print")); }

/* the sheet of a POST: the stored one (id) or a new one, with every cell
** as posted; *msg: a refusal of entry_new */
static NEOERR *posted(REQ *r, SHEET *s, const char **msg){
  ARENA *a = req_arena(r);
  long long id = num(r, "id");
  NEOERR *err;
  *msg = NULL;
  if( id<0 ) return nerr_raise(ERR_INPUT, "bad_request");
  if( id ){
    if( (err = entry_load(app_ctx(r), id, CAP_ENTRY, s)) ) return nerr_pass(err);
    long long v = num(r, "version");
    if( v<=0 ) return nerr_raise(ERR_INPUT, "bad_request");
    s->e.version = v;
  }else{
    long long unit = num(r, "unit");
    const char *code = req_form(r, "form"), *key = req_form(r, "period");
    if( unit<=0 || code==NULL || key==NULL ) return nerr_raise(ERR_INPUT, "bad_request");
    if( (err = entry_new(app_ctx(r), code, unit, key, s, msg)) ) return nerr_pass(err);
    if( *msg && strcmp(*msg, "entry.exists")!=0 ) return STATUS_OK;
  }
  const FORM *f = s->f;
  for(int i=0; i<f->nhf; i++){
    if( f->hf[i].type==FT_COMPUTED ) continue;
    entry_set(s, a, -1, i, req_form(r, arena_printf(a, "h.%s", f->hf[i].code)));
  }
  if( f->nrf ){
    int n = req_rows(r, "row");
    if( n>f->max_rows + 50 ) return nerr_raise(ERR_INPUT, "bad_request");
    entry_rows(s, a, n);
    for(int k=0; k<n; k++){
      const char *rid = req_row(r, "row", k, "id");
      char *end;
      long long v = rid && *rid ? strtoll(rid, &end, 10) : 0;
      if( rid && *rid && (*end || v<0) ) return nerr_raise(ERR_INPUT, "bad_request");
      s->rows[k].id = v;
      for(int i=0; i<f->nrf; i++){
        if( f->rf[i].type==FT_COMPUTED ){ entry_set(s, a, k, i, ""); continue; }
        entry_set(s, a, k, i, req_row(r, "row", k, f->rf[i].code));
      }
    }
  }
  return STATUS_OK;
}

static NEOERR *save(REQ *r){
  SHEET s;
  const char *msg, *op = req_form(r, "op"), *tok = req_form(r, "tok");
  NEOERR *err = posted(r, &s, &msg);
  if( err ) return nerr_pass(err);
  if( msg && strcmp(msg, "entry.exists")!=0 ) return nerr_pass(notice_page(r, msg, 409));
  if( op==NULL ) op = "save";
  if( strcmp(op, "addrow")==0 ){
    if( s.nrows<s.f->max_rows ) entry_add_rows(&s, req_arena(r), 1);
    else{ s.msg = "entry.max_rows"; s.msg_arg = arena_printf(req_arena(r), "%d", s.f->max_rows); }
    return nerr_pass(sheet_page(r, &s, tok, 200));
  }
  if( strcmp(op, "delrow")==0 ){
    int dropped = 0;
    for(int k=s.nrows - 1; k>=0; k--){
      const char *del = req_row(r, "row", k, "del");
      if( del && strcmp(del, "1")==0 ){ entry_drop_row(&s, k); dropped++; }
    }
    if( !dropped ) s.msg = "entry.none_marked";
    if( s.nrows==0 ) entry_add_rows(&s, req_arena(r), 1);
    return nerr_pass(sheet_page(r, &s, tok, 200));
  }
  if( strcmp(op, "copy")==0 ){
    int found;
    if( (err = entry_copy_prev(app_ctx(r), &s, &found)) ) return nerr_pass(err);
    if( !found ) s.msg = "entry.no_prev";
    return nerr_pass(sheet_page(r, &s, tok, 200));
  }
  int submit = strcmp(op, "submit")==0;
  if( !submit && strcmp(op, "save")!=0 ) return nerr_raise(ERR_INPUT, "bad_request");
  /* a new sheet for a period that has one already (entry.exists from
  ** entry_new): entry_save tells a resent POST (its token) from another tab */
  int dup;
  if( (err = entry_save(app_ctx(r), &s, submit, tok, &msg, &dup)) ) return nerr_pass(err);
  if( dup ){
    req_redirect(r, arena_printf(req_arena(r), "/entry/%s?id=%lld&ok=dup",
                                 s.e.id && strcmp(s.e.status, "draft")==0 ? "edit" : "view", s.e.id));
    return STATUS_OK;
  }
  if( msg ){
    if( strcmp(msg, "entry.has_errors")==0 ){ s.msg = msg; s.msg_arg = arena_printf(req_arena(r), "%d", s.nerr); }
    else if( !s.msg ) s.msg = msg;
    if( s.other_id ) set(r, "Sheet.other", arena_printf(req_arena(r), "%lld", s.other_id));
    if( strcmp(msg, "entry.conflict")==0 ) set(r, "Sheet.conflict", "1");
    int status = strcmp(msg, "entry.conflict")==0 || strcmp(msg, "entry.exists")==0 ? 409
               : strcmp(msg, "entry.has_errors")==0 || strcmp(msg, "entry.min_rows")==0 || strcmp(msg, "entry.max_rows")==0 ? 400 : 409;
    return nerr_pass(sheet_page(r, &s, tok, status));
  }
  req_redirect(r, arena_printf(req_arena(r), submit ? "/entry/view?id=%lld&ok=submitted" : "/entry/edit?id=%lld&ok=saved",
                               s.e.id));
  return STATUS_OK;
}

static NEOERR *reopen(REQ *r){
  const char *msg, *code = req_form(r, "form");
  long long unit = num(r, "unit");
  const FORM *f;
  if( code==NULL || unit<=0 ) return nerr_raise(ERR_INPUT, "bad_request");
  NEOERR *err = form_get(app_ctx(r), code, &f);
  if( err ) return nerr_pass(err);
  if( f==NULL ) return nerr_raise(ERR_NOTFOUND, "not_found");
  const char *key = period_param(r, f);
  if( (err = entry_reopen(app_ctx(r), code, unit, key, req_form(r, "reason"), &msg)) ) return nerr_pass(err);
  if( msg ){
    view_set_text(r, "Form.Error", msg);
    req_set_status(r, 400);
    set(r, "Reopen.reason", req_form(r, "reason"));
    return nerr_pass(list(r));
  }
  long long id = num(r, "back");
  if( id>0 ) req_redirect(r, arena_printf(req_arena(r), "/entry/view?id=%lld&ok=reopened", id));
  else req_redirect(r, "/entry/list?ok=reopened");
  return STATUS_OK;
}


/* ------------------------------------------------------------------ */
/* a ledger (台账) into drafts                                          */

#define LEDGER_CAPS (CAP_ENTRY | CAP_ADMIN)

/* the forms with rows, and the units the user may import for */
static NEOERR *ledger_choices(REQ *r){
  QFORM *fs;
  QUNIT *us;
  int nf, nu;
  HDF *h = req_hdf(r);
  int en = strcmp(view_lang(r), "en")==0;
  NEOERR *err = q_forms(app_db(r), &fs, &nf);
  if( err ) return nerr_pass(err);
  for(int i=0, k=0; i<nf; i++){
    const FORM *f;
    if( !fs[i].active ) continue;
    if( (err = form_from(app_ctx(r), &fs[i], &f)) ) return nerr_pass(err);
    if( f==NULL || f->nrf==0 ) continue;
    hset_fmt(h, "Forms.%d.code=%s", k, fs[i].code);
    hset_fmt(h, "Forms.%d.name=%s", k, en && fs[i].name_en ? fs[i].name_en : fs[i].name);
    k++;
  }
  long long who = entry_reach_all(app_ctx(r), LEDGER_CAPS) ? 0 : app_user(r)->id;
  if( (err = q_units_for(app_db(r), who, LEDGER_CAPS, &us, &nu)) ) return nerr_pass(err);
  for(int i=0; i<nu; i++){
    hset_fmt(h, "Units.%d.id=%lld", i, us[i].id);
    hset_fmt(h, "Units.%d.label=%s (%s)", i, us[i].name, us[i].code);
  }
  DAYCAL cal;
  if( (err = day_cal_conf(&cal, req_conf(r))) ) return nerr_pass(err);
  for(int i=0; i<cal.nshift; i++){
    hset_fmt(h, "Shifts.%d.n=%d", i, i + 1);
    hset_fmt(h, "Shifts.%d.start=%02d:%02d", i, cal.shift[i] / 60, cal.shift[i] % 60);
  }
  YMD t = day_today(&cal, ctx_now(app_ctx(r)));
  hset_fmt(h, "Now.date=%04d-%02d-%02d", t.y, t.m, t.d);
  hset_int(h, "Import.max_mb", conf_int(req_conf(r), "Limits.UploadMax", 10485760) / 1048576);
  return STATUS_OK;
}

static NEOERR *ledger_page(REQ *r){
  NEOERR *err = ledger_choices(r);
  if( err ) return nerr_pass(err);
  view_set_text(r, "Page.Title", "entry.ledger_title");
  return nerr_pass(app_page(r, "entry_import"));
}

/* the blank ledger of a form: the titles the import recognises */
static NEOERR *ledger_template(REQ *r){
  const FORM *f;
  const char *code = req_query(r, "form");
  if( code==NULL ) return nerr_raise(ERR_INPUT, "bad_request");
  NEOERR *err = form_get(app_ctx(r), code, &f);
  if( err ) return nerr_pass(err);
  if( f==NULL || f->nrf==0 ) return nerr_raise(ERR_NOTFOUND, "not_found");
  ARENA *a = req_arena(r);
  TABLE t;
  TROW row;
  int n = 0;
  row.rowno = 1;
  row.cols = arena_alloc(a, sizeof(char*) * (size_t)(f->nrf + 2));
  row.cols[n++] = (char*)"日期";
  if( f->period==DAY_P_SHIFT ) row.cols[n++] = (char*)"班次";
  for(int i=0; i<f->nrf; i++) if( f->rf[i].type!=FT_COMPUTED ) row.cols[n++] = (char*)f->rf[i].label;
  row.ncol = n;
  t.rows = &row;
  t.nrow = 1;
  STRING out;
  string_init(&out);
  if( (err = csv_write(&t, &out)) ){ string_clear(&out); return nerr_pass(err); }
  /* every download is audited, before the file is sent */
  CTX *c = app_ctx(r);
  if( (err = DB_TX(c->db, NULL, ctx_audit(c, "export.template", arena_printf(a, "form:%s", f->code), "ok",
                                          "{\"format\":\"csv\",\"rows\":0}"))) ){
    string_clear(&out);
    return nerr_pass(err);
  }
  req_set_type(r, "text/csv; charset=utf-8");
  req_add_header(r, "Content-Disposition", arena_printf(a, "attachment; filename=\"diaodu.csv\"; filename*=UTF-8''%s",
                 url_encode(a, arena_printf(a, "%s台账模板.csv", f->name))));
  err = req_append(r, out.buf, (size_t)out.len);
  string_clear(&out);
  return nerr_pass(err);
}

/* the column choices posted back (map.0, map.1 ...) */
static const char **ledger_map(REQ *r, int *n){
  const char **v = arena_alloc(req_arena(r), sizeof(char*) * 201);
  *n = 0;
  for(int k=0; k<200; k++){
    const char *m = req_form(r, arena_printf(req_arena(r), "map.%d", k));
    if( m==NULL ) break;
    v[(*n)++] = m;
  }
  return v;
}

static NEOERR *ledger_show(REQ *r, const LEDGER *L, long long batch, const char *form, long long unit,
                           const char *period, const char *filename){
  HDF *h = req_hdf(r);
  DAYCAL cal;
  NEOERR *err = day_cal_conf(&cal, req_conf(r));
  if( err ) return nerr_pass(err);
  const FORM *f;
  if( (err = form_get(app_ctx(r), form, &f)) ) return nerr_pass(err);
  set(r, "Ledger.form", form);
  set(r, "Ledger.form_name", L->form_name);
  hset_int(h, "Ledger.unit", unit);
  set(r, "Ledger.period", period);
  set(r, "Ledger.filename", filename);
  set(r, "Ledger.encoding", L->encoding);
  set(r, "Ledger.sha256", L->sha256);
  hset_int(h, "Ledger.batch", batch);
  hset_int(h, "Ledger.header_row", L->header_row);
  hset_int(h, "Ledger.rows", L->rows);
  hset_int(h, "Ledger.errors", L->n_errors);
  hset_int(h, "Ledger.shown", L->nerrors);
  hset_int(h, "Ledger.applied", L->applied);
  if( L->file_key ) set(r, "Ledger.file_msg", sheet_text(r, L->file_key, NULL));
  for(int k=0; k<L->ncols; k++){
    hset_fmt(h, "Cols.%d.header=%s", k, L->cols[k].header);
    hset_fmt(h, "Cols.%d.field=%s", k, *L->cols[k].field ? L->cols[k].field : "-");
  }
  /* what a column can be: the row fields typed by people, the date, the shift */
  int n = 0;
  hset_fmt(h, "Targets.%d.code=@date", n); hset_fmt(h, "Targets.%d.label=%s", n++, view_text(r, "entry.date"));
  if( f && f->period==DAY_P_SHIFT ){ hset_fmt(h, "Targets.%d.code=@shift", n); hset_fmt(h, "Targets.%d.label=%s", n++, view_text(r, "entry.shift")); }
  for(int i=0; f && i<f->nrf; i++){
    if( f->rf[i].type==FT_COMPUTED ) continue;
    hset_fmt(h, "Targets.%d.code=%s", n, f->rf[i].code);
    hset_fmt(h, "Targets.%d.label=%s", n++, f->rf[i].label);
  }
  for(int i=0; i<L->nsheets; i++){
    hset_fmt(h, "Sheets.%d.label=%s", i, sheet_period_label(r, &L->sheets[i].period));
    hset_fmt(h, "Sheets.%d.rows=%d", i, L->sheets[i].rows);
    hset_fmt(h, "Sheets.%d.first=%d", i, L->sheets[i].first);
    if( L->sheets[i].id ) hset_fmt(h, "Sheets.%d.id=%lld", i, L->sheets[i].id);
  }
  for(int i=0; i<L->nerrors; i++){
    const LERR *e = &L->errors[i];
    hset_fmt(h, "Errors.%d.row=%d", i, e->rowno);
    hset_fmt(h, "Errors.%d.column=%s", i, e->column);
    hset_fmt(h, "Errors.%d.value=%s", i, e->value);
    hset_fmt(h, "Errors.%d.msg=%s", i, e->literal ? (strcmp(view_lang(r), "en")==0 && e->arg ? e->arg : e->key)
                                                  : sheet_text(r, e->key, e->arg));
  }
  if( L->file_key || L->n_errors ) req_set_status(r, 422);
  view_set_text(r, "Page.Title", "entry.ledger_title");
  return nerr_pass(app_page(r, "entry_import_result"));
}

/* the upload (or a kept one with other column choices): a dry run */
static NEOERR *ledger_check(REQ *r){
  const char *form = req_form(r, "form");
  long long unit = num(r, "unit"), batch = num(r, "batch");
  const PART *file = req_file(r, "file");
  const FORM *f;
  NEOERR *err;
  if( form==NULL || unit<=0 || batch<0 ) return nerr_raise(ERR_INPUT, "bad_request");
  if( (err = form_get(app_ctx(r), form, &f)) ) return nerr_pass(err);
  if( f==NULL ) return nerr_raise(ERR_NOTFOUND, "not_found");
  const char *period = req_form(r, "period");
  if( period==NULL || !*period ){
    const char *date = req_form(r, "date");
    if( date && *date ){
      DAYCAL cal;
      char *key = arena_alloc(req_arena(r), DAY_KEYSZ);
      if( (err = day_cal_conf(&cal, req_conf(r))) ) return nerr_pass(err);
      long long shift = num(r, "shift");
      if( entry_period_key(f, &cal, date, (int)(shift>0 ? shift : 1), key)==0 ) period = key;
    }
  }
  BATCH b;
  int nmap, found;
  const char **map = ledger_map(r, &nmap);
  const char *data, *filename;
  size_t len;
  if( file && file->len ){
    data = file->data; len = file->len;
    filename = utf8_sanitize(req_arena(r), file->filename ? file->filename : "", 255);
    nmap = 0;                                    /* a new file: its columns by name */
  }else if( batch ){
    if( (err = q_batch_get(app_db(r), batch, app_user(r)->id, &b, &found)) ) return nerr_pass(err);
    if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
    if( strcmp(b.status, "checked")!=0 ) return nerr_raise(ERR_CONFLICT, "already_applied");
    if( strcmp(b.kind, arena_printf(req_arena(r), "sheet:%s", form))!=0 ) return nerr_raise(ERR_INPUT, "bad_request");
    data = b.content; len = b.len; filename = b.filename;
  }else{
    view_set_text(r, "Form.Error", "imp.empty_file");
    req_set_status(r, 400);
    return nerr_pass(ledger_page(r));
  }
  LEDGER L;
  if( (err = ledger_run(app_ctx(r), form, unit, period, data, len, map, nmap, 0, 0, &L)) ) return nerr_pass(err);
  if( file && file->len ){
    memset(&b, 0, sizeof b);
    b.kind = arena_printf(req_arena(r), "sheet:%s", form);
    b.filename = filename;
    b.sha256 = L.sha256 ? L.sha256 : "";
    b.encoding = L.encoding ? L.encoding : "";
    b.content = data; b.len = len;
    b.user_id = app_user(r)->id;
    b.n_rows = L.rows; b.n_errors = L.n_errors;
    /* the upload is kept (for the confirmation) with a record of its hash */
    CTX *c = app_ctx(r);
    JSON j;
    json_open(&j);
    json_str(&j, "kind", b.kind);
    json_str(&j, "sha256", b.sha256);
    json_int(&j, "rows", L.rows);
    json_int(&j, "errors", L.n_errors);
    json_end(&j);
    const char *detail = json_done(&j, req_arena(r));
    if( (err = DB_TX(c->db, NULL, ({
      NEOERR *e = q_batch_insert(c->db, &b, &batch);
      if( !e ) e = ctx_audit(c, "import.check", arena_printf(req_arena(r), "batch:%lld", batch), "ok", detail);
      e; }))) ) return nerr_pass(err);
  }
  return nerr_pass(ledger_show(r, &L, batch, form, unit, period ? period : "", filename));
}

static NEOERR *ledger_apply(REQ *r){
  const char *form = req_form(r, "form"), *period = req_form(r, "period");
  long long unit = num(r, "unit"), batch = num(r, "batch");
  BATCH b;
  int found, nmap;
  if( form==NULL || unit<=0 || batch<=0 ) return nerr_raise(ERR_INPUT, "bad_request");
  NEOERR *err = q_batch_get(app_db(r), batch, app_user(r)->id, &b, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(ERR_NOTFOUND, "not_found");
  if( strcmp(b.status, "checked")!=0 ) return nerr_raise(ERR_CONFLICT, "already_applied");
  if( strcmp(b.kind, arena_printf(req_arena(r), "sheet:%s", form))!=0 ) return nerr_raise(ERR_INPUT, "bad_request");
  const char **map = ledger_map(r, &nmap);
  LEDGER L;
  if( (err = ledger_run(app_ctx(r), form, unit, period && *period ? period : NULL, b.content, b.len, map, nmap,
                        1, batch, &L)) ) return nerr_pass(err);
  return nerr_pass(ledger_show(r, &L, batch, form, unit, period ? period : "", b.filename));
}

#define L R_LOGIN
#define READ (ENTRY_READ)
static const ROUTE routes[] = {
  { "GET",  "/entry/",       home,        L | R_ANYCAP, READ, 0, 0 },
  { "GET",  "/entry/list",   list,        L | R_ANYCAP, READ, 0, 0 },
  { "GET",  "/entry/view",   view_sheet,  L | R_ANYCAP, READ, 0, 0 },
  { "GET",  "/entry/print",  print_sheet, L | R_ANYCAP, READ, 0, 0 },
  { "GET",  "/entry/new",    new_sheet,   L, CAP_ENTRY, 0, 0 },
  { "GET",  "/entry/edit",   edit,        L, CAP_ENTRY, 0, 0 },
  { "POST", "/entry/save",   save,        L, CAP_ENTRY, 1048576, 4000 },
  { "POST", "/entry/reopen", reopen,      L, CAP_DISPATCH, 0, 0 },
  { "GET",  "/entry/import", ledger_page, L | R_ANYCAP, LEDGER_CAPS, 0, 0 },
  { "GET",  "/entry/import/template", ledger_template, L | R_ANYCAP, LEDGER_CAPS, 0, 0 },
  { "POST", "/entry/import/check", ledger_check, L | R_ANYCAP, LEDGER_CAPS, ROUTE_UPLOAD, 0 },
  { "POST", "/entry/import/apply", ledger_apply, L | R_ANYCAP, LEDGER_CAPS, 0, 0 },
  { 0, 0, 0, 0, 0, 0, 0 }
};

int main(int argc, char **argv){
  return app_main("entry", routes, argc, argv);
}
