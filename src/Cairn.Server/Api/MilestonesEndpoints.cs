using System.Globalization;
using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary><c>/contracts/{id}/milestones</c> and <c>/milestones</c>: the plan, and the work on each milestone.</summary>
public static class MilestonesEndpoints
{
    public static void MapMilestones(this RouteGroupBuilder api)
    {
        var plan = api.MapGroup("/contracts/{contractId:guid}/milestones").WithTags("Milestones");

        plan.MapGet("/", async (Guid contractId, CairnDb db, CancellationToken ct) =>
        {
            if (!await db.Contracts.AnyAsync(c => c.Id == contractId, ct))
                return Problems.NotFound("contract", contractId.ToString()).ToResult();
            var milestones = await db.Milestones.AsNoTracking().Where(m => m.ContractId == contractId).OrderBy(m => m.Position).ToListAsync(ct);
            var billing = await MilestoneBilling.ForContractAsync(db, contractId, ct);
            return Results.Json(new Page<MilestoneJson>(milestones.Select(m => MilestoneJson.Of(m, billing.For(m), null)).ToList(), null), ApiJson.Options);
        }).Requires(Permission.Read).Produces<Page<MilestoneJson>>();

        plan.MapPost("/", async (Guid contractId, MilestoneInput input, HttpContext http, CairnDb db, Billing.Contracts contracts, CancellationToken ct) =>
        {
            var contract = await contracts.LoadForChangeAsync(contractId, ct);
            var tax = input.Tax?.ToTreatment("tax.");
            var milestone = await contracts.AddMilestoneAsync(contract, input.ToTerms(null), http.Caller().Actor, ct);
            if (tax is not null)
                await contracts.SetMilestoneTaxAsync(contract, milestone, tax, http.Caller().Actor, ct);
            return Http.Created(http, $"/api/v1/milestones/{milestone.Id}", await MilestoneJson.LoadAsync(db, milestone, ct), milestone.Version);
        }).Requires(Permission.ManageContracts).Produces<MilestoneJson>(StatusCodes.Status201Created);

        var milestones = api.MapGroup("/milestones").WithTags("Milestones");

        milestones.MapGet("/{id:guid}", async (Guid id, HttpContext http, CairnDb db, CancellationToken ct) =>
            await db.Milestones.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct) is { } milestone
                ? Http.WithETag(http, await MilestoneJson.LoadAsync(db, milestone, ct), milestone.Version)
                : Problems.NotFound("milestone", id.ToString()).ToResult())
            .Requires(Permission.Read).Produces<MilestoneJson>();

        milestones.MapPatch("/{id:guid}", async (Guid id, MilestoneInput input, HttpContext http, CairnDb db, Billing.Milestones service, Billing.Contracts contracts, CancellationToken ct) =>
        {
            var (contract, milestone) = await service.LoadWithPlanAsync(id, ct);
            if (Http.CheckIfMatch(http, milestone.Version) is { } stale)
                return stale;
            var tax = input.Tax?.ToTreatment("tax.");
            await contracts.ChangeMilestoneAsync(contract, milestone, input.ToTerms(milestone.Terms), http.Caller().Actor, ct);
            if (tax is not null)
                await contracts.SetMilestoneTaxAsync(contract, milestone, tax, http.Caller().Actor, ct);
            return Http.WithETag(http, await MilestoneJson.LoadAsync(db, milestone, ct), milestone.Version);
        }).Requires(Permission.ManageContracts).Produces<MilestoneJson>();

        milestones.MapPost("/{id:guid}/start", (Guid id, HttpContext http, CairnDb db, Billing.Milestones service, CancellationToken ct) =>
            WorkAsync(id, http, db, service, (c, m, actor) => service.StartAsync(c, m, actor, ct), ct))
            .Requires(Permission.ManageMilestones).Produces<MilestoneJson>();

        milestones.MapPost("/{id:guid}/submit", (Guid id, SubmitInput input, HttpContext http, CairnDb db, Billing.Milestones service, CancellationToken ct) =>
            WorkAsync(id, http, db, service, (c, m, actor) => service.SubmitAsync(c, m, input.Note ?? "", input.CheckedLinks(), actor, ct), ct))
            .Requires(Permission.ManageMilestones).Produces<MilestoneJson>();

        milestones.MapPost("/{id:guid}/approve", (Guid id, HttpContext http, CairnDb db, Billing.Milestones service, CancellationToken ct) =>
            WorkAsync(id, http, db, service, (c, m, actor) => service.ApproveAsync(c, m, actor, ct), ct))
            .Requires(Permission.ManageMilestones).Produces<MilestoneJson>();

        milestones.MapPost("/{id:guid}/request-changes", (Guid id, ReasonInput input, HttpContext http, CairnDb db, Billing.Milestones service, CancellationToken ct) =>
            WorkAsync(id, http, db, service, (c, m, actor) => service.RequestChangesAsync(c, m, input.Reason ?? "", actor, ct), ct))
            .Requires(Permission.ManageMilestones).Produces<MilestoneJson>();

        milestones.MapPost("/{id:guid}/rebill", (Guid id, HttpContext http, CairnDb db, Billing.Milestones service, CancellationToken ct) =>
            WorkAsync(id, http, db, service, (c, m, actor) => service.RebillAsync(c, m, actor, ct), ct))
            .Requires(Permission.ManageInvoices).Produces<MilestoneJson>()
            .WithSummary("Bill a milestone credited in full again")
            .WithDescription("Issues a new invoice (or a draft, as the organization's issue mode says) for a milestone whose billing status is `credited` and whose trigger has fired. Cairn never bills a credited milestone again on its own; this explicit action is audited on the milestone as `rebilled`. 409 `invalid_transition` for any other milestone.");

        milestones.MapPost("/{id:guid}/dispute", (Guid id, ReasonInput input, HttpContext http, CairnDb db, Billing.Milestones service, CancellationToken ct) =>
            WorkAsync(id, http, db, service, (c, m, actor) => service.DisputeAsync(c, m, input.Reason ?? "", actor, ct), ct))
            .Requires(Permission.ManageMilestones).Produces<MilestoneJson>();
    }

    private static async Task<IResult> WorkAsync(Guid id, HttpContext http, CairnDb db, Billing.Milestones service, Func<Contract, Milestone, Actor, Task> change, CancellationToken ct)
    {
        var work = await service.LoadForChangeAsync(id, ct);
        var (contract, milestone) = work;
        if (Http.CheckIfMatch(http, milestone.Version) is { } stale)
            return stale;

        // The answer's history and billing come with the load, before the change (an approval then
        // holds the invoice series' counter row for no reads at all), overlaid with what the change did.
        var view = MilestoneView.Of(work.History, work.Invoices, work.OpenDisputes);
        await change(contract, milestone, http.Caller().Actor);
        return Http.WithETag(http, view.After(db, milestone), milestone.Version);
    }
}

/// <summary>
/// A milestone: its price (the amount, and the percentage when priced as a share of the contract
/// value), its billing trigger, its work status and its billing status, derived from its invoices
/// (<c>unbilled</c>, <c>invoiced</c>, <c>partially_paid</c>, <c>paid</c>, <c>credited</c>: its invoice was
/// credited in full and nothing bills it again unless staff re-bill it; <c>checkpoint</c>: worth 0.00,
/// its approval bills nothing).
/// The history appears when one milestone is read.
/// </summary>
public sealed record MilestoneJson(
    Guid Id,
    Guid ContractId,
    int Position,
    string Title,
    string Deliverable,
    string AcceptanceCriteria,
    DateOnly? DueDate,
    MoneyJson Amount,
    string? Percentage,
    BillingTrigger Trigger,
    DateOnly? BillingDate,
    MilestoneStatus Status,
    BillingStatus BillingStatus,
    InvoiceRefJson? Invoice,
    DisputeRefJson? OpenDispute,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? ApprovedAt,
    string? ApprovedBy,
    int Version,
    IReadOnlyList<MilestoneEventJson>? History)
{
    public static MilestoneJson Of(Milestone m, (MilestoneBillingState Billing, Dispute? Dispute) billing, IReadOnlyList<MilestoneEvent>? history) =>
        Of(m, billing.Billing, billing.Dispute is { } d ? DisputeRefJson.Of(d) : null, history);

    /// <summary>The view of a milestone given its billing state however its invoices were read (the contract read projects only their figures).</summary>
    public static MilestoneJson Of<TInvoice>(Milestone m, MilestoneBillingState<TInvoice> billing, DisputeRefJson? openDispute, IReadOnlyList<MilestoneEvent>? history)
        where TInvoice : class, IInvoiceFacts => new(
        m.Id,
        m.ContractId,
        m.Position,
        m.Title,
        m.Deliverable,
        m.AcceptanceCriteria,
        m.DueDate,
        MoneyJson.Of(m.Amount),
        m.Percentage?.ToDecimalString(),
        m.Trigger,
        m.BillingDate,
        m.Status,
        billing.Status,
        billing.Invoice is { } i ? new InvoiceRefJson(i.Id, i.Number, i.Status, MoneyJson.Of(i.Net()), MoneyJson.Of(i.Tax()), MoneyJson.Of(i.Gross()), i.Disputed) : null,
        openDispute,
        m.SubmittedAt,
        m.ApprovedAt,
        m.ApprovedBy,
        m.Version,
        history?.Select(MilestoneEventJson.Of).ToList())
    {
        Tax = TaxJson.Of(m.TaxOverride),
        Prepayment = m.Prepayment,
    };

    /// <summary>
    /// True for an <c>on_start</c> deposit that prepays the whole contract: its amount (or percentage of the
    /// contract value) is outside the plan, it is invoiced as a prepayment invoice (type 386) at activation,
    /// and every later invoice deducts its share (the last one the rest).
    /// </summary>
    public bool Prepayment { get; init; }

    /// <summary>The milestone's own tax treatment when it overrides its contract's default; null otherwise.</summary>
    public TaxJson? Tax { get; init; }

    /// <summary>The view of one milestone, with its invoice, open dispute and history read from the database.</summary>
    public static async Task<MilestoneJson> LoadAsync(CairnDb db, Milestone m, CancellationToken ct) =>
        (await MilestoneView.ReadAsync(db, m.Id, ct)).After(db, m);
}

/// <summary>
/// What a milestone's answer shows besides the milestone itself (its history, invoices and open
/// dispute), read before a change and brought up to date from the entities the unit of work
/// tracks afterwards, so the answer needs no reads after the change.
/// </summary>
public sealed class MilestoneView
{
    private readonly List<MilestoneEvent> _history;
    private readonly List<Invoice> _invoices;
    private readonly List<Dispute> _disputes;

    private MilestoneView(List<MilestoneEvent> history, List<Invoice> invoices, List<Dispute> disputes) =>
        (_history, _invoices, _disputes) = (history, invoices, disputes);

    /// <summary>The view of what was already read with the milestone (<see cref="MilestoneWork"/>).</summary>
    public static MilestoneView Of(IEnumerable<MilestoneEvent> history, IEnumerable<Invoice> invoices, IEnumerable<Dispute> openDisputes) =>
        new([.. history], [.. invoices], [.. openDisputes]);

    /// <summary>Reads the milestone's history, invoices and open disputes as they are now.</summary>
    public static async Task<MilestoneView> ReadAsync(CairnDb db, Guid milestoneId, CancellationToken ct) => new(
        await db.MilestoneEvents.AsNoTracking().Where(e => e.MilestoneId == milestoneId).ToListAsync(ct),
        await db.Invoices.AsNoTracking().Where(i => i.MilestoneId == milestoneId).ToListAsync(ct),
        await db.Disputes.AsNoTracking().Where(d => d.MilestoneId == milestoneId && d.Status == DisputeStatus.Open).ToListAsync(ct));

    /// <summary>The milestone's answer after the change: what was read, with every row the change added or modified in its place.</summary>
    public MilestoneJson After(CairnDb db, Milestone milestone)
    {
        var history = Overlay(db, _history, e => e.Id, e => e.MilestoneId == milestone.Id);
        var invoices = Overlay(db, _invoices, i => i.Id, i => i.MilestoneId == milestone.Id);
        var disputes = Overlay(db, _disputes, d => d.Id, d => d.MilestoneId == milestone.Id).Where(d => d.Status == DisputeStatus.Open);
        return MilestoneJson.Of(milestone, MilestoneBilling.Of(invoices, disputes).For(milestone), history.OrderBy(e => e.At).ThenBy(e => e.Id).ToList());
    }

    private static List<T> Overlay<T>(CairnDb db, List<T> read, Func<T, Guid> id, Func<T, bool> ofMilestone)
        where T : class
    {
        var tracked = db.ChangeTracker.Entries<T>()
            .Where(e => e.State is not (EntityState.Deleted or EntityState.Detached) && ofMilestone(e.Entity))
            .Select(e => e.Entity)
            .ToList();
        var trackedIds = tracked.Select(id).ToHashSet();
        return [.. read.Where(r => !trackedIds.Contains(id(r))), .. tracked];
    }
}

/// <summary>The invoice of a milestone: the live one, or the last voided one when it was credited in full.</summary>
public sealed record InvoiceRefJson(Guid Id, string? Number, InvoiceStatus Status, MoneyJson Net, MoneyJson Tax, MoneyJson Gross, bool Disputed);

/// <summary>The open dispute of a milestone.</summary>
public sealed record DisputeRefJson(Guid Id, string Reason, DateTimeOffset OpenedAt)
{
    public static DisputeRefJson Of(Dispute d) => new(d.Id, d.Reason, d.OpenedAt);
}

/// <summary>One entry of a milestone's history: what happened, by whom, when, with the note or reason and links.</summary>
public sealed record MilestoneEventJson(Guid Id, MilestoneEventKind Kind, MilestoneStatus From, MilestoneStatus To, string? Note, IReadOnlyList<string> Links, string Actor, DateTimeOffset At)
{
    public static MilestoneEventJson Of(MilestoneEvent e) => new(e.Id, e.Kind, e.From, e.To, e.Note, e.Links, e.Actor, e.At);
}

/// <summary>Reads the invoices and open disputes that a milestone's billing state (<see cref="MilestoneBillingState"/>) and flags derive from.</summary>
public sealed class MilestoneBilling
{
    private readonly PlanBilling _plan;
    private readonly Dictionary<Guid, Dispute> _disputes;

    private MilestoneBilling(IEnumerable<Invoice> invoices, IEnumerable<Dispute> disputes)
    {
        Invoices = invoices.ToList();
        _plan = PlanBilling.Of(Invoices);
        _disputes = disputes.GroupBy(d => d.MilestoneId).ToDictionary(g => g.Key, g => g.First());
    }

    /// <summary>The billing facts of the given invoices and open disputes.</summary>
    public static MilestoneBilling Of(IEnumerable<Invoice> invoices, IEnumerable<Dispute> disputes) => new(invoices, disputes);

    /// <summary>The billing facts of every milestone of a contract, in two queries.</summary>
    public static async Task<MilestoneBilling> ForContractAsync(CairnDb db, Guid contractId, CancellationToken ct) => new(
        await db.Invoices.AsNoTracking().Where(i => i.ContractId == contractId && i.MilestoneId != null).ToListAsync(ct),
        await db.Disputes.AsNoTracking().Where(d => d.ContractId == contractId && d.Status == DisputeStatus.Open).ToListAsync(ct));

    /// <summary>The invoices read (any status).</summary>
    public IReadOnlyList<Invoice> Invoices { get; }

    /// <summary>The billing state and open dispute (null when none) of a milestone.</summary>
    public (MilestoneBillingState Billing, Dispute? Dispute) For(Milestone milestone) => (_plan.For(milestone), _disputes.GetValueOrDefault(milestone.Id));

    /// <summary>The open dispute of a milestone; null when none.</summary>
    public Dispute? OpenDisputeOf(Guid milestoneId) => _disputes.GetValueOrDefault(milestoneId);
}

/// <summary>
/// Fields to add or change a milestone; on PATCH, absent fields stay. Price it by exactly one of
/// <c>amount</c> or <c>percentage</c> ("30", "33.33"); dates are <c>yyyy-MM-dd</c>, and <c>""</c> clears one.
/// <c>prepayment: true</c> (with <c>trigger: on_start</c>) makes the deposit a prepayment of the whole contract:
/// its amount or percentage of the contract value stands outside the plan and later invoices deduct it.
/// </summary>
public sealed record MilestoneInput(
    string? Title,
    string? Deliverable,
    string? AcceptanceCriteria,
    string? DueDate,
    MoneyInput? Amount,
    string? Percentage,
    BillingTrigger? Trigger,
    string? BillingDate,
    TaxJson? Tax = null,
    bool? Prepayment = null)
{
    /// <summary>The checked terms: these fields over the current terms (PATCH), or on their own (POST).</summary>
    public MilestoneTerms ToTerms(MilestoneTerms? current)
    {
        if (Amount is not null && Percentage is not null)
            throw new DomainException(new DomainError("price_required", "Price a milestone by amount or by percentage, not both.", "percentage"));
        var trigger = Trigger ?? current?.Trigger ?? BillingTrigger.OnApproval;
        var billingDate = BillingDate is not null ? Date(BillingDate, "billingDate")
            : trigger == BillingTrigger.OnDate ? current?.BillingDate : null;
        var (fixedAmount, share) = (Amount, Percentage) switch
        {
            ({ } amount, _) => (amount.ToMoney("amount"), (Percentage?)null),
            (_, { } percentage) => ((Money?)null, Domain.Percentage.Parse(percentage, "percentage")),
            _ => (current?.FixedAmount, current?.Percentage),
        };
        if (current is null && fixedAmount is null && share is null)
            throw new DomainException(new DomainError("price_required", "A milestone is priced by amount (e.g. {\"amount\": \"3000.00\", \"currency\": \"EUR\"}) or by percentage (e.g. \"30\").", "amount"));
        return new MilestoneTerms(
            Title is null && current is not null ? current.Title : Inputs.Required(Title, "title"),
            Deliverable is not null ? Inputs.Optional(Deliverable, "deliverable") : current?.Deliverable,
            AcceptanceCriteria is not null ? Inputs.Optional(AcceptanceCriteria, "acceptanceCriteria") : current?.AcceptanceCriteria,
            DueDate is not null ? Date(DueDate, "dueDate") : current?.DueDate,
            fixedAmount,
            share,
            trigger,
            billingDate,
            Prepayment ?? current?.Prepayment ?? false);
    }

    private static DateOnly? Date(string text, string field)
    {
        if (text.Length == 0)
            return null;
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new DomainException(new DomainError("invalid_date", $"{field} is a date written yyyy-MM-dd, e.g. 2026-12-31, or \"\" to clear it.", field));
    }
}

/// <summary>A submission: what was delivered (the note) and where to find it (up to 20 absolute http(s) links).</summary>
public sealed record SubmitInput(string? Note, IReadOnlyList<string?>? Links)
{
    /// <summary>The links, with a missing entry refused as a bad link.</summary>
    public IReadOnlyList<string> CheckedLinks() => (Links ?? []).Select((l, i) => l ?? throw new DomainException(new DomainError("invalid_link", $"Deliverable link {i + 1} is empty.", $"links[{i}]"))).ToList();
}

/// <summary>The client's reason for requesting changes or disputing.</summary>
public sealed record ReasonInput(string? Reason);
