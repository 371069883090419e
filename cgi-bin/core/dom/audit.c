/*
** audit.c -- see audit.h.
*/
#define _GNU_SOURCE
#include "audit.h"
#include "conf.h"
#include "err.h"
#include "json.h"
#include "log.h"
#include "str.h"
#include <errno.h>
#include <pwd.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK 2000

/* ------------------------------------------------------------------ */
/* the key                                                             */

static const char *key_path(HDF *conf){ return conf_str(conf, "Audit.KeyFile", ""); }

/* Run as root (a deployment's set-up, a cron job), the files the
** executables must read -- the key, the head file, the archives -- go to
** the system user they run as (Audit.KeyUser), mode 0600 / 0750. */
static void give_away(HDF *conf, int fd, const char *path){
  if( geteuid()!=0 ) return;
  struct passwd *pw = getpwnam(conf_str(conf, "Audit.KeyUser", "diaodu"));
  if( pw==NULL ) return;
  int rc = fd>=0 ? fchown(fd, pw->pw_uid, pw->pw_gid) : chown(path, pw->pw_uid, pw->pw_gid);
  if( rc ) log_warn("cannot give %s to %s: %s", path, pw->pw_name, strerror(errno));
}

static NEOERR *key_load(const char *path, int *loaded){
  struct stat sb;
  char buf[80];
  unsigned char key[AUDIT_KEYLEN];
  *loaded = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if( fd<0 ){
    if( errno==ENOENT ) return STATUS_OK;
    return nerr_raise_errno(NERR_IO, "cannot open the audit key %s", path);
  }
  if( fstat(fd, &sb) || (sb.st_mode & 0007) ){
    close(fd);
    return nerr_raise(NERR_IO, "the audit key %s is readable by others: chmod 600 it", path);
  }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if( n<64 ) return nerr_raise(NERR_IO, "the audit key %s is not 64 hex digits", path);
  buf[64] = 0;
  if( hex_decode(key, sizeof key, buf) ) return nerr_raise(NERR_IO, "the audit key %s is not 64 hex digits", path);
  audit_set_key(key);
  sodium_memzero(key, sizeof key);
  sodium_memzero(buf, sizeof buf);
  *loaded = 1;
  return STATUS_OK;
}

NEOERR *audit_init(HDF *conf){
  int loaded;
  const char *path = key_path(conf);
  audit_set_key(NULL);
  if( !*path ) return STATUS_OK;
  return nerr_pass(key_load(path, &loaded));
}

NEOERR *audit_key_create(CTX *c, int *created){
  AUDIT_HEAD h;
  int loaded;
  const char *path = key_path(c->conf);
  *created = 0;
  if( !*path ) return nerr_raise(NERR_ASSERT, "Audit.KeyFile is not set");
  NEOERR *err = key_load(path, &loaded);
  if( err || loaded ) return nerr_pass(err);
  if( (err = q_audit_head(c->db, &h)) ) return nerr_pass(err);
  if( h.keyed_from )
    return nerr_raise(NERR_IO, "the audit key %s is missing but records from %lld on are keyed with it:"
                      " restore the key from its backup (a new key would make them unverifiable)",
                      path, h.keyed_from);
  unsigned char key[AUDIT_KEYLEN];
  char hex[2 * AUDIT_KEYLEN + 2];
  randombytes_buf(key, sizeof key);
  hex_encode(hex, key, sizeof key);
  strcat(hex, "\n");
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if( fd<0 ) return nerr_raise_errno(NERR_IO, "cannot create the audit key %s", path);
  give_away(c->conf, fd, path);
  ssize_t n = write(fd, hex, strlen(hex));
  int bad = n!=(ssize_t)strlen(hex) || fsync(fd)!=0;
  close(fd);
  sodium_memzero(hex, sizeof hex);
  sodium_memzero(key, sizeof key);
  if( bad ){ unlink(path); return nerr_raise_errno(NERR_IO, "cannot write the audit key %s", path); }
  if( (err = key_load(path, &loaded)) ) return nerr_pass(err);
  *created = 1;
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* the chain head outside the database                                 */

typedef struct { long long id, keyed_from; char mac[65]; } ANCHOR;

static NEOERR *anchors_read(CTX *c, ANCHOR **out, int *n){
  const char *path = conf_str(c->conf, "Audit.HeadFile", "");
  *out = NULL;
  *n = 0;
  if( !*path ) return STATUS_OK;
  FILE *f = fopen(path, "re");
  if( f==NULL ){
    if( errno==ENOENT ) return STATUS_OK;
    return nerr_raise_errno(NERR_IO, "cannot read %s", path);
  }
  int cap = 64;
  ANCHOR *a = arena_alloc(c->arena, sizeof(ANCHOR) * (size_t)cap);
  char line[512];
  while( fgets(line, sizeof line, f) ){
    ANCHOR x;
    memset(&x, 0, sizeof x);
    if( sscanf(line, "%*s %lld %64s %lld", &x.id, x.mac, &x.keyed_from)!=3 || strlen(x.mac)!=64 ) continue;
    if( *n==cap ){
      ANCHOR *b = arena_alloc(c->arena, sizeof(ANCHOR) * (size_t)cap * 2);
      memcpy(b, a, sizeof(ANCHOR) * (size_t)cap);
      a = b;
      cap *= 2;
    }
    a[(*n)++] = x;
  }
  fclose(f);
  *out = a;
  return STATUS_OK;
}

NEOERR *audit_anchor(CTX *c, const char *why, AUDIT_HEAD *h){
  const char *path = conf_str(c->conf, "Audit.HeadFile", "");
  NEOERR *err = q_audit_head(c->db, h);
  if( err ) return nerr_pass(err);
  if( !*path ) return nerr_raise(NERR_ASSERT, "Audit.HeadFile is not set");
  char now[32];
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
  char *line = arena_printf(c->arena, "%s %lld %s %lld %s\n", now, h->seq, h->mac, h->keyed_from,
                            why ? why : "periodic");
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if( fd<0 ) return nerr_raise_errno(NERR_IO, "cannot open %s", path);
  give_away(c->conf, fd, path);
  ssize_t n = write(fd, line, strlen(line));
  int bad = n!=(ssize_t)strlen(line) || fsync(fd)!=0;
  close(fd);
  if( bad ) return nerr_raise_errno(NERR_IO, "cannot write %s", path);
  openlog("diaodu-audit", LOG_PID, LOG_AUTHPRIV);
  syslog(LOG_NOTICE, "audit chain head: record %lld mac %s keyed from %lld (%s)",
         h->seq, h->mac, h->keyed_from, why ? why : "periodic");
  closelog();
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */
/* verification                                                        */

static int row_ok(const AUDIT_ROW *w, const char *prev, long long id, long long keyed_from){
  char m[65];
  if( w->alg==2 ){
    if( !audit_key() ) return 0;
    audit_mac(m, audit_key(), prev, id, w->at, &w->r);
  }else if( w->alg==1 ){
    if( keyed_from && id>=keyed_from ) return 0;     /* after the switch only keyed records */
    audit_hash(m, prev, id, w->at, &w->r);
  }else return 0;
  return w->mac && str_ct_equal(m, w->mac);
}

/* the archive that ends just before first (its last MAC starts the chain) */
static NEOERR *archive_before(CTX *c, long long first, AUDIT_ARCHIVE *ar, int *found){
  HDF *h;
  int n;
  *found = 0;
  NEOERR *err = hdf_init(&h);
  if( err ) return nerr_pass(err);
  err = q_audit_archives(c->db, h, "A", &n);
  for(int i=0; i<n && !err && !*found; i++){
    long long id = hdf_get_int_value(h, arena_printf(c->arena, "A.%d.id", i), 0);
    if( (err = audit_archive_get(c, id, ar, found)) ) break;
    if( *found && ar->last!=first - 1 ) *found = 0;
  }
  hdf_destroy(&h);
  return nerr_pass(err);
}

static void bad(AUDIT_CHECK *v, long long id, const char *how, long long to){
  if( v->bad_id ) return;
  v->bad_id = id;
  v->how = how;
  v->bad_to = to;
}

NEOERR *audit_verify(CTX *c, AUDIT_CHECK *v){
  AUDIT_HEAD head;
  ANCHOR *an;
  int nan;
  NEOERR *err;
  char prev[65] = AUDIT_ZERO, last_at[40] = "";
  memset(v, 0, sizeof *v);
  if( (err = q_audit_head(c->db, &head)) ) return nerr_pass(err);
  if( (err = anchors_read(c, &an, &nan)) ) return nerr_pass(err);
  v->anchors = nan;

  /* where the chain switched: the head file is the witness the database
  ** writer cannot reach; the database must agree with it */
  long long kf_file = 0;
  for(int i=0; i<nan && !kf_file; i++) kf_file = an[i].keyed_from;
  long long kf = kf_file ? kf_file : head.keyed_from;
  v->keyed_from = kf;
  if( kf_file && head.keyed_from!=kf_file )
    bad(v, head.keyed_from && head.keyed_from<kf_file ? head.keyed_from : kf_file, "switch", 0);

  long long first;
  if( (err = q_audit_first_id(c->db, &first)) ) return nerr_pass(err);
  long long expect = 1;
  if( first>1 ){
    AUDIT_ARCHIVE ar;
    int found;
    if( (err = archive_before(c, first, &ar, &found)) ) return nerr_pass(err);
    if( found ){ snprintf(prev, sizeof prev, "%s", ar.last_mac); expect = first; }
  }

  /* walk the table in chunks, in an arena of its own */
  ARENA *scratch = arena_new(1 << 20), *keep = db_set_arena(c->db, scratch);
  long long after = expect - 1, last_good = 0;
  int ai = 0;
  while( !err && !v->bad_id ){
    AUDIT_ROW *rows;
    int n;
    arena_reset(scratch);
    if( (err = q_audit_rows(c->db, after, CHUNK, &rows, &n)) ) break;
    if( n==0 ) break;
    for(int i=0; i<n && !v->bad_id; i++){
      AUDIT_ROW *w = &rows[i];
      if( w->id>expect ){ bad(v, expect, "missing", w->id - 1); break; }
      if( w->id<expect ){ bad(v, w->id, "inserted", 0); break; }
      if( !row_ok(w, prev, w->id, kf) ){
        /* what happened to it: the next record tells */
        AUDIT_ROW *nx = NULL, *more;
        int m = 0;
        if( i + 1<n ) nx = &rows[i + 1];
        else if( (err = q_audit_rows(c->db, w->id, 1, &more, &m))==STATUS_OK && m==1 ) nx = more;
        if( err ) break;
        if( nx && nx->id==w->id + 1 && row_ok(nx, prev, nx->id - 1, kf) ) bad(v, w->id, "inserted", 0);
        else if( w->prev && row_ok(w, w->prev, w->id + 1, kf) ) bad(v, w->id, "missing", w->id);
        else bad(v, w->id, "changed", 0);
        break;
      }
      /* the head file's MACs where it has one for this id */
      while( ai<nan && an[ai].id<w->id ) ai++;
      for(int k=ai; k<nan && an[k].id==w->id; k++)
        if( strcmp(an[k].mac, w->mac)!=0 ){ bad(v, w->id, "changed", 0); break; }
      if( v->bad_id ) break;
      snprintf(prev, sizeof prev, "%s", w->mac);
      snprintf(last_at, sizeof last_at, "%s", w->at);
      if( !v->first ) v->first = w->id;
      last_good = w->id;
      v->records++;
      expect++;
    }
    after = rows[n - 1].id;
  }
  db_set_arena(c->db, keep);
  arena_free(scratch);
  if( err ) return nerr_pass(err);
  v->last = last_good;
  v->last_at = arena_strdup(c->arena, last_at);
  if( !v->bad_id ){
    /* the newest records: the head row, then the head file */
    long long known = head.seq;
    for(int i=0; i<nan; i++) if( an[i].id>known ) known = an[i].id;
    if( known>expect - 1 ) bad(v, expect, "truncated", known);
  }
  if( !v->bad_id && first>1 && expect==1 ) bad(v, 1, "missing", first - 1);

  /* the archives the chain records */
  HDF *h;
  int n;
  if( (err = hdf_init(&h)) ) return nerr_pass(err);
  err = q_audit_archives(c->db, h, "A", &n);
  long long cover = first - 1;
  for(int i=0; i<n && !err; i++){
    AUDIT_ARCHIVE ar;
    int found;
    const char *why;
    if( (err = audit_archive_get(c, hdf_get_int_value(h, arena_printf(c->arena, "A.%d.id", i), 0), &ar, &found)) ) break;
    if( !found ) continue;
    v->archives++;
    if( (err = audit_archive_check(c, &ar, &why)) ) break;
    if( why ){
      if( !v->archives_bad ){
        v->archive_bad = arena_printf(c->arena, "%lld-%lld", ar.first, ar.last);
        v->archive_why = why;
      }
      v->archives_bad++;
    }
    /* newest first, the archives cover the ids before the table without a
    ** gap: an archive that is no longer listed is found */
    if( ar.last!=cover ){
      if( !v->archives_bad ){
        v->archive_bad = ar.last<cover ? arena_printf(c->arena, "%lld-%lld", ar.last + 1, cover)
                                       : arena_printf(c->arena, "%lld-%lld", ar.first, ar.last);
        v->archive_why = "gap";
      }
      v->archives_bad++;
    }
    cover = ar.first - 1;
  }
  if( !err && cover>0 && v->archives && !v->archives_bad ){
    v->archive_bad = arena_printf(c->arena, "1-%lld", cover);
    v->archive_why = "gap";
    v->archives_bad++;
  }
  hdf_destroy(&h);
  return nerr_pass(err);
}

const char *audit_check_text(ARENA *a, const AUDIT_CHECK *v){
  const char *arch = v->archives
    ? arena_printf(a, "; %d archive(s), %d bad%s%s%s", v->archives, v->archives_bad,
                   v->archives_bad ? " (first: " : "", v->archives_bad ? v->archive_bad : "",
                   v->archives_bad ? arena_printf(a, ", %s)", v->archive_why) : "")
    : "";
  if( !v->bad_id )
    return arena_printf(a, "audit chain intact: %lld records verified, intact up to record %lld at %s UTC (keyed from %lld, "
                        "%d head-file entries)%s", v->records, v->last, *v->last_at ? v->last_at : "-",
                        v->keyed_from, v->anchors, arch);
  const char *what =
    strcmp(v->how, "missing")==0 ? arena_printf(a, "records %lld to %lld are missing", v->bad_id, v->bad_to) :
    strcmp(v->how, "truncated")==0 ? arena_printf(a, "the tail was truncated: records %lld to %lld are gone", v->bad_id, v->bad_to) :
    strcmp(v->how, "inserted")==0 ? arena_printf(a, "record %lld was inserted", v->bad_id) :
    strcmp(v->how, "switch")==0 ? arena_printf(a, "the switch to the keyed chain was moved (the head file says %lld)", v->keyed_from) :
    arena_printf(a, "record %lld was changed", v->bad_id);
  return arena_printf(a, "audit chain BROKEN at record %lld: %s; intact up to record %lld at %s UTC%s",
                      v->bad_id, what, v->last, *v->last_at ? v->last_at : "-", arch);
}

/* ------------------------------------------------------------------ */
/* archives                                                            */

static void row_json(STRING *out, const AUDIT_ROW *w){
  JSON j;
  json_open(&j);
  json_int(&j, "id", w->id);
  json_int(&j, "alg", w->alg);
  json_str(&j, "at", w->at);
  json_int(&j, "user_id", w->r.user_id);
  json_str(&j, "login", w->r.login);
  json_str(&j, "role", w->r.role);
  json_int(&j, "unit_id", w->r.unit_id);
  json_str(&j, "unit", w->r.unit);
  json_str(&j, "ip", w->r.ip);
  json_str(&j, "ua", w->r.ua);
  json_str(&j, "req_id", w->r.req_id);
  json_str(&j, "action", w->r.action);
  json_str(&j, "object", w->r.object);
  json_str(&j, "result", w->r.result);
  json_str(&j, "detail", w->r.detail);
  json_str(&j, "prev", w->prev);
  json_str(&j, "mac", w->mac);
  json_end(&j);
  string_appendn(out, j.s.buf, j.s.len);
  string_append_char(out, '\n');
  string_clear(&j.s);
}

static int row_parse(ARENA *a, const char *line, AUDIT_ROW *w){
  JSON_KV *kv;
  int n = json_flatten(a, line, &kv);
  if( n<=0 ) return -1;
  memset(w, 0, sizeof *w);
  const char *id = json_get(kv, n, "id"), *alg = json_get(kv, n, "alg");
  if( !id || !alg ) return -1;
  w->id = atoll(id);
  w->alg = atoi(alg);
  w->at = json_get(kv, n, "at");
  w->r.user_id = atoll(json_get(kv, n, "user_id") ? json_get(kv, n, "user_id") : "0");
  w->r.login = json_get(kv, n, "login");
  w->r.role = json_get(kv, n, "role");
  w->r.unit_id = atoll(json_get(kv, n, "unit_id") ? json_get(kv, n, "unit_id") : "0");
  w->r.unit = json_get(kv, n, "unit");
  w->r.ip = json_get(kv, n, "ip");
  w->r.ua = json_get(kv, n, "ua");
  w->r.req_id = json_get(kv, n, "req_id");
  w->r.action = json_get(kv, n, "action");
  w->r.object = json_get(kv, n, "object");
  w->r.result = json_get(kv, n, "result");
  w->r.detail = json_get(kv, n, "detail");
  w->prev = json_get(kv, n, "prev");
  w->mac = json_get(kv, n, "mac");
  return w->at && w->mac ? 0 : -1;
}

/* a gzip file read line by line (a line may be as long as a record) */
typedef struct { gzFile gz; STRING buf; size_t pos; int eof; } GZLINES;

static int gz_open(GZLINES *g, const char *path){
  memset(g, 0, sizeof *g);
  string_init(&g->buf);
  g->gz = gzopen(path, "rb");
  return g->gz ? 0 : -1;
}

static const char *gz_line(GZLINES *g){
  for(;;){
    char *nl = g->buf.buf ? memchr(g->buf.buf + g->pos, '\n', (size_t)g->buf.len - g->pos) : NULL;
    if( nl ){
      *nl = 0;
      const char *line = g->buf.buf + g->pos;
      g->pos = (size_t)(nl - g->buf.buf) + 1;
      return line;
    }
    if( g->eof ) return NULL;
    if( g->pos>0 ){
      memmove(g->buf.buf, g->buf.buf + g->pos, (size_t)g->buf.len - g->pos);
      g->buf.len -= (int)g->pos;
      g->pos = 0;
    }
    char chunk[65536];
    int n = gzread(g->gz, chunk, sizeof chunk);
    if( n<=0 ){ g->eof = 1; continue; }
    string_appendn(&g->buf, chunk, n);
  }
}

static void gz_close(GZLINES *g){
  if( g->gz ) gzclose(g->gz);
  string_clear(&g->buf);
}

static NEOERR *file_sha256(const char *path, char out[65], int *ok){
  unsigned char buf[65536], h[32];
  crypto_hash_sha256_state st;
  *ok = 0;
  FILE *f = fopen(path, "rbe");
  if( f==NULL ) return STATUS_OK;
  crypto_hash_sha256_init(&st);
  size_t n;
  while( (n = fread(buf, 1, sizeof buf, f))>0 ) crypto_hash_sha256_update(&st, buf, n);
  int e = ferror(f);
  fclose(f);
  if( e ) return nerr_raise_errno(NERR_IO, "cannot read %s", path);
  crypto_hash_sha256_final(&st, h);
  hex_encode(out, h, 32);
  *ok = 1;
  return STATUS_OK;
}

static const char *archive_path(CTX *c, const char *file){
  return arena_printf(c->arena, "%s/%s", conf_str(c->conf, "Audit.ArchiveDir", "."), file);
}

NEOERR *audit_archive_get(CTX *c, long long record_id, AUDIT_ARCHIVE *ar, int *found){
  AUDIT_ROW w;
  JSON_KV *kv;
  const char *copy;
  int indexed, moved = 0;
  memset(ar, 0, sizeof *ar);
  NEOERR *err = q_audit_get(c->db, record_id, &w, found);
  if( !err ) err = q_audit_archive_detail(c->db, c->arena, record_id, &copy, &indexed);
  if( err ) return nerr_pass(err);
  if( !*found ){
    /* the record moved into a newer archive: the index's copy, which
    ** verification compares with the record in that archive's file */
    if( !indexed ) return STATUS_OK;
    memset(&w, 0, sizeof w);
    w.r.action = "audit.archive";
    w.r.detail = copy;
    moved = *found = 1;
  }
  int n = json_flatten(c->arena, w.r.detail, &kv);
  if( strcmp(w.r.action, "audit.archive")!=0 || n<=0 ){ *found = 0; return STATUS_OK; }
  ar->record_id = record_id;
  ar->moved = moved;
  ar->index_bad = !moved && (!indexed || strcmp(copy, w.r.detail)!=0);
  ar->before = json_get(kv, n, "before");
  if( ar->before==NULL ) ar->before = "";
  ar->file = json_get(kv, n, "file");
  ar->sha256 = json_get(kv, n, "sha256");
  ar->prev = json_get(kv, n, "prev");
  ar->last_mac = json_get(kv, n, "last_mac");
  const char *f = json_get(kv, n, "first"), *l = json_get(kv, n, "last"), *r = json_get(kv, n, "records"),
             *k = json_get(kv, n, "keyed_from");
  ar->first = f ? atoll(f) : 0;
  ar->last = l ? atoll(l) : 0;
  ar->records = r ? atoll(r) : 0;
  ar->keyed_from = k ? atoll(k) : 0;
  if( !ar->file || !ar->sha256 || !ar->prev || !ar->last_mac || strchr(ar->file, '/') ) *found = 0;
  return STATUS_OK;
}

NEOERR *audit_archive_check(CTX *c, const AUDIT_ARCHIVE *ar, const char **why){
  char sha[65];
  int ok;
  const char *path = archive_path(c, ar->file);
  NEOERR *err = file_sha256(path, sha, &ok);
  *why = NULL;
  if( err ) return nerr_pass(err);
  if( !ok ){ *why = "missing"; return STATUS_OK; }
  if( strcmp(sha, ar->sha256)!=0 ){ *why = "hash"; return STATUS_OK; }
  GZLINES g;
  if( gz_open(&g, path) ){ *why = "missing"; return STATUS_OK; }
  ARENA *scratch = arena_new(65536);
  char prev[65];
  snprintf(prev, sizeof prev, "%s", ar->prev);
  long long expect = ar->first, records = 0;
  const char *line;
  int first_line = 1;
  while( (line = gz_line(&g)) ){
    if( first_line ){ first_line = 0; continue; }     /* the header */
    AUDIT_ROW w;
    arena_reset(scratch);
    if( row_parse(scratch, line, &w) || w.id!=expect || !row_ok(&w, prev, w.id, ar->keyed_from) ){
      *why = "chain";
      break;
    }
    if( w.r.action && strcmp(w.r.action, "audit.archive")==0 ){
      /* an older archive's record now kept here: the index must agree */
      const char *copy;
      int indexed;
      if( (err = q_audit_archive_detail(c->db, scratch, w.id, &copy, &indexed)) ) break;
      if( !indexed || strcmp(copy, w.r.detail ? w.r.detail : "")!=0 ){ *why = "index"; break; }
    }
    snprintf(prev, sizeof prev, "%s", w.mac);
    expect++;
    records++;
  }
  gz_close(&g);
  arena_free(scratch);
  if( err ) return nerr_pass(err);
  if( !*why && (records!=ar->records || expect - 1!=ar->last || strcmp(prev, ar->last_mac)!=0) ) *why = "chain";
  if( !*why && ar->index_bad ) *why = "index";
  return STATUS_OK;
}

static int matches(const AUDIT_ROW *w, const AUDIT_FILTER *f){
#define EQ(field, val) (!(val) || !*(val) || ((field) && strcmp((field), (val))==0))
  if( f->before && w->id>=f->before ) return 0;
  return EQ(w->r.login, f->login) && EQ(w->r.action, f->action) && EQ(w->r.object, f->object)
      && EQ(w->r.result, f->result) && EQ(w->r.ip, f->ip)
      && (!f->unit_id || w->r.unit_id==f->unit_id)
      && (!f->obj_type || !*f->obj_type || (w->r.object && strncmp(w->r.object, f->obj_type, strlen(f->obj_type))==0
                                             && w->r.object[strlen(f->obj_type)]==':'));
#undef EQ
}

NEOERR *audit_archive_rows(CTX *c, const AUDIT_ARCHIVE *ar, const AUDIT_FILTER *f, int limit,
                           AUDIT_ROW **rows, int *n){
  GZLINES g;
  *n = 0;
  *rows = arena_alloc(c->arena, sizeof(AUDIT_ROW) * (size_t)(limit > 0 ? limit : 1));
  if( limit<=0 ) return STATUS_OK;
  if( gz_open(&g, archive_path(c, ar->file)) ) return nerr_raise(ERR_NOTFOUND, "not_found");
  /* the file is oldest first: keep the newest `limit` matches in a ring,
  ** each copied out of a scratch arena */
  ARENA *scratch = arena_new(65536);
  char **keep = arena_alloc(c->arena, sizeof(char*) * (size_t)(limit > 0 ? limit : 1));
  long long seen = 0;
  const char *line;
  int first_line = 1;
  while( (line = gz_line(&g)) ){
    if( first_line ){ first_line = 0; continue; }
    AUDIT_ROW w;
    arena_reset(scratch);
    if( row_parse(scratch, line, &w) ) continue;
    if( !matches(&w, f) ) continue;
    int slot = (int)(seen % limit);
    free(keep[slot]);
    keep[slot] = strdup(line);
    seen++;
  }
  gz_close(&g);
  arena_free(scratch);
  int have = seen<limit ? (int)seen : limit;
  for(int i=0; i<have; i++){
    /* newest first */
    int slot = (int)((seen - 1 - i) % limit);
    if( row_parse(c->arena, keep[slot], &(*rows)[*n])==0 ) (*n)++;
  }
  for(int i=0; i<limit; i++) free(keep[i]);
  return STATUS_OK;
}

static NEOERR *archive_tx(CTX *c, const AUDIT_ARCHIVED *o, const char *prev, const char *last_mac,
                          long long keyed_from, const char *before){
  JSON j;
  json_open(&j);
  json_str(&j, "file", o->file);
  json_int(&j, "first", o->first);
  json_int(&j, "last", o->last);
  json_int(&j, "records", o->records);
  json_str(&j, "sha256", o->sha256);
  json_str(&j, "prev", prev);
  json_str(&j, "last_mac", last_mac);
  json_int(&j, "keyed_from", keyed_from);
  json_str(&j, "before", before);
  json_end(&j);
  NEOERR *err = ctx_audit(c, "audit.archive", arena_printf(c->arena, "archive:%lld-%lld", o->first, o->last),
                          "ok", json_done(&j, c->arena));
  AUDIT_HEAD h;
  if( !err ) err = q_audit_head(c->db, &h);
  if( !err ) err = q_audit_archive_index(c->db, h.seq);
  return nerr_pass(err);
}

/* the cut of the newest archive ("" when none or made before cuts were recorded) */
static NEOERR *newest_cut(CTX *c, const char **cut){
  HDF *h;
  int n;
  *cut = "";
  NEOERR *err = hdf_init(&h);
  if( err ) return nerr_pass(err);
  err = q_audit_archives(c->db, h, "A", &n);
  if( !err && n>0 ){
    AUDIT_ARCHIVE ar;
    int found;
    err = audit_archive_get(c, hdf_get_int_value(h, "A.0.id", 0), &ar, &found);
    if( !err && found ) *cut = ar.before;
  }
  hdf_destroy(&h);
  return nerr_pass(err);
}

NEOERR *audit_archive(CTX *c, DB *owner, const char *before_utc, AUDIT_ARCHIVED *out,
                      const char **msg){
  const char *done;
  AUDIT_CHECK v;
  NEOERR *err;
  long long last, first;
  *msg = NULL;
  memset(out, 0, sizeof *out);
  if( (err = q_audit_id_before(c->db, before_utc, &last)) ) return nerr_pass(err);
  if( (err = q_audit_first_id(c->db, &first)) ) return nerr_pass(err);
  /* an archive for this cut or a later one exists: its own record (written
  ** after the run began, but before a cut that lay ahead) is no reason for
  ** another */
  if( (err = newest_cut(c, &done)) ) return nerr_pass(err);
  if( *done && strcmp(done, before_utc)>=0 ){ *msg = "audit.archive_done"; return STATUS_OK; }
  if( last<=0 || last<first ){ *msg = "audit.archive_none"; return STATUS_OK; }
  /* never archive (and delete) a chain that does not verify */
  if( (err = audit_verify(c, &v)) ) return nerr_pass(err);
  if( v.bad_id ){ *msg = "audit.archive_broken"; return STATUS_OK; }

  const char *dir = conf_str(c->conf, "Audit.ArchiveDir", "");
  if( !*dir ) return nerr_raise(NERR_ASSERT, "Audit.ArchiveDir is not set");
  if( mkdir(dir, 0750)==0 ) give_away(c->conf, -1, dir);
  out->first = first;
  out->last = last;
  out->file = arena_printf(c->arena, "audit-%010lld-%010lld.jsonl.gz", first, last);
  const char *path = archive_path(c, out->file), *tmp = arena_printf(c->arena, "%s.tmp", path);

  /* the file: a header line, then each record as JSON */
  gzFile gz = gzopen(tmp, "wb9");
  if( gz==NULL ) return nerr_raise_errno(NERR_IO, "cannot create %s", tmp);
  char prev[65] = "", last_mac[65] = "";
  ARENA *scratch = arena_new(1 << 20), *keep = db_set_arena(c->db, scratch);
  long long after = first - 1;
  int werr = 0;
  STRING s;
  string_init(&s);
  while( !err && !werr ){
    AUDIT_ROW *rows;
    int n;
    arena_reset(scratch);
    if( (err = q_audit_rows(c->db, after, CHUNK, &rows, &n)) || n==0 ) break;
    for(int i=0; i<n && rows[i].id<=last; i++){
      if( rows[i].id==first ){
        snprintf(prev, sizeof prev, "%s", rows[i].prev);
        string_appendf(&s, "{\"diaodu_audit_archive\":1,\"first\":%lld,\"last\":%lld,\"prev\":\"%s\",\"keyed_from\":%lld}\n",
                       first, last, prev, v.keyed_from);
      }
      row_json(&s, &rows[i]);
      snprintf(last_mac, sizeof last_mac, "%s", rows[i].mac);
      out->records++;
    }
    if( s.len && gzwrite(gz, s.buf, (unsigned)s.len)!=s.len ) werr = 1;
    s.len = 0;
    if( s.buf ) s.buf[0] = 0;
    after = rows[n - 1].id;
    if( after>=last ) break;
  }
  string_clear(&s);
  db_set_arena(c->db, keep);
  arena_free(scratch);
  if( gzclose(gz)!=Z_OK ) werr = 1;
  if( err || werr || out->records!=last - first + 1 ){
    unlink(tmp);
    return err ? nerr_pass(err) : nerr_raise(NERR_IO, "cannot write %s", tmp);
  }
  int fd = open(tmp, O_RDONLY | O_CLOEXEC);
  if( fd>=0 ){ fsync(fd); give_away(c->conf, fd, tmp); close(fd); }
  if( rename(tmp, path) ) return nerr_raise_errno(NERR_IO, "cannot rename %s", tmp);
  char sha[65];
  int ok;
  if( (err = file_sha256(path, sha, &ok)) ) return nerr_pass(err);
  out->sha256 = arena_strdup(c->arena, sha);

  /* the file must read back and verify before anything is deleted */
  AUDIT_ARCHIVE ar = { .first = first, .last = last, .records = out->records, .keyed_from = v.keyed_from,
                       .file = out->file, .sha256 = out->sha256, .prev = prev, .last_mac = last_mac, .before = before_utc };
  const char *why;
  if( (err = audit_archive_check(c, &ar, &why)) ) return nerr_pass(err);
  if( why ) return nerr_raise(NERR_IO, "the archive %s does not verify (%s): nothing deleted", path, why);
  if( (err = DB_TX(c->db, NULL, archive_tx(c, out, prev, last_mac, v.keyed_from, before_utc))) ) return nerr_pass(err);
  long long deleted;
  if( (err = q_audit_delete_upto(owner, last, 5000, &deleted)) ) return nerr_pass(err);
  AUDIT_HEAD h;
  return nerr_pass(audit_anchor(c, "archive", &h));
}
