-- The user's language for the messages Gatehouse sends them: a canonical
-- BCP 47 tag (e.g. es-MX), or '' for the default (English).
ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT ''
    CONSTRAINT users_locale_length CHECK (length(locale) <= 35);
