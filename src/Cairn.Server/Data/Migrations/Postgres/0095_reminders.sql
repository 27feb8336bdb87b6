-- Reminders and dunning (issue 14, item 4). reminder_settings holds the organization's schedule
-- (client_id NULL) and each client's override and pause; NULL schedule = the default (organization)
-- or the organization's (client). invoice_reminders is the audit trail of every step per invoice,
-- sent or skipped: its unique (invoice, step) row, written in the transaction that queues the
-- email, makes each step go out once whatever the job interval or number of instances.
CREATE TABLE reminder_settings (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    client_id uuid NULL REFERENCES clients (id),
    schedule text NULL,
    paused boolean NOT NULL DEFAULT false,
    charge_late_interest boolean NOT NULL DEFAULT false,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX ux_reminder_settings_organization ON reminder_settings (organization_id) WHERE client_id IS NULL;
CREATE UNIQUE INDEX ux_reminder_settings_client ON reminder_settings (organization_id, client_id) WHERE client_id IS NOT NULL;

CREATE TABLE invoice_reminders (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    invoice_id uuid NOT NULL REFERENCES invoices (id),
    offset_days integer NOT NULL,
    -- 'sent': queued in the outbox; 'skipped': overtaken by a later step (Cairn was not running on its day);
    -- 'no_recipient': the client has no email address to send it to.
    outcome text NOT NULL CHECK (outcome IN ('sent', 'skipped', 'no_recipient')),
    step_day date NOT NULL,
    balance_minor bigint NOT NULL,
    currency varchar(3) NOT NULL,
    outbox_message_id uuid NULL,
    recorded_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX ux_invoice_reminders_step ON invoice_reminders (invoice_id, offset_days);
CREATE INDEX ix_invoice_reminders_organization ON invoice_reminders (organization_id, recorded_at);

-- invoice.overdue is emitted once per invoice: the day after its due date in the organization's time zone.
CREATE TABLE invoice_overdue_marks (
    invoice_id uuid NOT NULL PRIMARY KEY REFERENCES invoices (id),
    organization_id uuid NOT NULL REFERENCES organizations (id),
    overdue_on date NOT NULL,
    recorded_at timestamptz NOT NULL
);

-- The records of the trail are never changed or deleted.
CREATE OR REPLACE FUNCTION invoice_reminders_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'invoice_reminders are append-only'; END $$;
CREATE TRIGGER trg_invoice_reminders_append_only BEFORE UPDATE OR DELETE ON invoice_reminders
FOR EACH ROW EXECUTE FUNCTION invoice_reminders_append_only();
