/*
** trackctl.c -- `diaodu-ctl track ...`, submission tracking from the
** command line (ctl.c dispatches here):
**
**   diaodu-ctl -c CONF track escalate [--at "YYYY-MM-DD HH:MM:SS"] [FORM]
**        every unit whose sheet of a period is still not submitted
**        Track.EscalateMinutes after the form's cut-off is escalated to its
**        heads (their portal shows it; the matrix and the due list show
**        when).  Run it from cron (every 10 minutes, say): a unit, form and
**        period is escalated once, so running it again does nothing new.
**        --at: as if it were that instant (UTC), for tests and catching up;
**        FORM: that form only.
*/
#include "trackctl.h"
#include "track.h"
#include <stdio.h>
#include <string.h>

NEOERR *trackctl(CTX *c, int argc, char **argv){
  if( argc>=1 && strcmp(argv[0], "escalate")==0 ){
    const char *form = NULL;
    for(int i=1; i<argc; i++){
      if( strcmp(argv[i], "--at")==0 && i + 1<argc ){
        if( day_utc_parse(argv[++i], &c->now) ) return nerr_raise(NERR_ASSERT, "--at wants \"YYYY-MM-DD HH:MM:SS\" (UTC)");
      }else if( form==NULL && argv[i][0]!='-' ) form = argv[i];
      else return nerr_raise(NERR_ASSERT, "track escalate [--at \"YYYY-MM-DD HH:MM:SS\"] [FORM]");
    }
    int n, none;
    long long heads;
    NEOERR *err = track_escalate(c, form, &n, &heads, &none);
    if( !err ) printf("track: %d escalated to the units' heads (%lld notices; %d units without a head)\n", n, heads, none);
    return nerr_pass(err);
  }
  return nerr_raise(NERR_ASSERT, "track escalate [--at \"YYYY-MM-DD HH:MM:SS\"] [FORM]");
}
