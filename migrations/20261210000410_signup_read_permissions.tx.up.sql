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
