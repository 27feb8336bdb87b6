using System.Text.Json;
using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary><c>/audit?entity=…&amp;id=…</c>: the history of one entity.</summary>
public static class AuditEndpoints
{
    public static void MapAudit(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", async (CairnDb db, string? entity, string? id, CancellationToken ct) =>
        {
            var type = Inputs.Required(entity, "entity", 50);
            var entityId = Inputs.Id(id, "id");
            var entries = await db.AuditLog.AsNoTracking().Where(e => e.EntityType == type && e.EntityId == entityId).OrderBy(e => e.Id).ToListAsync(ct);
            if (entries.Count == 0)
                return Problems.NotFound(type.Replace('_', ' '), entityId.ToString()).ToResult();

            // Ids count up in the order entries were written; the business time comes first (SQLite cannot order by it).
            var ordered = entries.OrderBy(e => e.At).Select(AuditEntryJson.Of).ToList();
            return Results.Json(new Page<AuditEntryJson>(ordered, null), ApiJson.Options);
        }).WithTags("Audit").Requires(Permission.Read).Produces<Page<AuditEntryJson>>();
    }
}

/// <summary>One entry of an entity's history: who did what when, with the values before and after.</summary>
public sealed record AuditEntryJson(Guid Id, string Entity, Guid EntityId, string Action, string Actor, DateTimeOffset At, JsonElement? Before, JsonElement? After)
{
    public static AuditEntryJson Of(AuditEntry e) => new(e.Id, e.EntityType, e.EntityId, e.Action, e.Actor, e.At, Parse(e.Before), Parse(e.After));

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
            return null;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
