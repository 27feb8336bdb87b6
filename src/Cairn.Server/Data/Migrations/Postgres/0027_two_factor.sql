-- Schema version 27 (Postgres): a second factor for staff (TOTP, RFC 6238). The shared secret is kept
-- encrypted by Data Protection; the last time step used stops a code from being replayed; the
-- recovery codes are kept as SHA-256 hashes (each carries 120 random bits) and work once.
ALTER TABLE users ADD COLUMN totp_secret text NULL;
ALTER TABLE users ADD COLUMN totp_last_step bigint NULL;
CREATE TABLE recovery_codes (
    user_id uuid NOT NULL REFERENCES users (id),
    code_hash text NOT NULL,
    used_at timestamptz NULL,
    PRIMARY KEY (user_id, code_hash)
);
