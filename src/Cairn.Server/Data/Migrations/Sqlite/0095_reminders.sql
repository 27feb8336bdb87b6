-- Reminders and dunning (issue 14, item 4). reminder_settings holds the organization's schedule
-- (client_id NULL) and each client's override and pause; NULL schedule = the default (organization)
-- or the organization's (client). invoice_reminders is the audit trail of every step per invoice,
-- sent or skipped: its unique (invoice, step) row, written in the transaction that queues the
-- email, makes each step go out once whatever the job interval or number of instances.
CREATE TABLE reminder_settings (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    client_id TEXT NULL REFERENCES clients (id),
    schedule TEXT NULL,
    paused INTEGER NOT NULL DEFAULT 0,
    charge_late_interest INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX ux_reminder_settings_organization ON reminder_settings (organization_id) WHERE client_id IS NULL;
CREATE UNIQUE INDEX ux_reminder_settings_client ON reminder_settings (organization_id, client_id) WHERE client_id IS NOT NULL;

CREATE TABLE invoice_reminders (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    invoice_id TEXT NOT NULL REFERENCES invoices (id),
    offset_days INTEGER NOT NULL,
    -- 'sent': queued in the outbox; 'skipped': overtaken by a later step (Cairn was not running on its day);
    -- 'no_recipient': the client has no email address to send it to.
    outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'skipped', 'no_recipient')),
    step_day TEXT NOT NULL,
    balance_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    outbox_message_id TEXT NULL,
    recorded_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_invoice_reminders_step ON invoice_reminders (invoice_id, offset_days);
CREATE INDEX ix_invoice_reminders_organization ON invoice_reminders (organization_id, recorded_at);

-- invoice.overdue is emitted once per invoice: the day after its due date in the organization's time zone.
CREATE TABLE invoice_overdue_marks (
    invoice_id TEXT NOT NULL PRIMARY KEY REFERENCES invoices (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    overdue_on TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- The records of the trail are never changed or deleted.
CREATE TRIGGER trg_invoice_reminders_no_update BEFORE UPDATE ON invoice_reminders
BEGIN SELECT RAISE(ABORT, 'invoice_reminders are append-only'); END;
CREATE TRIGGER trg_invoice_reminders_no_delete BEFORE DELETE ON invoice_reminders
BEGIN SELECT RAISE(ABORT, 'invoice_reminders are append-only'); END;
