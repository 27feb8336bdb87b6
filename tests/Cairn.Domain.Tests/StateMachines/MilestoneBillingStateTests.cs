using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.StateMachines;

/// <summary>
/// The one home of a milestone's billing state: what its invoices make of it, whether Cairn bills
/// it on its own, whether staff may re-bill it, what a change order may do to it, and when its
/// contract is complete.
/// </summary>
public sealed class MilestoneBillingStateTests
{
    private static readonly MilestoneTerms Checkpoint = ByAmount("Kick-off workshop", "0.00");

    [Fact]
    public void A_milestone_whose_invoice_was_credited_in_full_is_credited_and_is_not_billed_again_on_its_own()
    {
        var (contract, design) = AMilestoneIn(MilestoneStatus.Approved);
        var invoice = new Invoice(Guid.CreateVersion7(), contract, design, Now);
        invoice.Issue(InvoiceNumber(1), Today, Seller, Buyer, Now);
        invoice.Credit(invoice.Creditable);

        var state = new MilestoneBillingState(design, [invoice]);

        Assert.Equal(BillingStatus.Credited, state.Status);
        Assert.Same(invoice, state.Invoice);
        Assert.Null(state.LiveInvoice);
        Assert.False(state.IsDueForInvoice(ContractStatus.Active, Today));
        Assert.True(state.CanRebill(ContractStatus.Active, Today));
        Assert.True(state.NothingLeftToBill(ContractStatus.Active, Today));
        Assert.True(state.MayBeCancelled);
        Assert.False(state.TermsMayChange);
        Assert.Equal(MilestoneActions.Dispute | MilestoneActions.Rebill | MilestoneActions.CancelByChangeOrder, state.AllowedActions(contract, Today));
    }

    [Fact]
    public void A_re_billed_milestone_follows_its_new_invoice_and_cannot_be_re_billed_again()
    {
        var (contract, design) = AMilestoneIn(MilestoneStatus.Approved);
        var credited = new Invoice(Guid.CreateVersion7(), contract, design, Now);
        credited.Issue(InvoiceNumber(1), Today, Seller, Buyer, Now);
        credited.Credit(credited.Creditable);
        var again = new Invoice(Guid.CreateVersion7(), contract, design, Later);
        again.Issue(InvoiceNumber(2), Today, Seller, Buyer, Later);

        var state = new MilestoneBillingState(design, [credited, again]);

        Assert.Equal(BillingStatus.Invoiced, state.Status);
        Assert.Same(again, state.Invoice);
        Assert.False(state.CanRebill(ContractStatus.Active, Today));
        Assert.False(state.MayBeCancelled);
    }

    [Fact]
    public void An_unbilled_milestone_is_billed_once_its_trigger_fires()
    {
        var (_, submitted) = AMilestoneIn(MilestoneStatus.Submitted);
        var (_, approved) = AMilestoneIn(MilestoneStatus.Approved);

        Assert.Equal(BillingStatus.Unbilled, new MilestoneBillingState(submitted, []).Status);
        Assert.False(new MilestoneBillingState(submitted, []).IsDueForInvoice(ContractStatus.Active, Today));
        Assert.True(new MilestoneBillingState(approved, []).IsDueForInvoice(ContractStatus.Active, Today));
        Assert.False(new MilestoneBillingState(approved, []).NothingLeftToBill(ContractStatus.Active, Today));
    }

    [Fact]
    public void A_milestone_worth_nothing_is_a_checkpoint_that_is_never_billed_and_done_once_approved()
    {
        var contract = ADraftContract(plan: [ByAmount("Build", "10000.00"), Checkpoint]);
        contract.Activate(Now);
        var checkpoint = contract.Milestones[1];
        var state = new MilestoneBillingState(checkpoint, []);
        Assert.Equal(BillingStatus.Checkpoint, state.Status);
        Assert.False(state.NothingLeftToBill(contract.Status, Today));

        checkpoint.Start(ProjectManager, Now);
        checkpoint.Submit("Workshop held.", [], ProjectManager, Now);
        checkpoint.Approve(ClientContact, Now);

        Assert.Equal(BillingStatus.Checkpoint, state.Status);
        Assert.False(state.IsDueForInvoice(contract.Status, Today));
        Assert.True(state.NothingLeftToBill(contract.Status, Today));
    }

    [Fact]
    public void A_contract_is_finished_when_its_last_milestone_left_to_bill_is_cancelled()
    {
        var contract = ADraftContract("1000.00", [ByAmount("Design", "400.00"), ByAmount("Build", "600.00")]);
        contract.Activate(Now);
        var design = contract.Milestones[0];
        var billing = Invoiced(contract, design);
        Assert.False(contract.IsPlanFinished(billing, Today));

        AProposedChangeOrder(contract, ChangeOrderItem.Cancel(contract.Milestones[1].Id)).Approve(contract, billing, ClientContact, Later);

        Assert.True(contract.IsPlanFinished(billing, Today));
        contract.Complete(billing, Today, Later);
        Assert.Equal(ContractStatus.Completed, contract.Status);
    }

    [Fact]
    public void A_change_order_may_cancel_a_credited_milestone_even_after_its_work_was_approved()
    {
        var (contract, design) = AMilestoneIn(MilestoneStatus.Approved);
        var invoice = new Invoice(Guid.CreateVersion7(), contract, design, Now);
        invoice.Issue(InvoiceNumber(1), Today, Seller, Buyer, Now);
        invoice.Credit(invoice.Creditable);

        AProposedChangeOrder(contract, ChangeOrderItem.Cancel(design.Id)).Approve(contract, PlanBilling.Of([invoice]), ClientContact, Later);

        Assert.Equal(MilestoneStatus.Cancelled, design.Status);
        Assert.Equal(Eur("7000.00"), contract.Value);
    }

    [Fact]
    public void A_change_order_may_not_cancel_a_milestone_with_a_live_invoice()
    {
        var (contract, design) = AMilestoneIn(MilestoneStatus.InProgress);
        var order = AProposedChangeOrder(contract, ChangeOrderItem.Cancel(design.Id));

        var refused = Assert.Throws<DomainException>(() => order.Approve(contract, Invoiced(contract, design), ClientContact, Later));

        Transitions.AssertInvalidTransition(refused, "milestone", design.Id, "cancel", "invoiced");
        Assert.Equal(MilestoneStatus.InProgress, design.Status);
    }

    [Theory]
    [InlineData(MilestoneStatus.Planned, MilestoneActions.Start | MilestoneActions.CancelByChangeOrder | MilestoneActions.ChangeByChangeOrder)]
    [InlineData(MilestoneStatus.InProgress, MilestoneActions.Submit | MilestoneActions.CancelByChangeOrder | MilestoneActions.ChangeByChangeOrder)]
    [InlineData(MilestoneStatus.Submitted, MilestoneActions.Approve | MilestoneActions.RequestChanges | MilestoneActions.Dispute | MilestoneActions.ChangeByChangeOrder)]
    [InlineData(MilestoneStatus.Disputed, MilestoneActions.ChangeByChangeOrder)]
    [InlineData(MilestoneStatus.Cancelled, MilestoneActions.None)]
    public void What_a_milestone_of_an_active_contract_allows_follows_its_work_state(MilestoneStatus status, MilestoneActions expected)
    {
        var (contract, milestone) = AMilestoneIn(status);

        Assert.Equal(expected, new MilestoneBillingState(milestone, []).AllowedActions(contract, Today));
    }

    [Fact]
    public void No_work_happens_on_a_draft_or_cancelled_contract()
    {
        var draft = ADraftContract();
        var cancelled = AnActiveContract();
        cancelled.Cancel(Now);

        Assert.Equal(MilestoneActions.EditPlan, new MilestoneBillingState(draft.Milestones[0], []).AllowedActions(draft, Today));
        Assert.Equal(MilestoneActions.None, new MilestoneBillingState(cancelled.Milestones[0], []).AllowedActions(cancelled, Today));
        var refused = Assert.Throws<DomainException>(() => cancelled.RequireWork(cancelled.Milestones[0], "start"));
        Transitions.AssertInvalidTransition(refused, "milestone", cancelled.Milestones[0].Id, "start", "Planned");
    }

    [Fact]
    public void A_submission_is_due_for_auto_approval_when_the_window_has_run_out_and_not_a_minute_before()
    {
        var contract = ADraftContract();
        contract.SetTerms(contract.Title, contract.Value, contract.TaxRate, null, 30, 7);
        contract.Activate(Now);
        var design = contract.Milestones[0];
        design.Start(ProjectManager, Now);
        design.Submit("Designs.", [], ProjectManager, Now);

        Assert.False(contract.IsDueForAutoApproval(design, Now.AddDays(7).AddMinutes(-1)));
        Assert.True(contract.IsDueForAutoApproval(design, Now.AddDays(7)));
        contract.Cancel(Now);
        Assert.False(contract.IsDueForAutoApproval(design, Now.AddDays(8)));
    }

    [Fact]
    public void An_invoice_whose_gross_is_zero_is_paid_when_issued()
    {
        var contract = ADraftContract(plan: [ByAmount("Build", "10000.00"), Checkpoint]);
        contract.Activate(Now);
        var invoice = new Invoice(Guid.CreateVersion7(), contract, contract.Milestones[1], Now);

        invoice.Issue(InvoiceNumber(1), Today, Seller, Buyer, Now);

        Assert.Equal(InvoiceStatus.Paid, invoice.Status);
        Assert.False(invoice.IsOverdue(Today.AddDays(90)));
    }
}
