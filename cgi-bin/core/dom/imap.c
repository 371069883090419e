/*
** imap.c -- see imap.h.
**
** Recognition is in two steps.  An exact alias (the template's title, the
** English word, a base-data field's label or code) wins.  Otherwise the
** header is looked at as words: 部门编号 is a unit word and a code word,
** 上级部门名称 has a parent word, 原编号 an old-word and a code word; each
** kind has an ordered list of rules over those words.  Words are matched
** as substrings of the normalised header, so 所属单位编码, 单位(编码) and
** 部门 编号 all count.
*/
#include "imap.h"
#include "csv.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* the fields of units and accounts                                    */

static const IFIELD UNIT_FIELDS[] = {
  { "code", "单位编码", "单位编码|编码|单位代码|code|unitcode", 1 },
  { "name", "单位名称", "单位名称|名称|name|unitname", 1 },
  { "parent", "上级单位编码", "上级单位编码|上级编码|上级单位代码|parent|parentcode", 0 },
  { "kind", "类型", "类型|单位类型|kind|type", 0 },
  { "sort", "排序", "排序|排序号|顺序|sort|order", 0 },
  { "old_code", "原编码", "原编码|旧编码|原单位编码|oldcode", 0 },
  { "active", "状态", "状态|active|status", 0 },
};

static const IFIELD USER_FIELDS[] = {
  { "login", "账户", "账户|账号|登录名|用户名|login|account|username", 1 },
  { "name", "姓名", "姓名|name|fullname", 1 },
  { "unit", "单位编码", "单位编码|所属单位编码|部门编码|unit|unitcode", 1 },
  { "roles", "角色", "角色|roles|role", 0 },
  { "scope", "数据范围", "数据范围|范围|scope", 0 },
  { "phone", "电话", "电话|手机|手机号|联系电话|phone|mobile", 0 },
  { "old_login", "原账户", "原账户|旧账户|原账号|oldlogin", 0 },
};

const IFIELD *imap_fields(int ik, int *n){
  if( ik==IK_UNITS ){ *n = (int)(sizeof UNIT_FIELDS / sizeof UNIT_FIELDS[0]); return UNIT_FIELDS; }
  if( ik==IK_USERS ){ *n = (int)(sizeof USER_FIELDS / sizeof USER_FIELDS[0]); return USER_FIELDS; }
  *n = 0;
  return NULL;
}

/* ------------------------------------------------------------------ */
/* normalising                                                         */

char *imap_norm(ARENA *a, const char *s){
  char *o = arena_alloc(a, strlen(s) + 1), *p = o;
  if( (unsigned char)s[0]==0xEF && (unsigned char)s[1]==0xBB && (unsigned char)s[2]==0xBF ) s += 3;
  while( *s ){
    unsigned char c = (unsigned char)*s;
    if( c==' ' || c=='\t' || c=='*' || c=='_' || c=='-' || c=='\r' || c=='\n' ){ s++; continue; }
    if( c==0xE3 && (unsigned char)s[1]==0x80 && (unsigned char)s[2]==0x80 ){ s += 3; continue; }
    if( c==0xC2 && (unsigned char)s[1]==0xA0 ){ s += 2; continue; }
    if( c==0xEF && (unsigned char)s[1]==0xBC && (unsigned char)s[2]==0x88 ){ *p++ = '('; s += 3; continue; }
    if( c==0xEF && (unsigned char)s[1]==0xBC && (unsigned char)s[2]==0x89 ){ *p++ = ')'; s += 3; continue; }
    /* ★ and ※, the marks of a required column in some templates */
    if( c==0xE2 && (unsigned char)s[1]==0x98 && (unsigned char)s[2]==0x85 ){ s += 3; continue; }
    if( c==0xE2 && (unsigned char)s[1]==0x80 && (unsigned char)s[2]==0xBB ){ s += 3; continue; }
    *p++ = (c>='A' && c<='Z') ? (char)(c + 32) : (char)c;
    s++;
  }
  *p = 0;
  /* a trailing note: 载重(吨), 编码(必填) */
  size_t len = (size_t)(p - o);
  char *open = strrchr(o, '(');
  if( open && open>o && len && o[len-1]==')' ) *open = 0;
  return o;
}

static int alias_hit(ARENA *a, const char *aliases, const char *n){
  if( aliases==NULL || !*n ) return 0;
  char *buf = arena_strdup(a, aliases);
  for(char *save = NULL, *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save))
    if( strcmp(imap_norm(a, t), n)==0 ) return 1;
  return 0;
}

/* ------------------------------------------------------------------ */
/* words                                                               */

static const char *const W_UNIT[]   = { "单位", "部门", "机构", "组织", "科室", "处室", "班组", "unit", "dept", 0 };
static const char *const W_CODE[]   = { "编码", "编号", "代码", "代号", "code", 0 };
static const char *const W_PARENT[] = { "上级", "父级", "父单位", "父部门", "隶属", "上一级", "parent", 0 };
static const char *const W_BELONG[] = { "所属", "所在", "归属", 0 };
static const char *const W_NAME[]   = { "名称", "全称", "名字", "简称", "name", 0 };
static const char *const W_OLD[]    = { "原", "旧", "老", "曾用", "old", 0 };
static const char *const W_PERSON[] = { "姓名", "人员", "员工", "职工", "fullname", 0 };
static const char *const W_LOGIN[]  = { "账户", "账号", "帐号", "帐户", "登录名", "用户名", "工号", "login", "account", "username", 0 };
static const char *const W_ROLE[]   = { "角色", "岗位", "职务", "职位", "role", 0 };
static const char *const W_SCOPE[]  = { "范围", "scope", 0 };
static const char *const W_PHONE[]  = { "电话", "手机", "联系方式", "phone", "mobile", 0 };
static const char *const W_KIND[]   = { "类型", "类别", "性质", "层级", "type", "kind", 0 };
static const char *const W_SORT[]   = { "排序", "顺序", "次序", "sort", "order", 0 };
static const char *const W_STATE[]  = { "状态", "启用", "status", "active", 0 };
/* words of a column about something else (a unit's head, its address) */
static const char *const W_OTHER[]  = { "负责人", "人数", "地址", "备注", "说明", "邮箱", "传真", "日期", "时间", 0 };

static int has(const char *n, const char *const *w){
  for(; *w; w++) if( strstr(n, *w) ) return 1;
  return 0;
}

/* n is only unit and name words (单位, 部门名称, 组织机构, 机构全称) */
static int only_unit_name(const char *n){
  const char *p = n;
  for(int more = 1; more; ){
    more = 0;
    for(const char *const *w = W_UNIT; *w; w++)
      if( strncmp(p, *w, strlen(*w))==0 ){ p += strlen(*w); more = 1; break; }
  }
  if( !*p ) return p!=n;
  for(const char *const *w = W_NAME; *w; w++) if( strcmp(p, *w)==0 ) return 1;
  return 0;
}

/* the key a word rule gives a header, or NULL */
static const char *rule(int ik, const char *n){
  int old = has(n, W_OLD), code = has(n, W_CODE), unit = has(n, W_UNIT);
  int parent = has(n, W_PARENT), belong = has(n, W_BELONG), name = has(n, W_NAME);
  int other = has(n, W_OTHER);
  switch( ik ){
  case IK_UNITS:
    if( old && code ) return "old_code";
    if( parent || (belong && (unit || code || name)) ) return other ? NULL : "parent";
    if( other ) return NULL;
    if( code ) return "code";
    if( has(n, W_KIND) ) return "kind";
    if( has(n, W_SORT) ) return "sort";
    if( has(n, W_STATE) ) return "active";
    if( only_unit_name(n) || (name && !has(n, W_PERSON)) ) return "name";
    return NULL;
  case IK_USERS:
    if( old && has(n, W_LOGIN) ) return "old_login";
    if( other ) return NULL;
    if( has(n, W_SCOPE) ) return "scope";
    if( has(n, W_ROLE) ) return "roles";
    if( has(n, W_PHONE) ) return "phone";
    if( has(n, W_LOGIN) ) return "login";
    if( (unit || belong) && !old ) return "unit";
    if( has(n, W_PERSON) || name ) return "name";
    if( has(n, W_STATE) ) return "active";
    return NULL;
  case IK_BASE:
    if( old && code ) return "old_code";
    if( (unit || belong) && !other ) return "unit";
    if( other ) return NULL;
    if( code ) return "code";
    if( name ) return "name";
    if( has(n, W_STATE) ) return "active";
    return NULL;
  }
  return NULL;
}

int imap_guess(ARENA *a, int ik, const IFIELD *f, int nf, const char *header, int *score){
  const char *n = imap_norm(a, header);
  *score = 0;
  if( !*n ) return -1;
  for(int i=0; i<nf; i++){
    if( alias_hit(a, f[i].aliases, n) || strcmp(imap_norm(a, f[i].label), n)==0 ){ *score = 3; return i; }
  }
  const char *k = rule(ik, n);
  for(int i=0; k && i<nf; i++) if( strcmp(f[i].key, k)==0 ){ *score = 2; return i; }
  /* a base-data field's label written longer or shorter: 车牌号码, 载重 */
  if( ik==IK_BASE ){
    for(int i=0; i<nf; i++){
      if( f[i].key[0]!='a' || f[i].key[1]<'1' || f[i].key[1]>'8' ) continue;
      const char *l = imap_norm(a, f[i].label);
      if( strlen(l)>=6 && strlen(n)>=6 && (strstr(n, l) || strstr(l, n)) ){ *score = 1; return i; }
    }
  }
  return -1;
}

/* ------------------------------------------------------------------ */
/* the header row                                                      */

int imap_header_row(ARENA *a, int ik, const IFIELD *f, int nf, const TABLE *t){
  int seen = 0, first = -1, best = -1, best_n = 0;
  for(int i=0; i<t->nrow && seen<5; i++){
    const TROW *row = &t->rows[i];
    if( csv_row_blank(row) ) continue;
    seen++;
    if( first<0 ) first = i;
    int got[64] = { 0 }, named = 0, missing = 0;
    for(int k=0; k<row->ncol && k<IMAP_MAXCOLS; k++){
      int sc, fi = imap_guess(a, ik, f, nf, row->cols[k], &sc);
      if( fi>=0 && fi<64 && !got[fi] ){ got[fi] = 1; named++; }
    }
    for(int j=0; j<nf && j<64; j++) if( f[j].required && !got[j] ) missing++;
    if( !missing && named ) return i;
    if( named>best_n ){ best = i; best_n = named; }
  }
  return best>=0 ? best : first;
}

const char *imap_header_key(ARENA *a, const TROW *hdr){
  STRING s;
  string_init(&s);
  int last = -1;
  for(int k=0; k<hdr->ncol && k<IMAP_MAXCOLS; k++) if( *imap_norm(a, hdr->cols[k]) ) last = k;
  for(int k=0; k<=last; k++){
    if( k ) string_append_char(&s, '\x1f');
    string_append(&s, imap_norm(a, hdr->cols[k]));
  }
  unsigned char h[32];
  char *hex = arena_alloc(a, 65);
  crypto_hash_sha256(h, (const unsigned char*)(s.buf ? s.buf : ""), (unsigned long long)s.len);
  for(int i=0; i<32; i++) snprintf(hex + 2*i, 3, "%02x", h[i]);
  string_clear(&s);
  return hex;
}

/* ------------------------------------------------------------------ */
/* the columns                                                         */

static char *trimmed(ARENA *a, const char *s){
  const char *e = s + strlen(s);
  while( *s==' ' || *s=='\t' || *s=='\r' || *s=='\n' ) s++;
  while( e>s && (e[-1]==' ' || e[-1]=='\t' || e[-1]=='\r' || e[-1]=='\n') ) e--;
  return arena_strndup(a, s, (size_t)(e - s));
}

static int blank(const char *s){
  TROW r = { 0, 1, (char**)&s };
  return csv_row_blank(&r);
}

/* the k-th entry of a '|' separated string, or NULL past the end */
static const char *entry(ARENA *a, const char *s, int k){
  for(int i=0; i<k; i++){
    s = strchr(s, '|');
    if( s==NULL ) return NULL;
    s++;
  }
  const char *e = strchr(s, '|');
  return e ? arena_strndup(a, s, (size_t)(e - s)) : arena_strdup(a, s);
}

void imap_choose(const IFIELD *f, int nf, ICOL *c, const char *v){
  c->how = IH_SAVED;
  c->field = IM_NONE;
  if( v==NULL || !*v ) return;
  if( strcmp(v, "-")==0 ){ c->field = IM_IGNORE; return; }
  if( strcmp(v, "+")==0 ){ c->field = IM_NEW; return; }
  for(int i=0; i<nf; i++) if( strcmp(f[i].key, v)==0 ){ c->field = i; return; }
}

ICOL *imap_columns(ARENA *a, int ik, const IFIELD *f, int nf, const TABLE *t, int hdr,
                   const char *saved, int *n){
  const TROW *h = &t->rows[hdr];
  int width = h->ncol;
  for(int i=hdr + 1; i<t->nrow; i++) if( t->rows[i].ncol>width ) width = t->rows[i].ncol;
  if( width>IMAP_MAXCOLS ) width = IMAP_MAXCOLS;
  ICOL *c = arena_alloc(a, sizeof(ICOL) * (size_t)(width + 1));
  int *score = arena_alloc(a, sizeof(int) * (size_t)(width + 1));
  *n = 0;
  for(int k=0; k<width; k++){
    const char *title = k<h->ncol ? h->cols[k] : "";
    int data = 0;
    for(int i=hdr + 1; i<t->nrow && !data; i++)
      if( k<t->rows[i].ncol && !blank(t->rows[i].cols[k]) ) data = 1;
    if( blank(title) && !data ) continue;          /* an empty, perhaps formatted, column */
    ICOL *x = &c[(*n)++];
    x->col = k;
    x->header = trimmed(a, title);
    x->field = IM_NONE;
    x->how = IH_AUTO;
    x->dup_of = -1;
    const char *s = saved ? entry(a, saved, k) : NULL;
    if( s && *s ){
      imap_choose(f, nf, x, s);
      /* a new field already added by an earlier import: the field */
      if( x->field==IM_NEW && ik==IK_BASE ){
        for(int i=0; i<nf; i++)
          if( f[i].key[0]=='a' && f[i].key[1]>='1' && f[i].key[1]<='8' && strcmp(imap_norm(a, f[i].label), imap_norm(a, x->header))==0 ) x->field = i;
      }
      score[*n - 1] = 4;
      if( x->field!=IM_NONE ) continue;
      x->how = IH_AUTO;
    }
    x->field = imap_guess(a, ik, f, nf, title, &score[*n - 1]);
  }
  /* one column per field: the best score keeps it, the leftmost on a tie */
  for(int i=0; i<*n; i++){
    if( c[i].field<0 ) continue;
    for(int j=0; j<*n; j++){
      if( j==i || c[j].field!=c[i].field ) continue;
      if( score[j]>score[i] || (score[j]==score[i] && j<i) ){
        c[i].how = IH_DUP;
        c[i].dup_of = c[j].col;
        break;
      }
    }
  }
  for(int i=0; i<*n; i++) if( c[i].how==IH_DUP ) c[i].field = IM_NONE;
  return c;
}

char *imap_string(ARENA *a, const IFIELD *f, const ICOL *c, int n){
  STRING s;
  string_init(&s);
  int last = n ? c[n-1].col : -1;
  for(int k=0, i=0; k<=last; k++){
    if( k ) string_append_char(&s, '|');
    if( i<n && c[i].col==k ){
      int fi = c[i].field;
      string_append(&s, fi>=0 ? f[fi].key : fi==IM_IGNORE ? "-" : fi==IM_NEW ? "+" : "");
      i++;
    }
  }
  char *out = arena_strdup(a, s.buf ? s.buf : "");
  string_clear(&s);
  return out;
}

int imap_sci(const char *v){
  const char *p = v;
  if( *p<'0' || *p>'9' ) return 0;
  while( *p>='0' && *p<='9' ) p++;
  if( *p=='.' ){
    p++;
    if( *p<'0' || *p>'9' ) return 0;
    while( *p>='0' && *p<='9' ) p++;
  }
  if( *p!='E' && *p!='e' ) return 0;
  p++;
  if( *p!='+' ) return 0;
  p++;
  if( *p<'0' || *p>'9' ) return 0;
  while( *p>='0' && *p<='9' ) p++;
  return *p==0;
}
