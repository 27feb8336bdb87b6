-- A milestone's billing state reads ALL of its invoices, void ones included (its history): the
-- partial unique index ux_invoices_milestone excludes void invoices, so it cannot serve that read,
-- and without this index every approval scanned the whole invoices table.
CREATE INDEX ix_invoices_milestone_all ON invoices (milestone_id);

-- The open disputes of one contract (the contract and milestone views).
CREATE INDEX ix_disputes_contract ON disputes (contract_id, status);
