using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.StateMachines;

/// <summary>
/// Milestone: Planned → InProgress → Submitted → Approved; changes requested send it back to
/// InProgress; submitted or approved work can be disputed and the dispute resolved; planned or
/// in-progress work can be cancelled through a change order.
/// </summary>
public sealed class MilestoneTransitionTests
{
    public enum MilestoneAction
    {
        Start,
        Submit,
        Approve,
        RequestChanges,
        Dispute,
        ResolveAccepted,
        ResolveRework,
        ResolveSettled,
        CancelThroughChangeOrder,
    }

    public static TheoryData<MilestoneStatus, MilestoneAction, MilestoneStatus, MilestoneEventKind> AllowedTransitions => new()
    {
        { MilestoneStatus.Planned, MilestoneAction.Start, MilestoneStatus.InProgress, MilestoneEventKind.Started },
        { MilestoneStatus.Planned, MilestoneAction.CancelThroughChangeOrder, MilestoneStatus.Cancelled, MilestoneEventKind.Cancelled },
        { MilestoneStatus.InProgress, MilestoneAction.Submit, MilestoneStatus.Submitted, MilestoneEventKind.Submitted },
        { MilestoneStatus.InProgress, MilestoneAction.CancelThroughChangeOrder, MilestoneStatus.Cancelled, MilestoneEventKind.Cancelled },
        { MilestoneStatus.Submitted, MilestoneAction.Approve, MilestoneStatus.Approved, MilestoneEventKind.Approved },
        { MilestoneStatus.Submitted, MilestoneAction.RequestChanges, MilestoneStatus.InProgress, MilestoneEventKind.ChangesRequested },
        { MilestoneStatus.Submitted, MilestoneAction.Dispute, MilestoneStatus.Disputed, MilestoneEventKind.Disputed },
        { MilestoneStatus.Approved, MilestoneAction.Dispute, MilestoneStatus.Disputed, MilestoneEventKind.Disputed },
        { MilestoneStatus.Disputed, MilestoneAction.ResolveAccepted, MilestoneStatus.Approved, MilestoneEventKind.DisputeResolved },
        { MilestoneStatus.Disputed, MilestoneAction.ResolveRework, MilestoneStatus.InProgress, MilestoneEventKind.DisputeResolved },
        { MilestoneStatus.Disputed, MilestoneAction.ResolveSettled, MilestoneStatus.Approved, MilestoneEventKind.DisputeResolved },
    };

    /// <summary>Forbidden pairs, with the action as the error names it.</summary>
    public static TheoryData<MilestoneStatus, MilestoneAction, string> ForbiddenTransitions
    {
        get
        {
            var allowed = Transitions.PairsIn<MilestoneStatus, MilestoneAction>(AllowedTransitions);
            var forbidden = new TheoryData<MilestoneStatus, MilestoneAction, string>();
            foreach (var (state, action) in Transitions.EveryPair<MilestoneStatus, MilestoneAction>().Except(allowed))
                forbidden.Add(state, action, Attempted(action));
            return forbidden;
        }
    }

    [Fact]
    public void The_tables_name_every_state_and_action_exactly_once()
    {
        // The forbidden table is the complement of the allowed one; spell it out so a slip shows up here.
        Assert.Equal(54, Transitions.EveryPair<MilestoneStatus, MilestoneAction>().Count);
        Assert.Equal(11, AllowedTransitions.Count);
        Assert.Equal(43, ForbiddenTransitions.Count);
        Assert.Equal(
            Transitions.EveryPair<MilestoneStatus, MilestoneAction>(),
            Transitions.PairsIn<MilestoneStatus, MilestoneAction>(AllowedTransitions, ForbiddenTransitions));
    }

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public void An_allowed_action_moves_the_milestone_and_records_it_in_its_history(MilestoneStatus from, MilestoneAction action, MilestoneStatus to, MilestoneEventKind recorded)
    {
        var (contract, milestone) = AMilestoneIn(from);
        var (version, historyCount) = (milestone.Version, milestone.History.Count);

        Do(action, contract, milestone);

        Assert.Equal(to, milestone.Status);
        Assert.Equal(version + 1, milestone.Version);
        Assert.Equal(historyCount + 1, milestone.History.Count);
        var entry = milestone.History[^1];
        Assert.Equal((recorded, from, to, Later), (entry.Kind, entry.From, entry.To, entry.At));
    }

    [Theory]
    [MemberData(nameof(ForbiddenTransitions))]
    public void A_forbidden_action_is_refused_as_an_invalid_transition_and_changes_nothing(MilestoneStatus from, MilestoneAction action, string attempted)
    {
        var (contract, milestone) = AMilestoneIn(from);
        var before = StateOf(contract, milestone);

        var refused = Assert.Throws<DomainException>(() => Do(action, contract, milestone));

        Transitions.AssertInvalidTransition(refused, "milestone", milestone.Id, attempted, from.ToString());
        Assert.Equal(before, StateOf(contract, milestone));
    }

    [Fact]
    public void Approving_a_planned_milestone_is_refused_and_changes_nothing()
    {
        var (contract, milestone) = AMilestoneIn(MilestoneStatus.Planned);
        var before = StateOf(contract, milestone);

        var refused = Assert.Throws<DomainException>(() => milestone.Approve(ClientContact, Later));

        Assert.Equal($"Cannot approve milestone {milestone.Id}: it is Planned. Only submitted work can be approved.", refused.Message);
        Assert.Equal(before, StateOf(contract, milestone));
    }

    [Fact]
    public void Approving_twice_says_it_is_already_approved_and_keeps_the_first_approval()
    {
        var (contract, milestone) = AMilestoneIn(MilestoneStatus.Approved);
        var before = StateOf(contract, milestone);

        var refused = Assert.Throws<DomainException>(() => milestone.Approve(ProjectManager, Later));

        Assert.EndsWith("It is already approved.", refused.Message, StringComparison.Ordinal);
        Assert.Equal("contact:contact-1", milestone.ApprovedBy);
        Assert.Equal(before, StateOf(contract, milestone));
    }

    [Fact]
    public void When_the_approval_window_runs_out_Cairn_approves_and_history_says_so()
    {
        var (_, milestone) = AMilestoneIn(MilestoneStatus.Submitted);

        var approval = milestone.Approve(Actor.System, Later);

        Assert.Equal(MilestoneStatus.Approved, milestone.Status);
        Assert.Equal(MilestoneEventKind.AutoApproved, approval.Kind);
        Assert.Equal("system:system", approval.Actor);
        Assert.Equal("system:system", milestone.ApprovedBy);
        Assert.Equal(Later, milestone.ApprovedAt);
        Assert.Same(approval, milestone.History[^1]);
    }

    [Fact]
    public void A_client_approval_is_recorded_as_approved_by_that_contact()
    {
        var (_, milestone) = AMilestoneIn(MilestoneStatus.Submitted);

        var approval = milestone.Approve(ClientContact, Later);

        Assert.Equal(MilestoneEventKind.Approved, approval.Kind);
        Assert.Equal("contact:contact-1", milestone.ApprovedBy);
    }

    [Fact]
    public void Submitting_without_a_note_is_refused_and_changes_nothing()
    {
        var (contract, milestone) = AMilestoneIn(MilestoneStatus.InProgress);
        var before = StateOf(contract, milestone);

        var refused = Assert.Throws<DomainException>(() => milestone.Submit("  ", [], ProjectManager, Later));

        Assert.Equal(("note_required", "note"), (refused.Error.Code, refused.Error.Field));
        Assert.Equal(before, StateOf(contract, milestone));
    }

    [Theory]
    [InlineData(MilestoneAction.RequestChanges)]
    [InlineData(MilestoneAction.Dispute)]
    public void A_client_objection_without_a_reason_is_refused_and_changes_nothing(MilestoneAction action)
    {
        var (contract, milestone) = AMilestoneIn(MilestoneStatus.Submitted);
        var before = StateOf(contract, milestone);

        var refused = Assert.Throws<DomainException>(() => Do(action, contract, milestone, reason: ""));

        Assert.Equal(("reason_required", "reason"), (refused.Error.Code, refused.Error.Field));
        Assert.Equal(before, StateOf(contract, milestone));
    }

    [Fact]
    public void Submissions_requests_for_changes_and_disputes_are_kept_as_history_with_their_notes()
    {
        var (contract, milestone) = AMilestoneIn(MilestoneStatus.Submitted);

        Do(MilestoneAction.RequestChanges, contract, milestone);
        Do(MilestoneAction.Submit, contract, milestone);
        Do(MilestoneAction.Dispute, contract, milestone);

        Assert.Equal(
            [
                (MilestoneEventKind.Started, (string?)null),
                (MilestoneEventKind.Submitted, "Homepage and two inner page designs."),
                (MilestoneEventKind.ChangesRequested, "The logo is too small."),
                (MilestoneEventKind.Submitted, "Logo enlarged, as asked."),
                (MilestoneEventKind.Disputed, "The logo is too small."),
            ],
            milestone.History.Select(e => (e.Kind, e.Note)));
        Assert.Equal(["https://files.example/design-v2.pdf"], milestone.History[3].Links);
    }

    private static string Attempted(MilestoneAction action) => action switch
    {
        MilestoneAction.Start => "start",
        MilestoneAction.Submit => "submit",
        MilestoneAction.Approve => "approve",
        MilestoneAction.RequestChanges => "request changes to",
        MilestoneAction.Dispute => "dispute",
        MilestoneAction.ResolveAccepted or MilestoneAction.ResolveRework or MilestoneAction.ResolveSettled => "resolve the dispute of",
        MilestoneAction.CancelThroughChangeOrder => "cancel",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    private static void Do(MilestoneAction action, Contract contract, Milestone milestone, string reason = "The logo is too small.")
    {
        switch (action)
        {
            case MilestoneAction.Start:
                milestone.Start(ProjectManager, Later);
                break;
            case MilestoneAction.Submit:
                milestone.Submit("Logo enlarged, as asked.", ["https://files.example/design-v2.pdf"], ProjectManager, Later);
                break;
            case MilestoneAction.Approve:
                milestone.Approve(ClientContact, Later);
                break;
            case MilestoneAction.RequestChanges:
                milestone.RequestChanges(reason, ClientContact, Later);
                break;
            case MilestoneAction.Dispute:
                milestone.Dispute(reason, ClientContact, Later);
                break;
            case MilestoneAction.ResolveAccepted:
                milestone.ResolveDispute(DisputeOutcome.Accepted, "Accepted after a call.", ProjectManager, Later);
                break;
            case MilestoneAction.ResolveRework:
                milestone.ResolveDispute(DisputeOutcome.Rework, "We redo the designs.", ProjectManager, Later);
                break;
            case MilestoneAction.ResolveSettled:
                milestone.ResolveDispute(DisputeOutcome.Settled, "Settled with a 300.00 credit.", ProjectManager, Later);
                break;
            case MilestoneAction.CancelThroughChangeOrder:
                AProposedChangeOrder(contract, ChangeOrderItem.Cancel(milestone.Id)).Approve(contract, NothingInvoiced, ClientContact, Later);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }

    private static MilestoneState StateOf(Contract contract, Milestone m) =>
        new(m.Status, m.Version, m.AmountMinor, m.History.Count, m.SubmittedAt, m.ApprovedAt, m.ApprovedBy, contract.Status, contract.Version, contract.ValueMinor, contract.Milestones.Count);

    private sealed record MilestoneState(
        MilestoneStatus Status,
        int Version,
        long AmountMinor,
        int HistoryCount,
        DateTimeOffset? SubmittedAt,
        DateTimeOffset? ApprovedAt,
        string? ApprovedBy,
        ContractStatus ContractStatus,
        int ContractVersion,
        long ContractValueMinor,
        int ContractMilestoneCount);
}
