-- Provider identities linked to users (sign in with Google or another
-- OpenID provider): the provider's subject is its stable id there. One
-- identity opens one account: (provider, subject) is unique.
CREATE TABLE federated_identities (
    id             uuid PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider       text NOT NULL CHECK (provider ~ '^[a-z0-9-]{1,32}$'),
    subject        text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
    email          text NOT NULL DEFAULT '' CHECK (length(email) <= 320),
    email_verified boolean NOT NULL DEFAULT false,
    linked_at      timestamptz NOT NULL,
    last_used_at   timestamptz NOT NULL,
    CONSTRAINT federated_identities_subject UNIQUE (provider, subject)
);
CREATE INDEX federated_identities_user ON federated_identities (user_id, linked_at, id);

-- A deleted account (its row stays, scrubbed, state DELETED) keeps no
-- way in: its links go in the transaction that deletes it, whichever
-- path deletes it.
CREATE FUNCTION federated_identities_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM federated_identities WHERE user_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER users_deleted_forget_identities AFTER UPDATE OF state ON users
    FOR EACH ROW WHEN (NEW.state = 'DELETED' AND OLD.state <> 'DELETED')
    EXECUTE FUNCTION federated_identities_forget();

-- Started provider flows until completed (once) or expired: only the
-- SHA-256 of the state the client holds; the nonce and PKCE verifier
-- never leave the server. A link's state names the user who started it;
-- a sign-in's, when the client said, the device that must complete it.
CREATE TABLE oidc_states (
    state_hash   bytea PRIMARY KEY CHECK (length(state_hash) = 32),
    provider     text NOT NULL,
    purpose      text NOT NULL CHECK (purpose IN ('SIGN_IN', 'LINK')),
    user_id      uuid REFERENCES users (id) ON DELETE CASCADE,
    device_key   text NOT NULL DEFAULT '' CHECK (length(device_key) <= 128),
    redirect_uri text NOT NULL,
    nonce        text NOT NULL,
    verifier     text NOT NULL,
    expires_at   timestamptz NOT NULL,
    created_at   timestamptz NOT NULL,
    CHECK ((purpose = 'LINK') = (user_id IS NOT NULL))
);
CREATE INDEX oidc_states_expiry ON oidc_states (expires_at);

-- Who may call the federation's fields: anyone starts and completes a
-- sign-in; every signed-in role links and unlinks its own identities
-- (programs never, see the service); staff read a user's identities
-- (User.identities). SUPERADMIN holds "*" already.
INSERT INTO permissions (id, role, operation, action) VALUES
    (gen_random_uuid(), 'ANONYMOUS', 'startOidcSignIn', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'completeOidcSignIn', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'startOidcLink', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'linkOidcIdentity', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'unlinkOidcIdentity', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'startOidcLink', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'linkOidcIdentity', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'unlinkOidcIdentity', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'startOidcLink', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'linkOidcIdentity', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'unlinkOidcIdentity', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'startOidcLink', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'linkOidcIdentity', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'unlinkOidcIdentity', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'startOidcLink', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'linkOidcIdentity', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'unlinkOidcIdentity', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'startOidcLink', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'linkOidcIdentity', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'unlinkOidcIdentity', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'User.identities', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'User.identities', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'User.identities', 'ALLOW');
