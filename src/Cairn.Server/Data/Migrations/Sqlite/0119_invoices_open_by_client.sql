-- Schema version 119 (SQLite): a payment applied oldest first reads its client's open invoices, in
-- due-date and number order, as ids and balances from this index alone, and then loads only the
-- invoices it reaches (issue 16: it read every invoice of the client, paid ones included, and loaded
-- the open ones whole with their lines).

CREATE INDEX ix_invoices_open_by_client ON invoices (client_id, due_date, series, sequence, id, currency, disputed, gross_minor, paid_minor, credited_minor)
    WHERE status = 'Issued';
