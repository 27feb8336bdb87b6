namespace Cairn.Server.Outbox;

/// <summary>
/// Turns a committed event into its deliveries, inside the dispatcher's transaction (the deliveries
/// and the event's "delivered" mark commit together, once). No channel subscribes to events yet:
/// email notifications to client contacts and staff (issue 14 item 3) add rows through
/// <see cref="MailQueue"/> here, and webhooks (item 5) one row per subscribed endpoint, each then
/// delivered and retried by <see cref="OutboxDispatcher"/> on its own.
/// </summary>
public sealed class Notifications
{
    /// <summary>Adds the deliveries of one event to the unit of work; today there are none, so the event is only recorded as delivered.</summary>
    public Task FanOutAsync(OutboxMessage message, OutboxEvent happened, CancellationToken cancellationToken) => Task.CompletedTask;
}
