-- Schema version 111 (PostgreSQL): issue 16, the dashboard and the scheduled jobs read what is due,
-- not every contract or invoice of the books.
--
-- 1. contract_values: the value of the active and completed contracts per organization and currency
--    (the dashboard's "contract value"), kept by a trigger on contracts in the transaction of every
--    change, as receivable_totals is for invoices; `cairn verify` compares it with the contracts. It
--    summed 100,000 contracts per dashboard request. Only activation, cancellation and a change of an
--    active contract's value write it (Active → Completed keeps the figure and skips the row).
--
-- 2. milestones.contract_status: each milestone carries its contract's status, copied by triggers
--    (the application never writes it; `cairn verify` checks it). The dashboard's "milestones due in
--    the next 30 days" (open milestones of active contracts) joined 51,677 milestones to 100,000
--    contracts; with the contract's status on the milestone, a partial index answers it alone. The
--    same column bounds the scheduled jobs: submissions awaiting approval on contracts that allow
--    work, and dated instalments of active contracts. A contract's status changes rarely, and its
--    milestones are rewritten with it, under the contract's own lock.
--
-- 3. ix_invoices_open_by_due: the dunning pass reads the open invoices of every organization in
--    due-date order; it sorted all of them (on disk at 1,000,000 invoices).

CREATE TABLE contract_values (
    organization_id uuid NOT NULL REFERENCES organizations (id),
    currency text NOT NULL,
    contracts bigint NOT NULL,
    value_minor bigint NOT NULL,
    PRIMARY KEY (organization_id, currency)
);

CREATE FUNCTION cairn_contract_values() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (OLD.status IN ('Active', 'Completed')) = (NEW.status IN ('Active', 'Completed'))
       AND (OLD.organization_id, OLD.currency, OLD.value_minor) IS NOT DISTINCT FROM (NEW.organization_id, NEW.currency, NEW.value_minor) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN ('Active', 'Completed') THEN
        UPDATE contract_values SET contracts = contracts - 1, value_minor = value_minor - OLD.value_minor
        WHERE organization_id = OLD.organization_id AND currency = OLD.currency;
        DELETE FROM contract_values WHERE organization_id = OLD.organization_id AND currency = OLD.currency AND contracts = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN ('Active', 'Completed') THEN
        INSERT INTO contract_values AS v (organization_id, currency, contracts, value_minor)
        VALUES (NEW.organization_id, NEW.currency, 1, NEW.value_minor)
        ON CONFLICT (organization_id, currency) DO UPDATE SET contracts = v.contracts + 1, value_minor = v.value_minor + EXCLUDED.value_minor;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tr_contracts_values AFTER INSERT OR UPDATE OR DELETE ON contracts
FOR EACH ROW EXECUTE FUNCTION cairn_contract_values();

INSERT INTO contract_values (organization_id, currency, contracts, value_minor)
SELECT organization_id, currency, COUNT(*), SUM(value_minor)
FROM contracts WHERE status IN ('Active', 'Completed')
GROUP BY organization_id, currency;

DROP INDEX ix_contracts_value;

ALTER TABLE milestones ADD COLUMN contract_status text NOT NULL DEFAULT 'Draft';
UPDATE milestones m SET contract_status = c.status FROM contracts c WHERE c.id = m.contract_id AND c.status <> 'Draft';

CREATE FUNCTION cairn_milestone_contract_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.contract_status := (SELECT c.status FROM contracts c WHERE c.id = NEW.contract_id);
    RETURN NEW;
END;
$$;

CREATE TRIGGER tr_milestones_contract_status BEFORE INSERT OR UPDATE OF contract_id ON milestones
FOR EACH ROW EXECUTE FUNCTION cairn_milestone_contract_status();

CREATE FUNCTION cairn_contract_status_to_milestones() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE milestones SET contract_status = NEW.status WHERE contract_id = NEW.id AND contract_status <> NEW.status;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tr_contracts_status_to_milestones AFTER UPDATE OF status ON contracts
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION cairn_contract_status_to_milestones();

-- The dashboard's milestones coming due: open milestones of active contracts by due date.
DROP INDEX ix_milestones_open_due;
CREATE INDEX ix_milestones_open_due ON milestones (organization_id, due_date)
    INCLUDE (currency, amount_minor)
    WHERE status IN ('Planned', 'InProgress', 'Submitted', 'Disputed') AND contract_status = 'Active';

-- Scheduled billing's auto-approval: submissions on contracts that allow work, oldest first, joined
-- to the contracts that allow work and have an approval window (whichever side is smaller leads).
CREATE INDEX ix_milestones_awaiting_approval ON milestones (submitted_at)
    INCLUDE (organization_id, contract_id, id)
    WHERE status = 'Submitted' AND contract_status IN ('Active', 'Completed');
CREATE INDEX ix_contracts_approval_window ON contracts (id)
    INCLUDE (approval_window_days)
    WHERE approval_window_days IS NOT NULL AND status IN ('Active', 'Completed');

-- Scheduled billing's dated instalments: on_date milestones of active contracts by billing date.
CREATE INDEX ix_milestones_dated ON milestones (billing_date)
    INCLUDE (organization_id)
    WHERE "trigger" = 'OnDate' AND contract_status = 'Active' AND status <> 'Cancelled' AND amount_minor > 0;

-- Dunning: open invoices of every organization in due-date order, from the index alone.
CREATE INDEX ix_invoices_open_by_due ON invoices (due_date)
    INCLUDE (organization_id, id, gross_minor, paid_minor, credited_minor)
    WHERE status = 'Issued';
