using Cairn.Server.Data;

namespace Cairn.Server.Web;

/// <summary>
/// History as people read it (issue 12, stumble 6): one sentence per audit entry with names, titles,
/// invoice numbers and amounts ("Ada Lovelace approved “Design”", "Ada Lovelace issued invoice
/// INV-2026-000001, 4,320.00 EUR"), never ids, JSON or codes. The audit log itself keeps the values.
/// </summary>
/// <param name="names">Who did it, by name.</param>
/// <param name="subjects">What each entity id is called, e.g. <c>“Design”</c> or <c>invoice INV-2026-000001, 4,320.00 EUR</c>.</param>
public sealed class HistorySentences(ActorNames names, IReadOnlyDictionary<Guid, string> subjects)
{
    /// <summary>The sentence for one audit entry.</summary>
    public string Of(AuditEntry entry)
    {
        var who = names.Of(entry.Actor);
        var what = subjects.GetValueOrDefault(entry.EntityId) ?? "a " + entry.EntityType.Replace('_', ' ');
        return (entry.EntityType, entry.Action) switch
        {
            ("milestone", "auto_approved") => $"{what} was approved automatically: the client did not answer within the approval window",
            ("milestone", "changes_requested") => $"{who} asked for changes to {what}",
            ("milestone", "dispute_resolved") => $"{who} resolved the dispute on {what}",
            ("invoice", "payment_applied") => $"A payment was applied to {what}",
            ("invoice", "payment_reversed") => $"{who} reversed a payment on {what}",
            ("invoice", "dispute_cleared") => $"The dispute on {what} was cleared",
            ("invoice", "created") => $"{who} created {what}",
            ("dispute", "opened") => $"{who} opened {what}",
            (_, "amended") => $"{who} changed {what} through a change order",
            (_, var action) => $"{who} {action.Replace('_', ' ')} {what}",
        };
    }
}
