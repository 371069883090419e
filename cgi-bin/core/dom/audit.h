/*
** audit.h -- what makes the audit log evidence: the key, the chain head
** kept outside the database, verification, and archives.
**
** The key (Audit.KeyFile) is a file of 64 hex digits, mode 0600, created
** once by the set-up (audit_key_create) and never again: with keyed
** records in the database a missing key is an error, not a reason to make
** a new one.  Workers, diaodu-ctl and the C tests load it with audit_init.
**
** The chain head (Audit.HeadFile) is a file the database cannot reach:
** audit_anchor appends the last record's id and MAC and the switch point
** to it (and to syslog) -- periodically (diaodu-ctl anchor-audit from the
** run command or a systemd timer), after the set-up and at each archive --
** so a tail that was cut off, or rewritten, is found even when the rows
** left behind chain correctly.
**
** audit_verify walks the chain from its first stored record (or from the
** last archive's final MAC) and reports "intact up to record N at time T"
** or the first break and how:
**   changed    a record's content or MAC is not what was written (a record
**              edited in place, or a tail re-computed without the key);
**   missing    records were deleted from the middle (a gap in the ids);
**   inserted   a record was put in (the following ones renumbered);
**   truncated  the newest records are gone (the head row or the head file
**              knows a later record than the table holds);
**   switch     the point where the chain became keyed was moved.
**
** Archives: audit_archive moves the records older than a cut-off into a
** gzip file of JSON lines under Audit.ArchiveDir, checks the file re-reads
** and verifies, records its SHA-256 and range in the chain (action
** audit.archive), and only then deletes the rows -- through an owner
** connection, since the application's account may not delete.  An archive
** is verified by its hash and its own chain, and read by the viewer.
*/
#ifndef DIAODU_AUDIT_H
#define DIAODU_AUDIT_H
#include "ctx.h"
#include "q_audit.h"

NEOERR *audit_init(HDF *conf);
/* the set-up: make the key file if there is none and the chain has not
** switched yet (*created = 1), else load it; the first keyed record is
** written by the next append */
NEOERR *audit_key_create(CTX *c, int *created);

/* write the committed chain head to the head file and syslog */
NEOERR *audit_anchor(CTX *c, const char *why, AUDIT_HEAD *h);

typedef struct {
  long long records;         /* records verified in the database */
  long long first, last;     /* first and last intact id (0: none) */
  const char *last_at;       /* UTC time of the last intact record */
  long long keyed_from;      /* first keyed record (0: the chain has not switched) */
  int anchors;               /* head-file lines compared */
  long long bad_id;          /* 0: intact */
  const char *how;           /* changed missing inserted truncated switch */
  long long bad_to;          /* missing, truncated: the last id that is gone */
  int archives, archives_bad;
  const char *archive_bad;   /* the first bad archive's range "1-500" */
  const char *archive_why;   /* "missing" "hash" "chain" "index" (the archive index
                             ** disagrees with the chain), "gap" (an archive is no longer listed) */
} AUDIT_CHECK;

NEOERR *audit_verify(CTX *c, AUDIT_CHECK *v);
/* one line of text for diaodu-ctl and the log */
const char *audit_check_text(ARENA *a, const AUDIT_CHECK *v);

typedef struct {
  long long first, last, records;
  const char *file, *sha256;
} AUDIT_ARCHIVED;

/* archive every record written before before_utc ("YYYY-MM-DD HH:MM:SS");
** owner is a connection that may delete from audit_log.  *msg: a refusal
** (audit.archive_broken when the chain is not intact, audit.archive_none
** when nothing is that old, audit.archive_done when an archive was already
** made for that cut or a later one: running it twice archives once) */
NEOERR *audit_archive(CTX *c, DB *owner, const char *before_utc, AUDIT_ARCHIVED *out,
                      const char **msg);

/* an archive as the chain recorded it */
typedef struct {
  long long record_id;       /* the audit.archive record */
  long long first, last, records, keyed_from;
  const char *file, *sha256, *prev, *last_mac;
  const char *before;        /* the cut it was made for ("" before cuts were recorded) */
  int moved;                 /* its record moved into a newer archive: read from the index */
  int index_bad;             /* the index's copy differs from the record in the table */
} AUDIT_ARCHIVE;

NEOERR *audit_archive_get(CTX *c, long long record_id, AUDIT_ARCHIVE *ar, int *found);
/* is the file there, with the recorded hash, and does its chain verify?
** *why NULL when it does, else missing, hash or chain */
NEOERR *audit_archive_check(CTX *c, const AUDIT_ARCHIVE *ar, const char **why);
/* the archive's records that match f (login, action, object, result, ip;
** before as keyset), newest first, at most limit, into rows */
NEOERR *audit_archive_rows(CTX *c, const AUDIT_ARCHIVE *ar, const AUDIT_FILTER *f, int limit,
                           AUDIT_ROW **rows, int *n);

#endif
