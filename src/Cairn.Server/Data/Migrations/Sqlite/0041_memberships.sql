-- Schema version 41 (SQLite): one person, several organizations (issue 11, finding 3). A user is a
-- person with one sign-in (email, password, second factor); what they are in an organization (role,
-- deactivated or not, a pending invitation) is a membership. Every existing user becomes one
-- membership of their organization with the role, status and invitation they had.
-- users.organization_id now names the organization sign-in opens (the one last worked in).
CREATE TABLE memberships (
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    -- The name the inviter gave, shown to the organization until the person enters it (their own name is theirs).
    invited_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('Owner', 'Finance', 'ProjectManager', 'Viewer')),
    created_at TEXT NOT NULL,
    -- When the person first entered the organization (accepted the invitation, signed in or switched to it).
    accepted_at TEXT NULL,
    deactivated_at TEXT NULL,
    invite_token_hash TEXT NULL,
    invite_expires_at TEXT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX ix_memberships_user ON memberships (user_id);
CREATE UNIQUE INDEX ux_memberships_invite_token_hash ON memberships (invite_token_hash) WHERE invite_token_hash IS NOT NULL;

INSERT INTO memberships (organization_id, user_id, invited_name, role, created_at, accepted_at, deactivated_at, invite_token_hash, invite_expires_at, version)
SELECT organization_id, id, display_name, role, created_at, CASE WHEN password_hash IS NULL THEN NULL ELSE COALESCE(last_sign_in_at, created_at) END,
       deactivated_at, invite_token_hash, invite_expires_at, version
FROM users;

DROP INDEX ux_users_invite_token_hash;
ALTER TABLE users DROP COLUMN invite_token_hash;
ALTER TABLE users DROP COLUMN invite_expires_at;
ALTER TABLE users DROP COLUMN deactivated_at;
ALTER TABLE users DROP COLUMN role;
