-- Schema version 120 (PostgreSQL): the dunning pass reads ix_invoices_to_chase since migration 0118;
-- ix_invoices_open_by_due (open invoices of every organization by due date) has no reader left, and
-- every issued invoice, payment and credit note kept it up to date: on the approve path, for nothing.

DROP INDEX ix_invoices_open_by_due;
