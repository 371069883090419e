-- 006_forms.sql -- forms as data: the registry of applied form definitions
-- (written by diaodu-ctl forms apply as the owner account; the application
-- only reads it), and the common entry table every form's generated tables
-- (f_<code> for the header, f_<code>_r for the rows, made by the DDL module)
-- hang off.  Statements end with ';' at the end of a line.

-- one row per form: the definition as applied (its text, so every worker
-- reads exactly what the tables were made from)
CREATE TABLE form (
  id          INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code        VARCHAR(32)   NOT NULL,
  name        VARCHAR(100)  NOT NULL,
  name_en     VARCHAR(100)  NULL,
  version     INT UNSIGNED  NOT NULL,
  period      ENUM('day','shift','week','month') NOT NULL,
  units       VARCHAR(1000) NOT NULL DEFAULT '' COMMENT 'submitting units: codes, comma-separated',
  unit_kinds  VARCHAR(100)  NOT NULL DEFAULT '' COMMENT 'or unit kinds: company,dept,team',
  opens_min   INT           NOT NULL DEFAULT 0 COMMENT 'window opens: minutes after the period starts',
  cutoff_min  INT           NOT NULL DEFAULT 0 COMMENT 'late after: minutes after the period ends',
  closes_min  INT           NOT NULL DEFAULT 0 COMMENT 'closed after (0 never): minutes after the period ends',
  active      TINYINT       NOT NULL DEFAULT 1,
  file        VARCHAR(255)  NOT NULL,
  source      MEDIUMTEXT    NOT NULL,
  source_hash CHAR(64)      NOT NULL,
  applied_at  DATETIME      NOT NULL,
  created_at  DATETIME      NOT NULL COMMENT 'first applied: periods that ended before it are history',
  UNIQUE KEY uk_form_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- every field a form ever had: a removed field stays (active 0) with its
-- column and data, and its type can never change
CREATE TABLE form_field (
  id              INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  form_id         INT UNSIGNED NOT NULL,
  code            VARCHAR(64)  NOT NULL,
  part            ENUM('header','row') NOT NULL,
  type            VARCHAR(16)  NOT NULL,
  prec            TINYINT UNSIGNED NOT NULL DEFAULT 0,
  scale           TINYINT UNSIGNED NOT NULL DEFAULT 0,
  label           VARCHAR(100) NOT NULL,
  sort            INT          NOT NULL DEFAULT 0,
  active          TINYINT      NOT NULL DEFAULT 1,
  added_version   INT UNSIGNED NOT NULL,
  removed_version INT UNSIGNED NULL,
  UNIQUE KEY uk_form_field (form_id, code),
  CONSTRAINT fk_field_form FOREIGN KEY (form_id) REFERENCES form (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- the versions applied, with their text (the admin pages list them)
CREATE TABLE form_version (
  form_id     INT UNSIGNED NOT NULL,
  version     INT UNSIGNED NOT NULL,
  source_hash CHAR(64)     NOT NULL,
  source      MEDIUMTEXT   NOT NULL,
  added       VARCHAR(1000) NOT NULL DEFAULT '',
  removed     VARCHAR(1000) NOT NULL DEFAULT '',
  applied_at  DATETIME     NOT NULL,
  PRIMARY KEY (form_id, version),
  CONSTRAINT fk_version_form FOREIGN KEY (form_id) REFERENCES form (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- one sheet of a form for a unit and a period.  cur is 1 for the current
-- revision and NULL for a superseded one, so the unique key allows exactly
-- one current sheet per form, unit and period, enforced by the database.
CREATE TABLE entry (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  form_id      INT UNSIGNED NOT NULL,
  org_unit_id  INT UNSIGNED NOT NULL,
  period_key   VARCHAR(16)  NOT NULL COMMENT '2026-11-30, 2026-11-30#2, 2026-W49, 2026-11',
  period_start DATE         NOT NULL,
  revision     SMALLINT UNSIGNED NOT NULL DEFAULT 1,
  cur          TINYINT      NULL DEFAULT 1,
  status       ENUM('draft','submitted','returned','approved') NOT NULL DEFAULT 'draft',
  late         TINYINT      NOT NULL DEFAULT 0,
  form_version INT UNSIGNED NOT NULL,
  nrows        INT          NOT NULL DEFAULT 0,
  version      INT UNSIGNED NOT NULL DEFAULT 1 COMMENT 'optimistic lock: +1 on every change',
  created_by   INT UNSIGNED NOT NULL,
  created_at   DATETIME     NOT NULL,
  updated_by   INT UNSIGNED NOT NULL,
  updated_at   DATETIME     NOT NULL,
  submitted_by INT UNSIGNED NULL,
  submitted_at DATETIME     NULL,
  decided_by   INT UNSIGNED NULL,
  decided_at   DATETIME     NULL,
  reason       VARCHAR(500) NULL COMMENT 'why it was returned',
  UNIQUE KEY uk_entry_current (form_id, org_unit_id, period_key, cur),
  KEY ix_entry_form (form_id, period_start, id),
  KEY ix_entry_unit (org_unit_id, period_start, id),
  KEY ix_entry_period (period_start, id),
  KEY ix_entry_key (period_key, org_unit_id),
  CONSTRAINT fk_entry_form FOREIGN KEY (form_id) REFERENCES form (id),
  CONSTRAINT fk_entry_unit FOREIGN KEY (org_unit_id) REFERENCES org_unit (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- one-time form tokens: a POST that carries a token already used shows the
-- first one's outcome instead of doing it again (double clicks, resent
-- forms, the back button)
CREATE TABLE entry_token (
  user_id    INT UNSIGNED NOT NULL,
  token      CHAR(43)     NOT NULL,
  entry_id   BIGINT UNSIGNED NULL,
  outcome    VARCHAR(16)  NOT NULL DEFAULT '',
  created_at DATETIME     NOT NULL,
  PRIMARY KEY (user_id, token),
  KEY ix_token_at (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- a closed period opened again for one unit by a dispatcher, with the reason
CREATE TABLE entry_reopen (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  form_id     INT UNSIGNED NOT NULL,
  org_unit_id INT UNSIGNED NOT NULL,
  period_key  VARCHAR(16)  NOT NULL,
  reason      VARCHAR(500) NOT NULL,
  user_id     INT UNSIGNED NOT NULL,
  created_at  DATETIME     NOT NULL,
  until_at    DATETIME     NOT NULL,
  KEY ix_reopen (form_id, org_unit_id, period_key, until_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
