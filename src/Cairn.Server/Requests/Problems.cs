using Cairn.Domain;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Server.Requests;

/// <summary>
/// The one mapping from errors to RFC 9457 problem documents. Every problem carries a stable
/// <c>code</c>, and the <c>field</c> at fault when there is one.
/// </summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    /// <summary>The problem for a broken domain rule: 400 for bad input, 409 for a state conflict, 404 for a missing entity (see <see cref="Failure.StatusOf"/>).</summary>
    public static ProblemDetails From(DomainError error) => From(Failure.Of(error));

    /// <summary>The problem for a failure as <see cref="Failure"/> maps it.</summary>
    public static ProblemDetails From(Failure failure)
    {
        var problem = Make(failure.Status, failure == Failure.ConnectionLost ? "Database connection lost" : TitleOf(failure.Status), failure.Message, failure.Code, failure.Field);
        if (failure.Error is PlanDoesNotAddUp plan)
            problem.Extensions["difference"] = new MoneyJson(plan.Difference.ToDecimalString(), plan.Difference.Currency.Code);
        if (failure.Error is FileRefused file)
            problem.Extensions["fileName"] = file.FileName;
        return problem;
    }

    /// <summary>A 400 about one field of the request.</summary>
    public static ProblemDetails Invalid(string field, string message, string code = "invalid_field") =>
        Make(StatusCodes.Status400BadRequest, "Invalid request", message, code, field);

    /// <summary>A 404 that says nothing about whether the id exists in another organization.</summary>
    public static ProblemDetails NotFound(string entity, string? id = null) =>
        Make(StatusCodes.Status404NotFound, "Not found", id is null ? $"No such {entity}." : $"No {entity} with id {id}.", "not_found", null);

    public static ProblemDetails Unauthorized() =>
        Make(StatusCodes.Status401Unauthorized, "Unauthorized", "Sign in, or send a valid API key as 'Authorization: Bearer <key>'.", "unauthenticated", null);

    public static ProblemDetails Forbidden(string? permission) =>
        Make(StatusCodes.Status403Forbidden, "Forbidden", permission is null ? "Your role does not allow this." : $"Your role does not allow this: it needs the {permission} permission.", "forbidden", null);

    public static ProblemDetails Conflict(string code, string message) =>
        Make(StatusCodes.Status409Conflict, "Conflict", message, code, null);

    public static ProblemDetails PreconditionFailed(string current) =>
        Make(StatusCodes.Status412PreconditionFailed, "Precondition failed", $"The resource changed since you read it; its current ETag is {current}. Read it again and retry.", "stale_version", "If-Match");

    /// <summary>Builds a problem document.</summary>
    public static ProblemDetails Make(int status, string title, string detail, string code, string? field)
    {
        var problem = new ProblemDetails
        {
            Type = $"https://cairn.dev/problems/{code.Replace('_', '-')}",
            Title = title,
            Status = status,
            Detail = detail,
        };
        problem.Extensions["code"] = code;
        if (field is not null)
        {
            problem.Extensions["field"] = field;
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        }

        return problem;
    }

    /// <summary>Writes a problem to the response; a 503 also says when to retry (<c>Retry-After</c>).</summary>
    public static Task Write(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        if (context.Response.StatusCode == StatusCodes.Status503ServiceUnavailable)
            context.Response.Headers.RetryAfter = Failure.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return context.Response.WriteAsJsonAsync(problem, ApiJson.Options, ContentType);
    }

    /// <summary>The problem as an endpoint result.</summary>
    public static IResult ToResult(this ProblemDetails problem) =>
        Results.Json(problem, ApiJson.Options, ContentType, problem.Status);

    private static string TitleOf(int status) => status switch
    {
        StatusCodes.Status409Conflict => "Conflict",
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status503ServiceUnavailable => "Busy",
        _ => "Invalid request",
    };
}
