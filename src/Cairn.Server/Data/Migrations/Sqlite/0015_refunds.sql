-- Schema version 15 (SQLite): refunds of unapplied credit (money out); see the PostgreSQL
-- migration of the same number for the reasoning.

CREATE TABLE refunds (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    currency TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    refunded_on TEXT NOT NULL,
    method TEXT NOT NULL,
    reference TEXT NULL,
    status TEXT NOT NULL CHECK (status IN ('Recorded', 'Reversed')),
    created_at TEXT NOT NULL,
    reversed_at TEXT NULL,
    reversal_reason TEXT NULL
);
CREATE INDEX ix_refunds_client ON refunds (organization_id, client_id);

CREATE TABLE refund_parts (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    refund_id TEXT NOT NULL REFERENCES refunds (id),
    payment_id TEXT NOT NULL REFERENCES payments (id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor <> 0),
    at TEXT NOT NULL
);
CREATE INDEX ix_refund_parts_payment ON refund_parts (payment_id);
CREATE INDEX ix_refund_parts_refund ON refund_parts (refund_id);

CREATE TRIGGER tr_refund_parts_no_update BEFORE UPDATE ON refund_parts
BEGIN
    SELECT RAISE(ABORT, 'cairn: refund parts are append-only');
END;

CREATE TRIGGER tr_refund_parts_no_delete BEFORE DELETE ON refund_parts
BEGIN
    SELECT RAISE(ABORT, 'cairn: refund parts are append-only');
END;

CREATE TRIGGER tr_refunds_no_delete BEFORE DELETE ON refunds
BEGIN
    SELECT RAISE(ABORT, 'cairn: refunds are never deleted; reverse them');
END;
