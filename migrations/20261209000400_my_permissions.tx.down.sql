DELETE FROM permissions WHERE operation = 'myPermissions';
