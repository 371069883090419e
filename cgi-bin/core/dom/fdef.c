/*
** fdef.c -- see fdef.h.  Three parts: the line map (which line of the file
** defines which HDF name, and the syntax HDF allows but a form may not
** use), the definition itself (top-level settings, fields, rules), and the
** expression language (tokens, parser, names resolved against the fields,
** types, cycles, evaluation).
*/
#include "fdef.h"
#include "hmap.h"
#include "str.h"
#include <ClearSilver.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <regex.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* parse state and errors                                              */

typedef struct {
  ARENA *a;
  const char *file;
  FDEF_ERRS *errs;
  HMAP *lines;                     /* "Rows.mileage.Expr" -> line (as intptr) */
  FORM *f;
} P;

static void err_at(P *p, int line, const char *field, const char *key, const char *arg){
  FDEF_ERRS *e = p->errs;
  e->total++;
  if( e->n>=FDEF_MAXERR ) return;
  /* names and values may live in the HDF tree, which goes before the errors do */
  if( p->a ){
    field = field ? arena_strdup(p->a, field) : NULL;
    arg = arg ? arena_strdup(p->a, arg) : NULL;
  }
  e->e[e->n++] = (FDEF_ERR){ p->file, line, field ? field : "", key, arg ? arg : "" };
}

/* the line of an HDF name, or of its nearest ancestor that has one */
static int line_of(P *p, const char *name){
  char buf[256];
  snprintf(buf, sizeof buf, "%s", name);
  for(;;){
    void *v = hmap_get(p->lines, buf);
    if( v ) return (int)(intptr_t)v;
    char *dot = strrchr(buf, '.');
    if( dot==NULL ) return 1;
    *dot = 0;
  }
}

/* ------------------------------------------------------------------ */
/* the line map                                                        */

static int is_hdf_name(const char *s, size_t n){
  if( n==0 ) return 0;
  for(size_t i=0; i<n; i++)
    if( !isalnum((unsigned char)s[i]) && s[i]!='_' && s[i]!='.' && s[i]!='-' ) return 0;
  return 1;
}

/* One pass over the text as HDF reads it: names with "=", "<<", "{" and
** "}".  Records each name's line and refuses what a form does not need:
** #include, links (:=), copies (:), attributes ([...]). */
static void scan_lines(P *p, const char *text){
  char stack[16][256];
  int depth = 0, lineno = 0;
  const char *heredoc = NULL;
  size_t hlen = 0;
  const char *s = text;
  while( *s ){
    const char *e = strchr(s, '\n');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    lineno++;
    char *ln = arena_strndup(p->a, s, n);
    s += n + (e ? 1 : 0);
    size_t l = strlen(ln);
    while( l && (ln[l-1]=='\r' || ln[l-1]==' ' || ln[l-1]=='\t') ) ln[--l] = 0;
    char *t = ln;
    while( *t==' ' || *t=='\t' ) t++;
    if( heredoc ){
      if( strlen(t)==hlen && strncmp(t, heredoc, hlen)==0 ) heredoc = NULL;
      continue;
    }
    if( *t==0 ) continue;
    if( *t=='#' ){
      if( strncmp(t, "#include", 8)==0 ) err_at(p, lineno, "", "include", "");
      continue;
    }
    if( *t=='}' ){
      if( depth>0 ) depth--;
      continue;
    }
    size_t nl = strcspn(t, " \t=:<{[");
    if( !is_hdf_name(t, nl) ){ err_at(p, lineno, "", "syntax", t); continue; }
    char name[256];
    if( nl>120 ) nl = 120;
    snprintf(name, sizeof name, "%.120s%s%.*s", depth ? stack[depth-1] : "", depth ? "." : "", (int)nl, t);
    const char *r = t + nl;
    while( *r==' ' || *r=='\t' ) r++;
    hmap_put(p->lines, arena_strdup(p->a, name), (void*)(intptr_t)lineno);
    if( *r=='{' ){
      if( depth<16 ) snprintf(stack[depth], sizeof stack[0], "%s", name);
      depth++;
    }else if( r[0]=='<' && r[1]=='<' ){
      r += 2;
      while( *r==' ' || *r=='\t' ) r++;
      heredoc = arena_strdup(p->a, r);
      hlen = strlen(heredoc);
    }else if( r[0]==':' ){
      err_at(p, lineno, "", "link", name);
    }else if( r[0]=='[' ){
      err_at(p, lineno, "", "attr_syntax", name);
    }else if( r[0]!='=' ){
      err_at(p, lineno, "", "syntax", t);
    }
  }
}

/* ------------------------------------------------------------------ */
/* small readers                                                       */

static int code_ok(const char *s, size_t max){
  size_t n = strlen(s);
  if( n==0 || n>max || !(s[0]>='a' && s[0]<='z') ) return 0;
  for(size_t i=0; i<n; i++)
    if( !((s[i]>='a' && s[i]<='z') || (s[i]>='0' && s[i]<='9') || s[i]=='_') ) return 0;
  return 1;
}

/* a list "a, b，c、d" -> trimmed non-empty items */
static const char **split_list(ARENA *a, const char *s, int *n){
  const char **out = arena_alloc(a, sizeof(char*) * (strlen(s) / 1 + 2));
  *n = 0;
  char *buf = arena_strdup(a, s), *start = buf;
  for(char *q = buf; ; ){
    int sep = 0;
    if( *q==',' ) sep = 1;
    else if( strncmp(q, "，", 3)==0 || strncmp(q, "、", 3)==0 ) sep = 3;
    if( sep || *q==0 ){
      char end = *q;
      *q = 0;
      char *item = str_trim(a, start);
      if( *item ) out[(*n)++] = item;
      if( end==0 ) break;
      q += sep;
      start = q;
      continue;
    }
    q++;
  }
  return out;
}

long fdef_minutes(const char *s, int *ok){
  *ok = 0;
  if( s==NULL ) return 0;
  while( *s==' ' ) s++;
  int neg = 0;
  if( *s=='+' || *s=='-' ){ neg = *s=='-'; s++; }
  if( !isdigit((unsigned char)*s) ) return -1;
  long v = 0;
  while( isdigit((unsigned char)*s) ){
    v = v*10 + (*s - '0');
    if( v>1000000 ) return -1;
    s++;
  }
  long mult = 1;
  if( *s=='m' ){ s++; }
  else if( *s=='h' ){ mult = 60; s++; }
  else if( *s=='d' ){ mult = 1440; s++; }
  while( *s==' ' ) s++;
  if( *s ) return -1;
  *ok = 1;
  return (neg ? -v : v) * mult;
}

static int int_attr(const char *v, int lo, int hi, int *out){
  if( v==NULL ) return 1;
  char *end;
  long n = strtol(v, &end, 10);
  while( *end==' ' ) end++;
  if( *v==0 || *end || n<lo || n>hi ) return 0;
  *out = (int)n;
  return 1;
}

static const char *const TYPES[] = { NULL, "text", "integer", "decimal", "date", "time", "select",
                                     "lookup", "computed", "textarea" };

const char *fdef_type_name(FTYPE t){
  return t>=FT_TEXT && t<=FT_TEXTAREA ? TYPES[t] : "?";
}

FTYPE fdef_type(const char *name){
  for(int i=FT_TEXT; i<=FT_TEXTAREA; i++) if( name && strcmp(name, TYPES[i])==0 ) return (FTYPE)i;
  return 0;
}

const char *fdef_period_name(DAY_PKIND k){
  switch( k ){
    case DAY_P_SHIFT: return "shift";
    case DAY_P_WEEK: return "week";
    case DAY_P_MONTH: return "month";
    default: return "day";
  }
}

const FFIELD *fdef_field(const FORM *f, const char *code){
  for(int i=0; i<f->nhf; i++) if( strcmp(f->hf[i].code, code)==0 ) return &f->hf[i];
  for(int i=0; i<f->nrf; i++) if( strcmp(f->rf[i].code, code)==0 ) return &f->rf[i];
  return NULL;
}

/* ------------------------------------------------------------------ */
/* expressions: tokens and parser                                      */

enum { X_NUM = 1, X_FIELD, X_ADD, X_SUB, X_MUL, X_DIV, X_NEG, X_LT, X_LE, X_GT, X_GE, X_EQ, X_NE,
       X_SUM, X_PREV };
enum { XT_NUM = 1, XT_TIME, XT_DATE, XT_BAD };

struct fexpr {
  int op;
  DEC num;
  const char *name, *name2;        /* X_FIELD, X_SUM, X_PREV (name2: the key) */
  const FFIELD *field, *key;
  FEXPR *a, *b;
};

typedef struct {
  P *p;
  const char *s, *at;
  const char *err;                 /* the first syntax problem */
  ARENA *a;
  int line;
  const char *where;
} XP;

static void xskip(XP *x){ while( *x->at==' ' || *x->at=='\t' ) x->at++; }

static FEXPR *xnode(XP *x, int op, FEXPR *a, FEXPR *b){
  FEXPR *e = arena_alloc(x->a, sizeof *e);
  e->op = op; e->a = a; e->b = b;
  return e;
}

static void xfail(XP *x, const char *why){ if( !x->err ) x->err = why; }

static FEXPR *x_sum(XP *x);

static const char *x_ident(XP *x){
  const char *st = x->at;
  while( (*x->at>='a' && *x->at<='z') || (*x->at>='0' && *x->at<='9') || *x->at=='_' ) x->at++;
  return arena_strndup(x->a, st, (size_t)(x->at - st));
}

static FEXPR *x_primary(XP *x){
  xskip(x);
  char c = *x->at;
  if( c=='(' ){
    x->at++;
    FEXPR *e = x_sum(x);
    xskip(x);
    if( *x->at!=')' ){ xfail(x, arena_printf(x->a, "“%s”处缺少右括号", x->at)); return e; }
    x->at++;
    return e;
  }
  if( (c>='0' && c<='9') || c=='.' ){
    const char *st = x->at;
    while( (*x->at>='0' && *x->at<='9') || *x->at=='.' ) x->at++;
    char *t = arena_strndup(x->a, st, (size_t)(x->at - st));
    FEXPR *e = xnode(x, X_NUM, NULL, NULL);
    const char *dot = strchr(t, '.');
    int scale = dot ? (int)strlen(dot + 1) : 0;
    if( scale>10 || dec_parse(t, DEC_MAXP, scale, &e->num)!=DEC_OK ) xfail(x, arena_printf(x->a, "数字“%s”不正确", t));
    return e;
  }
  if( c>='a' && c<='z' ){
    const char *name = x_ident(x);
    xskip(x);
    if( *x->at!='(' ){
      FEXPR *e = xnode(x, X_FIELD, NULL, NULL);
      e->name = name;
      return e;
    }
    x->at++;
    xskip(x);
    const char *arg1 = (*x->at>='a' && *x->at<='z') ? x_ident(x) : NULL;
    const char *arg2 = NULL;
    xskip(x);
    if( *x->at==',' ){
      x->at++;
      xskip(x);
      arg2 = (*x->at>='a' && *x->at<='z') ? x_ident(x) : NULL;
      xskip(x);
    }
    if( *x->at!=')' || arg1==NULL ){ xfail(x, arena_printf(x->a, "函数 %s 的参数应为字段名", name)); return xnode(x, X_NUM, NULL, NULL); }
    x->at++;
    FEXPR *e;
    if( strcmp(name, "sum")==0 && arg2==NULL ) e = xnode(x, X_SUM, NULL, NULL);
    else if( strcmp(name, "prev")==0 && arg2 ) e = xnode(x, X_PREV, NULL, NULL);
    else{
      err_at(x->p, x->line, x->where, "expr_func", name);
      e = xnode(x, X_NUM, NULL, NULL);
      xfail(x, "");
      return e;
    }
    e->name = arg1;
    e->name2 = arg2;
    return e;
  }
  if( c==0 ) xfail(x, "计算式不完整");
  else xfail(x, arena_printf(x->a, "无法识别“%s”", x->at));
  return xnode(x, X_NUM, NULL, NULL);
}

static FEXPR *x_unary(XP *x){
  xskip(x);
  if( *x->at=='-' ){ x->at++; return xnode(x, X_NEG, x_unary(x), NULL); }
  if( *x->at=='+' ){ x->at++; return x_unary(x); }
  return x_primary(x);
}

static FEXPR *x_term(XP *x){
  FEXPR *e = x_unary(x);
  for(;;){
    xskip(x);
    if( *x->at=='*' ){ x->at++; e = xnode(x, X_MUL, e, x_unary(x)); }
    else if( *x->at=='/' ){ x->at++; e = xnode(x, X_DIV, e, x_unary(x)); }
    else return e;
  }
}

static FEXPR *x_sum(XP *x){
  FEXPR *e = x_term(x);
  for(;;){
    xskip(x);
    if( *x->at=='+' ){ x->at++; e = xnode(x, X_ADD, e, x_term(x)); }
    else if( *x->at=='-' ){ x->at++; e = xnode(x, X_SUB, e, x_term(x)); }
    else return e;
  }
}

static FEXPR *x_cmp(XP *x){
  FEXPR *e = x_sum(x);
  xskip(x);
  static const struct { const char *t; int op; } C[] = {
    { "<=", X_LE }, { ">=", X_GE }, { "!=", X_NE }, { "<>", X_NE }, { "==", X_EQ },
    { "<", X_LT }, { ">", X_GT }, { "=", X_EQ } };
  for(size_t i=0; i<sizeof C/sizeof C[0]; i++){
    size_t n = strlen(C[i].t);
    if( strncmp(x->at, C[i].t, n)==0 ){
      x->at += n;
      return xnode(x, C[i].op, e, x_sum(x));
    }
  }
  return e;
}

/* parse text; NULL and *why on a syntax error */
static FEXPR *x_parse(P *p, const char *text, int comparison, int line, const char *where,
                      const char **why){
  XP x = { p, text, text, NULL, p->a, line, where };
  FEXPR *e = comparison ? x_cmp(&x) : x_sum(&x);
  xskip(&x);
  if( !x.err && *x.at ) xfail(&x, arena_printf(p->a, "无法识别“%s”", x.at));
  *why = x.err;
  return x.err ? NULL : e;
}

static int is_cmp(int op){ return op>=X_LT && op<=X_NE; }

static int ftype_x(const FFIELD *f){
  switch( f->type ){
    case FT_INT: case FT_DEC: case FT_COMPUTED: return XT_NUM;
    case FT_TIME: return XT_TIME;
    case FT_DATE: return XT_DATE;
    default: return XT_BAD;
  }
}

typedef struct {
  P *p;
  const FFIELD *self;              /* the computed field (NULL in a rule) */
  int part;                        /* the part the expression belongs to */
  int line;
  const char *where;               /* field or rule code, for messages */
  int prev_ok;                     /* prev() allowed here */
  int uses_row, uses_prev;
} RES;

/* resolve names, check types; the value type (XT_*) */
static int x_resolve(RES *r, FEXPR *e){
  P *p = r->p;
  switch( e->op ){
    case X_NUM: return XT_NUM;
    case X_FIELD: {
      const FFIELD *f = fdef_field(p->f, e->name);
      if( f==NULL ){ err_at(p, r->line, r->where, "expr_unknown", e->name); return XT_BAD; }
      e->field = f;
      if( f->part==FP_ROW ){
        r->uses_row = 1;
        if( r->part==FP_HEADER && r->self ){ err_at(p, r->line, r->where, "expr_header_row", e->name); return XT_BAD; }
      }
      int t = ftype_x(f);
      if( t==XT_BAD ) err_at(p, r->line, r->where, "expr_type", e->name);
      return t;
    }
    case X_SUM: {
      const FFIELD *f = fdef_field(p->f, e->name);
      if( f==NULL ){ err_at(p, r->line, r->where, "expr_unknown", e->name); return XT_BAD; }
      e->field = f;
      if( f->part!=FP_ROW || r->part!=FP_HEADER ){ err_at(p, r->line, r->where, "expr_sum", e->name); return XT_BAD; }
      if( ftype_x(f)!=XT_NUM ){ err_at(p, r->line, r->where, "expr_type", e->name); return XT_BAD; }
      return XT_NUM;
    }
    case X_PREV: {
      const FFIELD *f = fdef_field(p->f, e->name), *k = fdef_field(p->f, e->name2);
      if( f==NULL ){ err_at(p, r->line, r->where, "expr_unknown", e->name); return XT_BAD; }
      if( k==NULL ){ err_at(p, r->line, r->where, "expr_unknown", e->name2); return XT_BAD; }
      e->field = f;
      e->key = k;
      if( !r->prev_ok || f->part!=FP_ROW || k->part!=FP_ROW || f->type==FT_COMPUTED ){
        err_at(p, r->line, r->where, "expr_prev", e->name);
        return XT_BAD;
      }
      if( ftype_x(f)!=XT_NUM ){ err_at(p, r->line, r->where, "expr_type", e->name); return XT_BAD; }
      if( k->type!=FT_LOOKUP && k->type!=FT_SELECT && k->type!=FT_TEXT ){
        err_at(p, r->line, r->where, "expr_prev_key", e->name2);
        return XT_BAD;
      }
      r->uses_prev = 1;
      return XT_NUM;
    }
    case X_NEG: {
      int t = x_resolve(r, e->a);
      if( t!=XT_NUM && t!=XT_BAD ){ err_at(p, r->line, r->where, "expr_mix", ""); return XT_BAD; }
      return t;
    }
    default: {
      int ta = x_resolve(r, e->a), tb = x_resolve(r, e->b);
      if( ta==XT_BAD || tb==XT_BAD ) return XT_BAD;
      if( is_cmp(e->op) ){
        if( ta!=tb ){ err_at(p, r->line, r->where, "expr_mix", ""); return XT_BAD; }
        return ta;
      }
      if( e->op==X_SUB && ta==tb ) return XT_NUM;        /* time - time, date - date: minutes, days */
      if( ta!=XT_NUM || tb!=XT_NUM ){ err_at(p, r->line, r->where, "expr_mix", ""); return XT_BAD; }
      return XT_NUM;
    }
  }
}

int fdef_refs(const FEXPR *e, const FFIELD **out, int max){
  int n = 0;
  if( e==NULL ) return 0;
  if( (e->op==X_FIELD || e->op==X_SUM || e->op==X_PREV) && e->field && n<max ) out[n++] = e->field;
  if( e->op==X_PREV && e->key && n<max ) out[n++] = e->key;
  if( e->a ) n += fdef_refs(e->a, out + n, max - n);
  if( e->b ) n += fdef_refs(e->b, out + n, max - n);
  return n;
}

/* ------------------------------------------------------------------ */
/* fields                                                              */

static const char *const RESERVED[] = { "id", "entry_id", "line", "org_unit_id", "period_start", NULL };

static int known_attr(const char *a, const char *const *list){
  for(int i=0; list[i]; i++) if( strcmp(a, list[i])==0 ) return 1;
  return 0;
}

static int min_max(P *p, FFIELD *f, const char *name, const char *v, DEC *out, int line){
  if( v==NULL ) return 0;
  int prec = f->type==FT_INT ? DEC_MAXP : f->prec, scale = f->type==FT_INT ? 0 : f->scale;
  if( dec_parse(v, prec, scale, out)!=DEC_OK ){
    err_at(p, line, f->code, "minmax_bad", name);
    return 0;
  }
  return 1;
}

static void parse_field(P *p, HDF *node, const char *partname, int part, FFIELD *f, int idx){
  static const char *const ATTRS[] = { "Type", "Label", "LabelEn", "Required", "Min", "Max", "MaxLen",
    "Pattern", "PatternMessage", "Precision", "Scale", "Unit", "Options", "Lookup", "Own", "Expr",
    "Hint", NULL };
  const char *code = hdf_obj_name(node);
  char path[160];
  snprintf(path, sizeof path, "%s.%s", partname, code);
  int line = line_of(p, path);
  memset(f, 0, sizeof *f);
  f->code = arena_strdup(p->a, code);
  f->part = part;
  f->idx = idx;
  f->line = line;
  if( !code_ok(code, FDEF_FIELD_MAX) ){ err_at(p, line, code, "field_code_bad", code); return; }
  for(int i=0; RESERVED[i]; i++)
    if( strcmp(code, RESERVED[i])==0 ){ err_at(p, line, code, "field_reserved", code); return; }
  for(HDF *c = hdf_obj_child(node); c; c = hdf_obj_next(c)){
    if( !known_attr(hdf_obj_name(c), ATTRS) ){
      char ap[224];
      snprintf(ap, sizeof ap, "%s.%s", path, hdf_obj_name(c));
      err_at(p, line_of(p, ap), code, "attr_unknown", hdf_obj_name(c));
    }
  }
  #define ATTR(n) hdf_get_value(node, n, NULL)
  #define ALINE(n) line_of(p, arena_printf(p->a, "%s.%s", path, n))
  const char *type = ATTR("Type");
  if( type==NULL ){ err_at(p, line, code, "type_missing", ""); return; }
  f->type = fdef_type(type);
  if( !f->type ){ err_at(p, ALINE("Type"), code, "type_unknown", type); return; }
  const char *label = ATTR("Label");
  if( label==NULL || !*str_trim(p->a, label) ) err_at(p, line, code, "label_missing", "");
  f->label = label ? str_trim(p->a, label) : code;
  f->label_en = ATTR("LabelEn") ? arena_strdup(p->a, ATTR("LabelEn")) : NULL;
  f->unit = ATTR("Unit") ? arena_strdup(p->a, ATTR("Unit")) : NULL;
  f->hint = ATTR("Hint") ? arena_strdup(p->a, ATTR("Hint")) : NULL;
  if( !int_attr(ATTR("Required"), 0, 1, &f->required) ) err_at(p, ALINE("Required"), code, "attr_bad", "Required");
  if( f->type==FT_COMPUTED && f->required ) err_at(p, ALINE("Required"), code, "attr_bad", "Required");

  /* which attributes a type takes */
  struct { const char *a; unsigned types; } only[] = {
    { "MaxLen", 1u<<FT_TEXT | 1u<<FT_TEXTAREA },
    { "Pattern", 1u<<FT_TEXT }, { "PatternMessage", 1u<<FT_TEXT },
    { "Precision", 1u<<FT_DEC | 1u<<FT_COMPUTED }, { "Scale", 1u<<FT_DEC | 1u<<FT_COMPUTED },
    { "Min", 1u<<FT_INT | 1u<<FT_DEC | 1u<<FT_COMPUTED }, { "Max", 1u<<FT_INT | 1u<<FT_DEC | 1u<<FT_COMPUTED },
    { "Unit", 1u<<FT_INT | 1u<<FT_DEC | 1u<<FT_COMPUTED },
    { "Options", 1u<<FT_SELECT }, { "Lookup", 1u<<FT_LOOKUP }, { "Own", 1u<<FT_LOOKUP },
    { "Expr", 1u<<FT_COMPUTED } };
  for(size_t i=0; i<sizeof only/sizeof only[0]; i++)
    if( ATTR(only[i].a) && !(only[i].types & (1u<<f->type)) )
      err_at(p, ALINE(only[i].a), code, "attr_type", only[i].a);

  switch( f->type ){
    case FT_TEXT: case FT_TEXTAREA: {
      int max = f->type==FT_TEXT ? 200 : 2000;
      f->maxlen = f->type==FT_TEXT ? 100 : 1000;
      if( !int_attr(ATTR("MaxLen"), 1, max, &f->maxlen) ) err_at(p, ALINE("MaxLen"), code, "maxlen_bad", f->type==FT_TEXT ? "200" : "2000");
      if( ATTR("Pattern") ){
        regex_t re;
        int rc = regcomp(&re, ATTR("Pattern"), REG_EXTENDED | REG_NOSUB);
        if( rc ){
          char msg[120];
          regerror(rc, &re, msg, sizeof msg);
          err_at(p, ALINE("Pattern"), code, "pattern_bad", arena_strdup(p->a, msg));
        }else{
          regfree(&re);
          f->pattern = arena_strdup(p->a, ATTR("Pattern"));
        }
        f->pattern_msg = ATTR("PatternMessage") ? arena_strdup(p->a, ATTR("PatternMessage")) : NULL;
      }
      break;
    }
    case FT_DEC: case FT_COMPUTED:
      f->prec = 12; f->scale = 2;
      if( !int_attr(ATTR("Precision"), 1, DEC_MAXP, &f->prec) || !int_attr(ATTR("Scale"), 0, 10, &f->scale)
          || f->scale>f->prec )
        err_at(p, ALINE(ATTR("Precision") ? "Precision" : "Scale"), code, "prec_bad", "");
      /* fall through */
    case FT_INT:
      f->has_min = min_max(p, f, "Min", ATTR("Min"), &f->min, ALINE("Min"));
      f->has_max = min_max(p, f, "Max", ATTR("Max"), &f->max, ALINE("Max"));
      if( f->has_min && f->has_max && dec_cmp(f->min, f->max)>0 ) err_at(p, ALINE("Max"), code, "minmax_order", "");
      break;
    case FT_SELECT: {
      const char *o = ATTR("Options");
      if( o==NULL ){ err_at(p, line, code, "options_missing", ""); break; }
      f->options = split_list(p->a, o, &f->nopt);
      if( f->nopt==0 ) err_at(p, ALINE("Options"), code, "options_missing", "");
      if( f->nopt>FDEF_MAXOPTS ) err_at(p, ALINE("Options"), code, "options_many", "60");
      for(int i=0; i<f->nopt; i++){
        if( utf8_len(f->options[i])>50 ) err_at(p, ALINE("Options"), code, "option_long", f->options[i]);
        for(int j=0; j<i; j++)
          if( strcmp(f->options[i], f->options[j])==0 ) err_at(p, ALINE("Options"), code, "options_dup", f->options[i]);
      }
      break;
    }
    case FT_LOOKUP: {
      const char *l = ATTR("Lookup");
      if( l==NULL ){ err_at(p, line, code, "lookup_bad", ""); break; }
      if( strcmp(l, "org")==0 ) f->lk = LK_ORG;
      else if( strcmp(l, "user")==0 ) f->lk = LK_USER;
      else if( strncmp(l, "base:", 5)==0 && code_ok(l + 5, 32) ){ f->lk = LK_BASE; f->lk_kind = arena_strdup(p->a, l + 5); }
      else err_at(p, ALINE("Lookup"), code, "lookup_bad", l);
      if( !int_attr(ATTR("Own"), 0, 1, &f->own) ) err_at(p, ALINE("Own"), code, "attr_bad", "Own");
      break;
    }
    default: break;
  }
  if( f->type==FT_COMPUTED && ATTR("Expr")==NULL ) err_at(p, line, code, "expr_missing", "");
  #undef ATTR
  #undef ALINE
}

static void parse_part(P *p, HDF *top, const char *partname, int part, FFIELD **out, int *n,
                       const char *const *settings){
  HDF *node = hdf_get_obj(top, partname);
  int cnt = 0;
  *out = NULL; *n = 0;
  if( node==NULL ) return;
  for(HDF *c = hdf_obj_child(node); c; c = hdf_obj_next(c)){
    const char *nm = hdf_obj_name(c);
    if( nm[0]>='A' && nm[0]<='Z' ){
      if( !known_attr(nm, settings) )
        err_at(p, line_of(p, arena_printf(p->a, "%s.%s", partname, nm)), "", "unknown_key", arena_printf(p->a, "%s.%s", partname, nm));
      continue;
    }
    cnt++;
  }
  if( cnt>FDEF_MAXFIELDS ){ err_at(p, line_of(p, partname), "", "fields_many", "60"); cnt = FDEF_MAXFIELDS; }
  *out = arena_alloc(p->a, sizeof(FFIELD) * (size_t)(cnt ? cnt : 1));
  for(HDF *c = hdf_obj_child(node); c && *n<cnt; c = hdf_obj_next(c)){
    const char *nm = hdf_obj_name(c);
    if( nm[0]>='A' && nm[0]<='Z' ) continue;
    parse_field(p, c, partname, part, &(*out)[*n], *n);
    (*n)++;
  }
}

/* ------------------------------------------------------------------ */
/* computed fields: expressions, cycles, order                         */

static int visit(P *p, const FFIELD *f, int *state, const FFIELD **order, int *norder,
                 const FFIELD **stack, int depth){
  int k = f->part * FDEF_MAXFIELDS + f->idx;
  if( state[k]==2 ) return 1;
  stack[depth] = f;
  if( state[k]==1 ){
    STRING s;
    string_init(&s);
    int from = 0;
    for(int i=0; i<depth; i++) if( stack[i]==f ) from = i;
    for(int i=from; i<=depth; i++) string_appendf(&s, "%s%s", i>from ? " → " : "", stack[i]->code);
    err_at(p, f->line, f->code, "cycle", arena_strdup(p->a, s.buf ? s.buf : f->code));
    string_clear(&s);
    return 0;
  }
  state[k] = 1;
  const FFIELD *refs[64];
  int n = f->expr ? fdef_refs(f->expr, refs, 64) : 0;
  int ok = 1;
  for(int i=0; i<n && ok; i++)
    if( refs[i]->type==FT_COMPUTED && depth<2*FDEF_MAXFIELDS - 1 )
      ok = visit(p, refs[i], state, order, norder, stack, depth + 1);
  state[k] = 2;
  if( ok ) order[(*norder)++] = f;
  return ok;
}

/* ------------------------------------------------------------------ */
/* the approval chain (read here, used by flow.c)                      */

/* Approval {
**   Overdue = 24h                    default of every step (else Flow.OverdueHours)
**   Steps {
**     head { Role = head  Scope = up  Label = 部门审核 }
**     centre { Role = dispatcher  At = 100010  Overdue = 4h }
**   }
**   Cc = leader                      roles informed of the approved sheet
** }
** Roles and units are only checked for their form here; that they exist is
** checked when the definition is applied (flow_chain_check). */
static void parse_chain(P *p, HDF *h, FORM *f){
  static const char *const TOP[] = { "Overdue", "Steps", "Cc", NULL };
  static const char *const STEP[] = { "Role", "Scope", "At", "Label", "LabelEn", "Overdue", NULL };
  ARENA *a = p->a;
  HDF *ap = hdf_get_obj(h, "Approval");
  f->steps = NULL;
  f->nsteps = 0;
  f->cc = NULL;
  f->ncc = 0;
  if( ap==NULL ) return;
  f->chain_line = line_of(p, "Approval");
  for(HDF *c = hdf_obj_child(ap); c; c = hdf_obj_next(c))
    if( !known_attr(hdf_obj_name(c), TOP) )
      err_at(p, line_of(p, arena_printf(a, "Approval.%s", hdf_obj_name(c))), "", "unknown_key",
             arena_printf(a, "Approval.%s", hdf_obj_name(c)));
  long def = 0;
  const char *ov = hdf_get_value(ap, "Overdue", NULL);
  if( ov ){
    int ok;
    def = fdef_minutes(ov, &ok);
    if( !ok || def<=0 ){ err_at(p, line_of(p, "Approval.Overdue"), "", "chain_overdue", ov); def = 0; }
  }
  HDF *steps = hdf_get_obj(ap, "Steps");
  int n = 0;
  for(HDF *c = steps ? hdf_obj_child(steps) : NULL; c; c = hdf_obj_next(c)) n++;
  if( n>FDEF_MAXSTEPS ){
    err_at(p, line_of(p, "Approval.Steps"), "", "chain_many", arena_printf(a, "%d", FDEF_MAXSTEPS));
    n = FDEF_MAXSTEPS;
  }
  f->steps = arena_alloc(a, sizeof(FSTEP) * (size_t)(n ? n : 1));
  for(HDF *c = steps ? hdf_obj_child(steps) : NULL; c && f->nsteps<n; c = hdf_obj_next(c)){
    FSTEP *st = &f->steps[f->nsteps++];
    const char *code = hdf_obj_name(c);
    const char *base = arena_printf(a, "Approval.Steps.%s", code);
    memset(st, 0, sizeof *st);
    st->code = arena_strdup(a, code);
    st->line = line_of(p, base);
    if( !code_ok(code, FDEF_FIELD_MAX) ) err_at(p, st->line, code, "chain_code_bad", code);
    for(HDF *k = hdf_obj_child(c); k; k = hdf_obj_next(k))
      if( !known_attr(hdf_obj_name(k), STEP) )
        err_at(p, line_of(p, arena_printf(a, "%s.%s", base, hdf_obj_name(k))), code, "attr_unknown", hdf_obj_name(k));
    const char *role = hdf_get_value(c, "Role", NULL), *scope = hdf_get_value(c, "Scope", NULL);
    const char *at = hdf_get_value(c, "At", NULL);
    if( role==NULL || !code_ok(str_trim(a, role), 32) ) err_at(p, st->line, code, "chain_role_bad", role ? role : "");
    st->role = role ? str_trim(a, role) : "";
    if( at && scope ) err_at(p, line_of(p, arena_printf(a, "%s.At", base)), code, "chain_scope_both", "");
    if( at ){
      st->scope = FS_AT;
      st->at = str_trim(a, at);
      if( !str_code_ok(st->at, 32) ) err_at(p, line_of(p, arena_printf(a, "%s.At", base)), code, "unit_code_bad", at);
    }else if( scope==NULL || strcmp(scope, "up")==0 ) st->scope = FS_UP;
    else if( strcmp(scope, "unit")==0 ) st->scope = FS_UNIT;
    else err_at(p, line_of(p, arena_printf(a, "%s.Scope", base)), code, "chain_scope_bad", scope);
    const char *l = hdf_get_value(c, "Label", NULL), *le = hdf_get_value(c, "LabelEn", NULL);
    st->label = l && *str_trim(a, l) ? str_trim(a, l) : NULL;
    st->label_en = le && *str_trim(a, le) ? str_trim(a, le) : NULL;
    if( st->label && utf8_len(st->label)>50 ) err_at(p, line_of(p, arena_printf(a, "%s.Label", base)), code, "chain_label_long", "");
    st->overdue = def;
    const char *so = hdf_get_value(c, "Overdue", NULL);
    if( so ){
      int ok;
      st->overdue = fdef_minutes(so, &ok);
      if( !ok || st->overdue<=0 ){ err_at(p, line_of(p, arena_printf(a, "%s.Overdue", base)), code, "chain_overdue", so); st->overdue = def; }
    }
    for(int i=0; i<f->nsteps - 1; i++)
      if( strcmp(f->steps[i].code, st->code)==0 ) err_at(p, st->line, code, "chain_dup", code);
  }
  if( steps && n==0 ) err_at(p, line_of(p, "Approval.Steps"), "", "chain_empty", "");
  const char **cc = split_list(a, hdf_get_value(ap, "Cc", ""), &f->ncc);
  if( f->ncc>FDEF_MAXCC ){ err_at(p, line_of(p, "Approval.Cc"), "", "chain_cc_many", arena_printf(a, "%d", FDEF_MAXCC)); f->ncc = FDEF_MAXCC; }
  for(int i=0; i<f->ncc; i++){
    if( !code_ok(cc[i], 32) ) err_at(p, line_of(p, "Approval.Cc"), "", "chain_role_bad", cc[i]);
    for(int j=0; j<i; j++) if( strcmp(cc[i], cc[j])==0 ) err_at(p, line_of(p, "Approval.Cc"), "", "chain_cc_dup", cc[i]);
  }
  f->cc = cc;
}

/* ------------------------------------------------------------------ */
/* the definition                                                      */

static void set_error_hash(FORM *f, ARENA *a, const char *text){
  unsigned char h[32];
  char hex[65];
  crypto_hash_sha256(h, (const unsigned char*)text, strlen(text));
  hex_encode(hex, h, 32);
  f->hash = arena_strdup(a, hex);
}

int fdef_parse(ARENA *a, const char *file, const char *text, FORM **out, FDEF_ERRS *errs){
  static const char *const TOP[] = { "Code", "Name", "NameEn", "Version", "Active", "Period", "Units",
    "UnitKinds", "Window", "Header", "Rows", "Rules", "Description", "Approval", NULL };
  static const char *const WINDOW[] = { "Opens", "Cutoff", "Closes", NULL };
  static const char *const HEADER_SET[] = { "Title", "TitleEn", NULL };
  static const char *const ROWS_SET[] = { "Title", "TitleEn", "MinRows", "MaxRows", NULL };
  static const char *const RULE_ATTR[] = { "Check", "Message", "MessageEn", "Field", NULL };
  FORM *f = arena_alloc(a, sizeof *f);
  P p = { a, file, errs, hmap_new(a, 128), f };
  HDF *h = NULL;
  NEOERR *err;
  memset(errs, 0, sizeof *errs);
  *out = f;
  f->file = file;
  f->source = arena_strdup(a, text);
  set_error_hash(f, a, text);

  if( !utf8_valid(text, strlen(text)) ){ err_at(&p, 1, "", "not_utf8", ""); return 1; }
  scan_lines(&p, text);
  if( errs->total ) return 1;
  if( (err = hdf_init(&h)) ){ nerr_ignore(&err); err_at(&p, 1, "", "syntax", ""); return 1; }
  if( (err = hdf_read_string(h, text)) ){
    STRING s;
    string_init(&s);
    nerr_error_string(err, &s);
    nerr_ignore(&err);
    int line = 1;
    const char *ln = s.buf ? strstr(s.buf, "line ") : NULL;
    if( ln ) line = atoi(ln + 5);
    err_at(&p, line, "", "syntax", s.buf ? arena_strdup(a, s.buf) : "");
    string_clear(&s);
    hdf_destroy(&h);
    return 1;
  }
  for(HDF *c = hdf_obj_child(h); c; c = hdf_obj_next(c))
    if( !known_attr(hdf_obj_name(c), TOP) ) err_at(&p, line_of(&p, hdf_obj_name(c)), "", "unknown_key", hdf_obj_name(c));

  /* the form as a whole */
  const char *v = hdf_get_value(h, "Code", NULL);
  if( v==NULL || !code_ok(v, FDEF_CODE_MAX) ) err_at(&p, line_of(&p, "Code"), "", "code_bad", v ? v : "");
  f->code = arena_strdup(a, v ? v : "");
  v = hdf_get_value(h, "Name", NULL);
  if( v==NULL || !*str_trim(a, v) ) err_at(&p, line_of(&p, "Name"), "", "name_missing", "");
  f->name = v ? str_trim(a, v) : f->code;
  f->name_en = hdf_get_value(h, "NameEn", NULL) ? arena_strdup(a, hdf_get_value(h, "NameEn", "")) : NULL;
  f->version = 0;
  if( !int_attr(hdf_get_value(h, "Version", ""), 1, 1000000, &f->version) )
    err_at(&p, line_of(&p, "Version"), "", "version_bad", "");
  f->active = 1;
  if( !int_attr(hdf_get_value(h, "Active", NULL), 0, 1, &f->active) ) err_at(&p, line_of(&p, "Active"), "", "attr_bad", "Active");
  v = hdf_get_value(h, "Period", "day");
  if( !strcmp(v, "day") ) f->period = DAY_P_DAY;
  else if( !strcmp(v, "shift") ) f->period = DAY_P_SHIFT;
  else if( !strcmp(v, "week") ) f->period = DAY_P_WEEK;
  else if( !strcmp(v, "month") ) f->period = DAY_P_MONTH;
  else err_at(&p, line_of(&p, "Period"), "", "period_bad", v);
  f->units = split_list(a, hdf_get_value(h, "Units", ""), &f->nunits);
  f->unit_kinds = split_list(a, hdf_get_value(h, "UnitKinds", ""), &f->nkinds);
  for(int i=0; i<f->nunits; i++)
    if( !str_code_ok(f->units[i], 32) ) err_at(&p, line_of(&p, "Units"), "", "unit_code_bad", f->units[i]);
  for(int i=0; i<f->nkinds; i++)
    if( strcmp(f->unit_kinds[i], "company") && strcmp(f->unit_kinds[i], "dept") && strcmp(f->unit_kinds[i], "team") )
      err_at(&p, line_of(&p, "UnitKinds"), "", "unit_kind_bad", f->unit_kinds[i]);
  if( f->nunits + f->nkinds==0 ) err_at(&p, line_of(&p, "Units"), "", "units_missing", "");

  HDF *w = hdf_get_obj(h, "Window");
  for(HDF *c = w ? hdf_obj_child(w) : NULL; c; c = hdf_obj_next(c))
    if( !known_attr(hdf_obj_name(c), WINDOW) )
      err_at(&p, line_of(&p, arena_printf(a, "Window.%s", hdf_obj_name(c))), "", "unknown_key", hdf_obj_name(c));
  struct { const char *n; long *to; long def; } win[] = { { "Opens", &f->opens, 0 }, { "Cutoff", &f->cutoff, 0 },
                                                          { "Closes", &f->closes, 0 } };
  for(size_t i=0; i<3; i++){
    const char *t = hdf_get_valuef(h, "Window.%s", win[i].n);
    int ok = 1;
    *win[i].to = t ? fdef_minutes(t, &ok) : win[i].def;
    if( !ok ) err_at(&p, line_of(&p, arena_printf(a, "Window.%s", win[i].n)), "", "window_bad", t);
  }
  if( f->closes && f->closes<=f->cutoff ) err_at(&p, line_of(&p, "Window.Closes"), "", "window_order", "");

  parse_part(&p, h, "Header", FP_HEADER, &f->hf, &f->nhf, HEADER_SET);
  parse_part(&p, h, "Rows", FP_ROW, &f->rf, &f->nrf, ROWS_SET);
  if( f->nhf + f->nrf==0 ) err_at(&p, 1, "", "no_fields", "");
  #define OPT(name) (hdf_get_value(h, name, NULL) ? arena_strdup(a, hdf_get_value(h, name, "")) : NULL)
  f->head_title = OPT("Header.Title");
  f->head_title_en = OPT("Header.TitleEn");
  f->rows_title = OPT("Rows.Title");
  f->rows_title_en = OPT("Rows.TitleEn");
  #undef OPT
  f->min_rows = 0;
  f->max_rows = f->nrf ? 200 : 0;
  if( !int_attr(hdf_get_value(h, "Rows.MinRows", NULL), 0, 1000, &f->min_rows) )
    err_at(&p, line_of(&p, "Rows.MinRows"), "", "rows_bad", "");
  if( !int_attr(hdf_get_value(h, "Rows.MaxRows", NULL), 1, 1000, &f->max_rows) || f->max_rows<f->min_rows )
    err_at(&p, line_of(&p, "Rows.MaxRows"), "", "rows_bad", "");

  /* field codes are one namespace: expressions name them */
  for(int i=0; i<f->nhf + f->nrf; i++){
    const FFIELD *x = i<f->nhf ? &f->hf[i] : &f->rf[i - f->nhf];
    for(int j=0; j<i; j++){
      const FFIELD *y = j<f->nhf ? &f->hf[j] : &f->rf[j - f->nhf];
      if( strcmp(x->code, y->code)==0 ){ err_at(&p, x->line, x->code, "field_dup", x->code); break; }
    }
  }

  /* computed fields */
  for(int i=0; i<f->nhf + f->nrf; i++){
    FFIELD *x = i<f->nhf ? &f->hf[i] : &f->rf[i - f->nhf];
    if( x->type!=FT_COMPUTED ) continue;
    const char *path = arena_printf(a, "%s.%s.Expr", x->part==FP_ROW ? "Rows" : "Header", x->code);
    const char *text2 = hdf_get_value(h, path, NULL), *why;
    if( text2==NULL ) continue;
    int line = line_of(&p, path);
    int before = errs->total;
    FEXPR *e = x_parse(&p, text2, 0, line, x->code, &why);
    if( e==NULL ){
      if( errs->total==before ) err_at(&p, line, x->code, "expr_syntax", why);
      continue;
    }
    RES r = { &p, x, x->part, line, x->code, x->part==FP_ROW, 0, 0 };
    int t = x_resolve(&r, e);
    if( t!=XT_NUM && t!=XT_BAD ) err_at(&p, line, x->code, "expr_not_number", "");
    if( errs->total==before ){ x->expr = e; x->uses_prev = r.uses_prev; x->expr_text = arena_strdup(a, text2); }
  }
  int state[2 * FDEF_MAXFIELDS];
  const FFIELD *stack[2 * FDEF_MAXFIELDS];
  memset(state, 0, sizeof state);
  f->order = arena_alloc(a, sizeof(FFIELD*) * (size_t)(f->nhf + f->nrf + 1));
  for(int i=0; i<f->nhf + f->nrf; i++){
    FFIELD *x = i<f->nhf ? &f->hf[i] : &f->rf[i - f->nhf];
    if( x->type==FT_COMPUTED && x->expr ) visit(&p, x, state, f->order, &f->norder, stack, 0);
  }

  /* rules */
  HDF *rules = hdf_get_obj(h, "Rules");
  int nr = 0;
  for(HDF *c = rules ? hdf_obj_child(rules) : NULL; c; c = hdf_obj_next(c)) nr++;
  f->rules = arena_alloc(a, sizeof(FRULE) * (size_t)(nr ? nr : 1));
  for(HDF *c = rules ? hdf_obj_child(rules) : NULL; c; c = hdf_obj_next(c)){
    FRULE *r = &f->rules[f->nrules];
    const char *rc = hdf_obj_name(c);
    const char *base = arena_printf(a, "Rules.%s", rc);
    memset(r, 0, sizeof *r);
    r->code = arena_strdup(a, rc);
    r->line = line_of(&p, base);
    if( !code_ok(rc, FDEF_FIELD_MAX) ){ err_at(&p, r->line, rc, "rule_code_bad", rc); continue; }
    for(HDF *k = hdf_obj_child(c); k; k = hdf_obj_next(k))
      if( !known_attr(hdf_obj_name(k), RULE_ATTR) )
        err_at(&p, line_of(&p, arena_printf(a, "%s.%s", base, hdf_obj_name(k))), rc, "attr_unknown", hdf_obj_name(k));
    const char *chk = hdf_get_value(c, "Check", NULL), *msg = hdf_get_value(c, "Message", NULL), *why;
    if( chk==NULL ){ err_at(&p, r->line, rc, "rule_missing", ""); continue; }
    if( msg==NULL || !*str_trim(a, msg) ) err_at(&p, r->line, rc, "rule_msg", "");
    r->message = msg ? str_trim(a, msg) : "";
    r->message_en = hdf_get_value(c, "MessageEn", NULL) ? arena_strdup(a, hdf_get_value(c, "MessageEn", "")) : NULL;
    int line = line_of(&p, arena_printf(a, "%s.Check", base));
    int before = errs->total;
    FEXPR *e = x_parse(&p, chk, 1, line, rc, &why);
    if( e==NULL ){
      if( errs->total==before ) err_at(&p, line, rc, "expr_syntax", why);
      continue;
    }
    if( !is_cmp(e->op) ){ err_at(&p, line, rc, "rule_cmp", ""); continue; }
    RES res = { &p, NULL, FP_ROW, line, rc, 0, 0, 0 };
    x_resolve(&res, e);
    if( errs->total!=before ) continue;
    r->check = e;
    r->check_text = arena_strdup(a, chk);
    r->part = res.uses_row ? FP_ROW : FP_HEADER;
    const char *fc = hdf_get_value(c, "Field", NULL);
    if( fc ){
      r->field = fdef_field(f, fc);
      if( r->field==NULL ){ err_at(&p, line_of(&p, arena_printf(a, "%s.Field", base)), rc, "expr_unknown", fc); continue; }
      if( r->part==FP_HEADER && r->field->part==FP_ROW ){ err_at(&p, line_of(&p, arena_printf(a, "%s.Field", base)), rc, "rule_field", fc); continue; }
    }else{
      /* the first field the check names in the rule's own part */
      const FFIELD *refs[16];
      int n = fdef_refs(e, refs, 16);
      for(int i=0; i<n && !r->field; i++) if( refs[i]->part==r->part ) r->field = refs[i];
      if( !r->field && n ) r->field = refs[0];
    }
    f->nrules++;
  }
  parse_chain(&p, h, f);
  hdf_destroy(&h);
  return errs->total ? 1 : 0;
}

int fdef_compat(const FORM *f, const FDEF_OLD *old, int nold, FDEF_ERRS *errs){
  P p = { NULL, f->file, errs, NULL, (FORM*)f };
  int before = errs->total;
  for(int i=0; i<f->nhf + f->nrf; i++){
    const FFIELD *x = i<f->nhf ? &f->hf[i] : &f->rf[i - f->nhf];
    for(int j=0; j<nold; j++){
      if( strcmp(old[j].code, x->code)!=0 ) continue;
      if( old[j].part!=x->part ){ err_at(&p, x->line, x->code, "part_changed", x->code); break; }
      int same = old[j].type==x->type;
      /* one column type per stored type: text is VARCHAR(200), select VARCHAR(100) ... */
      if( same && (x->type==FT_DEC || x->type==FT_COMPUTED) ) same = old[j].prec==x->prec && old[j].scale==x->scale;
      if( !same && ((old[j].type==FT_DEC && x->type==FT_COMPUTED) || (old[j].type==FT_COMPUTED && x->type==FT_DEC)) )
        same = old[j].prec==x->prec && old[j].scale==x->scale;
      if( !same ) err_at(&p, x->line, x->code, "type_changed", x->code);
      break;
    }
  }
  return errs->total>before;
}

/* ------------------------------------------------------------------ */
/* evaluation                                                          */


/* a / b truncated toward zero at `scale` decimals (the final rounding to
** the field's scale is then exact: the half-way point is on this grid) */
#define DIV_SCALE 12
static int dec_div(DEC a, DEC b, DEC *out){
  typedef __int128 I128;
  if( b.u==0 ) return FX_DIVZERO;
  for(int s = DIV_SCALE; s>=0; s--){
    int e = s + b.s;
    if( e>19 ) continue;
    I128 num = a.u, den = b.u;
    for(int i=0; i<e; i++) num *= 10;
    for(int i=0; i<a.s; i++) den *= 10;
    I128 q = num / den;
    if( q>INT64_MAX || q<-INT64_MAX ) continue;
    out->u = (int64_t)q;
    out->s = s;
    *out = dec_trim(*out);
    return FX_OK;
  }
  return FX_OVERFLOW;
}

FVAL fdef_eval(const FEXPR *e, FENV *env, int *why){
  FVAL r = { 0, { 0, 0 } }, x, y;
  if( *why ) return r;
  switch( e->op ){
    case X_NUM: r.set = 1; r.v = e->num; return r;
    case X_FIELD: return env->get(env, e->field);
    case X_SUM: return env->sum(env, e->field);
    case X_PREV: return env->prev(env, e->field, e->key);
    case X_NEG:
      x = fdef_eval(e->a, env, why);
      if( !x.set ) return r;
      r.set = 1; r.v = x.v; r.v.u = -x.v.u;
      return r;
    default: break;
  }
  x = fdef_eval(e->a, env, why);
  y = fdef_eval(e->b, env, why);
  if( *why || !x.set || !y.set ) return r;
  int rc = 0;
  switch( e->op ){
    case X_ADD: rc = dec_add(x.v, y.v, &r.v); break;
    case X_SUB: rc = dec_sub(x.v, y.v, &r.v); break;
    case X_MUL:
      rc = dec_mul(x.v, y.v, &r.v);
      if( rc ) rc = dec_mul_round(x.v, y.v, DIV_SCALE, &r.v);
      break;
    case X_DIV: {
      int d = dec_div(x.v, y.v, &r.v);
      if( d ){ *why = d; return r; }
      break;
    }
    default: {     /* comparisons: 1 or 0 */
      int c = dec_cmp(x.v, y.v), t = 0;
      switch( e->op ){
        case X_LT: t = c<0; break;  case X_LE: t = c<=0; break;
        case X_GT: t = c>0; break;  case X_GE: t = c>=0; break;
        case X_EQ: t = c==0; break; default: t = c!=0; break;
      }
      r.set = 1; r.v = dec_from_i64(t);
      return r;
    }
  }
  if( rc ){ *why = FX_OVERFLOW; return r; }
  r.set = 1;
  return r;
}

int fdef_rule_ok(const FRULE *r, FENV *env){
  int why = 0;
  FVAL v = fdef_eval(r->check, env, &why);
  if( why || !v.set ) return 1;
  return v.v.u!=0;
}

FVAL fdef_val(const FFIELD *f, const char *text){
  FVAL r = { 0, { 0, 0 } };
  if( text==NULL || *text==0 ) return r;
  switch( f->type ){
    case FT_INT: {
      int64_t v;
      if( dec_parse_i64(text, &v)==DEC_OK ){ r.set = 1; r.v = dec_from_i64(v); }
      return r;
    }
    case FT_DEC: case FT_COMPUTED:
      if( dec_parse(text, DEC_MAXP, f->scale, &r.v)==DEC_OK ) r.set = 1;
      return r;
    case FT_TIME: {
      int h, m;
      if( sscanf(text, "%d:%d", &h, &m)==2 ){ r.set = 1; r.v = dec_from_i64(h*60 + m); }
      return r;
    }
    case FT_DATE: {
      int y, m, d;
      if( sscanf(text, "%d-%d-%d", &y, &m, &d)==3 && day_ymd_ok(y, m, d) ){ r.set = 1; r.v = dec_from_i64(day_num(y, m, d)); }
      return r;
    }
    default: return r;
  }
}

/* ------------------------------------------------------------------ */
/* an expression as a person reads it                                  */

static int prec_of(int op){
  switch( op ){
    case X_ADD: case X_SUB: return 2;
    case X_MUL: case X_DIV: return 3;
    case X_NEG: return 4;
    case X_NUM: case X_FIELD: case X_SUM: case X_PREV: return 5;
    default: return 1;                   /* comparisons */
  }
}

static void show(STRING *s, const FEXPR *e, const char *sum_word, const char *prev_word){
  static const struct { int op; const char *t; } OPS[] = {
    { X_ADD, " + " }, { X_SUB, " − " }, { X_MUL, " × " }, { X_DIV, " ÷ " }, { X_LT, " < " }, { X_LE, " ≤ " },
    { X_GT, " > " }, { X_GE, " ≥ " }, { X_EQ, " = " }, { X_NE, " ≠ " } };
  char buf[DEC_BUFSZ];
  switch( e->op ){
    case X_NUM: string_append(s, dec_format(e->num, buf)); return;
    case X_FIELD: string_append(s, e->field ? e->field->label : e->name); return;
    case X_SUM: string_appendf(s, "%s(%s)", sum_word, e->field ? e->field->label : e->name); return;
    case X_PREV: string_appendf(s, "%s(%s, %s)", prev_word, e->field ? e->field->label : e->name,
                                e->key ? e->key->label : e->name2); return;
    case X_NEG:
      string_append(s, "−");
      if( prec_of(e->a->op)<4 ){ string_append(s, "("); show(s, e->a, sum_word, prev_word); string_append(s, ")"); }
      else show(s, e->a, sum_word, prev_word);
      return;
    default: break;
  }
  int p = prec_of(e->op);
  int pa = prec_of(e->a->op) < p, pb = prec_of(e->b->op) < p || (prec_of(e->b->op)==p && (e->op==X_SUB || e->op==X_DIV));
  if( pa ) string_append(s, "(");
  show(s, e->a, sum_word, prev_word);
  if( pa ) string_append(s, ")");
  for(size_t i=0; i<sizeof OPS/sizeof OPS[0]; i++) if( OPS[i].op==e->op ) string_append(s, OPS[i].t);
  if( pb ) string_append(s, "(");
  show(s, e->b, sum_word, prev_word);
  if( pb ) string_append(s, ")");
}

char *fdef_expr_show(ARENA *a, const FEXPR *e, const char *sum_word, const char *prev_word){
  STRING s;
  string_init(&s);
  if( e ) show(&s, e, sum_word, prev_word);
  char *out = arena_strdup(a, s.buf ? s.buf : "");
  string_clear(&s);
  return out;
}
