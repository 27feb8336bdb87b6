namespace Cairn.Server.Data;

/// <summary>
/// The bytes of one distinct file, keyed by their SHA-256 (lowercase hex): attachments with the same
/// content share one row. Stored in the database so that every instance serves the same files; never changed.
/// </summary>
public sealed record FileBlob(string Sha256, byte[] Content, long SizeBytes);
