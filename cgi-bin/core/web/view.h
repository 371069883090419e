/*
** view.h -- pages from ClearSilver templates.
**
** Every page is templates/layout.cs wrapped around templates/<page>.cs,
** rendered from the request's HDF with Config.VarEscapeMode = html, so a
** plain <?cs var: ?> is always escaped.  Language strings are loaded once
** per worker from templates/lang/<lang>.hdf and appear under Lang.*.
*/
#ifndef DIAODU_VIEW_H
#define DIAODU_VIEW_H
#include <ClearSilver.h>
#include "req.h"

NEOERR *view_init(HDF *conf);          /* once per worker: load languages */
void view_shutdown(void);
/* prepare the request's HDF: escaping, Lang.* for the chosen language */
NEOERR *view_begin(REQ *r);
const char *view_lang(REQ *r);         /* "zh_CN" or "en" */
/* the text of Lang.<key> in the request's language (key itself if absent) */
const char *view_text(REQ *r, const char *key);
/* set HDF name to the text of Lang.<key> */
void view_set_text(REQ *r, const char *name, const char *key);
/* render page template into the reply body */
NEOERR *view_render(REQ *r, const char *page);
/* render any template file with a given HDF into a STRING (golden tests) */
NEOERR *view_render_file(HDF *hdf, const char *dir, const char *file, STRING *out);

#endif
