using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Billing;

/// <summary>
/// Money received from clients: recorded, applied to open invoices (oldest due first unless the
/// payer named them), what is left kept as the client's unapplied credit and used on invoices
/// issued later, and reversed when it bounces. Every step keeps rule 5: applied payments never
/// exceed an invoice's total, and money in = applied + unapplied.
/// </summary>
public sealed class Payments(CairnDb db, TimeProvider clock)
{
    /// <summary>Records a payment and applies it: to <paramref name="invoiceIds"/> in that order when given, else to the client's oldest open invoices in its currency, skipping disputed ones.</summary>
    public async Task<Payment> RecordAsync(Guid organizationId, Guid clientId, Money amount, DateOnly receivedOn, string method, string? reference, IReadOnlyList<Guid>? invoiceIds, Actor actor, CancellationToken cancellationToken = default)
    {
        if (!await db.Clients.AnyAsync(c => c.Id == clientId, cancellationToken))
            throw EntityNotFound.Of("client", clientId, "clientId");
        if (invoiceIds is not null && invoiceIds.Distinct().Count() != invoiceIds.Count)
            throw new DomainException(new DomainError("duplicate_invoice", "An invoice can be named only once.", "invoiceIds"));
        await ClientLedger.LockAsync(db, clientId, cancellationToken);

        var now = clock.GetUtcNow();
        var payment = new Payment(Guid.CreateVersion7(), organizationId, clientId, amount, receivedOn, method, reference, now);
        db.Payments.Add(payment);
        var targets = invoiceIds is { Count: > 0 }
            ? await NamedInvoicesAsync(clientId, amount.Currency, invoiceIds, cancellationToken)
            : await db.Invoices
                .Where(i => i.ClientId == clientId && i.Status == InvoiceStatus.Issued && !i.Disputed && i.Currency == amount.Currency)
                .OrderBy(i => i.DueDate).ThenBy(i => i.Series).ThenBy(i => i.Sequence)
                .ToListAsync(cancellationToken);

        Audit.Record(db, organizationId, "payment", payment.Id, "recorded", actor, now, after: new { amount = payment.Amount.ToDecimalString(), currency = payment.Currency.Code, payment.ReceivedOn, payment.Method, payment.Reference });
        ApplyInOrder(payment, targets, actor, now);
        return payment;
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
        return await db.Payments
            .Where(p => p.ClientId == invoice.ClientId && p.Status == PaymentStatus.Recorded && p.Currency == invoice.Currency
                && p.AmountMinor > db.PaymentApplications.Where(a => a.PaymentId == p.Id).Sum(a => a.AmountMinor))
            .Include(p => p.Applications)
            .OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id)
            .ToListAsync(cancellationToken);
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
        var payment = await db.Payments.Include(p => p.Applications).SingleAsync(p => p.Id == paymentId, cancellationToken);
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
        var payments = await db.Payments.Include(p => p.Applications)
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

    /// <summary>A client's account per currency: invoiced, paid, credited, outstanding and unapplied credit, computed in the database.</summary>
    public async Task<IReadOnlyList<ClientBalance>> BalanceAsync(Guid clientId, CancellationToken cancellationToken = default)
    {
        if (!await db.Clients.AnyAsync(c => c.Id == clientId, cancellationToken))
            throw EntityNotFound.Of("client", clientId);
        var invoiced = await db.Invoices.Where(i => i.ClientId == clientId && i.Status != InvoiceStatus.Draft)
            .GroupBy(i => i.Currency)
            .Select(g => new
            {
                Currency = g.Key,
                Gross = g.Sum(i => i.GrossMinor),
                Paid = g.Sum(i => i.PaidMinor),
                Credited = g.Sum(i => i.CreditedMinor),
                Outstanding = g.Sum(i => i.Status == InvoiceStatus.Issued ? i.GrossMinor - i.PaidMinor - i.CreditedMinor : 0),
            })
            .ToListAsync(cancellationToken);
        var received = await db.Payments.Where(p => p.ClientId == clientId && p.Status == PaymentStatus.Recorded)
            .GroupBy(p => p.Currency).Select(g => new { Currency = g.Key, Minor = g.Sum(p => p.AmountMinor) })
            .ToListAsync(cancellationToken);
        var applied = await (from a in db.PaymentApplications
                             join p in db.Payments on a.PaymentId equals p.Id
                             where p.ClientId == clientId && p.Status == PaymentStatus.Recorded
                             group a.AmountMinor by p.Currency into g
                             select new { Currency = g.Key, Minor = g.Sum() })
            .ToListAsync(cancellationToken);

        return invoiced.Select(i => i.Currency).Union(received.Select(r => r.Currency))
            .OrderBy(c => c.Code, StringComparer.Ordinal)
            .Select(currency =>
            {
                var inv = invoiced.SingleOrDefault(i => i.Currency == currency);
                var unapplied = (received.SingleOrDefault(r => r.Currency == currency)?.Minor ?? 0) - (applied.SingleOrDefault(a => a.Currency == currency)?.Minor ?? 0);
                return new ClientBalance(
                    new Money(inv?.Gross ?? 0, currency),
                    new Money(inv?.Paid ?? 0, currency),
                    new Money(inv?.Credited ?? 0, currency),
                    new Money(inv?.Outstanding ?? 0, currency),
                    new Money(unapplied, currency));
            })
            .ToList();
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
            if (!part.IsPositive)
                continue;
            db.PaymentApplications.Add(payment.ApplyTo(invoice, part, now));
            Audit.Record(db, payment.OrganizationId, "invoice", invoice.Id, "payment_applied", actor, now,
                after: new { paymentId = payment.Id, amount = part.ToDecimalString(), invoice.Status, paid = invoice.Paid.ToDecimalString(), balance = invoice.Balance.ToDecimalString() });
        }
    }
}

/// <summary>A client's account in one currency.</summary>
/// <param name="Invoiced">Gross of every issued invoice, voided ones included.</param>
/// <param name="Paid">Payments applied to those invoices.</param>
/// <param name="Credited">Credit notes against them.</param>
/// <param name="Outstanding">What is still owed: invoiced − paid − credited.</param>
/// <param name="UnappliedCredit">Money received and not (or no longer) applied to any invoice.</param>
public sealed record ClientBalance(Money Invoiced, Money Paid, Money Credited, Money Outstanding, Money UnappliedCredit);

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
