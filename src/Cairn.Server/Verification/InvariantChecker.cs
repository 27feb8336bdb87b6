using System.Data.Common;
using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Verification;

/// <summary>A broken rule found in a database, with the ids of the rows involved.</summary>
public sealed record Violation(string Rule, string Message, IReadOnlyList<string> Ids);

/// <summary>
/// Checks every rule of DESIGN.md §4 over a whole database, across all organizations: plan sums,
/// one invoice per billable milestone, gap-free unique numbers, totals equal to lines and tax,
/// issued documents unchanged (their stored content hash), credit notes and payments within
/// bounds, money in = applied + unapplied, and no row pointing into another organization.
/// Set-based checks run as SQL aggregates; the content hashes are recomputed in batches.
/// </summary>
public sealed class InvariantChecker(CairnDb db)
{
    private const int Batch = 1000;

    /// <summary>The checks, by rule name, with the SQL that returns one row per violation (id, detail).</summary>
    private static readonly (string Rule, string Sql)[] SqlChecks =
    [
        ("1 plan adds up", """
            SELECT c.id, 'contract value ' || c.value_minor || ' but milestones sum to ' || COALESCE(SUM(m.amount_minor), 0)
            FROM contracts c LEFT JOIN milestones m ON m.contract_id = c.id AND m.status <> 'Cancelled' AND NOT m.prepayment
            WHERE c.status IN ('Active', 'Completed')
            GROUP BY c.id, c.value_minor
            HAVING COALESCE(SUM(m.amount_minor), 0) <> c.value_minor
            """),
        ("2 one invoice per billable milestone", """
            SELECT milestone_id, COUNT(*) || ' live invoices for one milestone'
            FROM invoices WHERE milestone_id IS NOT NULL AND status <> 'Void'
            GROUP BY milestone_id HAVING COUNT(*) > 1
            """),
        ("2 one invoice per billable milestone", """
            SELECT m.id, 'approved milestone without an invoice'
            FROM milestones m JOIN contracts c ON c.id = m.contract_id
            WHERE m.status = 'Approved' AND m."trigger" = 'OnApproval' AND c.status IN ('Active', 'Completed')
              AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.milestone_id = m.id)
            """),
        ("2 a credited milestone is not billed again unless re-billed", """
            SELECT i.milestone_id, COUNT(*) || ' invoices for one milestone but ' || (
                SELECT COUNT(*) FROM audit_log a WHERE a.organization_id = i.organization_id AND a.entity_type = 'milestone'
                  AND a.entity_id = i.milestone_id AND a.action = 'rebilled') || ' explicit re-bill(s) in the audit log'
            FROM invoices i WHERE i.milestone_id IS NOT NULL
            GROUP BY i.organization_id, i.milestone_id
            HAVING COUNT(*) > 1 + (
                SELECT COUNT(*) FROM audit_log a WHERE a.organization_id = i.organization_id AND a.entity_type = 'milestone'
                  AND a.entity_id = i.milestone_id AND a.action = 'rebilled')
            """),
        ("3 gap-free numbers", """
            SELECT MIN(d.organization_id || ' ' || d.series), 'series ' || d.series || ' has ' || COUNT(*) || ' documents, positions ' || MIN(d.sequence) || '..' || MAX(d.sequence) || ', ' || COUNT(DISTINCT d.sequence) || ' distinct'
            FROM (SELECT organization_id, series, sequence FROM invoices WHERE sequence IS NOT NULL
                  UNION ALL SELECT organization_id, series, sequence FROM credit_notes) d
            GROUP BY d.organization_id, d.series
            HAVING MIN(d.sequence) <> 1 OR MAX(d.sequence) <> COUNT(*) OR COUNT(DISTINCT d.sequence) <> COUNT(*)
            """),
        ("3 gap-free numbers", """
            SELECT k.organization_id || ' ' || k.series, 'counter at ' || k.last_value || ' but ' || COALESCE(d.n, 0) || ' documents numbered'
            FROM document_counters k LEFT JOIN (
                SELECT organization_id, series, COUNT(*) AS n FROM (
                    SELECT organization_id, series FROM invoices WHERE sequence IS NOT NULL
                    UNION ALL SELECT organization_id, series FROM credit_notes) x
                GROUP BY organization_id, series) d ON d.organization_id = k.organization_id AND d.series = k.series
            WHERE k.last_value <> COALESCE(d.n, 0)
            """),
        ("4 credit notes within bounds", """
            SELECT i.id, 'credited ' || i.credited_minor || ' but credit notes sum to ' || COALESCE(SUM(n.gross_minor), 0) || ' of gross ' || i.gross_minor
            FROM invoices i LEFT JOIN credit_notes n ON n.invoice_id = i.id
            GROUP BY i.id, i.credited_minor, i.gross_minor
            HAVING COALESCE(SUM(n.gross_minor), 0) <> i.credited_minor OR i.credited_minor > i.gross_minor
            """),
        ("4 credit notes within bounds", """
            SELECT n.id, 'credit note ' || n.number || ' has net ' || n.net_minor || ' and tax ' || n.tax_minor || ' but its tax groups add up to ' || SUM(l.net_minor) || ' and ' || SUM(l.tax_minor)
            FROM credit_notes n JOIN credit_note_lines l ON l.credit_note_id = n.id
            GROUP BY n.id, n.number, n.net_minor, n.tax_minor
            HAVING SUM(l.net_minor) <> n.net_minor OR SUM(l.tax_minor) <> n.tax_minor
            """),
        // Per tax group (EN 16931 BG-23), the credit notes that say their split never take back more than the invoice billed in it.
        ("4 credit notes within bounds", """
            SELECT i.id, 'invoice ' || COALESCE(i.number, '') || ' bills ' || COALESCE(MAX(g.net), 0) || ' net in ' || c.tax_category || ' at ' || c.tax_rate_per_million || ' ppm, but its credit notes take back ' || c.net
            FROM (SELECT n.invoice_id, l.tax_category, l.tax_rate_per_million, SUM(l.net_minor) AS net
                  FROM credit_note_lines l JOIN credit_notes n ON n.id = l.credit_note_id
                  GROUP BY n.invoice_id, l.tax_category, l.tax_rate_per_million) c
            JOIN invoices i ON i.id = c.invoice_id
            LEFT JOIN (SELECT invoice_id, tax_category, tax_rate_per_million, SUM(net_minor) AS net
                       FROM invoice_lines GROUP BY invoice_id, tax_category, tax_rate_per_million) g
                ON g.invoice_id = c.invoice_id AND g.tax_category = c.tax_category AND g.tax_rate_per_million = c.tax_rate_per_million
            GROUP BY i.id, i.number, c.tax_category, c.tax_rate_per_million, c.net
            HAVING c.net > COALESCE(MAX(g.net), 0) AND c.net > 0
            """),
        ("4 prepayment deductions within what was invoiced and not credited", """
            SELECT p.id, 'prepayment invoice ' || p.number || ' of net ' || p.net_minor || ' with ' || COALESCE(MAX(n.net), 0) || ' credited, but issued invoices deduct ' || -SUM(l.net_minor)
            FROM invoices p
            JOIN invoice_lines l ON l.prepayment_invoice_id = p.id
            JOIN invoices d ON d.id = l.invoice_id AND d.status IN ('Issued', 'Paid')
            LEFT JOIN (SELECT invoice_id, SUM(net_minor) AS net FROM credit_notes GROUP BY invoice_id) n ON n.invoice_id = p.id
            GROUP BY p.id, p.number, p.net_minor
            HAVING -SUM(l.net_minor) > p.net_minor - COALESCE(MAX(n.net), 0)
            """),
        ("4 prepayment deductions within what was invoiced and not credited", """
            SELECT p.id, 'prepayment invoice ' || p.number || ' bills ' || COALESCE(MAX(g.net), 0) || ' net in ' || l.tax_category || ' at ' || l.tax_rate_per_million || ' ppm, but issued invoices deduct ' || -SUM(l.net_minor) || ' in that VAT group'
            FROM invoices p
            JOIN invoice_lines l ON l.prepayment_invoice_id = p.id
            JOIN invoices d ON d.id = l.invoice_id AND d.status IN ('Issued', 'Paid')
            LEFT JOIN (SELECT invoice_id, tax_category, tax_rate_per_million, SUM(net_minor) AS net FROM invoice_lines GROUP BY invoice_id, tax_category, tax_rate_per_million) g
                ON g.invoice_id = p.id AND g.tax_category = l.tax_category AND g.tax_rate_per_million = l.tax_rate_per_million
            GROUP BY p.id, p.number, l.tax_category, l.tax_rate_per_million
            HAVING -SUM(l.net_minor) > COALESCE(MAX(g.net), 0)
            """),
        ("4 prepayment deductions within what was invoiced and not credited", """
            SELECT l.id, 'deduction line of invoice ' || COALESCE(d.number, d.id || '') || ' does not deduct an issued prepayment invoice of its contract by its number'
            FROM invoice_lines l
            JOIN invoices d ON d.id = l.invoice_id
            LEFT JOIN invoices p ON p.id = l.prepayment_invoice_id
            WHERE l.prepayment_invoice_id IS NOT NULL
              AND (p.id IS NULL OR NOT p.prepayment OR p.status = 'Draft' OR p.contract_id <> d.contract_id
                   OR l.prepayment_number IS NULL OR p.number <> l.prepayment_number OR l.net_minor >= 0)
            """),
        ("4 invoice status follows its figures", """
            SELECT id, 'status ' || status || ' with gross ' || gross_minor || ', paid ' || paid_minor || ', credited ' || credited_minor
            FROM invoices
            WHERE (status = 'Void' AND credited_minor <> gross_minor)
               OR (status = 'Paid' AND paid_minor + credited_minor <> gross_minor)
               OR (status = 'Issued' AND paid_minor + credited_minor >= gross_minor)
               OR (status = 'Draft' AND (paid_minor <> 0 OR credited_minor <> 0))
            """),
        ("5 payments applied within bounds", """
            SELECT i.id, 'paid ' || i.paid_minor || ' but applications sum to ' || COALESCE(SUM(a.amount_minor), 0) || ' of gross ' || i.gross_minor
            FROM invoices i LEFT JOIN payment_applications a ON a.invoice_id = i.id
            GROUP BY i.id, i.paid_minor, i.gross_minor, i.credited_minor
            HAVING COALESCE(SUM(a.amount_minor), 0) <> i.paid_minor OR i.paid_minor + i.credited_minor > i.gross_minor
            """),
        ("5 money in = applied + unapplied + refunded", """
            SELECT p.id, 'payment of ' || p.amount_minor || ' (' || p.status || ') has ' || COALESCE(a.applied, 0) || ' applied and ' || COALESCE(r.refunded, 0) || ' refunded'
            FROM payments p
            LEFT JOIN (SELECT payment_id, SUM(amount_minor) AS applied FROM payment_applications GROUP BY payment_id) a ON a.payment_id = p.id
            LEFT JOIN (SELECT payment_id, SUM(amount_minor) AS refunded FROM refund_parts GROUP BY payment_id) r ON r.payment_id = p.id
            WHERE COALESCE(a.applied, 0) < 0 OR COALESCE(r.refunded, 0) < 0
               OR COALESCE(a.applied, 0) + COALESCE(r.refunded, 0) > p.amount_minor
               OR (p.status = 'Reversed' AND (COALESCE(a.applied, 0) <> 0 OR COALESCE(r.refunded, 0) <> 0))
            """),
        ("5 money in = applied + unapplied + refunded", """
            SELECT f.id, 'refund of ' || f.amount_minor || ' (' || f.status || ') takes ' || COALESCE(SUM(r.amount_minor), 0) || ' from payments'
            FROM refunds f LEFT JOIN refund_parts r ON r.refund_id = f.id
            GROUP BY f.id, f.amount_minor, f.status
            HAVING COALESCE(SUM(r.amount_minor), 0) <> CASE WHEN f.status = 'Recorded' THEN f.amount_minor ELSE 0 END
            """),
        ("5 money in = applied + unapplied + refunded", """
            SELECT r.id, 'refunds the credit of another client''s or currency''s payment'
            FROM refund_parts r JOIN refunds f ON f.id = r.refund_id JOIN payments p ON p.id = r.payment_id
            WHERE p.client_id <> f.client_id OR p.currency <> f.currency
            """),
        ("5 payments applied within bounds", """
            SELECT a.id, 'applies a payment of another client or currency'
            FROM payment_applications a JOIN payments p ON p.id = a.payment_id JOIN invoices i ON i.id = a.invoice_id
            WHERE p.client_id <> i.client_id OR p.currency <> i.currency
            """),
        ("5 receivable totals match the invoices", """
            SELECT COALESCE(t.organization_id, x.organization_id) || ' ' || COALESCE(t.client_id, x.client_id) || ' ' || COALESCE(t.currency, x.currency),
                   'running totals say billed ' || COALESCE(t.billed_minor, 0) || ', collected ' || COALESCE(t.collected_minor, 0)
                   || ' but the invoices sum to billed ' || COALESCE(x.billed, 0) || ', collected ' || COALESCE(x.collected, 0)
            FROM receivable_totals t FULL OUTER JOIN (
                SELECT organization_id, client_id, currency, SUM(gross_minor - credited_minor) AS billed, SUM(paid_minor) AS collected
                FROM invoices WHERE status <> 'Draft' GROUP BY organization_id, client_id, currency) x
              ON x.organization_id = t.organization_id AND x.client_id = t.client_id AND x.currency = t.currency
            WHERE COALESCE(t.billed_minor, 0) <> COALESCE(x.billed, 0) OR COALESCE(t.collected_minor, 0) <> COALESCE(x.collected, 0)
            """),
        // The dashboard and the aging report sum these rows (Data/OpenReceivable): each must be the open
        // balances (InvoiceQueries.OpenBalances: issued, gross − paid − credited > 0) of its client, currency and due date.
        ("5 open balances by due date match the invoices", """
            SELECT COALESCE(r.organization_id, x.organization_id) || ' ' || COALESCE(r.client_id, x.client_id) || ' ' || COALESCE(r.currency, x.currency) || ' ' || COALESCE(r.due_date, x.due_date),
                   'open balances by due date say ' || COALESCE(r.open_minor, 0) || ' but the open invoices sum to ' || COALESCE(x.open_minor, 0)
            FROM open_receivables r FULL OUTER JOIN (
                SELECT organization_id, client_id, currency, due_date, SUM(gross_minor - paid_minor - credited_minor) AS open_minor
                FROM invoices WHERE status = 'Issued' AND gross_minor - paid_minor - credited_minor > 0
                GROUP BY organization_id, client_id, currency, due_date) x
              ON x.organization_id = r.organization_id AND x.client_id = r.client_id AND x.currency = r.currency AND x.due_date = r.due_date
            WHERE r.open_minor IS NULL OR x.open_minor IS NULL OR r.open_minor <> x.open_minor
            """),
        // The dashboard reads these (Data/ContractValue, migration 0111): per organization and currency, the
        // count and value of the active and completed contracts.
        ("11 contract values match the contracts", """
            SELECT COALESCE(v.organization_id, x.organization_id) || ' ' || COALESCE(v.currency, x.currency),
                   'contract values say ' || COALESCE(v.contracts, 0) || ' contract(s) worth ' || COALESCE(v.value_minor, 0)
                   || ' but the active and completed contracts are ' || COALESCE(x.contracts, 0) || ' worth ' || COALESCE(x.value_minor, 0)
            FROM contract_values v FULL OUTER JOIN (
                SELECT organization_id, currency, COUNT(*) AS contracts, SUM(value_minor) AS value_minor
                FROM contracts WHERE status IN ('Active', 'Completed') GROUP BY organization_id, currency) x
              ON x.organization_id = v.organization_id AND x.currency = v.currency
            WHERE v.contracts IS NULL OR x.contracts IS NULL OR v.contracts <> x.contracts OR v.value_minor <> x.value_minor
            """),
        // The partial indexes of the dashboard and the scheduled jobs read the contract's status from its milestones (migration 0111).
        ("11 milestones carry their contract's status", """
            SELECT m.id, 'milestone says its contract is ' || m.contract_status || ' but it is ' || c.status
            FROM milestones m JOIN contracts c ON c.id = m.contract_id
            WHERE m.contract_status <> c.status
            """),
        ("8 no row points into another organization", """
            SELECT m.id, 'milestone of another organization''s contract' FROM milestones m JOIN contracts c ON c.id = m.contract_id WHERE m.organization_id <> c.organization_id
            UNION ALL SELECT c.id, 'contract of another organization''s client' FROM contracts c JOIN clients k ON k.id = c.client_id WHERE c.organization_id <> k.organization_id
            UNION ALL SELECT i.id, 'invoice of another organization''s contract or client' FROM invoices i JOIN contracts c ON c.id = i.contract_id JOIN clients k ON k.id = i.client_id WHERE i.organization_id <> c.organization_id OR i.organization_id <> k.organization_id OR c.client_id <> i.client_id
            UNION ALL SELECT i.id, 'invoice of another contract''s milestone' FROM invoices i JOIN milestones m ON m.id = i.milestone_id WHERE m.contract_id <> i.contract_id
            UNION ALL SELECT n.id, 'credit note of another organization''s invoice' FROM credit_notes n JOIN invoices i ON i.id = n.invoice_id WHERE n.organization_id <> i.organization_id OR n.client_id <> i.client_id
            UNION ALL SELECT p.id, 'payment of another organization''s client' FROM payments p JOIN clients k ON k.id = p.client_id WHERE p.organization_id <> k.organization_id
            UNION ALL SELECT a.id, 'application across organizations' FROM payment_applications a JOIN payments p ON p.id = a.payment_id JOIN invoices i ON i.id = a.invoice_id WHERE a.organization_id <> p.organization_id OR a.organization_id <> i.organization_id
            UNION ALL SELECT f.id, 'refund of another organization''s client' FROM refunds f JOIN clients k ON k.id = f.client_id WHERE f.organization_id <> k.organization_id
            UNION ALL SELECT r.id, 'refund part across organizations' FROM refund_parts r JOIN refunds f ON f.id = r.refund_id JOIN payments p ON p.id = r.payment_id WHERE r.organization_id <> f.organization_id OR r.organization_id <> p.organization_id
            UNION ALL SELECT k.id, 'contact of another organization''s client' FROM contacts k JOIN clients c ON c.id = k.client_id WHERE k.organization_id <> c.organization_id
            UNION ALL SELECT d.id, 'dispute across organizations' FROM disputes d JOIN milestones m ON m.id = d.milestone_id WHERE d.organization_id <> m.organization_id
            UNION ALL SELECT o.id, 'change order across organizations' FROM change_orders o JOIN contracts c ON c.id = o.contract_id WHERE o.organization_id <> c.organization_id
            UNION ALL SELECT p.id, 'proposal to another client''s contact' FROM proposals p JOIN contracts c ON c.id = p.contract_id JOIN contacts k ON k.id = p.contact_id WHERE p.organization_id <> c.organization_id OR k.client_id <> c.client_id
            UNION ALL SELECT a.id, 'acceptance across organizations' FROM acceptances a JOIN contracts c ON c.id = a.contract_id WHERE a.organization_id <> c.organization_id
            """),
        ("acceptance records what was proposed", """
            SELECT a.contract_id, 'acceptance of a proposal of another contract or contact, or of another PDF'
            FROM acceptances a JOIN proposals p ON p.id = a.proposal_id
            WHERE p.contract_id <> a.contract_id OR p.contact_id <> a.contact_id OR p.pdf_sha256 <> a.proposal_pdf_sha256
            """),
        // The dashboard's "Disputed" (DisputeQueries.UnderDispute) counts open disputes; the invoice list's
        // flag and the reminders' "not chased" read the invoice's own flag: both must say the same.
        ("disputed invoices are those under an open dispute", """
            SELECT i.id, CASE WHEN i.disputed = TRUE THEN 'invoice flagged disputed without an open dispute' ELSE 'invoice under an open dispute but not flagged disputed' END
            FROM invoices i
            WHERE (i.disputed = TRUE) <> EXISTS (SELECT 1 FROM disputes d WHERE d.invoice_id = i.id AND d.status = 'Open')
            """),
    ];

    /// <summary>Runs every check; reports progress from 0 to 1 with the name of the step.</summary>
    public async Task<IReadOnlyList<Violation>> CheckAsync(IProgress<(double Fraction, string Step)>? progress = null, CancellationToken cancellationToken = default)
    {
        var violations = new List<Violation>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var total = await CountAsync(connection, "SELECT (SELECT COUNT(*) FROM invoices WHERE status <> 'Draft') + (SELECT COUNT(*) FROM credit_notes)", cancellationToken);
            var steps = SqlChecks.Length + 1.0;
            for (var i = 0; i < SqlChecks.Length; i++)
            {
                progress?.Report((i / steps * 0.5, SqlChecks[i].Rule));
                violations.AddRange(await RunAsync(connection, SqlChecks[i].Rule, SqlChecks[i].Sql, cancellationToken));
            }

            var done = 0L;
            await foreach (var violation in CheckDocumentsAsync(count => { done += count; progress?.Report((0.5 + (total == 0 ? 0.5 : 0.5 * done / total), "4 issued documents unchanged")); }, cancellationToken))
                violations.Add(violation);
            progress?.Report((1.0, "done"));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return violations;
    }

    /// <summary>Recomputes the totals and content hash of every issued invoice and credit note, a batch at a time.</summary>
    private async IAsyncEnumerable<Violation> CheckDocumentsAsync(Action<int> advanced, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Guid? after = null;
        while (true)
        {
            var invoices = await db.Invoices.IgnoreQueryFilters().AsNoTracking().Include(i => i.Lines)
                .Where(i => i.Status != InvoiceStatus.Draft && (after == null || i.Id.CompareTo(after.Value) > 0))
                .OrderBy(i => i.Id).Take(Batch).ToListAsync(cancellationToken);
            foreach (var invoice in invoices)
            {
                var totals = invoice.Totals;
                if (totals.Net.Minor != invoice.NetMinor || totals.Tax.Minor != invoice.TaxMinor || totals.Gross.Minor != invoice.GrossMinor)
                    yield return new Violation("4 totals equal lines and tax", $"invoice {invoice.Number} stores {invoice.Net.ToDecimalString()}/{invoice.Tax.ToDecimalString()}/{invoice.Gross.ToDecimalString()} but its lines give {totals.Net.ToDecimalString()}/{totals.Tax.ToDecimalString()}/{totals.Gross.ToDecimalString()}", [invoice.Id.ToString()]);
                if (invoice.ContentHash != invoice.ComputeContentHash())
                    yield return new Violation("4 issued documents unchanged", $"invoice {invoice.Number} no longer matches the content hash stored at issue", [invoice.Id.ToString()]);
            }

            advanced(invoices.Count);
            if (invoices.Count < Batch)
                break;
            after = invoices[^1].Id;
        }

        after = null;
        while (true)
        {
            var notes = await db.CreditNotes.IgnoreQueryFilters().AsNoTracking()
                .Where(n => after == null || n.Id.CompareTo(after.Value) > 0)
                .OrderBy(n => n.Id).Take(Batch).ToListAsync(cancellationToken);
            foreach (var note in notes.Where(n => n.ContentHash != n.ComputeContentHash()))
                yield return new Violation("4 issued documents unchanged", $"credit note {note.Number} no longer matches the content hash stored at issue", [note.Id.ToString()]);
            advanced(notes.Count);
            if (notes.Count < Batch)
                break;
            after = notes[^1].Id;
        }
    }

    private static async Task<List<Violation>> RunAsync(DbConnection connection, string rule, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 3600;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<Violation>();
        while (await reader.ReadAsync(cancellationToken))
            found.Add(new Violation(rule, Convert.ToString(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture) ?? "", [Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) ?? ""]));
        return found;
    }

    private static async Task<long> CountAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
