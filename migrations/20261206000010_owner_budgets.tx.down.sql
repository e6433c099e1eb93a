DROP INDEX otp_sends_client_idx;
ALTER TABLE otp_sends DROP COLUMN client, DROP COLUMN budget;
ALTER TABLE otp_challenges DROP COLUMN client, DROP COLUMN budget;
ALTER TABLE devices DROP COLUMN pw_lockouts, DROP COLUMN pw_locked_until, DROP COLUMN pw_failed_attempts;
