namespace Cairn.Domain;

/// <summary>
/// A rule of the domain that a requested operation would break. Every error has a stable
/// machine-readable <see cref="Code"/> and a sentence a person can act on.
/// </summary>
/// <param name="Code">Stable, snake_case code that API clients can branch on.</param>
/// <param name="Message">What was tried and why it is not allowed.</param>
/// <param name="Field">The request field at fault, when the error is about one input.</param>
public record DomainError(string Code, string Message, string? Field = null)
{
    /// <summary>How the error is classified for callers: bad input, a state conflict, or a missing entity.</summary>
    public virtual DomainErrorKind Kind => DomainErrorKind.Invalid;
}

/// <summary>How a <see cref="DomainError"/> should be understood by a caller.</summary>
public enum DomainErrorKind
{
    /// <summary>The input itself is wrong (maps to 400/422).</summary>
    Invalid,

    /// <summary>The input is fine but the entity's current state forbids it (maps to 409).</summary>
    Conflict,

    /// <summary>The entity does not exist, or not for this caller (maps to 404).</summary>
    NotFound,
}

/// <summary>An attempt to move an entity along a transition its state machine does not allow.</summary>
/// <param name="Entity">The kind of entity, e.g. <c>milestone</c>.</param>
/// <param name="EntityId">The entity's id.</param>
/// <param name="Action">The transition that was attempted, e.g. <c>approve</c>.</param>
/// <param name="State">The state the entity is in.</param>
/// <param name="Reason">Why the transition is not allowed from that state.</param>
public sealed record InvalidTransition(string Entity, Guid EntityId, string Action, string State, string Reason)
    : DomainError("invalid_transition", $"Cannot {Action} {Entity} {EntityId}: it is {State}. {Reason}")
{
    /// <inheritdoc />
    public override DomainErrorKind Kind => DomainErrorKind.Conflict;
}

/// <summary>An operation that mixed amounts of two currencies.</summary>
public sealed record CurrencyMismatch(string Expected, string Actual, string? Field = null)
    : DomainError("currency_mismatch", $"Amounts in {Actual} cannot be combined with amounts in {Expected}.", Field);

/// <summary>A rule of the domain was broken; carries the typed <see cref="DomainError"/>.</summary>
/// <remarks>
/// Domain methods validate everything before they change any field, so an entity that threw
/// is left exactly as it was. The exception is the transport; the error record is the meaning.
/// </remarks>
public sealed class DomainException(DomainError error) : Exception(error.Message)
{
    /// <summary>The rule that was broken.</summary>
    public DomainError Error { get; } = error;
}
