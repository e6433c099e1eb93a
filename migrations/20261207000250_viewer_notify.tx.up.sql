-- The verified-session cache of each instance (identity.SessionCache)
-- holds a session with a snapshot of its user. Every committed change that
-- could end the session or change that snapshot is announced on the channel
-- gatehouse_sessions with the user's id, by a trigger: pg_notify runs in
-- the changing transaction, so a rolled-back change announces nothing and
-- a committed one cannot be forgotten by any code path (staff, janitor,
-- PIN reset, a hand-written UPDATE). An empty payload means every user
-- (TRUNCATE). PostgreSQL folds identical notifications of one transaction
-- into one, so revoking all of a user's sessions sends a single message.

CREATE FUNCTION viewer_user_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('gatehouse_sessions', '');
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('gatehouse_sessions', OLD.id::text);
    ELSE
        PERFORM pg_notify('gatehouse_sessions', NEW.id::text);
    END IF;
    RETURN NULL;
END;
$$;

-- For tables keyed by user_id (sessions and credentials).
CREATE FUNCTION viewer_owner_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('gatehouse_sessions', '');
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('gatehouse_sessions', OLD.user_id::text);
    ELSE
        PERFORM pg_notify('gatehouse_sessions', NEW.user_id::text);
        IF TG_OP = 'UPDATE' AND OLD.user_id IS DISTINCT FROM NEW.user_id THEN
            PERFORM pg_notify('gatehouse_sessions', OLD.user_id::text);
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

-- Any change of the user row: state (ban, lock), role, level, contacts,
-- profile, and the columns kept by triggers (last sign-in, KYC status).
CREATE TRIGGER users_viewer_changed AFTER UPDATE ON users
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION viewer_user_changed();
CREATE TRIGGER users_viewer_deleted AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION viewer_user_changed();
CREATE TRIGGER users_viewer_truncated AFTER TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION viewer_user_changed();

-- A session ends (sign-out, revocation by its user or staff, reuse of a
-- rotated refresh token, a device removed) or changes its bounds; a new
-- session or a refresh (last_used_at) changes nothing a cached one holds.
CREATE TRIGGER sessions_viewer_changed AFTER UPDATE ON sessions
    FOR EACH ROW WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
        OR OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.device_id IS DISTINCT FROM NEW.device_id)
    EXECUTE FUNCTION viewer_owner_changed();
CREATE TRIGGER sessions_viewer_deleted AFTER DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION viewer_owner_changed();
CREATE TRIGGER sessions_viewer_truncated AFTER TRUNCATE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION viewer_owner_changed();

-- A PIN, password or authenticator app set, changed, reset or removed (the
-- user snapshot's hasPin, hasPassword and totpEnabled); wrong-attempt
-- counters and lockouts are not part of it and stay quiet.
CREATE TRIGGER pin_credentials_viewer_changed AFTER INSERT OR DELETE OR UPDATE OF hash ON pin_credentials
    FOR EACH ROW EXECUTE FUNCTION viewer_owner_changed();
CREATE TRIGGER password_credentials_viewer_changed AFTER INSERT OR DELETE OR UPDATE OF hash ON password_credentials
    FOR EACH ROW EXECUTE FUNCTION viewer_owner_changed();
CREATE TRIGGER totp_credentials_viewer_changed AFTER INSERT OR DELETE OR UPDATE OF confirmed_at ON totp_credentials
    FOR EACH ROW EXECUTE FUNCTION viewer_owner_changed();
