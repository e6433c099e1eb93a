-- KYC (profiles, files, documents, submissions, labels and level rules,
-- phones, data records, PIN resets by document) and accounts with
-- portfolios.

CREATE TABLE kyc_profiles (
    user_id        uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    first_name     text NOT NULL,
    last_name      text NOT NULL,
    date_of_birth  date,
    address        text NOT NULL DEFAULT '',
    postcode       text NOT NULL DEFAULT '',
    city           text NOT NULL DEFAULT '',
    country        text NOT NULL DEFAULT '' CHECK (country = '' OR country ~ '^[A-Z]{2}$'),
    metadata       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    confirmed_at   timestamptz,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);

-- The bytes of a file are in the blob store (encrypted); this is its record.
CREATE TABLE kyc_files (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose       text NOT NULL CHECK (purpose IN ('DOCUMENT_FRONT', 'DOCUMENT_BACK', 'SELFIE')),
    content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size          bigint NOT NULL CHECK (size > 0),
    width         integer NOT NULL DEFAULT 0 CHECK (width >= 0),
    height        integer NOT NULL DEFAULT 0 CHECK (height >= 0),
    sha256        bytea NOT NULL,
    blob_key      text NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL
);
CREATE INDEX kyc_files_user_idx ON kyc_files (user_id);

CREATE TABLE kyc_documents (
    id             uuid PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type           text NOT NULL CHECK (type IN ('NATIONAL_ID', 'PASSPORT', 'DRIVER_LICENSE', 'RESIDENCE_PERMIT', 'UTILITY_BILL', 'SELFIE')),
    number         text NOT NULL DEFAULT '',
    expires_on     date,
    metadata       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    front_file_id  uuid NOT NULL REFERENCES kyc_files (id),
    back_file_id   uuid REFERENCES kyc_files (id),
    created_at     timestamptz NOT NULL,
    replaced_at    timestamptz
);
-- One live document per type per user.
CREATE UNIQUE INDEX kyc_documents_live_idx ON kyc_documents (user_id, type) WHERE replaced_at IS NULL;

CREATE TABLE kyc_submissions (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status        text NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
    country       text NOT NULL DEFAULT '',
    document_id   uuid NOT NULL REFERENCES kyc_documents (id),
    selfie_id     uuid NOT NULL REFERENCES kyc_documents (id),
    submitted_at  timestamptz NOT NULL,
    decided_at    timestamptz,
    decided_by    uuid REFERENCES users (id) ON DELETE SET NULL,
    reason        text NOT NULL DEFAULT '',
    CHECK ((status = 'PENDING') = (decided_at IS NULL))
);
-- At most one submission waits for review per user.
CREATE UNIQUE INDEX kyc_submissions_pending_idx ON kyc_submissions (user_id) WHERE status = 'PENDING';
CREATE INDEX kyc_submissions_queue_idx ON kyc_submissions (status, submitted_at, id);
CREATE INDEX kyc_submissions_user_idx ON kyc_submissions (user_id, submitted_at DESC, id DESC);

CREATE TABLE labels (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_.-]{0,63}$'),
    value        text NOT NULL CHECK (length(value) BETWEEN 1 AND 255),
    scope        text NOT NULL CHECK (scope IN ('PUBLIC', 'PRIVATE')),
    description  text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX labels_key_value_idx ON labels (key, value);

-- A user is at the highest level L such that every rule of every level up
-- to L holds (a PRIVATE label key = value).
CREATE TABLE level_rules (
    level        integer NOT NULL CHECK (level >= 1),
    key          text NOT NULL,
    value        text NOT NULL,
    description  text NOT NULL DEFAULT '',
    PRIMARY KEY (level, key)
);
INSERT INTO level_rules (level, key, value, description) VALUES
    (1, 'phone', 'verified', 'Phone number verified by a code'),
    (2, 'email', 'verified', 'Email address verified by a code'),
    (2, 'profile', 'verified', 'Profile completed and confirmed by its owner'),
    (3, 'document', 'verified', 'Identity document approved by compliance'),
    (3, 'selfie', 'verified', 'Selfie approved by compliance');

CREATE TABLE kyc_phones (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    number       text NOT NULL,
    verified_at  timestamptz,
    created_at   timestamptz NOT NULL,
    UNIQUE (user_id, number)
);
-- A number is verified for one user at most.
CREATE UNIQUE INDEX kyc_phones_verified_idx ON kyc_phones (number) WHERE verified_at IS NOT NULL;

CREATE TABLE data_records (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 64),
    data        jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (user_id, title)
);

CREATE TABLE pin_resets (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ticket_hash     bytea NOT NULL UNIQUE,
    status          text NOT NULL CHECK (status IN ('DOCUMENT_REQUIRED', 'SELFIE_REQUIRED', 'PENDING_REVIEW', 'APPROVED', 'REJECTED', 'COMPLETED')),
    document_id     uuid REFERENCES kyc_documents (id),
    -- The ticket holder uploaded the document during the reset: it was
    -- never approved in KYC, so staff compare it with the profile.
    document_uploaded boolean NOT NULL DEFAULT false,
    selfie_file_id  uuid REFERENCES kyc_files (id),
    reason          text NOT NULL DEFAULT '',
    expires_at      timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    decided_at      timestamptz,
    decided_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    completed_at    timestamptz
);
CREATE INDEX pin_resets_queue_idx ON pin_resets (status, created_at, id);
-- One open reset per user: a new one closes the old in the same
-- transaction, and of two racing verifications one gets CONFLICT.
CREATE UNIQUE INDEX pin_resets_open_idx ON pin_resets (user_id)
    WHERE status IN ('DOCUMENT_REQUIRED', 'SELFIE_REQUIRED', 'PENDING_REVIEW', 'APPROVED');

CREATE TABLE accounts (
    id                    uuid PRIMARY KEY,
    user_id               uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email                 text NOT NULL DEFAULT '',
    sub_account_id        text NOT NULL DEFAULT '',
    sub_account_email     text NOT NULL DEFAULT '',
    active                boolean NOT NULL DEFAULT true,
    additional_info       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(additional_info) = 'object'),
    default_portfolio_id  uuid,
    created_at            timestamptz NOT NULL
);
CREATE INDEX accounts_user_idx ON accounts (user_id, created_at, id);

CREATE TABLE portfolios (
    id               uuid PRIMARY KEY,
    account_id       uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name             text NOT NULL,
    type             text NOT NULL CHECK (type IN ('TRADING', 'SAVINGS', 'STAKING')),
    address          text NOT NULL UNIQUE,
    public_strategy  boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL
);
CREATE INDEX portfolios_account_idx ON portfolios (account_id, created_at, id);
ALTER TABLE accounts ADD CONSTRAINT accounts_default_portfolio_fkey
    FOREIGN KEY (default_portfolio_id) REFERENCES portfolios (id) DEFERRABLE INITIALLY DEFERRED;

-- Users from before labels: their proven contacts become the labels that
-- levels are computed from, and every active user gets an account.
INSERT INTO labels (user_id, key, value, scope, description, created_at, updated_at)
    SELECT id, 'phone', 'verified', 'PRIVATE', 'Phone number verified by a code', now(), now()
    FROM users WHERE phone IS NOT NULL AND state <> 'DELETED';
INSERT INTO labels (user_id, key, value, scope, description, created_at, updated_at)
    SELECT id, 'email', 'verified', 'PRIVATE', 'Email address verified by a code', now(), now()
    FROM users WHERE email IS NOT NULL AND state NOT IN ('PENDING', 'DELETED');
INSERT INTO kyc_phones (id, user_id, number, verified_at, created_at)
    SELECT gen_random_uuid(), id, phone, created_at, created_at FROM users WHERE phone IS NOT NULL;
UPDATE users SET level = CASE WHEN phone IS NOT NULL THEN 1 ELSE 0 END;
INSERT INTO accounts (id, user_id, email, created_at)
    SELECT gen_random_uuid(), id, coalesce(email, ''), created_at FROM users WHERE state NOT IN ('PENDING', 'DELETED');
