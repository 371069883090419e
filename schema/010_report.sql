-- 010_report.sql -- reports saved from the report builder (dom/report.c,
-- sql/q_report.c).  A saved report is the same HDF text as a built-in one
-- under conf/reports/; roles lists the role codes (comma-separated) whose
-- holders may run it besides its owner.  Statements end with ';' at the end
-- of a line.
CREATE TABLE report_saved (
  id          INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  owner_id    INT UNSIGNED NOT NULL,
  name        VARCHAR(100) NOT NULL,
  form_code   VARCHAR(24)  NOT NULL,
  def         TEXT         NOT NULL,
  roles       VARCHAR(200) NOT NULL DEFAULT '',
  active      TINYINT      NOT NULL DEFAULT 1,
  created_at  DATETIME     NOT NULL,
  updated_at  DATETIME     NOT NULL,
  KEY ix_report_owner (owner_id, active),
  CONSTRAINT fk_report_owner FOREIGN KEY (owner_id) REFERENCES app_user (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
