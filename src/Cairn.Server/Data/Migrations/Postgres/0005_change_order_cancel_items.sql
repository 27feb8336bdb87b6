-- Schema version 5 (PostgreSQL): a change order item that cancels a milestone carries no terms.
-- The column was NOT NULL, so cancel items could not be stored. Every add or change has terms,
-- and a cancel has none.

ALTER TABLE change_order_items ALTER COLUMN terms DROP NOT NULL;
UPDATE change_order_items SET terms = NULL WHERE kind = 'Cancel';
ALTER TABLE change_order_items ADD CONSTRAINT ck_change_order_items_terms CHECK ((kind = 'Cancel') = (terms IS NULL));
