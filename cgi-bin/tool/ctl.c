/*
** ctl.c -- diaodu-ctl, the command-line side of the core: first-run set-up,
** password hashes for tests, audit-chain verification.  Used by ./diaodu.
**
**   diaodu-ctl -c CONF setup            create the company root unit, the
**                                       information centre and the first
**                                       admin (once); prints the initial
**                                       password on stdout
**   diaodu-ctl -c CONF reset-initial LOGIN   a new one-time initial password
**   diaodu-ctl -c CONF migrate [DIR]    as the owner account (Db.Owner.*):
**                                       create the database, apply the
**                                       migrations of DIR (Paths.Schema) not
**                                       yet applied, finish or report DDL
**                                       changes, bring the application
**                                       account's grants up to date
**   diaodu-ctl -c CONF activation-code LOGIN a one-time activation code that
**                                       no admin sees (an imported auditor:
**                                       handed over in person; its pending
**                                       grant takes effect on activation)
**   diaodu-ctl -c CONF forms apply [DIR] [--dry-run]
**                                       check every form definition of DIR
**                                       (Paths.Forms) and, when all pass,
**                                       apply them as the owner account:
**                                       tables, registry, audit, grants
**   diaodu-ctl -c CONF forms check [DIR]   the same without applying
**   diaodu-ctl -c CONF demo-entries [DAYS]
**                                       the demo company's sheets of the
**                                       last DAYS (42) days, through the
**                                       entry engine (./diaodu, once)
**   diaodu-ctl -c CONF flow adopt | flow explain LOGIN
**                                       the approval flow (flowctl.c)
**   diaodu-ctl -c CONF verify-audit     check the audit chain (and its
**                                       archives): "intact up to record N
**                                       at T" or where and how it broke
**   diaodu-ctl -c CONF anchor-audit     write the chain head to the head
**                                       file and syslog (run periodically)
**   diaodu-ctl -c CONF archive-audit [--days N | --before 'YYYY-MM-DD HH:MM:SS']
**                                       move records older than N days
**                                       (Audit.ArchiveDays) into a verified
**                                       gzip file recorded in the chain;
**                                       deletes through Db.Owner.*
**   diaodu-ctl -c CONF grant-officer|revoke-officer|grant-auditor|revoke-auditor LOGIN
**                                       三员分立: the operator appoints the
**                                       security officer (only the operator
**                                       can), and may grant or revoke an
**                                       auditor as the officer does
**   diaodu-ctl -c CONF track escalate [--at UTC]
**                                       units still missing after the cut-off
**                                       to their heads (trackctl.c; cron-able,
**                                       idempotent)
**   diaodu-ctl -c CONF verify-audit     check the audit hash chain
**   diaodu-ctl -c CONF report-archive [week|month] [--date D] [--list]
**                                       the leadership reports' archive
**                                       (jobctl.c; cron-able)
**   diaodu-ctl -c CONF hash             argon2id hash of the line on stdin
**   diaodu-ctl -c CONF import KIND FILE [--dry-run]
**                                       import units | users | base:<kind>
**                                       through the same engine as the
**                                       browser (the demo company uses it)
*/
#include "conf.h"
#include "flowctl.h"
#include "reportctl.h"
#include "gendata.h"
#include "trackctl.h"
#include "jobctl.h"
#include "db.h"
#include "err.h"
#include "log.h"
#include "pw.h"
#include "audit.h"
#include "import.h"
#include "org.h"
#include "q_sec.h"
#include "sec.h"
#include "schema.h"
#include "pend.h"
#include "form.h"
#include "demo.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

static HDF *conf;
static DB *db;
static ARENA *arena;
static CTX op;                    /* the server operator */

/* refusals of the domain functions are Lang keys: print the Chinese text */
static NEOERR *refused(const char *msg){
  HDF *lang = NULL;
  const char *text = msg;
  char path[1024];
  snprintf(path, sizeof path, "%s/lang/zh_CN.hdf", conf_str(conf, "Paths.Templates", "templates"));
  if( hdf_init(&lang)==STATUS_OK && hdf_read_file(lang, path)==STATUS_OK )
    text = hdf_get_valuef(lang, "%s", msg) ? hdf_get_valuef(lang, "%s", msg) : msg;
  fprintf(stderr, "diaodu-ctl: %s (%s)\n", text, msg);
  hdf_destroy(&lang);
  return nerr_raise(NERR_ASSERT, "refused: %s", msg);
}

/* the audit key exists (made on the very first run), the chain is keyed
** (an instance from before the key switches here, with a record saying
** so), and the head file has the head */
static NEOERR *audit_setup(void){
  int created;
  AUDIT_HEAD h;
  NEOERR *err = audit_key_create(&op, &created);
  if( err ) return nerr_pass(err);
  if( created ) fprintf(stderr, "diaodu-ctl: created the audit key %s (keep a copy of it with the backups)\n",
                        conf_str(conf, "Audit.KeyFile", ""));
  if( (err = q_audit_head(db, &h)) ) return nerr_pass(err);
  if( !h.keyed_from && h.seq>0 ){
    err = DB_TX(db, NULL, ctx_audit(&op, "audit.key", "audit:chain", "ok",
                                    "{\"after\":{\"alg\":\"HMAC-SHA-256\"}}"));
    if( err ) return nerr_pass(err);
  }
  if( !h.keyed_from && h.seq==0 ) return STATUS_OK;   /* the first record will switch it */
  return nerr_pass(audit_anchor(&op, "setup", &h));
}

static NEOERR *setup(void){
  char pw[16], hash[PW_HASH_MAX];
  const char *msg;
  int done;
  ORG_SETUP s = { conf_str(conf, "Site.CompanyCode", "HQ"), conf_str(conf, "Site.CompanyName", "后勤服务公司"),
                  conf_str(conf, "Site.AdminUnitCode", "XX"), conf_str(conf, "Site.AdminUnitName", "信息中心"),
                  "admin", "系统管理员" };
  pw_random(pw, sizeof pw);
  NEOERR *err = pw_hash(pw, hash);
  if( err ) return nerr_pass(err);
  if( (err = audit_setup()) ) return nerr_pass(err);
  if( (err = org_setup(&op, &s, hash, &done, &msg)) ) return nerr_pass(err);
  if( msg ) return refused(msg);
  if( !done ){ fprintf(stderr, "set-up already done\n"); return STATUS_OK; }
  AUDIT_HEAD h;
  if( (err = audit_anchor(&op, "setup", &h)) ) return nerr_pass(err);
  printf("%s\n", pw);
  return STATUS_OK;
}

static NEOERR *reset_initial(const char *login){
  char pw[16], hash[PW_HASH_MAX];
  const char *msg;
  pw_random(pw, sizeof pw);
  NEOERR *err = pw_hash(pw, hash);
  if( err ) return nerr_pass(err);
  if( (err = org_user_initial_password(&op, login, hash, &msg)) ) return nerr_pass(err);
  if( msg ) return refused(msg);
  printf("%s\n", pw);
  return STATUS_OK;
}

static NEOERR *activation_code(const char *login){
  char code[ACT_CODE_LEN + 1];
  const char *msg;
  NEOERR *err = pend_code(&op, login, code, &msg);
  if( err ) return nerr_pass(err);
  if( msg ) return refused(msg);
  printf("%s\n", code);
  return STATUS_OK;
}

static NEOERR *import_file(const char *kind, const char *path, int dry){
  FILE *f = fopen(path, "rb");
  if( f==NULL ) return nerr_raise_errno(NERR_IO, "cannot open %s", path);
  STRING data;
  string_init(&data);
  char buf[65536];
  size_t n;
  while( (n = fread(buf, 1, sizeof buf, f))>0 ) string_appendn(&data, buf, (int)n);
  fclose(f);
  IMP_RESULT res;
  NEOERR *err = import_run(&op, kind, data.buf ? data.buf : "", (size_t)data.len, 0, !dry, &res);
  string_clear(&data);
  if( err ) return nerr_pass(err);
  /* a column the engine does not know is never dropped silently: map it
  ** once in the browser (remembered for this header row) or rename it */
  for(int i=0; i<res.ncols; i++)
    if( res.cols[i].state==ICS_UNKNOWN || res.cols[i].state==ICS_DUP || res.cols[i].state==ICS_LEGACY )
      fprintf(stderr, "%s: column %d \"%s\" is not mapped to a field\n", path, res.cols[i].col + 1, res.cols[i].header);
  if( res.file_key ){
    fprintf(stderr, "%s: %s %s\n", path, res.file_key, res.file_detail ? res.file_detail : "");
    return nerr_raise(NERR_ASSERT, "import refused");
  }
  if( res.need_map ) return nerr_raise(NERR_ASSERT, "import refused: columns to map");
  for(int i=0; i<res.nerrors; i++)
    fprintf(stderr, "%s: row %d, %s = \"%s\": %s\n", path, res.errors[i].rowno,
            res.errors[i].column, res.errors[i].value, res.errors[i].key);
  printf("%s %s (%s): %d rows, %d new, %d updated, %d unchanged, %d errors\n",
         dry ? "checked" : res.n_errors ? "refused" : "imported", kind, res.encoding,
         res.rows, res.n_new, res.n_updated, res.n_same, res.n_errors);
  for(int i=0; i<res.ncodes; i++)
    printf("activation\t%s\t%s\t%s\t%s\n", res.codes[i].login, res.codes[i].name,
           res.codes[i].unit_name, res.codes[i].code);
  for(int i=0; i<res.npending; i++)
    printf("pending\t%s\t%s\tauditor: diaodu-ctl activation-code %s\n", res.pending_login[i],
           res.pending_name[i], res.pending_login[i]);
  return res.n_errors ? nerr_raise(NERR_ASSERT, "import refused") : STATUS_OK;
}

static NEOERR *migrate(const char *dir){
  SCHEMA_RESULT res;
  NEOERR *err = schema_migrate(conf, arena, dir ? dir : conf_str(conf, "Paths.Schema", "schema"), &res);
  if( err ) return nerr_pass(err);
  printf("migrate: %d migrations applied, %d grants, %d revokes, %d DDL changes finished, %d DDL changes failed\n",
         res.migrations, res.granted, res.revoked, res.ddl_finished, res.ddl_failed);
  return STATUS_OK;
}

/* a checker's message in Chinese: fdef.<key> of the language file with {arg} filled in */
static const char *fdef_text(HDF *lang, const FDEF_ERR *e){
  const char *t = lang ? hdf_get_valuef(lang, "fdef.%s", e->key) : NULL;
  if( t==NULL ) return arena_printf(arena, "%s %s", e->key, e->arg);
  STRING s;
  string_init(&s);
  for(const char *p = t; *p; ){
    const char *q = strstr(p, "{arg}");
    if( q==NULL ){ string_append(&s, p); break; }
    string_appendn(&s, p, (int)(q - p));
    string_append(&s, e->arg);
    p = q + 5;
  }
  const char *out = arena_strdup(arena, s.buf ? s.buf : "");
  string_clear(&s);
  return out;
}

static NEOERR *forms(const char *sub, const char *dir, int dry){
  HDF *lang = NULL, *oconf = NULL;
  DB *odb = NULL;
  FORM **fs;
  int n, ok = 0;
  FDEF_ERRS *errs = arena_alloc(arena, sizeof *errs);
  char path[1024];
  if( strcmp(sub, "check")==0 ) dry = 1;
  else if( strcmp(sub, "apply")!=0 ) return nerr_raise(NERR_ASSERT, "forms apply|check [DIR] [--dry-run]");
  if( dir==NULL ) dir = conf_str(conf, "Paths.Forms", "conf/forms");
  snprintf(path, sizeof path, "%s/lang/zh_CN.hdf", conf_str(conf, "Paths.Templates", "templates"));
  NEOERR *err = hdf_init(&lang);
  if( !err ) err = hdf_read_file(lang, path);
  if( err ){ nerr_ignore(&err); hdf_destroy(&lang); }
  err = form_read_dir(arena, dir, &fs, &n, errs);
  FDEF_ERRS *more = arena_alloc(arena, sizeof *more);
  FORM_APPLIED *res = arena_alloc(arena, sizeof(FORM_APPLIED) * (size_t)(n + 1));
  if( !err && errs->total==0 ){
    /* DDL and the registry: the owner account, never the application's */
    if( !(err = conf_owner(conf, &oconf)) && !(err = db_open(&odb, oconf, arena)) ){
      CTX oc;
      ctx_operator(&oc, odb, arena, conf, "diaodu-ctl");
      err = form_apply(&oc, conf, fs, n, dry, res, more, &ok);
    }
  }
  FDEF_ERRS *show = errs->total ? errs : more;
  for(int i=0; i<show->n; i++){
    const FDEF_ERR *e = &show->e[i];
    fprintf(stderr, "%s:%d: %s%s%s%s (%s)\n", e->file, e->line, *e->field ? "字段 " : "", e->field,
            *e->field ? "：" : "", fdef_text(lang, e), e->key);
  }
  if( show->total>show->n ) fprintf(stderr, "... %d more\n", show->total - show->n);
  if( !err && show->total==0 ){
    for(int i=0; i<n; i++){
      static const char *st[] = { "unchanged", "new", "changed" };
      printf("%s %s version %d: %s%s%s%s%s\n", dry ? "checked" : "applied", res[i].code, res[i].version,
             st[res[i].state], *res[i].added ? ", added " : "", res[i].added,
             *res[i].removed ? ", removed " : "", res[i].removed);
    }
  }else if( !err ){
    fprintf(stderr, "forms: %d problem%s; nothing was applied\n", show->total, show->total==1 ? "" : "s");
    err = nerr_raise(NERR_ASSERT, "form definitions refused");
  }
  db_close(odb);
  hdf_destroy(&oconf);
  hdf_destroy(&lang);
  return err;
}

static NEOERR *verify(void){
  AUDIT_CHECK v;
  NEOERR *err = audit_verify(&op, &v);
  if( err ) return nerr_pass(err);
  printf("%s\n", audit_check_text(arena, &v));
  if( v.bad_id || v.archives_bad ) return nerr_raise(NERR_ASSERT, "broken chain");
  return STATUS_OK;
}

static NEOERR *duty(const char *cmd, const char *login){
  const char *role = strstr(cmd, "officer") ? "secofficer" : "auditor", *msg = NULL;
  NEOERR *err;
  if( strncmp(cmd, "grant-", 6)==0 ) err = sec_grant(&op, login, role, &msg);
  else{
    USERROW u;
    HDF *h;
    int found, n;
    if( (err = q_user_row(db, 0, login, &u, &found)) ) return nerr_pass(err);
    if( !found ) return refused("sec.no_account");
    if( (err = hdf_init(&h)) ) return nerr_pass(err);
    long long gid = 0;
    err = q_sec_grants_hdf(db, u.id, h, "G", &n);
    for(int i=0; i<n && !err; i++)
      if( strcmp(hdf_get_valuef(h, "G.%d.role", i), role)==0 ) gid = atoll(hdf_get_valuef(h, "G.%d.id", i));
    hdf_destroy(&h);
    if( err ) return nerr_pass(err);
    if( !gid ) return refused("org.bad_role");
    err = sec_revoke(&op, gid, &msg);
  }
  if( err ) return nerr_pass(err);
  if( msg ) return refused(msg);
  printf("%s: %s %s\n", cmd, login, role);
  return STATUS_OK;
}

static NEOERR *anchor(void){
  AUDIT_HEAD h;
  NEOERR *err = audit_anchor(&op, "periodic", &h);
  if( !err ) printf("audit chain head: record %lld, keyed from %lld\n", h.seq, h.keyed_from);
  return nerr_pass(err);
}

/* the owner account (Db.Owner.*, conf_owner): the application's account
** may not delete audit records */
static NEOERR *owner_db(DB **out, HDF **oconf){
  NEOERR *err = conf_owner(conf, oconf);
  if( !err ) err = db_open(out, *oconf, arena);
  return nerr_pass(err);
}

static NEOERR *archive(int argc, char **argv){
  char before[32];
  long days = conf_int(conf, "Audit.ArchiveDays", 180);
  const char *at = NULL, *msg;
  for(int i=0; i<argc; i++){
    if( strcmp(argv[i], "--days")==0 && i + 1<argc ) days = atol(argv[++i]);
    else if( strcmp(argv[i], "--before")==0 && i + 1<argc ) at = argv[++i];
    else return nerr_raise(NERR_ASSERT, "usage: archive-audit [--days N | --before 'YYYY-MM-DD HH:MM:SS']");
  }
  if( at==NULL ){
    time_t t = time(NULL) - days * 86400L;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(before, sizeof before, "%Y-%m-%d %H:%M:%S", &tm);
    at = before;
  }
  DB *owner = NULL;
  HDF *oconf = NULL;
  AUDIT_ARCHIVED out;
  NEOERR *err = owner_db(&owner, &oconf);
  if( !err ) err = audit_archive(&op, owner, at, &out, &msg);
  db_close(owner);
  hdf_destroy(&oconf);
  if( err ) return nerr_pass(err);
  if( msg ) return refused(msg);
  printf("archived records %lld to %lld (%lld) into %s, SHA-256 %s\n", out.first, out.last, out.records,
         out.file, out.sha256);
  return STATUS_OK;
}

int main(int argc, char **argv){
  const char *confs[8];
  int nconf = 0, opt;
  NEOERR *err;
  log_init("diaodu-ctl");
  while( (opt = getopt(argc, argv, "+c:"))!=-1 ){
    if( opt=='c' && nconf<8 ) confs[nconf++] = optarg;
    else{ fprintf(stderr, "usage: diaodu-ctl -c CONF [-c CONF] setup|migrate [DIR]|forms apply|check [DIR]|reset-initial LOGIN|verify-audit|anchor-audit|archive-audit|hash|import KIND FILE|flow ...|report check|run|bench ...|gen-data [--units N]\n"); return 2; }
  }
  if( optind>=argc || nconf==0 ){ fprintf(stderr, "usage: diaodu-ctl -c CONF setup|migrate [DIR]|forms apply|check [DIR]|reset-initial LOGIN|activation-code LOGIN|verify-audit|anchor-audit|archive-audit|hash|import KIND FILE|flow ...|report check|run|bench ...|gen-data [--units N]\n"); return 2; }
  const char *cmd = argv[optind];
  if( (err = err_init()) || (err = conf_load(&conf, confs, nconf)) || (err = pw_init(conf))
      || (err = audit_init(conf)) ){
    log_neoerr("diaodu-ctl", err); nerr_ignore(&err); return 2;
  }
  arena = arena_new(65536);
  if( (err = db_open(&db, conf, arena)) ){ log_neoerr("db", err); nerr_ignore(&err); return 2; }
  ctx_operator(&op, db, arena, conf, "diaodu-ctl");
  if( strcmp(cmd, "setup")==0 ) err = setup();
  else if( strcmp(cmd, "reset-initial")==0 && optind + 1<argc ) err = reset_initial(argv[optind+1]);
  else if( strcmp(cmd, "activation-code")==0 && optind + 1<argc ) err = activation_code(argv[optind+1]);
  else if( strcmp(cmd, "verify-audit")==0 ) err = verify();
  else if( strcmp(cmd, "migrate")==0 ) err = migrate(optind + 1<argc ? argv[optind+1] : NULL);
  else if( strcmp(cmd, "demo-entries")==0 ){
    DEMO_RESULT res;
    int days = optind + 1<argc ? atoi(argv[optind+1]) : 42;
    HDF *oconf = NULL;
    DB *odb = NULL;
    if( !(err = conf_owner(conf, &oconf)) && !(err = db_open(&odb, oconf, arena)) )
      err = demo_entries(db, odb, arena, conf, days>0 && days<=400 ? days : 42, &res);
    db_close(odb);
    hdf_destroy(&oconf);
    if( !err ) printf("demo: %d sheets (%d submitted, %d of them late; %d drafts), %d missing, %d approved, %d returned\n",
                      res.sheets, res.submitted, res.late, res.drafts, res.missing, res.approved, res.returned);
  }
  else if( strcmp(cmd, "forms")==0 && optind + 1<argc ){
    const char *dir = NULL;
    int dry = 0;
    for(int i=optind + 2; i<argc; i++){
      if( strcmp(argv[i], "--dry-run")==0 ) dry = 1;
      else dir = argv[i];
    }
    err = forms(argv[optind+1], dir, dry);
  }
  else if( strcmp(cmd, "flow")==0 ) err = flowctl(&op, argc - optind - 1, argv + optind + 1);
  else if( strcmp(cmd, "anchor-audit")==0 ) err = anchor();
  else if( (strcmp(cmd, "grant-officer")==0 || strcmp(cmd, "revoke-officer")==0 || strcmp(cmd, "grant-auditor")==0
            || strcmp(cmd, "revoke-auditor")==0) && optind + 1<argc ) err = duty(cmd, argv[optind+1]);
  else if( strcmp(cmd, "archive-audit")==0 ) err = archive(argc - optind - 1, argv + optind + 1);
  else if( strcmp(cmd, "report")==0 ) err = reportctl(&op, argc - optind - 1, argv + optind + 1);
  else if( strcmp(cmd, "gen-data")==0 ) err = gendata(&op, argc - optind - 1, argv + optind + 1);
  else if( strcmp(cmd, "track")==0 ) err = trackctl(&op, argc - optind - 1, argv + optind + 1);
  else if( strcmp(cmd, "report-archive")==0 ){
    const char *msg;
    err = jobctl_archive(&op, argc - optind - 1, argv + optind + 1, &msg);
    if( !err && msg ) err = refused(msg);
  }
  else if( strcmp(cmd, "import")==0 && optind + 2<argc )
    err = import_file(argv[optind+1], argv[optind+2], optind + 3<argc && strcmp(argv[optind+3], "--dry-run")==0);
  else if( strcmp(cmd, "hash")==0 ){
    char line[512], hash[PW_HASH_MAX];
    if( fgets(line, sizeof line, stdin)==NULL ) return 2;
    line[strcspn(line, "\r\n")] = 0;
    err = pw_hash(line, hash);
    if( !err ) printf("%s\n", hash);
  }else{ fprintf(stderr, "unknown command %s\n", cmd); return 2; }
  if( !err ) err = ctx_flush(&op);
  int rc = 0;
  if( err ){ log_neoerr(cmd, err); nerr_ignore(&err); rc = 1; }
  db_close(db);
  arena_free(arena);
  pw_shutdown();
  hdf_destroy(&conf);
  return rc;
}
