DELETE FROM permissions WHERE operation IN ('startOidcSignIn', 'completeOidcSignIn', 'startOidcLink',
    'linkOidcIdentity', 'unlinkOidcIdentity', 'User.identities');
DROP TABLE oidc_states;
DROP TRIGGER users_deleted_forget_identities ON users;
DROP FUNCTION federated_identities_forget();
DROP TABLE federated_identities;
