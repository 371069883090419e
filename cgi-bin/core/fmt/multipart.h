/*
** multipart.h -- multipart/form-data (RFC 7578) for uploads.
**
** multipart_parse() splits a body whose Content-Type header is ctype into
** parts.  Part names must be in [A-Za-z0-9_.-]; a part without filename is
** a form field (its value must be valid UTF-8); a part with filename is a
** file (any bytes).  Malformed bodies (no boundary, missing final
** delimiter, headers without a blank line, more than max parts) are
** ERR_INPUT "bad_request"; field values that are not UTF-8 "bad_utf8".
*/
#ifndef DIAODU_MULTIPART_H
#define DIAODU_MULTIPART_H
#include <ClearSilver.h>
#include "arena.h"

typedef struct {
  const char *name;
  const char *filename;      /* NULL for a plain field */
  const char *ctype;         /* the part's Content-Type or "" */
  const char *data;          /* NUL-terminated copy in the arena */
  size_t len;
} PART;

NEOERR *multipart_parse(ARENA *a, const char *ctype, const char *body, size_t len,
                        PART *parts, int *nparts, int max);

#endif
