-- Nobody locks an owner out of their own account (issue 15, item 2).
--
-- Wrong passwords typed on a trusted device that proved its trust count on
-- the device row, like wrong PINs: strangers' guesses count on the
-- password row and can lock only strangers out.
ALTER TABLE devices
    ADD COLUMN pw_failed_attempts integer NOT NULL DEFAULT 0,
    ADD COLUMN pw_locked_until    timestamptz,
    ADD COLUMN pw_lockouts        integer NOT NULL DEFAULT 0;

-- Code budgets: a send is charged to the owner's budget (codes to a proven
-- contact after a right secret, or asked from a trusted device) or to the
-- client that asked (everything else). client is the client's key (IPv4
-- address or IPv6 /64), recorded either way.
ALTER TABLE otp_challenges
    ADD COLUMN budget text NOT NULL DEFAULT 'OWNER' CHECK (budget IN ('OWNER', 'CLIENT')),
    ADD COLUMN client text NOT NULL DEFAULT '';
ALTER TABLE otp_sends
    ADD COLUMN budget text NOT NULL DEFAULT 'OWNER' CHECK (budget IN ('OWNER', 'CLIENT')),
    ADD COLUMN client text NOT NULL DEFAULT '';
CREATE INDEX otp_sends_client_idx ON otp_sends (client, sent_at) WHERE budget = 'CLIENT';
