using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Billing;

/// <summary>
/// Money received from clients and paid back to them: recorded, applied to open invoices (the
/// ones the payer named, then the client's other open invoices oldest due first), what is left
/// kept as the client's unapplied credit (applied later to a chosen invoice or to invoices issued
/// later, or refunded), and reversed when it bounces. Every step keeps rule 5: applied payments
/// never exceed an invoice's total, and per client and currency money in = applied + unapplied + refunded.
/// </summary>
public sealed class Payments(CairnDb db, TimeProvider clock)
{
    /// <summary>How many of the client's open invoices a payment reads first; a payment that pays them all reads the rest.</summary>
    private const int FirstReach = 8;

    /// <summary>
    /// Records a payment and applies it: to <paramref name="invoiceIds"/> in that order when given,
    /// then to the client's other open invoices in its currency, oldest due first (due date, then
    /// number), skipping disputed ones; what is left stays as unapplied credit.
    /// </summary>
    /// <exception cref="DomainException"><c>received_total_too_large</c> naming <c>amount</c> when the client's payments in the currency would pass <see cref="Money.MaxClientTotalMinor"/>.</exception>
    public async Task<Payment> RecordAsync(Guid organizationId, Guid clientId, Money amount, DateOnly receivedOn, string method, string? reference, IReadOnlyList<Guid>? invoiceIds, Actor actor, CancellationToken cancellationToken = default)
    {
        if (!await db.Clients.AnyAsync(c => c.Id == clientId, cancellationToken))
            throw EntityNotFound.Of("client", clientId, "clientId");
        if (invoiceIds is not null && invoiceIds.Distinct().Count() != invoiceIds.Count)
            throw new DomainException(new DomainError("duplicate_invoice", "An invoice can be named only once.", "invoiceIds"));
        await ClientLedger.LockAsync(db, clientId, cancellationToken);
        await RequireRoomAsync(clientId, amount, cancellationToken);

        var now = clock.GetUtcNow();
        var payment = new Payment(Guid.CreateVersion7(), organizationId, clientId, amount, receivedOn, method, reference, now);
        db.Payments.Add(payment);
        var named = invoiceIds is { Count: > 0 } ? await NamedInvoicesAsync(clientId, amount.Currency, invoiceIds, cancellationToken) : [];
        var namedIds = named.Select(i => i.Id).ToList();

        Audit.Record(db, organizationId, "payment", payment.Id, "recorded", actor, now, after: new { amount = payment.Amount.ToDecimalString(), currency = payment.Currency.Code, payment.ReceivedOn, payment.Method, payment.Reference });
        ApplyInOrder(payment, named, actor, now);
        // The client's open invoices oldest first, as ids and balances from their index (ix_invoices_open_by_client),
        // the first few of them, then (rarely) all the rest; only the invoices the payment reaches are loaded whole.
        // Issue 16: it read every invoice of the client, paid ones too, and loaded each open one whole; then it read
        // every open balance of the client (114 on average at 1M invoices) to apply a payment to the oldest one or two.
        var passed = new List<Guid>(namedIds);
        for (var round = 0; payment.Unapplied.IsPositive; round++)
        {
            var open = db.Invoices.Open()
                .Where(i => i.ClientId == clientId && !i.Disputed && i.Currency == amount.Currency && !passed.Contains(i.Id))
                .OrderBy(i => i.DueDate).ThenBy(i => i.Series).ThenBy(i => i.Sequence)
                .Balances();
            var oldestFirst = await (round == 0 ? open.Take(FirstReach) : open).ToListAsync(cancellationToken);
            var next = 0;
            while (payment.Unapplied.IsPositive && next < oldestFirst.Count)
            {
                var reached = new List<Guid>();
                for (var left = payment.Unapplied.Minor; left > 0 && next < oldestFirst.Count; next++)
                {
                    reached.Add(oldestFirst[next].InvoiceId);
                    left -= oldestFirst[next].Minor;
                }

                var loaded = await db.Invoices.Where(i => reached.Contains(i.Id)).ToDictionaryAsync(i => i.Id, cancellationToken);
                ApplyInOrder(payment, reached.Where(loaded.ContainsKey).Select(id => loaded[id]), actor, now);
            }

            if (round > 0 || oldestFirst.Count < FirstReach)
                break;
            passed.AddRange(oldestFirst.Select(b => b.InvoiceId));
        }

        Events.Payment(db, EventTypes.PaymentRecorded, payment, now);
        return payment;
    }

    /// <summary>
    /// Applies the client's unapplied credit (oldest payment first) to one open invoice the caller
    /// chose, disputed or not: <paramref name="amount"/> when given, else as much as the credit and
    /// the invoice's balance allow.
    /// </summary>
    /// <exception cref="DomainException"><c>no_unapplied_credit</c>, <c>exceeds_unapplied</c> or <c>exceeds_balance</c> naming <c>amount</c>; <c>invalid_transition</c> when the invoice is not open.</exception>
    public async Task<Invoice> ApplyCreditAsync(Guid organizationId, Guid invoiceId, Money? amount, Actor actor, CancellationToken cancellationToken = default)
    {
        var clientId = await db.Invoices.Where(i => i.Id == invoiceId).Select(i => (Guid?)i.ClientId).SingleOrDefaultAsync(cancellationToken)
            ?? throw EntityNotFound.Of("invoice", invoiceId);
        await ClientLedger.LockAsync(db, clientId, cancellationToken);
        var invoice = await db.Invoices.SingleAsync(i => i.Id == invoiceId, cancellationToken);
        if (invoice.Status != InvoiceStatus.Issued)
            throw new DomainException(new InvalidTransition("invoice", invoice.Id, "apply credit to", invoice.Status.ToString(), "Credit applies to issued invoices with an open balance."));
        if (amount is { } asked && asked.Currency != invoice.Currency)
            throw new DomainException(new CurrencyMismatch(invoice.Currency.Code, asked.Currency.Code, "amount.currency"));
        if (amount is { IsPositive: false })
            throw new DomainException(new DomainError("amount_not_positive", "An amount to apply must be greater than zero.", "amount"));
        var withCredit = await WithCreditAsync(clientId, invoice.Currency, cancellationToken);
        var credit = Money.Sum(invoice.Currency, withCredit.Select(p => p.Unapplied));
        if (!credit.IsPositive)
            throw new DomainException(new DomainError("no_unapplied_credit", $"The client has no unapplied credit in {invoice.Currency.Code}.", "amount"));
        var wanted = amount ?? credit.Min(invoice.Balance);
        if (wanted > credit)
            throw new DomainException(new DomainError("exceeds_unapplied", $"The client has {credit.ToDecimalString()} {invoice.Currency.Code} of unapplied credit; {wanted.ToDecimalString()} cannot be applied.", "amount"));
        if (wanted > invoice.Balance)
            throw new DomainException(new DomainError("exceeds_balance", $"Invoice {invoice.Number} has {invoice.Balance.ToDecimalString()} {invoice.Currency.Code} open; {wanted.ToDecimalString()} cannot be applied to it.", "amount"));

        var now = clock.GetUtcNow();
        var remaining = wanted;
        foreach (var payment in withCredit)
        {
            var part = remaining.Min(payment.Unapplied);
            if (!part.IsPositive)
                continue;
            Apply(payment, invoice, part, actor, now);
            remaining -= part;
            if (remaining.IsZero)
                break;
        }

        return invoice;
    }

    /// <summary>Records a refund of the client's unapplied credit (money out), taken from its payments' credit oldest first.</summary>
    /// <exception cref="DomainException"><c>exceeds_unapplied</c> naming <c>amount</c> when the client's credit in the currency is smaller; input errors of <see cref="Refund"/>.</exception>
    public async Task<Refund> RefundAsync(Guid organizationId, Guid clientId, Money amount, DateOnly refundedOn, string method, string? reference, Actor actor, CancellationToken cancellationToken = default)
    {
        if (!await db.Clients.AnyAsync(c => c.Id == clientId, cancellationToken))
            throw EntityNotFound.Of("client", clientId, "clientId");
        await ClientLedger.LockAsync(db, clientId, cancellationToken);
        var now = clock.GetUtcNow();
        var refund = new Refund(Guid.CreateVersion7(), organizationId, clientId, amount, refundedOn, method, reference, now);
        var parts = refund.TakeFrom(await WithCreditAsync(clientId, amount.Currency, cancellationToken), now);
        db.Refunds.Add(refund);
        db.RefundParts.AddRange(parts);
        Audit.Record(db, organizationId, "refund", refund.Id, "recorded", actor, now,
            after: new { amount = refund.Amount.ToDecimalString(), currency = refund.Currency.Code, refund.RefundedOn, refund.Method, refund.Reference, payments = parts.Select(p => new { p.PaymentId, amount = new Money(p.AmountMinor, refund.Currency).ToDecimalString() }) });
        return refund;
    }

    /// <summary>Reverses a refund whose money did not leave after all: its amount becomes the client's unapplied credit again, on the payments it came from.</summary>
    public async Task<Refund> ReverseRefundAsync(Guid organizationId, Guid refundId, string? reason, Actor actor, CancellationToken cancellationToken = default)
    {
        var clientId = await db.Refunds.Where(r => r.Id == refundId).Select(r => (Guid?)r.ClientId).SingleOrDefaultAsync(cancellationToken)
            ?? throw EntityNotFound.Of("refund", refundId);
        await ClientLedger.LockAsync(db, clientId, cancellationToken);
        var refund = await db.Refunds.SingleAsync(r => r.Id == refundId, cancellationToken);
        var paymentIds = await db.RefundParts.Where(r => r.RefundId == refundId).Select(r => r.PaymentId).Distinct().ToListAsync(cancellationToken);
        var payments = await db.Payments.Include(p => p.Applications).Include(p => p.RefundParts).Where(p => paymentIds.Contains(p.Id)).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var restored = refund.Reverse(reason ?? "", payments, now);
        db.RefundParts.AddRange(restored);
        Audit.Record(db, organizationId, "refund", refund.Id, "reversed", actor, now, new { Status = RefundStatus.Recorded }, new { refund.Status, refund.ReversalReason });
        return refund;
    }

    /// <summary>
    /// Locks the client's ledger and reads its payments with unapplied credit in the invoice's
    /// currency, oldest first, for <see cref="ApplyUnappliedCredit"/>. Invoicing calls this before it
    /// draws the invoice's number, so the counter row of the series is held as briefly as possible.
    /// </summary>
    public async Task<IReadOnlyList<Payment>> UnappliedCreditAsync(Invoice invoice, CancellationToken cancellationToken = default)
    {
        if (invoice.Disputed)
            return [];
        await ClientLedger.LockAsync(db, invoice.ClientId, cancellationToken);
        return await WithCreditAsync(invoice.ClientId, invoice.Currency, cancellationToken);
    }

    /// <summary>
    /// Uses the client's unapplied credit (read by <see cref="UnappliedCreditAsync"/> in the same
    /// transaction) on an invoice that was just issued, oldest credit first.
    /// </summary>
    public void ApplyUnappliedCredit(IReadOnlyList<Payment> withCredit, Invoice invoice, Actor actor)
    {
        if (invoice.Status != InvoiceStatus.Issued || invoice.Disputed)
            return;
        var now = clock.GetUtcNow();
        foreach (var payment in withCredit)
        {
            if (!invoice.Balance.IsPositive)
                break;
            ApplyInOrder(payment, [invoice], actor, now);
        }
    }

    /// <summary>Reverses a bounced payment: every invoice it paid is reopened by what it paid, and its unapplied credit is gone.</summary>
    public async Task<Payment> ReverseAsync(Guid organizationId, Guid paymentId, string? reason, Actor actor, CancellationToken cancellationToken = default)
    {
        var clientId = await db.Payments.Where(p => p.Id == paymentId).Select(p => (Guid?)p.ClientId).SingleOrDefaultAsync(cancellationToken)
            ?? throw EntityNotFound.Of("payment", paymentId);
        await ClientLedger.LockAsync(db, clientId, cancellationToken);
        var payment = await db.Payments.Include(p => p.Applications).Include(p => p.RefundParts).SingleAsync(p => p.Id == paymentId, cancellationToken);
        var invoiceIds = payment.Applications.Select(a => a.InvoiceId).Distinct().ToList();
        var invoices = await db.Invoices.Where(i => invoiceIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, cancellationToken);
        var before = new { payment.Status, applied = payment.Applied.ToDecimalString(), unapplied = payment.Unapplied.ToDecimalString() };
        var now = clock.GetUtcNow();
        var takeBacks = payment.Reverse(reason ?? "", invoices, now);
        foreach (var takeBack in takeBacks)
        {
            db.PaymentApplications.Add(takeBack);
            var invoice = invoices[takeBack.InvoiceId];
            Audit.Record(db, organizationId, "invoice", invoice.Id, "payment_reversed", actor, now,
                after: new { paymentId = payment.Id, amount = new Money(-takeBack.AmountMinor, payment.Currency).ToDecimalString(), invoice.Status, paid = invoice.Paid.ToDecimalString(), balance = invoice.Balance.ToDecimalString() });
        }

        Audit.Record(db, organizationId, "payment", payment.Id, "reversed", actor, now, before, new { payment.Status, payment.ReversalReason });
        Events.Payment(db, EventTypes.PaymentReversed, payment, now);
        return payment;
    }

    /// <summary>Takes back what a credit note pushed beyond an invoice's open balance, latest payment first; it becomes those payments' unapplied credit.</summary>
    public async Task TakeBackAsync(Guid organizationId, Invoice invoice, Money overpaid, Actor actor, CancellationToken cancellationToken = default)
    {
        var remaining = overpaid;
        if (!remaining.IsPositive)
            return;
        var appliedBy = await db.PaymentApplications.Where(a => a.InvoiceId == invoice.Id)
            .GroupBy(a => a.PaymentId).Select(g => new { PaymentId = g.Key, Minor = g.Sum(a => a.AmountMinor) })
            .ToListAsync(cancellationToken);
        var ids = appliedBy.Where(a => a.Minor > 0).Select(a => a.PaymentId).ToList();
        var payments = await db.Payments.Include(p => p.Applications).Include(p => p.RefundParts)
            .Where(p => ids.Contains(p.Id) && p.Status == PaymentStatus.Recorded)
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var payment in payments.OrderByDescending(p => p.ReceivedOn).ThenByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id))
        {
            var appliedThere = new Money(payment.Applications.Where(a => a.InvoiceId == invoice.Id).Sum(a => a.AmountMinor), payment.Currency);
            var part = remaining.Min(appliedThere);
            if (!part.IsPositive)
                continue;
            db.PaymentApplications.Add(payment.TakeBack(invoice, part, now));
            Audit.Record(db, organizationId, "payment", payment.Id, "taken_back", actor, now,
                after: new { invoiceId = invoice.Id, amount = part.ToDecimalString(), unapplied = payment.Unapplied.ToDecimalString() });
            remaining -= part;
            if (remaining.IsZero)
                break;
        }

        if (!remaining.IsZero)
            throw new InvalidOperationException($"Invoice {invoice.Id} was paid {overpaid} beyond its credit, but its payments only account for part of it.");
    }

    /// <summary>
    /// A client's account per currency: invoiced, paid, credited, outstanding, unapplied credit and
    /// refunded, computed in the database. Sums are exact at any size (decimal), so a read never
    /// fails on data the server accepted.
    /// </summary>
    public async Task<IReadOnlyList<ClientBalance>> BalanceAsync(Guid clientId, CancellationToken cancellationToken = default)
    {
        if (!await db.Clients.AnyAsync(c => c.Id == clientId, cancellationToken))
            throw EntityNotFound.Of("client", clientId);
        var invoiced = await db.Invoices.Where(i => i.ClientId == clientId && i.Status != InvoiceStatus.Draft)
            .GroupBy(i => i.Currency)
            .Select(g => new { Currency = g.Key, Gross = g.Sum(i => (decimal)i.GrossMinor), Paid = g.Sum(i => (decimal)i.PaidMinor), Credited = g.Sum(i => (decimal)i.CreditedMinor) })
            .ToListAsync(cancellationToken);
        var outstanding = await db.Invoices.Where(i => i.ClientId == clientId).OpenBalances()
            .GroupBy(b => b.Currency).Select(g => new { Currency = g.Key, Minor = g.Sum(b => (decimal)b.Minor) })
            .ToListAsync(cancellationToken);
        var received = await db.Payments.Where(p => p.ClientId == clientId && p.Status == PaymentStatus.Recorded)
            .GroupBy(p => p.Currency).Select(g => new { Currency = g.Key, Minor = g.Sum(p => (decimal)p.AmountMinor) })
            .ToListAsync(cancellationToken);
        var applied = await (from a in db.PaymentApplications
                             join p in db.Payments on a.PaymentId equals p.Id
                             where p.ClientId == clientId && p.Status == PaymentStatus.Recorded
                             group (decimal)a.AmountMinor by p.Currency into g
                             select new { Currency = g.Key, Minor = g.Sum() })
            .ToListAsync(cancellationToken);
        var refunded = await db.Refunds.Where(r => r.ClientId == clientId && r.Status == RefundStatus.Recorded)
            .GroupBy(r => r.Currency).Select(g => new { Currency = g.Key, Minor = g.Sum(r => (decimal)r.AmountMinor) })
            .ToListAsync(cancellationToken);

        return invoiced.Select(i => i.Currency).Union(received.Select(r => r.Currency))
            .OrderBy(c => c.Code, StringComparer.Ordinal)
            .Select(currency =>
            {
                var inv = invoiced.SingleOrDefault(i => i.Currency == currency);
                var moneyIn = received.SingleOrDefault(r => r.Currency == currency)?.Minor ?? 0m;
                var moneyOut = refunded.SingleOrDefault(r => r.Currency == currency)?.Minor ?? 0m;
                var unapplied = moneyIn - (applied.SingleOrDefault(a => a.Currency == currency)?.Minor ?? 0m) - moneyOut;
                return new ClientBalance(
                    new MoneyTotal(inv?.Gross ?? 0m, currency),
                    new MoneyTotal(inv?.Paid ?? 0m, currency),
                    new MoneyTotal(inv?.Credited ?? 0m, currency),
                    new MoneyTotal(outstanding.SingleOrDefault(o => o.Currency == currency)?.Minor ?? 0m, currency),
                    new MoneyTotal(unapplied, currency),
                    new MoneyTotal(moneyOut, currency));
            })
            .ToList();
    }

    /// <summary>Recorded payments that still hold unapplied credit: more was received than was applied and refunded.</summary>
    internal static IQueryable<Payment> HoldingCredit(CairnDb db) =>
        db.Payments.Where(p => p.Status == PaymentStatus.Recorded
            && p.AmountMinor > db.PaymentApplications.Where(a => a.PaymentId == p.Id).Sum(a => a.AmountMinor)
                + db.RefundParts.Where(r => r.PaymentId == p.Id).Sum(r => r.AmountMinor));

    // Payments of the client in the currency that still hold unapplied credit, oldest first, with what they applied and refunded.
    private async Task<List<Payment>> WithCreditAsync(Guid clientId, Currency currency, CancellationToken cancellationToken) =>
        await HoldingCredit(db)
            .Where(p => p.ClientId == clientId && p.Currency == currency)
            .Include(p => p.Applications).Include(p => p.RefundParts)
            .OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id)
            .ToListAsync(cancellationToken);

    // Fault 8: a client's payments per currency stay within a total every read can add up.
    private async Task RequireRoomAsync(Guid clientId, Money amount, CancellationToken cancellationToken)
    {
        var received = await db.Payments.Where(p => p.ClientId == clientId && p.Currency == amount.Currency)
            .SumAsync(p => (decimal)p.AmountMinor, cancellationToken);
        if (received + amount.Minor > Money.MaxClientTotalMinor)
            throw new DomainException(new DomainError(
                "received_total_too_large",
                $"This client's payments in {amount.Currency.Code} would pass {new MoneyTotal(Money.MaxClientTotalMinor, amount.Currency).ToDecimalString()}, the most one client may have recorded in one currency; {Math.Max(0m, Money.MaxClientTotalMinor - received) / amount.Currency.MinorPerMajor} {amount.Currency.Code} more can be recorded.",
                "amount"));
    }

    private async Task<List<Invoice>> NamedInvoicesAsync(Guid clientId, Currency currency, IReadOnlyList<Guid> invoiceIds, CancellationToken cancellationToken)
    {
        var loaded = await db.Invoices.Where(i => invoiceIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, cancellationToken);
        var targets = new List<Invoice>(invoiceIds.Count);
        for (var n = 0; n < invoiceIds.Count; n++)
        {
            var field = $"invoiceIds[{n}]";
            if (!loaded.TryGetValue(invoiceIds[n], out var invoice))
                throw EntityNotFound.Of("invoice", invoiceIds[n], field);
            if (invoice.ClientId != clientId)
                throw new DomainException(new DomainError("invoice_of_another_client", $"Invoice {invoice.Number ?? invoice.Id.ToString()} belongs to another client.", field));
            if (invoice.Currency != currency)
                throw new DomainException(new CurrencyMismatch(invoice.Currency.Code, currency.Code, field));
            if (invoice.Status != InvoiceStatus.Issued)
                throw new DomainException(new InvalidTransition("invoice", invoice.Id, "apply a payment to", invoice.Status.ToString(), "Payments apply to issued invoices with an open balance."));
            targets.Add(invoice);
        }

        return targets;
    }

    private void ApplyInOrder(Payment payment, IEnumerable<Invoice> invoices, Actor actor, DateTimeOffset now)
    {
        foreach (var invoice in invoices)
        {
            var part = payment.Unapplied.Min(invoice.Balance);
            if (part.IsPositive)
                Apply(payment, invoice, part, actor, now);
        }
    }

    private void Apply(Payment payment, Invoice invoice, Money part, Actor actor, DateTimeOffset now)
    {
        var before = invoice.Status;
        db.PaymentApplications.Add(payment.ApplyTo(invoice, part, now));
        Events.InvoiceStatus(db, invoice, before, now);
        Audit.Record(db, payment.OrganizationId, "invoice", invoice.Id, "payment_applied", actor, now,
            after: new { paymentId = payment.Id, amount = part.ToDecimalString(), invoice.Status, paid = invoice.Paid.ToDecimalString(), balance = invoice.Balance.ToDecimalString() });
    }
}

/// <summary>A client's account in one currency.</summary>
/// <param name="Invoiced">Gross of every issued invoice, voided ones included.</param>
/// <param name="Paid">Payments applied to those invoices.</param>
/// <param name="Credited">Credit notes against them.</param>
/// <param name="Outstanding">What is still owed: invoiced − paid − credited.</param>
/// <param name="UnappliedCredit">Money received and not (or no longer) applied to any invoice, nor refunded.</param>
/// <param name="Refunded">Unapplied credit paid back to the client (refunds that stand).</param>
public sealed record ClientBalance(MoneyTotal Invoiced, MoneyTotal Paid, MoneyTotal Credited, MoneyTotal Outstanding, MoneyTotal UnappliedCredit, MoneyTotal Refunded);

/// <summary>
/// Serializes the money movements of one client (payments, credit notes, credit applied on issue)
/// so two concurrent requests never both spend the same balance or credit. PostgreSQL locks the
/// client's row until the transaction ends; SQLite already runs one writing transaction at a time.
/// </summary>
internal static class ClientLedger
{
    public static async Task LockAsync(CairnDb db, Guid clientId, CancellationToken cancellationToken)
    {
        if (db.IsPostgres)
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM clients WHERE id = {clientId} FOR UPDATE", cancellationToken);
    }
}
