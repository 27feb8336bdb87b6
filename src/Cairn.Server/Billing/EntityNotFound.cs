using Cairn.Domain;

namespace Cairn.Server.Billing;

/// <summary>An entity the caller named does not exist, or not in the caller's organization; maps to 404 and says nothing more.</summary>
/// <param name="Entity">The kind of entity, e.g. <c>invoice</c>.</param>
/// <param name="EntityId">The id that was asked for.</param>
/// <param name="RequestField">The request field that named it, when it came from the body.</param>
public sealed record EntityNotFound(string Entity, Guid EntityId, string? RequestField = null)
    : DomainError("not_found", $"No {Entity} with id {EntityId}.", RequestField)
{
    /// <inheritdoc />
    public override DomainErrorKind Kind => DomainErrorKind.NotFound;

    /// <summary>The exception carrying this error, ready to throw.</summary>
    public static DomainException Of(string entity, Guid id, string? field = null) => new(new EntityNotFound(entity, id, field));
}
