-- Schema version 26 (SQLite): the Data Protection key ring (cookie and antiforgery keys) lives in
-- the database, shared by every instance, instead of in each process's home folder.
CREATE TABLE data_protection_keys (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    friendly_name TEXT NULL,
    xml TEXT NULL
);
