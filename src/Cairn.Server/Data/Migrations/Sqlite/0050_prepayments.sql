-- Deposits that prepay the whole contract (EN 16931: a prepayment invoice, UNTDID 1001 type 386) and
-- the lines of later invoices that deduct them, naming the prepayment invoice (BG-3).
ALTER TABLE milestones ADD COLUMN prepayment INTEGER NOT NULL DEFAULT 0 CHECK (prepayment IN (0, 1) AND (prepayment = 0 OR "trigger" = 'OnStart'));
ALTER TABLE invoices ADD COLUMN prepayment INTEGER NOT NULL DEFAULT 0 CHECK (prepayment IN (0, 1));
ALTER TABLE invoice_lines ADD COLUMN prepayment_invoice_id TEXT NULL REFERENCES invoices (id);
ALTER TABLE invoice_lines ADD COLUMN prepayment_number TEXT NULL;
ALTER TABLE invoice_lines ADD COLUMN prepayment_issue_date TEXT NULL;
CREATE INDEX ix_invoice_lines_prepayment ON invoice_lines (prepayment_invoice_id) WHERE prepayment_invoice_id IS NOT NULL;

-- Rule 4: whether an issued invoice is a prepayment invoice is part of its content.
CREATE TRIGGER tr_invoices_issued_prepayment_immutable BEFORE UPDATE OF prepayment ON invoices
WHEN OLD.status <> 'Draft' AND NEW.prepayment IS NOT OLD.prepayment
BEGIN
    SELECT RAISE(ABORT, 'cairn: an issued invoice is immutable');
END;
