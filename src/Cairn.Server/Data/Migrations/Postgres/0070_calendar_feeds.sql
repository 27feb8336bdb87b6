-- Calendar feeds (issue 14, item 6): one subscribable iCalendar URL per staff user or client
-- contact. Like portal links, only the SHA-256 of the URL's token is kept; a feed is revoked,
-- never deleted. Exactly one of user_id and contact_id names the person the feed belongs to.
CREATE TABLE calendar_feeds (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    user_id uuid NULL REFERENCES users (id),
    client_id uuid NULL REFERENCES clients (id),
    contact_id uuid NULL REFERENCES contacts (id),
    token_hash text NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz NULL,
    CHECK ((user_id IS NULL) <> (contact_id IS NULL)),
    CHECK ((contact_id IS NULL) = (client_id IS NULL))
);
CREATE UNIQUE INDEX ux_calendar_feeds_token_hash ON calendar_feeds (token_hash);
CREATE INDEX ix_calendar_feeds_user ON calendar_feeds (organization_id, user_id);
CREATE INDEX ix_calendar_feeds_contact ON calendar_feeds (organization_id, contact_id);

-- How often a milestone's due or billing date changed: the SEQUENCE of its calendar events.
ALTER TABLE milestones ADD COLUMN date_revision integer NOT NULL DEFAULT 0;
