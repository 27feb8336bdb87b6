namespace Cairn.Domain;

/// <summary>The lifecycle of a change order (DESIGN.md §2).</summary>
public enum ChangeOrderStatus
{
    Draft,
    Proposed,
    Approved,
    Rejected,
}

/// <summary>What one item of a change order does to the plan.</summary>
public enum ChangeOrderItemKind
{
    /// <summary>Adds a new milestone.</summary>
    Add,

    /// <summary>Changes the terms of a milestone that is not invoiced.</summary>
    Change,

    /// <summary>Cancels a milestone whose work has not been delivered and that is not invoiced.</summary>
    Cancel,
}

/// <summary>
/// A proposed amendment to an active contract. Drafted by the seller, proposed to the client,
/// and on approval applied to the plan in one transaction.
/// </summary>
public sealed class ChangeOrder
{
    private readonly List<ChangeOrderItem> _items = [];

    private ChangeOrder()
    {
    }

    /// <summary>Drafts a change order for an active contract.</summary>
    public ChangeOrder(Guid id, Contract contract, string title, string? reason, IEnumerable<ChangeOrderItem> items, DateTimeOffset now)
    {
        if (contract.Status != ContractStatus.Active)
            throw new DomainException(new InvalidTransition("contract", contract.Id, "draft a change order for", contract.Status.ToString(), "Change orders amend active contracts; edit a draft contract directly."));
        if (string.IsNullOrWhiteSpace(title) || title.Length > 200)
            throw new DomainException(new DomainError("title_required", "A change order needs a title of at most 200 characters.", "title"));
        Id = id;
        OrganizationId = contract.OrganizationId;
        ContractId = contract.Id;
        Title = title.Trim();
        Reason = reason?.Trim() ?? "";
        Status = ChangeOrderStatus.Draft;
        CreatedAt = now;
        var position = 1;
        foreach (var item in items)
        {
            item.Validate(contract.Currency);
            item.Position = position++;
            _items.Add(item);
        }

        if (_items.Count == 0)
            throw new DomainException(new DomainError("items_required", "A change order needs at least one item.", "items"));
        if (_items.Where(i => i.MilestoneId is not null).GroupBy(i => i.MilestoneId).Any(g => g.Count() > 1))
            throw new DomainException(new DomainError("duplicate_item", "A milestone can appear only once in a change order.", "items"));
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid ContractId { get; private set; }

    public string Title { get; private set; } = "";

    public string Reason { get; private set; } = "";

    public ChangeOrderStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ProposedAt { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public string? DecidedBy { get; private set; }

    /// <summary>The contract version this change order produced, once approved.</summary>
    public int? ResultingContractVersion { get; private set; }

    public IReadOnlyList<ChangeOrderItem> Items => _items;

    /// <summary>Draft → Proposed: sent to the client for a decision.</summary>
    public void Propose(DateTimeOffset now)
    {
        Require("propose", ChangeOrderStatus.Draft, "Only a draft change order can be proposed.");
        Status = ChangeOrderStatus.Proposed;
        ProposedAt = now;
    }

    /// <summary>Proposed → Approved: applies every item to the contract at once.</summary>
    public void Approve(Contract contract, PlanBilling billing, Actor by, DateTimeOffset now)
    {
        Require("approve", ChangeOrderStatus.Proposed, "Only a proposed change order can be approved.");
        contract.ApplyChangeOrder(this, billing, by, now);
        Status = ChangeOrderStatus.Approved;
        DecidedAt = now;
        DecidedBy = by.ToString();
        ResultingContractVersion = contract.Version;
    }

    /// <summary>Proposed → Rejected: the contract stays as it is.</summary>
    public void Reject(Actor by, DateTimeOffset now)
    {
        Require("reject", ChangeOrderStatus.Proposed, "Only a proposed change order can be rejected.");
        Status = ChangeOrderStatus.Rejected;
        DecidedAt = now;
        DecidedBy = by.ToString();
    }

    private void Require(string action, ChangeOrderStatus expected, string reason)
    {
        if (Status != expected)
            throw new DomainException(new InvalidTransition("change order", Id, action, Status.ToString(), reason));
    }
}

/// <summary>One amendment of a change order: add a milestone, change one, or cancel one.</summary>
public sealed class ChangeOrderItem
{
    private ChangeOrderItem()
    {
    }

    private ChangeOrderItem(ChangeOrderItemKind kind, Guid? milestoneId, MilestoneTerms? terms)
    {
        Id = Guid.CreateVersion7();
        Kind = kind;
        MilestoneId = milestoneId;
        Terms = terms;
    }

    public Guid Id { get; private set; }

    public Guid ChangeOrderId { get; private set; }

    public int Position { get; internal set; }

    public ChangeOrderItemKind Kind { get; private set; }

    /// <summary>The milestone changed or cancelled; null for an addition.</summary>
    public Guid? MilestoneId { get; private set; }

    /// <summary>The new terms, for additions and changes.</summary>
    public MilestoneTerms? Terms { get; private set; }

    /// <summary>An item adding a milestone.</summary>
    public static ChangeOrderItem Add(MilestoneTerms terms) => new(ChangeOrderItemKind.Add, null, terms);

    /// <summary>An item changing a milestone's terms.</summary>
    public static ChangeOrderItem Change(Guid milestoneId, MilestoneTerms terms) => new(ChangeOrderItemKind.Change, milestoneId, terms);

    /// <summary>An item cancelling a milestone.</summary>
    public static ChangeOrderItem Cancel(Guid milestoneId) => new(ChangeOrderItemKind.Cancel, milestoneId, null);

    internal void Validate(Currency currency)
    {
        if (Kind != ChangeOrderItemKind.Cancel)
            Terms!.Validate(currency);
    }
}

/// <summary>What approving a change order would do: the contract value before and after, and every line of the plan.</summary>
public sealed record ChangeOrderEffect(Money ValueBefore, Money ValueAfter, IReadOnlyList<PlanLineEffect> Lines)
{
    /// <summary>The plan after the change checked against the new value (rule 1): the amounts must add up to it exactly.</summary>
    public PlanCheck Check => PlanCheck.Of(ValueAfter, Lines.Where(l => l.After is not null).Select(l => PlanPart.Fixed(l.After!.Value)));
}

/// <summary>One milestone in a change order's effect; <c>Before</c> is null for an addition, <c>After</c> null for a cancellation.</summary>
public sealed record PlanLineEffect(Guid? MilestoneId, ChangeOrderItemKind? Kind, string Title, Money? Before, Money? After, DateOnly? DueBefore, DateOnly? DueAfter);
