-- Webhooks (issue 14, item 5), to the Standard Webhooks specification. An endpoint is a receiver's
-- URL with the event types it takes; its signing secret (whsec_…) is kept encrypted with the Data
-- Protection key ring, and after a rotation the previous one stays valid until previous_secret_expires_at.
-- An endpoint is disabled (410, or retries exhausted) or deleted, never removed: deliveries name it.
CREATE TABLE webhook_endpoints (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    url TEXT NOT NULL,
    description TEXT NOT NULL,
    -- Space-separated event types, or '*' for every type.
    event_types TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    disabled_reason TEXT NULL,
    secret TEXT NOT NULL,
    previous_secret TEXT NULL,
    previous_secret_expires_at TEXT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    deleted_at TEXT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_webhook_endpoints_organization ON webhook_endpoints (organization_id) WHERE deleted_at IS NULL;

-- One delivery per (event, endpoint), written with the event's fan-out; retried on its own with a
-- lease like the outbox rows (Unix milliseconds in next_attempt_at and locked_until).
CREATE TABLE webhook_deliveries (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id),
    event_id TEXT NOT NULL REFERENCES outbox_messages (id),
    event_type TEXT NOT NULL,
    -- The webhook-id header: the same on every attempt and resend, so receivers dedupe on it.
    webhook_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- Where the retry window starts: the first attempt, or the last resend.
    retry_from TEXT NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    locked_until INTEGER NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER NULL,
    last_error TEXT NULL,
    delivered_at TEXT NULL,
    gave_up_at TEXT NULL
);
CREATE UNIQUE INDEX ux_webhook_deliveries_event_endpoint ON webhook_deliveries (event_id, endpoint_id);
CREATE UNIQUE INDEX ux_webhook_deliveries_webhook_id ON webhook_deliveries (webhook_id);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);

-- The delivery log: one row per attempt, as the receiver answered it.
CREATE TABLE webhook_attempts (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id),
    number INTEGER NOT NULL,
    attempted_at TEXT NOT NULL,
    status_code INTEGER NULL,
    latency_ms INTEGER NOT NULL,
    -- The first 1 KB of the answer's body.
    response TEXT NULL,
    error TEXT NULL
);
CREATE INDEX ix_webhook_attempts_delivery ON webhook_attempts (delivery_id, attempted_at);
