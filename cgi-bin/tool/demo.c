/*
** demo.c -- see demo.h.  `diaodu-ctl demo-entries [DAYS]`, run once by
** ./diaodu when it loads the demo company.
**
** For every form, every unit that submits it and every period of the last
** DAYS days, a fate is drawn (a fixed seed: the same demo every time):
** submitted on time (most), late (after the cut-off), left as a draft, or
** missing.  Each action is an event at its own local time -- the clerk
** submits in the evening, the head approves the next morning (a few sheets
** are returned with a reason and corrected by the clerk), and where the
** form's chain has a second step a dispatcher approves hours later -- and the events
** run in time order with CTX.now set to their instant, so a meter's
** consumption finds the previous approved reading, late marks are the
** window's, and the audit log names the clerk or the head.  Events later
** than now are left out: today's sheets are drafts or not started, the
** last ones wait for approval -- every state shows up on day one.
*/
#include "demo.h"
#include "entry.h"
#include "flow.h"
#include "err.h"
#include "hmap.h"
#include "log.h"
#include "q_entry.h"
#include "q_form.h"
#include "q_user.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

/* ------------------------------------------------------------------ */
/* a fixed-seed generator                                              */

static unsigned long long g_rng = 0x9E3779B97F4A7C15ULL;
static unsigned rnd(void){
  g_rng ^= g_rng << 13; g_rng ^= g_rng >> 7; g_rng ^= g_rng << 17;
  return (unsigned)(g_rng >> 11);
}
static int pick(int n){ return n>0 ? (int)(rnd() % (unsigned)n) : 0; }
static int chance(int pct){ return pick(100)<pct; }
static int between(int lo, int hi){ return lo + pick(hi - lo + 1); }

/* a number fixed by a code and a day (values that must not depend on the
** order the events run in: odometers, meter readings) */
static unsigned hash(const char *code, long day){
  unsigned h = 2166136261u;
  for(const unsigned char *p = (const unsigned char*)code; *p; p++){ h ^= *p; h *= 16777619u; }
  for(int i=0; i<8; i++){ h ^= (unsigned)((day >> (i*8)) & 0xff); h *= 16777619u; }
  return h;
}

static const char *const NAMES[] = { "王建国", "李春生", "张海涛", "刘红梅", "陈志强", "杨丽华", "赵永刚",
  "黄小平", "周建华", "吴晓东", "徐明", "孙立军", "马秀英", "朱文斌", "胡俊", "郭志勇" };
#define NNAMES (int)(sizeof NAMES / sizeof NAMES[0])

/* ------------------------------------------------------------------ */
/* sheets and events                                                   */

enum { F_ONTIME, F_LATE, F_DRAFT, F_MISSING };
enum { E_SUBMIT, E_DRAFT, E_APPROVE, E_RETURN, E_FIX, E_APPROVE2 };

typedef struct {
  const FORM *f;
  long long unit_id;
  const char *unit_code, *clerk, *head;
  PERIOD p;
  char key[DAY_KEYSZ];
  int day;                         /* days before today */
  long long id, version;
} DS;

typedef struct { time_t t; int kind; int ds; } EV;

static int by_time(const void *x, const void *y){
  const EV *a = x, *b = y;
  if( a->t!=b->t ) return a->t<b->t ? -1 : 1;
  return a->ds - b->ds;
}

typedef struct {
  DB *db;
  ARENA *a;                        /* per event, reset after each */
  ARENA *keep;                     /* the whole run */
  HDF *conf;
  DAYCAL cal;
  long first;                      /* the first day of the demo */
  DEMO_RESULT *res;
  HMAP *tank;                      /* per vehicle: fuel used since its last fill, in 1/100 L */
} RUN;

/* the context of a real account, with its grants */
static NEOERR *as_user(RUN *r, const char *login, time_t now, CTX *c){
  ACCOUNT acc;
  int found;
  NEOERR *err = q_user_by_login(r->db, r->a, login, &acc, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(NERR_ASSERT, "demo: no account %s", login);
  USER *u = arena_alloc(r->a, sizeof *u);
  u->id = acc.id;
  u->login = acc.login;
  u->name = acc.name;
  if( (err = q_user_grants(r->db, r->a, acc.id, &u->grants, &u->ngrants)) ) return nerr_pass(err);
  for(int i=0; i<u->ngrants; i++) u->caps |= u->grants[i].caps;
  *c = (CTX){ .db = r->db, .arena = r->a, .conf = r->conf, .user = u, .ip = "127.0.0.1",
              .ua = "diaodu-ctl demo", .now = now, .req_id = ctx_req_id(r->a) };
  return STATUS_OK;
}

static const char *token(ARENA *a){
  unsigned char b[24];
  char *t = arena_alloc(a, 40);
  randombytes_buf(b, sizeof b);
  sodium_bin2base64(t, 40, b, sizeof b, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return t;
}

static int fi(const FORM *f, int part, const char *code){
  const FFIELD *x = fdef_field(f, code);
  return x && x->part==part ? x->idx : -1;
}
#define SETH(code, ...) do{ int i_ = fi(s->f, FP_HEADER, code); \
  if( i_>=0 ) entry_set(s, a, -1, i_, arena_printf(a, __VA_ARGS__)); }while(0)
#define SETR(row, code, ...) do{ int i_ = fi(s->f, FP_ROW, code); \
  if( i_>=0 ) entry_set(s, a, row, i_, arena_printf(a, __VA_ARGS__)); }while(0)

/* the codes a lookup field of the sheet may choose */
static const char **choices_named(CTX *c, SHEET *s, const char *code, int *n, const char ***names){
  const FFIELD *f = fdef_field(s->f, code);
  QREF *o;
  *n = 0;
  if( f==NULL ) return NULL;
  NEOERR *err = entry_options(c, s, f, 500, &o, n);
  if( err ){ nerr_ignore(&err); *n = 0; return NULL; }
  const char **v = arena_alloc(c->arena, sizeof(char*) * (size_t)(*n + 1));
  for(int i=0; i<*n; i++) v[i] = o[i].code;
  if( names ){
    *names = arena_alloc(c->arena, sizeof(char*) * (size_t)(*n + 1));
    for(int i=0; i<*n; i++) (*names)[i] = o[i].name ? o[i].name : "";
  }
  return v;
}

static const char **choices(CTX *c, SHEET *s, const char *code, int *n){
  return choices_named(c, s, code, n, NULL);
}

/* litres per 100 km by the kind of vehicle its name starts with, in
** hundredths: what a fleet of this kind burns in town */
static int fuel_rate(const char *name){
  static const struct { const char *kind; int rate; } R[] = {
    { "大客车", 2900 }, { "中巴", 1600 }, { "轿车", 900 }, { "商务车", 1150 },
    { "轻型货车", 1300 }, { "厢式货车", 1800 }, { "冷藏车", 2100 },
  };
  for(size_t i=0; i<sizeof R / sizeof R[0]; i++)
    if( strncmp(name, R[i].kind, strlen(R[i].kind))==0 ) return R[i].rate;
  return 1200;
}

static const char *hhmm(ARENA *a, int minutes){
  if( minutes<0 ) minutes = 0;
  if( minutes>23*60 + 59 ) minutes = 23*60 + 59;
  return arena_printf(a, "%02d:%02d", minutes / 60, minutes % 60);
}

/* a vehicle's odometer at the start of a day, in tenths of a km: up to
** 300 km a day, whatever the day's trips were */
static long long odometer(RUN *r, const char *v, long day){
  return 200000 + hash(v, 0) % 1300000 + (day - r->first) * 3000;
}

/* a meter's reading at a day, in hundredths: the sum of its daily use */
static long long reading(RUN *r, const char *m, long day, int heating){
  long long v = 1000000 + hash(m, 0) % 8000000;
  for(long k = r->first; k<=day; k++){
    unsigned h = hash(m, k);
    int weekend = day_weekday(k)>=6;
    long long use = m[0]=='D' ? 2000 + h % 4000 : m[0]=='S' ? 500 + h % 2500
                  : m[0]=='R' ? (heating ? 4000 + h % 5000 : 200 + h % 600) : 300 + h % 1200;
    v += weekend ? use * 6 / 10 : use;
  }
  return v;
}

/* ------------------------------------------------------------------ */
/* the five forms' values                                              */

static void fill_vehicle(RUN *r, CTX *c, SHEET *s, int weekend){
  ARENA *a = c->arena;
  int nv, nd, nu;
  const char **vname = NULL;
  const char **veh = choices_named(c, s, "vehicle", &nv, &vname), **drv = choices(c, s, "driver", &nd);
  const char **units = choices(c, s, "requester", &nu);
  if( nv==0 || nd==0 ) return;
  int cargo = strcmp(s->unit.code, "10002003")==0;
  int n = weekend ? between(1, 3) : between(3, 7);
  entry_rows(s, a, n);
  SETH("duty", "%s", NAMES[pick(NNAMES)]);
  if( chance(15) ) SETH("note", "%s", cargo ? "冷藏车例行保养一台次" : "班车准点率良好");
  int t = between(6*60 + 20, 8*60);
  HMAP *odo = hmap_new(a, 16);         /* this day's odometers, trip by trip */
  for(int i=0; i<n; i++){
    int vi = pick(nv);
    const char *v = veh[vi];
    SETR(i, "vehicle", "%s", v);
    SETR(i, "driver", "%s", drv[pick(nd)]);
    static const char *const PT[] = { "通勤班车", "公务用车", "公务用车", "接待用车", "其他" };
    SETR(i, "task", "%s", cargo ? (chance(85) ? "货物运输" : "其他") : PT[pick(5)]);
    if( nu && chance(70) ) SETR(i, "requester", "%s", units[pick(nu)]);
    int dur = between(40, 300);
    SETR(i, "depart", "%s", hhmm(a, t));
    SETR(i, "back", "%s", hhmm(a, t + dur));
    long long *o = hmap_get(odo, v);
    if( o==NULL ){
      o = arena_alloc(a, sizeof *o);
      *o = odometer(r, v, s->period.first);
      hmap_put(odo, v, o);
    }
    long long km = between(80, 600);                /* tenths of a km */
    SETR(i, "odo_start", "%lld.%lld", *o / 10, *o % 10);
    *o += km;
    SETR(i, "odo_end", "%lld.%lld", *o / 10, *o % 10);
    /* fuel: what the trip burned (the kind's rate, give or take 8 %) adds
    ** to what the vehicle used since its last fill; it is filled up when
    ** that passes a fleet card's usual fill, so a month's litres over its
    ** kilometres reads like the vehicle's kind */
    long long *need = hmap_get(r->tank, v);
    if( need==NULL ){
      need = arena_alloc(r->keep, sizeof *need);
      *need = between(0, 2500);
      hmap_put(r->tank, arena_strdup(r->keep, v), need);
    }
    *need += km * fuel_rate(vname[vi]) * between(92, 108) / 100000;
    if( *need>=between(2500, 4500) ){
      SETR(i, "fuel", "%lld.%02lld", *need / 100, *need % 100);
      *need = 0;
    }
    if( cargo ) SETR(i, "tons", "%d.%d", between(0, 7), pick(10));
    else SETR(i, "passengers", "%d", between(1, 45));
    t += between(20, 120);
  }
}

static void fill_repair(RUN *r, CTX *c, SHEET *s, int weekend){
  ARENA *a = c->arena;
  int nl;
  const char **loc = choices(c, s, "location", &nl);
  if( nl==0 ) return;
  const char *u = s->unit.code;
  int water = strcmp(u, "10003001")==0, civil = strcmp(u, "10003002")==0;
  int n = weekend ? between(0, 2) : between(2, 6);
  if( n==0 ) n = 1;
  entry_rows(s, a, n);
  YMD d = day_ymd(s->period.first);
  for(int i=0; i<n; i++){
    const char *cat = water ? (chance(50) ? "水" : "电") : civil ? (chance(85) ? "土建" : "其他") : "暖";
    static const char *const W[] = { "更换水龙头阀芯", "疏通下水管道", "更换照明灯管", "插座线路检修", "配电箱空开更换" };
    static const char *const C[] = { "修补墙面裂缝", "更换门锁", "屋面防水补漏", "窗户合页更换" };
    static const char *const H[] = { "空调不制冷检修", "暖气片放气", "新风机滤网更换", "供暖管道阀门检修" };
    const char *what = water ? W[pick(5)] : civil ? C[pick(4)] : H[pick(4)];
    int rep = between(8*60, 16*60 + 30), dur = between(30, 240);
    SETR(i, "order_no", "WX%04d%02d%02d-%s%02d", d.y, d.m, d.d, u + strlen(u) - 2, i + 1);
    SETR(i, "location", "%s", loc[pick(nl)]);
    SETR(i, "category", "%s", cat);
    SETR(i, "reported", "%s", hhmm(a, rep));
    SETR(i, "finished", "%s", hhmm(a, rep + dur));
    SETR(i, "worker", "%s", NAMES[pick(NNAMES)]);
    SETR(i, "hours", "%d.%d", dur / 60, (dur % 60) >= 30 ? 5 : 0);
    if( chance(70) ) SETR(i, "material_cost", "%d.%02d", between(5, 680), pick(100));
    SETR(i, "content", "%s", what);
  }
  (void)r;
}

static void fill_canteen(RUN *r, CTX *c, SHEET *s, int weekend){
  ARENA *a = c->arena;
  int nc;
  const char **can = choices(c, s, "canteen", &nc);
  if( nc==0 ) return;
  int small = strcmp(s->unit.code, "10004003")==0, second = strcmp(s->unit.code, "10004002")==0;
  static const char *const MEAL[] = { "早餐", "午餐", "晚餐" };
  static const int BASE[] = { 350, 720, 420 };
  static const int PRICE[] = { 520, 1280, 1050 };      /* fen per head, around */
  entry_rows(s, a, small ? 2 : 3);
  int row = 0;
  for(int m = small ? 1 : 0; m<3; m++, row++){
    int diners = small ? (m==1 ? between(70, 110) : between(40, 70)) : BASE[m] * (second ? 60 : 100) / 100;
    if( !small ) diners += between(-diners / 8, diners / 8);
    if( weekend ) diners = diners * (small ? 20 : 45) / 100;
    long long fen = (long long)diners * (PRICE[m] + between(-120, 160)) * (small ? 3 : 1);
    SETR(row, "canteen", "%s", can[0]);
    SETR(row, "meal", "%s", MEAL[m]);
    SETR(row, "diners", "%d", diners);
    SETR(row, "cost", "%lld.%02lld", fen / 100, fen % 100);
  }
  (void)r;
}

static void fill_meter(RUN *r, CTX *c, SHEET *s, int weekend){
  ARENA *a = c->arena;
  int nm;
  const char **m = choices(c, s, "meter", &nm);
  if( nm==0 ) return;
  YMD d = day_ymd(s->period.first);
  int heating = d.m>=11 || d.m<=3;
  entry_rows(s, a, nm);
  for(int i=0; i<nm; i++){
    long long v = reading(r, m[i], s->period.first, heating);
    SETR(i, "meter", "%s", m[i]);
    SETR(i, "read_at", "%s", hhmm(a, between(8*60, 9*60 + 30)));
    SETR(i, "reading", "%lld.%02lld", v / 100, v % 100);
  }
  (void)weekend;
}

static void fill_patrol(RUN *r, CTX *c, SHEET *s, int weekend){
  ARENA *a = c->arena;
  int nl;
  const char **loc = choices(c, s, "place", &nl);
  if( nl==0 ) return;
  int start = s->period.shift==2 ? 20*60 + 30 : 8*60 + 30;
  int n = between(4, 6), abnormal = 0;
  entry_rows(s, a, n);
  SETH("leader", "%s", NAMES[pick(NNAMES)]);
  for(int i=0; i<n; i++){
    int t = (start + i * between(100, 130)) % (24*60);
    SETR(i, "round_at", "%s", hhmm(a, t));
    SETR(i, "place", "%s", loc[pick(nl)]);
    if( chance(6) ){
      static const char *const FIND[] = { "消防通道有杂物堆放，已通知物业清理", "一处窗户未关，已关闭",
                                          "地下车库照明故障，已报修", "外来人员未登记，已劝离" };
      SETR(i, "result", "异常");
      SETR(i, "abnormal", "1");
      SETR(i, "finding", "%s", FIND[pick(4)]);
      abnormal++;
    }else{
      SETR(i, "result", "正常");
      SETR(i, "abnormal", "0");
    }
  }
  if( abnormal || chance(20) ) SETH("handover", "%s", abnormal ? "异常情况已在明细中记录并处理" : "无特殊情况");
  (void)r; (void)weekend;
}

static void fill(RUN *r, CTX *c, SHEET *s){
  int wd = day_weekday(s->period.first), weekend = wd>=6;
  const char *code = s->f->code;
  if( !strcmp(code, "vehicle_daily") ) fill_vehicle(r, c, s, weekend);
  else if( !strcmp(code, "repair_order") ) fill_repair(r, c, s, weekend);
  else if( !strcmp(code, "canteen_daily") ) fill_canteen(r, c, s, weekend);
  else if( !strcmp(code, "meter_reading") ) fill_meter(r, c, s, weekend);
  else if( !strcmp(code, "security_patrol") ) fill_patrol(r, c, s, weekend);
}

/* the clerk's correction after a return */
static void correct(CTX *c, SHEET *s){
  ARENA *a = c->arena;
  const char *code = s->f->code;
  if( !strcmp(code, "vehicle_daily") ) SETH("note", "已按审核意见核对里程和油耗");
  else if( !strcmp(code, "repair_order") && s->nrows ) SETR(0, "content", "%s（已补充说明）", s->rows[0].c[fi(s->f, FP_ROW, "content")].raw);
  else if( !strcmp(code, "canteen_daily") && s->nrows ){
    int i = fi(s->f, FP_ROW, "diners");
    SETR(0, "diners", "%lld", atoll(s->rows[0].c[i].raw) + 3);
  }
  else if( !strcmp(code, "meter_reading") && s->nrows ) SETR(0, "note", "已复核读数");
  else if( !strcmp(code, "security_patrol") ) SETH("handover", "已补充交接事项");
}

/* ------------------------------------------------------------------ */
/* running the events                                                  */

static NEOERR *run_event(RUN *r, DS *d, const EV *e){
  CTX c;
  NEOERR *err;
  const char *msg;
  int dup;
  SHEET s;
  switch( e->kind ){
    case E_SUBMIT: case E_DRAFT: {
      if( (err = as_user(r, d->clerk, e->t, &c)) ) return nerr_pass(err);
      if( (err = entry_new(&c, d->f->code, d->unit_id, d->key, &s, &msg)) ) return nerr_pass(err);
      if( msg ){ log_warn("demo: %s %s %s: %s", d->f->code, d->unit_code, d->key, msg); return STATUS_OK; }
      fill(r, &c, &s);
      if( e->kind==E_DRAFT && s.nrows>1 ) s.nrows = (s.nrows + 1) / 2;     /* half done */
      if( (err = entry_save(&c, &s, e->kind==E_SUBMIT, token(r->a), &msg, &dup)) ) return nerr_pass(err);
      if( msg ){ log_warn("demo: %s %s %s not saved: %s", d->f->code, d->unit_code, d->key, msg); return STATUS_OK; }
      d->id = s.e.id;
      d->version = s.e.version;
      r->res->sheets++;
      if( e->kind==E_DRAFT ) r->res->drafts++;
      else{ r->res->submitted++; if( s.e.late ) r->res->late++; }
      return STATUS_OK;
    }
    case E_APPROVE: case E_RETURN: {
      if( !d->id ) return STATUS_OK;
      static const char *const WHY[] = { "里程表读数与上一天不衔接，请核对", "第2行时间填写有误，请更正",
                                         "缺少备注说明，请补充", "数字与纸质台账不一致，请核对" };
      if( (err = as_user(r, d->head, e->t, &c)) ) return nerr_pass(err);
      FLOW_RES fr;
      if( (err = flow_act(&c, e->kind==E_APPROVE ? FL_APPROVE : FL_REJECT, d->id, d->version,
                          e->kind==E_APPROVE ? NULL : WHY[pick(4)], 0, &fr)) ) return nerr_pass(err);
      if( fr.msg ){ log_warn("demo: decision on %s %s %s: %s", d->f->code, d->unit_code, d->key, fr.msg); return STATUS_OK; }
      d->version = fr.version;
      if( e->kind==E_RETURN ) r->res->returned++;
      else if( strcmp(fr.status, "approved")==0 ) r->res->approved++;
      return STATUS_OK;
    }
    case E_APPROVE2: {
      /* the next step of the chain (the dispatch centre): its first approver */
      QFUSER *who;
      int n;
      FLOW_RES fr;
      if( !d->id ) return STATUS_OK;
      if( (err = q_flow_approvers(r->db, d->id, 0, &who, &n)) ) return nerr_pass(err);
      if( n==0 ) return STATUS_OK;                 /* not waiting at a further step */
      if( (err = as_user(r, who[0].login, e->t, &c)) ) return nerr_pass(err);
      if( (err = flow_act(&c, FL_APPROVE, d->id, d->version, NULL, 0, &fr)) ) return nerr_pass(err);
      if( fr.msg ){ log_warn("demo: step 2 of %s %s %s: %s", d->f->code, d->unit_code, d->key, fr.msg); return STATUS_OK; }
      d->version = fr.version;
      if( strcmp(fr.status, "approved")==0 ) r->res->approved++;
      return STATUS_OK;
    }
    case E_FIX: {
      if( !d->id ) return STATUS_OK;
      if( (err = as_user(r, d->clerk, e->t, &c)) ) return nerr_pass(err);
      if( (err = entry_load(&c, d->id, CAP_ENTRY, &s)) ) return nerr_pass(err);
      if( !s.editable ) return STATUS_OK;
      correct(&c, &s);
      if( (err = entry_save(&c, &s, 1, token(r->a), &msg, &dup)) ) return nerr_pass(err);
      if( msg ){ log_warn("demo: correction of %s %s %s: %s", d->f->code, d->unit_code, d->key, msg); return STATUS_OK; }
      d->version = s.e.version;
      r->res->returned--;
      return STATUS_OK;
    }
  }
  return STATUS_OK;
}

NEOERR *demo_entries(DB *db0, DB *owner, ARENA *keep, HDF *conf, int days, DEMO_RESULT *res){
  RUN r;
  NEOERR *err;
  QUNIT *units;
  int nu;
  CTX op;
  memset(res, 0, sizeof *res);
  memset(&r, 0, sizeof r);
  r.keep = keep;
  r.a = arena_new(1 << 16);
  r.conf = conf;
  r.res = res;
  r.tank = hmap_new(keep, 64);
  /* a connection of its own whose results land in the per-event arena */
  if( (err = db_open(&r.db, conf, r.a)) ) goto done;
  if( (err = day_cal_conf(&r.cal, conf)) ) goto done;
  ctx_operator(&op, r.db, keep, conf, "diaodu-ctl demo");
  time_t now = time(NULL);
  YMD today = day_today(&r.cal, now);
  long t0 = day_num(today.y, today.m, today.d);
  r.first = t0 - days - 1;

  long long existing;
  if( (err = q_entry_count(r.db, &existing)) ) goto done;
  if( existing ){ log_info("demo: there are sheets already; nothing done"); goto done; }
  {
    /* the company has used its forms since the first day of the demo */
    char at[DAY_KEYSZ];
    if( (err = q_form_live_since(owner, day_utc_text(day_utc(&r.cal, r.first, 0), at))) ) goto done;
  }
  if( (err = q_units_for(r.db, 0, CAP_ENTRY, &units, &nu)) ) goto done;
  static const char *const FORMS[] = { "vehicle_daily", "repair_order", "canteen_daily", "meter_reading",
                                       "security_patrol" };
  int cap = 4096, nds = 0, nev = 0;
  DS *ds = arena_alloc(keep, sizeof(DS) * (size_t)cap);
  EV *ev = arena_alloc(keep, sizeof(EV) * (size_t)cap * 5);   /* at most 5 events a sheet */
  for(size_t fi_ = 0; fi_<sizeof FORMS / sizeof FORMS[0]; fi_++){
    const FORM *f;
    if( (err = form_get(&op, FORMS[fi_], &f)) ) goto done;
    if( f==NULL || !f->active ) continue;
    for(int u=0; u<nu; u++){
      if( !form_unit_ok(f, units[u].code, units[u].kind) ) continue;
      const char *clerk, *head;
      int found1, found2;
      if( (err = q_unit_account(r.db, units[u].id, "clerk", &clerk, &found1)) ) goto done;
      if( (err = q_unit_account(r.db, units[u].id, "head", &head, &found2)) ) goto done;
      if( !found1 || !found2 ) continue;
      clerk = arena_strdup(keep, clerk);
      head = arena_strdup(keep, head);
      for(int back = days - 1; back>=0; back--){
        for(int sh = 1; sh<=(f->period==DAY_P_SHIFT ? r.cal.nshift : 1); sh++){
          if( nds==cap ) break;
          DS *d = &ds[nds];
          memset(d, 0, sizeof *d);
          d->f = f;
          d->unit_id = units[u].id;
          d->unit_code = arena_strdup(keep, units[u].code);
          d->clerk = clerk;
          d->head = head;
          d->day = back;
          d->p = day_period_of_date(f->period, t0 - back);
          if( f->period==DAY_P_SHIFT ) d->p.shift = sh;
          day_period_key(&d->p, d->key);
          FWIN w;
          form_window(f, &r.cal, &d->p, &w);
          if( now<w.opens ) continue;                     /* not open yet */
          /* the fate, and when things happen */
          int roll = pick(100), fate = roll<4 ? F_MISSING : roll<14 ? F_LATE : roll<16 ? F_DRAFT : F_ONTIME;
          time_t submit = fate==F_LATE ? w.cutoff + between(30, 26*60) * 60
                        : w.end - between(20, 240) * 60;
          if( submit<w.opens ) submit = w.opens + 600;
          if( back==0 && f->period!=DAY_P_SHIFT ){
            /* today: some are drafts, some done, the rest not started */
            fate = roll<40 ? F_DRAFT : roll<55 ? F_ONTIME : F_MISSING;
            submit = now - between(5, 90) * 60;
            if( submit<w.opens ) submit = w.opens + 60;
          }
          nds++;
          if( fate==F_MISSING ){ res->missing++; continue; }
          if( submit>now ) continue;
          ev[nev++] = (EV){ submit, fate==F_DRAFT ? E_DRAFT : E_SUBMIT, nds - 1 };
          if( fate==F_DRAFT ) continue;
          time_t review = (submit>w.end ? submit : w.end) + between(7*60 + 30, 11*60) * 60;
          if( f->period==DAY_P_SHIFT ) review = submit + between(60, 240) * 60;
          if( chance(back<=3 ? 15 : 5) ){
            ev[nev++] = (EV){ review, E_RETURN, nds - 1 };
            if( back<=3 && chance(60) ) continue;         /* not corrected yet */
            time_t fix = review + between(60, 300) * 60;
            ev[nev++] = (EV){ fix, E_FIX, nds - 1 };
            review = fix + between(60, 600) * 60;
          }
          ev[nev++] = (EV){ review, E_APPROVE, nds - 1 };
          if( f->nsteps>=2 ) ev[nev++] = (EV){ review + between(60, 360) * 60, E_APPROVE2, nds - 1 };
        }
      }
    }
  }
  qsort(ev, (size_t)nev, sizeof ev[0], by_time);
  for(int i=0; i<nev; i++){
    if( ev[i].t>now ) continue;
    err = run_event(&r, &ds[ev[i].ds], &ev[i]);
    arena_reset(r.a);
    if( err ) goto done;
  }
done:
  db_close(r.db);
  arena_free(r.a);
  return nerr_pass(err);
}
