/*
** fuzz_multipart.c -- multipart_parse() (at most REQ_MAX_PARAMS = 200
** parts), twice per input:
**   1. the whole input as the body of
**      "Content-Type: multipart/form-data; boundary=XyZ";
**   2. the first line of the input (up to the first \n, one trailing \r
**      dropped) as the Content-Type and the rest as the body.
**
** Invariants: errors are 4xx; on success at most 200 parts; names are
** [A-Za-z0-9_.-]{1,64}; data is NUL-terminated at len and is a piece of
** the body; a field (no filename) holds no NUL and is valid UTF-8; a
** filename is valid UTF-8 without / or \ (the last path component); the
** part's Content-Type is valid UTF-8.
*/
#include "fuzz.h"
#include "multipart.h"
#include "req.h"
#include "str.h"

static void one(const char *ctype, const char *body, size_t len){
  PART parts[REQ_MAX_PARAMS];
  int n = -1;
  NEOERR *err = multipart_parse(A, ctype, body, len, parts, &n, REQ_MAX_PARAMS);
  if( err ){ expect_input_error(err, "multipart_parse"); return; }
  CHECK(n>=0 && n<=REQ_MAX_PARAMS);
  for(int i=0; i<n; i++){
    const PART *p = &parts[i];
    CHECK(p->name && str_is_name(p->name, strlen(p->name), 64));
    CHECK(p->data && p->data[p->len]==0);
    CHECK(p->len<=len);
    CHECK(p->len==0 || memmem(body, len, p->data, p->len)!=NULL);
    CHECK(p->ctype && utf8_valid(p->ctype, strlen(p->ctype)));
    if( p->filename ){
      CHECK(utf8_valid(p->filename, strlen(p->filename)));
      CHECK(strchr(p->filename, '/')==NULL && strchr(p->filename, '\\')==NULL);
    }else{
      CHECK(memchr(p->data, 0, p->len)==NULL);
      CHECK(utf8_valid(p->data, p->len));
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size){
  /* 1: fixed boundary, the input is the body */
  char *body = exact(data, size);
  one("multipart/form-data; boundary=XyZ", body, size);
  free(body);
  arena_reset(A);

  /* 2: the first line is the Content-Type */
  const uint8_t *nl = memchr(data, '\n', size);
  size_t cl = nl ? (size_t)(nl - data) : size;
  size_t rest = nl ? size - cl - 1 : 0;
  char *ctype = cstr(data, cl);
  if( cl && ctype[cl-1]=='\r' ) ctype[cl-1] = 0;
  body = exact(nl ? nl + 1 : data + size, rest);
  one(ctype, body, rest);
  free(body);
  free(ctype);
  arena_reset(A);
  return 0;
}
