using System.Text.Json;
using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Outbox;

/// <summary>
/// The emails to the organization's staff (<see cref="NotificationPreference.StaffEvents"/>): every
/// active member whose preferences choose the event gets one email at once, or the event waits as a
/// <see cref="DigestItem"/> for the daily digest (<see cref="DailyDigests"/>). Staff emails are in
/// English, from the organization's name, with a plain-text and an HTML part and a link to the page.
/// </summary>
public sealed class StaffEmails(CairnDb db, MailQueue mail, TimeProvider clock, IOptions<CairnOptions> options)
{
    /// <summary>Queues (or collects for the digest) the emails of one staff event; other events do nothing.</summary>
    public async Task AddAsync(OutboxMessage message, OutboxEvent happened, Organization organization, CancellationToken cancellationToken)
    {
        if (!NotificationPreference.StaffEvents.Contains(happened.Type))
            return;
        var (line, path) = await DescribeAsync(happened, organization, cancellationToken);
        var url = options.Value.EmailedLinkBase + path;
        var now = clock.GetUtcNow();
        var members = await (from m in db.Memberships.AsNoTracking()
                             join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                             where m.DeactivatedAt == null && m.AcceptedAt != null
                             orderby u.Id
                             select new { u.Id, u.Email, u.DisplayName }).ToListAsync(cancellationToken);
        var chosen = await db.NotificationPreferences.AsNoTracking().ToDictionaryAsync(p => p.UserId, cancellationToken);
        foreach (var member in members)
        {
            var preference = chosen.GetValueOrDefault(member.Id) ?? NotificationPreference.Defaults(organization.Id, member.Id, now);
            if (!preference.Wants(happened.Type))
                continue;
            if (preference.DailyDigest)
            {
                db.DigestItems.Add(new DigestItem(organization.Id, member.Id, message.Id, happened.Type, $"{line} {url}", happened.Timestamp));
                continue;
            }

            var body = new EmailBody()
                .Paragraph($"Hello {member.DisplayName},")
                .Paragraph(line)
                .Link("Open it in Cairn:", url)
                .Paragraph($"You receive this email because you chose {happened.Type} under Notifications on your account page ({options.Value.EmailedLinkBase}/account/notifications).");
            mail.Add(db, organization.Id, happened.Type, now,
                new OutgoingMail(member.Email, member.DisplayName, line, body.Text(), body.Html(line)) { FromName = organization.Name },
                $"{message.IdempotencyKey}_u_{member.Id:N}");
        }
    }


    // One sentence a person understands without opening Cairn, and the staff page it is about.
    private async Task<(string Line, string Path)> DescribeAsync(OutboxEvent happened, Organization organization, CancellationToken cancellationToken)
    {
        var data = happened.Data;
        var client = await db.Clients.AsNoTracking().Where(c => c.Id == data.GetProperty("clientId").GetGuid()).Select(c => c.Name).SingleAsync(cancellationToken);
        if (happened.Type == EventTypes.PaymentRecorded)
        {
            var reference = Text(data, "reference") is { Length: > 0 } r ? $", reference {r}" : "";
            return ($"{client} paid {Amount(data.GetProperty("amount"))} ({Text(data, "method")}{reference}); the payment is recorded.", $"/clients/{data.GetProperty("clientId").GetGuid()}");
        }

        var contractId = data.GetProperty("contractId").GetGuid();
        var contract = await db.Contracts.AsNoTracking().Where(c => c.Id == contractId).Select(c => new { c.Title, c.ApprovalWindowDays }).SingleAsync(cancellationToken);
        var milestone = Text(data, "title");
        var reason = Text(data, "reason");
        var line = happened.Type switch
        {
            EventTypes.MilestoneApproved => $"{client} approved “{milestone}” of “{contract.Title}” ({Amount(data.GetProperty("amount"))}).",
            EventTypes.MilestoneAutoApproved => $"Cairn approved “{milestone}” of “{contract.Title}” ({Amount(data.GetProperty("amount"))}): {client} did not answer within the approval window.",
            EventTypes.MilestoneChangesRequested => $"{client} asked for changes to “{milestone}” of “{contract.Title}”: {reason}",
            EventTypes.MilestoneDisputed => $"{client} disputed “{milestone}” of “{contract.Title}”: {reason}",
            _ => $"Cairn will approve “{milestone}” of “{contract.Title}” on {await WindowEndAsync(data, contract.ApprovalWindowDays, organization, cancellationToken)} unless {client} answers first.",
        };
        return (line, $"/contracts/{contractId}#m-{data.GetProperty("milestoneId").GetGuid()}");
    }

    private async Task<string> WindowEndAsync(JsonElement data, int? windowDays, Organization organization, CancellationToken cancellationToken)
    {
        var milestoneId = data.GetProperty("milestoneId").GetGuid();
        var submittedAt = await db.Milestones.AsNoTracking().Where(m => m.Id == milestoneId).Select(m => m.SubmittedAt).SingleAsync(cancellationToken);
        if (submittedAt is not { } at || windowDays is not { } days)
            return "the end of its approval window";
        var ends = Contract.ApprovalWindowEnds(at, days);
        return $"{organization.Calendar.DayOf(ends):yyyy-MM-dd} at {TimeZoneInfo.ConvertTime(ends, organization.Calendar.Zone):HH:mm} ({organization.Calendar.TimeZoneId})";
    }

    private static string Amount(JsonElement money) => $"{money.GetProperty("amount").GetString()} {money.GetProperty("currency").GetString()}";

    private static string Text(JsonElement data, string property) =>
        data.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
