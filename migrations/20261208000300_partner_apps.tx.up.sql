-- Partner apps (issue 18): programs of other companies that get access
-- tokens with OAuth2 client credentials. The id is the client id. Only the
-- SHA-256 of a client secret is kept (256 random bits: a slow hash would
-- protect nothing more); a rotated secret is kept as the previous one
-- until its grace period ends.
CREATE TABLE partner_apps (
    id                          uuid PRIMARY KEY,
    name                        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    scopes                      text[] NOT NULL CHECK (cardinality(scopes) BETWEEN 1 AND 10
                                    AND scopes <@ ARRAY['accounts:write', 'users:read']),
    state                       text NOT NULL CHECK (state IN ('ACTIVE', 'DISABLED')),
    secret_hash                 bytea NOT NULL CHECK (length(secret_hash) = 32),
    previous_secret_hash        bytea CHECK (length(previous_secret_hash) = 32),
    previous_secret_expires_at  timestamptz,
    created_by                  uuid NOT NULL REFERENCES users (id),
    created_at                  timestamptz NOT NULL,
    secret_rotated_at           timestamptz,
    disabled_at                 timestamptz,
    CHECK ((previous_secret_hash IS NULL) = (previous_secret_expires_at IS NULL)),
    CHECK ((state = 'DISABLED') = (disabled_at IS NOT NULL))
);
CREATE INDEX partner_apps_list_idx ON partner_apps (created_at, id);

-- Staff manage partner apps: ADMIN by default (SUPERADMIN holds "*"),
-- changes audited like the other staff changes.
INSERT INTO permissions (id, role, operation, action) VALUES
    (gen_random_uuid(), 'ADMIN', 'partnerApps', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'createPartnerApp', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'rotatePartnerAppSecret', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'disablePartnerApp', 'AUDIT');
