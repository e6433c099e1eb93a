DELETE FROM permissions WHERE role = 'PARTNER' AND operation IN ('openAccount', 'user', 'users');
