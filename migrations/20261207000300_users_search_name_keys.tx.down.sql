CREATE INDEX users_search_name_idx ON users (search_name, id);
DROP INDEX users_search_name_keys_idx;
