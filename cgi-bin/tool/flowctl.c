/*
** flowctl.c -- `diaodu-ctl flow ...`, the approval flow from the command
** line (ctl.c dispatches here):
**
**   diaodu-ctl -c CONF flow adopt           sheets submitted before the flow
**                                           existed join it (./diaodu, each start)
**   diaodu-ctl -c CONF flow explain LOGIN   MariaDB's EXPLAIN of the inbox
**                                           query (待我审批) for an account:
**                                           which index each table uses
**                                           (docs/BENCHMARKS.md, make bench)
*/
#include "flowctl.h"
#include "flow.h"
#include "q_user.h"
#include <stdio.h>
#include <string.h>

static NEOERR *explain(CTX *c, const char *login){
  ACCOUNT acc;
  int found, n;
  NEOERR *err = q_user_by_login(c->db, c->arena, login, &acc, &found);
  if( err ) return nerr_pass(err);
  if( !found ) return nerr_raise(NERR_ASSERT, "no account %s", login);
  QINBOX q;
  memset(&q, 0, sizeof q);
  q.user = acc.id;
  q.today = flow_today(c);
  q.now = flow_now(c);
  q.from = q.to = q.after_at = "";
  q.limit = 51;
  HDF *h;
  if( (err = hdf_init(&h)) ) return nerr_pass(err);
  err = q_flow_inbox_explain(c->db, &q, h, "X", &n);
  if( !err ){
    printf("id\tselect_type\ttable\ttype\tkey\trows\tExtra\n");
    for(HDF *r = hdf_get_child(h, "X"); r; r = hdf_obj_next(r))
      printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", hdf_get_value(r, "id", ""), hdf_get_value(r, "select_type", ""),
             hdf_get_value(r, "table", ""), hdf_get_value(r, "type", ""), hdf_get_value(r, "key", "NULL"),
             hdf_get_value(r, "rows", ""), hdf_get_value(r, "extra", ""));
  }
  hdf_destroy(&h);
  return nerr_pass(err);
}

NEOERR *flowctl(CTX *c, int argc, char **argv){
  if( argc>=1 && strcmp(argv[0], "adopt")==0 ){
    int n;
    NEOERR *err = flow_adopt(c, &n);
    if( !err ) printf("flow: %d sheet%s submitted before the approval flow joined it\n", n, n==1 ? "" : "s");
    return nerr_pass(err);
  }
  if( argc>=2 && strcmp(argv[0], "explain")==0 ) return nerr_pass(explain(c, argv[1]));
  return nerr_raise(NERR_ASSERT, "flow adopt | flow explain LOGIN");
}
