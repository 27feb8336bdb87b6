-- Schema version 40: the language a client reads its invoices, credit notes and portal in
-- (ISO 639-1: en, de, fr, nl, es). Existing clients keep English, what they saw until now.
ALTER TABLE clients ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'de', 'fr', 'nl', 'es'));
