-- What a partner app may call (role PARTNER): open accounts for users and
-- read users, audited like staff's calls of the same fields. The graph's
-- scope table narrows each app further to its scopes (accounts:write,
-- users:read); a DENY row narrows every partner.
INSERT INTO permissions (id, role, operation, action) VALUES
    (gen_random_uuid(), 'PARTNER', 'openAccount', 'AUDIT'),
    (gen_random_uuid(), 'PARTNER', 'user', 'AUDIT'),
    (gen_random_uuid(), 'PARTNER', 'users', 'AUDIT');
