-- Schema version 10 (SQLite): what the dashboard and the aging report read, without scanning
-- every invoice ever issued (see the PostgreSQL migration of the same number for the reasoning).
-- receivable_totals: per organization, client and currency, billed (gross less credited) and
-- collected (paid) of every invoice that is not a draft, kept exact by triggers on invoices.

CREATE TABLE receivable_totals (
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    currency TEXT NOT NULL,
    billed_minor INTEGER NOT NULL,
    collected_minor INTEGER NOT NULL,
    PRIMARY KEY (organization_id, client_id, currency)
);

CREATE TRIGGER tr_invoices_totals_insert AFTER INSERT ON invoices
WHEN NEW.status <> 'Draft'
BEGIN
    INSERT OR IGNORE INTO receivable_totals (organization_id, client_id, currency, billed_minor, collected_minor)
    VALUES (NEW.organization_id, NEW.client_id, NEW.currency, 0, 0);
    UPDATE receivable_totals
    SET billed_minor = billed_minor + (NEW.gross_minor - NEW.credited_minor), collected_minor = collected_minor + NEW.paid_minor
    WHERE organization_id = NEW.organization_id AND client_id = NEW.client_id AND currency = NEW.currency;
END;

CREATE TRIGGER tr_invoices_totals_update AFTER UPDATE ON invoices
WHEN (OLD.status = 'Draft') <> (NEW.status = 'Draft')
  OR OLD.organization_id IS NOT NEW.organization_id OR OLD.client_id IS NOT NEW.client_id OR OLD.currency IS NOT NEW.currency
  OR OLD.gross_minor IS NOT NEW.gross_minor OR OLD.paid_minor IS NOT NEW.paid_minor OR OLD.credited_minor IS NOT NEW.credited_minor
BEGIN
    UPDATE receivable_totals
    SET billed_minor = billed_minor - (OLD.gross_minor - OLD.credited_minor), collected_minor = collected_minor - OLD.paid_minor
    WHERE OLD.status <> 'Draft' AND organization_id = OLD.organization_id AND client_id = OLD.client_id AND currency = OLD.currency;
    INSERT OR IGNORE INTO receivable_totals (organization_id, client_id, currency, billed_minor, collected_minor)
    SELECT NEW.organization_id, NEW.client_id, NEW.currency, 0, 0 WHERE NEW.status <> 'Draft';
    UPDATE receivable_totals
    SET billed_minor = billed_minor + (NEW.gross_minor - NEW.credited_minor), collected_minor = collected_minor + NEW.paid_minor
    WHERE NEW.status <> 'Draft' AND organization_id = NEW.organization_id AND client_id = NEW.client_id AND currency = NEW.currency;
END;

CREATE TRIGGER tr_invoices_totals_delete AFTER DELETE ON invoices
WHEN OLD.status <> 'Draft'
BEGIN
    UPDATE receivable_totals
    SET billed_minor = billed_minor - (OLD.gross_minor - OLD.credited_minor), collected_minor = collected_minor - OLD.paid_minor
    WHERE organization_id = OLD.organization_id AND client_id = OLD.client_id AND currency = OLD.currency;
END;

INSERT INTO receivable_totals (organization_id, client_id, currency, billed_minor, collected_minor)
SELECT organization_id, client_id, currency, SUM(gross_minor - credited_minor), SUM(paid_minor)
FROM invoices WHERE status <> 'Draft'
GROUP BY organization_id, client_id, currency;

-- Open invoices only, with the columns the open-balance figures and the aging report read.
CREATE INDEX ix_invoices_open ON invoices (organization_id, due_date, client_id, currency, gross_minor, paid_minor, credited_minor, disputed)
    WHERE status = 'Issued';

-- Approved but unbilled can only be deposits and dated instalments (rule 2 bills on_approval ones at once).
CREATE INDEX ix_milestones_approved_unbilled ON milestones (organization_id)
    WHERE status = 'Approved' AND "trigger" <> 'OnApproval';

CREATE INDEX ix_milestones_open_due ON milestones (organization_id, due_date, contract_id, currency, amount_minor)
    WHERE status IN ('Planned', 'InProgress', 'Submitted', 'Disputed');

CREATE INDEX ix_contracts_value ON contracts (organization_id, status, currency, value_minor);
