-- Staff's restrictions of who may call the service (modules/perimeter).
-- Every instance judges requests from a snapshot of this table held in
-- memory: each committed change announces perimeter.ChangeID on the
-- shared channel gatehouse_sessions, in the changing transaction, and
-- every instance reloads. The id is no user's (users' ids are random), so
-- the caches keyed by users forget no one.
CREATE TABLE restrictions (
    id          uuid PRIMARY KEY,
    scope       text NOT NULL CHECK (scope IN ('IP', 'IP_SUBNET', 'COUNTRY', 'CONTINENT', 'ALL')),
    -- The canonical spelling the module writes (an address, a masked
    -- CIDR, an upper-case code, '' for ALL); the module validates it.
    value       text NOT NULL CHECK (length(value) <= 64),
    category    text NOT NULL CHECK (category IN ('WHITELIST', 'BLACKLIST', 'MAINTENANCE', 'BLOCKLOGIN')),
    state       text NOT NULL CHECK (state IN ('ENABLED', 'DISABLED')),
    code        integer NOT NULL CHECK (code BETWEEN 1 AND 999999),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT restrictions_rule_key UNIQUE (scope, value, category)
);
CREATE INDEX restrictions_page_idx ON restrictions (created_at, id);

CREATE FUNCTION restrictions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gatehouse_sessions', '00000000-0000-0000-0000-0000000000fe');
    RETURN NULL;
END;
$$;
CREATE TRIGGER restrictions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON restrictions
    FOR EACH STATEMENT EXECUTE FUNCTION restrictions_changed();

-- The restrictions and whitelinks are ADMIN's and SUPERADMIN's (the "*"
-- row lets SUPERADMIN read them); the changes are audited for both, as
-- every staff mutation is: they decide who may reach the service.
INSERT INTO permissions (id, role, operation, action) VALUES
    (gen_random_uuid(), 'ADMIN', 'restrictions', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'createRestriction', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'updateRestriction', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'deleteRestriction', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'createWhitelink', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'createRestriction', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'updateRestriction', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'deleteRestriction', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'createWhitelink', 'AUDIT')
ON CONFLICT (role, operation) DO NOTHING;
