-- 011_track.sql -- submission tracking (上报情况, 催报; dom/track.c,
-- sql/q_track.c): the reminders a dispatcher sends to a unit's clerks for
-- a form and period, and the escalations to the unit's heads when it is
-- still missing (diaodu-ctl track escalate), with who received each one.
-- Statements end with ';' at the end of a line.

-- one reminder or escalation.  seq is the n-th of its kind for the form,
-- unit and period: a reminder's POST carries the count its page showed, so
-- a double click (or two dispatchers on the same page) inserts the same
-- seq twice and the unique key keeps one; an escalation is always seq 1,
-- so escalating again is a no-op.  sent_by NULL: the server operator
-- (diaodu-ctl).  recipients: how many accounts it reached.
CREATE TABLE track_remind (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  form_id      INT UNSIGNED NOT NULL,
  org_unit_id  INT UNSIGNED NOT NULL,
  period_key   VARCHAR(16)  NOT NULL,
  period_start DATE         NOT NULL,
  kind         ENUM('remind','escalate') NOT NULL,
  seq          SMALLINT UNSIGNED NOT NULL DEFAULT 1,
  sent_by      INT UNSIGNED NULL,
  sent_at      DATETIME     NOT NULL,
  recipients   SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  UNIQUE KEY uk_remind (form_id, org_unit_id, period_key, kind, seq),
  KEY ix_remind_period (form_id, period_start),
  CONSTRAINT fk_remind_form FOREIGN KEY (form_id) REFERENCES form (id),
  CONSTRAINT fk_remind_unit FOREIGN KEY (org_unit_id) REFERENCES org_unit (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- who a reminder reached: the portal shows it to them until the unit's
-- sheet of that period is submitted
CREATE TABLE track_notice (
  user_id   INT UNSIGNED NOT NULL,
  remind_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (user_id, remind_id),
  KEY ix_notice_remind (remind_id),
  CONSTRAINT fk_notice_remind FOREIGN KEY (remind_id) REFERENCES track_remind (id),
  CONSTRAINT fk_notice_user FOREIGN KEY (user_id) REFERENCES app_user (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
