/*
** fdef.h -- a form definition: one HDF file under conf/forms/, read,
** checked and compiled into a FORM (pure: no database, no I/O but the
** text handed in).
**
** A form is a header (fields filled once per sheet) and repeating rows
** (one per trip, work order, meter ...).  Field types: text, integer,
** decimal (Precision, Scale, Unit), date, time, select (Options), lookup
** (Lookup = base:<kind> | org | user), computed (Expr over fields of the
** same row or the header, sum(<row field>) in the header, prev(<field>,
** <key field>) for the same key's value in the unit's previous approved
** sheet), textarea.  Rules are cross-field checks (Check = back >= depart).
** The annotated example is in docs/ARCHITECTURE.md and conf/forms/.
**
** fdef_parse() refuses what cannot work -- an unknown type or attribute, a
** name that is not [a-z][a-z0-9_]*, an expression that does not parse or
** names a missing field, a cycle among computed fields, a rule comparing a
** time with a number -- and reports every problem with the file, the line
** and the field (FDEF_ERR), never just the first.  fdef_compat() compares
** a definition with the fields already applied (types may not change).
**
** Expressions are exact: values are DEC (dec.h) and computed results are
** rounded half-up to the field's scale.  An empty operand makes the result
** empty (a computed field then stays empty; a rule is not checked).
*/
#ifndef DIAODU_FDEF_H
#define DIAODU_FDEF_H
#include "arena.h"
#include "dec.h"
#include "day.h"

#define FDEF_MAXFIELDS 60          /* per part */
#define FDEF_MAXOPTS   60
#define FDEF_MAXERR    50
#define FDEF_CODE_MAX  24          /* form codes: tables f_<code>, f_<code>_r */
#define FDEF_FIELD_MAX 40

typedef enum {
  FT_TEXT = 1, FT_INT, FT_DEC, FT_DATE, FT_TIME, FT_SELECT, FT_LOOKUP, FT_COMPUTED, FT_TEXTAREA
} FTYPE;

typedef enum { LK_BASE = 1, LK_ORG, LK_USER } LKIND;
enum { FP_HEADER = 0, FP_ROW = 1 };

typedef struct fexpr FEXPR;        /* a compiled expression (fdef.c) */

typedef struct {
  const char *code;                /* column name */
  int part;                        /* FP_HEADER | FP_ROW */
  int idx;                         /* index within its part */
  FTYPE type;
  const char *label, *label_en, *unit, *hint;
  int required;
  int prec, scale;                 /* FT_DEC, FT_COMPUTED */
  int maxlen;                      /* FT_TEXT, FT_TEXTAREA: characters */
  int has_min, has_max;            /* FT_INT, FT_DEC, FT_COMPUTED */
  DEC min, max;
  const char *pattern, *pattern_msg;   /* FT_TEXT: POSIX extended regex */
  const char **options;            /* FT_SELECT */
  int nopt;
  LKIND lk;                        /* FT_LOOKUP */
  const char *lk_kind;             /* LK_BASE: the base-data kind code */
  int own;                         /* only records of the submitting unit (and below) */
  FEXPR *expr;                     /* FT_COMPUTED */
  const char *expr_text;           /* its text as written */
  int uses_prev;                   /* the expression calls prev() */
  int line;                        /* where it is defined */
} FFIELD;

typedef struct {
  const char *code;
  FEXPR *check;
  const char *check_text;
  const char *message, *message_en;
  const FFIELD *field;             /* where the message is shown */
  int part;                        /* FP_ROW if it names a row field */
  int line;
} FRULE;

/* the approval chain (Approval { Steps { <code> { ... } } Cc = ... }),
** used by the approval flow (flow.c): ordered steps, each a role and where
** that role is held, relative to the submitting unit.  No steps: a sheet is
** final when it is submitted. */
typedef enum { FS_UNIT = 1, FS_UP, FS_AT } FSCOPE;
#define FDEF_MAXSTEPS 9
#define FDEF_MAXCC    8
typedef struct {
  const char *code;                /* the step's name in the file */
  const char *label, *label_en;    /* Label (default: the role's name), LabelEn */
  const char *role;                /* Role: a role code (head, dispatcher ...) */
  FSCOPE scope;                    /* Scope = unit: the submitting unit's own grant;
                                      up: the submitting unit or a unit above it;
                                      At = <unit code>: a grant on that unit (FS_AT) */
  const char *at;                  /* FS_AT: the unit's code */
  long overdue;                    /* minutes a step may wait before it is overdue
                                      (Overdue, else Approval.Overdue; 0: Flow.OverdueHours) */
  int line;
} FSTEP;

typedef struct {
  long long id;                    /* in the registry (form_get); 0 before it is applied */
  time_t since;                    /* first applied (form_get): periods that ended
                                      before it are history, never late or closed */
  const char *file;                /* as given to fdef_parse */
  const char *source, *hash;       /* the text and its SHA-256 (hex) */
  const char *code, *name, *name_en;
  int version;
  int active;
  DAY_PKIND period;
  const char **units;              /* submitting units by code ... */
  int nunits;
  const char **unit_kinds;         /* ... or by unit kind (company, dept, team) */
  int nkinds;
  long opens, cutoff, closes;      /* minutes: opens after the period's start;
                                      cutoff and closes after its end (closes 0: never) */
  int min_rows, max_rows;
  const char *head_title, *head_title_en, *rows_title, *rows_title_en;   /* Header.Title, Rows.Title */
  FFIELD *hf, *rf;                 /* header and row fields, in file order */
  int nhf, nrf;
  FRULE *rules;
  int nrules;
  const FFIELD **order;            /* computed fields in evaluation order */
  int norder;
  FSTEP *steps;                    /* the approval chain, in order (flow.c) */
  int nsteps;
  const char **cc;                 /* roles informed of an approved sheet (抄送) */
  int ncc;
  int chain_line;                  /* where Approval starts (0: none) */
} FORM;

typedef struct {
  const char *file;
  int line;
  const char *field;               /* "" for the form as a whole */
  const char *key;                 /* Lang.fdef.<key> */
  const char *arg;                 /* {arg} in the message, or "" */
} FDEF_ERR;

typedef struct {
  FDEF_ERR e[FDEF_MAXERR];
  int n;                           /* kept */
  int total;                       /* found */
} FDEF_ERRS;

/* text -> *out; 0 when every check passed (else errs lists the problems) */
int fdef_parse(ARENA *a, const char *file, const char *text, FORM **out, FDEF_ERRS *errs);

/* a field already applied (the registry): code, part, type, prec, scale */
typedef struct {
  const char *code;
  int part;
  FTYPE type;
  int prec, scale;
} FDEF_OLD;
/* the new definition against the fields applied so far (removed ones
** included): a field may not change its type, precision, scale or part;
** 0 when compatible */
int fdef_compat(const FORM *f, const FDEF_OLD *old, int nold, FDEF_ERRS *errs);

const char *fdef_type_name(FTYPE t);
FTYPE fdef_type(const char *name);                 /* 0 if unknown */
const char *fdef_period_name(DAY_PKIND k);         /* day shift week month */
const FFIELD *fdef_field(const FORM *f, const char *code);

/* "9h", "30m", "1d", "-2h", "90" (minutes) -> minutes; -1 when malformed */
long fdef_minutes(const char *s, int *ok);

/* ---- evaluation ---- */
/* a value during evaluation: empty, or a number (times are minutes since
** midnight, dates days since 1970) */
typedef struct { int set; DEC v; } FVAL;

/* where an expression finds its operands */
typedef struct fenv {
  /* the value of field f (row: the current row) */
  FVAL (*get)(struct fenv *env, const FFIELD *f);
  /* sum over all rows of a row field */
  FVAL (*sum)(struct fenv *env, const FFIELD *f);
  /* the previous approved value of field f for the current row's key field */
  FVAL (*prev)(struct fenv *env, const FFIELD *f, const FFIELD *key);
  void *data;
} FENV;

enum { FX_OK = 0, FX_OVERFLOW, FX_DIVZERO };
/* evaluate; *why is FX_* (an overflow or a division by zero leaves out unset) */
FVAL fdef_eval(const FEXPR *e, FENV *env, int *why);
/* a rule: 1 holds (or not checkable: an operand empty), 0 broken */
int fdef_rule_ok(const FRULE *r, FENV *env);
/* the fields an expression names (directly, or inside sum() / prev()) */
int fdef_refs(const FEXPR *e, const FFIELD **out, int max);

/* an expression as a person reads it: field labels, + − × ÷ and the signs
** of comparison, sum() and prev() with the words given (the page's language) */
char *fdef_expr_show(ARENA *a, const FEXPR *e, const char *sum_word, const char *prev_word);

/* a typed value (as text) -> FVAL for expressions: numbers, "HH:MM", dates */
FVAL fdef_val(const FFIELD *f, const char *text);

#endif
