/*
** err.c -- see err.h.
*/
#include "err.h"
#include <string.h>

NERR_TYPE ERR_INPUT, ERR_DENIED, ERR_CSRF, ERR_NOTFOUND, ERR_METHOD,
          ERR_CONFLICT, ERR_TOOBIG, ERR_UNAVAIL;

NEOERR *err_init(void){
  static int done = 0;
  NEOERR *err;
  if( done ) return STATUS_OK;
  if( (err = nerr_init()) ) return nerr_pass(err);
  if( (err = nerr_register(&ERR_INPUT, "InputError")) ) return nerr_pass(err);
  if( (err = nerr_register(&ERR_DENIED, "PermissionDenied")) ) return nerr_pass(err);
  if( (err = nerr_register(&ERR_CSRF, "CsrfRejected")) ) return nerr_pass(err);
  if( (err = nerr_register(&ERR_NOTFOUND, "NotFound")) ) return nerr_pass(err);
  if( (err = nerr_register(&ERR_METHOD, "MethodNotAllowed")) ) return nerr_pass(err);
  if( (err = nerr_register(&ERR_CONFLICT, "Conflict")) ) return nerr_pass(err);
  if( (err = nerr_register(&ERR_TOOBIG, "TooLarge")) ) return nerr_pass(err);
  if( (err = nerr_register(&ERR_UNAVAIL, "Unavailable")) ) return nerr_pass(err);
  done = 1;
  return STATUS_OK;
}

/* the error that was raised, under any nerr_pass wrappers */
static NEOERR *root(NEOERR *err){
  while( err && err!=INTERNAL_ERR && err->error==NERR_PASS && err->next ) err = err->next;
  return err;
}

int err_status(NEOERR *err){
  NEOERR *e = root(err);
  if( e==NULL ) return 200;
  if( e==INTERNAL_ERR ) return 500;
  if( e->error==ERR_INPUT ) return 400;
  if( e->error==ERR_DENIED || e->error==ERR_CSRF ) return 403;
  if( e->error==ERR_NOTFOUND ) return 404;
  if( e->error==ERR_METHOD ) return 405;
  if( e->error==ERR_CONFLICT ) return 409;
  if( e->error==ERR_TOOBIG ) return 413;
  if( e->error==ERR_UNAVAIL ) return 503;
  return 500;
}

const char *err_key(NEOERR *err){
  NEOERR *e = root(err);
  if( e==NULL || e==INTERNAL_ERR || err_status(e)>=500 ) return NULL;
  if( e->error==ERR_CSRF ) return "csrf";
  /* a key is a short [a-z0-9_] word; anything else is log-only text */
  for(const char *p=e->desc; *p; p++)
    if( !((*p>='a' && *p<='z') || (*p>='0' && *p<='9') || *p=='_') ) return NULL;
  return e->desc[0] ? e->desc : NULL;
}
