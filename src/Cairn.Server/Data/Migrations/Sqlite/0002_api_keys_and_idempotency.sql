-- Schema version 2 (SQLite): API keys and stored answers of idempotent requests.

CREATE TABLE api_keys (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('Owner', 'Finance', 'ProjectManager', 'Viewer')),
    hash TEXT NOT NULL,
    hint TEXT NOT NULL,
    created_by TEXT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT NULL,
    revoked_at TEXT NULL
);
CREATE UNIQUE INDEX ux_api_keys_hash ON api_keys (hash);
CREATE INDEX ix_api_keys_organization ON api_keys (organization_id);

-- One row per (organization, Idempotency-Key): written in the same transaction as the effect.
CREATE TABLE idempotency_requests (
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    content_type TEXT NULL,
    location TEXT NULL,
    etag TEXT NULL,
    body BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, idempotency_key)
);
CREATE INDEX ix_idempotency_requests_created ON idempotency_requests (created_at);
