DROP INDEX users_sort_keys_idx;
DROP TABLE permissions;
DROP FUNCTION permissions_changed();
DROP TABLE admin_activities;
DROP TRIGGER activities_no_truncate ON activities;
DROP INDEX kyc_submissions_decided_idx, kyc_submissions_submitted_idx, otp_sends_sent_idx,
    activities_topic_idx, activities_action_idx, activities_created_idx, labels_key_value_user_idx;
DROP TRIGGER kyc_submissions_status ON kyc_submissions;
DROP FUNCTION kyc_submissions_status();
DROP TRIGGER sessions_last_sign_in ON sessions;
DROP FUNCTION sessions_last_sign_in();
DROP TRIGGER users_search_name_changed ON users;
DROP TRIGGER users_search_name_deleted ON users;
DROP FUNCTION users_search_name_gone();
DROP TRIGGER kyc_profiles_search_name ON kyc_profiles;
DROP FUNCTION kyc_profiles_search_name();
DROP TRIGGER users_search_name ON users;
DROP FUNCTION users_search_name();
DROP TABLE user_search_names;
-- Indexes on the columns dropped below go with them; these do not.
DROP INDEX users_created_idx, users_email_prefix_idx, users_phone_prefix_idx, users_role_idx, users_state_idx,
    users_level_idx, users_country_idx;
ALTER TABLE users DROP COLUMN last_sign_in_at, DROP COLUMN kyc_status, DROP COLUMN search_name;
DROP FUNCTION user_search_name(uuid, text);
