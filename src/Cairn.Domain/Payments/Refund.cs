namespace Cairn.Domain;

/// <summary>The lifecycle of a refund: recorded, or reversed when the money did not leave after all.</summary>
public enum RefundStatus
{
    Recorded,
    Reversed,
}

/// <summary>
/// Money paid back to a client out of its unapplied credit in one currency (money out). It is
/// taken from the credit of one or more payments (<see cref="RefundPart"/>), so for each client and
/// currency money in = applied + unapplied + refunded. Nothing is deleted: reversing a refund
/// records the reversal and gives the credit back to the payments it came from.
/// </summary>
public sealed class Refund
{
    private Refund()
    {
    }

    /// <summary>Records a refund paid to a client.</summary>
    /// <exception cref="DomainException"><c>amount_not_positive</c>, <c>method_required</c> or <c>reference_too_long</c>, naming the field.</exception>
    public Refund(Guid id, Guid organizationId, Guid clientId, Money amount, DateOnly refundedOn, string method, string? reference, DateTimeOffset now)
    {
        if (!amount.IsPositive)
            throw new DomainException(new DomainError("amount_not_positive", "A refund must be for more than zero.", "amount"));
        Id = id;
        OrganizationId = organizationId;
        ClientId = clientId;
        Currency = amount.Currency;
        AmountMinor = amount.Minor;
        RefundedOn = refundedOn;
        Method = MoneyMovement.Method(method, "went out");
        Reference = MoneyMovement.Reference(reference);
        Status = RefundStatus.Recorded;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid ClientId { get; private set; }

    public Currency Currency { get; private set; } = Currency.EUR;

    public long AmountMinor { get; private set; }

    /// <summary>The day the money left, in the organization's calendar.</summary>
    public DateOnly RefundedOn { get; private set; }

    public string Method { get; private set; } = "";

    public string? Reference { get; private set; }

    public RefundStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ReversedAt { get; private set; }

    public string? ReversalReason { get; private set; }

    public Money Amount => new(AmountMinor, Currency);

    /// <summary>
    /// Takes the refund from the payments' unapplied credit, oldest payment first; the payments must
    /// hold at least the refund's amount of credit in its currency.
    /// </summary>
    /// <exception cref="DomainException"><c>exceeds_unapplied</c> naming <c>amount</c> when the client's credit is smaller.</exception>
    public IReadOnlyList<RefundPart> TakeFrom(IReadOnlyList<Payment> withCredit, DateTimeOffset now)
    {
        var available = withCredit.Where(p => p.Currency == Currency).Aggregate(Money.Zero(Currency), (sum, p) => sum + p.Unapplied);
        if (Amount > available)
            throw new DomainException(new DomainError("exceeds_unapplied", $"The client has {available.ToDecimalString()} {Currency.Code} of unapplied credit; a refund of {Amount.ToDecimalString()} would exceed it.", "amount"));
        var parts = new List<RefundPart>();
        var remaining = Amount;
        foreach (var payment in withCredit.Where(p => p.Currency == Currency))
        {
            var part = remaining.Min(payment.Unapplied);
            if (!part.IsPositive)
                continue;
            parts.Add(payment.RefundFrom(this, part, now));
            remaining -= part;
            if (remaining.IsZero)
                break;
        }

        return parts;
    }

    /// <summary>Recorded → Reversed: the money did not leave (e.g. the transfer came back). The credit returns to the payments it came from.</summary>
    /// <exception cref="DomainException"><c>invalid_transition</c> when already reversed; <c>reason_required</c> naming <c>reason</c>.</exception>
    public IReadOnlyList<RefundPart> Reverse(string reason, IReadOnlyList<Payment> from, DateTimeOffset now)
    {
        if (Status != RefundStatus.Recorded)
            throw new DomainException(new InvalidTransition("refund", Id, "reverse", Status.ToString(), "The refund is already reversed."));
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException(new DomainError("reason_required", "Say why the refund is reversed.", "reason"));
        var restored = from.Select(p => p.RestoreRefund(this, now)).OfType<RefundPart>().ToList();
        Status = RefundStatus.Reversed;
        ReversedAt = now;
        ReversalReason = reason.Trim();
        return restored;
    }
}

/// <summary>The part of a refund taken from one payment's credit (positive), or given back when the refund was reversed (negative). Never changed once written.</summary>
public sealed record RefundPart(Guid Id, Guid RefundId, Guid PaymentId, Guid OrganizationId, long AmountMinor, DateTimeOffset At);
