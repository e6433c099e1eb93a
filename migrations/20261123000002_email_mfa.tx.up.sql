-- Identity, completed: email and password, pending and deleted users,
-- profile fields, TOTP and recovery codes, push tokens, MFA sessions.

ALTER TABLE users DROP CONSTRAINT users_state_check;
ALTER TABLE users ADD CONSTRAINT users_state_check
    CHECK (state IN ('PENDING', 'ACTIVE', 'LOCKED', 'BANNED', 'DELETED'));

ALTER TABLE users
    ADD COLUMN email          text UNIQUE CHECK (email = lower(email)),
    ADD COLUMN pending_phone  text,
    ADD COLUMN name           text NOT NULL DEFAULT '',
    ADD COLUMN image_url      text NOT NULL DEFAULT '',
    ADD COLUMN country_code   text NOT NULL DEFAULT '',
    ADD COLUMN referred_by    uuid REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN deleted_at     timestamptz;
CREATE INDEX users_pending_created_idx ON users (created_at) WHERE state = 'PENDING';

CREATE TABLE password_credentials (
    user_id          uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    hash             text NOT NULL,
    failed_attempts  integer NOT NULL DEFAULT 0,
    locked_until     timestamptz,
    lockouts         integer NOT NULL DEFAULT 0,
    updated_at       timestamptz NOT NULL
);

CREATE TABLE totp_credentials (
    user_id        uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    sealed_secret  bytea NOT NULL,
    confirmed_at   timestamptz,
    last_step      bigint NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL
);

-- SHA-256 of each one-time recovery code (80 random bits each).
CREATE TABLE recovery_codes (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    digest      bytea NOT NULL,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (user_id, digest)
);

ALTER TABLE devices
    ADD COLUMN push_token        text,
    ADD COLUMN push_platform     text,
    ADD COLUMN push_os           text NOT NULL DEFAULT '',
    ADD COLUMN push_os_version   text NOT NULL DEFAULT '',
    ADD COLUMN push_model        text NOT NULL DEFAULT '',
    ADD COLUMN push_app_version  text NOT NULL DEFAULT '',
    ADD COLUMN push_updated_at   timestamptz;

ALTER TABLE sessions ADD COLUMN mfa boolean NOT NULL DEFAULT false;
CREATE INDEX sessions_user_used_idx ON sessions (user_id, last_used_at DESC) WHERE revoked_at IS NULL;

-- Own activity is read newest first, filtered by topic.
CREATE INDEX activities_user_topic_idx ON activities (user_id, topic, created_at, id);
