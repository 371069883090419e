/*
** req.h -- one HTTP request and its reply.
**
** Parsing is done once and strictly (parameter names from [A-Za-z0-9_.-],
** caps on count and size, values valid UTF-8); handlers read input only
** through req_param()/req_row()/req_cookie().  The reply (status, headers,
** body) is built in memory and sent in one piece by req_send(), so a late
** error can still become a clean error page with the right status.
**
** Parameter count: the query string and a body may each carry at most
** Limits.MaxParams parameters (conf, default REQ_MAX_PARAMS); a route that
** takes a sheet raises it for its body (ROUTE.max_params), up to
** REQ_PARAMS_CAP.  More is ERR_INPUT "too_many_params".
**
** Rows.  A form that posts a sheet names its cells  <prefix>.<i>.<field>
** ("row.3.odometer_end"): i is a row index in decimal without leading
** zeros, below the request's parameter limit.  A name of that shape whose
** second part starts with a digit, '-' or '+' but is not such an index
** ("row.-1.x", "row.03.x", "row.99999999999.x") is ERR_INPUT "bad_request".
** Names are indexed once per request in a hash map; when a name comes more
** than once, the first value counts (req_param and req_row alike).
*/
#ifndef DIAODU_REQ_H
#define DIAODU_REQ_H
#include <ClearSilver.h>
#include <fcgiapp.h>
#include "arena.h"

typedef struct req REQ;
typedef struct { const char *name, *value; } PARAM;

#define REQ_MAX_PARAMS   200     /* default of Limits.MaxParams */
#define REQ_PARAMS_CAP   4096    /* no route may take more */
#define REQ_MAX_COOKIES  50

#include "multipart.h"
#define REQ_MAX_FILES 4

/* worker lifetime */
REQ *req_new(HDF *conf);
void req_free(REQ *r);

/* request lifetime: begin parses the CGI environment, query string and
** cookies (never the body); read_body takes a urlencoded or multipart body
** of at most max bytes -- refused with ERR_TOOBIG on its Content-Length,
** before a byte is read -- and ERR_INPUT when malformed, or when it has
** more than max_params parameters (0: Limits.MaxParams). */
NEOERR *req_begin(REQ *r, FCGX_Request *fr);
NEOERR *req_read_body(REQ *r, size_t max, int max_params);
NEOERR *req_send(REQ *r);          /* write the reply to the FastCGI stream */
void req_end(REQ *r);              /* free everything the request used */

/* input */
const char *req_method(REQ *r);
const char *req_path(REQ *r);      /* decoded path without the query */
const char *req_ip(REQ *r);
const char *req_ua(REQ *r);
int req_https(REQ *r);
const char *req_env(REQ *r, const char *name);
const char *req_param(REQ *r, const char *name);   /* body, then query */
const char *req_query(REQ *r, const char *name);
const char *req_form(REQ *r, const char *name);     /* body only */
/* the cell <prefix>.<i>.<field> of a posted sheet (body, then query), or
** NULL; req_rows() is 1 + the highest row index posted under prefix */
const char *req_row(REQ *r, const char *prefix, int i, const char *field);
int req_rows(REQ *r, const char *prefix);
const PARAM *req_queries(REQ *r, int *n);
/* an uploaded file (multipart/form-data POST), or NULL */
const PART *req_file(REQ *r, const char *name);
const char *req_cookie(REQ *r, const char *name);
ARENA *req_arena(REQ *r);
HDF *req_hdf(REQ *r);              /* the page's data set */
HDF *req_conf(REQ *r);

/* per-request slots owned by other modules (session user, DB handle) */
void *req_user(REQ *r);
void req_set_user(REQ *r, void *user);
/* the domain context built for this request (web/app.c), NULL until then */
void *req_ctx(REQ *r);
void req_set_ctx(REQ *r, void *ctx);

/* reply */
void req_set_status(REQ *r, int status);
int req_get_status(REQ *r);
void req_add_header(REQ *r, const char *name, const char *value);
void req_set_type(REQ *r, const char *content_type);
void req_set_cookie(REQ *r, const char *name, const char *value, long max_age);
void req_redirect(REQ *r, const char *url);      /* 303 See Other, local paths only */
int req_local_path(const char *url);             /* 1 if url is a safe local path */
void req_reset_reply(REQ *r);                     /* drop body and headers */
NEOERR *req_append(REQ *r, const char *s, size_t n);
STRING *req_body(REQ *r);

/* pure parsers, exposed for unit tests */
NEOERR *req_parse_urlencoded(ARENA *a, const char *s, size_t n,
                             PARAM *out, int *count, int max);
/* the row of a name <prefix>.<i>.<field>: 1 and *index, *plen (prefix
** length); 0 for a name of another shape; -1 for a malformed index or one
** not below limit */
int req_row_name(const char *name, int limit, int *index, size_t *plen);
int req_parse_cookies(ARENA *a, const char *s, PARAM *out, int max);

#endif
