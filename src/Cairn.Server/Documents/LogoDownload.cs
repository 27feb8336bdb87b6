using Cairn.Server.Billing;

namespace Cairn.Server.Documents;

/// <summary>
/// How the organization's logo is served, by the API and the portal alike: shown inline as the image
/// type Cairn recognized (never sniffed: <c>X-Content-Type-Options: nosniff</c>), its SHA-256 as a strong
/// ETag. An address that names the current logo (<c>?v=</c> its SHA-256, as the portal links it) is
/// cached for a year as immutable, since another logo has another address; any other is revalidated.
/// </summary>
public static class LogoDownload
{
    /// <summary>The logo as an endpoint result (304 when the request's If-None-Match names it).</summary>
    public static IResult Serve(HttpContext context, LogoFile logo) =>
        WriteHeaders(context, logo) ? Results.Bytes(logo.Content, logo.MediaType) : Results.StatusCode(StatusCodes.Status304NotModified);

    /// <summary>Writes the headers of <paramref name="logo"/>; false when the request's If-None-Match names it (answer 304 without a body).</summary>
    public static bool WriteHeaders(HttpContext context, LogoFile logo)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(logo);
        var etag = $"\"{logo.Sha256}\"";
        var response = context.Response;
        response.Headers.ETag = etag;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = context.Request.Query["v"] == logo.Sha256 ? "private, max-age=31536000, immutable" : "private, no-cache";
        return !context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Select(t => t.Trim()).Any(t => t == etag || t == "W/" + etag || t == "*"));
    }
}
