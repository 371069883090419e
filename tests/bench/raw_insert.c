/*
** raw_insert.c -- the baseline of the sheet benchmark (tests/bench-entry.sh):
** the rows of the same 20-row sheet inserted through the MariaDB C API
** directly -- the entry row, its header and its 20 rows (one multi-row
** statement) in one transaction, prepared once, nothing else: no session,
** no checks, no lookups, no audit record.  Runs for SECONDS and prints
** transactions per second.
**
**   raw_insert SOCKET USER PASSWORD DB UNIT_ID SECONDS OFFSET
** OFFSET: days before three days ago where its periods start.
*/
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROWS 20
#define RCOLS 14

static void die(MYSQL *c, MYSQL_STMT *s, const char *what){
  fprintf(stderr, "raw_insert: %s: %s\n", what, s ? mysql_stmt_error(s) : mysql_error(c));
  exit(1);
}

static MYSQL_STMT *prep(MYSQL *c, const char *sql){
  MYSQL_STMT *s = mysql_stmt_init(c);
  if( s==NULL || mysql_stmt_prepare(s, sql, (unsigned long)strlen(sql)) ) die(c, s, sql);
  return s;
}

static void bind_str(MYSQL_BIND *b, const char *v, unsigned long *len){
  memset(b, 0, sizeof *b);
  b->buffer_type = MYSQL_TYPE_STRING;
  b->buffer = (void*)v;
  *len = (unsigned long)strlen(v);
  b->buffer_length = *len;
  b->length = len;
}
static void bind_int(MYSQL_BIND *b, long long *v){
  memset(b, 0, sizeof *b);
  b->buffer_type = MYSQL_TYPE_LONGLONG;
  b->buffer = v;
}

static double now(void){
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv){
  if( argc<8 ){ fprintf(stderr, "usage: raw_insert SOCKET USER PASSWORD DB UNIT_ID SECONDS OFFSET\n"); return 2; }
  long long unit = atoll(argv[5]);
  double secs = atof(argv[6]);
  long offset = atol(argv[7]);
  MYSQL *c = mysql_init(NULL);
  mysql_optionsv(c, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if( !mysql_real_connect(c, NULL, argv[2], argv[3], argv[4], 0, argv[1], 0) ) die(c, NULL, "connect");
  if( mysql_query(c, "SET time_zone = '+00:00'") ) die(c, NULL, "time_zone");
  long long form = 0, vehicle = 0, user = 0;
  MYSQL_RES *r;
  MYSQL_ROW row;
  if( mysql_query(c, "SELECT (SELECT id FROM form WHERE code='bench_sheet'),"
                     " (SELECT b.id FROM base_item b JOIN base_kind k ON k.id=b.kind_id WHERE k.code='vehicle' AND b.code='CL002'),"
                     " (SELECT id FROM app_user WHERE login='bench')") ) die(c, NULL, "ids");
  r = mysql_store_result(c);
  row = mysql_fetch_row(r);
  form = atoll(row[0]); vehicle = atoll(row[1]); user = atoll(row[2]);
  mysql_free_result(r);

  MYSQL_STMT *se = prep(c, "INSERT INTO entry (form_id, org_unit_id, period_key, period_start, status, form_version, nrows,"
    " created_by, created_at, updated_by, updated_at, submitted_by, submitted_at)"
    " VALUES (?, ?, ?, ?, 'submitted', 1, 20, ?, UTC_TIMESTAMP(), ?, UTC_TIMESTAMP(), ?, UTC_TIMESTAMP())");
  MYSQL_STMT *sh = prep(c, "INSERT INTO f_bench_sheet (entry_id, org_unit_id, period_start, duty, total_km) VALUES (?, ?, ?, ?, ?)");
  char sql[8192];
  int p = snprintf(sql, sizeof sql, "INSERT INTO f_bench_sheet_r (entry_id, line, org_unit_id, period_start, vehicle, task,"
    " depart, back, odo_start, odo_end, km, fuel, passengers, note) VALUES ");
  for(int i=0; i<ROWS; i++) p += snprintf(sql + p, sizeof sql - p, "%s(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", i ? "," : "");
  MYSQL_STMT *sr = prep(c, sql);

  /* the values: the same sheet as the HTTP side posts */
  static char depart[ROWS][8], back[ROWS][8], odo0[ROWS][16], odo1[ROWS][16], fuel[ROWS][8];
  for(int i=0; i<ROWS; i++){
    snprintf(depart[i], 8, "%02d:%02d", 6 + i / 2, (i % 2) * 30);
    snprintf(back[i], 8, "%02d:%02d", 7 + i / 2, (i % 2) * 30 + 15);
    snprintf(odo0[i], 16, "%d.0", 10000 + i * 100);
    snprintf(odo1[i], 16, "%d.5", 10000 + i * 100 + 55);
    snprintf(fuel[i], 8, "%s", i % 2 ? "" : "30.00");
  }
  long long n = 0, eid, lines[ROWS], passengers = 12;
  unsigned long len[RCOLS * ROWS + 8];
  char key[16];
  MYSQL_BIND be[7], bh[5], br[RCOLS * ROWS];
  double t0 = now();
  while( now() - t0 < secs ){
    time_t day = time(NULL) - 86400L * (3 + offset + n);
    struct tm tm;
    gmtime_r(&day, &tm);
    strftime(key, sizeof key, "%Y-%m-%d", &tm);
    if( mysql_autocommit(c, 0) ) die(c, NULL, "begin");
    bind_int(&be[0], &form); bind_int(&be[1], &unit); bind_str(&be[2], key, &len[0]); bind_str(&be[3], key, &len[1]);
    bind_int(&be[4], &user); bind_int(&be[5], &user); bind_int(&be[6], &user);
    if( mysql_stmt_bind_param(se, be) || mysql_stmt_execute(se) ) die(c, se, "entry");
    eid = (long long)mysql_stmt_insert_id(se);
    bind_int(&bh[0], &eid); bind_int(&bh[1], &unit); bind_str(&bh[2], key, &len[2]);
    bind_str(&bh[3], "压测值班", &len[3]); bind_str(&bh[4], "1110.0", &len[4]);
    if( mysql_stmt_bind_param(sh, bh) || mysql_stmt_execute(sh) ) die(c, sh, "header");
    int k = 0;
    unsigned long *l = &len[5];
    for(int i=0; i<ROWS; i++){
      lines[i] = i + 1;
      bind_int(&br[k++], &eid); bind_int(&br[k++], &lines[i]); bind_int(&br[k++], &unit);
      bind_str(&br[k], key, l++); k++;
      bind_int(&br[k++], &vehicle);
      bind_str(&br[k], "公务用车", l++); k++;
      bind_str(&br[k], depart[i], l++); k++;
      bind_str(&br[k], back[i], l++); k++;
      bind_str(&br[k], odo0[i], l++); k++;
      bind_str(&br[k], odo1[i], l++); k++;
      bind_str(&br[k], "55.5", l++); k++;
      if( fuel[i][0] ){ bind_str(&br[k], fuel[i], l++); k++; }
      else{ memset(&br[k], 0, sizeof br[k]); br[k].buffer_type = MYSQL_TYPE_NULL; k++; }
      bind_int(&br[k++], &passengers);
      bind_str(&br[k], "压测", l++); k++;
    }
    if( mysql_stmt_bind_param(sr, br) || mysql_stmt_execute(sr) ) die(c, sr, "rows");
    if( mysql_commit(c) ) die(c, NULL, "commit");
    n++;
  }
  double dt = now() - t0;
  printf("%.1f\n", n / dt);
  mysql_close(c);
  return 0;
}
