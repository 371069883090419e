/*
** pdf.h -- PDF through libharu with an embedded Chinese font.
**
** The font is Pdf.Font: font files separated by ":" in order of preference
** (the cut-down font make builds, then the full wqy-zenhei; face 0 of a
** .ttc, UTF-8 encoder; see PLATFORM.md for why not wqy-microhei): each
** document embeds the first one that has every character it draws.  Each
** document has its own jmp_buf-free error handler that records the libharu
** error; output goes through HPDF_SaveToStream into a STRING, so nothing is
** written to stdout (the FastCGI reply).
**
** pdf_slips(): A4 pages of cut-apart slips, 2 columns x 4 rows, each slip
** with a title line and label/value lines -- used for activation codes.
** pdf_table(): an A4 report: title, subtitle lines (unit, period), a table
** whose header row is repeated on every page, optional totals row,
** "第 N 页 共 M 页" and "制表时间" in the footer, and signature lines
** (制表 / 审核) after the table.
*/
#ifndef DIAODU_PDF_H
#define DIAODU_PDF_H
#include <ClearSilver.h>
#include "table.h"

typedef struct {
  const char *title;             /* e.g. "账户激活通知" */
  int nlines;
  const char *label[8];          /* "姓名", "账户", "激活码" ... */
  const char *value[8];
} PDF_SLIP;

NEOERR *pdf_slips(const char *font_path, const PDF_SLIP *slips, int n, STRING *out);

/* a bar chart drawn as vectors under the subtitles: one bar per name,
** its length permille[i] / 1000 of the widest, the value written after it */
typedef struct {
  const char *title;             /* the measure */
  int n;
  const char **names;
  const char **values;
  const int *permille;           /* 0..1000 */
  const char *note;              /* a line under the chart (NULL: none) */
} PDF_CHART;

typedef struct {
  const char *title;             /* centred, large */
  const char *subtitle[4];       /* lines under the title, NULL-terminated */
  const TABLE *table;            /* row 0 = header */
  const char *totals_label;      /* NULL: no totals row */
  const char **totals;           /* ncol cells (first may be NULL) */
  const char *generated_at;      /* shown in the footer */
  const char *signatures[4];     /* "制表", "审核" ...; NULL-terminated */
  const int *align_right;        /* per column: 1 = numbers, right aligned; may be NULL */
  int landscape;                 /* 1 landscape, 0 portrait, -1: landscape when the table is
                                    wider than a portrait page */
  const PDF_CHART *chart;        /* NULL: none */
} PDF_REPORT;

NEOERR *pdf_table(const char *font_path, const PDF_REPORT *rep, STRING *out);

#endif
