-- Schema version 60: proposals and acceptance records (issue 15). A draft contract is proposed to
-- one of its client's contacts (status Proposed) with the exact PDF they are shown; their answer
-- (accept, decline, ask for changes) is kept, and how each contract became Active is recorded once,
-- immutably: by the contact in the portal (typed name, UTC time, IP, user agent, portal link and the
-- SHA-256 of the PDF) or by staff directly.

-- SQLite cannot change a CHECK constraint in place: the status column is rebuilt with 'Proposed'.
DROP INDEX ix_contracts_organization_status;
DROP INDEX ix_contracts_value;
ALTER TABLE contracts ADD COLUMN lifecycle_status TEXT NOT NULL DEFAULT 'Draft' CHECK (lifecycle_status IN ('Draft', 'Proposed', 'Active', 'Completed', 'Cancelled'));
UPDATE contracts SET lifecycle_status = status;
ALTER TABLE contracts DROP COLUMN status;
ALTER TABLE contracts RENAME COLUMN lifecycle_status TO status;
CREATE INDEX ix_contracts_organization_status ON contracts (organization_id, status);
CREATE INDEX ix_contracts_value ON contracts (organization_id, status, currency, value_minor);
ALTER TABLE contracts ADD COLUMN pending_proposal_id TEXT NULL;

CREATE TABLE proposals (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    contract_version INTEGER NOT NULL,
    pdf BLOB NOT NULL,
    pdf_sha256 TEXT NOT NULL CHECK (length(pdf_sha256) = 64),
    proposed_by TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    outcome TEXT NULL CHECK (outcome IN ('Accepted', 'Declined', 'ChangesRequested')),
    decided_at TEXT NULL,
    reason TEXT NULL
);
CREATE INDEX ix_proposals_contract ON proposals (contract_id);

-- What was proposed never changes; only the answer is written, once.
CREATE TRIGGER tr_proposals_content_immutable BEFORE UPDATE ON proposals
WHEN NEW.pdf IS NOT OLD.pdf OR NEW.pdf_sha256 IS NOT OLD.pdf_sha256 OR NEW.contract_id IS NOT OLD.contract_id
    OR NEW.contact_id IS NOT OLD.contact_id OR NEW.contract_version IS NOT OLD.contract_version
    OR NEW.proposed_at IS NOT OLD.proposed_at OR NEW.proposed_by IS NOT OLD.proposed_by OR OLD.outcome IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'cairn: a proposal is immutable once sent, and answered once');
END;
CREATE TRIGGER tr_proposals_no_delete BEFORE DELETE ON proposals
BEGIN
    SELECT RAISE(ABORT, 'cairn: a proposal is immutable once sent, and answered once');
END;

CREATE TABLE acceptances (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    contract_id TEXT NOT NULL REFERENCES contracts (id),
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
    CHECK (method = 'Staff' OR (proposal_id IS NOT NULL AND contact_id IS NOT NULL AND typed_name IS NOT NULL AND proposal_pdf_sha256 IS NOT NULL))
);
-- A contract is activated once: two acceptances racing cannot both be recorded.
CREATE UNIQUE INDEX ux_acceptances_contract ON acceptances (contract_id);

CREATE TRIGGER tr_acceptances_no_update BEFORE UPDATE ON acceptances
BEGIN
    SELECT RAISE(ABORT, 'cairn: an acceptance record is immutable');
END;
CREATE TRIGGER tr_acceptances_no_delete BEFORE DELETE ON acceptances
BEGIN
    SELECT RAISE(ABORT, 'cairn: an acceptance record is immutable');
END;
