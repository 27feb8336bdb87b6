using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Outbox;

/// <summary>
/// Turns a committed event into its deliveries, inside the dispatcher's transaction (the deliveries
/// and the event's "delivered" mark commit together, once). Each channel adds its rows here in a
/// method of its own: emails to client contacts and staff (<see cref="EmailAsync"/>) through
/// <see cref="MailQueue"/>, each then delivered and retried by <see cref="OutboxDispatcher"/> on its own.
/// </summary>
public sealed class Notifications(CairnDb db, ClientEmails clientEmails, StaffEmails staffEmails)
{
    // Read once per unit of work and organization: the dispatcher fans out an organization's events of a pass together.
    private Organization? _organization;

    /// <summary>Adds the deliveries of one event to the unit of work.</summary>
    public async Task FanOutAsync(OutboxMessage message, OutboxEvent happened, CancellationToken cancellationToken)
    {
        await EmailAsync(message, happened, cancellationToken);
    }

    /// <summary>
    /// The email channel: the client's people for <c>milestone.submitted</c>, <c>invoice.issued</c>,
    /// <c>invoice.sent</c> and <c>change_order.proposed</c> (<see cref="ClientEmails"/>); the staff who
    /// chose it for the events of <see cref="NotificationPreference.StaffEvents"/> (<see cref="StaffEmails"/>).
    /// </summary>
    private async Task EmailAsync(OutboxMessage message, OutboxEvent happened, CancellationToken cancellationToken)
    {
        var organization = _organization is { } known && known.Id == db.TenantId
            ? known
            : _organization = await db.Organizations.AsNoTracking().SingleAsync(cancellationToken);
        await clientEmails.AddAsync(message, happened, organization, cancellationToken);
        await staffEmails.AddAsync(message, happened, organization, cancellationToken);
    }
}
