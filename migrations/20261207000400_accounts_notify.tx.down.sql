DROP TRIGGER portfolios_viewer_truncated ON portfolios;
DROP TRIGGER portfolios_viewer_changed ON portfolios;
DROP FUNCTION portfolio_owner_changed();
DROP TRIGGER accounts_viewer_truncated ON accounts;
DROP TRIGGER accounts_viewer_changed ON accounts;
