-- Every SMS and e-mail Gatehouse sends, written in the transaction of the
-- change that sends it and sent afterwards by the delivery workers (a
-- River job per delivery, retried by River; River's own tables are created by its migrator,
-- which `gatehouse migrate up` runs after these files). The code a
-- message carries is sealed (code_sealed) and dropped once sent, or once
-- past not_after for a failed one. A FAILED row is a dead letter.
CREATE TABLE deliveries (
    id          uuid PRIMARY KEY,
    channel     text NOT NULL CHECK (channel IN ('sms', 'email')),
    recipient   text NOT NULL,
    template    text NOT NULL,
    locale      text NOT NULL DEFAULT '',
    data        jsonb NOT NULL DEFAULT '{}',
    code_sealed bytea,
    ref         text NOT NULL DEFAULT '',
    withhold    boolean NOT NULL DEFAULT false,
    not_after   timestamptz,
    status      text NOT NULL CHECK (status IN ('QUEUED', 'SENT', 'FAILED')),
    attempts    integer NOT NULL DEFAULT 0,
    reason      text NOT NULL DEFAULT '',
    detail      text NOT NULL DEFAULT '',
    provider    text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    sent_at     timestamptz,
    -- The try under way holds the message until then: no other try (a
    -- rescued job, a staff retry's) sends it meanwhile.
    claimed_until timestamptz
);

-- The status of what a message is about (a challenge's code).
CREATE INDEX deliveries_ref ON deliveries (ref, created_at DESC) WHERE ref <> '';
-- The dead letters, newest first.
CREATE INDEX deliveries_failed ON deliveries (updated_at DESC, id DESC) WHERE status = 'FAILED';
-- The janitor's sweep of old rows.
CREATE INDEX deliveries_created ON deliveries (created_at);

-- Staff read the dead letters and send them again: support and admins by
-- default (SUPERADMIN by its "*" row). Both are audited: a dead letter
-- says what it was about (a KYC or PIN-reset decision, by id).
INSERT INTO permissions (id, role, operation, action) VALUES
    (gen_random_uuid(), 'SUPPORT', 'failedDeliveries', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'failedDeliveries', 'AUDIT'),
    (gen_random_uuid(), 'SUPPORT', 'retryDelivery', 'AUDIT'),
    (gen_random_uuid(), 'ADMIN', 'retryDelivery', 'AUDIT'),
    (gen_random_uuid(), 'ANONYMOUS', 'otpChallenge', 'ALLOW')
ON CONFLICT DO NOTHING;
