-- Schema version 114 (PostgreSQL): the open balances of issued invoices summed per organization,
-- client, currency and due date, so the dashboard and the aging report no longer
-- sum every open invoice on each request (issue 16: 227,509 open invoices of 1,000,000 were summed
-- on every dashboard and aging request). A client's invoices falling due on the same day share a row:
-- at most one row per client and day, whatever the number of invoices.
--
-- An invoice counts while it is issued and owes something (gross − paid − credited > 0), the rule of
-- Invoice.BalanceMinorRule and InvoiceQueries.OpenBalances; a row that reaches 0 is deleted. The
-- trigger keeps it exact in the transaction of every change, whichever code path makes it, and
-- `cairn verify` compares it with the invoices. Its name sorts after tr_invoices_receivable_totals,
-- so a change locks the client's receivable_totals row first (PostgreSQL fires triggers by name):
-- writers on one client take turns there and never wait for each other here in opposite orders.

CREATE TABLE open_receivables (
    organization_id uuid NOT NULL REFERENCES organizations (id),
    client_id uuid NOT NULL REFERENCES clients (id),
    currency text NOT NULL,
    due_date date NOT NULL,
    open_minor bigint NOT NULL,
    PRIMARY KEY (organization_id, client_id, currency, due_date)
);

-- The dashboard and the cash forecast read one organization's rows by due date.
CREATE INDEX ix_open_receivables_due ON open_receivables (organization_id, due_date) INCLUDE (client_id, currency, open_minor);

CREATE OR REPLACE FUNCTION cairn_open_receivables() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (OLD.status, OLD.organization_id, OLD.client_id, OLD.currency, OLD.due_date, OLD.gross_minor, OLD.paid_minor, OLD.credited_minor)
           IS NOT DISTINCT FROM (NEW.status, NEW.organization_id, NEW.client_id, NEW.currency, NEW.due_date, NEW.gross_minor, NEW.paid_minor, NEW.credited_minor) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'Issued' AND OLD.gross_minor - OLD.paid_minor - OLD.credited_minor > 0 AND OLD.due_date IS NOT NULL THEN
        UPDATE open_receivables
        SET open_minor = open_minor - (OLD.gross_minor - OLD.paid_minor - OLD.credited_minor)
        WHERE organization_id = OLD.organization_id AND client_id = OLD.client_id AND currency = OLD.currency AND due_date = OLD.due_date;
        DELETE FROM open_receivables
        WHERE organization_id = OLD.organization_id AND client_id = OLD.client_id AND currency = OLD.currency AND due_date = OLD.due_date AND open_minor = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'Issued' AND NEW.gross_minor - NEW.paid_minor - NEW.credited_minor > 0 AND NEW.due_date IS NOT NULL THEN
        INSERT INTO open_receivables AS r (organization_id, client_id, currency, due_date, open_minor)
        VALUES (NEW.organization_id, NEW.client_id, NEW.currency, NEW.due_date, NEW.gross_minor - NEW.paid_minor - NEW.credited_minor)
        ON CONFLICT (organization_id, client_id, currency, due_date) DO UPDATE SET open_minor = r.open_minor + EXCLUDED.open_minor;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tr_invoices_receivable_totals_by_due_date AFTER INSERT OR UPDATE OR DELETE ON invoices
FOR EACH ROW EXECUTE FUNCTION cairn_open_receivables();

INSERT INTO open_receivables (organization_id, client_id, currency, due_date, open_minor)
SELECT organization_id, client_id, currency, due_date, SUM(gross_minor - paid_minor - credited_minor)
FROM invoices
WHERE status = 'Issued' AND gross_minor - paid_minor - credited_minor > 0 AND due_date IS NOT NULL
GROUP BY organization_id, client_id, currency, due_date;
