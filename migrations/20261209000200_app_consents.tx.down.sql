DELETE FROM permissions WHERE operation IN ('myAppConsents', 'revokeAppConsent', 'userAppConsents');
