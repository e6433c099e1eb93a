-- A user's API keys: the secret sealed with a key derived from the master
-- key (signatures need it back, so it cannot be a hash), bound to the row
-- by the key id.
CREATE TABLE api_keys (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sealed_secret bytea NOT NULL,
    scopes        text[] NOT NULL CHECK (cardinality(scopes) BETWEEN 1 AND 2 AND scopes <@ ARRAY['read', 'write']),
    state         text NOT NULL CHECK (state IN ('ACTIVE', 'DISABLED')),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX api_keys_user ON api_keys (user_id, created_at, id);

-- The nonces each key accepted, kept until they could no longer be
-- presented (their instant plus the window); the primary key makes
-- parallel requests with one nonce race for one row: one wins.
CREATE TABLE api_key_nonces (
    key_id     uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    nonce      bigint NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (key_id, nonce)
);
CREATE INDEX api_key_nonces_expiry ON api_key_nonces (expires_at);

-- Who may call the API-key fields: every signed-in role manages its own
-- keys (the schema's @auth; programs never, see graph/scopes.go), staff
-- read a user's keys under audit. SUPERADMIN holds "*" already.
INSERT INTO permissions (id, role, operation, action) VALUES
    (gen_random_uuid(), 'MEMBER', 'myApiKeys', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'createApiKey', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'updateApiKey', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'deleteApiKey', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'myApiKeys', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'createApiKey', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'updateApiKey', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'deleteApiKey', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'myApiKeys', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'createApiKey', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'updateApiKey', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'deleteApiKey', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'myApiKeys', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'createApiKey', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'updateApiKey', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'deleteApiKey', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'myApiKeys', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'createApiKey', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'updateApiKey', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'deleteApiKey', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'myApiKeys', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'createApiKey', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'updateApiKey', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'deleteApiKey', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'userApiKeys', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'userApiKeys', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'userApiKeys', 'AUDIT');
