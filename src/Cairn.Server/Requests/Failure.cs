using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Requests;

/// <summary>
/// The one mapping from what went wrong to how both doors answer it (the API as an RFC 9457
/// problem, a web page as a message on its form) and whether the jobs try again: a broken domain
/// rule is 400 (bad input), 404 or 409; a race lost to a concurrent change is 409; a transient
/// database failure (busy, or the connection lost) is 503 with <c>Retry-After</c>. Anything else is a bug, answered 500 and logged.
/// </summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Code">The stable machine-readable code, e.g. <c>busy</c>.</param>
/// <param name="Message">What happened and what to do, for a person.</param>
/// <param name="Field">The field at fault, in the API's naming (e.g. <c>value.amount</c>), or null.</param>
/// <param name="Error">The domain error, when a domain rule was broken.</param>
public sealed record Failure(int Status, string Code, string Message, string? Field, DomainError? Error)
{
    /// <summary>Seconds a client should wait before retrying after a transient failure (the <c>Retry-After</c> header).</summary>
    public const int RetryAfterSeconds = 1;

    /// <summary>Whether the failure is transient: the same request may succeed when retried (busy: nothing was changed; see <see cref="ConnectionLost"/>).</summary>
    public bool IsTransient => Status == StatusCodes.Status503ServiceUnavailable;

    /// <summary>The answer to a transient database failure.</summary>
    public static Failure Busy { get; } = new(StatusCodes.Status503ServiceUnavailable, "busy", "The database is busy with concurrent changes; nothing was changed. Retry in a moment.", null, null);

    /// <summary>
    /// The answer when the connection to the database died under the request (PostgreSQL restarted
    /// or failed over): transient, but not "busy". A change may have been cut off while committing,
    /// so the answer does not promise that nothing was saved.
    /// </summary>
    public static Failure ConnectionLost { get; } = new(StatusCodes.Status503ServiceUnavailable, "connection_lost", "The database connection was lost (the database restarted or failed over). Try again in a moment; a change sent with an Idempotency-Key is safe to repeat, any other change may need checking first.", null, null);

    /// <summary>The HTTP status of a broken domain rule: 400 for bad input, 409 for a state conflict, 404 for a missing entity.</summary>
    public static int StatusOf(DomainError error) => error.Kind switch
    {
        DomainErrorKind.Conflict => StatusCodes.Status409Conflict,
        DomainErrorKind.NotFound => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>The failure a broken domain rule stands for.</summary>
    public static Failure Of(DomainError error) => new(StatusOf(error), error.Code, error.Message, error.Field, error);

    /// <summary>What an exception means for the caller, or null when it is a bug (500).</summary>
    public static Failure? Of(Exception e) => e switch
    {
        DomainException d => Of(d.Error),
        DbUpdateConcurrencyException => new(StatusCodes.Status409Conflict, "concurrent_update", "Someone else changed this at the same moment; nothing was saved. Read it again and retry.", null, null),
        DbUpdateException when DatabaseFailures.IsUniqueViolation(e) => new(StatusCodes.Status409Conflict, "already_exists", "This was already done by a concurrent request.", null, null),
        _ when DatabaseFailures.IsConnectionLost(e) => ConnectionLost,
        _ when DatabaseFailures.IsTransient(e) => Busy,
        _ => null,
    };
}
