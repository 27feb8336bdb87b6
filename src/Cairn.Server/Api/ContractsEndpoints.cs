using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary><c>/contracts</c>: contracts with their plans, and their lifecycle (activate, cancel, complete; proposals in <see cref="ProposalsEndpoints"/>).</summary>
public static class ContractsEndpoints
{
    public static void MapContracts(this RouteGroupBuilder api)
    {
        var contracts = api.MapGroup("/contracts").WithTags("Contracts");

        contracts.MapGet("/", async (ReadDatabase reads, string? limit, string? cursor, string? status, string? clientId, CancellationToken ct) =>
        {
            var (take, after) = Cursor.Read(limit, cursor);
            var db = await reads.OpenAsync(ct);
            var client = Inputs.OptionalId(clientId, "clientId");
            var wanted = status is null ? (ContractStatus?)null : ParseStatus(status);
            var rows = await db.Contracts.AsNoTracking()
                .Where(c => after == null || c.Id.CompareTo(after.Value) > 0)
                .Where(c => wanted == null || c.Status == wanted)
                .Where(c => client == null || c.ClientId == client)
                .OrderBy(c => c.Id).Take(take + 1).ToListAsync(ct);
            return Results.Json(Cursor.Page(rows, take, c => c.Id, ContractSummaryJson.Of), ApiJson.Options);
        }).Requires(Permission.Read).Produces<Page<ContractSummaryJson>>();

        contracts.MapPost("/", async (ContractInput input, HttpContext http, CairnDb db, Billing.Contracts service, Templates templates, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (input.ClientId is not { } clientId)
                throw new DomainException(new DomainError("required", "clientId is required.", "clientId"));
            var template = input.TemplateId is { } templateId
                ? await templates.FindAsync(templateId, ct) ?? throw new DomainException(new DomainError("unknown_template", $"There is no template with id {templateId}.", "templateId"))
                : null;
            var organization = await db.Organizations.SingleAsync(o => o.Id == caller.OrganizationId, ct);
            var contract = await service.CreateAsync(caller.OrganizationId, clientId, input.ToTerms(null, organization), template, caller.Actor, ct);
            if (input.HasReferences)
                await service.SetReferencesAsync(contract, input.BuyerReference, input.PurchaseOrderReference, caller.Actor, ct);
            return Http.Created(http, $"/api/v1/contracts/{contract.Id}", await ContractJson.LoadAsync(db, contract, ct), contract.Version);
        }).Requires(Permission.ManageContracts).Produces<ContractJson>(StatusCodes.Status201Created);

        contracts.MapGet("/{id:guid}", async (Guid id, HttpContext http, CairnDb db, CancellationToken ct) =>
            await ContractJson.ReadAsync(db, id, ct) is { } contract
                ? Http.WithETag(http, contract, contract.Version)
                : Problems.NotFound("contract", id.ToString()).ToResult())
            .Requires(Permission.Read).Produces<ContractJson>();

        contracts.MapPatch("/{id:guid}", async (Guid id, ContractInput input, HttpContext http, CairnDb db, Billing.Contracts service, CancellationToken ct) =>
        {
            var contract = await service.LoadForChangeAsync(id, ct);
            if (Http.CheckIfMatch(http, contract.Version) is { } stale)
                return stale;
            if (input.ClientId is not null || input.TemplateId is not null)
                throw new DomainException(new DomainError("unexpected_field", "A contract's client and template are chosen when it is created; create a new contract instead.", input.ClientId is not null ? "clientId" : "templateId"));
            if (input.HasTerms || !input.HasReferences)
                await service.UpdateTermsAsync(contract, input.ToTerms(contract, null), http.Caller().Actor, ct);
            if (input.HasReferences)
                await service.SetReferencesAsync(contract, input.BuyerReference ?? contract.BuyerReference ?? "", input.PurchaseOrderReference ?? contract.PurchaseOrderReference ?? "", http.Caller().Actor, ct);
            return Http.WithETag(http, await ContractJson.LoadAsync(db, contract, ct), contract.Version);
        }).Requires(Permission.ManageContracts).Produces<ContractJson>();

        contracts.MapPost("/{id:guid}/activate", (Guid id, HttpContext http, CairnDb db, Billing.Contracts service, CancellationToken ct) =>
            ChangeAsync(id, http, db, service, (c, actor) => service.ActivateAsync(c, actor, cancellationToken: ct), ct))
            .Requires(Permission.ManageContracts).Produces<ContractJson>();

        contracts.MapPost("/{id:guid}/cancel", (Guid id, HttpContext http, CairnDb db, Billing.Contracts service, CancellationToken ct) =>
            ChangeAsync(id, http, db, service, (c, actor) => service.CancelAsync(c, actor, ct), ct))
            .Requires(Permission.ManageContracts).Produces<ContractJson>();

        contracts.MapPost("/{id:guid}/complete", (Guid id, HttpContext http, CairnDb db, Billing.Contracts service, CancellationToken ct) =>
            ChangeAsync(id, http, db, service, (c, actor) => service.CompleteAsync(c, actor, ct), ct))
            .Requires(Permission.ManageContracts).Produces<ContractJson>();
    }

    private static async Task<IResult> ChangeAsync(Guid id, HttpContext http, CairnDb db, Billing.Contracts service, Func<Contract, Actor, Task> change, CancellationToken ct)
    {
        var contract = await service.LoadForChangeAsync(id, ct);
        if (Http.CheckIfMatch(http, contract.Version) is { } stale)
            return stale;
        await change(contract, http.Caller().Actor);
        return Http.WithETag(http, await ContractJson.LoadAsync(db, contract, ct), contract.Version);
    }

    private static ContractStatus ParseStatus(string status)
    {
        foreach (var candidate in Enum.GetValues<ContractStatus>())
        {
            if (SnakeCase.Convert(candidate.ToString()) == status)
                return candidate;
        }

        throw new DomainException(new DomainError("invalid_status", "status is one of draft, proposed, active, completed, cancelled.", "status"));
    }
}

/// <summary>A contract in a list.</summary>
public sealed record ContractSummaryJson(Guid Id, Guid ClientId, string Title, ContractStatus Status, MoneyJson Value, int Version, DateTimeOffset CreatedAt, DateTimeOffset? ActivatedAt, DateTimeOffset? ClosedAt)
{
    public static ContractSummaryJson Of(Contract c) => new(c.Id, c.ClientId, c.Title, c.Status, MoneyJson.Of(c.Value), c.Version, c.CreatedAt, c.ActivatedAt, c.ClosedAt);
}

/// <summary>
/// A contract with its plan, and whether that plan adds up to the contract value;
/// <c>pendingProposalId</c> is the proposal waiting for the client while it is <c>proposed</c>.
/// </summary>
public sealed record ContractJson(
    Guid Id,
    Guid ClientId,
    string Title,
    ContractStatus Status,
    MoneyJson Value,
    string TaxRate,
    string? TaxExemptionReason,
    string TaxCategory,
    string? TaxExemptionCode,
    string? BuyerReference,
    string? PurchaseOrderReference,
    int PaymentTermsDays,
    int? ApprovalWindowDays,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ActivatedAt,
    DateTimeOffset? ClosedAt,
    PlanJson Plan,
    BillingFiguresJson Figures,
    IReadOnlyList<MilestoneJson> Milestones,
    Guid? PendingProposalId)
{
    /// <summary>The view of a contract whose whole plan is loaded, with each milestone's billing status from its invoices.</summary>
    public static async Task<ContractJson> LoadAsync(CairnDb db, Contract c, CancellationToken ct)
    {
        var billing = await MilestoneBilling.ForContractAsync(db, c.Id, ct);
        // "invoice_id IN (the contract's invoices)": found by ix_credit_notes_organization_invoice. Written as EXISTS, SQLite read every credit note of the books.
        var creditNotes = await db.CreditNotes.AsNoTracking().Where(n => db.Invoices.Where(i => i.ContractId == c.Id).Select(i => i.Id).Contains(n.InvoiceId)).ToListAsync(ct);
        return Of(c, c.Milestones, billing.Invoices, id => billing.OpenDisputeOf(id) is { } d ? DisputeRefJson.Of(d) : null, creditNotes);
    }

    /// <summary>
    /// The view of one contract read in one query and one round trip (issue 16: it took four): the
    /// contract, its plan, and each milestone's invoices, as one row per milestone and invoice, each
    /// table reached by a key. A read model: of the invoices it reads only the columns the view and the
    /// billing rules need (<see cref="IInvoiceFacts"/>, not the entities with their lines and EN 16931
    /// party snapshots); of the credit notes only each invoice's credited net, and of the disputes only
    /// the open one of a milestone that can have one. Null when the caller's organization has no such
    /// contract. Not tracked.
    /// </summary>
    public static async Task<ContractJson?> ReadAsync(CairnDb db, Guid id, CancellationToken ct)
    {
        // One pass over the rows: a milestone repeats on the rows of its invoices (a void one and the
        // one billed again), and so does its open dispute; each invoice is on one row.
        Contract? contract = null;
        var milestones = new Kept<Milestone>(static m => m.Id);
        var invoices = new List<InvoiceFigures>();
        List<ICreditNoteFacts>? credited = null;
        Dictionary<Guid, DisputeRefJson>? disputes = null;
        await foreach (var row in Reads.GetValue(db.Model, _ => CompileRead())(db, id).WithCancellation(ct))
        {
            contract ??= row.Contract;
            if (row.Milestone is not { } milestone)
                continue;
            milestones.AddOnce(milestone);
            if (row.Invoice is { } invoice)
            {
                invoices.Add(invoice);
                if (invoice.CreditedNetMinor != 0)
                    (credited ??= []).Add(new CreditedNet(invoice.Id, invoice.CreditedNetMinor));
            }

            if (row.DisputeId is { } disputeId)
                (disputes ??= [])[milestone.Id] = new DisputeRefJson(disputeId, row.DisputeReason!, row.DisputeOpenedAt!.Value);
        }

        if (contract is null)
            return null;
        return Of(contract, milestones, invoices, disputes is null ? static _ => null : disputes.GetValueOrDefault, credited ?? []);
    }

    /// <summary>The distinct items of the read's rows, in the order first met: compared one by one while few, then through a set.</summary>
    private sealed class Kept<T>(Func<T, Guid> idOf) : List<T>
        where T : class
    {
        private const int ListedUpTo = 32;
        private HashSet<Guid>? _ids;

        public void AddOnce(T item)
        {
            var id = idOf(item);
            if (Count < ListedUpTo)
            {
                foreach (var kept in this)
                {
                    if (idOf(kept) == id)
                        return;
                }
            }
            else if (!(_ids ??= [.. this.Select(idOf)]).Add(id))
            {
                return;
            }

            Add(item);
        }
    }

    // Compiled once: EF Core neither walks nor hashes the expression tree again on each read (issue 16,
    // the hottest read). Flat LEFT JOINs rather than nested collections: SQLite materializes a nested
    // collection's subquery (every invoice of the organization) where it looks plain joins up by their keys.
    // Credit notes and disputes are scalar subqueries behind a CASE, run only for the rows that can
    // have them: a credit note exists only where its invoice has something credited (Invoice.Credit adds
    // every credit note to CreditedMinor, and a credit note is never for zero), and an open dispute only
    // on a Disputed milestone (it opens as the milestone moves to Disputed and is resolved only from
    // there) or on one cancelled by a change order while disputed, once its invoice was credited in
    // full. Joined instead, they cost PostgreSQL a probe of both tables per row: a third of the read's
    // database time (pgbench, 16 clients: 8.6-10.1k reads/s joined against 11.6-13.0k gated).
    // The tenant filter still applies, to the subqueries too: it reads the context's TenantId on each
    // execution. One compiled query per model: a compiled query is bound to the provider it first ran
    // on (a test process runs both).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel, Func<CairnDb, Guid, IAsyncEnumerable<ReadRow>>> Reads = new();

    private static Func<CairnDb, Guid, IAsyncEnumerable<ReadRow>> CompileRead() => EF.CompileAsyncQuery((CairnDb db, Guid id) =>
        from c in db.Contracts.AsNoTracking().Where(c => c.Id == id)
        join planned in db.Milestones.AsNoTracking() on c.Id equals planned.ContractId into plan
        from m in plan.DefaultIfEmpty()
        join billed in db.Invoices.AsNoTracking() on (Guid?)m.Id equals billed.MilestoneId into invoices
        from i in invoices.DefaultIfEmpty()
        let mayHaveOpenDispute = m.Status == MilestoneStatus.Disputed || m.Status == MilestoneStatus.Cancelled
        select new ReadRow(
            c,
            (Milestone?)m,
            i == null ? null : new InvoiceFigures(
                i.Id, i.ContractId, i.MilestoneId, i.Status, i.Number, i.Currency, i.NetMinor, i.TaxMinor, i.GrossMinor, i.PaidMinor, i.CreditedMinor, i.Disputed, i.CreatedAt,
                i.CreditedMinor == 0 ? 0L : db.CreditNotes.Where(n => n.InvoiceId == i.Id).Sum(n => n.NetMinor)),
            mayHaveOpenDispute
                ? db.Disputes.Where(d => d.MilestoneId == m.Id && d.Status == DisputeStatus.Open).Select(d => (Guid?)d.Id).FirstOrDefault()
                : null,
            mayHaveOpenDispute
                ? db.Disputes.Where(d => d.MilestoneId == m.Id && d.Status == DisputeStatus.Open).Select(d => d.Reason).FirstOrDefault()
                : null,
            mayHaveOpenDispute
                ? db.Disputes.Where(d => d.MilestoneId == m.Id && d.Status == DisputeStatus.Open).Select(d => (DateTimeOffset?)d.OpenedAt).FirstOrDefault()
                : null));

    private sealed record ReadRow(Contract Contract, Milestone? Milestone, InvoiceFigures? Invoice, Guid? DisputeId, string? DisputeReason, DateTimeOffset? DisputeOpenedAt);

    /// <summary>The columns of an invoice the view and the billing rules read, and the net of its credit notes (minor units).</summary>
    private sealed record InvoiceFigures(
        Guid Id, Guid ContractId, Guid? MilestoneId, InvoiceStatus Status, string? Number, Currency Currency,
        long NetMinor, long TaxMinor, long GrossMinor, long PaidMinor, long CreditedMinor, bool Disputed, DateTimeOffset CreatedAt,
        long CreditedNetMinor) : IInvoiceFacts
    {
        public BillingStatus BillingStatus => InvoiceFacts.BillingStatusOf(Status, PaidMinor);
    }

    /// <summary>The credit notes of one invoice, summed: the billing figures only add up their nets.</summary>
    private sealed record CreditedNet(Guid InvoiceId, long NetMinor) : ICreditNoteFacts;

    private static ContractJson Of<TInvoice>(Contract c, IReadOnlyList<Milestone> plan, IReadOnlyList<TInvoice> invoices, Func<Guid, DisputeRefJson?> openDispute, IEnumerable<ICreditNoteFacts> creditNotes)
        where TInvoice : class, IInvoiceFacts
    {
        var billing = PlanBilling<TInvoice>.Of(invoices);
        return new(
            c.Id,
            c.ClientId,
            c.Title,
            c.Status,
            MoneyJson.Of(c.Value),
            c.TaxRate.ToDecimalString(),
            c.TaxExemptionReason,
            c.TaxCategory.ToString(),
            c.TaxExemptionCode,
            c.BuyerReference,
            c.PurchaseOrderReference,
            c.PaymentTermsDays,
            c.ApprovalWindowDays,
            c.Version,
            c.CreatedAt,
            c.ActivatedAt,
            c.ClosedAt,
            PlanJson.Of(c.CheckPlan(plan)),
            BillingFiguresJson.Of(BillingFigures.Of(c, plan, invoices, creditNotes)),
            plan.OrderBy(m => m.Position).Select(m => MilestoneJson.Of(m, billing.For(m), openDispute(m.Id), null)).ToList(),
            c.PendingProposalId);
    }
}

/// <summary>
/// How far the contract has come (<see cref="BillingFigures"/>): <c>delivered</c> (net: approved
/// milestones), <c>billedNet</c> (net of issued invoices less their credit notes), <c>billed</c> (gross
/// of issued invoices less credit notes), <c>credited</c> (gross of credit notes), <c>collected</c>
/// (gross: payments applied) and <c>outstanding</c> (gross: billed − collected). Drafts count nowhere.
/// </summary>
public sealed record BillingFiguresJson(MoneyJson Delivered, MoneyJson BilledNet, MoneyJson Billed, MoneyJson Credited, MoneyJson Collected, MoneyJson Outstanding)
{
    public static BillingFiguresJson Of(BillingFigures f) =>
        new(MoneyJson.Of(f.Delivered), MoneyJson.Of(f.BilledNet), MoneyJson.Of(f.Billed), MoneyJson.Of(f.Credited), MoneyJson.Of(f.Collected), MoneyJson.Of(f.Outstanding));
}

/// <summary>Whether the plan adds up to the contract value; when not, by how much (planned minus value) and a sentence saying so.</summary>
public sealed record PlanJson(bool AddsUp, MoneyJson PlannedTotal, MoneyJson Difference, string? Message)
{
    public static PlanJson Of(PlanCheck check) =>
        new(check.AddsUp, MoneyJson.Of(check.PlannedTotal), MoneyJson.Of(check.Difference), check.AddsUp ? null : check.ToError().Message);
}

/// <summary>
/// Fields to create or change a contract; on PATCH, absent fields stay as they are. Percentages
/// are decimal strings ("20"); <c>approvalWindowDays</c> 0 turns auto-approval off.
/// </summary>
public sealed record ContractInput(
    Guid? ClientId,
    string? Title,
    MoneyInput? Value,
    string? TaxRate,
    string? TaxExemptionReason,
    int? PaymentTermsDays,
    int? ApprovalWindowDays,
    Guid? TemplateId,
    string? TaxCategory = null,
    string? TaxExemptionCode = null,
    string? BuyerReference = null,
    string? PurchaseOrderReference = null)
{
    /// <summary>Whether any commercial term is given (those change only while Draft).</summary>
    public bool HasTerms => Title is not null || Value is not null || TaxRate is not null || TaxExemptionReason is not null || PaymentTermsDays is not null
        || ApprovalWindowDays is not null || TaxCategory is not null || TaxExemptionCode is not null;

    /// <summary>Whether a buyer or purchase-order reference is given (those change while Draft or Active).</summary>
    public bool HasReferences => BuyerReference is not null || PurchaseOrderReference is not null;

    /// <summary>The checked terms: these fields over the current contract (PATCH) or the organization's defaults (POST).</summary>
    public ContractTerms ToTerms(Contract? current, Organization? defaults)
    {
        var title = Title is null && current is not null ? current.Title : Inputs.Required(Title, "title");
        var value = Value is not null ? Value.ToMoney("value") : current?.Value ?? throw new DomainException(new DomainError("required", "value is required, e.g. {\"amount\": \"10000.00\", \"currency\": \"EUR\"}.", "value"));
        var tax = ToTax(current);
        var paymentTerms = PaymentTermsDays ?? current?.PaymentTermsDays ?? defaults?.PaymentTermsDays ?? 30;
        var window = ApprovalWindowDays switch
        {
            0 => null,
            { } days => days,
            null => current is not null ? current.ApprovalWindowDays : defaults?.ApprovalWindowDays,
        };
        return new ContractTerms(title, value, tax, paymentTerms, window);
    }

    /// <summary>
    /// The tax treatment these fields give: on PATCH, fields left out keep their value unless the
    /// category or rate changes (then the exemption is given anew or derived from the new category).
    /// </summary>
    private TaxTreatment ToTax(Contract? current)
    {
        if (current is not null && TaxCategory is null && TaxRate is null && TaxExemptionCode is null && TaxExemptionReason is null)
            return current.Tax;
        var category = TaxCategory is not null ? TaxTreatment.ParseCategory(TaxCategory) : TaxRate is null ? current?.TaxCategory : null;
        var rate = TaxRate is not null ? Domain.TaxRate.Parse(TaxRate, "taxRate")
            : category is not null and not Domain.TaxCategory.S ? Domain.TaxRate.Zero
            : current?.TaxRate ?? throw new DomainException(new DomainError("required", "taxRate is required, e.g. \"20\"; use \"0\" with a taxExemptionReason when no tax is charged.", "taxRate"));
        var keep = TaxCategory is null && TaxRate is null;
        var code = TaxExemptionCode ?? (keep ? current?.TaxExemptionCode : null);
        var reason = TaxExemptionReason is not null ? Inputs.Optional(TaxExemptionReason, "taxExemptionReason", 500) : keep ? current?.TaxExemptionReason : null;
        return TaxTreatment.Of(category, rate, code, reason);
    }
}
