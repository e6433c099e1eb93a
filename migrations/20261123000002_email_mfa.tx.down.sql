DROP INDEX activities_user_topic_idx;
DROP INDEX sessions_user_used_idx;
ALTER TABLE sessions DROP COLUMN mfa;
ALTER TABLE devices
    DROP COLUMN push_token, DROP COLUMN push_platform, DROP COLUMN push_os,
    DROP COLUMN push_os_version, DROP COLUMN push_model, DROP COLUMN push_app_version,
    DROP COLUMN push_updated_at;
DROP TABLE recovery_codes;
DROP TABLE totp_credentials;
DROP TABLE password_credentials;
DROP INDEX users_pending_created_idx;
-- Rows that only this migration's states allow cannot go back.
DELETE FROM users WHERE state = 'PENDING';
UPDATE users SET state = 'BANNED' WHERE state = 'DELETED';
ALTER TABLE users
    DROP COLUMN email, DROP COLUMN pending_phone, DROP COLUMN name, DROP COLUMN image_url,
    DROP COLUMN country_code, DROP COLUMN referred_by, DROP COLUMN deleted_at;
ALTER TABLE users DROP CONSTRAINT users_state_check;
ALTER TABLE users ADD CONSTRAINT users_state_check CHECK (state IN ('ACTIVE', 'LOCKED', 'BANNED'));
