/*
** q_imp.h -- SQL for going live with the customer's own files: remembered
** column mappings and role words, uploads waiting for their mapping, the
** options a batch was checked with, and auditor grants that wait for their
** holder's activation.
*/
#ifndef DIAODU_Q_IMP_H
#define DIAODU_Q_IMP_H
#include "db.h"

/* the remembered mapping of a header row (*mapping NULL if none) */
NEOERR *q_mapping_get(DB *db, const char *kind, const char *header_key, const char **mapping);
NEOERR *q_mapping_put(DB *db, const char *kind, const char *header_key, const char *header,
                      const char *mapping, long long user_id);

/* every remembered role word: words[i] -> roles[i] (a role code,
** "auditor+pending" or "-") */
NEOERR *q_role_words(DB *db, const char ***words, const char ***roles, int *n);
NEOERR *q_role_word_put(DB *db, const char *word, const char *role, long long user_id);

/* an upload kept for its mapping step; older ones of the same admin go */
NEOERR *q_upload_insert(DB *db, const char *kind, const char *filename, const char *content,
                        size_t len, long long user_id, long long *id);
/* the upload if it belongs to user_id */
NEOERR *q_upload_get(DB *db, long long id, long long user_id, const char **kind,
                     const char **filename, const char **content, size_t *len, int *found);
NEOERR *q_upload_delete(DB *db, long long id);

/* the options a batch's dry run used (NULL if none) */
NEOERR *q_batch_options_set(DB *db, long long batch_id, const char *options);
NEOERR *q_batch_options(DB *db, long long batch_id, const char **options);

/* every role grant, for comparing an account's roles with a file's */
typedef struct {
  long long user_id;
  const char *role, *unit_code, *unit_name, *scope;
} GRANTROW;
NEOERR *q_grants_all(DB *db, GRANTROW **rows, int *n);

/* auditor grants waiting for the holder's activation */
NEOERR *q_pending_add(DB *db, long long user_id, long long role_id, long long unit_id,
                      const char *scope, long long created_by);
/* <prefix>.<i>.{role_zh,role_en,unit_code,unit_name,scope} */
NEOERR *q_pending_hdf(DB *db, long long user_id, HDF *out, const char *prefix, int *n);
NEOERR *q_pending_count(DB *db, long long user_id, long long *n);
/* the account's pending grants become grants; *n how many */
NEOERR *q_pending_apply(DB *db, long long user_id, long long *n);
/* the account can no longer be activated with a code an admin has seen */
NEOERR *q_activation_revoke(DB *db, long long user_id);

#endif
