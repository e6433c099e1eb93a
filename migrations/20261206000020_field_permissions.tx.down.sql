DELETE FROM permissions WHERE operation LIKE '%.%';
ALTER TABLE permissions DROP CONSTRAINT permissions_operation_check;
ALTER TABLE permissions ADD CONSTRAINT permissions_operation_check CHECK (operation ~
    '^([A-Za-z][A-Za-z0-9_]{0,99}|[A-Za-z0-9_]{0,99}[*])$');
