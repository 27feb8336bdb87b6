-- Schema version 10 (PostgreSQL): what the dashboard and the aging report read, without scanning
-- every invoice ever issued.
--
-- receivable_totals keeps, per organization, client and currency, the running sums the dashboard
-- shows for all time: billed (gross less credited) and collected (paid) of every invoice that is not
-- a draft. A trigger on invoices keeps it exact in the same transaction as every change, whichever
-- code path makes it. One row per client: the writers that touch it (issuing, payments, credit
-- notes) already take turns per client, so it adds no new point of contention.

CREATE TABLE receivable_totals (
    organization_id uuid NOT NULL REFERENCES organizations (id),
    client_id uuid NOT NULL REFERENCES clients (id),
    currency text NOT NULL,
    billed_minor bigint NOT NULL,
    collected_minor bigint NOT NULL,
    PRIMARY KEY (organization_id, client_id, currency)
);

CREATE OR REPLACE FUNCTION cairn_receivable_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (OLD.status = 'Draft') = (NEW.status = 'Draft')
       AND (OLD.organization_id, OLD.client_id, OLD.currency, OLD.gross_minor, OLD.paid_minor, OLD.credited_minor)
           IS NOT DISTINCT FROM (NEW.organization_id, NEW.client_id, NEW.currency, NEW.gross_minor, NEW.paid_minor, NEW.credited_minor) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status <> 'Draft' THEN
        UPDATE receivable_totals
        SET billed_minor = billed_minor - (OLD.gross_minor - OLD.credited_minor), collected_minor = collected_minor - OLD.paid_minor
        WHERE organization_id = OLD.organization_id AND client_id = OLD.client_id AND currency = OLD.currency;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status <> 'Draft' THEN
        INSERT INTO receivable_totals AS t (organization_id, client_id, currency, billed_minor, collected_minor)
        VALUES (NEW.organization_id, NEW.client_id, NEW.currency, NEW.gross_minor - NEW.credited_minor, NEW.paid_minor)
        ON CONFLICT (organization_id, client_id, currency) DO UPDATE
        SET billed_minor = t.billed_minor + EXCLUDED.billed_minor, collected_minor = t.collected_minor + EXCLUDED.collected_minor;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tr_invoices_receivable_totals AFTER INSERT OR UPDATE OR DELETE ON invoices
FOR EACH ROW EXECUTE FUNCTION cairn_receivable_totals();

INSERT INTO receivable_totals (organization_id, client_id, currency, billed_minor, collected_minor)
SELECT organization_id, client_id, currency, SUM(gross_minor - credited_minor), SUM(paid_minor)
FROM invoices WHERE status <> 'Draft'
GROUP BY organization_id, client_id, currency;

-- Open invoices (issued, not yet paid or voided) are a small part of all invoices once a business
-- has run for a while: this index holds just them, with every column the open-balance figures and
-- the aging report read, so those are answered from the index alone.
CREATE INDEX ix_invoices_open ON invoices (organization_id, due_date)
    INCLUDE (client_id, currency, gross_minor, paid_minor, credited_minor, disputed)
    WHERE status = 'Issued';

-- Milestones approved but not billed can only be deposits and dated instalments waiting for their
-- trigger (an on_approval milestone is billed in the transaction that approves it, rule 2).
CREATE INDEX ix_milestones_approved_unbilled ON milestones (organization_id)
    WHERE status = 'Approved' AND "trigger" <> 'OnApproval';

-- Milestones still in the works, by due date: the dashboard's "due in the next 30 days".
CREATE INDEX ix_milestones_open_due ON milestones (organization_id, due_date)
    INCLUDE (contract_id, currency, amount_minor)
    WHERE status IN ('Planned', 'InProgress', 'Submitted', 'Disputed');

-- The value of active and completed contracts, from the index alone.
CREATE INDEX ix_contracts_value ON contracts (organization_id, status) INCLUDE (currency, value_minor);
