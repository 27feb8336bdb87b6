using Cairn.Domain;
using Cairn.Server.Data;

namespace Cairn.Server.Billing;

/// <summary>Appends audit entries to the unit of work, so they commit or roll back with the change they describe.</summary>
public static class Audit
{
    /// <summary>Records a change of state of an entity, with the values before and after.</summary>
    public static void Record(CairnDb db, Guid organizationId, string entityType, Guid entityId, string action, Actor actor, DateTimeOffset at, object? before = null, object? after = null) =>
        db.AuditLog.Add(new AuditEntry(
            Guid.CreateVersion7(),
            organizationId,
            entityType,
            entityId,
            action,
            actor.ToString(),
            at,
            before is null ? null : Json.Write(before),
            after is null ? null : Json.Write(after)));
}
