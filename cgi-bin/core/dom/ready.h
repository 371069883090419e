/*
** ready.h -- go-live readiness (上线准备度): which units must submit forms,
** and whether each of those has an activated head and clerk.
**
** What a unit needs depends on what it does.  The company root, a unit
** whose people are all dispatchers, leaders, administrators or auditors,
** and a unit whose sub-units do the entry (no clerk of its own) submit no
** forms: they are "not required", with the reason in words, instead of
** never being ready.  The admin can say otherwise per unit (org_unit.forms).
** A unit that submits forms is ready when a head (its own, or one whose
** scope reaches down to it) and a clerk have activated.
*/
#ifndef DIAODU_READY_H
#define DIAODU_READY_H
#include "ctx.h"
#include "q_org.h"

#define READY_MAXMISS 4

typedef struct {
  const UNITROW *u;
  int depth;
  READYROW r;
  int has_head, head_active;        /* own or from above */
  int required;                     /* submits forms */
  int forced;                       /* the admin decided (forms 0/1) */
  const char *why;                  /* not required: Lang key ready.why_* */
  int ready;
  const char *missing[READY_MAXMISS];   /* Lang keys ready.miss_* */
  int nmissing;
} READY;

/* every active unit the acting admin may administer, in tree order */
NEOERR *ready_list(CTX *c, READY **out, int *n);
/* forms: -1 decide automatically, 0 no forms, 1 forms; one transaction
** with its audit record; *msg a Lang key on refusal */
NEOERR *ready_set_forms(CTX *c, long long unit_id, int forms, const char **msg);

#endif
