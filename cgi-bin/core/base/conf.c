/*
** conf.c -- see conf.h.  The file format is ClearSilver's HDF, so the
** same parser serves templates, language strings and configuration.
*/
#include "conf.h"
#include <stdlib.h>

NEOERR *conf_load(HDF **conf, const char **files, int nfiles){
  NEOERR *err = hdf_init(conf);
  if( err ) return nerr_pass(err);
  for(int i=0; i<nfiles; i++){
    err = hdf_read_file(*conf, files[i]);
    if( err ){
      hdf_destroy(conf);
      return nerr_pass_ctx(err, "reading configuration %s", files[i]);
    }
  }
  return STATUS_OK;
}

const char *conf_str(HDF *conf, const char *name, const char *def){
  return hdf_get_value(conf, name, def);
}

long conf_int(HDF *conf, const char *name, long def){
  const char *v = hdf_get_value(conf, name, NULL);
  if( v==NULL || *v==0 ) return def;
  char *end;
  long n = strtol(v, &end, 10);
  return *end==0 ? n : def;
}
