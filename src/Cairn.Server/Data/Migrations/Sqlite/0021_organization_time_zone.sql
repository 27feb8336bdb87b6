-- Schema version 21 (SQLite): the organization's time zone (an IANA id such as Europe/Paris).
-- Business dates (issue and due dates, the year in document numbers, overdue, aging, "today" for
-- scheduled billing, report months) are days in this zone. Organizations created before this
-- version keep UTC, the day they were using until now; new ones default to the server's zone.

ALTER TABLE organizations ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
