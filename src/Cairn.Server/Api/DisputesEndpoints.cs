using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary><c>/disputes</c>: list, read, resolve.</summary>
public static class DisputesEndpoints
{
    public static void MapDisputes(this RouteGroupBuilder api)
    {
        var disputes = api.MapGroup("/disputes").WithTags("Disputes");

        disputes.MapGet("/", async (CairnDb db, string? limit, string? cursor, string? status, CancellationToken ct) =>
        {
            var (take, after) = Cursor.Read(limit, cursor);
            var query = db.Disputes.AsNoTracking();
            if (Inputs.OptionalEnum<DisputeStatus>(status, "status") is { } s)
                query = query.Where(d => d.Status == s);
            var rows = await (from d in query.Where(d => after == null || d.Id.CompareTo(after.Value) > 0)
                              join m in db.Milestones on d.MilestoneId equals m.Id
                              orderby d.Id
                              select new DisputeRow(d, m.Title, m.Currency))
                .Take(take + 1).ToListAsync(ct);
            return Results.Json(Cursor.Page(rows, take, r => r.Dispute.Id, DisputeJson.Of), ApiJson.Options);
        }).Requires(Permission.Read).Produces<Page<DisputeJson>>();

        disputes.MapGet("/{id:guid}", async (Guid id, CairnDb db, CancellationToken ct) =>
            await ReadAsync(db, id, ct) is { } dispute
                ? Results.Json(dispute, ApiJson.Options)
                : Problems.NotFound("dispute", id.ToString()).ToResult())
            .Requires(Permission.Read).Produces<DisputeJson>();

        disputes.MapPost("/{id:guid}/resolve", async (Guid id, DisputeResolutionInput input, HttpContext http, CairnDb db, Disputes service, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var outcome = Inputs.EnumValue<DisputeOutcome>(input.Outcome, "outcome");
            var settlement = input.Settlement?.ToMoney("settlement");
            var note = Inputs.Optional(input.Note, "note");
            await service.ResolveAsync(id, outcome, settlement, note, caller.Actor, ct);
            await db.SaveChangesAsync(ct);
            return Results.Json(await ReadAsync(db, id, ct), ApiJson.Options);
        }).Requires(Permission.ResolveDisputes).Produces<DisputeJson>();
    }

    private static async Task<DisputeJson?> ReadAsync(CairnDb db, Guid id, CancellationToken ct)
    {
        var row = await (from d in db.Disputes.AsNoTracking()
                         join m in db.Milestones on d.MilestoneId equals m.Id
                         where d.Id == id
                         select new DisputeRow(d, m.Title, m.Currency))
            .SingleOrDefaultAsync(ct);
        return row is null ? null : DisputeJson.Of(row);
    }
}

/// <summary>A dispute with the title and currency of its milestone, as read in one query.</summary>
public sealed record DisputeRow(Dispute Dispute, string MilestoneTitle, Currency Currency);

/// <summary>A dispute as the API shows it.</summary>
public sealed record DisputeJson(
    Guid Id,
    Guid ContractId,
    Guid MilestoneId,
    string MilestoneTitle,
    Guid? InvoiceId,
    string Reason,
    DisputeStatus Status,
    DisputeOutcome? Outcome,
    MoneyJson? Settlement,
    string? ResolutionNote,
    string OpenedBy,
    DateTimeOffset OpenedAt,
    string? ResolvedBy,
    DateTimeOffset? ResolvedAt)
{
    public static DisputeJson Of(DisputeRow row)
    {
        var d = row.Dispute;
        return new(d.Id, d.ContractId, d.MilestoneId, row.MilestoneTitle, d.InvoiceId, d.Reason, d.Status, d.Outcome,
            d.SettlementMinor is { } s ? MoneyJson.Of(s, row.Currency) : null, d.ResolutionNote, d.OpenedBy, d.OpenedAt, d.ResolvedBy, d.ResolvedAt);
    }
}

/// <summary>How a dispute ends: <c>outcome</c> accepted, rework or settled; <c>settlement</c> the agreed credit when settled; a note.</summary>
public sealed record DisputeResolutionInput(string? Outcome, MoneyInput? Settlement, string? Note);
