/*
** fuzz_urlencoded.c -- req_parse_urlencoded() (query strings and form
** bodies, at most REQ_MAX_PARAMS = 200 parameters) and req_parse_cookies()
** on the same bytes made NUL-terminated.
**
** Invariants: errors are 4xx; on success the count is at most 200 and
** equals the number of non-empty '&'/';'-separated pieces, every name is
** [A-Za-z0-9_.-]{1,64}, every value valid UTF-8; the cookie count is at
** most the maximum, cookie names are names and values hold no ';'.
*/
#include "fuzz.h"
#include "req.h"
#include "str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size){
  char *buf = exact(data, size);
  PARAM params[REQ_MAX_PARAMS];
  int count = 0;

  NEOERR *err = req_parse_urlencoded(A, buf, size, params, &count, REQ_MAX_PARAMS);
  if( err ){
    expect_input_error(err, "req_parse_urlencoded");
  }else{
    int pieces = 0;
    for(size_t i=0; i<size; ){
      size_t j = i;
      while( j<size && buf[j]!='&' && buf[j]!=';' ) j++;
      if( j>i ) pieces++;
      i = j + 1;
    }
    CHECK(count>=0 && count<=REQ_MAX_PARAMS);
    CHECK(count==pieces);
    for(int i=0; i<count; i++){
      CHECK(params[i].name && params[i].value);
      CHECK(str_is_name(params[i].name, strlen(params[i].name), 64));
      CHECK(utf8_valid(params[i].value, strlen(params[i].value)));
    }
  }

  char *s = cstr(data, size);
  PARAM cookies[REQ_MAX_COOKIES];
  int n = req_parse_cookies(A, s, cookies, REQ_MAX_COOKIES);
  CHECK(n>=0 && n<=REQ_MAX_COOKIES);
  for(int i=0; i<n; i++){
    CHECK(cookies[i].name && cookies[i].value);
    CHECK(str_is_name(cookies[i].name, strlen(cookies[i].name), 64));
    CHECK(strchr(cookies[i].value, ';')==NULL);
    CHECK(strstr(s, cookies[i].value)!=NULL);
  }

  free(s);
  free(buf);
  arena_reset(A);
  return 0;
}
