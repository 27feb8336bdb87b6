using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Cairn.Server;

/// <summary>
/// What every response carries and whom Cairn believes about the connection: the browser security
/// headers (CSP, nosniff, Referrer-Policy, framing, HSTS over HTTPS) and <c>X-Forwarded-For/Proto</c>
/// from the reverse proxies named in <c>Cairn:ForwardedHeaders:KnownProxies</c> (addresses) and
/// <c>Cairn:ForwardedHeaders:KnownNetworks</c> (CIDR ranges) only.
/// </summary>
public static class Transport
{
    /// <summary>The interactive API reference (a third-party page with an inline module script and injected styles).</summary>
    private const string DocsPath = "/docs";

    /// <summary>Registers which proxies may speak for the client; nobody when none is configured.</summary>
    public static void AddCairnTransport(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("Cairn:ForwardedHeaders");
        var proxies = Values(section.GetSection("KnownProxies")).Select(p => IPAddress.TryParse(p, out var a) ? a : throw new StartupRefusedException($"Cairn:ForwardedHeaders:KnownProxies: '{p}' is not an IP address.")).ToList();
        var networks = Values(section.GetSection("KnownNetworks")).Select(n => System.Net.IPNetwork.TryParse(n, out var net) ? net : throw new StartupRefusedException($"Cairn:ForwardedHeaders:KnownNetworks: '{n}' is not a CIDR range such as 10.0.0.0/8.")).ToList();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; Cairn trusts exactly what is configured.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
                o.KnownProxies.Add(proxy);
            foreach (var network in networks)
                o.KnownIPNetworks.Add(network);
        });
    }

    /// <summary>Applies the trusted forwarded headers, then adds the security headers to every response, errors and static files included.</summary>
    public static void UseCairnTransport(this WebApplication app)
    {
        // With no proxy configured, ASP.NET Core's middleware would believe every caller: leave it out.
        var forwarded = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
        if (forwarded.KnownProxies.Count > 0 || forwarded.KnownIPNetworks.Count > 0)
            app.UseForwardedHeaders();
        var pages = Policies(docs: false);
        var docs = Policies(docs: true);
        app.UseWhen(context => !context.Request.Path.StartsWithSegments(DocsPath), branch => branch.UseSecurityHeaders(pages));
        app.UseWhen(context => context.Request.Path.StartsWithSegments(DocsPath), branch => branch.UseSecurityHeaders(docs));
    }

    private static HeaderPolicyCollection Policies(bool docs) => new HeaderPolicyCollection()
        .AddContentTypeOptionsNoSniff()
        .AddFrameOptionsDeny()
        .AddReferrerPolicyNoReferrer()
        .AddStrictTransportSecurityMaxAge(maxAgeInSeconds: 365 * 24 * 60 * 60)
        .AddContentSecurityPolicy(csp =>
        {
            csp.AddDefaultSrc().Self();
            csp.AddObjectSrc().None();
            csp.AddBaseUri().None();
            csp.AddFrameAncestors().None();
            csp.AddFormAction().Self();
            csp.AddImgSrc().Self().Data();
            csp.AddConnectSrc().Self();
            if (docs)
            {
                // Scalar's page starts itself with an inline module script and injects its styles; it shows only the API description.
                csp.AddScriptSrc().Self().UnsafeInline();
                csp.AddStyleSrc().Self().UnsafeInline();
                csp.AddFontSrc().Self().Data();
            }
            else
            {
                csp.AddScriptSrc().Self();
                csp.AddStyleSrc().Self();
            }
        });

    private static IEnumerable<string> Values(IConfigurationSection section) =>
        (section.Value is { Length: > 0 } single ? [single] : section.GetChildren().Select(c => c.Value ?? ""))
            .SelectMany(v => v.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
