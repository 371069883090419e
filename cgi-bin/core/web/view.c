/*
** view.c -- see view.h.
*/
#include "view.h"
#include "hset.h"
#include "conf.h"
#include <string.h>
#include <stdio.h>

static HDF *g_lang;                   /* Langs.zh_CN.*, Langs.en.* */
static char g_tpl[512] = "templates";

NEOERR *view_init(HDF *conf){
  NEOERR *err;
  char path[700];
  static const char *langs[] = { "zh_CN", "en" };
  snprintf(g_tpl, sizeof g_tpl, "%s", conf_str(conf, "Paths.Templates", "templates"));
  if( (err = hdf_init(&g_lang)) ) return nerr_pass(err);
  for(size_t i=0; i<sizeof langs/sizeof langs[0]; i++){
    HDF *node;
    snprintf(path, sizeof path, "%s/lang/%s.hdf", g_tpl, langs[i]);
    if( (err = hdf_get_node(g_lang, langs[i], &node)) ) return nerr_pass(err);
    if( (err = hdf_read_file(node, path)) ) return nerr_pass_ctx(err, "loading %s", path);
  }
  return STATUS_OK;
}

static void cache_drop(void);

void view_shutdown(void){
  cache_drop();
  if( g_lang ) hdf_destroy(&g_lang);
}

const char *view_lang(REQ *r){
  const char *l = hdf_get_value(req_hdf(r), "Lang.Code", NULL);
  return l ? l : "zh_CN";
}

NEOERR *view_begin(REQ *r){
  HDF *hdf = req_hdf(r), *conf = req_conf(r);
  NEOERR *err;
  const char *lang = req_cookie(r, "dd_lang");
  if( lang==NULL || (strcmp(lang, "en")!=0 && strcmp(lang, "zh_CN")!=0) )
    lang = conf_str(conf, "Site.Language", "zh_CN");
  HDF *src = hdf_get_obj(g_lang, lang);
  if( src==NULL ) src = hdf_get_obj(g_lang, "zh_CN");
  /* must precede cs_init(): set later it is silently ignored (PLATFORM.md) */
  if( (err = hdf_set_value(hdf, "Config.VarEscapeMode", "html")) ) return nerr_pass(err);
  /* the worker's data set keeps Langs.* across requests (req_end empties
  ** everything else); Lang is a link to the request's language */
  if( hdf_get_obj(hdf, "Langs")==NULL && (err = hdf_copy(hdf, "Langs", g_lang)) ) return nerr_pass(err);
  if( src==hdf_get_obj(g_lang, "zh_CN") ) lang = "zh_CN";
  if( (err = hdf_set_symlink(hdf, "Lang", strcmp(lang, "en")==0 ? "Langs.en" : "Langs.zh_CN")) )
    return nerr_pass(err);
  if( (err = hdf_set_value(hdf, "Lang.Code", lang)) ) return nerr_pass(err);
  if( (err = hdf_set_value(hdf, "Site.Name", conf_str(conf, "Site.Name", "")) ) ) return nerr_pass(err);
  return STATUS_OK;
}

const char *view_text(REQ *r, const char *key){
  const char *v = hdf_get_valuef(req_hdf(r), "Lang.%s", key);
  return v ? v : key;
}

void view_set_text(REQ *r, const char *name, const char *key){
  hset_str(req_hdf(r), name, view_text(r, key));
}

static NEOERR *out_string(void *ctx, char *s){
  return nerr_pass(string_append((STRING*)ctx, s));
}

NEOERR *view_render_file(HDF *hdf, const char *dir, const char *file, STRING *out){
  CSPARSE *cs = NULL;
  char path[700];
  NEOERR *err;
  snprintf(path, sizeof path, "%s/%s", dir, file);
  if( (err = hdf_set_value(hdf, "Config.VarEscapeMode", "html")) ) return nerr_pass(err);
  if( (err = hdf_set_value(hdf, "hdf.loadpaths.0", dir)) ) return nerr_pass(err);
  do{
    if( (err = cs_init(&cs, hdf)) ) break;
    if( (err = cgi_register_strfuncs(cs)) ) break;
    if( (err = cs_parse_file(cs, path)) ) break;
    err = cs_render(cs, out, out_string);
  }while(0);
  cs_destroy(&cs);
  return nerr_pass(err);
}

/* Parsed pages, per worker.  A page is layout.cs with <page>.cs included
** at parse time (include:Page.Template), so each page has its own tree;
** parsing is most of the cost of a page (reading and tokenising the
** files), rendering the tree again is cheap.  A tree is bound to the data
** set it was parsed with: the request's HDF, which lives as long as the
** worker (req_end empties it); if that HDF is ever replaced, the cache is
** dropped.  Templates are re-read when workers are recycled or reloaded. */
#define VIEW_CACHE 64
static struct { char page[64]; CSPARSE *cs; } g_cache[VIEW_CACHE];
static int g_ncache;
static HDF *g_cache_hdf;

static void cache_drop(void){
  for(int i=0; i<g_ncache; i++) cs_destroy(&g_cache[i].cs);
  g_ncache = 0;
  g_cache_hdf = NULL;
}

static NEOERR *parse_page(HDF *hdf, CSPARSE **out){
  CSPARSE *cs = NULL;
  char path[700];
  NEOERR *err;
  snprintf(path, sizeof path, "%s/layout.cs", g_tpl);
  if( (err = hdf_set_value(hdf, "hdf.loadpaths.0", g_tpl)) ) return nerr_pass(err);
  do{
    if( (err = cs_init(&cs, hdf)) ) break;
    if( (err = cgi_register_strfuncs(cs)) ) break;
    err = cs_parse_file(cs, path);
  }while(0);
  if( err ){ cs_destroy(&cs); return nerr_pass(err); }
  *out = cs;
  return STATUS_OK;
}

NEOERR *view_render(REQ *r, const char *page){
  HDF *hdf = req_hdf(r);
  NEOERR *err;
  char tpl[128];
  snprintf(tpl, sizeof tpl, "%s.cs", page);
  /* must precede cs_init(): set later it is silently ignored (PLATFORM.md) */
  if( (err = hdf_set_value(hdf, "Config.VarEscapeMode", "html")) ) return nerr_pass(err);
  if( (err = hdf_set_value(hdf, "Page.Template", tpl)) ) return nerr_pass(err);
  if( (err = hdf_set_value(hdf, "Page.Name", page)) ) return nerr_pass(err);
  /* the <title>: a handler's Page.Title, else Lang.page.<page> */
  if( hdf_get_value(hdf, "Page.Title", NULL)==NULL ){
    const char *t = hdf_get_valuef(hdf, "Lang.page.%s", page);
    if( t && (err = hdf_set_value(hdf, "Page.Title", t)) ) return nerr_pass(err);
  }
  STRING *body = req_body(r);
  string_clear(body);
  string_init(body);
  req_set_type(r, "text/html; charset=utf-8");

  if( g_cache_hdf!=hdf ) cache_drop();
  CSPARSE *cs = NULL;
  int i;
  for(i=0; i<g_ncache; i++) if( strcmp(g_cache[i].page, page)==0 ){ cs = g_cache[i].cs; break; }
  int keep = 1;
  if( cs==NULL ){
    if( (err = parse_page(hdf, &cs)) ) return nerr_pass(err);
    keep = g_ncache<VIEW_CACHE && strlen(page)<sizeof g_cache[0].page;
    if( keep ){
      snprintf(g_cache[g_ncache].page, sizeof g_cache[0].page, "%s", page);
      g_cache[g_ncache++].cs = cs;
      g_cache_hdf = hdf;
    }
  }
  err = cs_render(cs, body, out_string);
  /* a render that failed half-way may leave the tree's state behind (local
  ** variables, the macro depth): never reuse it */
  if( err && keep ){
    for(i=0; i<g_ncache && g_cache[i].cs!=cs; i++) ;
    g_cache[i] = g_cache[--g_ncache];
    keep = 0;
  }
  if( !keep ) cs_destroy(&cs);
  return nerr_pass(err);
}
