/*
** err.h -- Diaodu's own NEOERR types and the HTTP status each maps to.
**
** A handler raises  nerr_raise(ERR_INPUT, "bad_date")  where the text is a
** key under Lang.err.* : the error page shows that sentence in the user's
** language; anything else in the text is only logged.  Errors of other
** types (NERR_DB, NERR_IO ...) are 500 with a generic page.
*/
#ifndef DIAODU_ERR_H
#define DIAODU_ERR_H
#include <ClearSilver.h>

extern NERR_TYPE ERR_INPUT;      /* 400 */
extern NERR_TYPE ERR_DENIED;     /* 403 */
extern NERR_TYPE ERR_CSRF;       /* 403, with its own message */
extern NERR_TYPE ERR_NOTFOUND;   /* 404 */
extern NERR_TYPE ERR_METHOD;     /* 405 */
extern NERR_TYPE ERR_CONFLICT;   /* 409 */
extern NERR_TYPE ERR_TOOBIG;     /* 413 */
extern NERR_TYPE ERR_UNAVAIL;    /* 503: e.g. DB connection lost inside a transaction */

NEOERR *err_init(void);
int err_status(NEOERR *err);          /* HTTP status for an error chain */
const char *err_key(NEOERR *err);     /* the Lang.err.* key, or NULL */

#endif
