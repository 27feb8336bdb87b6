-- Schema version 25 (PostgreSQL): failed sign-ins are counted per email address in one atomic
-- statement (an upsert that returns the new count), for known and unknown addresses alike, so
-- concurrent attempts cannot check more passwords than the limit and a lockout says nothing
-- about whether an account exists. The per-user counters this replaces are dropped.
CREATE TABLE sign_in_attempts (
    normalized_email text NOT NULL PRIMARY KEY,
    failures integer NOT NULL,
    -- Unix time in seconds until which no password is checked for this address.
    locked_until bigint NULL
);
ALTER TABLE users DROP COLUMN failed_sign_ins;
ALTER TABLE users DROP COLUMN locked_until;
