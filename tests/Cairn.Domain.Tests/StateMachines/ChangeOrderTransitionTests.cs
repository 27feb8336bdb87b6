using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.StateMachines;

/// <summary>Change order: Draft → Proposed (sent to the client) → Approved (applied to the contract) or Rejected.</summary>
public sealed class ChangeOrderTransitionTests
{
    public enum ChangeOrderAction
    {
        Propose,
        Approve,
        Reject,
    }

    public static TheoryData<ChangeOrderStatus, ChangeOrderAction, ChangeOrderStatus> AllowedTransitions => new()
    {
        { ChangeOrderStatus.Draft, ChangeOrderAction.Propose, ChangeOrderStatus.Proposed },
        { ChangeOrderStatus.Proposed, ChangeOrderAction.Approve, ChangeOrderStatus.Approved },
        { ChangeOrderStatus.Proposed, ChangeOrderAction.Reject, ChangeOrderStatus.Rejected },
    };

    /// <summary>Forbidden pairs, with the action as the error names it.</summary>
    public static TheoryData<ChangeOrderStatus, ChangeOrderAction, string> ForbiddenTransitions => new()
    {
        { ChangeOrderStatus.Draft, ChangeOrderAction.Approve, "approve" },
        { ChangeOrderStatus.Draft, ChangeOrderAction.Reject, "reject" },
        { ChangeOrderStatus.Proposed, ChangeOrderAction.Propose, "propose" },
        { ChangeOrderStatus.Approved, ChangeOrderAction.Propose, "propose" },
        { ChangeOrderStatus.Approved, ChangeOrderAction.Approve, "approve" },
        { ChangeOrderStatus.Approved, ChangeOrderAction.Reject, "reject" },
        { ChangeOrderStatus.Rejected, ChangeOrderAction.Propose, "propose" },
        { ChangeOrderStatus.Rejected, ChangeOrderAction.Approve, "approve" },
        { ChangeOrderStatus.Rejected, ChangeOrderAction.Reject, "reject" },
    };

    [Fact]
    public void The_tables_name_every_state_and_action_exactly_once()
    {
        Assert.Equal(
            Transitions.EveryPair<ChangeOrderStatus, ChangeOrderAction>(),
            Transitions.PairsIn<ChangeOrderStatus, ChangeOrderAction>(AllowedTransitions, ForbiddenTransitions));
    }

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public void An_allowed_action_moves_the_change_order_to_its_next_state(ChangeOrderStatus from, ChangeOrderAction action, ChangeOrderStatus to)
    {
        var (contract, order) = AChangeOrderIn(from);

        Do(action, contract, order);

        Assert.Equal(to, order.Status);
    }

    [Theory]
    [MemberData(nameof(ForbiddenTransitions))]
    public void A_forbidden_action_is_refused_as_an_invalid_transition_and_changes_nothing(ChangeOrderStatus from, ChangeOrderAction action, string attempted)
    {
        var (contract, order) = AChangeOrderIn(from);
        var before = StateOf(contract, order);

        var refused = Assert.Throws<DomainException>(() => Do(action, contract, order));

        Transitions.AssertInvalidTransition(refused, "change order", order.Id, attempted, from.ToString());
        Assert.Equal(before, StateOf(contract, order));
    }

    [Fact]
    public void Rejecting_a_proposed_change_order_leaves_the_contract_as_it_was()
    {
        var (contract, order) = AChangeOrderIn(ChangeOrderStatus.Proposed);
        var before = StateOf(contract, order);

        order.Reject(ClientContact, Later);

        Assert.Equal(before with { Status = ChangeOrderStatus.Rejected, DecidedAt = Later, DecidedBy = "contact:contact-1" }, StateOf(contract, order));
    }

    [Fact]
    public void A_change_order_cannot_be_drafted_for_a_draft_contract()
    {
        var contract = ADraftContract();

        var refused = Assert.Throws<DomainException>(() => new ChangeOrder(Guid.CreateVersion7(), contract, "Scope change", null, [ChangeOrderItem.Add(ByAmount("Extra landing page", "500.00"))], Now));

        Transitions.AssertInvalidTransition(refused, "contract", contract.Id, "draft a change order for", "Draft");
    }

    /// <summary>A change order adding a 500.00 EUR landing page to an active 30/40/30 contract.</summary>
    private static (Contract Contract, ChangeOrder Order) AChangeOrderIn(ChangeOrderStatus status)
    {
        var contract = AnActiveContract();
        var order = new ChangeOrder(Guid.CreateVersion7(), contract, "Extra landing page", "Campaign launch", [ChangeOrderItem.Add(ByAmount("Extra landing page", "500.00"))], Now);
        if (status == ChangeOrderStatus.Draft)
            return (contract, order);
        order.Propose(Now);
        switch (status)
        {
            case ChangeOrderStatus.Proposed:
                break;
            case ChangeOrderStatus.Approved:
                order.Approve(contract, NothingInvoiced, ClientContact, Now);
                break;
            case ChangeOrderStatus.Rejected:
                order.Reject(ClientContact, Now);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, null);
        }

        return (contract, order);
    }

    private static void Do(ChangeOrderAction action, Contract contract, ChangeOrder order)
    {
        switch (action)
        {
            case ChangeOrderAction.Propose:
                order.Propose(Later);
                break;
            case ChangeOrderAction.Approve:
                order.Approve(contract, NothingInvoiced, ClientContact, Later);
                break;
            case ChangeOrderAction.Reject:
                order.Reject(ClientContact, Later);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }

    private static ChangeOrderState StateOf(Contract contract, ChangeOrder order) => new(
        order.Status,
        order.ProposedAt,
        order.DecidedAt,
        order.DecidedBy,
        order.ResultingContractVersion,
        contract.Version,
        contract.ValueMinor,
        string.Join(" | ", contract.Milestones.Select(m => $"{m.Title} {m.Status} {m.AmountMinor}")));

    private sealed record ChangeOrderState(
        ChangeOrderStatus Status,
        DateTimeOffset? ProposedAt,
        DateTimeOffset? DecidedAt,
        string? DecidedBy,
        int? ResultingContractVersion,
        int ContractVersion,
        long ContractValueMinor,
        string Plan);
}
