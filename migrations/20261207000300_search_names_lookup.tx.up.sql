-- The users of a name with their sign-up and sign-in times: a search by
-- name that few users match reads the matching names from
-- user_search_names, then each name's users and their sort keys from this
-- index alone (adapters/postgres/directory.go, pageByNames), rather than
-- a heap row per candidate of users' trigram index. It serves everything
-- users_search_name_idx served (the walk in name order, a name's users).
CREATE INDEX users_search_name_keys_idx ON users (search_name, id) INCLUDE (created_at, last_sign_in_at);
DROP INDEX users_search_name_idx;

-- Every name search of few matches now reads user_search_names, so it must
-- hold every user's name even under concurrency: a user given a listed
-- name (its row kept, ON CONFLICT DO NOTHING takes no lock) while another
-- transaction removes the last other user of that name (whose NOT EXISTS
-- cannot see the first, uncommitted) would leave the name unlisted. Both
-- sides now take a transaction lock on the name first; the removal's
-- check runs after it (a new snapshot per statement), so it sees the
-- other's user once that one has committed.
CREATE OR REPLACE FUNCTION users_search_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_name := user_search_name(NEW.id, NEW.name);
    IF NEW.search_name <> '' THEN
        PERFORM pg_advisory_xact_lock(hashtextextended('search_name:' || NEW.search_name, 7));
        INSERT INTO user_search_names (name) VALUES (NEW.search_name) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION kyc_profiles_search_name() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    uid uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.user_id ELSE NEW.user_id END;
    sname text;
BEGIN
    UPDATE users SET search_name = user_search_name(id, name) WHERE id = uid RETURNING search_name INTO sname;
    IF sname <> '' THEN
        PERFORM pg_advisory_xact_lock(hashtextextended('search_name:' || sname, 7));
        INSERT INTO user_search_names (name) VALUES (sname) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION users_search_name_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.search_name <> '' THEN
        PERFORM pg_advisory_xact_lock(hashtextextended('search_name:' || OLD.search_name, 7));
        IF NOT EXISTS (SELECT 1 FROM users WHERE search_name = OLD.search_name) THEN
            DELETE FROM user_search_names WHERE name = OLD.search_name;
        END IF;
    END IF;
    RETURN NULL;
END;
$$;
