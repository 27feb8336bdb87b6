-- Structured parties for EN 16931 (BG-4 seller, BG-7 buyer) as a JSON document per organization and
-- client; today's free-text address is kept as it is and becomes address line 1, so nothing is lost.
-- The country stays unset here: Cairn reads it from the VAT id's prefix until someone sets it.
ALTER TABLE organizations ADD COLUMN party TEXT NOT NULL DEFAULT '{}';
UPDATE organizations SET party = json_object('addressLine1', address) WHERE address <> '';
ALTER TABLE clients ADD COLUMN party TEXT NOT NULL DEFAULT '{}';
UPDATE clients SET party = json_object('addressLine1', address) WHERE address <> '';
ALTER TABLE clients ADD COLUMN einvoice_profile TEXT NOT NULL DEFAULT 'En16931' CHECK (einvoice_profile IN ('En16931', 'Peppol', 'Xrechnung'));
-- Buyer reference (BT-10, e.g. a Leitweg-ID) and purchase order reference (BT-13) per contract,
-- copied onto each invoice when it is created.
ALTER TABLE contracts ADD COLUMN buyer_reference TEXT NULL;
ALTER TABLE contracts ADD COLUMN purchase_order_reference TEXT NULL;
ALTER TABLE invoices ADD COLUMN buyer_reference TEXT NULL;
ALTER TABLE invoices ADD COLUMN purchase_order_reference TEXT NULL;
-- When the invoiced work was delivered (BT-72), for intra-community supplies (BR-IC-11).
ALTER TABLE invoices ADD COLUMN delivery_date TEXT NULL;
