using System.Globalization;
using Microsoft.Extensions.Options;

namespace Cairn.Server;

/// <summary>
/// Cairn's settings, the <c>Cairn:*</c> configuration keys (from <c>appsettings.json</c>,
/// <c>Cairn__…</c> or <c>CAIRN_*</c> environment variables and the command line), bound once and
/// checked at start-up: a value of the wrong form or out of range stops the server with a
/// message naming the key, instead of being silently replaced by a default.
/// </summary>
public sealed class CairnOptions
{
    /// <summary>The configuration section: <c>Cairn</c>.</summary>
    public const string Section = "Cairn";

    /// <summary><c>Cairn:Postgres</c>: a PostgreSQL connection string; empty for SQLite.</summary>
    public string? Postgres { get; set; }

    /// <summary>
    /// <c>Cairn:PostgresReplica</c>: a connection string to a PostgreSQL hot standby (streaming
    /// replica) of <c>Cairn:Postgres</c>; reports and lists read from it while it is within
    /// <see cref="ReplicaMaxLagSeconds"/> of the primary. Empty: everything reads the primary.
    /// </summary>
    public string? PostgresReplica { get; set; }

    /// <summary>
    /// <c>Cairn:ReplicaMaxLagSeconds</c>: the staleness bound of reads served by the replica, 1–300
    /// seconds (default 5). A replica further behind (or unreachable) is not used until it catches up.
    /// </summary>
    public int ReplicaMaxLagSeconds { get; set; } = 5;

    /// <summary>
    /// <c>Cairn:ApiKeyRevocationCheckMilliseconds</c>: how long an instance may rely on the API-key
    /// revocation version it last read, 0–5000 ms (default 0: read on every request, so a key revoked on
    /// any instance is refused by every instance from the commit on). With N &gt; 0 a request with a known
    /// key sends nothing to the database for authentication, and a revoked key may still be accepted, by
    /// any instance, for at most N ms after the revocation commits.
    /// </summary>
    public int ApiKeyRevocationCheckMilliseconds { get; set; }

    /// <summary>
    /// <c>Cairn:ApiKeyRevocationListen</c> (PostgreSQL; default true): each instance keeps one connection that
    /// <c>LISTEN</c>s for revocations (a trigger sends <c>pg_notify</c> when a key is revoked or deleted), and a request
    /// with a known key then sends nothing to the database for authentication. The instance that revokes refuses the key
    /// at once; another instance refuses it as soon as the notification arrives (milliseconds on a healthy network).
    /// While the listening connection is down the instance reads the revocation version as
    /// <see cref="ApiKeyRevocationCheckMilliseconds"/> says. False: always read it, for "refused everywhere from the commit on".
    /// </summary>
    public bool ApiKeyRevocationListen { get; set; } = true;

    /// <summary><c>Cairn:DataDirectory</c>: the folder of the SQLite database and the mail pickup folder (default <c>data</c>).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary><c>Cairn:Port</c>: the port to listen on when no URLs are configured (1–65535, default 5080).</summary>
    public int Port { get; set; } = Hosting.DefaultPort;

    /// <summary>The data folder of <c>--demo</c> when no <c>--data-dir</c> or <c>--postgres</c> is given: <c>demo-data</c>, beside (not inside) <c>data</c>.</summary>
    public const string DemoDataDirectory = "demo-data";

    /// <summary><c>Cairn:Demo</c>: seed a demo organization at start (true/false); without <c>Cairn:DataDirectory</c> or <c>Cairn:Postgres</c> its data goes to <see cref="DemoDataDirectory"/>.</summary>
    public bool Demo { get; set; }

    /// <summary><c>Cairn:LogFormat</c>: <c>simple</c> (one line per entry, the default) or <c>json</c>.</summary>
    public string LogFormat { get; set; } = "simple";

    /// <summary><c>Cairn:PublicUrl</c>: the absolute http(s) address people reach Cairn at, for links in emails.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// The address this server found itself listening on at start (the first http(s) address of <c>--urls</c> or
    /// <c>--port</c>, a wildcard host such as <c>0.0.0.0</c> or <c>*</c> read as <c>localhost</c>); set once by
    /// <see cref="Hosting.RememberListeningAddress"/>, null in a test host that does not listen.
    /// </summary>
    public string? ListeningUrl { get; set; }

    /// <summary>
    /// The address links in notification emails start with, without a trailing slash: <see cref="PublicUrl"/>,
    /// else the address this server listens on (<see cref="ListeningUrl"/>), else <c>http://localhost:{Port}</c>
    /// (emails leave from the outbox, outside any request whose host could be asked).
    /// </summary>
    public string EmailedLinkBase =>
        PublicUrl is { Length: > 0 } configured ? configured.TrimEnd('/')
        : ListeningUrl is { Length: > 0 } listening ? listening
        : $"http://localhost:{Port}";

    /// <summary><c>Cairn:Jobs:*</c>: scheduled billing.</summary>
    public JobsOptions Jobs { get; set; } = new();

    /// <summary><c>Cairn:Outbox:*</c>: delivery of events and emails.</summary>
    public OutboxOptions Outbox { get; set; } = new();

    /// <summary><c>Cairn:Webhooks:*</c>: delivery of signed webhooks.</summary>
    public WebhooksOptions Webhooks { get; set; } = new();

    /// <summary><c>Cairn:Portal:*</c>: the client portal.</summary>
    public PortalOptions Portal { get; set; } = new();

    /// <summary><c>Cairn:SignIn:*</c>: staff sign-in.</summary>
    public SignInOptions SignIn { get; set; } = new();

    /// <summary><c>Cairn:Smtp:*</c>: the mail server; without a host, mail goes to the pickup folder.</summary>
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary><c>Cairn:Mail:*</c>: the pickup folder used when no SMTP host is set.</summary>
    public MailOptions Mail { get; set; } = new();

    /// <summary><c>Cairn:Documents:*</c>: size limits of uploaded files.</summary>
    public DocumentsOptions Documents { get; set; } = new();

    /// <summary><c>Cairn:DataProtection:*</c>: the certificate that encrypts the key ring of session cookies and form tokens.</summary>
    public KeyRingProtectionOptions DataProtection { get; set; } = new();

    /// <summary>
    /// Binds and checks the <c>Cairn</c> section of a configuration. Throws an
    /// <see cref="OptionsValidationException"/> whose message names every key at fault.
    /// </summary>
    public static CairnOptions From(IConfiguration configuration)
    {
        CairnOptions options;
        try
        {
            options = configuration.GetSection(Section).Get<CairnOptions>() ?? new CairnOptions();
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key and the type it expected, e.g. "… at 'Cairn:Jobs:IntervalSeconds' to type 'System.Int32'".
            throw new OptionsValidationException(Section, typeof(CairnOptions), [$"Invalid configuration: {e.Message}"]);
        }

        var result = new CairnOptionsValidation().Validate(null, options);
        if (result.Failed)
            throw new OptionsValidationException(Section, typeof(CairnOptions), result.Failures);
        return options;
    }
}

/// <summary><c>Cairn:Jobs:*</c>.</summary>
public sealed class JobsOptions
{
    /// <summary><c>Cairn:Jobs:IntervalSeconds</c>: the pause between scheduled-billing passes, 1–86400 seconds (default 60).</summary>
    public int IntervalSeconds { get; set; } = 60;
}

/// <summary><c>Cairn:Outbox:*</c>.</summary>
public sealed class OutboxOptions
{
    /// <summary><c>Cairn:Outbox:IntervalSeconds</c>: the longest pause between delivery passes, 1–3600 seconds (default 10); a commit that adds events or emails wakes the dispatcher at once.</summary>
    public int IntervalSeconds { get; set; } = 10;

    /// <summary><c>Cairn:Outbox:MaxAttempts</c>: how many times one delivery is tried before Cairn gives up on it, 1–100 (default 20, about 16 hours of backoff).</summary>
    public int MaxAttempts { get; set; } = 20;

    /// <summary>
    /// <c>Cairn:Outbox:LeaseSeconds</c>: how long an instance holds the rows it claimed (emails, events, webhook
    /// deliveries) before another may take them, 10–3600 seconds and at least twice <c>Cairn:Webhooks:TimeoutSeconds</c>
    /// (default 300). After a crash, what the dead instance held is delivered again once its lease runs out;
    /// a lease shorter than a batch of deliveries takes lets a second instance repeat them.
    /// </summary>
    public int LeaseSeconds { get; set; } = 300;
}

/// <summary><c>Cairn:Webhooks:*</c>.</summary>
public sealed class WebhooksOptions
{
    /// <summary>
    /// <c>Cairn:Webhooks:AllowedHosts</c>: comma-separated host names, IP addresses and CIDR ranges
    /// (e.g. <c>127.0.0.1, hooks.internal, 10.1.0.0/16</c>) that webhook URLs may reach although they
    /// are loopback, link-local, private, CGNAT, multicast or unspecified; only these may use plain http.
    /// Empty by default: webhooks go to public https addresses only.
    /// </summary>
    public string? AllowedHosts { get; set; }

    /// <summary><c>Cairn:Webhooks:RetryHours</c>: how long a failing delivery is retried before the endpoint is disabled, 1–168 hours (default 72).</summary>
    public int RetryHours { get; set; } = 72;

    /// <summary><c>Cairn:Webhooks:RetryBaseSeconds</c>: the wait after the first failed attempt, doubling after each (at most 12 hours, ±20% jitter), 1–3600 seconds (default 30).</summary>
    public int RetryBaseSeconds { get; set; } = 30;

    /// <summary><c>Cairn:Webhooks:TimeoutSeconds</c>: how long Cairn waits for a receiver's answer, 1–60 seconds (default 10).</summary>
    public int TimeoutSeconds { get; set; } = 10;
}

/// <summary><c>Cairn:Portal:*</c>.</summary>
public sealed class PortalOptions
{
    /// <summary><c>Cairn:Portal:LinkOpensPerMinute</c>: how many portal links one address may open per minute, 1–10000 (default 10).</summary>
    public int LinkOpensPerMinute { get; set; } = 10;
}

/// <summary><c>Cairn:SignIn:*</c>.</summary>
public sealed class SignInOptions
{
    /// <summary><c>Cairn:SignIn:AttemptsPerAddressPerMinute</c>: how many sign-in attempts one client address may make per minute, 1–10000 (default 10).</summary>
    public int AttemptsPerAddressPerMinute { get; set; } = 10;
}

/// <summary><c>Cairn:Smtp:*</c>.</summary>
public sealed class SmtpOptions
{
    /// <summary><c>Cairn:Smtp:Host</c>: the SMTP server; empty to write mail to the pickup folder.</summary>
    public string? Host { get; set; }

    /// <summary><c>Cairn:Smtp:Port</c>: 1–65535 (default 587).</summary>
    public int Port { get; set; } = 587;

    /// <summary><c>Cairn:Smtp:UseTls</c>: STARTTLS or TLS (default true).</summary>
    public bool UseTls { get; set; } = true;

    /// <summary><c>Cairn:Smtp:User</c>.</summary>
    public string? User { get; set; }

    /// <summary><c>Cairn:Smtp:Password</c>.</summary>
    public string? Password { get; set; }

    /// <summary><c>Cairn:Smtp:From</c>: the sender, e.g. <c>Acme billing &lt;billing@acme.example&gt;</c>.</summary>
    public string From { get; set; } = "Cairn <cairn@localhost>";
}

/// <summary><c>Cairn:Mail:*</c>.</summary>
public sealed class MailOptions
{
    /// <summary><c>Cairn:Mail:PickupDirectory</c>: the folder mail is written to without an SMTP host (default <c>mail</c> in the data directory).</summary>
    public string? PickupDirectory { get; set; }
}

/// <summary><c>Cairn:Documents:*</c>: uploads are limited per file and per contract, in MB (1 MB = 1,048,576 bytes).</summary>
public sealed class DocumentsOptions
{
    /// <summary>The largest upload the server reads: 2048 MB.</summary>
    public const int MaxMegabytes = 2048;

    /// <summary><c>Cairn:Documents:MaxFileMegabytes</c>: the largest file accepted, 1–2048 MB (default 25).</summary>
    public int MaxFileMegabytes { get; set; } = 25;

    /// <summary><c>Cairn:Documents:MaxContractMegabytes</c>: the most all live files of one contract may add up to, from MaxFileMegabytes to 1048576 MB (default 200).</summary>
    public int MaxContractMegabytes { get; set; } = 200;

    /// <summary>The limits as the domain checks them, in bytes.</summary>
    public Domain.UploadLimits Limits => new(MaxFileMegabytes * 1048576L, MaxContractMegabytes * 1048576L);
}

/// <summary>
/// <c>Cairn:DataProtection:*</c>: without a certificate the key ring (the keys that sign staff and
/// portal sessions and form tokens) is stored in the database unencrypted, so whoever can read the
/// database can forge a session; with one, each key is encrypted with the certificate's public key.
/// </summary>
public sealed class KeyRingProtectionOptions
{
    /// <summary><c>Cairn:DataProtection:CertificatePath</c>: a PKCS#12 (.pfx/.p12) file with an RSA certificate and its private key; every instance needs the same one.</summary>
    public string? CertificatePath { get; set; }

    /// <summary><c>Cairn:DataProtection:CertificatePassword</c>: the file's password, if it has one.</summary>
    public string? CertificatePassword { get; set; }
}

/// <summary>The range and form checks of <see cref="CairnOptions"/>; each failure names its key.</summary>
public sealed class CairnOptionsValidation : IValidateOptions<CairnOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CairnOptions options)
    {
        var failures = new List<string>();
        void Range(string key, int value, int min, int max)
        {
            if (value < min || value > max)
                failures.Add($"Cairn:{key} is {value.ToString(CultureInfo.InvariantCulture)}; it must be a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
        }

        Range("Port", options.Port, 1, 65535);
        Range("Jobs:IntervalSeconds", options.Jobs.IntervalSeconds, 1, 86400);
        Range("Outbox:IntervalSeconds", options.Outbox.IntervalSeconds, 1, 3600);
        Range("Outbox:MaxAttempts", options.Outbox.MaxAttempts, 1, 100);
        Range("Outbox:LeaseSeconds", options.Outbox.LeaseSeconds, Math.Max(10, 2 * options.Webhooks.TimeoutSeconds), 3600);
        Range("Webhooks:RetryHours", options.Webhooks.RetryHours, 1, 168);
        Range("Webhooks:RetryBaseSeconds", options.Webhooks.RetryBaseSeconds, 1, 3600);
        Range("Webhooks:TimeoutSeconds", options.Webhooks.TimeoutSeconds, 1, 60);
        if (!Cairn.Server.Webhooks.AllowList.TryParse(options.Webhooks.AllowedHosts, out _, out var badHost))
            failures.Add($"Cairn:Webhooks:AllowedHosts has '{badHost}'; each comma-separated entry must be a host name, an IP address or a CIDR range such as 10.0.0.0/8.");
        Range("Portal:LinkOpensPerMinute", options.Portal.LinkOpensPerMinute, 1, 10000);
        Range("SignIn:AttemptsPerAddressPerMinute", options.SignIn.AttemptsPerAddressPerMinute, 1, 10000);
        Range("Smtp:Port", options.Smtp.Port, 1, 65535);
        Range("ReplicaMaxLagSeconds", options.ReplicaMaxLagSeconds, 1, 300);
        Range("ApiKeyRevocationCheckMilliseconds", options.ApiKeyRevocationCheckMilliseconds, 0, 5000);
        if (!string.IsNullOrWhiteSpace(options.PostgresReplica) && string.IsNullOrWhiteSpace(options.Postgres))
            failures.Add("Cairn:PostgresReplica is set but Cairn:Postgres is not; a replica needs its PostgreSQL primary.");
        Range("Documents:MaxFileMegabytes", options.Documents.MaxFileMegabytes, 1, DocumentsOptions.MaxMegabytes);
        Range("Documents:MaxContractMegabytes", options.Documents.MaxContractMegabytes, Math.Max(1, options.Documents.MaxFileMegabytes), 1048576);
        if (options.LogFormat is not ("simple" or "json"))
            failures.Add($"Cairn:LogFormat is '{options.LogFormat}'; it must be 'simple' or 'json'.");
        if (!string.IsNullOrEmpty(options.PublicUrl)
            && !(Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Query.Length == 0 && url.Fragment.Length == 0))
            failures.Add($"Cairn:PublicUrl is '{options.PublicUrl}'; it must be an absolute http or https address such as https://billing.example.com.");
        if (Identity.KeyRingCertificate.ProblemWith(options.DataProtection) is { } certificate)
            failures.Add(certificate);
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
            failures.Add("Cairn:DataDirectory is empty; leave it out for the default 'data' or name a folder.");
        if (!MimeKit.MailboxAddress.TryParse(options.Smtp.From, out _))
            failures.Add($"Cairn:Smtp:From is '{options.Smtp.From}'; it must be an email address, optionally with a name: Acme billing <billing@acme.example>.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures.Select(Hosting.NameSwitches));
    }
}
