-- Schema version 42 (SQLite): an owner can require two-factor sign-in for the organization
-- (issue 11, finding 11; ASVS 5.0 V6.3.3). Members without a second factor must set one up first.
ALTER TABLE organizations ADD COLUMN require_two_factor INTEGER NOT NULL DEFAULT 0;
