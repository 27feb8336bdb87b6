-- Schema version 20 (SQLite): a stored answer to a request with an Idempotency-Key belongs to the
-- caller (user or API key) that made it. Before, the key was unique per organization, so another
-- caller replaying it (a viewer key replaying the owner's) got the owner's answer instead of being
-- authorized on its own. Answers stored before this version keep an empty caller and are never
-- replayed again (they expire within 24 hours anyway).

CREATE TABLE idempotency_requests_by_caller (
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    caller TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    content_type TEXT NULL,
    location TEXT NULL,
    etag TEXT NULL,
    body BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, caller, idempotency_key)
);
INSERT INTO idempotency_requests_by_caller (organization_id, caller, idempotency_key, request_hash, status_code, content_type, location, etag, body, created_at)
SELECT organization_id, '', idempotency_key, request_hash, status_code, content_type, location, etag, body, created_at FROM idempotency_requests;
DROP TABLE idempotency_requests;
ALTER TABLE idempotency_requests_by_caller RENAME TO idempotency_requests;
CREATE INDEX ix_idempotency_requests_created ON idempotency_requests (created_at);
