-- Schema version 27 (Sqlite): a second factor for staff (TOTP, RFC 6238). The shared secret is kept
-- encrypted by Data Protection; the last time step used stops a code from being replayed; the
-- recovery codes are kept as SHA-256 hashes (each carries 120 random bits) and work once.
ALTER TABLE users ADD COLUMN totp_secret TEXT NULL;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NULL;
CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at TEXT NULL,
    PRIMARY KEY (user_id, code_hash)
);
