using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Data;

/// <summary>
/// The bytes of one distinct file, keyed by their SHA-256 (lowercase hex): attachments with the same
/// content share one row. Stored in the database so that every instance serves the same files; never changed.
/// </summary>
public sealed record FileBlob(string Sha256, byte[] Content, long SizeBytes)
{
    /// <summary>Stores <paramref name="content"/> under its SHA-256 unless that content is stored already (one row per distinct content).</summary>
    public static async Task StoreAsync(CairnDb db, string sha256, byte[] content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(content);
        await db.Database.ExecuteSqlAsync($"INSERT INTO file_blobs (sha256, content, size_bytes) VALUES ({sha256}, {content}, {content.LongLength}) ON CONFLICT (sha256) DO NOTHING", cancellationToken);
    }
}
