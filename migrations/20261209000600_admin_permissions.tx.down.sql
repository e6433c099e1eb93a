DELETE FROM permissions WHERE role = 'ADMIN'
    AND operation IN ('permissions', 'createPermission', 'updatePermission', 'deletePermission');
