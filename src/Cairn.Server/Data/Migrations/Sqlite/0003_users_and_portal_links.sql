-- Schema version 3 (SQLite): staff users and client portal links.

-- Staff users sign in with email and password. Emails are unique across Cairn, compared in
-- upper case (normalized_email), so sign-in needs no organization picker.
CREATE TABLE users (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    email TEXT NOT NULL,
    normalized_email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('Owner', 'Finance', 'ProjectManager', 'Viewer')),
    password_hash TEXT NULL,
    security_stamp TEXT NOT NULL,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT NULL,
    invite_token_hash TEXT NULL,
    invite_expires_at TEXT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    last_sign_in_at TEXT NULL,
    deactivated_at TEXT NULL
);
CREATE UNIQUE INDEX ux_users_normalized_email ON users (normalized_email);
CREATE UNIQUE INDEX ux_users_invite_token_hash ON users (invite_token_hash) WHERE invite_token_hash IS NOT NULL;
CREATE INDEX ix_users_organization ON users (organization_id);

-- A portal link lets one client contact in without a password. Only the SHA-256 of its token is kept.
CREATE TABLE portal_links (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    token_hash TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT NULL,
    last_opened_at TEXT NULL
);
CREATE UNIQUE INDEX ux_portal_links_token_hash ON portal_links (token_hash);
CREATE INDEX ix_portal_links_contact ON portal_links (organization_id, contact_id);
