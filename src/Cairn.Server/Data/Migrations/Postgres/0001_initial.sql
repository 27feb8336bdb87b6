-- Cairn schema, version 1 (PostgreSQL). Amounts are 64-bit integers of minor units beside a currency code.

CREATE TABLE organizations (
    id uuid NOT NULL PRIMARY KEY,
    name text NOT NULL,
    address text NOT NULL DEFAULT '',
    tax_id text NOT NULL DEFAULT '',
    email text NOT NULL DEFAULT '',
    default_currency text NOT NULL,
    payment_terms_days integer NOT NULL,
    approval_window_days integer NULL,
    invoice_series_format text NOT NULL,
    credit_note_series_format text NOT NULL,
    issue_mode text NOT NULL,
    payment_instructions text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);

CREATE TABLE clients (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    name text NOT NULL,
    email text NOT NULL DEFAULT '',
    address text NOT NULL DEFAULT '',
    tax_id text NOT NULL DEFAULT '',
    version integer NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX ix_clients_organization ON clients (organization_id);

CREATE TABLE contacts (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    client_id uuid NOT NULL REFERENCES clients (id),
    name text NOT NULL,
    email text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX ix_contacts_client ON contacts (client_id);

CREATE TABLE templates (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NULL REFERENCES organizations (id),
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    "plan" text NOT NULL,
    version integer NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX ix_templates_organization ON templates (organization_id);

CREATE TABLE contracts (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    client_id uuid NOT NULL REFERENCES clients (id),
    title text NOT NULL,
    currency text NOT NULL,
    value_minor bigint NOT NULL CHECK (value_minor > 0),
    tax_rate_basis_points integer NOT NULL CHECK (tax_rate_basis_points BETWEEN 0 AND 10000),
    tax_exemption_reason text NULL,
    payment_terms_days integer NOT NULL,
    approval_window_days integer NULL,
    status text NOT NULL CHECK (status IN ('Draft', 'Active', 'Completed', 'Cancelled')),
    version integer NOT NULL,
    created_at timestamptz NOT NULL,
    activated_at timestamptz NULL,
    closed_at timestamptz NULL
);
CREATE INDEX ix_contracts_organization_status ON contracts (organization_id, status);
CREATE INDEX ix_contracts_client ON contracts (client_id);

CREATE TABLE milestones (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    contract_id uuid NOT NULL REFERENCES contracts (id),
    position integer NOT NULL,
    title text NOT NULL,
    deliverable text NOT NULL DEFAULT '',
    acceptance_criteria text NOT NULL DEFAULT '',
    due_date date NULL,
    currency text NOT NULL,
    fixed_amount_minor bigint NULL,
    percentage_basis_points integer NULL,
    amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
    "trigger" text NOT NULL CHECK ("trigger" IN ('OnApproval', 'OnStart', 'OnDate')),
    billing_date date NULL,
    status text NOT NULL CHECK (status IN ('Planned', 'InProgress', 'Submitted', 'Approved', 'Disputed', 'Cancelled')),
    submitted_at timestamptz NULL,
    approved_at timestamptz NULL,
    approved_by text NULL,
    version integer NOT NULL,
    CHECK ((fixed_amount_minor IS NULL) <> (percentage_basis_points IS NULL))
);
CREATE INDEX ix_milestones_contract ON milestones (contract_id, position);
CREATE INDEX ix_milestones_status ON milestones (organization_id, status);

CREATE TABLE milestone_events (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    milestone_id uuid NOT NULL REFERENCES milestones (id),
    kind text NOT NULL,
    from_status text NOT NULL,
    to_status text NOT NULL,
    note text NULL,
    links text NOT NULL,
    actor text NOT NULL,
    at timestamptz NOT NULL
);
CREATE INDEX ix_milestone_events_milestone ON milestone_events (milestone_id);

CREATE TABLE invoices (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    client_id uuid NOT NULL REFERENCES clients (id),
    contract_id uuid NOT NULL REFERENCES contracts (id),
    milestone_id uuid NULL REFERENCES milestones (id),
    status text NOT NULL CHECK (status IN ('Draft', 'Issued', 'Paid', 'Void')),
    series text NULL,
    sequence bigint NULL,
    number text NULL,
    currency text NOT NULL,
    net_minor bigint NOT NULL,
    tax_minor bigint NOT NULL,
    gross_minor bigint NOT NULL,
    paid_minor bigint NOT NULL CHECK (paid_minor >= 0),
    credited_minor bigint NOT NULL CHECK (credited_minor >= 0),
    payment_terms_days integer NOT NULL,
    tax_exemption_reason text NULL,
    issue_date date NULL,
    due_date date NULL,
    seller text NULL,
    buyer text NULL,
    created_at timestamptz NOT NULL,
    issued_at timestamptz NULL,
    disputed boolean NOT NULL DEFAULT false,
    content_hash text NULL,
    CHECK (gross_minor = net_minor + tax_minor),
    CHECK (paid_minor + credited_minor <= gross_minor),
    CHECK (status = 'Draft' OR (number IS NOT NULL AND sequence IS NOT NULL AND series IS NOT NULL))
);
-- Rule 2: one billable milestone, one invoice (a voided invoice frees nothing automatically, but no second live one).
CREATE UNIQUE INDEX ux_invoices_milestone ON invoices (milestone_id) WHERE milestone_id IS NOT NULL AND status <> 'Void';
-- Rule 3: numbers are unique per series.
CREATE UNIQUE INDEX ux_invoices_series_sequence ON invoices (organization_id, series, sequence) WHERE sequence IS NOT NULL;
CREATE UNIQUE INDEX ux_invoices_number ON invoices (organization_id, number) WHERE number IS NOT NULL;
CREATE INDEX ix_invoices_organization_status ON invoices (organization_id, status, due_date);
CREATE INDEX ix_invoices_client ON invoices (client_id);
CREATE INDEX ix_invoices_contract ON invoices (contract_id);

CREATE TABLE invoice_lines (
    id uuid NOT NULL PRIMARY KEY,
    invoice_id uuid NOT NULL REFERENCES invoices (id),
    position integer NOT NULL,
    description text NOT NULL,
    currency text NOT NULL,
    net_minor bigint NOT NULL,
    tax_rate_basis_points integer NOT NULL
);
CREATE INDEX ix_invoice_lines_invoice ON invoice_lines (invoice_id);

CREATE TABLE credit_notes (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    invoice_id uuid NOT NULL REFERENCES invoices (id),
    client_id uuid NOT NULL REFERENCES clients (id),
    series text NOT NULL,
    sequence bigint NOT NULL,
    number text NOT NULL,
    currency text NOT NULL,
    net_minor bigint NOT NULL,
    tax_minor bigint NOT NULL,
    gross_minor bigint NOT NULL CHECK (gross_minor > 0),
    reason text NOT NULL,
    issue_date date NOT NULL,
    seller text NULL,
    buyer text NULL,
    created_at timestamptz NOT NULL,
    content_hash text NOT NULL,
    CHECK (gross_minor = net_minor + tax_minor)
);
CREATE UNIQUE INDEX ux_credit_notes_series_sequence ON credit_notes (organization_id, series, sequence);
CREATE UNIQUE INDEX ux_credit_notes_number ON credit_notes (organization_id, number);
CREATE INDEX ix_credit_notes_invoice ON credit_notes (invoice_id);

CREATE TABLE payments (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    client_id uuid NOT NULL REFERENCES clients (id),
    currency text NOT NULL,
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    received_on date NOT NULL,
    method text NOT NULL,
    reference text NULL,
    status text NOT NULL CHECK (status IN ('Recorded', 'Reversed')),
    created_at timestamptz NOT NULL,
    reversed_at timestamptz NULL,
    reversal_reason text NULL
);
CREATE INDEX ix_payments_client ON payments (organization_id, client_id);

CREATE TABLE payment_applications (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    payment_id uuid NOT NULL REFERENCES payments (id),
    invoice_id uuid NOT NULL REFERENCES invoices (id),
    amount_minor bigint NOT NULL CHECK (amount_minor <> 0),
    at timestamptz NOT NULL
);
CREATE INDEX ix_payment_applications_payment ON payment_applications (payment_id);
CREATE INDEX ix_payment_applications_invoice ON payment_applications (invoice_id);

CREATE TABLE change_orders (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    contract_id uuid NOT NULL REFERENCES contracts (id),
    title text NOT NULL,
    reason text NOT NULL DEFAULT '',
    status text NOT NULL CHECK (status IN ('Draft', 'Proposed', 'Approved', 'Rejected')),
    created_at timestamptz NOT NULL,
    proposed_at timestamptz NULL,
    decided_at timestamptz NULL,
    decided_by text NULL,
    resulting_contract_version integer NULL
);
CREATE INDEX ix_change_orders_contract ON change_orders (contract_id);

CREATE TABLE change_order_items (
    id uuid NOT NULL PRIMARY KEY,
    change_order_id uuid NOT NULL REFERENCES change_orders (id),
    position integer NOT NULL,
    kind text NOT NULL CHECK (kind IN ('Add', 'Change', 'Cancel')),
    milestone_id uuid NULL REFERENCES milestones (id),
    terms text NOT NULL
);
CREATE INDEX ix_change_order_items_change_order ON change_order_items (change_order_id);

CREATE TABLE disputes (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    contract_id uuid NOT NULL REFERENCES contracts (id),
    milestone_id uuid NOT NULL REFERENCES milestones (id),
    invoice_id uuid NULL REFERENCES invoices (id),
    reason text NOT NULL,
    status text NOT NULL CHECK (status IN ('Open', 'Resolved')),
    outcome text NULL,
    settlement_minor bigint NULL,
    resolution_note text NULL,
    opened_by text NOT NULL,
    opened_at timestamptz NOT NULL,
    resolved_by text NULL,
    resolved_at timestamptz NULL
);
CREATE INDEX ix_disputes_organization_status ON disputes (organization_id, status);
-- At most one open dispute per milestone.
CREATE UNIQUE INDEX ux_disputes_open_milestone ON disputes (milestone_id) WHERE status = 'Open';

-- Gap-free numbering: one counter row per series, bumped inside the issuing transaction.
CREATE TABLE document_counters (
    organization_id uuid NOT NULL REFERENCES organizations (id),
    series text NOT NULL,
    last_value bigint NOT NULL CHECK (last_value >= 0),
    PRIMARY KEY (organization_id, series)
);

CREATE TABLE audit_log (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    entity_type text NOT NULL,
    entity_id uuid NOT NULL,
    action text NOT NULL,
    actor text NOT NULL,
    at timestamptz NOT NULL,
    before text NULL,
    after text NULL
);
CREATE INDEX ix_audit_log_entity ON audit_log (organization_id, entity_type, entity_id);

-- Rule 4: an issued invoice never changes. After issue only its settlement figures
-- (status, paid, credited, disputed flag) move; content, number and dates are frozen.
CREATE FUNCTION cairn_reject(message text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'cairn: %', message USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE FUNCTION cairn_invoices_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'Draft' THEN
            PERFORM cairn_reject('an issued invoice is never deleted');
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'Draft' AND (
        NEW.status = 'Draft'
        OR (NEW.id, NEW.organization_id, NEW.client_id, NEW.contract_id, NEW.milestone_id, NEW.series,
            NEW.sequence, NEW.number, NEW.currency, NEW.net_minor, NEW.tax_minor, NEW.gross_minor,
            NEW.payment_terms_days, NEW.tax_exemption_reason, NEW.issue_date, NEW.due_date,
            NEW.seller, NEW.buyer, NEW.created_at, NEW.issued_at, NEW.content_hash)
           IS DISTINCT FROM
           (OLD.id, OLD.organization_id, OLD.client_id, OLD.contract_id, OLD.milestone_id, OLD.series,
            OLD.sequence, OLD.number, OLD.currency, OLD.net_minor, OLD.tax_minor, OLD.gross_minor,
            OLD.payment_terms_days, OLD.tax_exemption_reason, OLD.issue_date, OLD.due_date,
            OLD.seller, OLD.buyer, OLD.created_at, OLD.issued_at, OLD.content_hash)) THEN
        PERFORM cairn_reject('an issued invoice is immutable');
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER tr_invoices_guard BEFORE UPDATE OR DELETE ON invoices
FOR EACH ROW EXECUTE FUNCTION cairn_invoices_guard();

CREATE FUNCTION cairn_invoice_lines_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT status FROM invoices WHERE id = OLD.invoice_id) <> 'Draft' THEN
        PERFORM cairn_reject('the lines of an issued invoice are immutable');
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER tr_invoice_lines_guard BEFORE UPDATE OR DELETE ON invoice_lines
FOR EACH ROW EXECUTE FUNCTION cairn_invoice_lines_guard();

CREATE FUNCTION cairn_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cairn_reject(TG_ARGV[0]);
    RETURN NULL;
END;
$$;

CREATE TRIGGER tr_credit_notes_immutable BEFORE UPDATE OR DELETE ON credit_notes
FOR EACH ROW EXECUTE FUNCTION cairn_append_only('a credit note is immutable');

CREATE TRIGGER tr_audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION cairn_append_only('the audit log is append-only');

CREATE TRIGGER tr_payment_applications_append_only BEFORE UPDATE OR DELETE ON payment_applications
FOR EACH ROW EXECUTE FUNCTION cairn_append_only('payment applications are append-only');

CREATE TRIGGER tr_milestone_events_append_only BEFORE UPDATE OR DELETE ON milestone_events
FOR EACH ROW EXECUTE FUNCTION cairn_append_only('milestone history is append-only');

CREATE TRIGGER tr_payments_no_delete BEFORE DELETE ON payments
FOR EACH ROW EXECUTE FUNCTION cairn_append_only('payments are never deleted; reverse them');
