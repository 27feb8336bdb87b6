using System.Globalization;
using System.Text;

namespace Cairn.Server.Api;

/// <summary>ETags, If-Match, HEAD and cursor paging, the same way on every resource.</summary>
public static class Http
{
    /// <summary>
    /// Lets every GET endpoint of <paramref name="builder"/> (a group counts for all its endpoints)
    /// also answer HEAD, as RFC 9110 §9.3.2 asks: the same status and headers (ETag included), no body.
    /// </summary>
    public static TBuilder AnswerHeadLikeGet<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault() is { } methods
                && methods.HttpMethods.Contains(HttpMethods.Get) && !methods.HttpMethods.Contains(HttpMethods.Head))
                endpoint.Metadata.Add(new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head], methods.AcceptCorsPreflight));
        });
        return builder;
    }

    /// <summary>The ETag of a version of an entity.</summary>
    public static string ETag(int version) => $"W/\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>An OK answer carrying the entity's ETag.</summary>
    public static IResult WithETag<T>(HttpContext context, T body, int version)
    {
        context.Response.Headers.ETag = ETag(version);
        return Results.Json(body, ApiJson.Options);
    }

    /// <summary>A 201 Created answer with the new resource's location and ETag.</summary>
    public static IResult Created<T>(HttpContext context, string location, T body, int? version = null)
    {
        if (version is { } v)
            context.Response.Headers.ETag = ETag(v);
        return Results.Json(body, ApiJson.Options, statusCode: StatusCodes.Status201Created).WithLocation(context, location);
    }

    /// <summary>Checks <c>If-Match</c> against the current version; a problem when it is stale, null when it matches or is absent.</summary>
    public static IResult? CheckIfMatch(HttpContext context, int currentVersion)
    {
        var header = context.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(header) || header == "*")
            return null;
        var current = ETag(currentVersion);
        var strongForm = current[2..];
        return header.Split(',').Select(h => h.Trim()).Any(h => h == current || h == strongForm)
            ? null
            : Problems.PreconditionFailed(current).ToResult();
    }

    private static IResult WithLocation(this IResult result, HttpContext context, string location)
    {
        context.Response.Headers.Location = location;
        return result;
    }
}

/// <summary>One page of a list and the cursor of the next page (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, string? NextCursor);

/// <summary>Opaque cursors over time-ordered ids: lists are ordered by id, newest last.</summary>
public static class Cursor
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Reads <c>limit</c> (a whole number from 1 to <see cref="MaxLimit"/>) and <c>cursor</c> from the query string; throws a domain error naming the bad parameter.</summary>
    public static (int Limit, Guid? After) Read(string? limitText, string? cursor)
    {
        int? limit = null;
        if (!string.IsNullOrEmpty(limitText))
            limit = int.TryParse(limitText, System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        if (limit is < 1 or > MaxLimit)
            throw new Domain.DomainException(new Domain.DomainError("invalid_limit", $"limit is between 1 and {MaxLimit}.", "limit"));
        Guid? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            try
            {
                after = Guid.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)));
            }
            catch (FormatException)
            {
                throw new Domain.DomainException(new Domain.DomainError("invalid_cursor", "cursor is not one that Cairn handed out; start again without it.", "cursor"));
            }
        }

        return (limit ?? DefaultLimit, after);
    }

    /// <summary>Builds a page from up to limit+1 rows fetched in id order.</summary>
    public static Page<TOut> Page<TIn, TOut>(IReadOnlyList<TIn> rows, int limit, Func<TIn, Guid> id, Func<TIn, TOut> map) =>
        new(rows.Take(limit).Select(map).ToList(), rows.Count > limit ? Convert.ToBase64String(Encoding.UTF8.GetBytes(id(rows[limit - 1]).ToString())) : null);
}
