-- Organization branding (issue 12): a logo (PNG or JPEG, its bytes in file_blobs like every stored
-- file) and an accent colour (#rrggbb, checked for contrast with white by AccentColour) on the
-- organization's PDFs, portal and emails. Null: no logo, Cairn's own accent.
ALTER TABLE organizations ADD COLUMN logo_sha256 TEXT NULL REFERENCES file_blobs (sha256);
ALTER TABLE organizations ADD COLUMN logo_media_type TEXT NULL CHECK (logo_media_type IN ('image/png', 'image/jpeg'));
ALTER TABLE organizations ADD COLUMN accent_colour TEXT NULL CHECK (length(accent_colour) = 7 AND accent_colour GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]');
