namespace Cairn.Server.Requests;

/// <summary>Cache headers Cairn sets on answers that must not be kept.</summary>
public static class CacheHeaders
{
    /// <summary>
    /// Keeps the answer out of every cache (a secret shown once, a link token in the URL, a personal
    /// feed): <c>Cache-Control: no-cache, no-store</c> and <c>Pragma: no-cache</c> (RFC 9111 §5.2.2.4–5).
    /// That is also what ASP.NET Core's antiforgery sets on a page with a form, so on such a page it has
    /// nothing to override and logs no warning that it did.
    /// </summary>
    public static void DoNotStore(this HttpResponse response)
    {
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers.Pragma = "no-cache";
    }
}
