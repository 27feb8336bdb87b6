using System.Data.Common;
using System.Text.Json;
using Cairn.Domain;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary>
/// Turns every exception that escapes an endpoint into a problem document. Domain errors and
/// malformed input are the caller's to fix (4xx); races are conflicts (409); only a genuine bug
/// is a 500, and it is logged.
/// </summary>
public sealed partial class ErrorHandling(RequestDelegate next, ILogger<ErrorHandling> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && ToProblem(e) is { } problem)
        {
            context.Response.Clear();
            if (problem.Status == StatusCodes.Status503ServiceUnavailable)
                context.Response.Headers.RetryAfter = "1";
            await Problems.Write(context, problem);
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            // The route pattern, never the path: paths carry invitation and portal tokens.
            logger.LogError(e, "Unhandled error on {Method} {Route}", context.Request.Method, (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)");
            context.Response.Clear();
            await Problems.Write(context, Problems.Make(StatusCodes.Status500InternalServerError, "Internal error", "Something went wrong on our side; nothing was changed. The error has been logged.", "internal_error", null));
        }
    }

    private static Microsoft.AspNetCore.Mvc.ProblemDetails? ToProblem(Exception e) => e switch
    {
        DomainException d => Problems.From(d.Error),
        BadHttpRequestException { InnerException: JsonException json } => Problems.Invalid(FieldOf(json.Path), "The body is not valid JSON for this request" + (json.Path is null ? "." : $": the value at {FieldOf(json.Path)} has the wrong type or form."), "malformed_json"),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Problems.Make(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The body is larger than {Limits.MaxBodyBytes / 1024} KiB.", "payload_too_large", null),
        BadHttpRequestException bad => Rejected(bad),
        JsonException json => Problems.Invalid(FieldOf(json.Path), "The body is not valid JSON for this request.", "malformed_json"),
        DbUpdateConcurrencyException => Problems.Conflict("concurrent_update", "Someone else changed this at the same moment; read it again and retry."),
        DbUpdateException u when UnitOfWork.IsUniqueViolation(u) => Problems.Conflict("already_exists", "This was already done by a concurrent request."),
        DbUpdateException { InnerException: DbException db } when UnitOfWork.IsTransient(db) => Busy(),
        DbException db when UnitOfWork.IsTransient(db) => Busy(),
        InvalidOperationException { InnerException: DbException db } when UnitOfWork.IsTransient(db) => Busy(),
        // EF Core's execution strategy wraps a transient failure (a deadlock the database broke) met while saving.
        InvalidOperationException { InnerException: DbUpdateException { InnerException: DbException db } } when UnitOfWork.IsTransient(db) => Busy(),
        _ => null,
    };

    /// <summary>
    /// A request the framework could not bind, as a problem naming the parameter, the body or the
    /// Content-Type at fault; the framework's own wording (and type names) never reaches the caller.
    /// </summary>
    internal static Microsoft.AspNetCore.Mvc.ProblemDetails Rejected(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            return UnsupportedMediaType();
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
            return Problems.Make(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The body is larger than {Limits.MaxBodyBytes / 1024} KiB.", "payload_too_large", null);
        var message = bad.Message;
        if (message.StartsWith("Implicit body inferred", StringComparison.Ordinal) || message.EndsWith("from body.", StringComparison.Ordinal) || message.Contains("from the request body", StringComparison.Ordinal))
            return Problems.Invalid("body", "This request needs a JSON object as its body (Content-Type: application/json); it was empty or null.", "body_required");
        if (BoundParameter().Match(message) is { Success: true } bound)
        {
            var name = bound.Groups["name"].Value;
            var type = bound.Groups["type"].Value.TrimEnd('?');
            return message.StartsWith("Required parameter", StringComparison.Ordinal)
                ? Problems.Invalid(name, $"{name} is required.", "required")
                : Problems.Invalid(name, $"{name} must be {KindOf(type)}.", "invalid_parameter");
        }

        return Problems.Make(bad.StatusCode, "Invalid request", "The request could not be read; check its URL, headers and body against /openapi/v1.json.", "bad_request", null);
    }

    /// <summary>The 415 answer: the body must be JSON.</summary>
    internal static Microsoft.AspNetCore.Mvc.ProblemDetails UnsupportedMediaType() =>
        Problems.Make(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as JSON with Content-Type: application/json.", "unsupported_media_type", "Content-Type");

    private static string KindOf(string type) => type switch
    {
        "int" or "long" or "short" => "a whole number",
        "decimal" or "double" => "a number",
        "Guid" => "an id (a UUID such as 0190f0c2-…)",
        "bool" => "true or false",
        "DateOnly" => "a date written yyyy-MM-dd",
        _ => "a valid value",
    };

    // The framework's binding messages name the parameter as "<type> <name>" in quotes.
    [System.Text.RegularExpressions.GeneratedRegex("parameter \"(?:(?<type>[^\" ]+) )?(?<name>[^\" ]+)\"")]
    private static partial System.Text.RegularExpressions.Regex BoundParameter();

    private static Microsoft.AspNetCore.Mvc.ProblemDetails Busy() =>
        Problems.Make(StatusCodes.Status503ServiceUnavailable, "Busy", "The database is busy with concurrent changes; nothing was changed. Retry.", "busy", null);

    private static string FieldOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "body" : jsonPath.TrimStart('$', '.');
}
