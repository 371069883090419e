-- 003_ddl.sql -- the journal of generated DDL (cgi-bin/core/dom/ddl.c).
-- MariaDB commits DDL implicitly, so each change is recorded as planned
-- before it runs and as applied or failed after: a change cut short (a
-- crash between two ALTERs) is found and finished or reported on the next
-- run.  Written by the owner account; the application may only read it.
-- Statements of a migration end with ';' at the end of a line (db.h).

CREATE TABLE ddl_change (
  id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind       ENUM('create','add_column','add_index') NOT NULL,
  tbl        VARCHAR(64)  NOT NULL,
  obj        VARCHAR(64)  NOT NULL DEFAULT '' COMMENT 'the column or index; empty for create',
  statement  TEXT         NOT NULL,
  stmt_hash  CHAR(64)     NOT NULL COMMENT 'SHA-256 of statement, checked before a re-run',
  state      ENUM('planned','applied','failed') NOT NULL,
  error      VARCHAR(1000) NULL,
  planned_at DATETIME     NOT NULL,
  done_at    DATETIME     NULL,
  KEY ix_ddl_state (state, id),
  KEY ix_ddl_target (tbl, obj, kind, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
