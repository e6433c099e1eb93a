-- Who may call the app-consent fields (issue 19): every signed-in role its
-- own consents; staff a user's, audited like userApiKeys.
INSERT INTO permissions (id, role, operation, action) VALUES
    (gen_random_uuid(), 'MEMBER', 'myAppConsents', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'revokeAppConsent', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'myAppConsents', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'revokeAppConsent', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'myAppConsents', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'revokeAppConsent', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'myAppConsents', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'revokeAppConsent', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'myAppConsents', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'revokeAppConsent', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'myAppConsents', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'revokeAppConsent', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'userAppConsents', 'AUDIT'),
    (gen_random_uuid(), 'COMPLIANCE', 'userAppConsents', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'userAppConsents', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'userAppConsents', 'AUDIT');
