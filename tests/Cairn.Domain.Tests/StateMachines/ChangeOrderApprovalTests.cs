using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.StateMachines;

/// <summary>
/// Approving a change order amends an active contract atomically: every item at once, the version
/// up by one, the value recomputed; invoiced milestones are never touched. The contract is the
/// active 30/40/30 website contract of 10,000.00 EUR (Design 3,000.00, Build 4,000.00, Launch 3,000.00).
/// </summary>
public sealed class ChangeOrderApprovalTests
{
    [Fact]
    public void Approving_adds_changes_and_cancels_together_and_makes_a_new_version_of_the_contract()
    {
        var contract = AnActiveContract();
        var (design, build, launch) = (contract.Milestones[0], contract.Milestones[1], contract.Milestones[2]);
        var version = contract.Version;
        var order = AProposedChangeOrder(
            contract,
            ChangeOrderItem.Add(ByAmount("Extra landing page", "500.00")),
            ChangeOrderItem.Change(build.Id, ByAmount("Build with shop", "4500.00")),
            ChangeOrderItem.Cancel(launch.Id));

        order.Approve(contract, NothingInvoiced, ClientContact, Later);

        Assert.Equal(ChangeOrderStatus.Approved, order.Status);
        Assert.Equal(version + 1, contract.Version);
        Assert.Equal(contract.Version, order.ResultingContractVersion);
        Assert.Equal(Eur("8000.00"), contract.Value);
        Assert.Equal(
            [
                (1, "Design", MilestoneStatus.Planned, "3000.00"),
                (2, "Build with shop", MilestoneStatus.Planned, "4500.00"),
                (3, "Launch", MilestoneStatus.Cancelled, "3000.00"),
                (4, "Extra landing page", MilestoneStatus.Planned, "500.00"),
            ],
            contract.Milestones.Select(m => (m.Position, m.Title, m.Status, m.Amount.ToDecimalString())));
        Assert.Equal(design.Id, contract.Milestones[0].Id);
        Assert.Equal((MilestoneEventKind.Cancelled, "contact:contact-1"), (launch.History[^1].Kind, launch.History[^1].Actor));
    }

    [Fact]
    public void The_effect_shown_before_approval_is_what_approval_does_and_changes_nothing()
    {
        var contract = AnActiveContract();
        var (design, build, launch) = (contract.Milestones[0], contract.Milestones[1], contract.Milestones[2]);
        var before = StateOf(contract);
        var order = AProposedChangeOrder(
            contract,
            ChangeOrderItem.Add(ByPercent("Extra landing page", "5")),
            ChangeOrderItem.Change(build.Id, ByAmount("Build with shop", "4500.00") with { DueDate = Today.AddDays(30) }),
            ChangeOrderItem.Cancel(launch.Id));

        var effect = contract.EffectOf(order);

        Assert.Equal(before, StateOf(contract));
        Assert.Equal((Eur("10000.00"), Eur("8000.00")), (effect.ValueBefore, effect.ValueAfter));
        Assert.True(effect.Check.AddsUp);
        Assert.Equal(
            [
                (design.Id, null, "Design", "3000.00", "3000.00", null),
                (build.Id, ChangeOrderItemKind.Change, "Build with shop", "4000.00", "4500.00", Today.AddDays(30)),
                (launch.Id, ChangeOrderItemKind.Cancel, "Launch", "3000.00", null, null),
                ((Guid?)null, ChangeOrderItemKind.Add, "Extra landing page", null, "500.00", (DateOnly?)null),
            ],
            effect.Lines.Select(l => (l.MilestoneId, l.Kind, l.Title, l.Before?.ToDecimalString(), l.After?.ToDecimalString(), l.DueAfter)));

        order.Approve(contract, NothingInvoiced, ClientContact, Later);
        Assert.Equal(effect.ValueAfter, contract.Value);
    }

    [Fact]
    public void A_percentage_in_a_change_order_is_taken_of_the_value_before_the_change()
    {
        var contract = AnActiveContract();
        var build = contract.Milestones[1];
        var order = AProposedChangeOrder(
            contract,
            ChangeOrderItem.Change(build.Id, ByPercent("Build with shop", "45")),
            ChangeOrderItem.Add(ByPercent("Extra landing page", "5")));

        order.Approve(contract, NothingInvoiced, ClientContact, Later);

        Assert.Equal(Eur("4500.00"), build.Amount);
        Assert.Equal(Eur("500.00"), contract.Milestones[^1].Amount);
        Assert.Equal(Eur("11000.00"), contract.Value);
    }

    [Fact]
    public void Changing_an_invoiced_milestone_is_refused_and_the_contract_is_unchanged()
    {
        var contract = AnActiveContract();
        var design = contract.Milestones[0];
        var before = StateOf(contract);
        var order = AProposedChangeOrder(
            contract,
            ChangeOrderItem.Add(ByAmount("Extra landing page", "500.00")),
            ChangeOrderItem.Change(design.Id, ByAmount("Design", "2500.00")));

        var refused = Assert.Throws<DomainException>(() => order.Approve(contract, Invoiced(contract, design), ClientContact, Later));

        Transitions.AssertInvalidTransition(refused, "milestone", design.Id, "change", "invoiced");
        Assert.Equal(before, StateOf(contract));
        Assert.Equal(ChangeOrderStatus.Proposed, order.Status);
    }

    [Fact]
    public void Cancelling_an_invoiced_milestone_is_refused_and_the_contract_is_unchanged()
    {
        var contract = AnActiveContract();
        var build = contract.Milestones[1];
        var before = StateOf(contract);
        var order = AProposedChangeOrder(
            contract,
            ChangeOrderItem.Change(contract.Milestones[0].Id, ByAmount("Design", "3500.00")),
            ChangeOrderItem.Cancel(build.Id));

        var refused = Assert.Throws<DomainException>(() => order.Approve(contract, Invoiced(contract, build), ClientContact, Later));

        var error = Assert.IsType<InvalidTransition>(refused.Error);
        Assert.Equal(("milestone", build.Id, "invoiced"), (error.Entity, error.EntityId, error.State));
        Assert.Equal(before, StateOf(contract));
        Assert.Equal(ChangeOrderStatus.Proposed, order.Status);
    }

    [Fact]
    public void Cancelling_delivered_work_is_refused_and_the_contract_is_unchanged()
    {
        var (contract, design) = AMilestoneIn(MilestoneStatus.Submitted);
        var before = StateOf(contract);
        var order = AProposedChangeOrder(contract, ChangeOrderItem.Add(ByAmount("Extra landing page", "500.00")), ChangeOrderItem.Cancel(design.Id));

        var refused = Assert.Throws<DomainException>(() => order.Approve(contract, NothingInvoiced, ClientContact, Later));

        Transitions.AssertInvalidTransition(refused, "milestone", design.Id, "cancel", "Submitted");
        Assert.Equal(before, StateOf(contract));
    }

    [Fact]
    public void A_change_order_naming_a_milestone_of_another_contract_is_refused_and_the_contract_is_unchanged()
    {
        var contract = AnActiveContract();
        var stranger = AnActiveContract().Milestones[0];
        var before = StateOf(contract);
        var order = AProposedChangeOrder(contract, ChangeOrderItem.Add(ByAmount("Extra landing page", "500.00")), ChangeOrderItem.Cancel(stranger.Id));

        var refused = Assert.Throws<DomainException>(() => order.Approve(contract, NothingInvoiced, ClientContact, Later));

        Assert.Equal(("milestone_not_in_contract", "items"), (refused.Error.Code, refused.Error.Field));
        Assert.Equal(before, StateOf(contract));
    }

    private static string StateOf(Contract c) =>
        $"{c.Status} v{c.Version} {c.ValueMinor} | " + string.Join(" | ", c.Milestones.Select(m => $"{m.Position} {m.Id} {m.Title} {m.Status} {m.AmountMinor} {m.AcceptanceCriteria} v{m.Version} h{m.History.Count}"));
}
