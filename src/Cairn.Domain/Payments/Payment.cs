namespace Cairn.Domain;

/// <summary>The lifecycle of a payment: recorded, or reversed when it bounced.</summary>
public enum PaymentStatus
{
    Recorded,
    Reversed,
}

/// <summary>
/// Money received from a client. It is applied to open invoices of the same client and
/// currency; what is not applied stays as the client's unapplied credit. Nothing is deleted:
/// reversing a payment records the reversal and takes back what it paid.
/// </summary>
public sealed class Payment
{
    private readonly List<PaymentApplication> _applications = [];
    private readonly List<RefundPart> _refundParts = [];

    private Payment()
    {
    }

    /// <summary>Records a payment received from a client.</summary>
    public Payment(Guid id, Guid organizationId, Guid clientId, Money amount, DateOnly receivedOn, string method, string? reference, DateTimeOffset now)
    {
        if (!amount.IsPositive)
            throw new DomainException(new DomainError("amount_not_positive", "A payment must be for more than zero.", "amount"));
        Id = id;
        OrganizationId = organizationId;
        ClientId = clientId;
        Currency = amount.Currency;
        AmountMinor = amount.Minor;
        ReceivedOn = receivedOn;
        Method = MoneyMovement.Method(method, "came in");
        Reference = MoneyMovement.Reference(reference);
        Status = PaymentStatus.Recorded;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid ClientId { get; private set; }

    public Currency Currency { get; private set; } = Currency.EUR;

    public long AmountMinor { get; private set; }

    public DateOnly ReceivedOn { get; private set; }

    public string Method { get; private set; } = "";

    public string? Reference { get; private set; }

    public PaymentStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ReversedAt { get; private set; }

    public string? ReversalReason { get; private set; }

    /// <summary>Applications and their take-backs, in the order they happened.</summary>
    public IReadOnlyList<PaymentApplication> Applications => _applications;

    /// <summary>Parts of refunds paid out of this payment's credit, and their reversals (negative), in the order they happened.</summary>
    public IReadOnlyList<RefundPart> RefundParts => _refundParts;

    public Money Amount => new(AmountMinor, Currency);

    /// <summary>What is applied to invoices right now.</summary>
    public Money Applied => new(_applications.Sum(a => a.AmountMinor), Currency);

    /// <summary>What of this payment was paid back to the client by refunds that stand.</summary>
    public Money Refunded => new(_refundParts.Sum(r => r.AmountMinor), Currency);

    /// <summary>What is left as the client's credit (amount − applied − refunded); zero once reversed.</summary>
    public Money Unapplied => Status == PaymentStatus.Reversed ? Money.Zero(Currency) : Amount - Applied - Refunded;

    /// <summary>Applies part of the payment to an invoice of the same client; never more than is unapplied or owed.</summary>
    public PaymentApplication ApplyTo(Invoice invoice, Money amount, DateTimeOffset now)
    {
        if (Status != PaymentStatus.Recorded)
            throw Invalid("apply", "A reversed payment cannot be applied.");
        if (invoice.ClientId != ClientId)
            throw new DomainException(new DomainError("invoice_of_another_client", $"Invoice {invoice.Number} belongs to another client.", "invoiceIds"));
        if (amount > Unapplied)
            throw new DomainException(new DomainError("exceeds_unapplied", $"Only {Unapplied.ToDecimalString()} {Currency.Code} of this payment is unapplied.", "amount"));
        invoice.ApplyPayment(amount);
        var application = new PaymentApplication(Guid.CreateVersion7(), Id, invoice.Id, OrganizationId, amount.Minor, now);
        _applications.Add(application);
        return application;
    }

    /// <summary>Takes back part of what was applied to an invoice (its credit note went beyond the open balance).</summary>
    public PaymentApplication TakeBack(Invoice invoice, Money amount, DateTimeOffset now)
    {
        if (Status != PaymentStatus.Recorded)
            throw Invalid("take back", "A reversed payment has nothing applied any more.");
        if (amount.Currency != Currency)
            throw new DomainException(new CurrencyMismatch(Currency.Code, amount.Currency.Code, "amount"));
        if (!amount.IsPositive)
            throw new DomainException(new DomainError("amount_not_positive", "An amount taken back must be greater than zero.", "amount"));
        var appliedThere = _applications.Where(a => a.InvoiceId == invoice.Id).Sum(a => a.AmountMinor);
        if (amount.Minor > appliedThere)
            throw new DomainException(new DomainError("exceeds_applied", "Cannot take back more than was applied to the invoice."));
        var takeBack = new PaymentApplication(Guid.CreateVersion7(), Id, invoice.Id, OrganizationId, -amount.Minor, now);
        _applications.Add(takeBack);
        return takeBack;
    }

    /// <summary>Recorded → Reversed: the payment bounced. Every invoice it paid is reopened by what it paid.</summary>
    public IReadOnlyList<PaymentApplication> Reverse(string reason, IReadOnlyDictionary<Guid, Invoice> invoices, DateTimeOffset now)
    {
        if (Status != PaymentStatus.Recorded)
            throw Invalid("reverse", "The payment is already reversed.");
        if (Refunded.IsPositive)
            throw Invalid("reverse", $"{Refunded.ToDecimalString()} {Currency.Code} of this payment was refunded; reverse the refund first.");
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException(new DomainError("reason_required", "Say why the payment is reversed.", "reason"));
        var perInvoice = _applications.GroupBy(a => a.InvoiceId).Select(g => (InvoiceId: g.Key, Minor: g.Sum(a => a.AmountMinor))).Where(x => x.Minor > 0).ToList();
        foreach (var (invoiceId, _) in perInvoice)
        {
            if (!invoices.ContainsKey(invoiceId))
                throw new ArgumentException($"Invoice {invoiceId} paid by this payment was not loaded.", nameof(invoices));
        }

        var takeBacks = new List<PaymentApplication>();
        foreach (var (invoiceId, minor) in perInvoice)
        {
            invoices[invoiceId].UnapplyPayment(new Money(minor, Currency));
            var takeBack = new PaymentApplication(Guid.CreateVersion7(), Id, invoiceId, OrganizationId, -minor, now);
            _applications.Add(takeBack);
            takeBacks.Add(takeBack);
        }

        Status = PaymentStatus.Reversed;
        ReversedAt = now;
        ReversalReason = reason.Trim();
        return takeBacks;
    }

    /// <summary>Pays part of this payment's unapplied credit back to the client, as part of <paramref name="refund"/>.</summary>
    public RefundPart RefundFrom(Refund refund, Money amount, DateTimeOffset now)
    {
        if (Status != PaymentStatus.Recorded)
            throw Invalid("refund", "A reversed payment has no credit to refund.");
        if (amount.Currency != Currency)
            throw new DomainException(new CurrencyMismatch(Currency.Code, amount.Currency.Code, "amount"));
        if (!amount.IsPositive || amount > Unapplied)
            throw new DomainException(new DomainError("exceeds_unapplied", $"Only {Unapplied.ToDecimalString()} {Currency.Code} of this payment is unapplied.", "amount"));
        var part = new RefundPart(Guid.CreateVersion7(), refund.Id, Id, OrganizationId, amount.Minor, now);
        _refundParts.Add(part);
        return part;
    }

    /// <summary>Gives back to this payment's credit what <paramref name="refund"/> took from it (the refund was reversed).</summary>
    public RefundPart? RestoreRefund(Refund refund, DateTimeOffset now)
    {
        var taken = _refundParts.Where(r => r.RefundId == refund.Id).Sum(r => r.AmountMinor);
        if (taken <= 0)
            return null;
        var part = new RefundPart(Guid.CreateVersion7(), refund.Id, Id, OrganizationId, -taken, now);
        _refundParts.Add(part);
        return part;
    }

    private DomainException Invalid(string action, string reason) =>
        new(new InvalidTransition("payment", Id, action, Status.ToString(), reason));
}

/// <summary>The fields payments and refunds share: how the money moved, and the payer's or payee's reference.</summary>
internal static class MoneyMovement
{
    /// <summary>The method, trimmed; 1 to 50 characters.</summary>
    public static string Method(string? method, string moved) =>
        string.IsNullOrWhiteSpace(method) || method.Length > 50
            ? throw new DomainException(new DomainError("method_required", $"Say how the money {moved} (e.g. bank_transfer, card), in at most 50 characters.", "method"))
            : method.Trim();

    /// <summary>The reference, trimmed, or null when blank; at most 200 characters.</summary>
    public static string? Reference(string? reference) =>
        reference is { Length: > 200 }
            ? throw new DomainException(new DomainError("reference_too_long", "A reference is at most 200 characters.", "reference"))
            : string.IsNullOrWhiteSpace(reference) ? null : reference.Trim();
}

/// <summary>Part of a payment applied to an invoice (positive), or taken back from it (negative). Never changed once written.</summary>
public sealed record PaymentApplication(Guid Id, Guid PaymentId, Guid InvoiceId, Guid OrganizationId, long AmountMinor, DateTimeOffset At);
