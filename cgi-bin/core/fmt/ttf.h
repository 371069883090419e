/*
** ttf.h -- which characters a TrueType font has: the Unicode cmap of a .ttf
** file or of face 0 of a .ttc collection, read from the file's table
** directory and cmap table only (a 17 MB collection is not read whole),
** as a bit set over the Basic Multilingual Plane.  pdf.c uses it to pick,
** per document, the first font of Pdf.Font that has every character the
** document draws (the cut-down font, or the full one for a rare name).
**
** Subtables understood: (3,10) format 12, (3,1) or (0,*) format 4 -- what
** every CJK TrueType font carries.  A glyph index 0 (.notdef) is "not there".
*/
#ifndef DIAODU_TTF_H
#define DIAODU_TTF_H
#include <ClearSilver.h>
#include <stddef.h>

typedef struct {
  unsigned char bits[65536 / 8];
  int count;                     /* characters covered */
} TTF_COVER;

static inline int ttf_has(const TTF_COVER *c, unsigned cp){
  return cp<65536 && (c->bits[cp >> 3] & (1u << (cp & 7)))!=0;
}

/* the coverage of a font file (face 0 of a .ttc); NERR_IO if it cannot be
** read, NERR_PARSE if it is no TrueType font with a Unicode cmap */
NEOERR *ttf_cover_file(const char *path, TTF_COVER *out);
/* the same over bytes in memory (tests, fuzzing) */
NEOERR *ttf_cover_mem(const unsigned char *data, size_t len, TTF_COVER *out);

#endif
