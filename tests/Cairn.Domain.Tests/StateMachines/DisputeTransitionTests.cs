using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.StateMachines;

/// <summary>Dispute: Open → Resolved, accepted as delivered, sent back for rework, or settled with an agreed credit.</summary>
public sealed class DisputeTransitionTests
{
    public enum DisputeAction
    {
        ResolveAccepted,
        ResolveRework,
        ResolveSettled,
    }

    public static TheoryData<DisputeStatus, DisputeAction, DisputeStatus, DisputeOutcome> AllowedTransitions => new()
    {
        { DisputeStatus.Open, DisputeAction.ResolveAccepted, DisputeStatus.Resolved, DisputeOutcome.Accepted },
        { DisputeStatus.Open, DisputeAction.ResolveRework, DisputeStatus.Resolved, DisputeOutcome.Rework },
        { DisputeStatus.Open, DisputeAction.ResolveSettled, DisputeStatus.Resolved, DisputeOutcome.Settled },
    };

    /// <summary>Forbidden pairs, with the action as the error names it.</summary>
    public static TheoryData<DisputeStatus, DisputeAction, string> ForbiddenTransitions => new()
    {
        { DisputeStatus.Resolved, DisputeAction.ResolveAccepted, "resolve" },
        { DisputeStatus.Resolved, DisputeAction.ResolveRework, "resolve" },
        { DisputeStatus.Resolved, DisputeAction.ResolveSettled, "resolve" },
    };

    [Fact]
    public void The_tables_name_every_state_and_action_exactly_once()
    {
        Assert.Equal(
            Transitions.EveryPair<DisputeStatus, DisputeAction>(),
            Transitions.PairsIn<DisputeStatus, DisputeAction>(AllowedTransitions, ForbiddenTransitions));
    }

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public void An_allowed_action_resolves_the_dispute_with_its_outcome(DisputeStatus from, DisputeAction action, DisputeStatus to, DisputeOutcome outcome)
    {
        var dispute = ADisputeIn(from);

        Do(action, dispute);

        Assert.Equal(to, dispute.Status);
        Assert.Equal(outcome, dispute.Outcome);
        Assert.Equal(("user:pm-1", Later), (dispute.ResolvedBy, dispute.ResolvedAt));
    }

    [Theory]
    [MemberData(nameof(ForbiddenTransitions))]
    public void A_forbidden_action_is_refused_as_an_invalid_transition_and_changes_nothing(DisputeStatus from, DisputeAction action, string attempted)
    {
        var dispute = ADisputeIn(from);
        var before = StateOf(dispute);

        var refused = Assert.Throws<DomainException>(() => Do(action, dispute));

        Transitions.AssertInvalidTransition(refused, "dispute", dispute.Id, attempted, from.ToString());
        Assert.Equal(before, StateOf(dispute));
    }

    [Fact]
    public void A_settlement_records_the_agreed_credit()
    {
        var dispute = ADisputeIn(DisputeStatus.Open);

        Do(DisputeAction.ResolveSettled, dispute);

        Assert.Equal(Eur("300.00").Minor, dispute.SettlementMinor);
    }

    [Fact]
    public void Settling_without_an_agreed_amount_is_refused_and_changes_nothing()
    {
        var dispute = ADisputeIn(DisputeStatus.Open);
        var before = StateOf(dispute);

        var refused = Assert.Throws<DomainException>(() => dispute.Resolve(DisputeOutcome.Settled, null, "Settled.", ProjectManager, Later));

        Assert.Equal(("settlement_required", "settlement"), (refused.Error.Code, refused.Error.Field));
        Assert.Equal(before, StateOf(dispute));
    }

    [Fact]
    public void Invoiced_work_cannot_be_sent_back_to_rework_and_the_dispute_stays_open()
    {
        var (_, milestone) = AMilestoneIn(MilestoneStatus.Disputed);
        var dispute = new Dispute(Guid.CreateVersion7(), milestone, Guid.CreateVersion7(), "Not what we ordered.", ClientContact, Now);
        var before = StateOf(dispute);

        var refused = Assert.Throws<DomainException>(() => Do(DisputeAction.ResolveRework, dispute));

        Assert.Equal(("rework_of_invoiced", "outcome"), (refused.Error.Code, refused.Error.Field));
        Assert.Equal(before, StateOf(dispute));
    }

    /// <summary>A dispute of the submitted (not yet invoiced) Design milestone.</summary>
    private static Dispute ADisputeIn(DisputeStatus status)
    {
        var (_, milestone) = AMilestoneIn(MilestoneStatus.Disputed);
        var dispute = new Dispute(Guid.CreateVersion7(), milestone, null, "The designs ignore our brand guide.", ClientContact, Now);
        if (status == DisputeStatus.Resolved)
            dispute.Resolve(DisputeOutcome.Accepted, null, "Accepted after a call.", ProjectManager, Now);
        return dispute;
    }

    private static void Do(DisputeAction action, Dispute dispute)
    {
        switch (action)
        {
            case DisputeAction.ResolveAccepted:
                dispute.Resolve(DisputeOutcome.Accepted, null, "Accepted after a call.", ProjectManager, Later);
                break;
            case DisputeAction.ResolveRework:
                dispute.Resolve(DisputeOutcome.Rework, null, "We redo the designs.", ProjectManager, Later);
                break;
            case DisputeAction.ResolveSettled:
                dispute.Resolve(DisputeOutcome.Settled, Eur("300.00"), "Settled with a credit.", ProjectManager, Later);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }

    private static DisputeState StateOf(Dispute d) => new(d.Status, d.Outcome, d.SettlementMinor, d.ResolutionNote, d.ResolvedBy, d.ResolvedAt);

    private sealed record DisputeState(DisputeStatus Status, DisputeOutcome? Outcome, long? SettlementMinor, string? ResolutionNote, string? ResolvedBy, DateTimeOffset? ResolvedAt);
}
