ALTER TABLE sessions DROP COLUMN stepped_up_until;
