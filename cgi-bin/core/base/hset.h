/*
** hset.h -- HDF setters that cannot fail quietly.
**
** ClearSilver's hdf_set_* return a NEOERR that only an out-of-memory
** condition produces; ignored (as page code tends to), a value would go
** missing from a page without a trace.  These log and abort instead, as the
** arena does when memory runs out: the master replaces the worker and the
** request gets nginx's error page, never a page with a hole in it.
*/
#ifndef DIAODU_HSET_H
#define DIAODU_HSET_H
#include <ClearSilver.h>

void hset_str(HDF *h, const char *name, const char *value);
void hset_int(HDF *h, const char *name, long long value);
/* "Name.%d.field=%s" style, like hdf_set_valuef */
void hset_fmt(HDF *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
