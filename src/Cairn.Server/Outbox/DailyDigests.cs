using System.Globalization;
using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Localization;
using Cairn.Server.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Outbox;

/// <summary>
/// Sends the daily digests: from <see cref="NotificationPreference.DigestTime"/> (08:00) in the
/// organization's time zone, each user with events waiting gets one email listing them. The digest
/// row, the items' "listed" mark and the email commit together, and a unique key on (organization,
/// user, business day) makes it one digest a day whatever the number of instances running the job.
/// The digest is in the user's language (<see cref="Identity.StaffUser.Language"/>).
/// Run by the scheduled job (<see cref="Jobs.ScheduledBilling"/>) on each pass.
/// </summary>
public sealed class DailyDigests(IServiceScopeFactory scopes, TimeProvider clock, MailQueue mail, IOptions<CairnOptions> options, ILogger<DailyDigests> logger)
{
    /// <summary>Sends every digest due now; returns how many were sent by this instance.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        List<(Guid Organization, Guid User, DateOnly Day)> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
            var waiting = await (from i in db.DigestItems.IgnoreQueryFilters()
                                 join o in db.Organizations.IgnoreQueryFilters() on i.OrganizationId equals o.Id
                                 where i.DigestId == null
                                 select new { i.OrganizationId, i.UserId, o.TimeZone }).Distinct().ToListAsync(cancellationToken);
            due = waiting.Select(w => (w.OrganizationId, w.UserId, Calendar: BusinessCalendar.Of(w.TimeZone)))
                .Where(w => w.Calendar.TimeOf(now) >= NotificationPreference.DigestTime)
                .Select(w => (w.OrganizationId, w.UserId, w.Calendar.DayOf(now))).ToList();
        }

        var sent = 0;
        foreach (var (organization, user, day) in due)
            sent += await SendAsync(organization, user, day, now, cancellationToken) ? 1 : 0;
        return sent;
    }

    private async Task<bool> SendAsync(Guid organizationId, Guid userId, DateOnly day, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
        db.TenantId = organizationId;
        try
        {
            return await Transactions.RunAsync(db, async () =>
            {
                if (await db.Digests.AnyAsync(d => d.UserId == userId && d.Day == day, cancellationToken))
                    return false;
                var member = await (from m in db.Memberships
                                    join u in db.Users on m.UserId equals u.Id
                                    where m.UserId == userId && m.DeactivatedAt == null
                                    select new { u.Email, u.DisplayName, u.Language }).SingleOrDefaultAsync(cancellationToken);
                var items = await db.DigestItems.Where(i => i.UserId == userId && i.DigestId == null).ToListAsync(cancellationToken);
                if (member is null || items.Count == 0)
                    return false;
                items = items.OrderBy(i => i.OccurredAt).ThenBy(i => i.Id).ToList();
                var sender = await db.Organizations.AsNoTracking().Select(o => new { o.Name, o.TimeZone }).SingleAsync(cancellationToken);
                var (organization, calendar) = (sender.Name, BusinessCalendar.Of(sender.TimeZone));
                var digest = new Digest(organizationId, userId, day, items.Count, now);
                db.Digests.Add(digest);
                foreach (var item in items)
                    item.ListedIn(digest.Id);

                // In the member's language; each line was written in it when the event came.
                var words = MailWording.For(member.Language);
                var subject = items.Count == 1
                    ? Wording.Format(words.DigestSubjectOne, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                    : Wording.Format(words.DigestSubjectMany, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), items.Count.ToString(CultureInfo.InvariantCulture));
                var body = new EmailBody()
                    .Paragraph(Wording.Format(words.Hello, member.DisplayName))
                    .Paragraph(Wording.Format(words.DigestIntro, organization))
                    .List(null, items.Select(i => $"{Formats.MomentWithZone(i.OccurredAt, member.Language, calendar)} · {i.Line}").ToList())
                    .Paragraph(Wording.Format(words.DigestWhy, $"{options.Value.EmailedLinkBase}/account/notifications"));
                mail.Add(db, organizationId, "digest", now,
                    new OutgoingMail(member.Email, member.DisplayName, subject, body.Text(), body.Html(subject)) { FromName = organization },
                    $"digest_{organizationId:N}_{userId:N}_{day:yyyyMMdd}");
                await db.SaveChangesAsync(cancellationToken);
                return true;
            }, cancellationToken);
        }
        catch (DbUpdateException e) when (DatabaseFailures.IsUniqueViolation(e))
        {
            // Another instance sent this user's digest for the day at the same moment.
            logger.LogDebug("Digest of user {User} for {Day}: another instance sent it", userId, day);
            return false;
        }
    }
}
