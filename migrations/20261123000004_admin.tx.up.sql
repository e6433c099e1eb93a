-- Staff operations: user search columns and indexes, the permission rows
-- of the authorization rule (announced by NOTIFY), the staff audit trail,
-- and the indexes the audit and metrics queries read.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Search columns, kept by the triggers below so that every filter and
-- order of the staff user search reads one table through an index:
--   last_sign_in_at  when a session was last opened,
--   kyc_status       the status of the latest KYC submission (NONE when none),
--   search_name      lower-cased "first last" of the KYC profile, else the display name.
ALTER TABLE users
    ADD COLUMN last_sign_in_at  timestamptz,
    ADD COLUMN kyc_status       text NOT NULL DEFAULT 'NONE'
        CHECK (kyc_status IN ('NONE', 'PENDING', 'APPROVED', 'REJECTED')),
    ADD COLUMN search_name      text NOT NULL DEFAULT '';

CREATE FUNCTION user_search_name(uid uuid, display text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT lower(coalesce(
        (SELECT nullif(btrim(p.first_name || ' ' || p.last_name), '') FROM kyc_profiles p WHERE p.user_id = uid),
        btrim(display)))
$$;

UPDATE users u SET
    last_sign_in_at = (SELECT max(s.created_at) FROM sessions s WHERE s.user_id = u.id),
    kyc_status = coalesce((SELECT k.status FROM kyc_submissions k WHERE k.user_id = u.id
                           ORDER BY k.submitted_at DESC, k.id DESC LIMIT 1), 'NONE'),
    search_name = user_search_name(u.id, u.name);

-- The distinct search names (about one for every four users), so that the
-- similarity fallback of the name search (directory.go, withFilter) probes
-- a far smaller trigram index than users' and then finds the users of each
-- name through users_search_name_idx. The triggers below add every new
-- search name and remove one no user has any more (a person's old name is
-- not kept apart from them).
CREATE TABLE user_search_names (name text PRIMARY KEY);
INSERT INTO user_search_names (name) SELECT DISTINCT search_name FROM users WHERE search_name <> '';
CREATE INDEX user_search_names_trgm_idx ON user_search_names USING gin (name gin_trgm_ops);

CREATE FUNCTION users_search_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_name := user_search_name(NEW.id, NEW.name);
    IF NEW.search_name <> '' THEN
        INSERT INTO user_search_names (name) VALUES (NEW.search_name) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER users_search_name BEFORE INSERT OR UPDATE OF name ON users
    FOR EACH ROW EXECUTE FUNCTION users_search_name();

CREATE FUNCTION kyc_profiles_search_name() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    uid uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.user_id ELSE NEW.user_id END;
    sname text;
BEGIN
    UPDATE users SET search_name = user_search_name(id, name) WHERE id = uid RETURNING search_name INTO sname;
    IF sname <> '' THEN
        INSERT INTO user_search_names (name) VALUES (sname) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER kyc_profiles_search_name AFTER INSERT OR DELETE OR UPDATE OF first_name, last_name ON kyc_profiles
    FOR EACH ROW EXECUTE FUNCTION kyc_profiles_search_name();

CREATE FUNCTION users_search_name_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.search_name <> '' AND NOT EXISTS (SELECT 1 FROM users WHERE search_name = OLD.search_name) THEN
        DELETE FROM user_search_names WHERE name = OLD.search_name;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER users_search_name_changed AFTER UPDATE ON users
    FOR EACH ROW WHEN (OLD.search_name IS DISTINCT FROM NEW.search_name) EXECUTE FUNCTION users_search_name_gone();
CREATE TRIGGER users_search_name_deleted AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION users_search_name_gone();

CREATE FUNCTION sessions_last_sign_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET last_sign_in_at = NEW.created_at
     WHERE id = NEW.user_id AND (last_sign_in_at IS NULL OR last_sign_in_at < NEW.created_at);
    RETURN NULL;
END;
$$;
CREATE TRIGGER sessions_last_sign_in AFTER INSERT ON sessions
    FOR EACH ROW EXECUTE FUNCTION sessions_last_sign_in();

CREATE FUNCTION kyc_submissions_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET kyc_status = coalesce((SELECT k.status FROM kyc_submissions k WHERE k.user_id = NEW.user_id
                                            ORDER BY k.submitted_at DESC, k.id DESC LIMIT 1), 'NONE')
     WHERE id = NEW.user_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER kyc_submissions_status AFTER INSERT OR UPDATE OF status ON kyc_submissions
    FOR EACH ROW EXECUTE FUNCTION kyc_submissions_status();

-- BEGIN search indexes (every filter and order of the user search)
-- A sort of few matches (see directory.go, sortMaxRows) reads the ids and
-- sort keys of a sign-up window or an email prefix from these alone.
CREATE INDEX users_created_idx ON users (created_at, id) INCLUDE (last_sign_in_at);
CREATE INDEX users_last_sign_in_idx ON users ((coalesce(last_sign_in_at, '-infinity'::timestamptz)), id);
CREATE INDEX users_search_name_idx ON users (search_name, id);
CREATE INDEX users_search_name_trgm_idx ON users USING gin (search_name gin_trgm_ops);
CREATE INDEX users_email_prefix_idx ON users (email text_pattern_ops) INCLUDE (search_name, id);
CREATE INDEX users_phone_prefix_idx ON users (phone text_pattern_ops);
CREATE INDEX users_role_idx ON users (role, created_at, id);
-- Staff and partner roles are a few percent of users: listing one of them
-- by last sign-in or name walks these (role = 'X' implies role <> 'MEMBER').
CREATE INDEX users_staff_last_sign_in_idx ON users ((coalesce(last_sign_in_at, '-infinity'::timestamptz)), id)
    WHERE role <> 'MEMBER';
CREATE INDEX users_staff_name_idx ON users (search_name, id) WHERE role <> 'MEMBER';
CREATE INDEX users_state_idx ON users (state, created_at, id);
CREATE INDEX users_level_idx ON users (level, created_at, id);
CREATE INDEX users_country_idx ON users (country_code, created_at, id);
CREATE INDEX users_kyc_status_idx ON users (kyc_status, created_at, id);
CREATE INDEX labels_key_value_user_idx ON labels (key, value, user_id);
-- The sort keys of the users of a label, by id (a label's users are
-- sorted, not walked: see directory.go, sortMaxRows).
CREATE INDEX users_sort_keys_idx ON users (id) INCLUDE (created_at, last_sign_in_at, search_name);
-- A finer sample of names: the planner's guess of how many names contain
-- a text decides between walking the order's index and sorting matches.
ALTER TABLE users ALTER COLUMN search_name SET STATISTICS 1000;
-- END search indexes

-- Every user's activity, newest first, by topic or action; metrics count
-- sign-ins by action and time.
CREATE INDEX activities_created_idx ON activities (created_at, id);
CREATE INDEX activities_action_idx ON activities (action, created_at, id);
CREATE INDEX activities_topic_idx ON activities (topic, created_at, id);
CREATE INDEX otp_sends_sent_idx ON otp_sends (sent_at);
CREATE INDEX kyc_submissions_submitted_idx ON kyc_submissions (submitted_at);
CREATE INDEX kyc_submissions_decided_idx ON kyc_submissions (decided_at) WHERE decided_at IS NOT NULL;

-- TRUNCATE skips row triggers: refuse it on the append-only log as well.
CREATE TRIGGER activities_no_truncate BEFORE TRUNCATE ON activities
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The staff audit trail: one row per staff action, append-only. No
-- foreign keys: a row outlives anything it names.
CREATE TABLE admin_activities (
    id              uuid PRIMARY KEY,
    admin_id        uuid NOT NULL,
    target_user_id  uuid,
    action          text NOT NULL,
    reason          text NOT NULL DEFAULT '',
    input           jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(input) = 'object'),
    result          text NOT NULL CHECK (result IN ('SUCCEEDED', 'FAILED', 'DENIED')),
    error           text NOT NULL DEFAULT '',
    ip              text NOT NULL DEFAULT '',
    user_agent      text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL
);
CREATE INDEX admin_activities_created_idx ON admin_activities (created_at, id);
CREATE INDEX admin_activities_admin_idx ON admin_activities (admin_id, created_at, id);
CREATE INDEX admin_activities_target_idx ON admin_activities (target_user_id, created_at, id);
CREATE INDEX admin_activities_action_idx ON admin_activities (action, created_at, id);
CREATE TRIGGER admin_activities_append_only BEFORE UPDATE OR DELETE ON admin_activities
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER admin_activities_no_truncate BEFORE TRUNCATE ON admin_activities
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The authorization rule as rows. Every committed change is announced on
-- the channel gatehouse_permissions; each instance listens and reloads.
CREATE TABLE permissions (
    id          uuid PRIMARY KEY,
    role        text NOT NULL CHECK (role IN ('ANONYMOUS', 'MEMBER', 'SUPPORT', 'COMPLIANCE', 'ACCOUNTANT',
                                              'ADMIN', 'SUPERADMIN', 'PARTNER')),
    operation   text NOT NULL CHECK (operation ~ '^([A-Za-z][A-Za-z0-9_]{0,99}|[A-Za-z0-9_]{0,99}[*])$'),
    action      text NOT NULL CHECK (action IN ('ALLOW', 'DENY', 'AUDIT')),
    -- An anonymous call has no staff member to record.
    CHECK (NOT (role = 'ANONYMOUS' AND action = 'AUDIT')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (role, operation)
);

CREATE FUNCTION permissions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gatehouse_permissions', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER permissions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON permissions
    FOR EACH STATEMENT EXECUTE FUNCTION permissions_changed();

-- The default rules: what the schema's @public, @auth and @hasRole markers
-- document. SUPERADMIN may call everything; calls of staff operations that
-- change data or read users' personal data (user, users, the KYC and
-- PIN-reset queues, activities) are AUDIT.
INSERT INTO permissions (id, role, operation, action) VALUES
    (gen_random_uuid(), 'ANONYMOUS', 'appConfig', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'completePhoneSignup', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'completePinReset', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'completePinSetup', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'confirmEmail', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'levels', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'me', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'passwordStrength', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'phoneSignupStatus', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'pinResetStatus', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'refreshSession', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'requestPasswordReset', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'resendOtp', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'resetPassword', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'serverInfo', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'signIn', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'signInWithPin', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'signUpWithEmail', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'startPhoneSignup', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'startPinReset', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'startPinSetup', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'submitPinResetSelfie', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'termsAndConditions', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'uploadPinResetDocument', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'validateToken', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'verifyDeviceSignIn', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'verifyPhoneSignup', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'verifyPinReset', 'ALLOW'),
    (gen_random_uuid(), 'ANONYMOUS', 'verifySignIn', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'account', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'addPhone', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'changePassword', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'changePin', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'confirmContactChange', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'confirmTotpEnrollment', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'createPortfolio', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'deleteMe', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'disableTotp', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'myActivity', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'myDataRecords', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'myPhones', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'myProfile', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'mySessions', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'portfolio', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'putMyDataRecord', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'registerPushDevice', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'removeMyLabel', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'revokeSession', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'setMyLabel', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'signOut', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'signOutEverywhere', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'startContactChange', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'startTotpEnrollment', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'updateMe', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'uploadKycDocument', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'uploadSelfie', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'upsertMyProfile', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'verifyPhone', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'account', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'activities', 'AUDIT'),
    (gen_random_uuid(), 'SUPPORT', 'addPhone', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'changePassword', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'changePin', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'confirmContactChange', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'confirmTotpEnrollment', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'createPortfolio', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'deleteMe', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'disableTotp', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'labelKeys', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'myActivity', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'myDataRecords', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'myPhones', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'myProfile', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'mySessions', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'portfolio', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'putMyDataRecord', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'registerPushDevice', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'removeMyLabel', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'revokeSession', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'revokeUserSessions', 'AUDIT'),
    (gen_random_uuid(), 'SUPPORT', 'setMyLabel', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'signOut', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'signOutEverywhere', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'startContactChange', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'startTotpEnrollment', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'updateMe', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'uploadKycDocument', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'uploadSelfie', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'upsertMyProfile', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'user', 'AUDIT'),
    (gen_random_uuid(), 'SUPPORT', 'users', 'AUDIT'),
    (gen_random_uuid(), 'SUPPORT', 'verifyPhone', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'account', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'activities', 'AUDIT'),
    (gen_random_uuid(), 'COMPLIANCE', 'addPhone', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'adminMetrics', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'approveKycSubmission', 'AUDIT'),
    (gen_random_uuid(), 'COMPLIANCE', 'approvePinReset', 'AUDIT'),
    (gen_random_uuid(), 'COMPLIANCE', 'changePassword', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'changePin', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'confirmContactChange', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'confirmTotpEnrollment', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'createPortfolio', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'deleteMe', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'deleteUserDataRecord', 'AUDIT'),
    (gen_random_uuid(), 'COMPLIANCE', 'disableTotp', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'kycSubmission', 'AUDIT'),
    (gen_random_uuid(), 'COMPLIANCE', 'kycSubmissions', 'AUDIT'),
    (gen_random_uuid(), 'COMPLIANCE', 'labelKeys', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'myActivity', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'myDataRecords', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'myPhones', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'myProfile', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'mySessions', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'pinResets', 'AUDIT'),
    (gen_random_uuid(), 'COMPLIANCE', 'portfolio', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'putMyDataRecord', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'registerPushDevice', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'rejectKycSubmission', 'AUDIT'),
    (gen_random_uuid(), 'COMPLIANCE', 'rejectPinReset', 'AUDIT'),
    (gen_random_uuid(), 'COMPLIANCE', 'removeMyLabel', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'removeUserLabel', 'AUDIT'),
    (gen_random_uuid(), 'COMPLIANCE', 'revokeSession', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'setMyLabel', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'setUserLabel', 'AUDIT'),
    (gen_random_uuid(), 'COMPLIANCE', 'signOut', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'signOutEverywhere', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'startContactChange', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'startTotpEnrollment', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'updateMe', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'updateUserProfile', 'AUDIT'),
    (gen_random_uuid(), 'COMPLIANCE', 'uploadKycDocument', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'uploadSelfie', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'upsertMyProfile', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'user', 'AUDIT'),
    (gen_random_uuid(), 'COMPLIANCE', 'users', 'AUDIT'),
    (gen_random_uuid(), 'COMPLIANCE', 'verifyPhone', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'account', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'addPhone', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'changePassword', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'changePin', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'confirmContactChange', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'confirmTotpEnrollment', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'createPortfolio', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'deleteMe', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'disableTotp', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'myActivity', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'myDataRecords', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'myPhones', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'myProfile', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'mySessions', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'portfolio', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'putMyDataRecord', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'registerPushDevice', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'removeMyLabel', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'revokeSession', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'setMyLabel', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'signOut', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'signOutEverywhere', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'startContactChange', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'startTotpEnrollment', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'updateMe', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'uploadKycDocument', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'uploadSelfie', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'upsertMyProfile', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'user', 'AUDIT'),
    (gen_random_uuid(), 'ACCOUNTANT', 'users', 'AUDIT'),
    (gen_random_uuid(), 'ACCOUNTANT', 'verifyPhone', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'account', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'activities', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'addPhone', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'adminActivities', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'adminMetrics', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'approveKycSubmission', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'approvePinReset', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'changePassword', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'changePin', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'confirmContactChange', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'confirmTotpEnrollment', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'createPortfolio', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'deleteMe', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'deleteUserDataRecord', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'disableTotp', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'kycSubmission', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'kycSubmissions', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'labelKeys', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'myActivity', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'myDataRecords', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'myPhones', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'myProfile', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'mySessions', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'openAccount', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'pinResets', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'portfolio', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'putMyDataRecord', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'registerPushDevice', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'rejectKycSubmission', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'rejectPinReset', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'removeMyLabel', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'removeUserLabel', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'resetUserMfa', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'revokeSession', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'revokeUserSessions', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'setMyLabel', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'setUserLabel', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'setUserRole', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'setUserState', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'signOut', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'signOutEverywhere', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'startContactChange', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'startTotpEnrollment', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'updateMe', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'updateUserProfile', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'uploadKycDocument', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'uploadSelfie', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'upsertMyProfile', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'user', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'users', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'verifyPhone', 'ALLOW'),
    (gen_random_uuid(), 'SUPERADMIN', '*', 'ALLOW'),
    (gen_random_uuid(), 'SUPERADMIN', 'activities', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'approveKycSubmission', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'approvePinReset', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'createPermission', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'deletePermission', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'deleteUserDataRecord', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'kycSubmission', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'kycSubmissions', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'openAccount', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'pinResets', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'rejectKycSubmission', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'rejectPinReset', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'removeUserLabel', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'resetUserMfa', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'revokeUserSessions', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'setUserLabel', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'setUserRole', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'setUserState', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'updatePermission', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'updateUserProfile', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'user', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'users', 'AUDIT'),
    (gen_random_uuid(), 'PARTNER', 'account', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'addPhone', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'changePassword', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'changePin', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'confirmContactChange', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'confirmTotpEnrollment', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'createPortfolio', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'deleteMe', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'disableTotp', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'myActivity', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'myDataRecords', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'myPhones', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'myProfile', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'mySessions', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'portfolio', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'putMyDataRecord', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'registerPushDevice', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'removeMyLabel', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'revokeSession', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'setMyLabel', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'signOut', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'signOutEverywhere', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'startContactChange', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'startTotpEnrollment', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'updateMe', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'uploadKycDocument', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'uploadSelfie', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'upsertMyProfile', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'verifyPhone', 'ALLOW');
