/*
** rfmt.c -- a report result in its formats: the page's data (HDF, with the
** chart's geometry for the template's SVG elements), CSV, XLSX (numbers as
** numbers with their scale), PDF (fmt/pdf: A4, the chart as vectors,
** signature lines), a standalone SVG, and the audit record of a download.
** The figures are the result's text cells: every format shows the same
** digits.
*/
#include "report.h"
#include "conf.h"
#include "csv.h"
#include "err.h"
#include "hset.h"
#include "json.h"
#include "pdf.h"
#include "table.h"
#include "xlsx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *subtitle(ARENA *a, const REPORT_RESULT *r){
  return arena_printf(a, r->en ? "%s · %s · Period: %s" : "%s · %s · 统计期间：%s", r->company, r->unit, r->period);
}

/* the result as a TABLE: lead rows (title lines), the header, the rows,
** the totals */
static TABLE *as_table(ARENA *a, const REPORT_RESULT *r, int lead, int totals){
  TABLE *t = arena_alloc(a, sizeof *t);
  int n = lead + 1 + r->nrow + (totals ? 1 : 0), k = 0;
  t->rows = arena_alloc(a, sizeof(TROW) * (size_t)n);
  t->nrow = n;
  if( lead>=1 ){
    TROW *x = &t->rows[k++];
    x->ncol = 1;
    x->cols = arena_alloc(a, sizeof(char*));
    x->cols[0] = (char*)r->title;
  }
  if( lead>=2 ){
    TROW *x = &t->rows[k++];
    x->ncol = 1;
    x->cols = arena_alloc(a, sizeof(char*));
    x->cols[0] = (char*)arena_printf(a, r->en ? "%s; generated %s" : "%s；制表时间 %s", subtitle(a, r), r->generated_at);
  }
  TROW *h = &t->rows[k++];
  h->ncol = r->ncol;
  h->cols = arena_alloc(a, sizeof(char*) * (size_t)(r->ncol + 1));
  for(int c=0; c<r->ncol; c++) h->cols[c] = (char*)r->cols[c].label;
  for(int i=0; i<r->nrow; i++){
    TROW *x = &t->rows[k++];
    x->ncol = r->ncol;
    x->cols = (char**)r->cells[i];
  }
  if( totals ){
    TROW *x = &t->rows[k++];
    x->ncol = r->ncol;
    x->cols = arena_alloc(a, sizeof(char*) * (size_t)(r->ncol + 1));
    for(int c=0; c<r->ncol; c++) x->cols[c] = (char*)(r->totals[c] ? r->totals[c] : "");
  }
  for(int i=0; i<n; i++) t->rows[i].rowno = i + 1;
  return t;
}

NEOERR *report_csv(const REPORT_RESULT *r, STRING *out){
  ARENA *a = arena_new(16384);
  if( a==NULL ) return nerr_raise(NERR_NOMEM, "report csv");
  TABLE *t = as_table(a, r, 2, 1);
  NEOERR *err = csv_write(t, out);
  arena_free(a);
  return nerr_pass(err);
}

NEOERR *report_xlsx(const REPORT_RESULT *r, STRING *out){
  ARENA *a = arena_new(16384);
  if( a==NULL ) return nerr_raise(NERR_NOMEM, "report xlsx");
  TABLE *t = as_table(a, r, 2, 1);
  int *scale = arena_alloc(a, sizeof(int) * (size_t)(r->ncol + 1));
  for(int c=0; c<r->ncol; c++) scale[c] = r->cols[c].numeric ? r->cols[c].scale : -1;
  XLSX_OPT o = { .header_row = 2, .scale = scale, .ncol = r->ncol, .bold_last = 1 };
  NEOERR *err = xlsx_write_opt(t, r->def->name, &o, out);
  arena_free(a);
  return nerr_pass(err);
}

NEOERR *report_pdf(CTX *c, const REPORT_RESULT *r, STRING *out){
  ARENA *a = c->arena;
  TABLE *t = as_table(a, r, 0, 0);
  PDF_REPORT p;
  memset(&p, 0, sizeof p);
  p.title = r->title;
  p.subtitle[0] = r->company;
  p.subtitle[1] = arena_printf(a, r->en ? "Units: %s" : "单位：%s", r->unit);
  p.subtitle[2] = arena_printf(a, r->en ? "Period: %s" : "统计期间：%s", r->period);
  p.table = t;
  p.totals_label = r->en ? "Total" : "合计";
  p.totals = r->totals;
  p.generated_at = r->generated_at;
  p.signatures[0] = r->en ? "Prepared by" : "制表人";
  p.signatures[1] = r->en ? "Checked by" : "审核人";
  p.signatures[2] = r->en ? "Approved by" : "负责人";
  int *right = arena_alloc(a, sizeof(int) * (size_t)(r->ncol + 1));
  for(int i=0; i<r->ncol; i++) right[i] = r->cols[i].numeric;
  p.align_right = right;
  p.landscape = -1;
  PDF_CHART ch;
  if( r->chart ){
    memset(&ch, 0, sizeof ch);
    ch.title = r->chart->label;
    ch.n = r->chart->n;
    ch.names = r->chart->names;
    ch.values = r->chart->values;
    ch.permille = r->chart->permille;
    if( r->chart->more>0 )
      ch.note = arena_printf(a, r->en ? "The first %d of %d groups" : "图中为前 %d 项（共 %d 项）", r->chart->n, r->chart->n + r->chart->more);
    p.chart = &ch;
  }
  return nerr_pass(pdf_table(conf_str(c->conf, "Pdf.Font", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), &p, out));
}

/* ------------------------------------------------------------------ */
/* the chart's geometry (SVG user units), for the page and report_svg   */

#define CH_W     640
#define CH_LABEL 190
#define CH_VALUE 80
#define CH_BAR   22
#define CH_TOP   8

typedef struct { int x, y, w, h, ty, tx; } BARG;

static void bar_geom(const RCHART *ch, int i, BARG *g){
  int area = CH_W - CH_LABEL - CH_VALUE;
  int pm = ch->permille[i] < 0 ? 0 : ch->permille[i] > 1000 ? 1000 : ch->permille[i];
  g->x = CH_LABEL;
  g->y = CH_TOP + i * CH_BAR + 3;
  g->w = area * pm / 1000;
  g->h = CH_BAR - 6;
  g->ty = CH_TOP + i * CH_BAR + CH_BAR / 2 + 5;
  g->tx = CH_LABEL + g->w + 6;
}

/* a trend: the points of a line over the groups in order */
#define TR_H   200
#define TR_L   60
#define TR_B   40
static void trend_point(const RCHART *ch, int i, int *x, int *y){
  int w = CH_W - TR_L - 20, h = TR_H - TR_B - 10;
  *x = TR_L + (ch->n > 1 ? w * i / (ch->n - 1) : w / 2);
  *y = 10 + h - h * (ch->permille[i] < 0 ? 0 : ch->permille[i]) / 1000;
}

NEOERR *report_hdf(const REPORT_RESULT *r, HDF *hdf, const char *prefix){
  HDF *h;
  NEOERR *err = hdf_get_node(hdf, prefix, &h);
  if( err ) return nerr_pass(err);
  hset_str(h, "title", r->title);
  hset_str(h, "company", r->company);
  hset_str(h, "unit", r->unit);
  hset_str(h, "period", r->period);
  hset_str(h, "from", r->from);
  hset_str(h, "to", r->to);
  hset_str(h, "generated_at", r->generated_at);
  hset_int(h, "pending", r->pending);
  hset_int(h, "nrow", r->nrow);
  for(int c=0; c<r->ncol; c++){
    hset_fmt(h, "Cols.%d.label=%s", c, r->cols[c].label);
    hset_fmt(h, "Cols.%d.numeric=%d", c, r->cols[c].numeric);
  }
  /* cells as <row>.<col>.v with .n = 1 for numbers (right aligned) */
  for(int i=0; i<r->nrow; i++)
    for(int c=0; c<r->ncol; c++){
      hset_fmt(h, "Rows.%d.%d.v=%s", i, c, r->cells[i][c]);
      if( r->cols[c].numeric ) hset_fmt(h, "Rows.%d.%d.n=1", i, c);
    }
  for(int c=0; c<r->ncol; c++){
    hset_fmt(h, "Totals.%d.v=%s", c, r->totals[c] ? r->totals[c] : "");
    if( r->cols[c].numeric ) hset_fmt(h, "Totals.%d.n=1", c);
  }
  const RCHART *ch = r->chart;
  if( ch && ch->n>0 ){
    hset_str(h, "Chart.label", ch->label);
    hset_int(h, "Chart.n", ch->n);
    hset_int(h, "Chart.more", ch->more);
    hset_int(h, "Chart.total", ch->n + ch->more);
    hset_int(h, "Chart.width", CH_W);
    hset_int(h, "Chart.trend", ch->trend);
    if( ch->trend ){
      STRING pts;
      string_init(&pts);
      hset_int(h, "Chart.height", TR_H);
      hset_int(h, "Chart.axis_x", TR_L);
      hset_int(h, "Chart.axis_y", TR_H - TR_B);
      hset_int(h, "Chart.axis_x2", CH_W - 20);
      for(int i=0; i<ch->n; i++){
        int x, y;
        trend_point(ch, i, &x, &y);
        string_appendf(&pts, "%s%d,%d", i ? " " : "", x, y);
        hset_fmt(h, "Chart.Points.%d.x=%d", i, x);
        hset_fmt(h, "Chart.Points.%d.y=%d", i, y);
        hset_fmt(h, "Chart.Points.%d.name=%s", i, ch->names[i]);
        hset_fmt(h, "Chart.Points.%d.value=%s", i, ch->values[i]);
        /* a label under every k-th point so that they do not overlap */
        int every = ch->n<=8 ? 1 : (ch->n + 7) / 8;
        hset_fmt(h, "Chart.Points.%d.show=%d", i, i % every==0);
      }
      hset_str(h, "Chart.points", pts.buf ? pts.buf : "");
      hset_int(h, "Chart.label_y", TR_H - TR_B + 16);
      string_clear(&pts);
    }else{
      hset_int(h, "Chart.height", CH_TOP * 2 + ch->n * CH_BAR);
      hset_int(h, "Chart.label_x", CH_LABEL - 6);
      for(int i=0; i<ch->n; i++){
        BARG g;
        bar_geom(ch, i, &g);
        hset_fmt(h, "Chart.Bars.%d.name=%s", i, ch->names[i]);
        hset_fmt(h, "Chart.Bars.%d.value=%s", i, ch->values[i]);
        hset_fmt(h, "Chart.Bars.%d.x=%d", i, g.x);
        hset_fmt(h, "Chart.Bars.%d.y=%d", i, g.y);
        hset_fmt(h, "Chart.Bars.%d.w=%d", i, g.w);
        hset_fmt(h, "Chart.Bars.%d.h=%d", i, g.h);
        hset_fmt(h, "Chart.Bars.%d.ty=%d", i, g.ty);
        hset_fmt(h, "Chart.Bars.%d.tx=%d", i, g.tx);
      }
    }
  }
  return STATUS_OK;
}

static void xml(STRING *s, const char *t){
  for(; t && *t; t++){
    switch( *t ){
      case '&': string_append(s, "&amp;"); break;
      case '<': string_append(s, "&lt;"); break;
      case '>': string_append(s, "&gt;"); break;
      case '"': string_append(s, "&quot;"); break;
      default: string_append_char(s, *t);
    }
  }
}

NEOERR *report_svg(const REPORT_RESULT *r, STRING *out){
  const RCHART *ch = r->chart;
  if( ch==NULL || ch->n==0 ) return STATUS_OK;
  int height = ch->trend ? TR_H : CH_TOP * 2 + ch->n * CH_BAR;
  string_appendf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\" font-size=\"12\"><title>", CH_W, height);
  xml(out, r->title);
  string_append(out, " · ");
  xml(out, ch->label);
  string_append(out, "</title>");
  if( ch->trend ){
    string_appendf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", TR_L, TR_H - TR_B, CH_W - 20, TR_H - TR_B);
    string_append(out, "<polyline fill=\"none\" stroke=\"#3b6bab\" stroke-width=\"2\" points=\"");
    for(int i=0; i<ch->n; i++){ int x, y; trend_point(ch, i, &x, &y); string_appendf(out, "%s%d,%d", i ? " " : "", x, y); }
    string_append(out, "\"/>");
    for(int i=0; i<ch->n; i++){
      int x, y;
      trend_point(ch, i, &x, &y);
      string_appendf(out, "<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"#3b6bab\"><title>", x, y);
      xml(out, ch->names[i]); string_append(out, "："); xml(out, ch->values[i]);
      string_append(out, "</title></circle>");
    }
  }else{
    for(int i=0; i<ch->n; i++){
      BARG g;
      bar_geom(ch, i, &g);
      string_appendf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", CH_LABEL - 6, g.ty);
      xml(out, ch->names[i]);
      string_appendf(out, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#3b6bab\"/><text x=\"%d\" y=\"%d\">",
                     g.x, g.y, g.w, g.h, g.tx, g.ty);
      xml(out, ch->values[i]);
      string_append(out, "</text>");
    }
  }
  string_append(out, "</svg>\n");
  return STATUS_OK;
}

/* ------------------------------------------------------------------ */

NEOERR *report_audit(CTX *c, const REPORT_RESULT *r, const char *format){
  JSON j;
  json_open(&j);
  json_str(&j, "format", format);
  json_str(&j, "report", r->def->name);
  json_str(&j, "from", r->from);
  json_str(&j, "to", r->to);
  json_str(&j, "unit", r->unit);
  json_int(&j, "pending", r->pending);
  json_int(&j, "rows", r->nrow);
  json_end(&j);
  const char *detail = json_done(&j, c->arena);
  const char *object = arena_printf(c->arena, "report:%s", r->def->code);
  return nerr_pass(DB_TX(c->db, NULL, ctx_audit(c, "export.report", object, "ok", detail)));
}
