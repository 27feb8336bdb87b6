namespace Cairn.Server.Data;

/// <summary>
/// One append-only line of history: who changed what, when, with the values before and after.
/// Database triggers reject any update or delete of these rows.
/// </summary>
public sealed record AuditEntry(
    Guid Id,
    Guid OrganizationId,
    string EntityType,
    Guid EntityId,
    string Action,
    string Actor,
    DateTimeOffset At,
    string? Before,
    string? After);
