namespace Cairn.Domain;

/// <summary>The lifecycle of a dispute.</summary>
public enum DisputeStatus
{
    Open,
    Resolved,
}

/// <summary>How a dispute ended.</summary>
public enum DisputeOutcome
{
    /// <summary>The work is accepted as delivered: the milestone is approved.</summary>
    Accepted,

    /// <summary>The work goes back for rework: the milestone returns to InProgress.</summary>
    Rework,

    /// <summary>Settled with a credit note of an agreed amount; the milestone is approved.</summary>
    Settled,
}

/// <summary>A client's objection to a submitted or invoiced milestone, with a reason.</summary>
public sealed class Dispute
{
    private Dispute()
    {
    }

    /// <summary>Opens a dispute on a milestone (and its invoice, when it has one).</summary>
    public Dispute(Guid id, Milestone milestone, Guid? invoiceId, string reason, Actor by, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException(new DomainError("reason_required", "Say why: a reason is required.", "reason"));
        if (reason.Length > 2000)
            throw new DomainException(new DomainError("reason_too_long", "A reason is at most 2000 characters.", "reason"));
        Id = id;
        OrganizationId = milestone.OrganizationId;
        ContractId = milestone.ContractId;
        MilestoneId = milestone.Id;
        InvoiceId = invoiceId;
        Reason = reason.Trim();
        Status = DisputeStatus.Open;
        OpenedBy = by.ToString();
        OpenedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid ContractId { get; private set; }

    public Guid MilestoneId { get; private set; }

    public Guid? InvoiceId { get; private set; }

    public string Reason { get; private set; } = "";

    public DisputeStatus Status { get; private set; }

    public DisputeOutcome? Outcome { get; private set; }

    /// <summary>The agreed credit, in minor units, for a settled dispute.</summary>
    public long? SettlementMinor { get; private set; }

    public string? ResolutionNote { get; private set; }

    public string OpenedBy { get; private set; } = "";

    public DateTimeOffset OpenedAt { get; private set; }

    public string? ResolvedBy { get; private set; }

    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>Open → Resolved with an outcome; a settlement names the agreed credit amount.</summary>
    public void Resolve(DisputeOutcome outcome, Money? settlement, string? note, Actor by, DateTimeOffset now)
    {
        if (Status != DisputeStatus.Open)
            throw new DomainException(new InvalidTransition("dispute", Id, "resolve", Status.ToString(), "The dispute is already resolved."));
        if (outcome == DisputeOutcome.Settled && settlement is not { IsPositive: true })
            throw new DomainException(new DomainError("settlement_required", "A settlement needs the agreed credit amount, greater than zero.", "settlement"));
        if (outcome != DisputeOutcome.Settled && settlement is not null)
            throw new DomainException(new DomainError("settlement_unexpected", "Only a settled dispute has a settlement amount.", "settlement"));
        if (outcome == DisputeOutcome.Rework && InvoiceId is not null)
            throw new DomainException(new DomainError("rework_of_invoiced", "Invoiced work cannot go back to rework; settle it with a credit note or accept it.", "outcome"));
        Status = DisputeStatus.Resolved;
        Outcome = outcome;
        SettlementMinor = settlement?.Minor;
        ResolutionNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        ResolvedBy = by.ToString();
        ResolvedAt = now;
    }
}
