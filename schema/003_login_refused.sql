-- attempts against a locked name or address are counted here instead of
-- each writing an audit record (acct.c audits the 1st, 10th, 100th ...)
ALTER TABLE login_lock ADD COLUMN refused INT UNSIGNED NOT NULL DEFAULT 0;
