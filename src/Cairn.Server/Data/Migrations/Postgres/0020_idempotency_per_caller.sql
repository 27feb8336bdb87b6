-- Schema version 20 (PostgreSQL): a stored answer to a request with an Idempotency-Key belongs to
-- the caller (user or API key) that made it. Before, the key was unique per organization, so
-- another caller replaying it (a viewer key replaying the owner's) got the owner's answer instead
-- of being authorized on its own. Answers stored before this version keep an empty caller and are
-- never replayed again (they expire within 24 hours anyway).

ALTER TABLE idempotency_requests ADD COLUMN caller text NOT NULL DEFAULT '';
ALTER TABLE idempotency_requests ALTER COLUMN caller DROP DEFAULT;
ALTER TABLE idempotency_requests DROP CONSTRAINT idempotency_requests_pkey;
ALTER TABLE idempotency_requests ADD PRIMARY KEY (organization_id, caller, idempotency_key);
