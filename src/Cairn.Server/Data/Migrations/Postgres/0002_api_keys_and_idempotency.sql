-- Schema version 2 (PostgreSQL): API keys and stored answers of idempotent requests.

CREATE TABLE api_keys (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    name text NOT NULL,
    role text NOT NULL CHECK (role IN ('Owner', 'Finance', 'ProjectManager', 'Viewer')),
    hash text NOT NULL,
    hint text NOT NULL,
    created_by uuid NULL,
    created_at timestamptz NOT NULL,
    last_used_at timestamptz NULL,
    revoked_at timestamptz NULL
);
CREATE UNIQUE INDEX ux_api_keys_hash ON api_keys (hash);
CREATE INDEX ix_api_keys_organization ON api_keys (organization_id);

-- One row per (organization, Idempotency-Key): written in the same transaction as the effect.
CREATE TABLE idempotency_requests (
    organization_id uuid NOT NULL REFERENCES organizations (id),
    idempotency_key text NOT NULL,
    request_hash text NOT NULL,
    status_code integer NOT NULL,
    content_type text NULL,
    location text NULL,
    etag text NULL,
    body bytea NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (organization_id, idempotency_key)
);
CREATE INDEX ix_idempotency_requests_created ON idempotency_requests (created_at);
