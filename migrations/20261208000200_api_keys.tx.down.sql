DELETE FROM permissions WHERE operation IN ('myApiKeys', 'createApiKey', 'updateApiKey', 'deleteApiKey', 'userApiKeys');
DROP TABLE api_key_nonces;
DROP TABLE api_keys;
