using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary><c>/invoices</c> (list, read, issue drafts, credit) and <c>/credit-notes</c>.</summary>
public static class InvoicesEndpoints
{
    public static void MapInvoices(this RouteGroupBuilder api)
    {
        var invoices = api.MapGroup("/invoices").WithTags("Invoices");

        invoices.MapGet("/", async (ReadDatabase reads, BusinessDays days, string? limit, string? cursor, string? status, string? clientId, string? contractId, string? overdue, CancellationToken ct) =>
        {
            var (take, after) = Cursor.Read(limit, cursor);
            var db = await reads.OpenAsync(ct);
            var today = await days.TodayAsync(ct);
            var query = db.Invoices.AsNoTracking();
            if (Inputs.OptionalEnum<InvoiceStatus>(status, "status") is { } s)
                query = query.Where(i => i.Status == s);
            if (Inputs.OptionalId(clientId, "clientId") is { } client)
                query = query.Where(i => i.ClientId == client);
            if (Inputs.OptionalId(contractId, "contractId") is { } contract)
                query = query.Where(i => i.ContractId == contract);
            if (Flag(overdue, "overdue") is { } late)
                query = query.Overdue(today, late);

            var rows = await query.Where(i => after == null || i.Id.CompareTo(after.Value) > 0).OrderBy(i => i.Id).Take(take + 1).ToListAsync(ct);
            return Results.Json(Cursor.Page(rows, take, i => i.Id, i => InvoiceJson.Of(i, today)), ApiJson.Options);
        }).Requires(Permission.Read).Produces<Page<InvoiceJson>>();

        invoices.MapGet("/{id:guid}", async (Guid id, CairnDb db, BusinessDays days, CancellationToken ct) =>
            await DetailAsync(db, id, await days.TodayAsync(ct), ct) is { } invoice
                ? Results.Json(invoice, ApiJson.Options)
                : Problems.NotFound("invoice", id.ToString()).ToResult())
            .Requires(Permission.Read).Produces<InvoiceDetailJson>();

        invoices.MapPost("/{id:guid}/issue", async (Guid id, HttpContext http, CairnDb db, Invoicing invoicing, BusinessDays days, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (await db.Invoices.Include(i => i.Lines).SingleOrDefaultAsync(i => i.Id == id, ct) is not { } invoice)
                return Problems.NotFound("invoice", id.ToString()).ToResult();
            var organization = await db.Organizations.SingleAsync(ct);
            await invoicing.IssueAsync(organization, invoice, caller.Actor, ct);
            await db.SaveChangesAsync(ct);
            return Results.Json(await DetailAsync(db, id, await days.TodayAsync(ct), ct), ApiJson.Options);
        }).Requires(Permission.ManageInvoices).Produces<InvoiceDetailJson>();

        invoices.MapPost("/{id:guid}/send", async (Guid id, InvoiceSendInput? input, HttpContext http, InvoiceSending sending, CancellationToken ct) =>
        {
            var send = await sending.SendAsync(id, input?.Recipients, http.Caller().Actor, ct);
            return Http.Created(http, $"/api/v1/invoices/{id}", InvoiceSendJson.Of(send));
        }).Requires(Permission.ManageInvoices).Produces<InvoiceSendJson>(StatusCodes.Status201Created);

        invoices.MapPost("/{id:guid}/lines", async (Guid id, InvoiceLineInput input, HttpContext http, CairnDb db, Invoicing invoicing, BusinessDays days, CancellationToken ct) =>
        {
            if (await db.Invoices.Include(i => i.Lines).SingleOrDefaultAsync(i => i.Id == id, ct) is not { } invoice)
                return Problems.NotFound("invoice", id.ToString()).ToResult();
            var description = Inputs.Required(input.Description, "description", 1000);
            var amount = Inputs.Money(input.Amount, "amount");
            var tax = (input.Tax ?? throw new DomainException(new DomainError("required", "tax is required, e.g. {\"category\": \"S\", \"rate\": \"20\"}.", "tax"))).ToTreatment("tax.");
            await invoicing.AddLineAsync(invoice, description, amount, tax, http.Caller().Actor, ct);
            return Results.Json(await DetailAsync(db, id, await days.TodayAsync(ct), ct), ApiJson.Options);
        }).Requires(Permission.ManageInvoices).Produces<InvoiceDetailJson>()
            .WithSummary("Adds a line to a draft invoice: an expense, or a discount as a negative amount, taxed in its own category and rate.");

        invoices.MapPost("/{id:guid}/credit-notes", async (Guid id, CreditNoteInput input, HttpContext http, CairnDb db, CreditNotes creditNotes, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var amount = input.Amount is null && input.Lines is not null ? (Money?)null : Inputs.Money(input.Amount, "amount");
            var note = await creditNotes.IssueAsync(id, amount, input.Lines?.Select((l, i) => l.ToGroup($"lines[{i}].")).ToList(), input.Reason, caller.Actor, ct);
            await db.SaveChangesAsync(ct);
            return Http.Created(http, $"/api/v1/credit-notes/{note.Id}", CreditNoteJson.Of(note));
        }).Requires(Permission.ManageCreditNotes).Produces<CreditNoteJson>(StatusCodes.Status201Created)
            .WithSummary("Issues a credit note: a gross amount split over the invoice's tax groups in proportion to what is left in each, or lines naming the net to credit per tax group (category, rate); never more than is left in a group.");

        invoices.MapPost("/{id:guid}/apply-credit", async (Guid id, ApplyCreditInput? input, HttpContext http, CairnDb db, Payments payments, BusinessDays days, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var amount = input?.Amount is null ? (Money?)null : Inputs.Money(input.Amount, "amount");
            await payments.ApplyCreditAsync(caller.OrganizationId, id, amount, caller.Actor, ct);
            await db.SaveChangesAsync(ct);
            return Results.Json(await DetailAsync(db, id, await days.TodayAsync(ct), ct), ApiJson.Options);
        }).Requires(Permission.ManagePayments).Produces<InvoiceDetailJson>();

        var notes = api.MapGroup("/credit-notes").WithTags("Invoices");

        notes.MapGet("/", async (ReadDatabase reads, string? limit, string? cursor, string? invoiceId, string? clientId, CancellationToken ct) =>
        {
            var (take, after) = Cursor.Read(limit, cursor);
            var db = await reads.OpenAsync(ct);
            var query = db.CreditNotes.AsNoTracking();
            if (Inputs.OptionalId(invoiceId, "invoiceId") is { } invoice)
                query = query.Where(c => c.InvoiceId == invoice);
            if (Inputs.OptionalId(clientId, "clientId") is { } client)
                query = query.Where(c => c.ClientId == client);
            var rows = await query.Where(c => after == null || c.Id.CompareTo(after.Value) > 0).OrderBy(c => c.Id).Take(take + 1).ToListAsync(ct);
            return Results.Json(Cursor.Page(rows, take, c => c.Id, CreditNoteJson.Of), ApiJson.Options);
        }).Requires(Permission.Read).Produces<Page<CreditNoteJson>>();

        notes.MapGet("/{id:guid}", async (Guid id, CairnDb db, CancellationToken ct) =>
            await db.CreditNotes.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) is { } note
                ? Results.Json(CreditNoteJson.Of(note), ApiJson.Options)
                : Problems.NotFound("credit note", id.ToString()).ToResult())
            .Requires(Permission.Read).Produces<CreditNoteJson>();
    }

    /// <summary>An invoice with its lines, tax breakdown, credit notes and the payments applied to it; null when there is none.</summary>
    public static async Task<InvoiceDetailJson?> DetailAsync(CairnDb db, Guid id, DateOnly today, CancellationToken ct)
    {
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleOrDefaultAsync(i => i.Id == id, ct);
        if (invoice is null)
            return null;
        var notes = await db.CreditNotes.AsNoTracking().Where(c => c.InvoiceId == id).OrderBy(c => c.Id).ToListAsync(ct);
        var applied = await db.PaymentApplications.Where(a => a.InvoiceId == id)
            .GroupBy(a => a.PaymentId).Select(g => new { PaymentId = g.Key, Minor = g.Sum(a => a.AmountMinor) })
            .ToListAsync(ct);
        var paymentIds = applied.Select(a => a.PaymentId).ToList();
        var payments = await db.Payments.AsNoTracking().Where(p => paymentIds.Contains(p.Id)).OrderBy(p => p.Id).ToListAsync(ct);
        var paymentsApplied = payments
            .Select(p => new AppliedPaymentJson(p.Id, p.ReceivedOn, p.Method, p.Reference, p.Status, MoneyJson.Of(applied.Single(a => a.PaymentId == p.Id).Minor, invoice.Currency)))
            .ToList();
        var sends = await db.InvoiceSends.AsNoTracking().Where(x => x.InvoiceId == id).OrderBy(x => x.Id).ToListAsync(ct);
        return InvoiceDetailJson.Of(invoice, today, notes, paymentsApplied) with { Sends = sends.Select(InvoiceSendJson.Of).ToList() };
    }


    private static bool? Flag(string? text, string field) => text switch
    {
        null or "" => null,
        "true" => true,
        "false" => false,
        _ => throw new DomainException(new DomainError("invalid_value", $"{field} is true or false.", field)),
    };
}

/// <summary>How much of the client's unapplied credit to apply to the invoice; without an amount, as much as the credit and the balance allow.</summary>
public sealed record ApplyCreditInput(MoneyInput? Amount);

/// <summary>An invoice in a list: its number, state and settlement figures.</summary>
public sealed record InvoiceJson(
    Guid Id,
    string? Number,
    InvoiceStatus Status,
    bool Overdue,
    bool Disputed,
    Guid ClientId,
    Guid ContractId,
    Guid? MilestoneId,
    string Currency,
    DateOnly? IssueDate,
    DateOnly? DueDate,
    MoneyJson Net,
    MoneyJson Tax,
    MoneyJson Gross,
    MoneyJson Paid,
    MoneyJson Credited,
    MoneyJson Balance)
{
    public static InvoiceJson Of(Invoice i, DateOnly today) => new(
        i.Id, i.Number, i.Status, i.IsOverdue(today), i.Disputed, i.ClientId, i.ContractId, i.MilestoneId, i.Currency.Code, i.IssueDate, i.DueDate,
        MoneyJson.Of(i.Net), MoneyJson.Of(i.Tax), MoneyJson.Of(i.Gross), MoneyJson.Of(i.Paid), MoneyJson.Of(i.Credited), MoneyJson.Of(i.Balance))
    {
        Prepayment = i.Prepayment,
    };

    /// <summary>True for a prepayment invoice (UNTDID 1001 type 386): a deposit on the whole contract that later invoices deduct.</summary>
    public bool Prepayment { get; init; }
}

/// <summary>An invoice in full, as printed plus how it was settled.</summary>
public sealed record InvoiceDetailJson(
    Guid Id,
    string? Number,
    InvoiceStatus Status,
    bool Overdue,
    bool Disputed,
    Guid ClientId,
    Guid ContractId,
    Guid? MilestoneId,
    string Currency,
    DateOnly? IssueDate,
    DateOnly? DueDate,
    int PaymentTermsDays,
    PartySnapshot? Seller,
    PartySnapshot? Buyer,
    IReadOnlyList<InvoiceLineJson> Lines,
    IReadOnlyList<TaxSubtotalJson> TaxBreakdown,
    string? TaxExemptionReason,
    MoneyJson Net,
    MoneyJson Tax,
    MoneyJson Gross,
    MoneyJson Paid,
    MoneyJson Credited,
    MoneyJson Balance,
    IReadOnlyList<CreditNoteJson> CreditNotes,
    IReadOnlyList<AppliedPaymentJson> Payments,
    DateTimeOffset CreatedAt,
    DateTimeOffset? IssuedAt)
{
    public static InvoiceDetailJson Of(Invoice i, DateOnly today, IEnumerable<CreditNote> notes, IReadOnlyList<AppliedPaymentJson> payments) => new(
        i.Id, i.Number, i.Status, i.IsOverdue(today), i.Disputed, i.ClientId, i.ContractId, i.MilestoneId, i.Currency.Code, i.IssueDate, i.DueDate, i.PaymentTermsDays,
        i.Seller, i.Buyer,
        i.Lines.OrderBy(l => l.Position).Select(InvoiceLineJson.Of).ToList(),
        i.Totals.PerRate.Select(TaxSubtotalJson.Of).ToList(),
        i.TaxExemptionReason,
        MoneyJson.Of(i.Net), MoneyJson.Of(i.Tax), MoneyJson.Of(i.Gross), MoneyJson.Of(i.Paid), MoneyJson.Of(i.Credited), MoneyJson.Of(i.Balance),
        notes.Select(CreditNoteJson.Of).ToList(), payments, i.CreatedAt, i.IssuedAt)
    {
        Prepayment = i.Prepayment,
    };

    /// <summary>True for a prepayment invoice (UNTDID 1001 type 386): a deposit on the whole contract that later invoices deduct.</summary>
    public bool Prepayment { get; init; }

    /// <summary>Each time the invoice was sent to the client ("Send invoice", "Resend"), oldest first.</summary>
    public IReadOnlyList<InvoiceSendJson> Sends { get; init; } = [];
}

/// <summary>What to send an invoice with: <c>recipients</c>, ids of contacts of the invoice's client; absent or empty for the client's billing email (else all its contacts).</summary>
public sealed record InvoiceSendInput(IReadOnlyList<Guid>? Recipients);

/// <summary>One sending of an invoice: when, to whom (name, email, and the contact id or null for the client's billing email), by whom (<c>kind:id</c>), and whether the UBL e-invoice was attached beside the PDF.</summary>
public sealed record InvoiceSendJson(Guid Id, Guid InvoiceId, DateTimeOffset SentAt, string SentBy, IReadOnlyList<SendRecipient> Recipients, bool WithUbl)
{
    public static InvoiceSendJson Of(InvoiceSend s) => new(s.Id, s.InvoiceId, s.SentAt, s.SentBy, s.Recipients, s.WithUbl);
}

/// <summary>
/// One line of an invoice (EN 16931 BG-25): the tax rate is a percentage such as <c>20</c> or <c>9.975</c> (BT-152),
/// the category a UNCL5305 code (BT-151), the exemption a VATEX code (BT-121) and its text (BT-120).
/// </summary>
/// A line that deducts a prepayment is negative and names the prepayment invoice in <c>deducts</c> (EN 16931 BG-3).
public sealed record InvoiceLineJson(int Position, string Description, MoneyJson Net, string TaxRate, string TaxCategory, string? TaxExemptionCode, string? TaxExemptionReason)
{
    /// <summary>For a deduction line: the prepayment invoice it deducts (BG-3: number BT-25, issue date BT-26); null for any other line.</summary>
    public DeductedPrepaymentJson? Deducts { get; init; }

    public static InvoiceLineJson Of(InvoiceLine l) =>
        new(l.Position, l.Description, MoneyJson.Of(l.Net), l.TaxRate.ToDecimalString(), l.TaxCategory.ToString(), l.TaxExemptionCode, l.TaxExemptionReason)
        {
            Deducts = l.PrepaymentInvoiceId is { } id ? new DeductedPrepaymentJson(id, l.PrepaymentNumber!, l.PrepaymentIssueDate) : null,
        };
}

/// <summary>The prepayment invoice a line deducts (EN 16931 BG-3).</summary>
public sealed record DeductedPrepaymentJson(Guid InvoiceId, string Number, DateOnly? IssueDate);

/// <summary>The net and tax of the lines of one (category, rate) (EN 16931 BG-23), the tax rounded once to the minor unit.</summary>
public sealed record TaxSubtotalJson(string Rate, MoneyJson Net, MoneyJson Tax, string Category, string? ExemptionCode, string? ExemptionReason)
{
    public static TaxSubtotalJson Of(TaxSubtotal r) => new(r.Rate.ToDecimalString(), MoneyJson.Of(r.Net), MoneyJson.Of(r.Tax), r.Category.ToString(), r.ExemptionCode, r.ExemptionReason);
}

/// <summary>A line to add to a draft invoice: its description, its net amount (negative for a discount) and how it is taxed.</summary>
public sealed record InvoiceLineInput(string? Description, MoneyInput? Amount, TaxJson? Tax);

/// <summary>A payment as applied to one invoice: what of it is applied there now.</summary>
public sealed record AppliedPaymentJson(Guid PaymentId, DateOnly ReceivedOn, string Method, string? Reference, PaymentStatus Status, MoneyJson Amount);

/// <summary>A credit note as the API shows it.</summary>
public sealed record CreditNoteJson(
    Guid Id,
    string Number,
    Guid InvoiceId,
    Guid ClientId,
    string Currency,
    DateOnly IssueDate,
    MoneyJson Net,
    MoneyJson Tax,
    MoneyJson Gross,
    string Reason,
    PartySnapshot? Seller,
    PartySnapshot? Buyer,
    DateTimeOffset CreatedAt)
{
    public static CreditNoteJson Of(CreditNote c) => new(
        c.Id, c.Number, c.InvoiceId, c.ClientId, c.Currency.Code, c.IssueDate, MoneyJson.Of(c.Net), MoneyJson.Of(c.Tax), MoneyJson.Of(c.Gross), c.Reason, c.Seller, c.Buyer, c.CreatedAt)
    {
        TaxBreakdown = c.Lines.OrderBy(l => l.Position).Select(l => TaxSubtotalJson.Of(l.Subtotal)).ToList(),
    };

    /// <summary>What the credit note takes back in each tax group of its invoice (EN 16931 BG-23, one credit-note line each); empty for credit notes issued before Cairn stored it.</summary>
    public IReadOnlyList<TaxSubtotalJson> TaxBreakdown { get; init; } = [];
}

/// <summary>
/// A credit note to issue: why, and either the gross amount to credit (split over the invoice's tax groups in proportion to
/// what is left in each) or the net to credit in named tax groups (lines); with both, the amount must be the lines' gross.
/// </summary>
public sealed record CreditNoteInput(MoneyInput? Amount, string? Reason, IReadOnlyList<CreditNoteLineInput>? Lines = null);

/// <summary>The net to credit in one tax group of the invoice (EN 16931 BG-23: category BT-118 and rate BT-119); its tax follows at the group's rate.</summary>
public sealed record CreditNoteLineInput(string? TaxCategory, string? TaxRate, MoneyInput? Net)
{
    /// <summary>The group asked for, naming <paramref name="prefix"/> fields in any error.</summary>
    public CreditedGroup ToGroup(string prefix) => new(
        TaxTreatment.ParseCategory(TaxCategory ?? throw new DomainException(new DomainError("required", "taxCategory is required, e.g. \"S\".", prefix + "taxCategory")), prefix + "taxCategory"),
        Cairn.Domain.TaxRate.Parse(TaxRate ?? throw new DomainException(new DomainError("required", "taxRate is required, e.g. \"20\".", prefix + "taxRate")), prefix + "taxRate"),
        Inputs.Money(Net, prefix + "net"));
}
