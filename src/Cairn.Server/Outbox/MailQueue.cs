using System.Text.Json;
using Cairn.Server.Data;
using Cairn.Server.Mail;
using Microsoft.AspNetCore.DataProtection;

namespace Cairn.Server.Outbox;

/// <summary>A document attached to a queued email, rendered when the email is sent (an issued document never changes).</summary>
/// <param name="Kind"><c>invoice_pdf</c> or <c>invoice_ubl</c>.</param>
/// <param name="Id">The invoice.</param>
public sealed record AttachmentRef(string Kind, Guid Id);

/// <summary>An email as it waits in the outbox.</summary>
internal sealed record QueuedMail(string To, string ToName, string Subject, string Text, string? Html, IReadOnlyList<AttachmentRef>? Attachments, string? FromName = null);

/// <summary>
/// Puts emails into the outbox, inside the caller's transaction: they are sent after the commit,
/// never for a change that rolled back. The content is encrypted with the Data Protection key ring
/// (shared by every instance through the database), because invitation and portal emails carry the
/// only copy of a secret link, whose hash alone the database otherwise keeps.
/// </summary>
public sealed class MailQueue(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Cairn.Outbox.Mail.v1");

    /// <summary>Adds an email to the unit of work; returns its row.</summary>
    /// <param name="db">The unit of work of the change that causes the email.</param>
    /// <param name="organizationId">The organization sending it.</param>
    /// <param name="purpose"><c>invitation</c>, <c>portal_link</c>, or the event type of a notification.</param>
    /// <param name="at">When the change happened.</param>
    /// <param name="mail">Recipient, subject, text and optional HTML.</param>
    /// <param name="idempotencyKey">What makes this email unique (e.g. the event and the recipient), or null for a new key.</param>
    /// <param name="attachments">Documents to render and attach at sending time.</param>
    public OutboxMessage Add(CairnDb db, Guid organizationId, string purpose, DateTimeOffset at, OutgoingMail mail, string? idempotencyKey = null, IReadOnlyList<AttachmentRef>? attachments = null)
    {
        var id = Billing.Audit.NextId();
        var queued = new QueuedMail(mail.To, mail.ToName, mail.Subject, mail.Body, mail.Html, attachments, mail.FromName);
        var payload = _protector.Protect(JsonSerializer.Serialize(queued, Json.Options));
        var message = new OutboxMessage(id, organizationId, OutboxMessage.EmailKind, purpose, idempotencyKey ?? "mail_" + id.ToString("N"), payload, at);
        db.Add(message);
        db.HasNewOutboxMessages = true;
        return message;
    }

    internal QueuedMail Read(OutboxMessage message) => JsonSerializer.Deserialize<QueuedMail>(_protector.Unprotect(message.Payload), Json.Options)!;

    private static class Json
    {
        public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
    }
}
