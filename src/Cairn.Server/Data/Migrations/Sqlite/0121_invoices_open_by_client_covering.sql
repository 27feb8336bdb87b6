-- Schema version 121 (SQLite): the payment's read of its client's open balances names
-- organization_id too (the tenant filter), which ix_invoices_open_by_client (migration 0119) did not
-- hold, so every open invoice of the client was looked up in the table (issue 16). With it, the
-- index covers the read.

DROP INDEX ix_invoices_open_by_client;
CREATE INDEX ix_invoices_open_by_client ON invoices (client_id, due_date, series, sequence, id, organization_id, currency, disputed, gross_minor, paid_minor, credited_minor)
    WHERE status = 'Issued';
