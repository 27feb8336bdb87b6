-- Schema version 113: the language a staff user reads Cairn's emails to them in (notifications,
-- daily digests, mentions, a disabled webhook endpoint), ISO 639-1 like clients.language: en, de,
-- fr, nl, es. Existing users keep English, what they received until now.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'de', 'fr', 'nl', 'es'));
