-- The floor of an approval on PostgreSQL (issue 16): the work `POST /api/v1/milestones/{id}/approve`
-- must do, written by hand as 12 prepared statements (pgbench -M prepared) on Cairn's own schema,
-- with all its keys, unique indexes, checks and triggers (the receivable totals trigger runs on the
-- invoice insert). One transaction: lock the contract, read the milestone, lock the client, approve
-- the milestone, draw the next number of the series, insert the invoice, its line, the milestone's
-- history entry, the three audit entries, the two outbox events and the stored idempotent answer.
--
-- Which milestone: bench_floor_queue holds submitted milestones (copies of the seeded ones, numbered
-- from 1) and bench_floor_seq hands each transaction the next one, inside the locking statement.
-- Variables (-D): org, actor, series, hash, seller, buyer, body (the stored answer, as text),
-- the three audit entries (audit1_type/action/after … audit3_…) and the two outbox payloads
-- (event1_type/payload, event2_type/payload), taken from a real approval of the same run.
BEGIN;
SELECT c.id AS contract_id, c.client_id AS client_id, m.id AS milestone_id, c.tax_rate_per_million AS contract_rate
  FROM contracts c JOIN milestones m ON m.contract_id = c.id
 WHERE m.id = (SELECT q.milestone_id FROM bench_floor_queue q WHERE q.n = (SELECT nextval('bench_floor_seq')))
   AND c.organization_id = :org
   FOR UPDATE OF c \gset
SELECT amount_minor, currency, COALESCE(tax_rate_per_million, CAST(:contract_rate AS integer)) AS tax_rate_per_million, title
  FROM milestones WHERE id = :milestone_id AND organization_id = :org AND status = 'Submitted' \gset
SELECT 1 FROM clients WHERE id = :client_id FOR UPDATE;
\set tax_minor :amount_minor * :tax_rate_per_million / 1000000
\set gross_minor :amount_minor + :tax_minor
UPDATE milestones SET status = 'Approved', approved_at = now(), approved_by = :actor, version = version + 1
 WHERE id = :milestone_id AND status = 'Submitted';
INSERT INTO document_counters (organization_id, series, last_value) VALUES (:org, :series, 1)
    ON CONFLICT (organization_id, series) DO UPDATE SET last_value = document_counters.last_value + 1
    RETURNING last_value AS sequence \gset
INSERT INTO invoices (id, organization_id, client_id, contract_id, milestone_id, status, series, sequence, number,
                      currency, net_minor, tax_minor, gross_minor, paid_minor, credited_minor, payment_terms_days,
                      issue_date, due_date, seller, buyer, created_at, issued_at, disputed, content_hash, prepayment)
VALUES (gen_random_uuid(), :org, :client_id, :contract_id, :milestone_id, 'Issued', :series, :sequence,
        CAST(:series AS text) || '-' || lpad(CAST(:sequence AS text), 6, '0'),
        :currency, :amount_minor, :tax_minor, :gross_minor, 0, 0, 30,
        current_date, current_date + 30, :seller, :buyer, now(), now(), false, :hash, false)
RETURNING id AS invoice_id \gset
INSERT INTO invoice_lines (id, invoice_id, position, description, currency, net_minor, tax_category, tax_rate_per_million, kind)
VALUES (gen_random_uuid(), :invoice_id, 1, :title, :currency, :amount_minor, 'S', :tax_rate_per_million, 'work');
INSERT INTO milestone_events (id, organization_id, milestone_id, kind, from_status, to_status, note, links, actor, at)
VALUES (gen_random_uuid(), :org, :milestone_id, 'Approved', 'Submitted', 'Approved', NULL, '[]', :actor, now());
INSERT INTO audit_log (id, organization_id, entity_type, entity_id, action, actor, at, before, after)
VALUES (gen_random_uuid(), :org, :audit1_type, :milestone_id, :audit1_action, :actor, now(), NULL, :audit1_after),
       (gen_random_uuid(), :org, :audit2_type, :invoice_id, :audit2_action, :actor, now(), NULL, :audit2_after),
       (gen_random_uuid(), :org, :audit3_type, :contract_id, :audit3_action, :actor, now(), NULL, :audit3_after);
INSERT INTO outbox_messages (id, organization_id, kind, type, idempotency_key, payload, created_at, next_attempt_at, attempts, delivered_at)
VALUES (gen_random_uuid(), :org, 'event', :event1_type, CAST(gen_random_uuid() AS text), :event1_payload, now(), 0, 0, now()),
       (gen_random_uuid(), :org, 'event', :event2_type, CAST(gen_random_uuid() AS text), :event2_payload, now(), 0, 0, now());
INSERT INTO idempotency_requests (organization_id, caller, idempotency_key, request_hash, status_code, content_type, body, created_at)
VALUES (:org, :actor, CAST(gen_random_uuid() AS text), :hash, 200, 'application/json', convert_to(:body, 'UTF8'), now());
COMMIT;
