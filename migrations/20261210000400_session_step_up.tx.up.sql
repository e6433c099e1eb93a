-- A session's step-up: until when its user's answer to verifyTotp counts
-- in place of an authenticator code for a sensitive action (deleteMe, API
-- keys). NULL: never stepped up. Read fresh from here by every instance,
-- never from a cache, so a step-up taken on one instance holds on all.
ALTER TABLE sessions ADD COLUMN stepped_up_until timestamptz;
