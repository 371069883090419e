/*
** hset.c -- see hset.h.
*/
#include "hset.h"
#include "log.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void check(NEOERR *err, const char *what){
  if( err==STATUS_OK ) return;
  log_neoerr(what, err);
  nerr_ignore(&err);
  abort();
}

void hset_str(HDF *h, const char *name, const char *value){
  check(hdf_set_value(h, name, value), name);
}

void hset_int(HDF *h, const char *name, long long value){
  char buf[32];
  snprintf(buf, sizeof buf, "%lld", value);
  check(hdf_set_value(h, name, buf), name);
}

void hset_fmt(HDF *h, const char *fmt, ...){
  va_list ap;
  va_start(ap, fmt);
  check(hdf_set_valuevf(h, fmt, ap), fmt);
  va_end(ap);
}
