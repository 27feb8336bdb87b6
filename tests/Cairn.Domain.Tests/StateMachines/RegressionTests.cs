using Cairn.Domain;
using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.StateMachines;

/// <summary>Rules found missing by the transition tables, kept so they stay fixed.</summary>
public sealed class RegressionTests
{
    [Fact]
    public void After_a_change_order_the_plan_still_adds_up_to_the_contract_value()
    {
        var contract = AnActiveContract();
        AProposedChangeOrder(contract, ChangeOrderItem.Add(ByAmount("Extra landing page", "1000.00"))).Approve(contract, NothingInvoiced, ClientContact, Later);

        Assert.Equal(Eur("11000.00"), contract.Value);
        Assert.True(contract.CheckPlan().AddsUp, contract.CheckPlan().ToError().Message);
    }

    [Fact]
    public void A_rejected_change_order_cannot_be_applied_to_the_contract()
    {
        var contract = AnActiveContract();
        var order = AProposedChangeOrder(contract, ChangeOrderItem.Add(ByAmount("Extra landing page", "500.00")));
        order.Reject(ClientContact, Now);
        var version = contract.Version;

        Assert.Throws<DomainException>(() => contract.ApplyChangeOrder(order, NothingInvoiced, ClientContact, Later));
        Assert.Equal((version, 3), (contract.Version, contract.Milestones.Count));
    }

    [Fact]
    public void An_approved_change_order_cannot_be_applied_twice()
    {
        var contract = AnActiveContract();
        var order = AProposedChangeOrder(contract, ChangeOrderItem.Add(ByAmount("Extra landing page", "500.00")));
        order.Approve(contract, NothingInvoiced, ClientContact, Now);
        var version = contract.Version;

        Assert.Throws<DomainException>(() => contract.ApplyChangeOrder(order, NothingInvoiced, ClientContact, Later));
        Assert.Equal((version, 4), (contract.Version, contract.Milestones.Count));
    }

    [Theory]
    [InlineData("-50.00")]
    [InlineData("0.00")]
    public void Taking_back_a_zero_or_negative_amount_is_refused_and_changes_nothing(string amount)
    {
        var invoice = AnIssuedInvoice();
        var payment = APayment("3600.00");
        payment.ApplyTo(invoice, Eur("1000.00"), Now);

        Assert.Throws<DomainException>(() => payment.TakeBack(invoice, Eur(amount), Later));
        Assert.Equal((Eur("1000.00"), 1), (payment.Applied, payment.Applications.Count));
    }

    [Fact]
    public void Taking_back_an_amount_in_another_currency_is_refused()
    {
        var invoice = AnIssuedInvoice();
        var payment = APayment("3600.00");
        payment.ApplyTo(invoice, Eur("1000.00"), Now);

        Assert.Throws<DomainException>(() => payment.TakeBack(invoice, Money.Parse("100.00", Currency.USD), Later));
        Assert.Single(payment.Applications);
    }

    [Fact]
    public void Reworking_a_dispute_clears_the_earlier_approval()
    {
        var (_, milestone) = AMilestoneIn(MilestoneStatus.Approved);
        milestone.Dispute("Broken on mobile.", ClientContact, Later);
        milestone.ResolveDispute(DisputeOutcome.Rework, "Fix mobile.", ProjectManager, Later);

        Assert.Null(milestone.ApprovedAt);
        Assert.Null(milestone.ApprovedBy);
    }

    [Fact]
    public void A_zero_tax_rate_needs_an_exemption_reason() =>
        Assert.Throws<DomainException>(() => ADraftContract().SetTerms("Website relaunch", Eur("10000.00"), Pct("0"), null, 30, null));
}
