-- Schema version 111 (SQLite): issue 16, the dashboard and the scheduled jobs read what is due, not
-- every contract or invoice of the books (see the PostgreSQL migration of the same number for the
-- reasoning). contract_values: the value of active and completed contracts per organization and
-- currency, kept by triggers on contracts. milestones.contract_status: each milestone carries its
-- contract's status, copied by triggers and never written by the application, so partial indexes
-- bound the dashboard's milestones coming due and the scheduled jobs. `cairn verify` checks both.

CREATE TABLE contract_values (
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    currency TEXT NOT NULL,
    contracts INTEGER NOT NULL,
    value_minor INTEGER NOT NULL,
    PRIMARY KEY (organization_id, currency)
);

CREATE TRIGGER tr_contracts_values_insert AFTER INSERT ON contracts
WHEN NEW.status IN ('Active', 'Completed')
BEGIN
    INSERT OR IGNORE INTO contract_values (organization_id, currency, contracts, value_minor) VALUES (NEW.organization_id, NEW.currency, 0, 0);
    UPDATE contract_values SET contracts = contracts + 1, value_minor = value_minor + NEW.value_minor
    WHERE organization_id = NEW.organization_id AND currency = NEW.currency;
END;

CREATE TRIGGER tr_contracts_values_update AFTER UPDATE ON contracts
WHEN (OLD.status IN ('Active', 'Completed')) <> (NEW.status IN ('Active', 'Completed'))
  OR OLD.organization_id IS NOT NEW.organization_id OR OLD.currency IS NOT NEW.currency OR OLD.value_minor IS NOT NEW.value_minor
BEGIN
    UPDATE contract_values SET contracts = contracts - 1, value_minor = value_minor - OLD.value_minor
    WHERE OLD.status IN ('Active', 'Completed') AND organization_id = OLD.organization_id AND currency = OLD.currency;
    DELETE FROM contract_values WHERE organization_id = OLD.organization_id AND currency = OLD.currency AND contracts = 0;
    INSERT OR IGNORE INTO contract_values (organization_id, currency, contracts, value_minor)
    SELECT NEW.organization_id, NEW.currency, 0, 0 WHERE NEW.status IN ('Active', 'Completed');
    UPDATE contract_values SET contracts = contracts + 1, value_minor = value_minor + NEW.value_minor
    WHERE NEW.status IN ('Active', 'Completed') AND organization_id = NEW.organization_id AND currency = NEW.currency;
END;

CREATE TRIGGER tr_contracts_values_delete AFTER DELETE ON contracts
WHEN OLD.status IN ('Active', 'Completed')
BEGIN
    UPDATE contract_values SET contracts = contracts - 1, value_minor = value_minor - OLD.value_minor
    WHERE organization_id = OLD.organization_id AND currency = OLD.currency;
    DELETE FROM contract_values WHERE organization_id = OLD.organization_id AND currency = OLD.currency AND contracts = 0;
END;

INSERT INTO contract_values (organization_id, currency, contracts, value_minor)
SELECT organization_id, currency, COUNT(*), SUM(value_minor)
FROM contracts WHERE status IN ('Active', 'Completed')
GROUP BY organization_id, currency;

DROP INDEX ix_contracts_value;

ALTER TABLE milestones ADD COLUMN contract_status TEXT NOT NULL DEFAULT 'Draft';
UPDATE milestones SET contract_status = (SELECT c.status FROM contracts c WHERE c.id = milestones.contract_id);

CREATE TRIGGER tr_milestones_contract_status_insert AFTER INSERT ON milestones
BEGIN
    UPDATE milestones SET contract_status = (SELECT c.status FROM contracts c WHERE c.id = NEW.contract_id) WHERE id = NEW.id;
END;

CREATE TRIGGER tr_milestones_contract_status_moved AFTER UPDATE OF contract_id ON milestones
BEGIN
    UPDATE milestones SET contract_status = (SELECT c.status FROM contracts c WHERE c.id = NEW.contract_id) WHERE id = NEW.id;
END;

CREATE TRIGGER tr_contracts_status_to_milestones AFTER UPDATE OF status ON contracts
WHEN OLD.status IS NOT NEW.status
BEGIN
    UPDATE milestones SET contract_status = NEW.status WHERE contract_id = NEW.id AND contract_status <> NEW.status;
END;

DROP INDEX ix_milestones_open_due;
CREATE INDEX ix_milestones_open_due ON milestones (organization_id, due_date, currency, amount_minor)
    WHERE status IN ('Planned', 'InProgress', 'Submitted', 'Disputed') AND contract_status = 'Active';

CREATE INDEX ix_milestones_awaiting_approval ON milestones (submitted_at, organization_id, contract_id, id)
    WHERE status = 'Submitted' AND contract_status IN ('Active', 'Completed');
CREATE INDEX ix_contracts_approval_window ON contracts (id, approval_window_days)
    WHERE approval_window_days IS NOT NULL AND status IN ('Active', 'Completed');

CREATE INDEX ix_milestones_dated ON milestones (billing_date, organization_id)
    WHERE "trigger" = 'OnDate' AND contract_status = 'Active' AND status <> 'Cancelled' AND amount_minor > 0;

CREATE INDEX ix_invoices_open_by_due ON invoices (due_date, organization_id, id, gross_minor, paid_minor, credited_minor)
    WHERE status = 'Issued';
