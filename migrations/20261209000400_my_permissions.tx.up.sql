-- myPermissions: every signed-in role reads what its own rows let it do
-- (the staff console hides what the role cannot do from it).
INSERT INTO permissions (id, role, operation, action) VALUES
    (gen_random_uuid(), 'MEMBER', 'myPermissions', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'myPermissions', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'myPermissions', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'myPermissions', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'myPermissions', 'ALLOW'),
    (gen_random_uuid(), 'SUPERADMIN', 'myPermissions', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'myPermissions', 'ALLOW')
ON CONFLICT DO NOTHING;
