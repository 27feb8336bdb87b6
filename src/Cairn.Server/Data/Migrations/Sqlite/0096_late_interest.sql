-- Late-payment interest (issue 14, item 4; Directive 2011/7/EU) is charged on a new invoice that names
-- the late one; the late invoice never changes. One live interest invoice per late invoice.
ALTER TABLE invoices ADD COLUMN late_interest_for TEXT NULL REFERENCES invoices (id);
CREATE UNIQUE INDEX ux_invoices_late_interest_for ON invoices (late_interest_for) WHERE late_interest_for IS NOT NULL AND status <> 'Void';
-- What a line bills: work (every ordinary line), late_interest, or recovery_compensation (the fixed 40 EUR).
ALTER TABLE invoice_lines ADD COLUMN kind TEXT NOT NULL DEFAULT 'work' CHECK (kind IN ('work', 'late_interest', 'recovery_compensation'));
