-- Deposits that prepay the whole contract (EN 16931: a prepayment invoice, UNTDID 1001 type 386) and
-- the lines of later invoices that deduct them, naming the prepayment invoice (BG-3).
ALTER TABLE milestones ADD COLUMN prepayment boolean NOT NULL DEFAULT false;
ALTER TABLE milestones ADD CONSTRAINT ck_milestones_prepayment_on_start CHECK (NOT prepayment OR "trigger" = 'OnStart');
ALTER TABLE invoices ADD COLUMN prepayment boolean NOT NULL DEFAULT false;
ALTER TABLE invoice_lines ADD COLUMN prepayment_invoice_id uuid NULL REFERENCES invoices (id);
ALTER TABLE invoice_lines ADD COLUMN prepayment_number text NULL;
ALTER TABLE invoice_lines ADD COLUMN prepayment_issue_date date NULL;
CREATE INDEX ix_invoice_lines_prepayment ON invoice_lines (prepayment_invoice_id) WHERE prepayment_invoice_id IS NOT NULL;

-- Rule 4: whether an issued invoice is a prepayment invoice is part of its content.
CREATE OR REPLACE FUNCTION cairn_invoices_prepayment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'Draft' AND NEW.prepayment IS DISTINCT FROM OLD.prepayment THEN
        RAISE EXCEPTION 'cairn: an issued invoice is immutable';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER tr_invoices_prepayment_guard BEFORE UPDATE OF prepayment ON invoices
FOR EACH ROW EXECUTE FUNCTION cairn_invoices_prepayment_guard();
