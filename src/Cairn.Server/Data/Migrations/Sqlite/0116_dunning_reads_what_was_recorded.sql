-- Schema version 116 (SQLite): the dunning pass reads each open invoice with what was recorded
-- for it (its overdue mark, how many steps and the latest) in one statement, and gives a transaction
-- only to the invoices with something to do (issue 16: at 1,000,000 invoices it opened one for each of
-- the 227,509 open invoices every pass and kept a core busy). It now also reads the client and the issue
-- date (which step applies, and whether a step falls before the invoice), so the index of open invoices
-- by due date carries them and the read stays on the index alone.

DROP INDEX ix_invoices_open_by_due;
CREATE INDEX ix_invoices_open_by_due ON invoices (due_date, organization_id, id, client_id, issue_date, gross_minor, paid_minor, credited_minor)
    WHERE status = 'Issued';
