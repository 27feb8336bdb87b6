-- Cairn schema, version 1 (SQLite). Amounts are 64-bit integers of minor units beside a currency code.

CREATE TABLE organizations (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    tax_id TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    default_currency TEXT NOT NULL,
    payment_terms_days INTEGER NOT NULL,
    approval_window_days INTEGER NULL,
    invoice_series_format TEXT NOT NULL,
    credit_note_series_format TEXT NOT NULL,
    issue_mode TEXT NOT NULL,
    payment_instructions TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE clients (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    tax_id TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_clients_organization ON clients (organization_id);

CREATE TABLE contacts (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_contacts_client ON contacts (client_id);

CREATE TABLE templates (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    "plan" TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_templates_organization ON templates (organization_id);

CREATE TABLE contracts (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    title TEXT NOT NULL,
    currency TEXT NOT NULL,
    value_minor INTEGER NOT NULL CHECK (value_minor > 0),
    tax_rate_basis_points INTEGER NOT NULL CHECK (tax_rate_basis_points BETWEEN 0 AND 10000),
    tax_exemption_reason TEXT NULL,
    payment_terms_days INTEGER NOT NULL,
    approval_window_days INTEGER NULL,
    status TEXT NOT NULL CHECK (status IN ('Draft', 'Active', 'Completed', 'Cancelled')),
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    activated_at TEXT NULL,
    closed_at TEXT NULL
);
CREATE INDEX ix_contracts_organization_status ON contracts (organization_id, status);
CREATE INDEX ix_contracts_client ON contracts (client_id);

CREATE TABLE milestones (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    deliverable TEXT NOT NULL DEFAULT '',
    acceptance_criteria TEXT NOT NULL DEFAULT '',
    due_date TEXT NULL,
    currency TEXT NOT NULL,
    fixed_amount_minor INTEGER NULL,
    percentage_basis_points INTEGER NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
    "trigger" TEXT NOT NULL CHECK ("trigger" IN ('OnApproval', 'OnStart', 'OnDate')),
    billing_date TEXT NULL,
    status TEXT NOT NULL CHECK (status IN ('Planned', 'InProgress', 'Submitted', 'Approved', 'Disputed', 'Cancelled')),
    submitted_at TEXT NULL,
    approved_at TEXT NULL,
    approved_by TEXT NULL,
    version INTEGER NOT NULL,
    CHECK ((fixed_amount_minor IS NULL) <> (percentage_basis_points IS NULL))
);
CREATE INDEX ix_milestones_contract ON milestones (contract_id, position);
CREATE INDEX ix_milestones_status ON milestones (organization_id, status);

CREATE TABLE milestone_events (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    milestone_id TEXT NOT NULL REFERENCES milestones (id),
    kind TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT NULL,
    links TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX ix_milestone_events_milestone ON milestone_events (milestone_id);

CREATE TABLE invoices (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    milestone_id TEXT NULL REFERENCES milestones (id),
    status TEXT NOT NULL CHECK (status IN ('Draft', 'Issued', 'Paid', 'Void')),
    series TEXT NULL,
    sequence INTEGER NULL,
    number TEXT NULL,
    currency TEXT NOT NULL,
    net_minor INTEGER NOT NULL,
    tax_minor INTEGER NOT NULL,
    gross_minor INTEGER NOT NULL,
    paid_minor INTEGER NOT NULL CHECK (paid_minor >= 0),
    credited_minor INTEGER NOT NULL CHECK (credited_minor >= 0),
    payment_terms_days INTEGER NOT NULL,
    tax_exemption_reason TEXT NULL,
    issue_date TEXT NULL,
    due_date TEXT NULL,
    seller TEXT NULL,
    buyer TEXT NULL,
    created_at TEXT NOT NULL,
    issued_at TEXT NULL,
    disputed INTEGER NOT NULL DEFAULT 0,
    content_hash TEXT NULL,
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
    id TEXT NOT NULL PRIMARY KEY,
    invoice_id TEXT NOT NULL REFERENCES invoices (id),
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    currency TEXT NOT NULL,
    net_minor INTEGER NOT NULL,
    tax_rate_basis_points INTEGER NOT NULL
);
CREATE INDEX ix_invoice_lines_invoice ON invoice_lines (invoice_id);

CREATE TABLE credit_notes (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    invoice_id TEXT NOT NULL REFERENCES invoices (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    series TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    number TEXT NOT NULL,
    currency TEXT NOT NULL,
    net_minor INTEGER NOT NULL,
    tax_minor INTEGER NOT NULL,
    gross_minor INTEGER NOT NULL CHECK (gross_minor > 0),
    reason TEXT NOT NULL,
    issue_date TEXT NOT NULL,
    seller TEXT NULL,
    buyer TEXT NULL,
    created_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    CHECK (gross_minor = net_minor + tax_minor)
);
CREATE UNIQUE INDEX ux_credit_notes_series_sequence ON credit_notes (organization_id, series, sequence);
CREATE UNIQUE INDEX ux_credit_notes_number ON credit_notes (organization_id, number);
CREATE INDEX ix_credit_notes_invoice ON credit_notes (invoice_id);

CREATE TABLE payments (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    currency TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    received_on TEXT NOT NULL,
    method TEXT NOT NULL,
    reference TEXT NULL,
    status TEXT NOT NULL CHECK (status IN ('Recorded', 'Reversed')),
    created_at TEXT NOT NULL,
    reversed_at TEXT NULL,
    reversal_reason TEXT NULL
);
CREATE INDEX ix_payments_client ON payments (organization_id, client_id);

CREATE TABLE payment_applications (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    payment_id TEXT NOT NULL REFERENCES payments (id),
    invoice_id TEXT NOT NULL REFERENCES invoices (id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor <> 0),
    at TEXT NOT NULL
);
CREATE INDEX ix_payment_applications_payment ON payment_applications (payment_id);
CREATE INDEX ix_payment_applications_invoice ON payment_applications (invoice_id);

CREATE TABLE change_orders (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    title TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('Draft', 'Proposed', 'Approved', 'Rejected')),
    created_at TEXT NOT NULL,
    proposed_at TEXT NULL,
    decided_at TEXT NULL,
    decided_by TEXT NULL,
    resulting_contract_version INTEGER NULL
);
CREATE INDEX ix_change_orders_contract ON change_orders (contract_id);

CREATE TABLE change_order_items (
    id TEXT NOT NULL PRIMARY KEY,
    change_order_id TEXT NOT NULL REFERENCES change_orders (id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('Add', 'Change', 'Cancel')),
    milestone_id TEXT NULL REFERENCES milestones (id),
    terms TEXT NOT NULL
);
CREATE INDEX ix_change_order_items_change_order ON change_order_items (change_order_id);

CREATE TABLE disputes (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    milestone_id TEXT NOT NULL REFERENCES milestones (id),
    invoice_id TEXT NULL REFERENCES invoices (id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('Open', 'Resolved')),
    outcome TEXT NULL,
    settlement_minor INTEGER NULL,
    resolution_note TEXT NULL,
    opened_by TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    resolved_by TEXT NULL,
    resolved_at TEXT NULL
);
CREATE INDEX ix_disputes_organization_status ON disputes (organization_id, status);
-- At most one open dispute per milestone.
CREATE UNIQUE INDEX ux_disputes_open_milestone ON disputes (milestone_id) WHERE status = 'Open';

-- Gap-free numbering: one counter row per series, bumped inside the issuing transaction.
CREATE TABLE document_counters (
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    series TEXT NOT NULL,
    last_value INTEGER NOT NULL CHECK (last_value >= 0),
    PRIMARY KEY (organization_id, series)
);

CREATE TABLE audit_log (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    before TEXT NULL,
    after TEXT NULL
);
CREATE INDEX ix_audit_log_entity ON audit_log (organization_id, entity_type, entity_id);

-- Rule 4: an issued invoice never changes. After issue only its settlement figures
-- (status, paid, credited, disputed flag) move; content, number and dates are frozen.
CREATE TRIGGER tr_invoices_issued_immutable BEFORE UPDATE ON invoices
WHEN OLD.status <> 'Draft' AND (
    NEW.status = 'Draft'
    OR NEW.id IS NOT OLD.id OR NEW.organization_id IS NOT OLD.organization_id
    OR NEW.client_id IS NOT OLD.client_id OR NEW.contract_id IS NOT OLD.contract_id
    OR NEW.milestone_id IS NOT OLD.milestone_id OR NEW.series IS NOT OLD.series
    OR NEW.sequence IS NOT OLD.sequence OR NEW.number IS NOT OLD.number
    OR NEW.currency IS NOT OLD.currency OR NEW.net_minor IS NOT OLD.net_minor
    OR NEW.tax_minor IS NOT OLD.tax_minor OR NEW.gross_minor IS NOT OLD.gross_minor
    OR NEW.payment_terms_days IS NOT OLD.payment_terms_days
    OR NEW.tax_exemption_reason IS NOT OLD.tax_exemption_reason
    OR NEW.issue_date IS NOT OLD.issue_date OR NEW.due_date IS NOT OLD.due_date
    OR NEW.seller IS NOT OLD.seller OR NEW.buyer IS NOT OLD.buyer
    OR NEW.created_at IS NOT OLD.created_at OR NEW.issued_at IS NOT OLD.issued_at
    OR NEW.content_hash IS NOT OLD.content_hash)
BEGIN
    SELECT RAISE(ABORT, 'cairn: an issued invoice is immutable');
END;

CREATE TRIGGER tr_invoices_issued_no_delete BEFORE DELETE ON invoices
WHEN OLD.status <> 'Draft'
BEGIN
    SELECT RAISE(ABORT, 'cairn: an issued invoice is never deleted');
END;

CREATE TRIGGER tr_invoice_lines_issued_no_update BEFORE UPDATE ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) <> 'Draft'
BEGIN
    SELECT RAISE(ABORT, 'cairn: the lines of an issued invoice are immutable');
END;

CREATE TRIGGER tr_invoice_lines_issued_no_delete BEFORE DELETE ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) <> 'Draft'
BEGIN
    SELECT RAISE(ABORT, 'cairn: the lines of an issued invoice are immutable');
END;

CREATE TRIGGER tr_credit_notes_no_update BEFORE UPDATE ON credit_notes
BEGIN
    SELECT RAISE(ABORT, 'cairn: a credit note is immutable');
END;

CREATE TRIGGER tr_credit_notes_no_delete BEFORE DELETE ON credit_notes
BEGIN
    SELECT RAISE(ABORT, 'cairn: a credit note is never deleted');
END;

CREATE TRIGGER tr_audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'cairn: the audit log is append-only');
END;

CREATE TRIGGER tr_audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'cairn: the audit log is append-only');
END;

CREATE TRIGGER tr_payment_applications_no_update BEFORE UPDATE ON payment_applications
BEGIN
    SELECT RAISE(ABORT, 'cairn: payment applications are append-only');
END;

CREATE TRIGGER tr_payment_applications_no_delete BEFORE DELETE ON payment_applications
BEGIN
    SELECT RAISE(ABORT, 'cairn: payment applications are append-only');
END;

CREATE TRIGGER tr_milestone_events_no_update BEFORE UPDATE ON milestone_events
BEGIN
    SELECT RAISE(ABORT, 'cairn: milestone history is append-only');
END;

CREATE TRIGGER tr_milestone_events_no_delete BEFORE DELETE ON milestone_events
BEGIN
    SELECT RAISE(ABORT, 'cairn: milestone history is append-only');
END;

CREATE TRIGGER tr_payments_no_delete BEFORE DELETE ON payments
BEGIN
    SELECT RAISE(ABORT, 'cairn: payments are never deleted; reverse them');
END;
