-- Schema version 81: the conversation on milestones and change orders (issue 15). A comment belongs
-- to its organization and contract and is about one milestone or change order; its author may edit
-- it for 15 minutes (a rule of the domain), and every edit keeps the previous text in comment_edits,
-- which nothing updates or deletes. Comments are never deleted.
CREATE TABLE comments (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    contract_id uuid NOT NULL REFERENCES contracts (id),
    subject text NOT NULL CHECK (subject IN ('Milestone', 'ChangeOrder')),
    subject_id uuid NOT NULL,
    author text NOT NULL,
    author_name text NOT NULL,
    body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    created_at timestamptz NOT NULL,
    edited_at timestamptz NULL
);
CREATE INDEX ix_comments_subject ON comments (subject_id, id);
CREATE INDEX ix_comments_contract ON comments (contract_id, id);

CREATE OR REPLACE FUNCTION cairn_comments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM cairn_reject('comments are never deleted');
    END IF;
    IF NEW.author IS DISTINCT FROM OLD.author OR NEW.subject_id IS DISTINCT FROM OLD.subject_id
        OR NEW.contract_id IS DISTINCT FROM OLD.contract_id OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        PERFORM cairn_reject('only the text of a comment can be edited');
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER tr_comments_guard BEFORE UPDATE OR DELETE ON comments
FOR EACH ROW EXECUTE FUNCTION cairn_comments_guard();

CREATE TABLE comment_edits (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    comment_id uuid NOT NULL REFERENCES comments (id),
    previous_body text NOT NULL,
    edited_by text NOT NULL,
    edited_at timestamptz NOT NULL
);
CREATE INDEX ix_comment_edits_comment ON comment_edits (comment_id);
CREATE TRIGGER tr_comment_edits_append_only BEFORE UPDATE OR DELETE ON comment_edits
FOR EACH ROW EXECUTE FUNCTION cairn_append_only('the edit history of a comment is immutable');
