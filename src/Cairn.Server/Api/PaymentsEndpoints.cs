using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary><c>/payments</c> (record, read, reverse), <c>/refunds</c> (refund unapplied credit, read, reverse) and <c>/clients/{id}/balance</c>.</summary>
public static class PaymentsEndpoints
{
    public static void MapPayments(this RouteGroupBuilder api)
    {
        var payments = api.MapGroup("/payments").WithTags("Payments");

        payments.MapGet("/", async (ReadDatabase reads, string? limit, string? cursor, string? clientId, CancellationToken ct) =>
        {
            var (take, after) = Cursor.Read(limit, cursor);
            var db = await reads.OpenAsync(ct);
            var query = db.Payments.AsNoTracking().Include(p => p.Applications).Include(p => p.RefundParts).AsQueryable();
            if (Inputs.OptionalId(clientId, "clientId") is { } client)
                query = query.Where(p => p.ClientId == client);
            var rows = await query.Where(p => after == null || p.Id.CompareTo(after.Value) > 0).OrderBy(p => p.Id).Take(take + 1).ToListAsync(ct);
            var numbers = await NumbersAsync(db, rows, ct);
            return Results.Json(Cursor.Page(rows, take, p => p.Id, p => PaymentJson.Of(p, numbers)), ApiJson.Options);
        }).Requires(Permission.Read).Produces<Page<PaymentJson>>();

        payments.MapGet("/{id:guid}", async (Guid id, CairnDb db, CancellationToken ct) =>
            await db.Payments.AsNoTracking().Include(p => p.Applications).Include(p => p.RefundParts).SingleOrDefaultAsync(p => p.Id == id, ct) is { } payment
                ? Results.Json(PaymentJson.Of(payment, await NumbersAsync(db, [payment], ct)), ApiJson.Options)
                : Problems.NotFound("payment", id.ToString()).ToResult())
            .Requires(Permission.Read).Produces<PaymentJson>();

        payments.MapPost("/", async (PaymentInput input, HttpContext http, CairnDb db, Payments service, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var clientId = Inputs.Id(input.ClientId, "clientId");
            var amount = Inputs.Money(input.Amount, "amount");
            var receivedOn = Inputs.Date(input.ReceivedOn, "receivedOn");
            var method = Inputs.Required(input.Method, "method", 50);
            var reference = Inputs.Optional(input.Reference, "reference", 200);
            var invoiceIds = input.InvoiceIds?.Select((text, n) => Inputs.Id(text, $"invoiceIds[{n}]")).ToList();
            var payment = await service.RecordAsync(caller.OrganizationId, clientId, amount, receivedOn, method, reference, invoiceIds, caller.Actor, ct);
            await db.SaveChangesAsync(ct);
            return Http.Created(http, $"/api/v1/payments/{payment.Id}", PaymentJson.Of(payment, await NumbersAsync(db, [payment], ct)));
        }).Requires(Permission.ManagePayments).Produces<PaymentJson>(StatusCodes.Status201Created);

        payments.MapPost("/{id:guid}/reverse", async (Guid id, ReversalInput input, HttpContext http, CairnDb db, Payments service, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var payment = await service.ReverseAsync(caller.OrganizationId, id, Inputs.Optional(input.Reason, "reason", 1000), caller.Actor, ct);
            await db.SaveChangesAsync(ct);
            return Results.Json(PaymentJson.Of(payment, await NumbersAsync(db, [payment], ct)), ApiJson.Options);
        }).Requires(Permission.ManagePayments).Produces<PaymentJson>();

        var refunds = api.MapGroup("/refunds").WithTags("Payments");

        refunds.MapGet("/", async (ReadDatabase reads, string? limit, string? cursor, string? clientId, CancellationToken ct) =>
        {
            var (take, after) = Cursor.Read(limit, cursor);
            var db = await reads.OpenAsync(ct);
            var query = db.Refunds.AsNoTracking();
            if (Inputs.OptionalId(clientId, "clientId") is { } client)
                query = query.Where(r => r.ClientId == client);
            var rows = await query.Where(r => after == null || r.Id.CompareTo(after.Value) > 0).OrderBy(r => r.Id).Take(take + 1).ToListAsync(ct);
            return Results.Json(Cursor.Page(rows, take, r => r.Id, RefundJson.Of), ApiJson.Options);
        }).Requires(Permission.Read).Produces<Page<RefundJson>>();

        refunds.MapGet("/{id:guid}", async (Guid id, CairnDb db, CancellationToken ct) =>
            await db.Refunds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct) is { } refund
                ? Results.Json(RefundJson.Of(refund), ApiJson.Options)
                : Problems.NotFound("refund", id.ToString()).ToResult())
            .Requires(Permission.Read).Produces<RefundJson>();

        refunds.MapPost("/", async (RefundInput input, HttpContext http, CairnDb db, Payments service, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var clientId = Inputs.Id(input.ClientId, "clientId");
            var amount = Inputs.Money(input.Amount, "amount");
            var refundedOn = Inputs.Date(input.RefundedOn, "refundedOn");
            var method = Inputs.Required(input.Method, "method", 50);
            var reference = Inputs.Optional(input.Reference, "reference", 200);
            var refund = await service.RefundAsync(caller.OrganizationId, clientId, amount, refundedOn, method, reference, caller.Actor, ct);
            await db.SaveChangesAsync(ct);
            return Http.Created(http, $"/api/v1/refunds/{refund.Id}", RefundJson.Of(refund));
        }).Requires(Permission.ManagePayments).Produces<RefundJson>(StatusCodes.Status201Created);

        refunds.MapPost("/{id:guid}/reverse", async (Guid id, ReversalInput input, HttpContext http, CairnDb db, Payments service, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var refund = await service.ReverseRefundAsync(caller.OrganizationId, id, Inputs.Optional(input.Reason, "reason", 1000), caller.Actor, ct);
            await db.SaveChangesAsync(ct);
            return Results.Json(RefundJson.Of(refund), ApiJson.Options);
        }).Requires(Permission.ManagePayments).Produces<RefundJson>();

        api.MapGet("/clients/{id:guid}/balance", async (Guid id, Payments service, CancellationToken ct) =>
        {
            var balances = await service.BalanceAsync(id, ct);
            return Results.Json(new ClientBalanceJson(id, balances.Select(ClientBalanceCurrencyJson.Of).ToList()), ApiJson.Options);
        }).WithTags("Clients").Requires(Permission.Read).Produces<ClientBalanceJson>();
    }

    private static async Task<Dictionary<Guid, string?>> NumbersAsync(CairnDb db, IEnumerable<Payment> payments, CancellationToken ct)
    {
        var ids = payments.SelectMany(p => p.Applications).Select(a => a.InvoiceId).Distinct().ToList();
        return await db.Invoices.Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.Number, ct);
    }
}

/// <summary>A payment as the API shows it: what came in, what is applied where, what of its credit was refunded, and what is left as credit.</summary>
public sealed record PaymentJson(
    Guid Id,
    Guid ClientId,
    PaymentStatus Status,
    MoneyJson Amount,
    MoneyJson Applied,
    MoneyJson Unapplied,
    MoneyJson Refunded,
    DateOnly ReceivedOn,
    string Method,
    string? Reference,
    IReadOnlyList<PaymentApplicationJson> Applications,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReversedAt,
    string? ReversalReason)
{
    public static PaymentJson Of(Payment p, IReadOnlyDictionary<Guid, string?> invoiceNumbers) => new(
        p.Id, p.ClientId, p.Status, MoneyJson.Of(p.Amount), MoneyJson.Of(p.Applied), MoneyJson.Of(p.Unapplied), MoneyJson.Of(p.Refunded), p.ReceivedOn, p.Method, p.Reference,
        p.Applications.GroupBy(a => a.InvoiceId)
            .Select(g => (InvoiceId: g.Key, Minor: g.Sum(a => a.AmountMinor)))
            .Where(x => x.Minor != 0)
            .Select(x => new PaymentApplicationJson(x.InvoiceId, invoiceNumbers.GetValueOrDefault(x.InvoiceId), MoneyJson.Of(x.Minor, p.Currency)))
            .ToList(),
        p.CreatedAt, p.ReversedAt, p.ReversalReason);
}

/// <summary>What of a payment is applied to one invoice now (after any take-backs).</summary>
public sealed record PaymentApplicationJson(Guid InvoiceId, string? InvoiceNumber, MoneyJson Amount);

/// <summary>A payment received: from which client, how much, when and how; optionally the invoices to apply it to, in order.</summary>
public sealed record PaymentInput(string? ClientId, MoneyInput? Amount, string? ReceivedOn, string? Method, string? Reference, IReadOnlyList<string?>? InvoiceIds);

/// <summary>Why a payment is reversed (e.g. the transfer bounced).</summary>
public sealed record ReversalInput(string? Reason);

/// <summary>A client's account, one entry per currency.</summary>
public sealed record ClientBalanceJson(Guid ClientId, IReadOnlyList<ClientBalanceCurrencyJson> Currencies);

/// <summary>A client's account in one currency: money in (paid + unappliedCredit + refunded, of payments that stand) and what is owed.</summary>
public sealed record ClientBalanceCurrencyJson(string Currency, MoneyJson Invoiced, MoneyJson Paid, MoneyJson Credited, MoneyJson Outstanding, MoneyJson UnappliedCredit, MoneyJson Refunded)
{
    public static ClientBalanceCurrencyJson Of(ClientBalance b) => new(
        b.Invoiced.Currency.Code, MoneyJson.Of(b.Invoiced), MoneyJson.Of(b.Paid), MoneyJson.Of(b.Credited), MoneyJson.Of(b.Outstanding), MoneyJson.Of(b.UnappliedCredit), MoneyJson.Of(b.Refunded));
}

/// <summary>A refund as the API shows it: money paid back to a client out of its unapplied credit.</summary>
public sealed record RefundJson(
    Guid Id,
    Guid ClientId,
    RefundStatus Status,
    MoneyJson Amount,
    DateOnly RefundedOn,
    string Method,
    string? Reference,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReversedAt,
    string? ReversalReason)
{
    public static RefundJson Of(Refund r) => new(r.Id, r.ClientId, r.Status, MoneyJson.Of(r.Amount), r.RefundedOn, r.Method, r.Reference, r.CreatedAt, r.ReversedAt, r.ReversalReason);
}

/// <summary>A refund paid to a client: how much (from its unapplied credit in that currency), when and how.</summary>
public sealed record RefundInput(string? ClientId, MoneyInput? Amount, string? RefundedOn, string? Method, string? Reference);
