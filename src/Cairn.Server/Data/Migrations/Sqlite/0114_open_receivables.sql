-- Schema version 114 (SQLite): the open balances of issued invoices summed per organization,
-- client, currency and due date, for the dashboard and the aging report (see the
-- PostgreSQL migration of the same number for the reasoning). An invoice counts while it is issued
-- and owes something (gross − paid − credited > 0); a row that reaches 0 is deleted. Kept exact by
-- triggers on invoices, checked by `cairn verify`.

CREATE TABLE open_receivables (
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    currency TEXT NOT NULL,
    due_date TEXT NOT NULL,
    open_minor INTEGER NOT NULL,
    PRIMARY KEY (organization_id, client_id, currency, due_date)
);

CREATE INDEX ix_open_receivables_due ON open_receivables (organization_id, due_date, client_id, currency, open_minor);

CREATE TRIGGER tr_invoices_open_receivables_insert AFTER INSERT ON invoices
WHEN NEW.status = 'Issued' AND NEW.gross_minor - NEW.paid_minor - NEW.credited_minor > 0 AND NEW.due_date IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO open_receivables (organization_id, client_id, currency, due_date, open_minor)
    VALUES (NEW.organization_id, NEW.client_id, NEW.currency, NEW.due_date, 0);
    UPDATE open_receivables SET open_minor = open_minor + (NEW.gross_minor - NEW.paid_minor - NEW.credited_minor)
    WHERE organization_id = NEW.organization_id AND client_id = NEW.client_id AND currency = NEW.currency AND due_date = NEW.due_date;
END;

CREATE TRIGGER tr_invoices_open_receivables_update AFTER UPDATE ON invoices
WHEN OLD.status IS NOT NEW.status OR OLD.organization_id IS NOT NEW.organization_id OR OLD.client_id IS NOT NEW.client_id
  OR OLD.currency IS NOT NEW.currency OR OLD.due_date IS NOT NEW.due_date
  OR OLD.gross_minor IS NOT NEW.gross_minor OR OLD.paid_minor IS NOT NEW.paid_minor OR OLD.credited_minor IS NOT NEW.credited_minor
BEGIN
    UPDATE open_receivables SET open_minor = open_minor - (OLD.gross_minor - OLD.paid_minor - OLD.credited_minor)
    WHERE OLD.status = 'Issued' AND OLD.gross_minor - OLD.paid_minor - OLD.credited_minor > 0
      AND organization_id = OLD.organization_id AND client_id = OLD.client_id AND currency = OLD.currency AND due_date = OLD.due_date;
    DELETE FROM open_receivables
    WHERE organization_id = OLD.organization_id AND client_id = OLD.client_id AND currency = OLD.currency AND due_date = OLD.due_date AND open_minor = 0;
    INSERT OR IGNORE INTO open_receivables (organization_id, client_id, currency, due_date, open_minor)
    SELECT NEW.organization_id, NEW.client_id, NEW.currency, NEW.due_date, 0
    WHERE NEW.status = 'Issued' AND NEW.gross_minor - NEW.paid_minor - NEW.credited_minor > 0 AND NEW.due_date IS NOT NULL;
    UPDATE open_receivables SET open_minor = open_minor + (NEW.gross_minor - NEW.paid_minor - NEW.credited_minor)
    WHERE NEW.status = 'Issued' AND NEW.gross_minor - NEW.paid_minor - NEW.credited_minor > 0
      AND organization_id = NEW.organization_id AND client_id = NEW.client_id AND currency = NEW.currency AND due_date = NEW.due_date;
END;

CREATE TRIGGER tr_invoices_open_receivables_delete AFTER DELETE ON invoices
WHEN OLD.status = 'Issued' AND OLD.gross_minor - OLD.paid_minor - OLD.credited_minor > 0 AND OLD.due_date IS NOT NULL
BEGIN
    UPDATE open_receivables SET open_minor = open_minor - (OLD.gross_minor - OLD.paid_minor - OLD.credited_minor)
    WHERE organization_id = OLD.organization_id AND client_id = OLD.client_id AND currency = OLD.currency AND due_date = OLD.due_date;
    DELETE FROM open_receivables
    WHERE organization_id = OLD.organization_id AND client_id = OLD.client_id AND currency = OLD.currency AND due_date = OLD.due_date AND open_minor = 0;
END;

INSERT INTO open_receivables (organization_id, client_id, currency, due_date, open_minor)
SELECT organization_id, client_id, currency, due_date, SUM(gross_minor - paid_minor - credited_minor)
FROM invoices
WHERE status = 'Issued' AND gross_minor - paid_minor - credited_minor > 0 AND due_date IS NOT NULL
GROUP BY organization_id, client_id, currency, due_date;
