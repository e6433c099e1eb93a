-- The operator's API (issue 20): staff change the client configuration,
-- the terms and the level rules through GraphQL instead of SQL.
--
-- Every instance answers appConfig and the maintenance gate from memory
-- (modules/platform); each committed change of the tables it caches
-- announces platform.ChangeID on the shared channel gatehouse_sessions, in
-- the changing transaction, and every instance drops its copy. The id is
-- no user's (users' ids are random), so the caches keyed by users forget
-- no one.
ALTER TABLE platform_settings
    -- NULL: the server's own OTP lifetime (GATEHOUSE_OTP_TTL) is reported.
    ADD COLUMN otp_lifetime_seconds integer CHECK (otp_lifetime_seconds BETWEEN 30 AND 3600),
    ADD COLUMN app_contents jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(app_contents) = 'object'),
    ADD COLUMN push_channels text[] NOT NULL DEFAULT '{}',
    ADD CONSTRAINT platform_settings_idle_time_check CHECK (idle_time_seconds BETWEEN 30 AND 86400),
    ADD CONSTRAINT platform_settings_message_check CHECK (length(maintenance_message) <= 500);
ALTER TABLE app_versions
    ADD COLUMN store_app_id text NOT NULL DEFAULT '' CHECK (length(store_app_id) <= 200),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE feature_flags
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

CREATE FUNCTION platform_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gatehouse_sessions', '00000000-0000-0000-0000-0000000000fd');
    RETURN NULL;
END;
$$;
CREATE TRIGGER platform_settings_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON platform_settings
    FOR EACH STATEMENT EXECUTE FUNCTION platform_changed();
CREATE TRIGGER app_versions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON app_versions
    FOR EACH STATEMENT EXECUTE FUNCTION platform_changed();
CREATE TRIGGER feature_flags_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON feature_flags
    FOR EACH STATEMENT EXECUTE FUNCTION platform_changed();

-- Terms kinds are data: publishing the first version of a kind creates
-- it. ask_users: signed-in users are asked to accept its current version
-- (pendingTerms); the others are read and accepted on the client's
-- initiative (biometric sign-in, marketing).
CREATE TABLE terms_kinds (
    kind        text PRIMARY KEY CHECK (kind ~ '^[A-Z][A-Z0-9_]{0,31}$'),
    ask_users   boolean NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO terms_kinds (kind, ask_users)
    SELECT DISTINCT kind, kind = 'GENERAL' FROM terms_documents;
ALTER TABLE terms_documents
    ADD CONSTRAINT terms_documents_kind_fkey FOREIGN KEY (kind) REFERENCES terms_kinds (kind);
CREATE INDEX terms_documents_current_idx ON terms_documents (kind, published_at DESC, version DESC);

-- A change of the level rules recomputes the levels of the users it may
-- move, in the background, in batches of users (keyset on id): each batch
-- commits its levels and the job's progress together, so a restart
-- resumes after the last committed batch. Jobs run one at a time, oldest
-- first.
CREATE TABLE level_jobs (
    id           uuid PRIMARY KEY,
    state        text NOT NULL CHECK (state IN ('RUNNING', 'DONE')),
    -- Users below this level cannot move (see modules/levelrules).
    min_level    integer NOT NULL CHECK (min_level >= 0),
    after_id     uuid,
    done         integer NOT NULL DEFAULT 0 CHECK (done >= 0),
    changed      integer NOT NULL DEFAULT 0 CHECK (changed >= 0),
    total        integer NOT NULL CHECK (total >= 0),
    action       text NOT NULL,
    created_by   uuid NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    finished_at  timestamptz
);
CREATE INDEX level_jobs_running_idx ON level_jobs (created_at, id) WHERE state = 'RUNNING';
CREATE INDEX level_jobs_page_idx ON level_jobs (created_at DESC, id DESC);

-- The operator's fields are ADMIN's and SUPERADMIN's, every change
-- audited; acceptTerms and pendingTerms are every signed-in person's
-- (SUPERADMIN's "*" row covers its reads).
INSERT INTO permissions (id, role, operation, action) VALUES
    (gen_random_uuid(), 'ADMIN', 'operatorSettings', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'termsKinds', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'termsVersions', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'levelJobs', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'levelJob', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'setMaintenance', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'setAppVersion', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'setFeatureFlag', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'removeFeatureFlag', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'setClientRules', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'setAppContents', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'setPushChannels', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'publishTerms', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'addLevelRule', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'removeLevelRule', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'setMaintenance', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'setAppVersion', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'setFeatureFlag', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'removeFeatureFlag', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'setClientRules', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'setAppContents', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'setPushChannels', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'publishTerms', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'addLevelRule', 'AUDIT'),
    (gen_random_uuid(), 'SUPERADMIN', 'removeLevelRule', 'AUDIT'),
    (gen_random_uuid(), 'MEMBER', 'pendingTerms', 'ALLOW'),
    (gen_random_uuid(), 'MEMBER', 'acceptTerms', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'pendingTerms', 'ALLOW'),
    (gen_random_uuid(), 'SUPPORT', 'acceptTerms', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'pendingTerms', 'ALLOW'),
    (gen_random_uuid(), 'COMPLIANCE', 'acceptTerms', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'pendingTerms', 'ALLOW'),
    (gen_random_uuid(), 'ACCOUNTANT', 'acceptTerms', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'pendingTerms', 'ALLOW'),
    (gen_random_uuid(), 'ADMIN', 'acceptTerms', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'pendingTerms', 'ALLOW'),
    (gen_random_uuid(), 'PARTNER', 'acceptTerms', 'ALLOW')
ON CONFLICT (role, operation) DO NOTHING;
