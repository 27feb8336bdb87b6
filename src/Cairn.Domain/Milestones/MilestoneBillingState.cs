namespace Cairn.Domain;

/// <summary>
/// The billing state of one milestone, derived from its invoices and never stored (DESIGN.md
/// §Milestone): the one home of "is this milestone billed?". Scheduled billing, approval,
/// activation, dispute resolution, change orders, completion, re-billing, reports and pages all
/// ask it; <c>MilestoneBillingQueries</c> in the server is its form for database queries.
/// </summary>
/// <remarks>
/// Generic over what an invoice is read as (<see cref="IInvoiceFacts"/>): the <see cref="Invoice"/>
/// entity for changes (<see cref="MilestoneBillingState"/>), or a read model's projection of the
/// few columns the rules read (the contract read), so both ask the same rules.
/// </remarks>
/// <typeparam name="TInvoice">How the milestone's invoices were read.</typeparam>
public class MilestoneBillingState<TInvoice>
    where TInvoice : class, IInvoiceFacts
{
    private readonly List<TInvoice> _invoices;

    /// <summary>The state of a milestone given all of its invoices (live, draft and voided ones).</summary>
    /// <exception cref="ArgumentException">An invoice belongs to another milestone.</exception>
    public MilestoneBillingState(Milestone milestone, IEnumerable<TInvoice> invoices)
    {
        Milestone = milestone;
        _invoices = invoices.ToList();
        if (_invoices.Any(i => i.MilestoneId != milestone.Id))
            throw new ArgumentException("Every invoice must belong to the milestone.", nameof(invoices));
        LiveInvoice = _invoices.FirstOrDefault(i => i.Status != InvoiceStatus.Void);
    }

    /// <summary>The milestone the state is of.</summary>
    public Milestone Milestone { get; }

    /// <summary>The milestone's invoice that is not void (a draft, issued or paid one); at most one exists (rule 2).</summary>
    public TInvoice? LiveInvoice { get; }

    /// <summary>The invoice to show for the milestone: the live one, else the latest voided one.</summary>
    public TInvoice? Invoice => LiveInvoice ?? _invoices.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id).LastOrDefault();

    /// <summary>Whether the milestone was ever put on an invoice, even one credited in full since.</summary>
    public bool EverInvoiced => _invoices.Count > 0;

    /// <summary>
    /// <c>Checkpoint</c> for a milestone worth 0.00 that was never invoiced; <c>Credited</c> when its
    /// only invoices were credited in full; otherwise what its live invoice says (a draft is still
    /// <c>Unbilled</c>), or <c>Unbilled</c>.
    /// </summary>
    public BillingStatus Status => LiveInvoice is { } live ? live.BillingStatus
        : EverInvoiced ? BillingStatus.Credited
        : Milestone.AmountMinor == 0 ? BillingStatus.Checkpoint
        : BillingStatus.Unbilled;

    /// <summary>
    /// Whether Cairn invoices the milestone now on its own (activation, approval, scheduled billing,
    /// an accepted dispute): its trigger fired, it is worth more than 0.00, and it was never invoiced.
    /// A credited milestone is billed again only by a person's explicit re-bill (<see cref="CanRebill"/>).
    /// </summary>
    public bool IsDueForInvoice(ContractStatus contractStatus, DateOnly today) =>
        !EverInvoiced && Milestone.AmountMinor > 0 && Milestone.IsBillable(contractStatus, today);

    /// <summary>Whether staff may bill the milestone again: it is <c>Credited</c> and its trigger has fired.</summary>
    public bool CanRebill(ContractStatus contractStatus, DateOnly today) =>
        Status == BillingStatus.Credited && Milestone.IsBillable(contractStatus, today);

    /// <summary>
    /// Whether nothing is left to bill for the milestone: it is cancelled, it was invoiced (even if
    /// credited since), or it is a checkpoint whose trigger has fired (an approved 0.00 milestone).
    /// A contract whose whole plan is in this state is complete.
    /// </summary>
    public bool NothingLeftToBill(ContractStatus contractStatus, DateOnly today) =>
        Milestone.Status == MilestoneStatus.Cancelled || EverInvoiced
        || (Milestone.AmountMinor == 0 && Milestone.IsBillable(contractStatus, today));

    /// <summary>Whether a change order may change the milestone's terms: never once they are on an invoice, even a voided one.</summary>
    public bool TermsMayChange => Milestone.Status != MilestoneStatus.Cancelled && !EverInvoiced;

    /// <summary>
    /// Whether a change order may cancel the milestone: its work was not delivered and it has no
    /// invoice, or its invoice was credited in full (<c>Credited</c>) and it has no live one.
    /// </summary>
    public bool MayBeCancelled => Milestone.Status != MilestoneStatus.Cancelled && LiveInvoice is null
        && (Status == BillingStatus.Credited || (!EverInvoiced && Milestone.Status is MilestoneStatus.Planned or MilestoneStatus.InProgress));

    /// <summary>Refuses a change order item (change or cancel) this milestone does not allow now; additions are not about a milestone.</summary>
    /// <exception cref="DomainException"><see cref="InvalidTransition"/> of the milestone, saying why.</exception>
    public void RequireChangeOrderItem(ChangeOrderItemKind kind)
    {
        var id = Milestone.Id;
        if (Milestone.Status == MilestoneStatus.Cancelled)
            throw new DomainException(new InvalidTransition("milestone", id, kind == ChangeOrderItemKind.Cancel ? "cancel" : "change", Milestone.Status.ToString(), "A cancelled milestone stays cancelled."));
        if (kind == ChangeOrderItemKind.Change && !TermsMayChange)
            throw new DomainException(new InvalidTransition("milestone", id, "change", "invoiced", "Invoiced milestones are never changed; issue a credit note instead (a milestone credited in full may be cancelled)."));
        if (kind == ChangeOrderItemKind.Cancel && LiveInvoice is not null)
            throw new DomainException(new InvalidTransition("milestone", id, "cancel", "invoiced", "An invoiced milestone is cancelled only once its invoice is credited in full; issue a credit note first."));
        if (kind == ChangeOrderItemKind.Cancel && !MayBeCancelled)
            throw new DomainException(new InvalidTransition("milestone", id, "cancel", Milestone.Status.ToString(), "Only a milestone whose work has not been delivered can be cancelled."));
    }

    /// <summary>
    /// What may be done with the milestone now, so pages and the portal ask instead of re-encoding
    /// the state machines: the work transitions (on a contract that <see cref="Contract.AllowsWork"/>),
    /// a re-bill, and the change order items an Active contract may take for it.
    /// </summary>
    public MilestoneActions AllowedActions(Contract contract, DateOnly today)
    {
        var actions = MilestoneActions.None;
        if (contract.Status == ContractStatus.Draft)
            actions |= MilestoneActions.EditPlan;
        if (contract.AllowsWork)
        {
            actions |= Milestone.Status switch
            {
                MilestoneStatus.Planned => MilestoneActions.Start,
                MilestoneStatus.InProgress => MilestoneActions.Submit,
                MilestoneStatus.Submitted => MilestoneActions.Approve | MilestoneActions.RequestChanges | MilestoneActions.Dispute,
                MilestoneStatus.Approved => MilestoneActions.Dispute,
                _ => MilestoneActions.None,
            };
        }

        if (CanRebill(contract.Status, today))
            actions |= MilestoneActions.Rebill;
        if (contract.Status == ContractStatus.Active && MayBeCancelled)
            actions |= MilestoneActions.CancelByChangeOrder;
        if (contract.Status == ContractStatus.Active && TermsMayChange)
            actions |= MilestoneActions.ChangeByChangeOrder;
        return actions;
    }
}

/// <summary>The billing state of one milestone from its <see cref="Invoice"/> entities (see <see cref="MilestoneBillingState{TInvoice}"/>).</summary>
public sealed class MilestoneBillingState(Milestone milestone, IEnumerable<Invoice> invoices) : MilestoneBillingState<Invoice>(milestone, invoices);

/// <summary>What may be done with a milestone now (see <see cref="MilestoneBillingState{TInvoice}.AllowedActions"/>).</summary>
[Flags]
public enum MilestoneActions
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Planned → InProgress.</summary>
    Start = 1,

    /// <summary>InProgress → Submitted.</summary>
    Submit = 2,

    /// <summary>Submitted → Approved (which bills it).</summary>
    Approve = 4,

    /// <summary>Submitted → InProgress, with the client's reason.</summary>
    RequestChanges = 8,

    /// <summary>Submitted or Approved → Disputed.</summary>
    Dispute = 16,

    /// <summary>Bill a <c>Credited</c> milestone again, explicitly and audited.</summary>
    Rebill = 32,

    /// <summary>A change order may cancel it.</summary>
    CancelByChangeOrder = 64,

    /// <summary>A change order may change its terms.</summary>
    ChangeByChangeOrder = 128,

    /// <summary>Its terms may be edited freely: the contract is a draft.</summary>
    EditPlan = 256,
}

/// <summary>The billing state of every milestone of a plan, from the plan's invoices however they were read.</summary>
/// <typeparam name="TInvoice">How the invoices were read.</typeparam>
public class PlanBilling<TInvoice>
    where TInvoice : class, IInvoiceFacts
{
    private readonly ILookup<Guid, TInvoice> _invoices;

    protected PlanBilling(IEnumerable<TInvoice> invoices) =>
        _invoices = invoices.Where(i => i.MilestoneId is not null).ToLookup(i => i.MilestoneId!.Value);

    /// <summary>The billing of a plan given its invoices (any status; invoices without a milestone are ignored).</summary>
    public static PlanBilling<TInvoice> Of(IEnumerable<TInvoice> invoices) => new(invoices);

    /// <summary>The billing state of one milestone of the plan.</summary>
    public MilestoneBillingState<TInvoice> For(Milestone milestone) => new(milestone, InvoicesOf(milestone));

    /// <summary>The invoices of one milestone of the plan.</summary>
    protected IEnumerable<TInvoice> InvoicesOf(Milestone milestone) => _invoices[milestone.Id];
}

/// <summary>The billing state of every milestone of a plan, from the plan's <see cref="Invoice"/> entities.</summary>
public sealed class PlanBilling : PlanBilling<Invoice>
{
    private PlanBilling(IEnumerable<Invoice> invoices)
        : base(invoices)
    {
    }

    /// <summary>A plan none of whose milestones was ever invoiced.</summary>
    public static PlanBilling Empty { get; } = new([]);

    /// <summary>The billing of a plan given its invoices (any status; invoices without a milestone are ignored).</summary>
    public static new PlanBilling Of(IEnumerable<Invoice> invoices) => new(invoices);

    /// <summary>The billing state of one milestone of the plan.</summary>
    public new MilestoneBillingState For(Milestone milestone) => new(milestone, InvoicesOf(milestone));
}
