CREATE OR REPLACE FUNCTION users_search_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_name := user_search_name(NEW.id, NEW.name);
    IF NEW.search_name <> '' THEN
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
        INSERT INTO user_search_names (name) VALUES (sname) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION users_search_name_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.search_name <> '' AND NOT EXISTS (SELECT 1 FROM users WHERE search_name = OLD.search_name) THEN
        DELETE FROM user_search_names WHERE name = OLD.search_name;
    END IF;
    RETURN NULL;
END;
$$;

CREATE INDEX users_search_name_idx ON users (search_name, id);
DROP INDEX users_search_name_keys_idx;
