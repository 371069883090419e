-- 005_import_mapping.sql -- going live with the customer's own spreadsheets:
-- remembered column and role-word mappings, uploads waiting for their
-- mapping, auditor grants that wait for their holder, units that submit no
-- forms.

-- the column mapping an admin confirmed for a header row: the next file
-- with the same titles in the same order is read the same way
CREATE TABLE import_mapping (
  kind        VARCHAR(40)  NOT NULL COMMENT 'units | users | base:<kind code>',
  header_key  CHAR(64)     NOT NULL COMMENT 'SHA-256 of the normalised header cells (imap.c)',
  header      TEXT         NOT NULL COMMENT 'the header row as read, for the record',
  mapping     TEXT         NOT NULL COMMENT 'per column: a field key, - ignored, + a new field',
  updated_by  INT UNSIGNED NOT NULL,
  updated_at  DATETIME     NOT NULL,
  PRIMARY KEY (kind, header_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- the customer's words for roles (科长, 班长 ...) mapped once to a built-in
-- role, applied to every row of every later file
CREATE TABLE import_role_word (
  word        VARCHAR(64)  NOT NULL PRIMARY KEY,
  role        VARCHAR(40)  NOT NULL COMMENT 'a role code, auditor+pending, or - (no role)',
  updated_by  INT UNSIGNED NOT NULL,
  updated_at  DATETIME     NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- an uploaded file whose dry run found something to map or fix: kept so
-- that the mapping chosen on the page is checked without a new upload
-- (a file that passes becomes an import_batch)
CREATE TABLE import_upload (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind        VARCHAR(40)  NOT NULL,
  filename    VARCHAR(255) NOT NULL,
  content     MEDIUMBLOB   NOT NULL,
  user_id     INT UNSIGNED NOT NULL,
  created_at  DATETIME     NOT NULL,
  KEY ix_upload_user (user_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- the mapping a dry run used, so that confirming applies exactly what the
-- preview showed
ALTER TABLE import_batch ADD COLUMN options TEXT NULL COMMENT 'column mapping and role words of the dry run';

-- 三员分立: an auditor grant imported for an account its holder has not
-- activated yet takes effect when the holder activates with a code that
-- only the server operator issued (diaodu-ctl activation-code)
CREATE TABLE pending_grant (
  id          INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id     INT UNSIGNED NOT NULL,
  role_id     INT UNSIGNED NOT NULL,
  org_unit_id INT UNSIGNED NOT NULL,
  scope       ENUM('unit','subtree','all') NOT NULL DEFAULT 'unit',
  created_by  INT UNSIGNED NOT NULL,
  created_at  DATETIME     NOT NULL,
  UNIQUE KEY uk_pending (user_id, role_id, org_unit_id),
  CONSTRAINT fk_pg_user FOREIGN KEY (user_id) REFERENCES app_user (id),
  CONSTRAINT fk_pg_role FOREIGN KEY (role_id) REFERENCES role (id),
  CONSTRAINT fk_pg_unit FOREIGN KEY (org_unit_id) REFERENCES org_unit (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- does the unit submit forms?  NULL: decided from its place and accounts
-- (the company root, units of dispatchers or administrators only, and
-- units whose sub-units do the entry do not); 1 or 0: the admin said so
ALTER TABLE org_unit ADD COLUMN forms TINYINT NULL COMMENT 'submits forms: NULL automatic, 1 yes, 0 no';
