using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Server.Data;

namespace Cairn.Server.Outbox;

/// <summary>
/// An event as receivers see it (the Standard Webhooks shape): its type, when it happened, and thin
/// data (ids, key fields, the entity's version) that a receiver completes by asking the API.
/// </summary>
/// <param name="Type">The event type, e.g. <c>milestone.approved</c> (see <see cref="EventTypes"/>).</param>
/// <param name="Timestamp">When the change happened (UTC, ISO 8601).</param>
/// <param name="Data">The ids and key fields of what changed, camelCase like the API.</param>
public sealed record OutboxEvent(string Type, DateTimeOffset Timestamp, JsonElement Data);

/// <summary>
/// The one home for writing an event: every billing service calls <see cref="Add"/> inside the
/// transaction of its change, so the event commits or rolls back with it (DESIGN rule 10).
/// </summary>
public static class Outbox
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Adds an event to the unit of work (saved by the caller's transaction). Its idempotency key,
    /// <c>evt_</c> and the row's id, is what a receiver dedupes on.
    /// </summary>
    /// <param name="db">The unit of work of the change.</param>
    /// <param name="organizationId">The organization whose data changed.</param>
    /// <param name="type">One of <see cref="EventTypes.All"/>.</param>
    /// <param name="at">When the change happened.</param>
    /// <param name="data">An anonymous object of ids, key fields and the entity version.</param>
    /// <exception cref="ArgumentException">An unknown event type.</exception>
    public static OutboxMessage Add(CairnDb db, Guid organizationId, string type, DateTimeOffset at, object data)
    {
        if (!EventTypes.All.Contains(type))
            throw new ArgumentException($"'{type}' is not a Cairn event type.", nameof(type));
        var id = Billing.Audit.NextId();
        var payload = JsonSerializer.Serialize(new OutboxEvent(type, at, JsonSerializer.SerializeToElement(data, Json)), Json);
        var message = new OutboxMessage(id, organizationId, OutboxMessage.EventKind, type, "evt_" + id.ToString("N"), payload, at);
        db.Add(message);
        db.HasNewOutboxMessages = true;
        return message;
    }

    /// <summary>Reads an event row's payload.</summary>
    public static OutboxEvent Read(OutboxMessage message) => JsonSerializer.Deserialize<OutboxEvent>(message.Payload, Json)!;
}

/// <summary>The event types Cairn emits (issue 14), each written where its change happens.</summary>
public static class EventTypes
{
    public const string ContractActivated = "contract.activated";
    public const string MilestoneSubmitted = "milestone.submitted";
    public const string MilestoneApproved = "milestone.approved";
    public const string MilestoneAutoApproved = "milestone.auto_approved";
    public const string MilestoneChangesRequested = "milestone.changes_requested";
    public const string MilestoneDisputed = "milestone.disputed";
    public const string InvoiceIssued = "invoice.issued";
    public const string InvoiceSent = "invoice.sent";
    public const string InvoicePaid = "invoice.paid";
    public const string InvoiceOverdue = "invoice.overdue";
    public const string InvoiceVoided = "invoice.voided";
    public const string CreditNoteIssued = "credit_note.issued";
    public const string PaymentRecorded = "payment.recorded";
    public const string PaymentReversed = "payment.reversed";
    public const string ChangeOrderProposed = "change_order.proposed";
    public const string ChangeOrderApproved = "change_order.approved";
    public const string ChangeOrderRejected = "change_order.rejected";
    public const string DisputeResolved = "dispute.resolved";
    public const string CommentCreated = "comment.created";

    /// <summary>A warning two days before a submission's approval window runs out (<see cref="Domain.Contract.AutoApprovalWarning"/>), from the scheduled job.</summary>
    public const string MilestoneAutoApprovalDue = "milestone.auto_approval_due";

    /// <summary>Every type, for validation and for the notification preferences.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        ContractActivated, MilestoneSubmitted, MilestoneApproved, MilestoneAutoApproved, MilestoneChangesRequested, MilestoneDisputed,
        InvoiceIssued, InvoiceSent, InvoicePaid, InvoiceOverdue, InvoiceVoided, CreditNoteIssued, PaymentRecorded, PaymentReversed,
        ChangeOrderProposed, ChangeOrderApproved, ChangeOrderRejected, DisputeResolved, CommentCreated,
        MilestoneAutoApprovalDue,
    };
}
