using System.Globalization;
using System.Text.Json;
using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Localization;
using Cairn.Server.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Outbox;

/// <summary>
/// The emails to the organization's staff (<see cref="NotificationPreference.StaffEvents"/>): every
/// active member whose preferences choose the event gets one email at once, or the event waits as a
/// <see cref="DigestItem"/> for the daily digest (<see cref="DailyDigests"/>). Staff emails are in
/// each member's language (<see cref="Identity.StaffUser.Language"/>, texts from <see cref="MailWording"/>),
/// from the organization's name, with a plain-text and an HTML part and a link to the page.
/// </summary>
public sealed class StaffEmails(CairnDb db, MailQueue mail, TimeProvider clock, IOptions<CairnOptions> options)
{
    // The active members and their choices, read once per unit of work and organization: the
    // dispatcher fans out an organization's events of a pass together, and fanning out changes neither.
    private Audience? _audience;

    private sealed record Member(Guid Id, string Email, string DisplayName, Language Language);

    private sealed record Audience(Guid OrganizationId, List<Member> Members, Dictionary<Guid, NotificationPreference> Chosen);

    /// <summary>Queues (or collects for the digest) the emails of one staff event; other events do nothing.</summary>
    public async Task AddAsync(OutboxMessage message, OutboxEvent happened, Organization organization, CancellationToken cancellationToken)
    {
        if (!NotificationPreference.StaffEvents.Contains(happened.Type))
            return;
        var now = clock.GetUtcNow();
        var (_, members, chosen) = await AudienceAsync(organization, cancellationToken);
        var facts = await FactsAsync(happened, organization, cancellationToken);
        var account = $"{options.Value.EmailedLinkBase}/account/notifications";
        foreach (var member in members)
        {
            var preference = chosen.GetValueOrDefault(member.Id) ?? NotificationPreference.Defaults(organization.Id, member.Id, now);
            if (!preference.Wants(happened.Type))
                continue;
            // In the member's own language, also in the digest (its lines are written now).
            var words = MailWording.For(member.Language);
            var line = facts.Line(words, member.Language);
            if (preference.DailyDigest)
            {
                db.DigestItems.Add(new DigestItem(organization.Id, member.Id, message.Id, happened.Type, $"{line} {facts.Url}", happened.Timestamp));
                continue;
            }

            var body = new EmailBody()
                .Paragraph(Wording.Format(words.Hello, member.DisplayName))
                .Paragraph(line)
                .Link(words.StaffOpen, facts.Url)
                .Paragraph(Wording.Format(words.StaffWhy, words.StaffEvent(happened.Type), account));
            mail.Add(db, organization.Id, happened.Type, now,
                new OutgoingMail(member.Email, member.DisplayName, line, body.Text(), body.Html(line)) { FromName = organization.Name },
                $"{message.IdempotencyKey}_u_{member.Id:N}");
        }
    }

    private async Task<Audience> AudienceAsync(Organization organization, CancellationToken cancellationToken)
    {
        if (_audience is { } known && known.OrganizationId == organization.Id)
            return known;
        var members = await (from m in db.Memberships.AsNoTracking()
                             join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                             where m.DeactivatedAt == null && m.AcceptedAt != null
                             orderby u.Id
                             select new Member(u.Id, u.Email, u.DisplayName, u.Language)).ToListAsync(cancellationToken);
        var chosen = await db.NotificationPreferences.AsNoTracking().ToDictionaryAsync(p => p.UserId, cancellationToken);
        return _audience = new Audience(organization.Id, members, chosen);
    }

    /// <summary>What a staff email says about an event: one sentence a person understands without opening Cairn (in a language), and the staff page it is about.</summary>
    private sealed record Facts(Func<MailWording, Language, string> Line, string Url);

    private async Task<Facts> FactsAsync(OutboxEvent happened, Organization organization, CancellationToken cancellationToken)
    {
        var data = happened.Data;
        var baseUrl = options.Value.EmailedLinkBase;
        var client = await db.Clients.AsNoTracking().Where(c => c.Id == data.GetProperty("clientId").GetGuid()).Select(c => c.Name).SingleAsync(cancellationToken);
        if (happened.Type == EventTypes.PaymentRecorded)
        {
            var (amount, method, reference) = (AmountOf(data.GetProperty("amount")), Text(data, "method"), Text(data, "reference"));
            return new Facts(
                (w, language) => reference.Length > 0
                    ? Wording.Format(w.StaffPaidReference, client, Formats.Amount(amount, language), method, reference)
                    : Wording.Format(w.StaffPaid, client, Formats.Amount(amount, language), method),
                $"{baseUrl}/clients/{data.GetProperty("clientId").GetGuid()}");
        }

        var contractId = data.GetProperty("contractId").GetGuid();
        var contract = await db.Contracts.AsNoTracking().Where(c => c.Id == contractId).Select(c => new { c.Title, c.ApprovalWindowDays }).SingleAsync(cancellationToken);
        var milestone = Text(data, "title");
        var reason = Text(data, "reason");
        var windowEnd = happened.Type == EventTypes.MilestoneAutoApprovalDue ? await WindowEndAsync(data, contract.ApprovalWindowDays, organization, cancellationToken) : null;
        string Line(MailWording w, Language language) => happened.Type switch
        {
            EventTypes.MilestoneApproved => Wording.Format(w.StaffApproved, client, milestone, contract.Title, Formats.Amount(AmountOf(data.GetProperty("amount")), language)),
            EventTypes.MilestoneAutoApproved => Wording.Format(w.StaffAutoApproved, client, milestone, contract.Title, Formats.Amount(AmountOf(data.GetProperty("amount")), language)),
            EventTypes.MilestoneChangesRequested => Wording.Format(w.StaffChangesRequested, client, milestone, contract.Title, reason),
            EventTypes.MilestoneDisputed => Wording.Format(w.StaffDisputed, client, milestone, contract.Title, reason),
            _ => Wording.Format(w.StaffAutoApprovalDue, client, milestone, contract.Title, windowEnd is { } end ? Wording.Format(w.StaffDayAt, end.Day, end.Time, end.Zone) : w.StaffWindowEnd),
        };
        return new Facts(Line, $"{baseUrl}/contracts/{contractId}#m-{data.GetProperty("milestoneId").GetGuid()}");
    }

    // The day, time and zone the window ends; null when it is not known.
    private async Task<(string Day, string Time, string Zone)?> WindowEndAsync(JsonElement data, int? windowDays, Organization organization, CancellationToken cancellationToken)
    {
        var milestoneId = data.GetProperty("milestoneId").GetGuid();
        var submittedAt = await db.Milestones.AsNoTracking().Where(m => m.Id == milestoneId).Select(m => m.SubmittedAt).SingleAsync(cancellationToken);
        if (submittedAt is not { } at || windowDays is not { } days)
            return null;
        var ends = Contract.ApprovalWindowEnds(at, days);
        return (organization.Calendar.DayOf(ends).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            TimeZoneInfo.ConvertTime(ends, organization.Calendar.Zone).ToString("HH:mm", CultureInfo.InvariantCulture), organization.Calendar.TimeZoneId);
    }

    // The event carries the API's strict decimal string; people read it written by Formats, in their language (2,700.00 EUR, 2.700,00 EUR).
    private static Money AmountOf(JsonElement money) => Money.Parse(money.GetProperty("amount").GetString(), Currency.Of(money.GetProperty("currency").GetString()!));

    private static string Text(JsonElement data, string property) =>
        data.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
