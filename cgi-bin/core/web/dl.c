/*
** dl.c -- see dl.h.
*/
#include "dl.h"
#include "csv.h"
#include "str.h"
#include "xlsx.h"
#include <string.h>

NEOERR *dl_file(REQ *r, const char *filename, const char *ctype, const char *data, size_t len){
  const char *dot = strrchr(filename, '.');
  const char *ext = dot && str_is_name(dot + 1, strlen(dot + 1), 8) ? dot + 1 : "dat";
  req_set_type(r, ctype);
  req_add_header(r, "Content-Disposition",
    arena_printf(req_arena(r), "attachment; filename=\"diaodu.%s\"; filename*=UTF-8''%s",
                 ext, url_encode(req_arena(r), filename)));
  return nerr_pass(req_append(r, data, len));
}

NEOERR *dl_table(REQ *r, const TABLE *t, const char *base_name, const char *fmt){
  STRING out;
  NEOERR *err;
  string_init(&out);
  if( fmt && strcmp(fmt, "xlsx")==0 ){
    err = xlsx_write(t, base_name, &out);
    if( !err ) err = dl_file(r, arena_printf(req_arena(r), "%s.xlsx", base_name),
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", out.buf, (size_t)out.len);
  }else{
    err = csv_write(t, &out);
    if( !err ) err = dl_file(r, arena_printf(req_arena(r), "%s.csv", base_name),
      "text/csv; charset=utf-8", out.buf, (size_t)out.len);
  }
  string_clear(&out);
  return nerr_pass(err);
}

TABLE *dl_table_new(ARENA *a, int nrow, int ncol, const char *const *header){
  TABLE *t = arena_alloc(a, sizeof(TABLE));
  t->nrow = nrow + 1;
  t->rows = arena_alloc(a, sizeof(TROW) * (size_t)(nrow + 1));
  for(int i=0; i<=nrow; i++){
    t->rows[i].rowno = i + 1;
    t->rows[i].ncol = ncol;
    t->rows[i].cols = arena_alloc(a, sizeof(char*) * (size_t)ncol);
    for(int j=0; j<ncol; j++) t->rows[i].cols[j] = i==0 ? (char*)header[j] : (char*)"";
  }
  return t;
}
