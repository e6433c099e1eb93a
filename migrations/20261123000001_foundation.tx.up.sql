-- Foundation: users, PIN credentials, devices, sessions, OTP challenges,
-- tickets, rate limits, activities, platform configuration and terms.

CREATE TABLE users (
    id             uuid PRIMARY KEY,
    phone          text UNIQUE,
    state          text NOT NULL DEFAULT 'ACTIVE' CHECK (state IN ('ACTIVE', 'LOCKED', 'BANNED')),
    role           text NOT NULL DEFAULT 'MEMBER' CHECK (role IN ('MEMBER', 'SUPPORT', 'COMPLIANCE', 'ACCOUNTANT', 'ADMIN', 'SUPERADMIN', 'PARTNER')),
    level          integer NOT NULL DEFAULT 0 CHECK (level >= 0),
    referral_code  text NOT NULL UNIQUE,
    firebase_uid   text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);

CREATE TABLE pin_credentials (
    user_id          uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    hash             text NOT NULL,
    failed_attempts  integer NOT NULL DEFAULT 0,
    locked_until     timestamptz,
    lockouts         integer NOT NULL DEFAULT 0,
    updated_at       timestamptz NOT NULL
);

CREATE TABLE pin_history (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash        text NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX pin_history_user_idx ON pin_history (user_id, id DESC);

CREATE TABLE devices (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_key    text NOT NULL,
    name          text NOT NULL DEFAULT '',
    trusted       boolean NOT NULL DEFAULT false,
    -- SHA-256 of the secret handed to the device when it became trusted:
    -- the device id alone (often guessable, shown in me.devices) proves nothing.
    secret_hash   bytea,
    -- Wrong PINs entered on this device while it proved its trust count
    -- here, apart from the account's count: a stranger who knows the phone
    -- number cannot lock the owner out of their own trusted device.
    pin_failed_attempts  integer NOT NULL DEFAULT 0,
    pin_locked_until     timestamptz,
    pin_lockouts         integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    UNIQUE (user_id, device_key)
);

CREATE TABLE sessions (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id     uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL,
    last_used_at  timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    revoke_note   text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_live_idx ON sessions (user_id) WHERE revoked_at IS NULL;
CREATE INDEX sessions_device_idx ON sessions (device_id);

-- One row per refresh token ever issued; a session is one token family.
CREATE TABLE refresh_tokens (
    token_hash  bytea PRIMARY KEY,
    session_id  uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    rotated_at  timestamptz
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);
CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);

CREATE TABLE otp_challenges (
    id            uuid PRIMARY KEY,
    purpose       text NOT NULL,
    channel       text NOT NULL,
    destination   text NOT NULL,
    code_mac      bytea NOT NULL,
    attempts      integer NOT NULL DEFAULT 0,
    max_attempts  integer NOT NULL,
    sends         integer NOT NULL DEFAULT 1,
    metadata      jsonb NOT NULL DEFAULT '{}',
    expires_at    timestamptz NOT NULL,
    resend_after  timestamptz NOT NULL,
    consumed_at   timestamptz,
    created_at    timestamptz NOT NULL
);

-- Every code sent, for the per-destination hourly limit.
CREATE TABLE otp_sends (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    destination   text NOT NULL,
    challenge_id  uuid NOT NULL REFERENCES otp_challenges (id) ON DELETE CASCADE,
    sent_at       timestamptz NOT NULL
);
CREATE INDEX otp_sends_destination_idx ON otp_sends (destination, sent_at);
CREATE INDEX otp_sends_challenge_idx ON otp_sends (challenge_id);
CREATE INDEX otp_challenges_created_idx ON otp_challenges (created_at);

CREATE TABLE tickets (
    id           uuid PRIMARY KEY,
    secret_hash  bytea NOT NULL UNIQUE,
    purpose      text NOT NULL,
    subject      text NOT NULL,
    metadata     jsonb NOT NULL DEFAULT '{}',
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    created_at   timestamptz NOT NULL
);
CREATE INDEX tickets_expires_idx ON tickets (expires_at);

CREATE TABLE rate_limits (
    key           text NOT NULL,
    window_start  timestamptz NOT NULL,
    count         integer NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limits_window_idx ON rate_limits (window_start);

CREATE TABLE terms_acceptances (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         text NOT NULL,
    version      text NOT NULL,
    accepted_at  timestamptz NOT NULL,
    ip           text NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, kind, version)
);

-- Append-only security log: no code path updates or deletes it, and the
-- trigger below refuses it at the database too.
CREATE TABLE activities (
    id          uuid PRIMARY KEY,
    user_id     uuid,
    topic       text NOT NULL,
    action      text NOT NULL,
    result      text NOT NULL,
    ip          text NOT NULL DEFAULT '',
    user_agent  text NOT NULL DEFAULT '',
    details     jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL
);
CREATE INDEX activities_user_idx ON activities (user_id, created_at, id);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER activities_append_only BEFORE UPDATE OR DELETE ON activities
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Platform configuration for clients.
CREATE TABLE platform_settings (
    id                   boolean PRIMARY KEY DEFAULT true CHECK (id),
    maintenance          boolean NOT NULL DEFAULT false,
    maintenance_message  text NOT NULL DEFAULT '',
    idle_time_seconds    integer NOT NULL DEFAULT 300,
    updated_at           timestamptz NOT NULL DEFAULT now()
);
INSERT INTO platform_settings (id) VALUES (true);

CREATE TABLE app_versions (
    platform         text PRIMARY KEY CHECK (platform IN ('ANDROID', 'IOS', 'WEB')),
    minimum_version  text NOT NULL,
    current_version  text NOT NULL,
    store_url        text NOT NULL DEFAULT ''
);
INSERT INTO app_versions (platform, minimum_version, current_version) VALUES
    ('ANDROID', '1.0.0', '1.0.0'),
    ('IOS', '1.0.0', '1.0.0'),
    ('WEB', '1.0.0', '1.0.0');

CREATE TABLE feature_flags (
    key          text PRIMARY KEY,
    enabled      boolean NOT NULL,
    description  text NOT NULL DEFAULT ''
);
INSERT INTO feature_flags (key, enabled, description) VALUES
    ('phone_signup', true, 'Sign-up by phone number and PIN'),
    ('pin_sign_in', true, 'Sign-in with a PIN on a trusted device'),
    ('biometric_sign_in', false, 'Sign-in with device biometrics');

CREATE TABLE terms_documents (
    kind          text NOT NULL,
    version       text NOT NULL,
    title         text NOT NULL,
    url           text NOT NULL DEFAULT '',
    body          text NOT NULL DEFAULT '',
    published_at  timestamptz NOT NULL,
    PRIMARY KEY (kind, version)
);
INSERT INTO terms_documents (kind, version, title, url, body, published_at) VALUES
    ('GENERAL', '1', 'General terms and conditions', 'https://gatehouse.example/terms/general/1', 'By using Gatehouse-powered services you agree to these terms.', '2026-01-01T00:00:00Z'),
    ('PRIVACY', '1', 'Privacy notice', 'https://gatehouse.example/terms/privacy/1', 'How we collect, use and keep your personal data.', '2026-01-01T00:00:00Z'),
    ('BIOMETRIC', '1', 'Biometric sign-in terms', 'https://gatehouse.example/terms/biometric/1', 'Terms for signing in with fingerprint or face recognition.', '2026-01-01T00:00:00Z'),
    ('MARKETING', '1', 'Marketing communications', 'https://gatehouse.example/terms/marketing/1', 'Consent to receive offers and news.', '2026-01-01T00:00:00Z');
