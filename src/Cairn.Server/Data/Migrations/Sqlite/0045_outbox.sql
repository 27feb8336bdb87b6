-- Schema version 45 (SQLite): the transactional outbox. An event (milestone.approved …) or an
-- email is written here in the same transaction as the change that causes it, so a change that
-- rolls back emits nothing; the dispatcher delivers committed rows at least once. Times the
-- dispatcher compares in SQL are Unix milliseconds.
CREATE TABLE outbox_messages (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    -- 'event': fanned out into deliveries (emails now, webhooks later); 'email': one email to send.
    kind TEXT NOT NULL CHECK (kind IN ('event', 'email')),
    -- The event type (milestone.approved) or the email's purpose (invitation, portal_link, notification).
    type TEXT NOT NULL,
    -- Unique per delivery, so a receiver can drop a repeat (the email's Message-ID is built from it).
    idempotency_key TEXT NOT NULL,
    -- The thin event payload as JSON, or the email encrypted with the Data Protection key ring.
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    locked_until INTEGER NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NULL,
    delivered_at TEXT NULL,
    gave_up_at TEXT NULL
);
CREATE UNIQUE INDEX ux_outbox_messages_idempotency_key ON outbox_messages (idempotency_key);
-- The dispatcher's scan: only rows still waiting, in due order.
CREATE INDEX ix_outbox_messages_due ON outbox_messages (next_attempt_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX ix_outbox_messages_organization ON outbox_messages (organization_id, created_at);
