-- Tax categories (UNCL5305), rates with four decimals (parts per million) and VATEX exemption codes,
-- on contracts (default), milestones (override) and invoice lines. Existing rows keep their meaning:
-- a rate above 0% is S, a 0% contract is E with its free-text reason, a 0% line is E when its
-- invoice has an exemption reason and Z otherwise.
ALTER TABLE contracts ADD COLUMN tax_category TEXT NOT NULL DEFAULT 'S' CHECK (tax_category IN ('S', 'Z', 'E', 'AE', 'K', 'G', 'O'));
ALTER TABLE contracts ADD COLUMN tax_rate_per_million INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate_per_million BETWEEN 0 AND 1000000);
ALTER TABLE contracts ADD COLUMN tax_exemption_code TEXT NULL;
UPDATE contracts SET tax_rate_per_million = tax_rate_basis_points * 100,
    tax_category = CASE WHEN tax_rate_basis_points > 0 THEN 'S' ELSE 'E' END;
ALTER TABLE contracts DROP COLUMN tax_rate_basis_points;

ALTER TABLE milestones ADD COLUMN tax_category TEXT NULL CHECK (tax_category IN ('S', 'Z', 'E', 'AE', 'K', 'G', 'O'));
ALTER TABLE milestones ADD COLUMN tax_rate_per_million INTEGER NULL CHECK (tax_rate_per_million BETWEEN 0 AND 1000000);
ALTER TABLE milestones ADD COLUMN tax_exemption_code TEXT NULL;
ALTER TABLE milestones ADD COLUMN tax_exemption_reason TEXT NULL;

-- The lines of issued invoices are immutable; this one-time change of representation (same rate,
-- same meaning, same content hash) lifts the guard for its own statements only.
DROP TRIGGER tr_invoice_lines_issued_no_update;
ALTER TABLE invoice_lines ADD COLUMN tax_category TEXT NOT NULL DEFAULT 'S' CHECK (tax_category IN ('S', 'Z', 'E', 'AE', 'K', 'G', 'O'));
ALTER TABLE invoice_lines ADD COLUMN tax_rate_per_million INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate_per_million BETWEEN 0 AND 1000000);
ALTER TABLE invoice_lines ADD COLUMN tax_exemption_code TEXT NULL;
ALTER TABLE invoice_lines ADD COLUMN tax_exemption_reason TEXT NULL;
UPDATE invoice_lines SET tax_rate_per_million = tax_rate_basis_points * 100,
    tax_category = CASE
        WHEN tax_rate_basis_points > 0 THEN 'S'
        WHEN (SELECT tax_exemption_reason FROM invoices WHERE invoices.id = invoice_lines.invoice_id) IS NOT NULL THEN 'E'
        ELSE 'Z' END,
    tax_exemption_reason = CASE WHEN tax_rate_basis_points > 0 THEN NULL
        ELSE (SELECT tax_exemption_reason FROM invoices WHERE invoices.id = invoice_lines.invoice_id) END;
ALTER TABLE invoice_lines DROP COLUMN tax_rate_basis_points;
CREATE TRIGGER tr_invoice_lines_issued_no_update BEFORE UPDATE ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) <> 'Draft'
BEGIN
    SELECT RAISE(ABORT, 'cairn: the lines of an issued invoice are immutable');
END;
