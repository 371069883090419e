/*
** q_track.h -- the SQL of submission tracking (dom/track.c): the units a
** reader reaches, the current sheets of a form over a range of periods,
** the reminders and escalations sent (track_remind) and who received them
** (track_notice), and the portal's reminders.
**
** Scope is in SQL: every read that lists units or sheets takes the acting
** user and capabilities and applies Q_SCOPE (sql/q_scope.h); user 0 (the
** server operator, or a reader whose grant reaches everything) reads all.
*/
#ifndef DIAODU_Q_TRACK_H
#define DIAODU_Q_TRACK_H
#include "db.h"

typedef struct {
  long long id, parent_id;
  const char *code, *name, *kind, *path;
  int sort;
} QTUNIT;
/* active units the user reaches with caps; under: only that unit's path
** and below ("" every one) */
NEOERR *q_track_units(DB *db, long long user, unsigned caps, const char *under, QTUNIT **out, int *n);

typedef struct {
  long long unit_id, id;
  const char *period_key, *status, *submitted_at;
  int late;
} QTSHEET;
/* the current sheets of a form with period_start in [from, to]: of every
** unit (units NULL), or of the units of a JSON array of ids ("[12,13]"),
** read before with Q_SCOPE (q_track_units) -- each unit's sheets along
** ix_entry_unit, the scope not tested again per sheet */
NEOERR *q_track_sheets(DB *db, long long form_id, const char *from, const char *to, const char *units,
                       QTSHEET **out, int *n);

typedef struct {
  long long id, unit_id;
  const char *period_key, *kind, *sent_at, *sender;   /* sender "" : the system */
  int seq, recipients;
} QTREMIND;
/* the reminders and escalations of a form with period_start in [from, to]
** (every unit, or the units of a JSON array of ids), in the order they were sent */
NEOERR *q_track_reminds(DB *db, long long form_id, const char *from, const char *to, const char *units,
                        QTREMIND **out, int *n);
/* the reminders of kind already sent for a form, unit and period */
NEOERR *q_track_count(DB *db, long long form_id, long long unit_id, const char *period_key, const char *kind,
                      long long *n);
/* a new one; a duplicate seq comes back as the database's "duplicate" */
NEOERR *q_track_add(DB *db, long long form_id, long long unit_id, const char *period_key, const char *period_start,
                    const char *kind, int seq, long long sent_by, const char *at, long long *id);
/* its recipients: the active accounts holding role (clerk, head) on the
** unit itself or on a unit above it with scope subtree; *n how many */
NEOERR *q_track_notify(DB *db, long long remind_id, long long unit_id, const char *role, long long *n);
/* the sheet's state for the refusal "already submitted" ("" none) */
NEOERR *q_track_status(DB *db, long long form_id, long long unit_id, const char *period_key,
                       const char **status);

/* the portal: reminders to the user since an instant whose sheet is still
** not submitted (none, draft or returned), newest first */
typedef struct {
  long long id, form_id, unit_id, entry_id;
  const char *kind, *sent_at, *sender, *form_code, *form_name, *form_name_en, *unit_name, *period_key, *status;
} QTNOTE;
NEOERR *q_track_portal(DB *db, long long user, const char *since, int limit, QTNOTE **out, int *n);

#endif
