-- Webhooks (issue 14, item 5), to the Standard Webhooks specification. An endpoint is a receiver's
-- URL with the event types it takes; its signing secret (whsec_…) is kept encrypted with the Data
-- Protection key ring, and after a rotation the previous one stays valid until previous_secret_expires_at.
-- An endpoint is disabled (410, or retries exhausted) or deleted, never removed: deliveries name it.
CREATE TABLE webhook_endpoints (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    url text NOT NULL,
    description text NOT NULL,
    -- Space-separated event types, or '*' for every type.
    event_types text NOT NULL,
    enabled boolean NOT NULL,
    disabled_reason text NULL,
    secret text NOT NULL,
    previous_secret text NULL,
    previous_secret_expires_at timestamptz NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    deleted_at timestamptz NULL,
    version integer NOT NULL DEFAULT 1
);
CREATE INDEX ix_webhook_endpoints_organization ON webhook_endpoints (organization_id) WHERE deleted_at IS NULL;

-- One delivery per (event, endpoint), written with the event's fan-out; retried on its own with a
-- lease like the outbox rows (Unix milliseconds in next_attempt_at and locked_until).
CREATE TABLE webhook_deliveries (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id),
    event_id uuid NOT NULL REFERENCES outbox_messages (id),
    event_type text NOT NULL,
    -- The webhook-id header: the same on every attempt and resend, so receivers dedupe on it.
    webhook_id text NOT NULL,
    created_at timestamptz NOT NULL,
    -- Where the retry window starts: the first attempt, or the last resend.
    retry_from timestamptz NOT NULL,
    next_attempt_at bigint NOT NULL,
    locked_until bigint NULL,
    attempts integer NOT NULL DEFAULT 0,
    last_status integer NULL,
    last_error text NULL,
    delivered_at timestamptz NULL,
    gave_up_at timestamptz NULL
);
CREATE UNIQUE INDEX ux_webhook_deliveries_event_endpoint ON webhook_deliveries (event_id, endpoint_id);
CREATE UNIQUE INDEX ux_webhook_deliveries_webhook_id ON webhook_deliveries (webhook_id);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);

-- The delivery log: one row per attempt, as the receiver answered it.
CREATE TABLE webhook_attempts (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id),
    number integer NOT NULL,
    attempted_at timestamptz NOT NULL,
    status_code integer NULL,
    latency_ms integer NOT NULL,
    -- The first 1 KB of the answer's body.
    response text NULL,
    error text NULL
);
CREATE INDEX ix_webhook_attempts_delivery ON webhook_attempts (delivery_id, attempted_at);
