-- Schema version 122 (SQLite): recording a payment sums the client's payments so far in its
-- currency (a client's total stays within bounds); ix_payments_client held only the keys, so each of
-- the client's payments was looked up in the table (issue 16). With the currency and the amount in
-- the index, it covers the sum.

DROP INDEX ix_payments_client;
CREATE INDEX ix_payments_client ON payments (organization_id, client_id, currency, amount_minor);
