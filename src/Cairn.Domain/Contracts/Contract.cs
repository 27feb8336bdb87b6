namespace Cairn.Domain;

/// <summary>The lifecycle of a contract (DESIGN.md §2).</summary>
public enum ContractStatus
{
    Draft,

    /// <summary>Sent to a client contact, waiting for their acceptance (see <see cref="Proposal"/>).</summary>
    Proposed,
    Active,
    Completed,
    Cancelled,
}

/// <summary>
/// A fixed-price agreement with a client, split into an ordered plan of milestones. The plan is
/// freely editable while Draft; a change while Proposed withdraws the proposal (the contract is a
/// draft again and needs a new one); once Active it changes only through change orders.
/// </summary>
public sealed class Contract
{
    private readonly List<Milestone> _milestones = [];

    private Contract()
    {
    }

    /// <summary>Creates a draft contract with an empty plan, taxed at <paramref name="taxRate"/> (category S, or E with the reason at 0%).</summary>
    public Contract(Guid id, Guid organizationId, Guid clientId, string title, Money value, TaxRate taxRate, int paymentTermsDays, DateTimeOffset now, string? taxExemptionReason = null)
        : this(id, organizationId, clientId, title, value, TaxTreatment.Of(null, taxRate, null, taxExemptionReason), paymentTermsDays, now)
    {
    }

    /// <summary>Creates a draft contract with an empty plan and its default tax treatment.</summary>
    public Contract(Guid id, Guid organizationId, Guid clientId, string title, Money value, TaxTreatment tax, int paymentTermsDays, DateTimeOffset now)
    {
        Id = id;
        OrganizationId = organizationId;
        ClientId = clientId;
        Currency = value.Currency;
        Status = ContractStatus.Draft;
        CreatedAt = now;
        SetTerms(title, value, tax, paymentTermsDays, null);
        Version = 1;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid ClientId { get; private set; }

    public string Title { get; private set; } = "";

    public Currency Currency { get; private set; } = Currency.EUR;

    /// <summary>The contract value in minor units.</summary>
    public long ValueMinor { get; private set; }

    /// <summary>The default tax category of the contract's lines (UNCL5305).</summary>
    public TaxCategory TaxCategory { get; private set; }

    /// <summary>The default tax rate in parts per million (20% = 200000).</summary>
    public int TaxRatePerMillion { get; private set; }

    /// <summary>The VATEX code of the exemption, when the category is not taxed.</summary>
    public string? TaxExemptionCode { get; private set; }

    /// <summary>Why no tax is charged (e.g. reverse charge), required when the tax rate is 0.</summary>
    public string? TaxExemptionReason { get; private set; }

    public int PaymentTermsDays { get; private set; }

    /// <summary>The buyer's reference for its invoices (EN 16931 BT-10), e.g. a German Leitweg-ID.</summary>
    public string? BuyerReference { get; private set; }

    /// <summary>The buyer's purchase order reference (EN 16931 BT-13).</summary>
    public string? PurchaseOrderReference { get; private set; }

    /// <summary>Days a submission may wait for the client before Cairn approves it; null: never.</summary>
    public int? ApprovalWindowDays { get; private set; }

    public ContractStatus Status { get; private set; }

    /// <summary>Increases on every change; change orders make a new version of the agreement.</summary>
    public int Version { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ActivatedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>The proposal waiting for the client's answer while Proposed; null otherwise.</summary>
    public Guid? PendingProposalId { get; private set; }

    public Money Value => new(ValueMinor, Currency);

    public TaxRate TaxRate => new(TaxRatePerMillion);

    /// <summary>The default tax treatment of the contract's milestones.</summary>
    public TaxTreatment Tax => TaxTreatment.Of(TaxCategory, TaxRate, TaxExemptionCode, TaxExemptionReason);

    /// <summary>How a milestone of this contract is taxed: its own override, else the contract's default.</summary>
    public TaxTreatment TaxFor(Milestone milestone) => milestone.TaxOverride ?? Tax;

    /// <summary>The plan, ordered by position.</summary>
    public IReadOnlyList<Milestone> Milestones => _milestones;

    /// <summary>The deposit that prepays the whole contract (<see cref="Milestone.Prepayment"/>), outside the plan; null when there is none.</summary>
    public Milestone? PrepaymentMilestone => _milestones.FirstOrDefault(m => m.Prepayment && m.Status != MilestoneStatus.Cancelled);

    /// <summary>Changes the commercial terms, taxed at <paramref name="taxRate"/> (category S, or E with the reason at 0%); only while Draft.</summary>
    public void SetTerms(string title, Money value, TaxRate taxRate, string? taxExemptionReason, int paymentTermsDays, int? approvalWindowDays) =>
        SetTerms(title, value, TaxTreatment.Of(null, taxRate, null, taxExemptionReason), paymentTermsDays, approvalWindowDays);

    /// <summary>Changes the commercial terms; only while Draft.</summary>
    public void SetTerms(string title, Money value, TaxTreatment tax, int paymentTermsDays, int? approvalWindowDays)
    {
        ArgumentNullException.ThrowIfNull(tax);
        RequireDraft("edit");
        if (string.IsNullOrWhiteSpace(title))
            throw new DomainException(new DomainError("title_required", "A contract needs a title.", "title"));
        if (title.Trim().Length > 200)
            throw new DomainException(new DomainError("title_too_long", "A contract title is at most 200 characters.", "title"));
        if (value.Currency != Currency)
            throw new DomainException(new DomainError("currency_fixed", $"The contract is in {Currency.Code}; its currency cannot change.", "value.currency"));
        if (!value.IsPositive)
            throw new DomainException(new DomainError("value_not_positive", "The contract value must be greater than zero.", "value"));
        if (paymentTermsDays is < 0 or > 365)
            throw new DomainException(new DomainError("payment_terms_out_of_range", "Payment terms are between 0 and 365 days.", "paymentTermsDays"));
        if (approvalWindowDays is < 1 or > 365)
            throw new DomainException(new DomainError("approval_window_out_of_range", "The approval window is between 1 and 365 days, or null for none.", "approvalWindowDays"));
        Title = title.Trim();
        ValueMinor = value.Minor;
        TaxCategory = tax.Category;
        TaxRatePerMillion = tax.Rate.PerMillion;
        TaxExemptionCode = tax.ExemptionCode;
        TaxExemptionReason = tax.ExemptionReason;
        PaymentTermsDays = paymentTermsDays;
        ApprovalWindowDays = approvalWindowDays;
        Reallocate();
        Edited();
    }

    /// <summary>
    /// Sets the buyer and purchase-order references printed on the invoices created from now on
    /// (issued invoices keep theirs); while Draft or Active.
    /// </summary>
    /// <exception cref="DomainException"><c>reference_too_long</c> over 200 characters; <c>invalid_transition</c> once closed.</exception>
    public void SetReferences(string? buyerReference, string? purchaseOrderReference)
    {
        if (Status is not (ContractStatus.Draft or ContractStatus.Proposed or ContractStatus.Active))
            throw Invalid("change the references of", "Only a draft, proposed or active contract has invoices still to come.");
        foreach (var (value, field) in new[] { (buyerReference, "buyerReference"), (purchaseOrderReference, "purchaseOrderReference") })
        {
            if (value?.Trim().Length > 200)
                throw new DomainException(new DomainError("reference_too_long", "A reference is at most 200 characters.", field));
        }

        BuyerReference = string.IsNullOrWhiteSpace(buyerReference) ? null : buyerReference.Trim();
        PurchaseOrderReference = string.IsNullOrWhiteSpace(purchaseOrderReference) ? null : purchaseOrderReference.Trim();
        Version++;
    }

    /// <summary>Adds a milestone at the end of the plan; only while Draft.</summary>
    public Milestone AddMilestone(Guid id, MilestoneTerms terms)
    {
        RequireDraft("add a milestone to");
        RequireOnePrepayment(null, terms);
        var milestone = new Milestone(id, this, _milestones.Count + 1, terms);
        _milestones.Add(milestone);
        Reallocate();
        Edited();
        return milestone;
    }

    /// <summary>Changes a milestone's terms; only while Draft.</summary>
    public void ChangeMilestone(Guid milestoneId, MilestoneTerms terms)
    {
        RequireDraft("change a milestone of");
        RequireOnePrepayment(milestoneId, terms);
        Find(milestoneId).Apply(terms);
        Reallocate();
        Edited();
    }

    /// <summary>Gives a milestone its own tax treatment, or (null) the contract's default back; only while Draft.</summary>
    public void SetMilestoneTax(Guid milestoneId, TaxTreatment? tax)
    {
        RequireDraft("change a milestone of");
        Find(milestoneId).TaxOverride = tax;
        Edited();
    }

    /// <summary>Takes a milestone out of the plan; only while Draft (afterwards, a change order cancels it).</summary>
    public void RemoveMilestone(Guid milestoneId)
    {
        RequireDraft("remove a milestone from");
        _milestones.Remove(Find(milestoneId));
        var position = 1;
        foreach (var m in _milestones.OrderBy(m => m.Position))
            m.Position = position++;
        Reallocate();
        Edited();
    }

    /// <summary>Whether the plan adds up to the contract value, and by how much it is off.</summary>
    /// <remarks>A prepayment (<see cref="Milestone.Prepayment"/>) is not part of the plan: later invoices deduct it.</remarks>
    public PlanCheck CheckPlan() => CheckPlan(_milestones);

    /// <summary>
    /// <see cref="CheckPlan()"/> of this contract read without its plan attached, given its milestones
    /// (a read-only view that loads them alongside the contract in one query).
    /// </summary>
    /// <exception cref="ArgumentException">A milestone belongs to another contract.</exception>
    public PlanCheck CheckPlan(IEnumerable<Milestone> plan)
    {
        var milestones = plan.ToList();
        if (milestones.Any(m => m.ContractId != Id))
            throw new ArgumentException("Every milestone must belong to the contract.", nameof(plan));
        return PlanCheck.Of(Value, milestones.Where(m => m.Status != MilestoneStatus.Cancelled && !m.Prepayment).Select(m => m.FixedAmountMinor is { } f ? PlanPart.Fixed(new Money(f, Currency)) : PlanPart.Percent(m.Percentage!.Value)));
    }

    /// <summary>
    /// Draft → Proposed: the plan is sent to the client for acceptance as <paramref name="proposalId"/>.
    /// The plan must add up exactly, as for activation.
    /// </summary>
    /// <exception cref="DomainException"><c>invalid_transition</c> unless Draft; <c>plan_does_not_add_up</c>.</exception>
    public void Propose(Guid proposalId, DateTimeOffset now)
    {
        if (Status != ContractStatus.Draft)
            throw Invalid("propose", "Only a draft contract is proposed to the client.");
        RequirePlanAddsUp();
        Status = ContractStatus.Proposed;
        PendingProposalId = proposalId;
        Version++;
    }

    /// <summary>Proposed → Draft: the client declined the proposal or asked for changes; staff revise it and propose again.</summary>
    /// <exception cref="DomainException"><c>proposal_superseded</c> when <paramref name="proposalId"/> is not the pending proposal (withdrawn or replaced).</exception>
    public void ReturnToDraft(Guid proposalId)
    {
        RequirePending(proposalId);
        Status = ContractStatus.Draft;
        PendingProposalId = null;
        Version++;
    }

    /// <summary>Proposed → Active: the client accepted the pending proposal <paramref name="proposalId"/>, exactly as it was shown.</summary>
    /// <exception cref="DomainException"><c>proposal_superseded</c> when the proposal was withdrawn (the plan, terms or documents changed since, or staff activated the contract) or another proposal is pending.</exception>
    public void AcceptProposal(Guid proposalId, DateTimeOffset now)
    {
        RequirePending(proposalId);
        Activate(now);
    }

    /// <summary>Whether the contract may become Active now (Draft, or Proposed): staff may activate it directly.</summary>
    public bool MayBeActivated => Status is ContractStatus.Draft or ContractStatus.Proposed;

    /// <summary>Whether the contract may be cancelled now: Draft, Proposed or Active.</summary>
    public bool MayBeCancelled => Status is ContractStatus.Draft or ContractStatus.Proposed or ContractStatus.Active;

    /// <summary>
    /// Draft or Proposed → Active: the plan is agreed (accepted in the portal, or signed elsewhere
    /// and activated by staff). The plan must add up exactly.
    /// </summary>
    public void Activate(DateTimeOffset now)
    {
        if (!MayBeActivated)
            throw Invalid("activate", "Only a draft or proposed contract is activated.");
        RequirePlanAddsUp();
        Status = ContractStatus.Active;
        ActivatedAt = now;
        PendingProposalId = null;
        Version++;
    }

    /// <summary>Draft, Proposed or Active → Cancelled. Invoices already issued stay; they are corrected by credit notes.</summary>
    public void Cancel(DateTimeOffset now)
    {
        if (!MayBeCancelled)
            throw Invalid("cancel", "Only a draft, proposed or active contract can be cancelled.");
        Status = ContractStatus.Cancelled;
        PendingProposalId = null;
        ClosedAt = now;
        Version++;
    }

    /// <summary>
    /// Whether work (start, submit, approve, request changes, dispute) may happen on the contract's
    /// milestones: only once it is Active, and still when Completed, where nothing is left to bill
    /// but billed work may still be reviewed or disputed. Never on a draft or cancelled contract.
    /// </summary>
    public bool AllowsWork => Status is ContractStatus.Active or ContractStatus.Completed;

    /// <summary>Refuses work on a milestone of this contract unless <see cref="AllowsWork"/>.</summary>
    /// <exception cref="DomainException"><see cref="InvalidTransition"/> of the milestone, saying why.</exception>
    public void RequireWork(Milestone milestone, string action)
    {
        if (AllowsWork)
            return;
        var why = Status switch
        {
            ContractStatus.Draft => "Its contract is still a draft: work begins once the contract is activated.",
            ContractStatus.Proposed => "Its contract is proposed to the client: work begins once they accept it.",
            _ => "Its contract is cancelled.",
        };
        throw new DomainException(new InvalidTransition("milestone", milestone.Id, action, milestone.Status.ToString(), why));
    }

    /// <summary>
    /// Whether a submitted milestone of this contract is due for approval by Cairn: the contract has
    /// an approval window, allows work, and the window has run out since the submission.
    /// </summary>
    public bool IsDueForAutoApproval(Milestone milestone, DateTimeOffset now) =>
        AllowsWork && milestone.Status == MilestoneStatus.Submitted && milestone.SubmittedAt is { } at
        && ApprovalWindowDays is { } days && ApprovalWindowEnds(at, days) <= now;

    /// <summary>How long before an approval window runs out Cairn warns that it will approve (the <c>milestone.auto_approval_due</c> event).</summary>
    public static readonly TimeSpan AutoApprovalWarning = TimeSpan.FromDays(2);

    /// <summary>
    /// Whether a submitted milestone of this contract is due for the warning that Cairn will approve it:
    /// it awaits approval under an approval window, and that window runs out within
    /// <see cref="AutoApprovalWarning"/> but has not yet run out. Null when it is not; else when the window runs out.
    /// </summary>
    public DateTimeOffset? AutoApprovalWarningDue(Milestone milestone, DateTimeOffset now) =>
        AllowsWork && milestone.Status == MilestoneStatus.Submitted && milestone.SubmittedAt is { } at
        && ApprovalWindowDays is { } days && ApprovalWindowEnds(at, days) is var ends && ends - AutoApprovalWarning <= now && now < ends
            ? ends
            : null;

    /// <summary>When the approval window of a submission made at <paramref name="submittedAt"/> runs out: <paramref name="windowDays"/> whole days later.</summary>
    public static DateTimeOffset ApprovalWindowEnds(DateTimeOffset submittedAt, int windowDays) => submittedAt.AddDays(windowDays);

    /// <summary>The milestones that still have something to bill (see <see cref="MilestoneBillingState{TInvoice}.NothingLeftToBill"/>), in plan order.</summary>
    public IReadOnlyList<Milestone> LeftToBill(PlanBilling billing, DateOnly today) =>
        _milestones.OrderBy(m => m.Position).Where(m => !billing.For(m).NothingLeftToBill(Status, today)).ToList();

    /// <summary>
    /// The completion rule, in one place: an Active contract with at least one milestone that is not
    /// cancelled is finished once nothing is left to bill. Asked after every change that can finish a
    /// plan (activation, approval, billing, change orders, dispute resolution).
    /// </summary>
    public bool IsPlanFinished(PlanBilling billing, DateOnly today) =>
        Status == ContractStatus.Active && _milestones.Any(m => m.Status != MilestoneStatus.Cancelled) && LeftToBill(billing, today).Count == 0;

    /// <summary>Active → Completed, once nothing is left to bill; refused, naming them, while milestones are.</summary>
    /// <param name="billing">The billing state of the plan's milestones.</param>
    /// <param name="today">The business day, for dated triggers.</param>
    /// <param name="now">The current time.</param>
    public void Complete(PlanBilling billing, DateOnly today, DateTimeOffset now)
    {
        if (Status != ContractStatus.Active)
            throw Invalid("complete", "Only an active contract can be completed.");
        var unbilled = LeftToBill(billing, today);
        if (unbilled.Count > 0)
            throw Invalid("complete", $"{unbilled.Count} milestone(s) are not billed yet: {string.Join(", ", unbilled.Select(m => m.Title))}.");
        Status = ContractStatus.Completed;
        ClosedAt = now;
        Version++;
    }

    /// <summary>
    /// Applies an approved change order atomically: every item is checked before anything
    /// changes. Invoiced milestones are never touched. The contract value becomes the sum of
    /// the plan, and the version increases by one.
    /// </summary>
    internal void ApplyChangeOrder(ChangeOrder order, PlanBilling billing, Actor by, DateTimeOffset now)
    {
        if (order.Status != ChangeOrderStatus.Proposed)
            throw new DomainException(new InvalidTransition("change order", order.Id, "apply", order.Status.ToString(), "Only a proposed change order is applied, once, when it is approved."));
        if (Status != ContractStatus.Active)
            throw Invalid("apply a change order to", "Change orders amend active contracts only.");
        if (order.ContractId != Id)
            throw new DomainException(new DomainError("change_order_mismatch", "The change order belongs to another contract."));

        // Check everything first, so a refused change order leaves the plan untouched.
        foreach (var item in order.Items)
        {
            if (item.Kind == ChangeOrderItemKind.Add)
            {
                item.Terms!.Validate(Currency);
                if (item.Terms.Prepayment)
                    throw new DomainException(new DomainError("prepayment_not_changeable", "A prepayment is agreed before the contract starts; a change order cannot add one.", "items"));
                continue;
            }

            var target = _milestones.FirstOrDefault(m => m.Id == item.MilestoneId)
                ?? throw new DomainException(new DomainError("milestone_not_in_contract", $"Milestone {item.MilestoneId} is not part of this contract.", "items"));
            if (target.Prepayment && item.Kind == ChangeOrderItemKind.Change)
                throw new DomainException(new DomainError("prepayment_not_changeable", "The prepayment was invoiced when the contract started; a change order does not change it (credit its invoice instead).", "items"));
            billing.For(target).RequireChangeOrderItem(item.Kind);
            if (item.Kind == ChangeOrderItemKind.Change)
                item.Terms!.Validate(Currency);
        }

        // Percentages in a change order are taken of the value before the change; from the first
        // change order on, every milestone keeps a fixed amount, so the plan still adds up when the value changes.
        var baseValue = Value;
        foreach (var milestone in _milestones.Where(m => m.PercentageBasisPoints is not null))
            milestone.FreezeAmount();
        foreach (var item in order.Items)
        {
            switch (item.Kind)
            {
                case ChangeOrderItemKind.Add:
                    var added = new Milestone(Guid.CreateVersion7(), this, _milestones.Count + 1, Freeze(item.Terms!, baseValue));
                    _milestones.Add(added);
                    break;
                case ChangeOrderItemKind.Change:
                    Find(item.MilestoneId!.Value).Apply(Freeze(item.Terms!, baseValue));
                    break;
                case ChangeOrderItemKind.Cancel:
                    var cancelled = Find(item.MilestoneId!.Value);
                    cancelled.Cancel(billing.For(cancelled), by, now);
                    break;
            }
        }

        ValueMinor = _milestones.Where(m => m.Status != MilestoneStatus.Cancelled && !m.Prepayment).Sum(m => m.AmountMinor);
        Version++;
    }

    /// <summary>
    /// What approving a change order would do to the plan, without changing anything: each
    /// milestone's amount and due date before and after, and the new contract value, computed
    /// the way approval computes them. Whether approval is allowed is checked when it happens.
    /// </summary>
    public ChangeOrderEffect EffectOf(ChangeOrder order)
    {
        var items = order.Items.Where(i => i.MilestoneId is not null).ToDictionary(i => i.MilestoneId!.Value);
        var lines = new List<PlanLineEffect>();
        foreach (var milestone in _milestones.Where(m => m.Status != MilestoneStatus.Cancelled && !m.Prepayment).OrderBy(m => m.Position))
        {
            var item = items.GetValueOrDefault(milestone.Id);
            var after = item?.Kind == ChangeOrderItemKind.Change ? Freeze(item.Terms!, Value) : null;
            lines.Add(new PlanLineEffect(
                milestone.Id,
                item?.Kind,
                after?.Title ?? milestone.Title,
                milestone.Amount,
                item?.Kind == ChangeOrderItemKind.Cancel ? null : after?.FixedAmount ?? milestone.Amount,
                milestone.DueDate,
                after is null ? milestone.DueDate : after.DueDate));
        }

        foreach (var added in order.Items.Where(i => i.Kind == ChangeOrderItemKind.Add).Select(i => Freeze(i.Terms!, Value)))
            lines.Add(new PlanLineEffect(null, ChangeOrderItemKind.Add, added.Title, null, added.FixedAmount, null, added.DueDate));
        return new ChangeOrderEffect(Value, new Money(lines.Sum(l => l.After?.Minor ?? 0), Currency), lines);
    }

    private static MilestoneTerms Freeze(MilestoneTerms terms, Money baseValue) =>
        terms.Percentage is { } pct
            ? terms with { FixedAmount = pct.Of(baseValue, MidpointRounding.AwayFromZero), Percentage = null }
            : terms;

    /// <summary>Recomputes the amounts of percentage milestones from the contract value (largest remainder).</summary>
    private void Reallocate()
    {
        // A prepayment is its own share of the whole value, outside the plan's allocation.
        foreach (var prepayment in _milestones.Where(m => m.Prepayment && m.Percentage is not null))
            prepayment.AmountMinor = prepayment.Percentage!.Value.Of(Value, MidpointRounding.AwayFromZero).Minor;
        var plan = _milestones.Where(m => !m.Prepayment).OrderBy(m => m.Position).ToList();
        var percentParts = plan.Where(m => m.PercentageBasisPoints is not null).ToList();
        if (percentParts.Count == 0)
            return;
        var weights = percentParts.Select(m => (long)m.PercentageBasisPoints!.Value).ToList();
        var totalBasisPoints = weights.Sum();
        if (totalBasisPoints == 0)
        {
            foreach (var m in percentParts)
                m.AmountMinor = 0;
            return;
        }

        // The percentage milestones share their exact part of the value, rounded once as a whole.
        var poolMinor = (long)decimal.Round((decimal)ValueMinor * totalBasisPoints / 10_000m, 0, MidpointRounding.AwayFromZero);
        var pool = new Money(poolMinor, Currency);
        var amounts = Allocation.LargestRemainder(pool, weights);
        for (var i = 0; i < percentParts.Count; i++)
            percentParts[i].AmountMinor = amounts[i].Minor;
    }

    private void RequireOnePrepayment(Guid? changing, MilestoneTerms terms)
    {
        if (terms.Prepayment && _milestones.Any(m => m.Prepayment && m.Id != changing))
            throw new DomainException(new DomainError("prepayment_exists", "The contract already has a prepayment; a contract is prepaid by one deposit.", "prepayment"));
    }

    private Milestone Find(Guid milestoneId) =>
        _milestones.FirstOrDefault(m => m.Id == milestoneId)
        ?? throw new DomainException(new DomainError("milestone_not_in_contract", $"Milestone {milestoneId} is not part of contract {Id}.") { });

    /// <summary>
    /// A file of the contract itself was attached or removed. While Draft or Proposed its documents are
    /// part of the offer, like the plan and terms: a pending proposal is withdrawn and needs a new
    /// proposal and acceptance. Once agreed, files are added beside the agreement and change nothing.
    /// </summary>
    public void DocumentsChanged()
    {
        if (Status is ContractStatus.Draft or ContractStatus.Proposed)
            Edited();
    }

    /// <summary>The plan and terms change while Draft, and while Proposed (see <see cref="Edited"/>).</summary>
    private void RequireDraft(string action)
    {
        if (Status is not (ContractStatus.Draft or ContractStatus.Proposed))
            throw Invalid(action, "The plan of an active contract changes only through a change order.");
    }

    /// <summary>
    /// After a change of plan or terms: a pending proposal is withdrawn (what the client was shown
    /// is no longer the offer), so the contract is a draft again and needs a new proposal and a new acceptance.
    /// </summary>
    private void Edited()
    {
        if (Status == ContractStatus.Proposed)
        {
            Status = ContractStatus.Draft;
            PendingProposalId = null;
        }

        Version++;
    }

    // What activation and a proposal both need: the plan adds up, and a prepayment can be deducted in full.
    private void RequirePlanAddsUp()
    {
        var check = CheckPlan();
        if (!check.AddsUp)
            throw new DomainException(check.ToError());
        if (PrepaymentMilestone is { } prepayment && prepayment.AmountMinor > ValueMinor)
            throw new DomainException(new DomainError("prepayment_exceeds_value", $"The prepayment of {prepayment.Amount.ToDecimalString()} {Currency.Code} is more than the contract value of {Value.ToDecimalString()}; later invoices could never deduct it all.", "milestones"));
    }

    // The caller answers one of this contract's proposals, not yet answered: if it is not the pending one it was
    // withdrawn (a change while proposed, a staff activation) or replaced by a newer one — superseded, whatever
    // the contract's status now (Proposal.StatusOf says the same).
    private void RequirePending(Guid proposalId)
    {
        if (Status != ContractStatus.Proposed || PendingProposalId != proposalId)
            throw new DomainException(new ProposalSuperseded(Id, proposalId));
    }

    private DomainException Invalid(string action, string reason) =>
        new(new InvalidTransition("contract", Id, action, Status.ToString(), reason));
}
