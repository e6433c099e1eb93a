DELETE FROM permissions
WHERE operation IN ('User.firebaseUid', 'User.referredByCode', 'User.referrer', 'verifyTotp');
