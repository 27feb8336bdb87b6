-- Schema version 81: the conversation on milestones and change orders (issue 15). A comment belongs
-- to its organization and contract and is about one milestone or change order; its author may edit
-- it for 15 minutes (a rule of the domain), and every edit keeps the previous text in comment_edits,
-- which nothing updates or deletes. Comments are never deleted.
CREATE TABLE comments (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    subject TEXT NOT NULL CHECK (subject IN ('Milestone', 'ChangeOrder')),
    subject_id TEXT NOT NULL,
    author TEXT NOT NULL,
    author_name TEXT NOT NULL,
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    created_at TEXT NOT NULL,
    edited_at TEXT NULL
);
CREATE INDEX ix_comments_subject ON comments (subject_id, id);
CREATE INDEX ix_comments_contract ON comments (contract_id, id);

CREATE TRIGGER tr_comments_no_delete BEFORE DELETE ON comments
BEGIN
    SELECT RAISE(ABORT, 'cairn: comments are never deleted');
END;
CREATE TRIGGER tr_comments_identity_immutable BEFORE UPDATE ON comments
WHEN NEW.author IS NOT OLD.author OR NEW.subject_id IS NOT OLD.subject_id OR NEW.contract_id IS NOT OLD.contract_id OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'cairn: only the text of a comment can be edited');
END;

CREATE TABLE comment_edits (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    comment_id TEXT NOT NULL REFERENCES comments (id),
    previous_body TEXT NOT NULL,
    edited_by TEXT NOT NULL,
    edited_at TEXT NOT NULL
);
CREATE INDEX ix_comment_edits_comment ON comment_edits (comment_id);
CREATE TRIGGER tr_comment_edits_no_update BEFORE UPDATE ON comment_edits
BEGIN
    SELECT RAISE(ABORT, 'cairn: the edit history of a comment is immutable');
END;
CREATE TRIGGER tr_comment_edits_no_delete BEFORE DELETE ON comment_edits
BEGIN
    SELECT RAISE(ABORT, 'cairn: the edit history of a comment is immutable');
END;
