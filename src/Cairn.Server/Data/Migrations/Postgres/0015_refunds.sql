-- Schema version 15 (PostgreSQL): refunds of unapplied credit (money out).
-- A refund is paid out of the unapplied credit of one or more payments of the client in its
-- currency; refund_parts say how much came from which payment (negative rows give it back when
-- the refund is reversed), so per client and currency money in = applied + unapplied + refunded.

CREATE TABLE refunds (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    client_id uuid NOT NULL REFERENCES clients (id),
    currency text NOT NULL,
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    refunded_on date NOT NULL,
    method text NOT NULL,
    reference text NULL,
    status text NOT NULL CHECK (status IN ('Recorded', 'Reversed')),
    created_at timestamptz NOT NULL,
    reversed_at timestamptz NULL,
    reversal_reason text NULL
);
CREATE INDEX ix_refunds_client ON refunds (organization_id, client_id);

CREATE TABLE refund_parts (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    refund_id uuid NOT NULL REFERENCES refunds (id),
    payment_id uuid NOT NULL REFERENCES payments (id),
    amount_minor bigint NOT NULL CHECK (amount_minor <> 0),
    at timestamptz NOT NULL
);
CREATE INDEX ix_refund_parts_payment ON refund_parts (payment_id);
CREATE INDEX ix_refund_parts_refund ON refund_parts (refund_id);

CREATE TRIGGER tr_refund_parts_append_only BEFORE UPDATE OR DELETE ON refund_parts
FOR EACH ROW EXECUTE FUNCTION cairn_append_only('refund parts are append-only');

CREATE TRIGGER tr_refunds_no_delete BEFORE DELETE ON refunds
FOR EACH ROW EXECUTE FUNCTION cairn_append_only('refunds are never deleted; reverse them');
