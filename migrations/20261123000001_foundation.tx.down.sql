DROP TABLE IF EXISTS terms_documents, feature_flags, app_versions, platform_settings;
DROP TABLE IF EXISTS activities;
DROP FUNCTION IF EXISTS refuse_change();
DROP TABLE IF EXISTS terms_acceptances, rate_limits, tickets, otp_sends, otp_challenges;
DROP TABLE IF EXISTS refresh_tokens, sessions, devices, pin_history, pin_credentials, users;
