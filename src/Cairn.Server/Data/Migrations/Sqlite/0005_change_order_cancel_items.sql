-- Schema version 5 (SQLite): a change order item that cancels a milestone carries no terms.
-- The column was NOT NULL, so cancel items could not be stored; SQLite cannot drop NOT NULL in
-- place, so the table is rebuilt (nothing references it). Every add or change has terms, and a
-- cancel has none.

CREATE TABLE change_order_items_v5 (
    id TEXT NOT NULL PRIMARY KEY,
    change_order_id TEXT NOT NULL REFERENCES change_orders (id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('Add', 'Change', 'Cancel')),
    milestone_id TEXT NULL REFERENCES milestones (id),
    terms TEXT NULL,
    CHECK ((kind = 'Cancel') = (terms IS NULL))
);
INSERT INTO change_order_items_v5 (id, change_order_id, position, kind, milestone_id, terms)
SELECT id, change_order_id, position, kind, milestone_id, CASE WHEN kind = 'Cancel' THEN NULL ELSE terms END FROM change_order_items;
DROP TABLE change_order_items;
ALTER TABLE change_order_items_v5 RENAME TO change_order_items;
CREATE INDEX ix_change_order_items_change_order ON change_order_items (change_order_id);
