-- Issue 16: on PostgreSQL a revocation now also notifies the listening server instances
-- (pg_notify). SQLite has no notifications and one server per file: each request reads the
-- revocation version there, which is an in-process call. Nothing changes in this schema.
SELECT 1;
