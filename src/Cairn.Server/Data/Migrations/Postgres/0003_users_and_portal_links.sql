-- Schema version 3 (PostgreSQL): staff users and client portal links.

-- Staff users sign in with email and password. Emails are unique across Cairn, compared in
-- upper case (normalized_email), so sign-in needs no organization picker.
CREATE TABLE users (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    email text NOT NULL,
    normalized_email text NOT NULL,
    display_name text NOT NULL,
    role text NOT NULL CHECK (role IN ('Owner', 'Finance', 'ProjectManager', 'Viewer')),
    password_hash text NULL,
    security_stamp text NOT NULL,
    failed_sign_ins integer NOT NULL DEFAULT 0,
    locked_until timestamptz NULL,
    invite_token_hash text NULL,
    invite_expires_at timestamptz NULL,
    version integer NOT NULL,
    created_at timestamptz NOT NULL,
    last_sign_in_at timestamptz NULL,
    deactivated_at timestamptz NULL
);
CREATE UNIQUE INDEX ux_users_normalized_email ON users (normalized_email);
CREATE UNIQUE INDEX ux_users_invite_token_hash ON users (invite_token_hash) WHERE invite_token_hash IS NOT NULL;
CREATE INDEX ix_users_organization ON users (organization_id);

-- A portal link lets one client contact in without a password. Only the SHA-256 of its token is kept.
CREATE TABLE portal_links (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    client_id uuid NOT NULL REFERENCES clients (id),
    contact_id uuid NOT NULL REFERENCES contacts (id),
    token_hash text NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz NULL,
    last_opened_at timestamptz NULL
);
CREATE UNIQUE INDEX ux_portal_links_token_hash ON portal_links (token_hash);
CREATE INDEX ix_portal_links_contact ON portal_links (organization_id, contact_id);
