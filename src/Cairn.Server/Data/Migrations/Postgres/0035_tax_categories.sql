-- Tax categories (UNCL5305), rates with four decimals (parts per million) and VATEX exemption codes,
-- on contracts (default), milestones (override) and invoice lines. Existing rows keep their meaning:
-- a rate above 0% is S, a 0% contract is E with its free-text reason, a 0% line is E when its
-- invoice has an exemption reason and Z otherwise.
ALTER TABLE contracts ADD COLUMN tax_category text NOT NULL DEFAULT 'S' CHECK (tax_category IN ('S', 'Z', 'E', 'AE', 'K', 'G', 'O'));
ALTER TABLE contracts ADD COLUMN tax_rate_per_million integer NOT NULL DEFAULT 0 CHECK (tax_rate_per_million BETWEEN 0 AND 1000000);
ALTER TABLE contracts ADD COLUMN tax_exemption_code text NULL;
UPDATE contracts SET tax_rate_per_million = tax_rate_basis_points * 100,
    tax_category = CASE WHEN tax_rate_basis_points > 0 THEN 'S' ELSE 'E' END;
ALTER TABLE contracts DROP COLUMN tax_rate_basis_points;

ALTER TABLE milestones ADD COLUMN tax_category text NULL CHECK (tax_category IN ('S', 'Z', 'E', 'AE', 'K', 'G', 'O'));
ALTER TABLE milestones ADD COLUMN tax_rate_per_million integer NULL CHECK (tax_rate_per_million BETWEEN 0 AND 1000000);
ALTER TABLE milestones ADD COLUMN tax_exemption_code text NULL;
ALTER TABLE milestones ADD COLUMN tax_exemption_reason text NULL;

-- The lines of issued invoices are immutable; this one-time change of representation (same rate,
-- same meaning, same content hash) lifts the guard for its own statements only.
ALTER TABLE invoice_lines DISABLE TRIGGER tr_invoice_lines_guard;
ALTER TABLE invoice_lines ADD COLUMN tax_category text NOT NULL DEFAULT 'S' CHECK (tax_category IN ('S', 'Z', 'E', 'AE', 'K', 'G', 'O'));
ALTER TABLE invoice_lines ADD COLUMN tax_rate_per_million integer NOT NULL DEFAULT 0 CHECK (tax_rate_per_million BETWEEN 0 AND 1000000);
ALTER TABLE invoice_lines ADD COLUMN tax_exemption_code text NULL;
ALTER TABLE invoice_lines ADD COLUMN tax_exemption_reason text NULL;
UPDATE invoice_lines l SET tax_rate_per_million = l.tax_rate_basis_points * 100,
    tax_category = CASE WHEN l.tax_rate_basis_points > 0 THEN 'S' WHEN i.tax_exemption_reason IS NOT NULL THEN 'E' ELSE 'Z' END,
    tax_exemption_reason = CASE WHEN l.tax_rate_basis_points > 0 THEN NULL ELSE i.tax_exemption_reason END
FROM invoices i WHERE i.id = l.invoice_id;
ALTER TABLE invoice_lines DROP COLUMN tax_rate_basis_points;
ALTER TABLE invoice_lines ENABLE TRIGGER tr_invoice_lines_guard;
