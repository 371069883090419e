/*
** q_scope.h -- data scope in SQL, over ALL of a user's grants.
**
** Q_SCOPE(o) is a condition on the org_unit row aliased o: "the user may use
** the capability on a record of unit o", with the same rules as
** auth_unit_ok() (base/auth.c): a grant with scope all reaches every unit
** (and records without a unit), subtree reaches the unit and everything
** below it by materialised path, unit reaches the unit itself.  It takes
** three parameters, "iii": the user id (0: the server operator, who
** reaches everything), the same id again, and the capability bits.
** Lists page in SQL with it instead of filtering whole tables in C.
*/
#ifndef DIAODU_Q_SCOPE_H
#define DIAODU_Q_SCOPE_H

#define Q_SCOPE(o) \
  "(? = 0 OR EXISTS(SELECT 1 FROM user_role sg JOIN role sr ON sr.id = sg.role_id" \
  " JOIN org_unit su ON su.id = sg.org_unit_id" \
  " WHERE sg.user_id = ? AND (sr.caps & ?) <> 0 AND (sg.scope = 'all'" \
  "   OR (sg.scope = 'subtree' AND " o ".path LIKE CONCAT(su.path, '%'))" \
  "   OR (sg.scope = 'unit' AND " o ".id = su.id))))"
#define Q_SCOPE_FMT "iii"

#endif
