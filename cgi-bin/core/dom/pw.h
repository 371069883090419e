/*
** pw.h -- passwords: argon2id hashes (libsodium) and the password policy.
**
** The default policy meets 等保2.0 level 3: at least 8 characters with 3
** of the 4 classes (lower, upper, digit, symbol), not containing the
** account name, not on the common-password list; an optional maximum age.
*/
#ifndef DIAODU_PW_H
#define DIAODU_PW_H
#include <ClearSilver.h>

#define PW_HASH_MAX 128

NEOERR *pw_init(HDF *conf);                  /* sodium_init + common list */
void pw_shutdown(void);
/* argon2id, libsodium's interactive limits (or Password.Ops/MemKiB) */
NEOERR *pw_hash(const char *password, char out[PW_HASH_MAX]);
/* 1 if password matches; 0 otherwise (including a malformed hash) */
int pw_verify(const char *hash, const char *password);
/* burn the time of one verify, for unknown accounts */
void pw_verify_dummy(const char *password);
/* NULL when the password meets the policy, else a Lang.pw.* key */
const char *pw_policy_check(HDF *conf, const char *login, const char *password);
/* a random password that meets the default policy (activation, set-up) */
void pw_random(char *out, size_t len);

#endif
