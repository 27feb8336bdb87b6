-- Schema version 11 (SQLite): a document whose balance is zero is settled. Approving a 0.00
-- milestone used to issue a numbered 0.00 invoice that stayed Issued (open) for ever; approval now
-- bills nothing for such a checkpoint, and an issued invoice with nothing left to pay is Paid.
-- Only the status moves, which the immutability trigger allows for issued invoices.
UPDATE invoices SET status = 'Paid'
WHERE status = 'Issued' AND gross_minor - paid_minor - credited_minor = 0;
