-- 008_audit_keyed.sql -- the keyed audit chain and the auditor's filters.
--
-- Records from the switch on carry an HMAC-SHA-256 (alg 2) keyed by a secret
-- file outside the database (Audit.KeyFile), over the previous record's MAC
-- and the record's canonical content (cgi-bin/core/sql/q_audit.c).  Records
-- written before the switch keep their plain SHA-256 chain (alg 1) and stay
-- verifiable; audit_head.keyed_from is the id where the chain switched, and
-- the chain-head file outside the database (Audit.HeadFile) repeats it.
-- Who acted is recorded in full (role, unit, request id) for the viewer.
-- Statements end with ';' at the end of a line.

ALTER TABLE audit_log
  ADD COLUMN alg TINYINT UNSIGNED NOT NULL DEFAULT 1 COMMENT '1 SHA-256 chain, 2 HMAC-SHA-256 (keyed)' AFTER id,
  ADD COLUMN role VARCHAR(100) NOT NULL DEFAULT '' COMMENT 'role codes the actor held' AFTER login,
  ADD COLUMN unit_id INT UNSIGNED NULL COMMENT 'the actor''s unit' AFTER role,
  ADD COLUMN unit VARCHAR(32) NOT NULL DEFAULT '' COMMENT 'its code at the time' AFTER unit_id,
  ADD COLUMN req_id VARCHAR(32) NOT NULL DEFAULT '' COMMENT 'the HTTP request (or command) that wrote it' AFTER ua,
  ADD COLUMN obj_type VARCHAR(40) AS (SUBSTRING_INDEX(object, ':', 1)) PERSISTENT,
  ADD KEY ix_audit_login (login, id),
  ADD KEY ix_audit_unit (unit_id, id),
  ADD KEY ix_audit_object (object, id),
  ADD KEY ix_audit_objtype (obj_type, id),
  ADD KEY ix_audit_result (result, id),
  ADD KEY ix_audit_ip (ip, id);

-- keyed_from: the first keyed record (NULL until the key is first used);
-- at: the last record's time (records' times never go backwards, so a time
-- range is an id range)
ALTER TABLE audit_head
  ADD COLUMN keyed_from BIGINT UNSIGNED NULL,
  ADD COLUMN at DATETIME(6) NULL;

UPDATE audit_head h SET h.at = (SELECT MAX(l.at) FROM audit_log l) WHERE h.id = 1;

-- the archives made so far: a copy of each audit.archive record, written in
-- its transaction.  The record itself may later move into a newer archive
-- (it is part of the chain like any other); this index keeps the older
-- archives known to the verifier and the viewer, and verification compares
-- each row with the record wherever it is now (the table or an archive file)
CREATE TABLE audit_archive (
  record_id  BIGINT UNSIGNED NOT NULL PRIMARY KEY COMMENT 'the audit.archive record in the chain',
  at         DATETIME(6)  NOT NULL,
  object     VARCHAR(200) NOT NULL,
  detail     TEXT         NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO audit_archive (record_id, at, object, detail)
  SELECT id, at, object, detail FROM audit_log WHERE action = 'audit.archive';
