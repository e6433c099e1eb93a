DROP TABLE IF EXISTS kyc_blob_intents;
