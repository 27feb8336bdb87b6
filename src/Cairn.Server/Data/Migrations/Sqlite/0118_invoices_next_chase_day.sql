-- Schema version 118 (SQLite): each open invoice carries the day the dunning job next has something
-- to do for it (its overdue day or its next reminder step), and the pass reads only the invoices whose
-- day has come (issue 16: it read every open invoice due within 60 days each minute, 227,509 rows with
-- three lookups each at 1,000,000 invoices). NULL: nothing more under the schedule in force;
-- 0001-01-01: look again at the next pass (set here for every open invoice, so the first pass after
-- the upgrade works each one's day out once).

ALTER TABLE invoices ADD COLUMN next_chase_on TEXT NULL;
UPDATE invoices SET next_chase_on = '0001-01-01' WHERE status = 'Issued';

-- The pass's one read, on the index alone; only open invoices are in it, so paid ones leave it.
CREATE INDEX ix_invoices_to_chase ON invoices (next_chase_on, organization_id, id, client_id, issue_date, due_date, disputed, gross_minor, paid_minor, credited_minor)
    WHERE status = 'Issued';
