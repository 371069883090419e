/*
** pw.c -- see pw.h.
*/
#include "pw.h"
#include "conf.h"
#include "str.h"
#include <sodium.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char **g_common;      /* sorted, lower case */
static size_t g_ncommon;
static unsigned long long g_ops;
static size_t g_mem;
static char g_dummy[crypto_pwhash_STRBYTES];

static int cmp(const void *a, const void *b){
  return strcmp(*(char* const*)a, *(char* const*)b);
}

static void lower(char *s){ for(; *s; s++) *s = (char)tolower((unsigned char)*s); }

NEOERR *pw_init(HDF *conf){
  if( sodium_init()<0 ) return nerr_raise(NERR_SYSTEM, "sodium_init failed");
  g_ops = (unsigned long long)conf_int(conf, "Password.HashOps", crypto_pwhash_OPSLIMIT_INTERACTIVE);
  g_mem = (size_t)conf_int(conf, "Password.HashMemKiB", crypto_pwhash_MEMLIMIT_INTERACTIVE/1024) * 1024;
  const char *path = conf_str(conf, "Password.CommonList", "conf/common-passwords.txt");
  FILE *f = fopen(path, "r");
  if( f==NULL ) return nerr_raise_errno(NERR_IO, "cannot open %s", path);
  char line[256];
  size_t cap = 0;
  while( fgets(line, sizeof line, f) ){
    line[strcspn(line, "\r\n")] = 0;
    if( line[0]==0 || line[0]=='#' ) continue;
    if( g_ncommon==cap ){
      cap = cap ? cap*2 : 256;
      char **n = realloc(g_common, cap * sizeof(char*));
      if( n==NULL ){ fclose(f); return nerr_raise(NERR_NOMEM, "common list"); }
      g_common = n;
    }
    lower(line);
    g_common[g_ncommon++] = strdup(line);
  }
  fclose(f);
  if( g_ncommon ) qsort(g_common, g_ncommon, sizeof(char*), cmp);
  g_dummy[0] = 0;
  return STATUS_OK;
}

void pw_shutdown(void){
  for(size_t i=0; i<g_ncommon; i++) free(g_common[i]);
  free(g_common);
  g_common = NULL;
  g_ncommon = 0;
}

NEOERR *pw_hash(const char *password, char out[PW_HASH_MAX]){
  char h[crypto_pwhash_STRBYTES];
  if( crypto_pwhash_str_alg(h, password, strlen(password), g_ops, g_mem,
                            crypto_pwhash_ALG_ARGON2ID13)!=0 )
    return nerr_raise(NERR_NOMEM, "argon2id hashing failed");
  snprintf(out, PW_HASH_MAX, "%s", h);
  return STATUS_OK;
}

int pw_verify(const char *hash, const char *password){
  if( hash==NULL || strncmp(hash, "$argon2id$", 10)!=0 ) return 0;
  return crypto_pwhash_str_verify(hash, password, strlen(password))==0;
}

void pw_verify_dummy(const char *password){
  if( g_dummy[0]==0 ){
    char h[PW_HASH_MAX];
    unsigned char r[16];
    char hex[33];
    randombytes_buf(r, sizeof r);
    hex_encode(hex, r, sizeof r);
    if( pw_hash(hex, h) ) return;
    snprintf(g_dummy, sizeof g_dummy, "%s", h);
  }
  (void)pw_verify(g_dummy, password);
}

static int is_common(const char *pw){
  char buf[256];
  snprintf(buf, sizeof buf, "%s", pw);
  lower(buf);
  const char *key = buf;
  return g_ncommon && bsearch(&key, g_common, g_ncommon, sizeof(char*), cmp)!=NULL;
}

const char *pw_policy_check(HDF *conf, const char *login, const char *pw){
  size_t minlen = (size_t)conf_int(conf, "Password.MinLength", 8);
  int minclass = (int)conf_int(conf, "Password.MinClasses", 3);
  size_t bytes = strlen(pw);
  if( !utf8_valid(pw, bytes) ) return "pw.invalid";
  if( bytes>128 ) return "pw.too_long";
  if( utf8_len(pw)<minlen ) return "pw.too_short";
  int lo = 0, up = 0, dg = 0, sy = 0;
  for(const unsigned char *p=(const unsigned char*)pw; *p; p++){
    if( *p>='a' && *p<='z' ) lo = 1;
    else if( *p>='A' && *p<='Z' ) up = 1;
    else if( *p>='0' && *p<='9' ) dg = 1;
    else sy = 1;
  }
  if( lo + up + dg + sy < minclass ) return "pw.classes";
  if( login && *login ){
    size_t n = strlen(login);
    for(const char *p=pw; *p; p++) if( strncasecmp(p, login, n)==0 ) return "pw.has_login";
  }
  if( is_common(pw) ) return "pw.common";
  return NULL;
}

void pw_random(char *out, size_t len){
  /* no look-alikes (0/O, 1/l/I); one of each class guaranteed */
  static const char *cls[4] = { "abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ",
                                "23456789", "@#*" };
  if( len<9 ){ out[0] = 0; return; }
  size_t n = len - 1 > 12 ? 12 : len - 1;
  for(size_t i=0; i<n; i++){
    const char *c = cls[i<4 ? i : (i%3)];
    out[i] = c[randombytes_uniform((uint32_t)strlen(c))];
  }
  /* shuffle */
  for(size_t i=n-1; i>0; i--){
    size_t j = randombytes_uniform((uint32_t)(i + 1));
    char t = out[i]; out[i] = out[j]; out[j] = t;
  }
  out[n] = 0;
}
