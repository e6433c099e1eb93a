-- Who reads what a user's sign-up recorded (User.firebaseUid,
-- User.referredByCode, User.referrer) of users other than themselves:
-- the staff who read profiles, by default (SUPERADMIN's "*" row opens
-- them all). A user reads their own firebaseUid and referredByCode by the
-- owner rule; User.referrer is for these rows alone.
INSERT INTO permissions (id, role, operation, action) VALUES
    (gen_random_uuid(), 'SUPPORT', 'User.firebaseUid', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'User.referredByCode', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'User.referrer', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'User.firebaseUid', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'User.referredByCode', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'User.referrer', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'User.firebaseUid', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'User.referredByCode', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'User.referrer', 'ALLOW')
ON CONFLICT DO NOTHING;

-- verifyTotp is for every signed-in role, as the other authenticator
-- operations are (SUPERADMIN by its "*" row); never for a program
-- (graph/scopes.go).
INSERT INTO permissions (id, role, operation, action) VALUES
    (gen_random_uuid(), 'MEMBER', 'verifyTotp', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'verifyTotp', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'verifyTotp', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'verifyTotp', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'verifyTotp', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'verifyTotp', 'ALLOW')
ON CONFLICT DO NOTHING;
