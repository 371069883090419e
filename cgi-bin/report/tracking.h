/*
** tracking.h -- the pages of submission tracking (上报情况, 催报) in the
** report executable (tracking.c); report.c's route table has their rows
** (caps: TRACK_READ, TRACK_DUE, TRACK_SEND of dom/track.h):
**
**   GET  /report/track          the matrix of a form: units x periods
**   GET  /report/track/due      who has not submitted yet (催报)
**   POST /report/track/remind   remind a unit's clerks (dispatchers)
*/
#ifndef DIAODU_TRACKING_H
#define DIAODU_TRACKING_H
#include "app.h"
#include "track.h"

NEOERR *tracking_matrix(REQ *r);
NEOERR *tracking_due(REQ *r);
NEOERR *tracking_remind(REQ *r);

#endif
