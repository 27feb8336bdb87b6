using Microsoft.Extensions.Options;

namespace Cairn.Server.Webhooks;

/// <summary>Registers webhooks: endpoint management, secrets, the SSRF guard and the HTTP client deliveries go through.</summary>
public static class WebhookServices
{
    /// <summary>
    /// The <see cref="WebhookDispatcher.HttpClientName"/> client: <c>Cairn:Webhooks:TimeoutSeconds</c>, no redirects,
    /// no proxy, every connection through <see cref="WebhookAddresses.ConnectAsync"/>, and no request logging (URLs may carry tokens).
    /// </summary>
    public static void AddCairnWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookAddresses>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddScoped<Subscriptions>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName, (sp, client) =>
                client.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<CairnOptions>>().Value.Webhooks.TimeoutSeconds))
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = sp.GetRequiredService<WebhookAddresses>().ConnectAsync,
            })
            .RemoveAllLoggers();
    }
}
