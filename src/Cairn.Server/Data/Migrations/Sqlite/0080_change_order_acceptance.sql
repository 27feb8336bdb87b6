-- Schema version 80: change orders get the same acceptance record as proposals (issue 15). The
-- change-order PDF shown to the client is kept, byte for byte, with its SHA-256; the acceptance
-- table gains an owner kind ('Contract' or 'ChangeOrder') and the change order it belongs to, one
-- record per contract and one per change order.

CREATE TABLE change_order_documents (
    change_order_id TEXT NOT NULL PRIMARY KEY REFERENCES change_orders (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    pdf BLOB NOT NULL,
    pdf_sha256 TEXT NOT NULL CHECK (length(pdf_sha256) = 64),
    created_at TEXT NOT NULL
);
CREATE TRIGGER tr_change_order_documents_no_update BEFORE UPDATE ON change_order_documents
BEGIN
    SELECT RAISE(ABORT, 'cairn: a change-order PDF shown to the client is immutable');
END;
CREATE TRIGGER tr_change_order_documents_no_delete BEFORE DELETE ON change_order_documents
BEGIN
    SELECT RAISE(ABORT, 'cairn: a change-order PDF shown to the client is immutable');
END;

-- SQLite cannot change a CHECK constraint in place: the acceptance table is rebuilt with the owner.
DROP TRIGGER tr_acceptances_no_update;
DROP TRIGGER tr_acceptances_no_delete;
CREATE TABLE acceptances_owned (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    owner TEXT NOT NULL DEFAULT 'Contract' CHECK (owner IN ('Contract', 'ChangeOrder')),
    change_order_id TEXT NULL REFERENCES change_orders (id),
    method TEXT NOT NULL CHECK (method IN ('Portal', 'Staff')),
    actor TEXT NOT NULL,
    accepted_at TEXT NOT NULL,
    proposal_id TEXT NULL REFERENCES proposals (id),
    contact_id TEXT NULL REFERENCES contacts (id),
    contact_name TEXT NULL,
    typed_name TEXT NULL,
    ip_address TEXT NULL,
    user_agent TEXT NULL,
    portal_link_id TEXT NULL,
    proposal_pdf_sha256 TEXT NULL,
    -- The documents shown with the accepted proposal (schema 75): JSON [{attachmentId, fileName, sha256}].
    documents TEXT NOT NULL DEFAULT '[]',
    CHECK ((owner = 'ChangeOrder') = (change_order_id IS NOT NULL)),
    CHECK (method = 'Staff' OR (contact_id IS NOT NULL AND typed_name IS NOT NULL AND proposal_pdf_sha256 IS NOT NULL AND (owner = 'ChangeOrder' OR proposal_id IS NOT NULL)))
);
INSERT INTO acceptances_owned (id, organization_id, contract_id, owner, method, actor, accepted_at, proposal_id, contact_id, contact_name, typed_name, ip_address, user_agent, portal_link_id, proposal_pdf_sha256, documents)
SELECT id, organization_id, contract_id, 'Contract', method, actor, accepted_at, proposal_id, contact_id, contact_name, typed_name, ip_address, user_agent, portal_link_id, proposal_pdf_sha256, documents FROM acceptances;
DROP TABLE acceptances;
ALTER TABLE acceptances_owned RENAME TO acceptances;

-- A contract is activated once and a change order approved once: two acceptances racing cannot both be recorded.
CREATE UNIQUE INDEX ux_acceptances_contract ON acceptances (contract_id) WHERE owner = 'Contract';
CREATE UNIQUE INDEX ux_acceptances_change_order ON acceptances (change_order_id) WHERE change_order_id IS NOT NULL;

CREATE TRIGGER tr_acceptances_no_update BEFORE UPDATE ON acceptances
BEGIN
    SELECT RAISE(ABORT, 'cairn: an acceptance record is immutable');
END;
CREATE TRIGGER tr_acceptances_no_delete BEFORE DELETE ON acceptances
BEGIN
    SELECT RAISE(ABORT, 'cairn: an acceptance record is immutable');
END;

-- Change orders approved before these records existed were approved by staff or the client without a
-- signature: recorded as by staff, by Cairn itself (who clicked is in the audit log), at their decision time.
INSERT INTO acceptances (id, organization_id, contract_id, owner, change_order_id, method, actor, accepted_at)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))), organization_id, contract_id, 'ChangeOrder', id, 'Staff', 'system:system', COALESCE(decided_at, created_at)
FROM change_orders WHERE status = 'Approved';
