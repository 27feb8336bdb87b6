using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary><c>/contracts/{id}/change-orders</c> and <c>/change-orders/{id}</c> with propose, approve and reject.</summary>
public static class ChangeOrdersEndpoints
{
    public static void MapChangeOrders(this RouteGroupBuilder api)
    {
        api.MapGet("/contracts/{id:guid}/change-orders", async (Guid id, CairnDb db, CancellationToken ct) =>
        {
            if (!await db.Contracts.AnyAsync(c => c.Id == id, ct))
                return Problems.NotFound("contract", id.ToString()).ToResult();
            var orders = await db.ChangeOrders.AsNoTracking().Include(o => o.Items).Where(o => o.ContractId == id).OrderBy(o => o.Id).ToListAsync(ct);
            return Results.Json(new Page<ChangeOrderJson>(orders.Select(ChangeOrderJson.Of).ToList(), null), ApiJson.Options);
        }).WithTags("Change orders").Requires(Permission.Read).Produces<Page<ChangeOrderJson>>();

        api.MapPost("/contracts/{id:guid}/change-orders", async (Guid id, ChangeOrderInput input, HttpContext http, CairnDb db, ChangeOrders service, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var title = Inputs.Required(input.Title, "title");
            var reason = Inputs.Optional(input.Reason, "reason");
            if (input.Items is not { Count: > 0 } items)
                throw new DomainException(new DomainError("items_required", "A change order needs at least one item.", "items"));
            if (items.Count > 100)
                throw new DomainException(new DomainError("too_many_items", "A change order has at most 100 items.", "items"));
            var requests = items.Select((item, n) => (item ?? throw new DomainException(new DomainError("required", "An item cannot be null.", $"items[{n}]"))).ToRequest($"items[{n}]")).ToList();
            var order = await service.DraftAsync(caller.OrganizationId, id, title, reason, requests, caller.Actor, ct);
            await db.SaveChangesAsync(ct);
            return Http.Created(http, $"/api/v1/change-orders/{order.Id}", ChangeOrderJson.Of(order));
        }).WithTags("Change orders").Requires(Permission.ManageChangeOrders).Produces<ChangeOrderJson>(StatusCodes.Status201Created);

        var orders = api.MapGroup("/change-orders").WithTags("Change orders");

        orders.MapGet("/{id:guid}", async (Guid id, CairnDb db, CancellationToken ct) =>
            await db.ChangeOrders.AsNoTracking().Include(o => o.Items).SingleOrDefaultAsync(o => o.Id == id, ct) is { } order
                ? Results.Json(ChangeOrderJson.Of(order), ApiJson.Options)
                : Problems.NotFound("change order", id.ToString()).ToResult())
            .Requires(Permission.Read).Produces<ChangeOrderJson>();

        orders.MapPost("/{id:guid}/propose", (Guid id, HttpContext http, CairnDb db, ChangeOrders service, CancellationToken ct) =>
            Decide(http, db, caller => service.ProposeAsync(caller.OrganizationId, id, caller.Actor, ct), ct))
            .Requires(Permission.ManageChangeOrders).Produces<ChangeOrderJson>();

        orders.MapPost("/{id:guid}/approve", (Guid id, HttpContext http, CairnDb db, ChangeOrders service, CancellationToken ct) =>
            Decide(http, db, caller => service.ApproveAsync(caller.OrganizationId, id, caller.Actor, ct), ct))
            .Requires(Permission.ManageChangeOrders).Produces<ChangeOrderJson>();

        orders.MapGet("/{id:guid}/acceptance", async (Guid id, CairnDb db, CancellationToken ct) =>
            await db.Acceptances.AsNoTracking().SingleOrDefaultAsync(a => a.ChangeOrderId == id && a.Owner == AcceptanceOwner.ChangeOrder, ct) is { } acceptance
                ? Results.Json(ChangeOrderAcceptanceJson.Of(acceptance), ApiJson.Options)
                : Problems.NotFound("acceptance of change order", id.ToString()).ToResult())
            .Requires(Permission.Read)
            .WithSummary("How the change order was approved: by a client contact in the portal (typed name, UTC time, IP address, user agent, portal link, SHA-256 of the change-order PDF), or by staff on the client's behalf. 404 until it is approved.")
            .Produces<ChangeOrderAcceptanceJson>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        orders.MapGet("/{id:guid}/pdf", async (Guid id, HttpContext http, CairnDb db, CancellationToken ct) =>
        {
            var pdf = await db.ChangeOrderDocuments.AsNoTracking().Where(d => d.ChangeOrderId == id).Select(d => d.Pdf).SingleOrDefaultAsync(ct);
            return DocumentsEndpoints.Download(http, pdf is null ? null : new Documents.PdfFile(Documents.DocumentFiles.FileName($"change-order-{id}"), pdf), "change order PDF", id);
        }).Requires(Permission.Read)
            .WithSummary("The change-order PDF exactly as the client was shown it from when it was proposed (its SHA-256 is the acceptance record's changeOrderPdfSha256). 404 while a draft.")
            .Produces<Stream>(StatusCodes.Status200OK, DocumentsEndpoints.PdfContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);

        orders.MapPost("/{id:guid}/reject", (Guid id, HttpContext http, CairnDb db, ChangeOrders service, CancellationToken ct) =>
            Decide(http, db, caller => service.RejectAsync(caller.OrganizationId, id, caller.Actor, ct), ct))
            .Requires(Permission.ManageChangeOrders).Produces<ChangeOrderJson>();
    }

    private static async Task<IResult> Decide(HttpContext http, CairnDb db, Func<Caller, Task<ChangeOrder>> step, CancellationToken ct)
    {
        var order = await step(http.Caller());
        await db.SaveChangesAsync(ct);
        return Results.Json(ChangeOrderJson.Of(order), ApiJson.Options);
    }
}

/// <summary>A change order as the API shows it.</summary>
public sealed record ChangeOrderJson(
    Guid Id,
    Guid ContractId,
    string Title,
    string Reason,
    ChangeOrderStatus Status,
    IReadOnlyList<ChangeOrderItemJson> Items,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ProposedAt,
    DateTimeOffset? DecidedAt,
    string? DecidedBy,
    int? ResultingContractVersion)
{
    public static ChangeOrderJson Of(ChangeOrder o) => new(
        o.Id, o.ContractId, o.Title, o.Reason, o.Status, o.Items.OrderBy(i => i.Position).Select(ChangeOrderItemJson.Of).ToList(),
        o.CreatedAt, o.ProposedAt, o.DecidedAt, o.DecidedBy, o.ResultingContractVersion);
}

/// <summary>One item of a change order: what it does to which milestone, with the new terms.</summary>
public sealed record ChangeOrderItemJson(Guid Id, int Position, ChangeOrderItemKind Kind, Guid? MilestoneId, ChangeOrderTermsJson? Terms)
{
    public static ChangeOrderItemJson Of(ChangeOrderItem i) => new(i.Id, i.Position, i.Kind, i.MilestoneId, ChangeOrderTermsJson.Of(i.Terms));
}

/// <summary>Milestone terms in a change order; the price is an amount or a percentage (of the contract value before the change).</summary>
public sealed record ChangeOrderTermsJson(string Title, string? Deliverable, string? AcceptanceCriteria, DateOnly? DueDate, MoneyJson? Amount, string? Percentage, BillingTrigger Trigger, DateOnly? BillingDate)
{
    public static ChangeOrderTermsJson? Of(MilestoneTerms? t) => t is null
        ? null
        : new(t.Title, t.Deliverable, t.AcceptanceCriteria, t.DueDate, t.FixedAmount is { } a ? MoneyJson.Of(a) : null, t.Percentage?.ToDecimalString(), t.Trigger, t.BillingDate);
}

/// <summary>
/// The immutable record of how a change order was approved. <c>method</c> <c>portal</c>: the client
/// contact (<c>contactId</c>, <c>contactName</c>) approved it by typing <c>typedName</c> at
/// <c>acceptedAt</c> (UTC) from <c>ipAddress</c> with <c>userAgent</c>, in the session of portal link
/// <c>portalLinkId</c>; <c>changeOrderPdfSha256</c> is the SHA-256 (lowercase hex) of the change-order
/// PDF they were shown (<c>GET /change-orders/{id}/pdf</c>). <c>method</c> <c>staff</c>: <c>actor</c>
/// approved it on the client's behalf.
/// </summary>
public sealed record ChangeOrderAcceptanceJson(Guid Id, Guid ChangeOrderId, Guid ContractId, AcceptanceMethod Method, string Actor, DateTimeOffset AcceptedAt, Guid? ContactId, string? ContactName, string? TypedName, string? IpAddress, string? UserAgent, Guid? PortalLinkId, string? ChangeOrderPdfSha256)
{
    public static ChangeOrderAcceptanceJson Of(Acceptance a) =>
        new(a.Id, a.ChangeOrderId!.Value, a.ContractId, a.Method, a.Actor, a.AcceptedAt, a.ContactId, a.ContactName, a.TypedName, a.IpAddress, a.UserAgent, a.PortalLinkId, a.ProposalPdfSha256);
}

/// <summary>A change order to draft: a title, why, and its items.</summary>
public sealed record ChangeOrderInput(string? Title, string? Reason, IReadOnlyList<ChangeOrderItemInput?>? Items);

/// <summary>One item: <c>kind</c> add, change or cancel; <c>milestoneId</c> for change and cancel; <c>terms</c> for add and change.</summary>
public sealed record ChangeOrderItemInput(string? Kind, string? MilestoneId, MilestoneTermsInput? Terms)
{
    public ChangeOrderItemRequest ToRequest(string field) => new(
        Inputs.EnumValue<ChangeOrderItemKind>(Kind, field + ".kind"),
        Inputs.OptionalId(MilestoneId, field + ".milestoneId"),
        Terms?.ToPatch(field + ".terms"));
}

/// <summary>Milestone fields as sent: for a change, the ones left out stay as they are.</summary>
public sealed record MilestoneTermsInput(string? Title, string? Deliverable, string? AcceptanceCriteria, string? DueDate, MoneyInput? Amount, string? Percentage, string? Trigger, string? BillingDate)
{
    public MilestoneTermsPatch ToPatch(string field) => new(
        Inputs.Optional(Title, field + ".title", 200),
        Inputs.Optional(Deliverable, field + ".deliverable"),
        Inputs.Optional(AcceptanceCriteria, field + ".acceptanceCriteria"),
        Inputs.OptionalDate(DueDate, field + ".dueDate"),
        Amount?.ToMoney(field + ".amount"),
        Percentage is null ? null : Domain.Percentage.Parse(Percentage, field + ".percentage"),
        Inputs.OptionalEnum<BillingTrigger>(Trigger, field + ".trigger"),
        Inputs.OptionalDate(BillingDate, field + ".billingDate"));
}
