-- Schema version 80: change orders get the same acceptance record as proposals (issue 15). The
-- change-order PDF shown to the client is kept, byte for byte, with its SHA-256; the acceptance
-- table gains an owner kind ('Contract' or 'ChangeOrder') and the change order it belongs to, one
-- record per contract and one per change order.

CREATE TABLE change_order_documents (
    change_order_id uuid NOT NULL PRIMARY KEY REFERENCES change_orders (id),
    organization_id uuid NOT NULL REFERENCES organizations (id),
    pdf bytea NOT NULL,
    pdf_sha256 text NOT NULL CHECK (length(pdf_sha256) = 64),
    created_at timestamptz NOT NULL
);
CREATE TRIGGER tr_change_order_documents_append_only BEFORE UPDATE OR DELETE ON change_order_documents
FOR EACH ROW EXECUTE FUNCTION cairn_append_only('a change-order PDF shown to the client is immutable');

ALTER TABLE acceptances
    ADD COLUMN owner text NOT NULL DEFAULT 'Contract' CHECK (owner IN ('Contract', 'ChangeOrder')),
    ADD COLUMN change_order_id uuid NULL REFERENCES change_orders (id),
    ADD CONSTRAINT ck_acceptances_owner CHECK ((owner = 'ChangeOrder') = (change_order_id IS NOT NULL));
ALTER TABLE acceptances DROP CONSTRAINT acceptances_check;
ALTER TABLE acceptances ADD CONSTRAINT ck_acceptances_signed
    CHECK (method = 'Staff' OR (contact_id IS NOT NULL AND typed_name IS NOT NULL AND proposal_pdf_sha256 IS NOT NULL AND (owner = 'ChangeOrder' OR proposal_id IS NOT NULL)));

-- A contract is activated once and a change order approved once: two acceptances racing cannot both be recorded.
DROP INDEX ux_acceptances_contract;
CREATE UNIQUE INDEX ux_acceptances_contract ON acceptances (contract_id) WHERE owner = 'Contract';
CREATE UNIQUE INDEX ux_acceptances_change_order ON acceptances (change_order_id) WHERE change_order_id IS NOT NULL;

-- Change orders approved before these records existed were approved by staff or the client without a
-- signature: recorded as by staff, by Cairn itself (who clicked is in the audit log), at their decision time.
INSERT INTO acceptances (id, organization_id, contract_id, owner, change_order_id, method, actor, accepted_at)
SELECT gen_random_uuid(), organization_id, contract_id, 'ChangeOrder', id, 'Staff', 'system:system', COALESCE(decided_at, created_at)
FROM change_orders WHERE status = 'Approved';
