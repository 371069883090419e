-- 009_three_duties.sql -- 三员分立 that holds against the administrator: the
-- security officer (安全保密管理员), the only one besides the server operator
-- who grants, resets or revokes auditors; accounts that ever held an
-- auditor or officer grant stay out of the administrators' reach for good.
-- Statements end with ';' at the end of a line.

INSERT INTO role (code, name_zh, name_en, caps, sort) VALUES
  ('secofficer', '安全保密管理员', 'Security officer', 64, 70);

ALTER TABLE app_user
  ADD COLUMN ever_auditor TINYINT NOT NULL DEFAULT 0 COMMENT 'held an auditor grant at some time: never cleared',
  ADD COLUMN ever_officer TINYINT NOT NULL DEFAULT 0 COMMENT 'held a security-officer grant at some time: never cleared';

-- an auditor grant an administrator's import proposed takes effect only
-- once the security officer has confirmed it (and the holder activated)
ALTER TABLE pending_grant
  ADD COLUMN confirmed_by INT UNSIGNED NULL COMMENT 'the security officer who confirmed it (NULL: not yet; the operator''s own need none)';

UPDATE app_user u SET u.ever_auditor = 1 WHERE EXISTS (SELECT 1 FROM user_role ur JOIN role r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.code = 'auditor');
