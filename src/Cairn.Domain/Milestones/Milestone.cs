namespace Cairn.Domain;

/// <summary>The work state of a milestone (DESIGN.md §2).</summary>
public enum MilestoneStatus
{
    Planned,
    InProgress,
    Submitted,
    Approved,
    Disputed,
    Cancelled,
}

/// <summary>What makes a milestone billable.</summary>
public enum BillingTrigger
{
    /// <summary>Billable when the client approves the delivered work (the default).</summary>
    OnApproval,

    /// <summary>A deposit, billable when the contract becomes Active.</summary>
    OnStart,

    /// <summary>An instalment, billable on its billing date.</summary>
    OnDate,
}

/// <summary>The billing state of a milestone, derived from its invoices, never stored (see <see cref="MilestoneBillingState"/>).</summary>
public enum BillingStatus
{
    Unbilled,
    Invoiced,
    PartiallyPaid,
    Paid,
    Credited,

    /// <summary>A milestone worth 0.00 that was never invoiced: a checkpoint, whose approval bills nothing.</summary>
    Checkpoint,
}

/// <summary>
/// One deliverable of a contract with its price (a fixed amount or a percentage of the contract
/// value) and its work state machine.
/// </summary>
public sealed class Milestone
{
    private readonly List<MilestoneEvent> _history = [];

    private Milestone()
    {
    }

    /// <summary>Creates a planned milestone of a contract.</summary>
    public Milestone(Guid id, Contract contract, int position, MilestoneTerms terms)
    {
        Id = id;
        OrganizationId = contract.OrganizationId;
        ContractId = contract.Id;
        Currency = contract.Currency;
        Position = position;
        Status = MilestoneStatus.Planned;
        Apply(terms);
        DateRevision = 0;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid ContractId { get; private set; }

    /// <summary>Order within the plan, starting at 1; ties of the allocation go to the lower position.</summary>
    public int Position { get; internal set; }

    public string Title { get; private set; } = "";

    public string Deliverable { get; private set; } = "";

    public string AcceptanceCriteria { get; private set; } = "";

    public DateOnly? DueDate { get; private set; }

    public Currency Currency { get; private set; } = Currency.EUR;

    /// <summary>The fixed price in minor units, when the milestone is priced by amount.</summary>
    public long? FixedAmountMinor { get; private set; }

    /// <summary>The share of the contract value, when the milestone is priced by percentage.</summary>
    public int? PercentageBasisPoints { get; private set; }

    /// <summary>The milestone's amount in minor units: fixed, or allocated from the contract value.</summary>
    public long AmountMinor { get; internal set; }

    public BillingTrigger Trigger { get; private set; }

    /// <summary>
    /// An <see cref="BillingTrigger.OnStart"/> deposit that prepays the whole contract instead of being a
    /// share of its plan: its amount (fixed, or a percentage of the contract value) stands outside the
    /// plan, it is invoiced as a prepayment invoice (UNTDID 1001 type 386), and later invoices deduct it.
    /// </summary>
    public bool Prepayment { get; private set; }

    /// <summary>The milestone's own tax category, when it overrides the contract's default.</summary>
    public TaxCategory? TaxCategory { get; private set; }

    /// <summary>The milestone's own tax rate in parts per million, when it overrides the contract's default.</summary>
    public int? TaxRatePerMillion { get; private set; }

    /// <summary>The VATEX code of the milestone's own exemption.</summary>
    public string? TaxExemptionCode { get; private set; }

    /// <summary>The text of the milestone's own exemption.</summary>
    public string? TaxExemptionReason { get; private set; }

    /// <summary>How this milestone is taxed when it differs from its contract; null: the contract's default.</summary>
    public TaxTreatment? TaxOverride
    {
        get => TaxCategory is { } category ? TaxTreatment.Of(category, new TaxRate(TaxRatePerMillion ?? 0), TaxExemptionCode, TaxExemptionReason) : null;
        internal set
        {
            TaxCategory = value?.Category;
            TaxRatePerMillion = value?.Rate.PerMillion;
            TaxExemptionCode = value?.ExemptionCode;
            TaxExemptionReason = value?.ExemptionReason;
        }
    }

    /// <summary>For <see cref="BillingTrigger.OnDate"/>: the day the instalment becomes billable.</summary>
    public DateOnly? BillingDate { get; private set; }

    public MilestoneStatus Status { get; private set; }

    public DateTimeOffset? SubmittedAt { get; private set; }

    public DateTimeOffset? ApprovedAt { get; private set; }

    /// <summary>Who approved: a contact, a user, or <c>system</c> when the approval window ran out.</summary>
    public string? ApprovedBy { get; private set; }

    /// <summary>Version for optimistic concurrency, surfaced as the ETag.</summary>
    public int Version { get; private set; } = 1;

    /// <summary>
    /// How many times the due date or billing date changed: the iCalendar <c>SEQUENCE</c> (RFC 5545 §3.8.7.4)
    /// of the milestone's calendar events, so a subscribed calendar replaces its copy instead of keeping the old date.
    /// </summary>
    public int DateRevision { get; private set; }

    /// <summary>The milestone's history: submissions, requests for changes, disputes, approvals.</summary>
    public IReadOnlyList<MilestoneEvent> History => _history;

    public Money Amount => new(AmountMinor, Currency);

    public Percentage? Percentage => PercentageBasisPoints is { } bp ? Domain.Percentage.FromBasisPoints(bp) : null;

    /// <summary>The milestone's current terms, the starting point for changing some of them.</summary>
    public MilestoneTerms Terms => new(Title, Deliverable, AcceptanceCriteria, DueDate, FixedAmountMinor is { } f ? new Money(f, Currency) : null, Percentage, Trigger, BillingDate, Prepayment);

    /// <summary>Replaces the terms; allowed while the contract is a draft or through a change order.</summary>
    internal void Apply(MilestoneTerms terms)
    {
        terms.Validate(Currency);
        if (terms.DueDate != DueDate || terms.BillingDate != BillingDate)
            DateRevision++;
        Title = terms.Title.Trim();
        Deliverable = terms.Deliverable?.Trim() ?? "";
        AcceptanceCriteria = terms.AcceptanceCriteria?.Trim() ?? "";
        DueDate = terms.DueDate;
        FixedAmountMinor = terms.FixedAmount?.Minor;
        PercentageBasisPoints = terms.Percentage?.BasisPoints;
        if (terms.FixedAmount is { } fixedAmount)
            AmountMinor = fixedAmount.Minor;
        Trigger = terms.Trigger;
        BillingDate = terms.BillingDate;
        Prepayment = terms.Prepayment;
        Version++;
    }

    /// <summary>Turns a percentage price into the fixed amount it currently comes to.</summary>
    internal void FreezeAmount()
    {
        FixedAmountMinor = AmountMinor;
        PercentageBasisPoints = null;
    }

    /// <summary>Planned → InProgress: work has begun.</summary>
    public MilestoneEvent Start(Actor by, DateTimeOffset now)
    {
        Require("start", MilestoneStatus.Planned, "Only a planned milestone can be started.");
        return Move(MilestoneStatus.InProgress, MilestoneEventKind.Started, by, now);
    }

    /// <summary>InProgress → Submitted: the work is delivered for the client's review, with a note and links.</summary>
    public MilestoneEvent Submit(string note, IReadOnlyList<string> links, Actor by, DateTimeOffset now)
    {
        Require("submit", MilestoneStatus.InProgress, "Only work in progress can be submitted; start the milestone first.");
        if (string.IsNullOrWhiteSpace(note))
            throw new DomainException(new DomainError("note_required", "A submission needs a note telling the client what was delivered.", "note"));
        if (note.Trim().Length > MaxNoteLength)
            throw new DomainException(new DomainError("note_too_long", $"A submission note is at most {MaxNoteLength} characters.", "note"));
        CheckLinks(links);
        SubmittedAt = now;
        return Move(MilestoneStatus.Submitted, MilestoneEventKind.Submitted, by, now, note.Trim(), links);
    }

    /// <summary>Submitted → Approved by the client (or Cairn when the approval window ran out).</summary>
    public MilestoneEvent Approve(Actor by, DateTimeOffset now)
    {
        Require("approve", MilestoneStatus.Submitted, Status == MilestoneStatus.Approved
            ? "It is already approved."
            : "Only submitted work can be approved.");
        ApprovedAt = now;
        ApprovedBy = by.ToString();
        var kind = by.Kind == ActorKind.System ? MilestoneEventKind.AutoApproved : MilestoneEventKind.Approved;
        return Move(MilestoneStatus.Approved, kind, by, now);
    }

    /// <summary>Submitted → InProgress: the client asks for changes, giving a reason.</summary>
    public MilestoneEvent RequestChanges(string reason, Actor by, DateTimeOffset now)
    {
        Require("request changes to", MilestoneStatus.Submitted, "Changes can only be requested on submitted work.");
        RequireReason(reason);
        return Move(MilestoneStatus.InProgress, MilestoneEventKind.ChangesRequested, by, now, reason.Trim());
    }

    /// <summary>Submitted or Approved (invoiced) → Disputed: the client disputes the work, giving a reason.</summary>
    public MilestoneEvent Dispute(string reason, Actor by, DateTimeOffset now)
    {
        if (Status is not (MilestoneStatus.Submitted or MilestoneStatus.Approved))
            throw Invalid("dispute", "Only submitted or approved work can be disputed.");
        RequireReason(reason);
        return Move(MilestoneStatus.Disputed, MilestoneEventKind.Disputed, by, now, reason.Trim());
    }

    /// <summary>Disputed → Approved (accepted or settled) or InProgress (rework).</summary>
    public MilestoneEvent ResolveDispute(DisputeOutcome outcome, string note, Actor by, DateTimeOffset now)
    {
        Require("resolve the dispute of", MilestoneStatus.Disputed, "Only a disputed milestone can be resolved.");
        if (outcome == DisputeOutcome.Rework)
        {
            ApprovedAt = null;
            ApprovedBy = null;
            return Move(MilestoneStatus.InProgress, MilestoneEventKind.DisputeResolved, by, now, note);
        }

        ApprovedAt ??= now;
        ApprovedBy ??= by.ToString();
        return Move(MilestoneStatus.Approved, MilestoneEventKind.DisputeResolved, by, now, note);
    }

    /// <summary>
    /// → Cancelled, through an approved change order: work not delivered and never invoiced, or
    /// any work state once its invoice was credited in full (<see cref="MilestoneBillingState{TInvoice}.MayBeCancelled"/>).
    /// </summary>
    internal MilestoneEvent Cancel(MilestoneBillingState billing, Actor by, DateTimeOffset now)
    {
        billing.RequireChangeOrderItem(ChangeOrderItemKind.Cancel);
        return Move(MilestoneStatus.Cancelled, MilestoneEventKind.Cancelled, by, now);
    }

    /// <summary>Whether the milestone should be invoiced now, given its contract's state and today's date.</summary>
    public bool IsBillable(ContractStatus contractStatus, DateOnly today) =>
        Status != MilestoneStatus.Cancelled && contractStatus is ContractStatus.Active or ContractStatus.Completed && Trigger switch
        {
            BillingTrigger.OnApproval => Status == MilestoneStatus.Approved,
            BillingTrigger.OnStart => true,
            BillingTrigger.OnDate => BillingDate is { } date && date <= today,
            _ => false,
        };

    /// <summary>The most deliverable links one submission carries.</summary>
    public const int MaxLinks = 20;

    /// <summary>The longest submission note, reason or link.</summary>
    public const int MaxNoteLength = 2000;

    // Links are shown to the client as clickable: only absolute web addresses, never javascript: or file: ones.
    private static void CheckLinks(IReadOnlyList<string> links)
    {
        if (links.Count > MaxLinks)
            throw new DomainException(new DomainError("too_many_links", $"A submission carries at most {MaxLinks} deliverable links; it has {links.Count}.", "links"));
        for (var i = 0; i < links.Count; i++)
        {
            var link = links[i];
            if (string.IsNullOrWhiteSpace(link) || link.Length > MaxNoteLength
                || !Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
                throw new DomainException(new DomainError("invalid_link", $"Deliverable link {i + 1} is not an absolute http or https address, e.g. https://files.example.com/design.pdf.", $"links[{i}]"));
        }
    }

    private void Require(string action, MilestoneStatus expected, string reason)
    {
        if (Status != expected)
            throw Invalid(action, reason);
    }

    private DomainException Invalid(string action, string reason) =>
        new(new InvalidTransition("milestone", Id, action, Status.ToString(), reason));

    private static void RequireReason(string reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException(new DomainError("reason_required", "Say why: a reason is required.", "reason"));
        if (reason.Trim().Length > MaxNoteLength)
            throw new DomainException(new DomainError("reason_too_long", $"A reason is at most {MaxNoteLength} characters.", "reason"));
    }

    private MilestoneEvent Move(MilestoneStatus to, MilestoneEventKind kind, Actor by, DateTimeOffset now, string? note = null, IReadOnlyList<string>? links = null)
    {
        var from = Status;
        Status = to;
        Version++;
        var entry = new MilestoneEvent(Guid.CreateVersion7(), Id, OrganizationId, kind, from, to, note, links ?? [], by.ToString(), now);
        _history.Add(entry);
        return entry;
    }
}

/// <summary>The negotiable terms of a milestone: what is delivered, when, and for how much.</summary>
public sealed record MilestoneTerms(
    string Title,
    string? Deliverable,
    string? AcceptanceCriteria,
    DateOnly? DueDate,
    Money? FixedAmount,
    Percentage? Percentage,
    BillingTrigger Trigger = BillingTrigger.OnApproval,
    DateOnly? BillingDate = null,
    bool Prepayment = false)
{
    /// <summary>Checks the terms make sense on their own, in the contract's currency.</summary>
    public void Validate(Currency currency)
    {
        if (string.IsNullOrWhiteSpace(Title))
            throw new DomainException(new DomainError("title_required", "A milestone needs a title.", "title"));
        if (Title.Trim().Length > 200)
            throw new DomainException(new DomainError("title_too_long", "A milestone title is at most 200 characters.", "title"));
        if (FixedAmount is null == Percentage is null)
            throw new DomainException(new DomainError("price_required", "A milestone is priced by exactly one of amount or percentage.", "amount"));
        if (FixedAmount is { } amount)
        {
            if (amount.Currency != currency)
                throw new DomainException(new CurrencyMismatch(currency.Code, amount.Currency.Code, "amount"));
            if (amount.IsNegative)
                throw new DomainException(new DomainError("amount_negative", "A milestone amount cannot be negative.", "amount"));
        }

        if (Trigger == BillingTrigger.OnDate && BillingDate is null)
            throw new DomainException(new DomainError("billing_date_required", "A milestone billed on a date needs its billingDate.", "billingDate"));
        if (Trigger != BillingTrigger.OnDate && BillingDate is not null)
            throw new DomainException(new DomainError("billing_date_unexpected", "Only milestones with the on_date trigger have a billingDate.", "billingDate"));
        if (Prepayment && Trigger != BillingTrigger.OnStart)
            throw new DomainException(new DomainError("prepayment_needs_on_start", "A prepayment is a deposit billed when the contract starts: its trigger is on_start.", "prepayment"));
    }
}

/// <summary>What happened to a milestone.</summary>
public enum MilestoneEventKind
{
    Started,
    Submitted,
    Approved,
    AutoApproved,
    ChangesRequested,
    Disputed,
    DisputeResolved,
    Cancelled,
    Changed,
}

/// <summary>One entry of a milestone's history; never changed once written.</summary>
public sealed record MilestoneEvent(
    Guid Id,
    Guid MilestoneId,
    Guid OrganizationId,
    MilestoneEventKind Kind,
    MilestoneStatus From,
    MilestoneStatus To,
    string? Note,
    IReadOnlyList<string> Links,
    string Actor,
    DateTimeOffset At);
