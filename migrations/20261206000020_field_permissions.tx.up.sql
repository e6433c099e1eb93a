-- Role-restricted fields of types get permission rows, named Type.field
-- (User.sessions, KycFile.url, ...): the rows decide which roles read them
-- of any user, as they decide the root fields; the services keep only the
-- owner rules. The default rows give the roles the schema documents
-- (SUPERADMIN's "*" row opens them all).
ALTER TABLE permissions DROP CONSTRAINT permissions_operation_check;
ALTER TABLE permissions ADD CONSTRAINT permissions_operation_check CHECK (operation ~
    '^([A-Za-z][A-Za-z0-9_]{0,99}|[A-Za-z0-9_]{0,99}[*]|[A-Z][A-Za-z0-9_]{0,48}[.][a-z][A-Za-z0-9_]{0,49})$');

INSERT INTO permissions (id, role, operation, action) VALUES
    (gen_random_uuid(), 'SUPPORT', 'User.accounts', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'User.dataRecords', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'User.devices', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'User.documents', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'User.kycStatus', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'User.labels', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'User.phones', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'User.profile', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'User.recentActivity', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'User.selfie', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'User.sessions', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'KycFile.url', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'User.accounts', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'User.dataRecords', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'User.devices', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'User.documents', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'User.kycStatus', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'User.labels', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'User.phones', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'User.profile', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'User.recentActivity', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'User.selfie', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'User.sessions', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'User.accounts', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'KycFile.url', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'User.accounts', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'User.dataRecords', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'User.devices', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'User.documents', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'User.kycStatus', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'User.labels', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'User.phones', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'User.profile', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'User.recentActivity', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'User.selfie', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'User.sessions', 'ALLOW');
