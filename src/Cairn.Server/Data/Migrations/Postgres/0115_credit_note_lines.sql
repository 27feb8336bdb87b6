-- Schema version 115 (PostgreSQL): what a credit note takes back in each tax group (category, rate)
-- of its invoice, EN 16931 BG-23, so that a partial credit of an invoice with several groups has its
-- e-invoice form (one credit-note line per group). Written once with the credit note, never changed.
-- Credit notes issued before have no lines: they keep their content hash, and their groups follow
-- from the invoice as before (CreditNote.Groups).

CREATE TABLE credit_note_lines (
    id uuid NOT NULL PRIMARY KEY,
    credit_note_id uuid NOT NULL REFERENCES credit_notes (id),
    position integer NOT NULL CHECK (position > 0),
    tax_category text NOT NULL,
    tax_rate_per_million integer NOT NULL,
    tax_exemption_code text NULL,
    tax_exemption_reason text NULL,
    currency text NOT NULL,
    net_minor bigint NOT NULL,
    tax_minor bigint NOT NULL,
    UNIQUE (credit_note_id, position)
);

CREATE TRIGGER tr_credit_note_lines_immutable BEFORE UPDATE OR DELETE ON credit_note_lines
FOR EACH ROW EXECUTE FUNCTION cairn_append_only('a credit note is immutable');
