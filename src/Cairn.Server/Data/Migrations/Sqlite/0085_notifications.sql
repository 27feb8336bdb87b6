-- Email notifications (issue 14, item 3).
-- Which events email a staff user, per organization they belong to; no row means the defaults
-- (every staff event, one email each). email_events is a comma-separated list of event types.
CREATE TABLE notification_preferences (
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    email_events TEXT NOT NULL,
    daily_digest INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);

-- An event waiting for a user's daily digest; digest_id is set when a digest listed it.
CREATE TABLE notification_digest_items (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    line TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    digest_id TEXT NULL
);
CREATE UNIQUE INDEX ux_notification_digest_items_event ON notification_digest_items (user_id, event_id);
CREATE INDEX ix_notification_digest_items_waiting ON notification_digest_items (organization_id, user_id, digest_id);

-- One digest per user and business day, whatever the number of instances.
CREATE TABLE notification_digests (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    day TEXT NOT NULL,
    items INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_notification_digests_day ON notification_digests (organization_id, user_id, day);

-- The milestone.auto_approval_due warning, once per submission of a milestone.
CREATE TABLE approval_warnings (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    milestone_id TEXT NOT NULL REFERENCES milestones (id),
    window_ends_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_approval_warnings_window ON approval_warnings (milestone_id, window_ends_at);

-- Each time an invoice was sent to the client ("Send invoice", "Resend"): when, to whom, by whom.
CREATE TABLE invoice_sends (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    invoice_id TEXT NOT NULL REFERENCES invoices (id),
    recipients TEXT NOT NULL,
    with_ubl INTEGER NOT NULL,
    sent_by TEXT NOT NULL,
    sent_at TEXT NOT NULL
);
CREATE INDEX ix_invoice_sends_invoice ON invoice_sends (invoice_id);

-- The client asked for the UBL e-invoice with every emailed invoice (Peppol and XRechnung clients get it anyway).
ALTER TABLE clients ADD COLUMN email_ubl INTEGER NOT NULL DEFAULT 0;
