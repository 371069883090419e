/*
** conf.c -- see conf.h.  The file format is ClearSilver's HDF, so the
** same parser serves templates, language strings and configuration.
*/
#include "conf.h"
#include <stdio.h>
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

NEOERR *conf_owner(HDF *conf, HDF **out){
  static const char *keys[] = { "Socket", "Host", "Port" };
  NEOERR *err = hdf_init(out);
  if( err ) return nerr_pass(err);
  if( (err = hdf_copy(*out, "", conf)) ) goto fail;
  if( (err = hdf_set_value(*out, "Db.User", conf_str(conf, "Db.Owner.User", "root"))) ) goto fail;
  if( (err = hdf_set_value(*out, "Db.Password", conf_str(conf, "Db.Owner.Password", ""))) ) goto fail;
  for(size_t i=0; i<sizeof keys/sizeof keys[0]; i++){
    const char *v = hdf_get_valuef(conf, "Db.Owner.%s", keys[i]);
    char name[32];
    snprintf(name, sizeof name, "Db.%s", keys[i]);
    if( v && *v && (err = hdf_set_value(*out, name, v)) ) goto fail;
  }
  /* migrations and DDL may take long: no statement limit for the owner */
  if( (err = hdf_set_value(*out, "Db.StatementTimeout", "0")) ) goto fail;
  return STATUS_OK;
fail:
  hdf_destroy(out);
  return nerr_pass(err);
}
