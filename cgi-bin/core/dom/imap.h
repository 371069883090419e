/*
** imap.h -- how an import reads the customer's own column titles: the
** words that name each field of a kind, the header row found among the
** first rows, and the column mapping (recognised, remembered for files
** with the same header row, or chosen by the admin on the page).
**
** A customer's sheet says 部门编号, 上级部门, 所属科室, 岗位, 手机号码 where
** the template says 单位编码, 上级单位编码, 单位编码, 角色, 电话.  Each field
** has exact aliases (the template's words, English words) and each kind a
** few word rules (a unit word + a code word is the code, a parent word
** anywhere is the parent ...).  Nothing here touches the database: the
** caller passes the remembered mapping in and stores the new one.
*/
#ifndef DIAODU_IMAP_H
#define DIAODU_IMAP_H
#include "arena.h"
#include "table.h"

enum { IK_UNITS = 1, IK_USERS, IK_BASE };

typedef struct {
  const char *key;           /* "code", "name", "a3" ... */
  const char *label;         /* shown: 单位编码 */
  const char *aliases;       /* exact header names, '|' separated */
  int required;
} IFIELD;

/* the fields of units and accounts (base-data kinds build theirs from
** their field list) */
const IFIELD *imap_fields(int ik, int *n);

/* what a column of the file is for */
enum {
  IM_NONE = -1,              /* not recognised: the admin must choose */
  IM_IGNORE = -2,            /* ignored, by the admin's choice */
  IM_NEW = -3                /* a new field of a base-data kind, named after the header */
};
/* how that was decided */
enum { IH_AUTO = 1, IH_SAVED, IH_DUP };

typedef struct {
  int col;                   /* index of the column in the file's rows */
  const char *header;        /* the header cell as written (trimmed); "" if none */
  int field;                 /* index into the fields, or IM_* */
  int how;                   /* IH_*; IH_DUP: another column already has the field */
  int dup_of;                /* with IH_DUP: that column's index in the file */
} ICOL;

#define IMAP_MAXCOLS 64       /* columns considered (data beyond is refused) */

/* a header cell for matching: no white space, '*', '_' or '-', ASCII
** lower case, full-width brackets as ASCII, a trailing "(...)" note cut */
char *imap_norm(ARENA *a, const char *s);

/* the field a header names (index into f), or -1; *score: 3 an exact
** alias or label, 2 a word rule of the kind, 1 a label written longer or
** shorter (载重 for 载重(吨)) */
int imap_guess(ARENA *a, int ik, const IFIELD *f, int nf, const char *header, int *score);

/* the header row: the first of the first five non-blank rows that names
** every required field, else the one naming most fields, else the first
** non-blank row; -1 if the table has no non-blank row */
int imap_header_row(ARENA *a, int ik, const IFIELD *f, int nf, const TABLE *t);

/* SHA-256 (hex) of the normalised header cells, the key of a remembered
** mapping: the same titles in the same order give the same key */
const char *imap_header_key(ARENA *a, const TROW *hdr);

/* the columns of the header row that matter (a title or data below it),
** each mapped: by `saved` (a remembered mapping string, or NULL) where it
** says, else recognised; two columns never get the same field.  *n set;
** returns the array */
ICOL *imap_columns(ARENA *a, int ik, const IFIELD *f, int nf, const TABLE *t, int hdr,
                   const char *saved, int *n);

/* a mapping string: one entry per file column up to the last that
** matters, '|' separated: a field key, "-" ignore, "+" new field, "" an
** empty column */
char *imap_string(ARENA *a, const IFIELD *f, const ICOL *c, int n);

/* set column i's target from a form value (a field key, "-", "+" or "")
** and mark it chosen; unknown keys leave it unrecognised */
void imap_choose(const IFIELD *f, int nf, ICOL *c, const char *value);

/* a number Excel turned into scientific notation (1.38E+10): its digits
** are gone, so the value must not be stored */
int imap_sci(const char *v);

#endif
