-- Issue 16: a revocation also tells every listening server instance, so an instance need not read
-- the revocation version on each request. pg_notify is transactional: the notification (its payload
-- the new version) is delivered when the revoking transaction commits, and never if it rolls back.
CREATE OR REPLACE FUNCTION cairn_api_key_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    raised bigint;
BEGIN
    UPDATE api_key_revocations SET version = version + 1 WHERE id = 1 RETURNING version INTO raised;
    PERFORM pg_notify('cairn_api_key_revoked', raised::text);
    RETURN NULL;
END;
$$;
