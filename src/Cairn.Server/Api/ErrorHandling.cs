using System.Text.Json;

namespace Cairn.Server.Api;

/// <summary>
/// Turns every exception that escapes an endpoint or page into a problem document. Malformed
/// input is the caller's to fix (4xx); domain errors, races (409) and transient database
/// failures (503 with <c>Retry-After</c>) are mapped by <see cref="Failure"/>; only a genuine bug
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
        BadHttpRequestException { InnerException: JsonException json } => Problems.Invalid(FieldOf(json.Path), "The body is not valid JSON for this request" + (json.Path is null ? "." : $": the value at {FieldOf(json.Path)} has the wrong type or form."), "malformed_json"),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => PayloadTooLarge(Limits.MaxBodyBytes),
        BadHttpRequestException bad => Rejected(bad),
        JsonException json => Problems.Invalid(FieldOf(json.Path), "The body is not valid JSON for this request.", "malformed_json"),

        // Domain errors, lost races and transient database failures: the mapping the web pages and jobs share.
        _ => Failure.Of(e) is { } failure ? Problems.From(failure) : null,
    };

    /// <summary>The 413 problem for a body over <paramref name="limit"/> bytes (1 MiB, or an upload endpoint's limit).</summary>
    internal static Microsoft.AspNetCore.Mvc.ProblemDetails PayloadTooLarge(long limit) =>
        Problems.Make(StatusCodes.Status413PayloadTooLarge, "Payload too large", limit > Limits.MaxBodyBytes ? $"The body is larger than {limit / 1048576} MB; a file may be at most {(limit - AcceptsFilesAttribute.FormOverheadBytes) / 1048576} MB." : $"The body is larger than {limit / 1024} KiB.", "payload_too_large", limit > Limits.MaxBodyBytes ? "file" : null);

    /// <summary>
    /// A request the framework could not bind, as a problem naming the parameter, the body or the
    /// Content-Type at fault; the framework's own wording (and type names) never reaches the caller.
    /// </summary>
    internal static Microsoft.AspNetCore.Mvc.ProblemDetails Rejected(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            return UnsupportedMediaType();
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
            return PayloadTooLarge(Limits.MaxBodyBytes);
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

    private static string FieldOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "body" : jsonPath.TrimStart('$', '.');
}
