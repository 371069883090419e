-- 001_core.sql -- organisation, accounts, roles, sessions, login throttling, audit.
-- Instants are DATETIME in UTC (the application's session time_zone is +00:00);
-- they are shown in the company's zone (Site.TimeZone).

CREATE TABLE org_unit (
  id         INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  parent_id  INT UNSIGNED NULL,
  code       VARCHAR(32)  NOT NULL COMMENT 'the customer''s own code, leading zeros kept',
  name       VARCHAR(100) NOT NULL,
  kind       VARCHAR(16)  NOT NULL DEFAULT 'dept' COMMENT 'company | dept | team',
  path       VARCHAR(512) NOT NULL DEFAULT '/' COMMENT 'materialised path /1/5/12/ for subtree scope',
  sort       INT          NOT NULL DEFAULT 0,
  active     TINYINT      NOT NULL DEFAULT 1,
  created_at DATETIME     NOT NULL,
  updated_at DATETIME     NOT NULL,
  version    INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY uk_org_code (code),
  KEY ix_org_parent (parent_id, sort),
  KEY ix_org_path (path(191)),
  CONSTRAINT fk_org_parent FOREIGN KEY (parent_id) REFERENCES org_unit (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- caps is a bit set (see cgi-bin/core/auth.h): 1 entry, 2 approve, 4 dispatch,
-- 8 report, 16 admin, 32 audit
CREATE TABLE role (
  id       INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code     VARCHAR(32)  NOT NULL,
  name_zh  VARCHAR(64)  NOT NULL,
  name_en  VARCHAR(64)  NOT NULL,
  caps     INT UNSIGNED NOT NULL,
  sort     INT          NOT NULL DEFAULT 0,
  builtin  TINYINT      NOT NULL DEFAULT 1,
  UNIQUE KEY uk_role_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO role (code, name_zh, name_en, caps, sort) VALUES
  ('clerk',      '录入员',     'Clerk',        1, 10),
  ('head',       '审核人',     'Head',         2, 20),
  ('dispatcher', '调度员',     'Dispatcher',  14, 30),
  ('leader',     '领导',       'Leader',       8, 40),
  ('admin',      '系统管理员', 'Administrator', 16, 50),
  ('auditor',    '审计员',     'Auditor',     32, 60);

CREATE TABLE app_user (
  id              INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  login           VARCHAR(64)  NOT NULL,
  name            VARCHAR(64)  NOT NULL,
  org_unit_id     INT UNSIGNED NOT NULL,
  phone           VARCHAR(32)  NULL,
  pw_hash         VARCHAR(128) NULL COMMENT 'argon2id (libsodium); NULL until activated',
  must_change     TINYINT      NOT NULL DEFAULT 1,
  pw_changed_at   DATETIME     NULL,
  activation_hash BINARY(32)   NULL COMMENT 'SHA-256 of a one-time activation code',
  activation_expires DATETIME  NULL,
  active          TINYINT      NOT NULL DEFAULT 1,
  last_login_at   DATETIME     NULL,
  created_at      DATETIME     NOT NULL,
  updated_at      DATETIME     NOT NULL,
  version         INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY uk_user_login (login),
  KEY ix_user_unit (org_unit_id),
  CONSTRAINT fk_user_unit FOREIGN KEY (org_unit_id) REFERENCES org_unit (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE user_role (
  id          INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id     INT UNSIGNED NOT NULL,
  role_id     INT UNSIGNED NOT NULL,
  org_unit_id INT UNSIGNED NOT NULL COMMENT 'the unit the grant is for',
  scope       ENUM('unit','subtree','all') NOT NULL DEFAULT 'unit',
  UNIQUE KEY uk_user_role (user_id, role_id, org_unit_id),
  CONSTRAINT fk_ur_user FOREIGN KEY (user_id) REFERENCES app_user (id),
  CONSTRAINT fk_ur_role FOREIGN KEY (role_id) REFERENCES role (id),
  CONSTRAINT fk_ur_unit FOREIGN KEY (org_unit_id) REFERENCES org_unit (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- only a SHA-256 of the 32-byte random token is stored
CREATE TABLE session (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash   BINARY(32)   NOT NULL,
  user_id      INT UNSIGNED NOT NULL,
  csrf         CHAR(43)     NOT NULL,
  created_at   DATETIME     NOT NULL,
  last_seen_at DATETIME     NOT NULL,
  ip           VARCHAR(45)  NOT NULL,
  ua           VARCHAR(255) NOT NULL,
  UNIQUE KEY uk_session_token (token_hash),
  KEY ix_session_user (user_id),
  KEY ix_session_seen (last_seen_at),
  CONSTRAINT fk_session_user FOREIGN KEY (user_id) REFERENCES app_user (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- failed-login counters, keyed 'u:<login>' (whether or not the account
-- exists, so a lock never tells) and 'ip:<address>'
CREATE TABLE login_lock (
  lock_key     VARCHAR(120) NOT NULL PRIMARY KEY,
  failures     INT UNSIGNED NOT NULL DEFAULT 0,
  locked_until DATETIME     NULL,
  updated_at   DATETIME     NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- append-only, hash-chained: hash = SHA-256 over prev_hash and the fields
-- (cgi-bin/core/q_audit.c).  The application account may INSERT and SELECT
-- here, nothing else; audit_head serialises appends.
CREATE TABLE audit_log (
  id        BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  at        DATETIME(6)  NOT NULL,
  user_id   INT UNSIGNED NULL,
  login     VARCHAR(64)  NOT NULL,
  ip        VARCHAR(45)  NOT NULL,
  ua        VARCHAR(255) NOT NULL,
  action    VARCHAR(40)  NOT NULL,
  object    VARCHAR(200) NOT NULL,
  result    VARCHAR(16)  NOT NULL,
  detail    MEDIUMTEXT   NOT NULL,
  prev_hash CHAR(64)     NOT NULL,
  hash      CHAR(64)     NOT NULL,
  KEY ix_audit_at (at),
  KEY ix_audit_user (user_id, id),
  KEY ix_audit_action (action, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE audit_head (
  id   TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  seq  BIGINT UNSIGNED  NOT NULL,
  hash CHAR(64)         NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, REPEAT('0', 64));
