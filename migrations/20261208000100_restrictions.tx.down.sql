DELETE FROM permissions WHERE (role = 'ADMIN'
    AND operation IN ('restrictions', 'createRestriction', 'updateRestriction', 'deleteRestriction', 'createWhitelink'))
    OR (role = 'SUPERADMIN' AND operation IN ('createRestriction', 'updateRestriction', 'deleteRestriction', 'createWhitelink'));
DROP TABLE restrictions;
DROP FUNCTION restrictions_changed();
