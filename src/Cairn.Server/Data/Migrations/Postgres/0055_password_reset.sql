-- Schema version 55 (Postgres): "forgot password". A reset link carries a 256-bit token; only its SHA-256
-- is kept, with the moment it stops working (an hour after it was asked for). Using it, or asking
-- for a new one, ends the previous one.
ALTER TABLE users ADD COLUMN reset_token_hash text NULL;
ALTER TABLE users ADD COLUMN reset_expires_at timestamptz NULL;
CREATE UNIQUE INDEX ux_users_reset_token_hash ON users (reset_token_hash) WHERE reset_token_hash IS NOT NULL;
