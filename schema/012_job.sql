-- 012_job.sql -- background jobs (dom/job.c, sql/q_job.c, the runner
-- diaodu-runner) and the leadership reports' archive (报表归档).
-- Statements end with ';' at the end of a line.

-- One row per job.  A job belongs to the account that queued it (user_id;
-- NULL for the runner's own schedule: archive reports) and runs with that
-- account's grants.  state: queued -> running -> done | failed | cancelled;
-- a done job's file is removed after Jobs.KeepHours (expired).
-- A runner claims a queued job with a conditional UPDATE that sets a fresh
-- claim token (the fence: every later write names it, so a runner whose job
-- was taken back cannot write over it), attempts + 1 and a lease; it
-- renews the lease with each progress report (beats + 1, so the UPDATE
-- always changes the row and its affected count says whether it still holds it).  A running job whose lease
-- has passed (its runner crashed, was killed or hangs) is queued again while
-- attempts < max_attempts, else failed with the reason "interrupted".
CREATE TABLE job (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id      INT UNSIGNED NULL,
  kind         VARCHAR(20)  NOT NULL,
  title        VARCHAR(200) NOT NULL,
  args         TEXT         NOT NULL,
  state        ENUM('queued','running','done','failed','cancelled','expired') NOT NULL DEFAULT 'queued',
  progress     TINYINT UNSIGNED NOT NULL DEFAULT 0,
  phase        VARCHAR(40)  NOT NULL DEFAULT '',
  attempts     TINYINT UNSIGNED NOT NULL DEFAULT 0,
  max_attempts TINYINT UNSIGNED NOT NULL DEFAULT 3,
  claim        CHAR(32)     NULL,
  runner       VARCHAR(100) NULL,
  lease_until  DATETIME     NULL,
  created_at   DATETIME     NOT NULL,
  started_at   DATETIME     NULL,
  beat_at      DATETIME     NULL,
  beats        INT UNSIGNED NOT NULL DEFAULT 0,
  finished_at  DATETIME     NULL,
  reason       VARCHAR(200) NULL,
  file_name    VARCHAR(200) NULL,
  file_type    VARCHAR(100) NULL,
  file_path    VARCHAR(200) NULL,
  file_size    BIGINT UNSIGNED NULL,
  file_sha256  CHAR(64)     NULL,
  nrows        BIGINT UNSIGNED NULL,
  KEY ix_job_queue (state, id),
  KEY ix_job_lease (state, lease_until),
  KEY ix_job_user (user_id, id),
  KEY ix_job_done (state, finished_at),
  CONSTRAINT fk_job_user FOREIGN KEY (user_id) REFERENCES app_user (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The archive: one row per report, kind of period, period and unit, made
-- once (the unique key: a second run for the same period finds the row and
-- does nothing).  The PDF is kept under Jobs.Dir/archive for good, with its
-- SHA-256; state follows the job that makes it.
CREATE TABLE report_archive (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  report       VARCHAR(64)  NOT NULL,
  title        VARCHAR(200) NOT NULL,
  period_kind  ENUM('week','month') NOT NULL,
  period_key   VARCHAR(16)  NOT NULL,
  period_start DATE         NOT NULL,
  period_end   DATE         NOT NULL,
  org_unit_id  INT UNSIGNED NOT NULL,
  state        ENUM('queued','done','failed') NOT NULL DEFAULT 'queued',
  job_id       BIGINT UNSIGNED NULL,
  created_at   DATETIME     NOT NULL,
  finished_at  DATETIME     NULL,
  file_path    VARCHAR(200) NULL,
  file_size    BIGINT UNSIGNED NULL,
  file_sha256  CHAR(64)     NULL,
  nrows        BIGINT UNSIGNED NULL,
  reason       VARCHAR(200) NULL,
  UNIQUE KEY uk_archive (report, period_kind, period_key, org_unit_id),
  KEY ix_archive_period (period_kind, period_start),
  CONSTRAINT fk_archive_unit FOREIGN KEY (org_unit_id) REFERENCES org_unit (id),
  CONSTRAINT fk_archive_job FOREIGN KEY (job_id) REFERENCES job (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
