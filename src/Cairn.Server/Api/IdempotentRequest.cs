using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Server.Api;

/// <summary>The stored first answer to a POST with an <c>Idempotency-Key</c>, replayed for 24 hours.</summary>
public sealed class IdempotentRequest
{
    public Guid OrganizationId { get; set; }

    /// <summary>The user or API key that made the request (<c>Kind:id</c>); only it gets the answer replayed.</summary>
    public string Caller { get; set; } = "";

    public string IdempotencyKey { get; set; } = "";

    /// <summary>SHA-256 of method, path and body: the same key with another request is refused.</summary>
    public string RequestHash { get; set; } = "";

    public int StatusCode { get; set; }

    public string? ContentType { get; set; }

    public string? Location { get; set; }

    public string? ETag { get; set; }

    public byte[] Body { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class IdempotentRequestMapping : IEntityTypeConfiguration<IdempotentRequest>
{
    public const string Table = "idempotency_requests";

    public void Configure(EntityTypeBuilder<IdempotentRequest> b)
    {
        b.ToTable(Table);
        b.HasKey(x => new { x.OrganizationId, x.Caller, x.IdempotencyKey });
        b.Property(x => x.ETag).HasColumnName("etag");
    }
}
