-- A blob object about to be written: recorded (and committed) before the
-- object is written, removed in the transaction that commits the row that
-- references the object. An intent that outlives its upload names an
-- object no row references: the KYC blob janitor deletes the object, then
-- the intent.
CREATE TABLE kyc_blob_intents (
    blob_key    text PRIMARY KEY,
    created_at  timestamptz NOT NULL
);
CREATE INDEX kyc_blob_intents_created_idx ON kyc_blob_intents (created_at);
