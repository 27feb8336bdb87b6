-- Schema version 115 (SQLite): what a credit note takes back in each tax group (category, rate) of
-- its invoice, EN 16931 BG-23, so that a partial credit of an invoice with several groups has its
-- e-invoice form (one credit-note line per group). Written once with the credit note, never changed.
-- Credit notes issued before have no lines: they keep their content hash, and their groups follow
-- from the invoice as before (CreditNote.Groups).

CREATE TABLE credit_note_lines (
    id TEXT NOT NULL PRIMARY KEY,
    credit_note_id TEXT NOT NULL REFERENCES credit_notes (id),
    position INTEGER NOT NULL CHECK (position > 0),
    tax_category TEXT NOT NULL,
    tax_rate_per_million INTEGER NOT NULL,
    tax_exemption_code TEXT NULL,
    tax_exemption_reason TEXT NULL,
    currency TEXT NOT NULL,
    net_minor INTEGER NOT NULL,
    tax_minor INTEGER NOT NULL,
    UNIQUE (credit_note_id, position)
);

CREATE TRIGGER tr_credit_note_lines_no_update BEFORE UPDATE ON credit_note_lines
BEGIN
    SELECT RAISE(ABORT, 'cairn: a credit note is immutable');
END;

CREATE TRIGGER tr_credit_note_lines_no_delete BEFORE DELETE ON credit_note_lines
BEGIN
    SELECT RAISE(ABORT, 'cairn: a credit note is never deleted');
END;
