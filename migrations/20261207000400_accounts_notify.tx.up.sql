-- The accounts module keeps each viewer's own accounts with their
-- portfolios in memory (accounts.ViewerCache), heard through the same
-- channel as the verified-session cache (viewer_notify): every committed
-- change of an account or a portfolio announces its owner's id on
-- gatehouse_sessions, in the changing transaction (a rolled-back change
-- announces nothing). me.accounts shows only these two tables' columns
-- (the portfolio address is stored), so nothing else needs announcing.

-- Accounts are keyed by user_id: viewer_owner_changed announces the owner
-- (both owners if one ever moved).
CREATE TRIGGER accounts_viewer_changed AFTER INSERT OR UPDATE OR DELETE ON accounts
    FOR EACH ROW EXECUTE FUNCTION viewer_owner_changed();
CREATE TRIGGER accounts_viewer_truncated AFTER TRUNCATE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION viewer_owner_changed();

-- A portfolio announces its account's owner. A portfolio deleted with its
-- account (cascade) finds no account any more: the account's own trigger
-- announced the owner already, and an unknown owner announces everyone.
CREATE FUNCTION portfolio_owner_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    owner uuid;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('gatehouse_sessions', '');
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT user_id INTO owner FROM accounts WHERE id = OLD.account_id;
        PERFORM pg_notify('gatehouse_sessions', COALESCE(owner::text, ''));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT user_id INTO owner FROM accounts WHERE id = NEW.account_id;
        PERFORM pg_notify('gatehouse_sessions', COALESCE(owner::text, ''));
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER portfolios_viewer_changed AFTER INSERT OR UPDATE OR DELETE ON portfolios
    FOR EACH ROW EXECUTE FUNCTION portfolio_owner_changed();
CREATE TRIGGER portfolios_viewer_truncated AFTER TRUNCATE ON portfolios
    FOR EACH STATEMENT EXECUTE FUNCTION portfolio_owner_changed();
