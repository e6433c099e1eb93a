-- The permission rows decide who governs the permission rows too: ADMIN
-- by default, beside SUPERADMIN. The service keeps an ADMIN to the rows of
-- the roles below it (never ADMIN's or SUPERADMIN's, never the permission
-- operations' own, never one that widens what ADMIN may do).
INSERT INTO permissions (id, role, operation, action) VALUES
    (gen_random_uuid(), 'ADMIN', 'permissions', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'createPermission', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'updatePermission', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'deletePermission', 'AUDIT')
ON CONFLICT DO NOTHING;
