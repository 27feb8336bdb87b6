-- Schema version 60: proposals and acceptance records (issue 15). A draft contract is proposed to
-- one of its client's contacts (status Proposed) with the exact PDF they are shown; their answer
-- (accept, decline, ask for changes) is kept, and how each contract became Active is recorded once,
-- immutably: by the contact in the portal (typed name, UTC time, IP, user agent, portal link and the
-- SHA-256 of the PDF) or by staff directly.
ALTER TABLE contracts DROP CONSTRAINT contracts_status_check;
ALTER TABLE contracts ADD CONSTRAINT contracts_status_check CHECK (status IN ('Draft', 'Proposed', 'Active', 'Completed', 'Cancelled'));
ALTER TABLE contracts ADD COLUMN pending_proposal_id uuid NULL;

CREATE TABLE proposals (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    contract_id uuid NOT NULL REFERENCES contracts (id),
    contact_id uuid NOT NULL REFERENCES contacts (id),
    contract_version integer NOT NULL,
    pdf bytea NOT NULL,
    pdf_sha256 text NOT NULL CHECK (length(pdf_sha256) = 64),
    proposed_by text NOT NULL,
    proposed_at timestamptz NOT NULL,
    outcome text NULL CHECK (outcome IN ('Accepted', 'Declined', 'ChangesRequested')),
    decided_at timestamptz NULL,
    reason text NULL
);
CREATE INDEX ix_proposals_contract ON proposals (contract_id);

-- What was proposed never changes; only the answer is written, once.
CREATE OR REPLACE FUNCTION cairn_proposals_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.outcome IS NOT NULL
       OR (NEW.pdf, NEW.pdf_sha256, NEW.contract_id, NEW.contact_id, NEW.contract_version, NEW.proposed_at, NEW.proposed_by)
          IS DISTINCT FROM (OLD.pdf, OLD.pdf_sha256, OLD.contract_id, OLD.contact_id, OLD.contract_version, OLD.proposed_at, OLD.proposed_by) THEN
        PERFORM cairn_reject('a proposal is immutable once sent, and answered once');
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER tr_proposals_guard BEFORE UPDATE OR DELETE ON proposals
FOR EACH ROW EXECUTE FUNCTION cairn_proposals_guard();

CREATE TABLE acceptances (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    contract_id uuid NOT NULL REFERENCES contracts (id),
    method text NOT NULL CHECK (method IN ('Portal', 'Staff')),
    actor text NOT NULL,
    accepted_at timestamptz NOT NULL,
    proposal_id uuid NULL REFERENCES proposals (id),
    contact_id uuid NULL REFERENCES contacts (id),
    contact_name text NULL,
    typed_name text NULL,
    ip_address text NULL,
    user_agent text NULL,
    portal_link_id uuid NULL,
    proposal_pdf_sha256 text NULL,
    CHECK (method = 'Staff' OR (proposal_id IS NOT NULL AND contact_id IS NOT NULL AND typed_name IS NOT NULL AND proposal_pdf_sha256 IS NOT NULL))
);
-- A contract is activated once: two acceptances racing cannot both be recorded.
CREATE UNIQUE INDEX ux_acceptances_contract ON acceptances (contract_id);

CREATE TRIGGER tr_acceptances_append_only BEFORE UPDATE OR DELETE ON acceptances
FOR EACH ROW EXECUTE FUNCTION cairn_append_only('an acceptance record is immutable');
