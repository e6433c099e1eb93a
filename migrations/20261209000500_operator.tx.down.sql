DELETE FROM permissions WHERE operation IN ('operatorSettings', 'termsKinds', 'termsVersions', 'levelJobs', 'levelJob',
    'setMaintenance', 'setAppVersion', 'setFeatureFlag', 'removeFeatureFlag', 'setClientRules', 'setAppContents',
    'setPushChannels', 'publishTerms', 'addLevelRule', 'removeLevelRule', 'pendingTerms', 'acceptTerms');
DROP TABLE level_jobs;
DROP INDEX terms_documents_current_idx;
ALTER TABLE terms_documents DROP CONSTRAINT terms_documents_kind_fkey;
DROP TABLE terms_kinds;
DROP TRIGGER feature_flags_changed ON feature_flags;
DROP TRIGGER app_versions_changed ON app_versions;
DROP TRIGGER platform_settings_changed ON platform_settings;
DROP FUNCTION platform_changed();
ALTER TABLE feature_flags DROP COLUMN updated_at;
ALTER TABLE app_versions DROP COLUMN updated_at, DROP COLUMN store_app_id;
ALTER TABLE platform_settings DROP CONSTRAINT platform_settings_message_check,
    DROP CONSTRAINT platform_settings_idle_time_check, DROP COLUMN push_channels, DROP COLUMN app_contents,
    DROP COLUMN otp_lifetime_seconds;
