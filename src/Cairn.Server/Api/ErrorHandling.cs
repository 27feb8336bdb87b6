using System.Text.Json;

namespace Cairn.Server.Api;

/// <summary>
/// Turns every exception that escapes an endpoint or page into a problem document. Malformed
/// input is the caller's to fix (4xx); domain errors, races (409) and transient database
/// failures (503 with <c>Retry-After</c>) are mapped by <see cref="Failure"/>; only a genuine bug
/// is a 500, and it is logged.
/// </summary>
public sealed class ErrorHandling(RequestDelegate next, ILogger<ErrorHandling> logger)
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
            logger.LogError(e, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await Problems.Write(context, Problems.Make(StatusCodes.Status500InternalServerError, "Internal error", "Something went wrong on our side; nothing was changed. The error has been logged.", "internal_error", null));
        }
    }

    private static Microsoft.AspNetCore.Mvc.ProblemDetails? ToProblem(Exception e) => e switch
    {
        BadHttpRequestException { InnerException: JsonException json } => Problems.Invalid(FieldOf(json.Path), "The body is not valid JSON for this request" + (json.Path is null ? "." : $": the value at {FieldOf(json.Path)} has the wrong type or form."), "malformed_json"),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Problems.Make(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The body is larger than {Limits.MaxBodyBytes / 1024} KiB.", "payload_too_large", null),
        BadHttpRequestException bad => Problems.Make(bad.StatusCode, "Invalid request", bad.Message, "bad_request", null),
        JsonException json => Problems.Invalid(FieldOf(json.Path), "The body is not valid JSON for this request.", "malformed_json"),

        // Domain errors, lost races and transient database failures: the mapping the web pages and jobs share.
        _ => Failure.Of(e) is { } failure ? Problems.From(failure) : null,
    };

    private static string FieldOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "body" : jsonPath.TrimStart('$', '.');
}
