-- Issue 16 (the EXPLAIN sweep of the request paths): a contract's milestones are read with the
-- tenant's filter, organization_id = ? AND contract_id = ?. SQLite's planner (no statistics) took
-- ix_milestones_status (organization_id, status) for that, reading every milestone of the books on
-- each contract read and approval; an index with both columns is its first choice.
CREATE INDEX ix_milestones_organization_contract ON milestones (organization_id, contract_id);

-- The same for a contract's credit notes (organization_id = ? AND invoice_id IN (its invoices)):
-- SQLite took ux_credit_notes_number (organization_id, number) and read every credit note.
CREATE INDEX ix_credit_notes_organization_invoice ON credit_notes (organization_id, invoice_id);
