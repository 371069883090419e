/*
** conf.h -- configuration: conf/diaodu.conf (HDF) plus any overlay files
** named with -c, later files overriding earlier ones.
*/
#ifndef DIAODU_CONF_H
#define DIAODU_CONF_H
#include <ClearSilver.h>

NEOERR *conf_load(HDF **conf, const char **files, int nfiles);
const char *conf_str(HDF *conf, const char *name, const char *def);
long conf_int(HDF *conf, const char *name, long def);

/* a copy of conf whose Db.User, Db.Password (and Db.Socket, Db.Host,
** Db.Port when set) are those of Db.Owner.*: the account that migrates,
** grants and runs DDL (root over the unix socket by default), with no
** statement time limit */
NEOERR *conf_owner(HDF *conf, HDF **out);

#endif
