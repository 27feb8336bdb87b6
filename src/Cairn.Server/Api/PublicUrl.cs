using Cairn.Domain;

namespace Cairn.Server.Api;

/// <summary>
/// The address people reach Cairn at, for links in emails (invitations, portal links). A link is
/// built from <c>Cairn:PublicUrl</c> when it is configured; otherwise from the request's scheme and
/// host only when that host is on the allow-list <c>Cairn:AllowedHosts</c> (default: localhost and
/// the loopback addresses), so a forged <c>Host</c> header can never put its address into an email
/// (OWASP ASVS 5.0 V15/V4: no trust in the Host header).
/// </summary>
public static class PublicUrl
{
    /// <summary>The hosts trusted without configuration: a server reached on this machine.</summary>
    public static readonly IReadOnlyList<string> DefaultAllowedHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>
    /// The base address for emailed links, without a trailing slash. Throws a <see cref="DomainException"/>
    /// naming the <c>Host</c> header (400) when no address is configured and the request's host is not allowed.
    /// </summary>
    public static string Of(HttpContext context)
    {
        var configuration = context.RequestServices.GetRequiredService<IConfiguration>();
        if (configuration["Cairn:PublicUrl"] is { Length: > 0 } configured)
            return configured.TrimEnd('/');
        var host = context.Request.Host;
        if (!host.HasValue || !AllowedHosts(configuration).Contains(host.Host, StringComparer.OrdinalIgnoreCase))
        {
            throw new DomainException(new DomainError(
                "untrusted_host",
                $"Links in emails are built only for a configured address: set Cairn:PublicUrl, or add this host to Cairn:AllowedHosts.",
                "Host"));
        }

        return $"{context.Request.Scheme}://{host}{context.Request.PathBase}";
    }

    /// <summary><c>Cairn:AllowedHosts</c> (host names separated by <c>;</c> or <c>,</c>), or the defaults.</summary>
    public static IReadOnlyList<string> AllowedHosts(IConfiguration configuration) =>
        configuration["Cairn:AllowedHosts"] is { Length: > 0 } list
            ? list.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : DefaultAllowedHosts;

    /// <summary>Says at start-up where emailed links come from when <c>Cairn:PublicUrl</c> is missing.</summary>
    public static void WarnWhenMissing(IConfiguration configuration, ILogger logger)
    {
        if (string.IsNullOrEmpty(configuration["Cairn:PublicUrl"]))
        {
            logger.LogWarning(
                "Cairn:PublicUrl is not set: emailed links (invitations, portal links) are built from the request's host only when it is one of {AllowedHosts} (Cairn:AllowedHosts), and refused otherwise. Set Cairn:PublicUrl to the address people reach Cairn at.",
                string.Join(", ", AllowedHosts(configuration)));
        }
    }
}
