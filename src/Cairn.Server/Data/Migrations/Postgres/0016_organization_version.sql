-- Schema version 16 (PostgreSQL): the organization's settings carry a version, so GET /settings
-- sends an ETag and PATCH /settings refuses a stale If-Match (412) like every other PATCH.

ALTER TABLE organizations ADD COLUMN version integer NOT NULL DEFAULT 1;
