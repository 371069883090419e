-- 007_flow.sql -- the approval flow (dom/flow.c, sql/q_flow.c): where each
-- submitted sheet stands in its chain, the chain in force recorded on the
-- sheet when it is first submitted, the history of every action, the roles
-- informed (抄送), and stand-ins.  Statements end with ';' at the end of a line.

-- entry gains its place in the chain.  step is the step waiting (1..nsteps)
-- while the sheet is submitted, 0 otherwise; nsteps is NULL until the chain
-- is recorded.  state_at is when it reached its step (or was returned),
-- due_at when that becomes overdue (a step waiting too long; a returned sheet
-- not fixed in time).  assignee_id: transferred to one approver (转交).
-- counted is 1 on the latest approved revision of a form, unit and period,
-- NULL on every other one: reports count counted = 1 (the unique key keeps
-- it to one).  prev_id: the revision a correction (更正) started from.
ALTER TABLE entry
  ADD COLUMN step        TINYINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN nsteps      TINYINT UNSIGNED NULL,
  ADD COLUMN state_at    DATETIME NULL,
  ADD COLUMN due_at      DATETIME NULL,
  ADD COLUMN assignee_id INT UNSIGNED NULL,
  ADD COLUMN counted     TINYINT NULL,
  ADD COLUMN prev_id     BIGINT UNSIGNED NULL,
  ADD KEY ix_entry_wait (status, state_at, id),
  ADD UNIQUE KEY uk_entry_counted (form_id, org_unit_id, period_key, counted);

-- sheets approved before the flow existed are what reports count
UPDATE entry SET counted = 1 WHERE status = 'approved' AND cur = 1;

-- the chain in force for a sheet: one row per step, written when the sheet
-- is first submitted, so a later change of the form's definition does not
-- move sheets already under way.  at_kind: unit = a grant on the submitting
-- unit itself; up = on it or a unit above it; at = on the unit at_unit_id;
-- user = the account user_id, added by an approver for this sheet (加签).
CREATE TABLE entry_step (
  entry_id    BIGINT UNSIGNED NOT NULL,
  step        TINYINT UNSIGNED NOT NULL,
  role_id     INT UNSIGNED NULL,
  at_kind     ENUM('unit','up','at','user') NOT NULL,
  at_unit_id  INT UNSIGNED NULL,
  user_id     INT UNSIGNED NULL,
  label       VARCHAR(100) NOT NULL DEFAULT '',
  overdue_min INT NOT NULL DEFAULT 1440,
  PRIMARY KEY (entry_id, step),
  CONSTRAINT fk_step_entry FOREIGN KEY (entry_id) REFERENCES entry (id),
  CONSTRAINT fk_step_role FOREIGN KEY (role_id) REFERENCES role (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- the work queue: one row per sheet waiting at a step, with what the inbox
-- needs to find it from the reader's grants (the step's role and where it
-- is held, the submitting unit) and to filter, count and order it (form,
-- period, since, due), kept in the same transaction as every move of the
-- sheet (entry_reopen included).  The inbox starts from the reader's few
-- grants and reaches the rows through these keys, instead of testing every
-- waiting sheet, and reads entry only for the page it shows.
CREATE TABLE flow_wait (
  entry_id     BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  step         TINYINT UNSIGNED NOT NULL,
  role_id      INT UNSIGNED NULL,
  kind         ENUM('unit','up','at','user') NOT NULL,
  at_unit_id   INT UNSIGNED NULL,
  user_id      INT UNSIGNED NULL,
  org_unit_id  INT UNSIGNED NOT NULL,
  assignee_id  INT UNSIGNED NULL,
  submitted_by INT UNSIGNED NULL,
  form_id      INT UNSIGNED NOT NULL,
  period_start DATE NOT NULL,
  state_at     DATETIME NOT NULL,
  due_at       DATETIME NULL,
  KEY ix_wait_at (role_id, kind, at_unit_id),
  KEY ix_wait_unit (org_unit_id, role_id),
  KEY ix_wait_user (user_id),
  CONSTRAINT fk_wait_entry FOREIGN KEY (entry_id) REFERENCES entry (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- the roles a sheet's form informs (抄送) once it is approved
CREATE TABLE entry_cc (
  entry_id BIGINT UNSIGNED NOT NULL,
  role_id  INT UNSIGNED NOT NULL,
  PRIMARY KEY (entry_id, role_id),
  KEY ix_cc_role (role_id, entry_id),
  CONSTRAINT fk_cc_entry FOREIGN KEY (entry_id) REFERENCES entry (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- the history of a sheet: who did what when, with the reason or comment;
-- for_id when a stand-in acted for an approver, to_id for a transfer or
-- the approver added (加签)
CREATE TABLE entry_action (
  id       BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  entry_id BIGINT UNSIGNED NOT NULL,
  action   ENUM('submit','approve','reject','back','transfer','add','withdraw','recall','correct') NOT NULL,
  step     TINYINT UNSIGNED NOT NULL DEFAULT 0,
  actor_id INT UNSIGNED NOT NULL,
  for_id   INT UNSIGNED NULL,
  to_id    INT UNSIGNED NULL,
  note     VARCHAR(500) NULL,
  at       DATETIME NOT NULL,
  KEY ix_action_entry (entry_id, id),
  KEY ix_action_actor (actor_id, at),
  CONSTRAINT fk_action_entry FOREIGN KEY (entry_id) REFERENCES entry (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- stand-ins: during [from_day, to_day] (company dates, both included) the
-- stand-in sees and acts on the approver's items, recorded as acting for
-- the approver; ended_at when the approver ended it early
CREATE TABLE flow_standin (
  id         INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id    INT UNSIGNED NOT NULL,
  standin_id INT UNSIGNED NOT NULL,
  from_day   DATE NOT NULL,
  to_day     DATE NOT NULL,
  reason     VARCHAR(200) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL,
  ended_at   DATETIME NULL,
  KEY ix_standin_user (user_id, to_day),
  KEY ix_standin_for (standin_id, to_day),
  CONSTRAINT fk_standin_user FOREIGN KEY (user_id) REFERENCES app_user (id),
  CONSTRAINT fk_standin_for FOREIGN KEY (standin_id) REFERENCES app_user (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
