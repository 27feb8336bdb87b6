using Cairn.Domain;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Data;

/// <summary>
/// Draws the next number of a series from its counter row, inside the caller's transaction.
/// Not a database sequence: a sequence hands out numbers that a rolled-back transaction never
/// uses, leaving gaps that invoicing law forbids. The counter row's lock serializes issuers, and a
/// rollback gives the number back.
/// </summary>
public static class DocumentNumbers
{
    /// <summary>
    /// Takes the next position in a series; must run inside the transaction that issues the document.
    /// One round trip (an upsert returning the new value, on both engines): from it until the commit
    /// every other issuer of the series waits on the row, so callers draw the number as late as they can.
    /// </summary>
    public static async Task<InvoiceNumber> NextAsync(CairnDb db, Guid organizationId, NumberFormat format, DateOnly issueDate, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Document numbers are drawn inside the issuing transaction only.");
        var series = format.SeriesFor(issueDate);

        // Not composed (no Single/First on the query): EF Core sends the statement as written.
        var drawn = await db.Database.SqlQuery<long>($"""
            INSERT INTO document_counters (organization_id, series, last_value) VALUES ({organizationId}, {series}, 1)
            ON CONFLICT (organization_id, series) DO UPDATE SET last_value = document_counters.last_value + 1
            RETURNING last_value AS "Value"
            """).ToListAsync(cancellationToken);
        return format.Number(issueDate, drawn.Single());
    }
}
