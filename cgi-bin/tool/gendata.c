/*
** gendata.c -- `diaodu-ctl gen-data [--units N] [--days N] [--from YYYY-MM-DD]
** [--vehicles N]`: the bench data of make bench (tests/bench-report.sh), a
** company of N teams (default 300) with a year (365 days from 2025-01-01)
** of approved sheets of the demo forms: about 440,000 sheets and 1.3 million
** rows, written on the owner connection by INSERT ... SELECT (sql/q_gen.c).
** Run once on an instance: a second run finds the teams and stops.
*/
#include "gendata.h"
#include "conf.h"
#include "q_gen.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

NEOERR *gendata(CTX *c, int argc, char **argv){
  int units = 300, days = 365, vehicles = 1000;
  const char *from = "2025-01-01";
  for(int i=0; i + 1<argc; i += 2){
    if( !strcmp(argv[i], "--units") ) units = atoi(argv[i + 1]);
    else if( !strcmp(argv[i], "--days") ) days = atoi(argv[i + 1]);
    else if( !strcmp(argv[i], "--vehicles") ) vehicles = atoi(argv[i + 1]);
    else if( !strcmp(argv[i], "--from") ) from = argv[i + 1];
    else return nerr_raise(NERR_ASSERT, "gen-data [--units N] [--days N] [--from YYYY-MM-DD] [--vehicles N]");
  }
  if( units<1 || units>2000 || days<1 || days>3650 || vehicles<1 || vehicles>99999 )
    return nerr_raise(NERR_ASSERT, "gen-data: 1..2000 units, 1..3650 days, 1..99999 vehicles");
  HDF *oconf = NULL;
  DB *odb = NULL;
  NEOERR *err = conf_owner(c->conf, &oconf);
  if( !err ) err = db_open(&odb, oconf, c->arena);
  long long have = 0, sheets = 0, rows = 0;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if( !err ) err = q_gen_have(odb, &have);
  if( !err && have>0 ) printf("gen-data: %lld teams already there, nothing to do\n", have);
  else if( !err ){
    err = q_gen_company(odb, units, vehicles);
    if( !err ) err = q_gen_sheets(odb, from, days, vehicles, &sheets, &rows);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if( !err ) printf("gen-data: %d teams, %d days from %s: %lld sheets, %lld rows in %.1f s\n", units, days, from, sheets, rows,
                      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
  }
  db_close(odb);
  hdf_destroy(&oconf);
  return nerr_pass(err);
}
