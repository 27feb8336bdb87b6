using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using StandardWebhooks;

namespace Cairn.Server.Webhooks;

/// <summary>
/// Signing secrets of webhook endpoints in the Standard Webhooks form (<c>whsec_</c> and 24 random
/// bytes in base64): made here, kept encrypted with the Data Protection key ring (shared by every
/// instance through the database), and shown to a person only when made. Signatures are made with the
/// <c>StandardWebhooks</c> package: <c>v1,</c> and the base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider protection)
{
    /// <summary>How long the previous secret keeps signing after a rotation.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    private const string Prefix = "whsec_";
    private readonly IDataProtector _protector = protection.CreateProtector("Cairn.Webhooks.Secret.v1");

    /// <summary>A new secret: the plain text (shown once) and its encrypted form (stored).</summary>
    public (string Plain, string Protected) New()
    {
        var plain = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        return (plain, _protector.Protect(plain));
    }

    /// <summary>
    /// The <c>webhook-signature</c> header for one attempt: the current secret's signature, and the
    /// previous secret's too while it is valid, separated by a space.
    /// </summary>
    /// <param name="endpoint">The endpoint whose secrets sign.</param>
    /// <param name="webhookId">The <c>webhook-id</c> header.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> header's moment (whole seconds are signed).</param>
    /// <param name="body">The exact request body.</param>
    /// <param name="now">The server's time, to tell whether the previous secret still signs.</param>
    public string Signature(WebhookEndpoint endpoint, string webhookId, DateTimeOffset timestamp, string body, DateTimeOffset now)
    {
        var signatures = new List<string> { Sign(endpoint.Secret, webhookId, timestamp, body) };
        if (endpoint.PreviousSecret is { } previous && endpoint.PreviousSecretExpiresAt > now)
            signatures.Add(Sign(previous, webhookId, timestamp, body));
        return string.Join(' ', signatures);
    }

    private string Sign(string protectedSecret, string webhookId, DateTimeOffset timestamp, string body) =>
        new StandardWebhook(_protector.Unprotect(protectedSecret)).Sign(webhookId, timestamp, body);
}
