-- The users of a name with their sign-up and sign-in times: a search by
-- name that few users match reads the matching names from
-- user_search_names, then each name's users and their sort keys from this
-- index alone (adapters/postgres/directory.go, pageByNames), rather than
-- a heap row per candidate of users' trigram index. It serves everything
-- users_search_name_idx served (the walk in name order, a name's users).
CREATE INDEX users_search_name_keys_idx ON users (search_name, id) INCLUDE (created_at, last_sign_in_at);
DROP INDEX users_search_name_idx;
