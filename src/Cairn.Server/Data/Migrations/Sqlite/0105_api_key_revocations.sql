-- Issue 16: API keys are authenticated from a cache in each server instance. The cache is
-- valid while this one row's version is the one it was filled at; revoking (or deleting) a key
-- raises the version in the same transaction, so the key is refused from the commit on.
CREATE TABLE api_key_revocations (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO api_key_revocations (id, version) VALUES (1, 0);

CREATE TRIGGER tr_api_keys_revoked AFTER UPDATE OF revoked_at ON api_keys
FOR EACH ROW WHEN OLD.revoked_at IS NOT NEW.revoked_at
BEGIN
    UPDATE api_key_revocations SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tr_api_keys_deleted AFTER DELETE ON api_keys
FOR EACH ROW
BEGIN
    UPDATE api_key_revocations SET version = version + 1 WHERE id = 1;
END;
