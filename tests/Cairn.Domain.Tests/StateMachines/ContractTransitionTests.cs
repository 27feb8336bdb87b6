using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.StateMachines;

/// <summary>Contract: Draft → Proposed → Active (or back to Draft) → Completed, Draft, Proposed or Active → Cancelled; the plan is edited only while Draft, or while Proposed, which withdraws the proposal.</summary>
public sealed class ContractTransitionTests
{
    public enum ContractAction
    {
        EditTerms,
        AddMilestone,
        ChangeMilestone,
        RemoveMilestone,
        Activate,
        Cancel,
        Complete,
        ApplyChangeOrder,
        Propose,
        AcceptProposal,
        ReturnToDraft,
    }

    public static TheoryData<ContractStatus, ContractAction, ContractStatus> AllowedTransitions => new()
    {
        { ContractStatus.Draft, ContractAction.EditTerms, ContractStatus.Draft },
        { ContractStatus.Draft, ContractAction.AddMilestone, ContractStatus.Draft },
        { ContractStatus.Draft, ContractAction.ChangeMilestone, ContractStatus.Draft },
        { ContractStatus.Draft, ContractAction.RemoveMilestone, ContractStatus.Draft },
        { ContractStatus.Draft, ContractAction.Activate, ContractStatus.Active },
        { ContractStatus.Draft, ContractAction.Cancel, ContractStatus.Cancelled },
        { ContractStatus.Active, ContractAction.Cancel, ContractStatus.Cancelled },
        { ContractStatus.Active, ContractAction.Complete, ContractStatus.Completed },
        { ContractStatus.Active, ContractAction.ApplyChangeOrder, ContractStatus.Active },
        { ContractStatus.Draft, ContractAction.Propose, ContractStatus.Proposed },
        { ContractStatus.Proposed, ContractAction.EditTerms, ContractStatus.Draft },
        { ContractStatus.Proposed, ContractAction.AddMilestone, ContractStatus.Draft },
        { ContractStatus.Proposed, ContractAction.ChangeMilestone, ContractStatus.Draft },
        { ContractStatus.Proposed, ContractAction.RemoveMilestone, ContractStatus.Draft },
        { ContractStatus.Proposed, ContractAction.Activate, ContractStatus.Active },
        { ContractStatus.Proposed, ContractAction.Cancel, ContractStatus.Cancelled },
        { ContractStatus.Proposed, ContractAction.AcceptProposal, ContractStatus.Active },
        { ContractStatus.Proposed, ContractAction.ReturnToDraft, ContractStatus.Draft },
    };

    /// <summary>Forbidden pairs, with the action as the error names it.</summary>
    public static TheoryData<ContractStatus, ContractAction, string> ForbiddenTransitions => new()
    {
        { ContractStatus.Draft, ContractAction.Complete, "complete" },
        { ContractStatus.Draft, ContractAction.ApplyChangeOrder, "apply a change order to" },
        { ContractStatus.Active, ContractAction.EditTerms, "edit" },
        { ContractStatus.Active, ContractAction.AddMilestone, "add a milestone to" },
        { ContractStatus.Active, ContractAction.ChangeMilestone, "change a milestone of" },
        { ContractStatus.Active, ContractAction.RemoveMilestone, "remove a milestone from" },
        { ContractStatus.Active, ContractAction.Activate, "activate" },
        { ContractStatus.Completed, ContractAction.EditTerms, "edit" },
        { ContractStatus.Completed, ContractAction.AddMilestone, "add a milestone to" },
        { ContractStatus.Completed, ContractAction.ChangeMilestone, "change a milestone of" },
        { ContractStatus.Completed, ContractAction.RemoveMilestone, "remove a milestone from" },
        { ContractStatus.Completed, ContractAction.Activate, "activate" },
        { ContractStatus.Completed, ContractAction.Cancel, "cancel" },
        { ContractStatus.Completed, ContractAction.Complete, "complete" },
        { ContractStatus.Completed, ContractAction.ApplyChangeOrder, "apply a change order to" },
        { ContractStatus.Cancelled, ContractAction.EditTerms, "edit" },
        { ContractStatus.Cancelled, ContractAction.AddMilestone, "add a milestone to" },
        { ContractStatus.Cancelled, ContractAction.ChangeMilestone, "change a milestone of" },
        { ContractStatus.Cancelled, ContractAction.RemoveMilestone, "remove a milestone from" },
        { ContractStatus.Cancelled, ContractAction.Activate, "activate" },
        { ContractStatus.Cancelled, ContractAction.Cancel, "cancel" },
        { ContractStatus.Cancelled, ContractAction.Complete, "complete" },
        { ContractStatus.Cancelled, ContractAction.ApplyChangeOrder, "apply a change order to" },
        { ContractStatus.Draft, ContractAction.AcceptProposal, Superseded },
        { ContractStatus.Draft, ContractAction.ReturnToDraft, Superseded },
        { ContractStatus.Proposed, ContractAction.Complete, "complete" },
        { ContractStatus.Proposed, ContractAction.ApplyChangeOrder, "apply a change order to" },
        { ContractStatus.Proposed, ContractAction.Propose, "propose" },
        { ContractStatus.Active, ContractAction.Propose, "propose" },
        { ContractStatus.Active, ContractAction.AcceptProposal, Superseded },
        { ContractStatus.Active, ContractAction.ReturnToDraft, Superseded },
        { ContractStatus.Completed, ContractAction.Propose, "propose" },
        { ContractStatus.Completed, ContractAction.AcceptProposal, Superseded },
        { ContractStatus.Completed, ContractAction.ReturnToDraft, Superseded },
        { ContractStatus.Cancelled, ContractAction.Propose, "propose" },
        { ContractStatus.Cancelled, ContractAction.AcceptProposal, Superseded },
        { ContractStatus.Cancelled, ContractAction.ReturnToDraft, Superseded },
    };

    // Answering a proposal of a contract that is no longer proposed: the proposal was withdrawn or
    // replaced (issue 15), which the client is told as 409 proposal_superseded, not as a transition.
    private const string Superseded = "(proposal superseded)";

    [Fact]
    public void The_tables_name_every_state_and_action_exactly_once()
    {
        Assert.Equal(
            Transitions.EveryPair<ContractStatus, ContractAction>(),
            Transitions.PairsIn<ContractStatus, ContractAction>(AllowedTransitions, ForbiddenTransitions));
    }

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public void An_allowed_action_moves_the_contract_to_its_next_state_and_version(ContractStatus from, ContractAction action, ContractStatus to)
    {
        var contract = AContractIn(from);
        var version = contract.Version;

        Do(action, contract);

        Assert.Equal(to, contract.Status);
        Assert.Equal(version + 1, contract.Version);
    }

    [Theory]
    [MemberData(nameof(ForbiddenTransitions))]
    public void A_forbidden_action_is_refused_as_an_invalid_transition_and_changes_nothing(ContractStatus from, ContractAction action, string attempted)
    {
        var contract = AContractIn(from);
        var before = StateOf(contract);

        var refused = Assert.Throws<DomainException>(() => Do(action, contract));

        if (attempted == Superseded)
            Assert.Equal(new ProposalSuperseded(contract.Id, ProposalId), refused.Error);
        else
            Transitions.AssertInvalidTransition(refused, "contract", contract.Id, attempted, from.ToString());
        Assert.Equal(before, StateOf(contract));
    }

    [Fact]
    public void Completing_an_active_contract_with_an_unbilled_milestone_is_refused_and_changes_nothing()
    {
        var contract = AnActiveContract();
        var before = StateOf(contract);
        var billed = Invoiced(contract, contract.Milestones.Take(2));

        var refused = Assert.Throws<DomainException>(() => contract.Complete(billed, Today, Later));

        Transitions.AssertInvalidTransition(refused, "contract", contract.Id, "complete", "Active");
        Assert.Contains("Launch", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, StateOf(contract));
    }

    [Fact]
    public void Answering_a_proposal_that_is_no_longer_the_offer_is_refused_and_changes_nothing()
    {
        var contract = AContractIn(ContractStatus.Proposed);
        var before = StateOf(contract);

        var refused = Assert.Throws<DomainException>(() => contract.AcceptProposal(Guid.CreateVersion7(), Later));

        Assert.Equal("proposal_superseded", refused.Error.Code);
        Assert.Equal(DomainErrorKind.Conflict, refused.Error.Kind);
        Assert.Equal(before, StateOf(contract));
    }

    [Fact]
    public void A_change_while_proposed_withdraws_the_proposal_so_accepting_it_is_refused()
    {
        var contract = AContractIn(ContractStatus.Proposed);

        contract.SetTerms("Website relaunch", Eur("10000.00"), Pct("20"), null, 14, null);

        Assert.Null(contract.PendingProposalId);
        var refused = Assert.Throws<DomainException>(() => contract.AcceptProposal(ProposalId, Later));
        Assert.Equal("proposal_superseded", refused.Error.Code);
        Assert.Equal("proposal_superseded", Assert.Throws<DomainException>(() => contract.ReturnToDraft(ProposalId)).Error.Code);
        Assert.Equal(ContractStatus.Draft, contract.Status);
    }

    [Fact]
    public void A_plan_that_does_not_add_up_cannot_be_proposed()
    {
        var contract = ADraftContract(plan: [ByPercent("Design", "30"), ByPercent("Build", "40")]);

        var refused = Assert.Throws<DomainException>(() => contract.Propose(ProposalId, Later));

        Assert.Equal(ContractStatus.Draft, contract.Status);
        Assert.Contains("short of", refused.Message, StringComparison.Ordinal);
    }

    private static void Do(ContractAction action, Contract contract)
    {
        switch (action)
        {
            case ContractAction.EditTerms:
                contract.SetTerms("Website relaunch and shop", Eur("12000.00"), Pct("20"), null, 14, 10);
                break;
            case ContractAction.AddMilestone:
                contract.AddMilestone(Guid.CreateVersion7(), ByAmount("Extra landing page", "500.00"));
                break;
            case ContractAction.ChangeMilestone:
                contract.ChangeMilestone(contract.Milestones[0].Id, ByPercent("Design and style guide", "30"));
                break;
            case ContractAction.RemoveMilestone:
                contract.RemoveMilestone(contract.Milestones[^1].Id);
                break;
            case ContractAction.Activate:
                contract.Activate(Later);
                break;
            case ContractAction.Cancel:
                contract.Cancel(Later);
                break;
            case ContractAction.Complete:
                contract.Complete(Invoiced(contract, contract.Milestones), Today, Later);
                break;
            case ContractAction.ApplyChangeOrder:
                // A change order can only be drafted for an active contract: draft it on an active
                // twin with the same id, so that only the state of `contract` decides.
                var order = AProposedChangeOrder(AnActiveContract(contract.Id), ChangeOrderItem.Add(ByAmount("Extra landing page", "500.00")));
                contract.ApplyChangeOrder(order, NothingInvoiced, ClientContact, Later);
                break;
            case ContractAction.Propose:
                contract.Propose(Guid.CreateVersion7(), Later);
                break;
            case ContractAction.AcceptProposal:
                contract.AcceptProposal(ProposalId, Later);
                break;
            case ContractAction.ReturnToDraft:
                contract.ReturnToDraft(ProposalId);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }

    private static ContractState StateOf(Contract c) => new(
        c.Status,
        c.Version,
        c.ValueMinor,
        c.Title,
        c.TaxRatePerMillion,
        c.PaymentTermsDays,
        c.ApprovalWindowDays,
        c.ActivatedAt,
        c.ClosedAt,
        string.Join(" | ", c.Milestones.Select(m => $"{m.Position} {m.Id} {m.Title} {m.Status} {m.AmountMinor} {m.PercentageBasisPoints} v{m.Version} h{m.History.Count}")));

    private sealed record ContractState(
        ContractStatus Status,
        int Version,
        long ValueMinor,
        string Title,
        int TaxRatePerMillion,
        int PaymentTermsDays,
        int? ApprovalWindowDays,
        DateTimeOffset? ActivatedAt,
        DateTimeOffset? ClosedAt,
        string Plan);
}
