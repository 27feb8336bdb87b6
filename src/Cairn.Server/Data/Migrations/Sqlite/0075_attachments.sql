-- Documents (issue 15, item 3): files attached to contracts, change orders, milestone submissions,
-- a contact's request for changes and disputes. The bytes live in the database, so every instance
-- sees the same files, once per distinct content: file_blobs is keyed by the SHA-256 of the bytes,
-- and attachments name a blob. A removed attachment keeps its row (removed_at); blobs are never
-- changed. Acceptance records keep the SHA-256 of each document shown with the proposal.
CREATE TABLE file_blobs (
    sha256 TEXT NOT NULL PRIMARY KEY CHECK (length(sha256) = 64),
    content BLOB NOT NULL,
    size_bytes INTEGER NOT NULL CHECK (size_bytes = length(content))
);
CREATE TRIGGER tr_file_blobs_immutable BEFORE UPDATE ON file_blobs
BEGIN
    SELECT RAISE(ABORT, 'cairn: a stored file is immutable');
END;

CREATE TABLE attachments (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('Contract', 'ChangeOrder', 'Milestone', 'ChangeRequest', 'Dispute')),
    owner_id TEXT NOT NULL,
    file_name TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    media_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256 TEXT NOT NULL REFERENCES file_blobs (sha256),
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    removed_at TEXT NULL,
    removed_by TEXT NULL
);
CREATE INDEX ix_attachments_owner ON attachments (organization_id, owner_kind, owner_id);
CREATE INDEX ix_attachments_contract ON attachments (organization_id, contract_id);
CREATE INDEX ix_attachments_sha256 ON attachments (sha256);

ALTER TABLE acceptances ADD COLUMN documents TEXT NOT NULL DEFAULT '[]';
