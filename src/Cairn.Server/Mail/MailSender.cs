using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Cairn.Server.Mail;

/// <summary>An email Cairn sends: a plain-text part, optionally an HTML alternative and attachments.</summary>
/// <param name="To">The recipient's address.</param>
/// <param name="ToName">The recipient's name, shown beside the address.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="Body">The plain-text body.</param>
/// <param name="Html">The HTML alternative of the body, or null for plain text only.</param>
/// <param name="MessageId">The Message-ID (RFC 5322 §3.6.4), the same on every retry so a receiver can drop repeats; null for a new one.</param>
/// <param name="Attachments">Files attached to the message.</param>
public sealed record OutgoingMail(string To, string ToName, string Subject, string Body, string? Html = null, string? MessageId = null, IReadOnlyList<MailAttachment>? Attachments = null)
{
    /// <summary>The sender's display name (the organization's name on notifications); null for the name of <c>Cairn:Smtp:From</c>. The address is always <c>Cairn:Smtp:From</c>'s.</summary>
    public string? FromName { get; init; }

    /// <summary>Which attempt of the outbox sends it (1, 2 …), written as the <see cref="MailSettings.AttemptHeader"/> header; null for none. The Message-ID stays the same on every attempt.</summary>
    public int? Attempt { get; init; }
}

/// <summary>A file attached to an email.</summary>
/// <param name="FileName">The file name shown to the reader, e.g. <c>INV-2026-000001.pdf</c>.</param>
/// <param name="ContentType">Its media type, e.g. <c>application/pdf</c>.</param>
/// <param name="Content">The bytes.</param>
public sealed record MailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>Sends Cairn's emails: through SMTP when one is configured, else into a pickup folder of <c>.eml</c> files.</summary>
public interface IMailSender
{
    /// <summary>Sends one email; throws when it could not be handed over.</summary>
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default);
}

/// <summary>Mail settings: <c>Cairn:Smtp:*</c> for a server, <c>Cairn:Mail:PickupDirectory</c> for the folder.</summary>
public sealed record MailSettings(string From, string? SmtpHost, int SmtpPort, bool SmtpUseTls, string? SmtpUser, string? SmtpPassword, string PickupDirectory)
{
    /// <summary>The header carrying the outbox's attempt counter (Cairn's own, like the webhooks' <c>cairn-attempt</c>): a repeat after a crash has the same Message-ID and a higher attempt.</summary>
    public const string AttemptHeader = "Cairn-Attempt";

    /// <summary>Reads the settings; the pickup folder defaults to <c>mail</c> inside the data directory (<c>./data/mail</c>).</summary>
    public static MailSettings Read(IConfiguration configuration)
    {
        var options = CairnOptions.From(configuration);
        var smtp = options.Smtp;
        var pickup = options.Mail.PickupDirectory is { Length: > 0 } p ? p : Path.Combine(options.DataDirectory, "mail");
        return new MailSettings(smtp.From, smtp.Host is { Length: > 0 } host ? host : null, smtp.Port, smtp.UseTls, smtp.User, smtp.Password, Path.GetFullPath(pickup));
    }

    /// <summary>Where emails go, for people (no credentials): the SMTP server's host and port, or the pickup folder's full path.</summary>
    public string Location => SmtpHost is null ? $"written as .eml files to {PickupDirectory}" : $"sent through SMTP {SmtpHost}:{SmtpPort}";

    /// <summary>Builds the MIME message of an email.</summary>
    public MimeMessage ToMime(OutgoingMail mail, DateTimeOffset now)
    {
        var message = new MimeMessage();
        var from = MailboxAddress.Parse(From);
        if (mail.FromName is { Length: > 0 } name)
            from.Name = name;
        message.From.Add(from);
        message.To.Add(new MailboxAddress(mail.ToName, mail.To));
        message.Subject = mail.Subject;
        message.Date = now;
        if (mail.MessageId is { } id)
            message.MessageId = id;
        if (mail.Attempt is { } attempt)
            message.Headers.Add(AttemptHeader, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var body = new BodyBuilder { TextBody = mail.Body, HtmlBody = mail.Html };
        foreach (var attachment in mail.Attachments ?? [])
            body.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
        message.Body = body.ToMessageBody();
        return message;
    }
}

/// <summary>Sends through an SMTP server with MailKit (STARTTLS, or TLS from the start on port 465).</summary>
public sealed class SmtpMailSender(MailSettings settings, TimeProvider clock) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        using var client = new SmtpClient();
        var security = !settings.SmtpUseTls ? SecureSocketOptions.None
            : settings.SmtpPort == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls;
        await client.ConnectAsync(settings.SmtpHost!, settings.SmtpPort, security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.SmtpUser))
            await client.AuthenticateAsync(settings.SmtpUser, settings.SmtpPassword ?? "", cancellationToken);
        await client.SendAsync(settings.ToMime(mail, clock.GetUtcNow()), cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

/// <summary>
/// Writes each email as an <c>.eml</c> file into a folder: the default when no SMTP server is
/// configured, so a new installation shows exactly what would have been sent.
/// </summary>
public sealed class PickupFolderMailSender(MailSettings settings, TimeProvider clock) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(settings.PickupDirectory);
        var now = clock.GetUtcNow();
        var name = $"{now:yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid():N}";
        var temporary = Path.Combine(settings.PickupDirectory, name + ".tmp");
        await settings.ToMime(mail, now).WriteToAsync(temporary, cancellationToken);
        // Readers watching the folder only ever see complete files.
        File.Move(temporary, Path.Combine(settings.PickupDirectory, name + ".eml"));
    }
}

/// <summary>Registers the mail sender the configuration asks for.</summary>
public static class MailRegistration
{
    /// <summary>SMTP when <c>Cairn:Smtp:Host</c> is set, else the pickup folder; the outbox that sends through it (its dispatcher runs as a hosted service only in the server, see <see cref="Hosting"/>).</summary>
    public static void AddCairnMail(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = MailSettings.Read(configuration);
        services.AddSingleton(settings);
        if (settings.SmtpHost is null)
            services.AddSingleton<IMailSender, PickupFolderMailSender>();
        else
            services.AddSingleton<IMailSender, SmtpMailSender>();
        services.AddSingleton<Outbox.MailQueue>();
        services.AddSingleton<Outbox.OutboxSignal>();
        services.AddSingleton<Outbox.OutboxCommitInterceptor>();
        services.AddSingleton<Outbox.OutboxDispatcher>();
        services.AddScoped<Outbox.Notifications>();
        services.AddScoped<Outbox.Attachments>();
        services.AddScoped<Outbox.ClientEmails>();
        services.AddScoped<Outbox.StaffEmails>();
        services.AddSingleton<Outbox.DailyDigests>();
    }
}
