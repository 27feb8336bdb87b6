using System.Data.Common;
using Cairn.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cairn.Server.Data;

/// <summary>
/// Draws the next number of a series from its counter row, inside the caller's transaction.
/// Not a database sequence: a sequence hands out numbers that a rolled-back transaction never
/// uses, leaving gaps that invoicing law forbids. The counter row's lock serializes issuers, and a
/// rollback gives the number back.
/// </summary>
public static class DocumentNumbers
{
    /// <summary>Takes the next position in a series; must run inside the transaction that issues the document.</summary>
    public static async Task<InvoiceNumber> NextAsync(CairnDb db, Guid organizationId, NumberFormat format, DateOnly issueDate, CancellationToken cancellationToken = default)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Document numbers are drawn inside the issuing transaction only.");
        var series = format.SeriesFor(issueDate);
        var connection = db.Database.GetDbConnection();

        await using (var ensure = Command(connection, transaction, db.IsPostgres, organizationId, series,
            "INSERT INTO document_counters (organization_id, series, last_value) VALUES (@org, @series, 0) ON CONFLICT DO NOTHING"))
        {
            await ensure.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var bump = Command(connection, transaction, db.IsPostgres, organizationId, series,
            "UPDATE document_counters SET last_value = last_value + 1 WHERE organization_id = @org AND series = @series RETURNING last_value");
        var next = Convert.ToInt64(await bump.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        return format.Number(issueDate, next);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, bool postgres, Guid organizationId, string series, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var org = command.CreateParameter();
        org.ParameterName = "@org";

        // EF Core stores GUIDs in SQLite as upper-case text; raw commands must match that form.
        org.Value = postgres ? organizationId : organizationId.ToString().ToUpperInvariant();
        command.Parameters.Add(org);
        var seriesParameter = command.CreateParameter();
        seriesParameter.ParameterName = "@series";
        seriesParameter.Value = series;
        command.Parameters.Add(seriesParameter);
        return command;
    }
}
