using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.StateMachines;

/// <summary>A contract becomes Active only when its plan adds up to the contract value, to the cent.</summary>
public sealed class PlanCheckTests
{
    [Fact]
    public void A_30_40_30_plan_of_10000_EUR_gives_3000_4000_3000_and_can_be_activated()
    {
        var contract = ADraftContract("10000.00", WebsitePlan());

        Assert.Equal(["3000.00", "4000.00", "3000.00"], AmountsOf(contract));
        Assert.True(contract.CheckPlan().AddsUp);
        contract.Activate(Later);
        Assert.Equal(ContractStatus.Active, contract.Status);
    }

    [Fact]
    public void A_plan_read_beside_its_contract_is_checked_as_the_attached_plan_and_another_contracts_milestone_is_refused()
    {
        var contract = ADraftContract("10000.00", [.. WebsitePlan(), ByAmount("Hosting setup", "100.00")]);
        var other = ADraftContract("10000.00", WebsitePlan());

        Assert.Equal(contract.CheckPlan(), contract.CheckPlan(contract.Milestones.Reverse()));
        Assert.Equal((false, true), (contract.CheckPlan().AddsUp, contract.CheckPlan(contract.Milestones.Take(3)).AddsUp));
        Assert.Throws<ArgumentException>(() => contract.CheckPlan([.. contract.Milestones, other.Milestones[0]]));
    }

    [Fact]
    public void A_plan_100_EUR_over_the_value_cannot_be_activated_and_says_by_how_much()
    {
        var contract = ADraftContract("10000.00", [.. WebsitePlan(), ByAmount("Hosting setup", "100.00")]);
        var version = contract.Version;

        var refused = Assert.Throws<DomainException>(() => contract.Activate(Later));

        var error = Assert.IsType<PlanDoesNotAddUp>(refused.Error);
        Assert.Equal(("plan_does_not_add_up", "milestones"), (error.Code, error.Field));
        Assert.Equal(Eur("100.00"), error.Difference);
        Assert.Equal("The plan totals 10100.00 EUR, 100.00 EUR over the contract value of 10000.00.", error.Message);
        Assert.Equal((ContractStatus.Draft, version, (DateTimeOffset?)null), (contract.Status, contract.Version, contract.ActivatedAt));
    }

    [Fact]
    public void A_plan_100_EUR_short_of_the_value_cannot_be_activated_and_says_by_how_much()
    {
        var contract = ADraftContract("10000.00", [ByAmount("Design", "3000.00"), ByAmount("Build", "4000.00"), ByAmount("Launch", "2900.00")]);
        var version = contract.Version;

        var refused = Assert.Throws<DomainException>(() => contract.Activate(Later));

        var error = Assert.IsType<PlanDoesNotAddUp>(refused.Error);
        Assert.Equal(Eur("-100.00"), error.Difference);
        Assert.Equal("The plan totals 9900.00 EUR, 100.00 EUR short of the contract value of 10000.00.", error.Message);
        Assert.Equal((ContractStatus.Draft, version), (contract.Status, contract.Version));
    }

    [Fact]
    public void Percentages_short_of_100_leave_the_plan_short_by_their_part_of_the_value()
    {
        var contract = ADraftContract("10000.00", [ByPercent("Design", "30"), ByPercent("Build", "40"), ByPercent("Launch", "29")]);

        var refused = Assert.Throws<DomainException>(() => contract.Activate(Later));

        Assert.Contains("100.00 EUR short of", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ContractStatus.Draft, contract.Status);
    }

    [Fact]
    public void A_fixed_1000_plus_60_and_30_percent_of_10000_EUR_adds_up()
    {
        // 1,000.00 + 60% of 10,000.00 (6,000.00) + 30% of 10,000.00 (3,000.00) = 10,000.00.
        var contract = ADraftContract("10000.00", [ByAmount("Kick-off", "1000.00"), ByPercent("Build", "60"), ByPercent("Launch", "30")]);

        Assert.Equal(["1000.00", "6000.00", "3000.00"], AmountsOf(contract));
        var check = contract.CheckPlan();
        Assert.True(check.AddsUp);
        Assert.Equal(Eur("10000.00"), check.PlannedTotal);
        contract.Activate(Later);
        Assert.Equal(ContractStatus.Active, contract.Status);
    }

    [Fact]
    public void Thirds_of_100_EUR_written_as_33_33_33_33_33_34_split_exactly()
    {
        var contract = ADraftContract("100.00", [ByPercent("One", "33.33"), ByPercent("Two", "33.33"), ByPercent("Three", "33.34")]);

        Assert.Equal(["33.33", "33.33", "33.34"], AmountsOf(contract));
        Assert.Equal(Eur("100.00"), Money.Sum(Currency.EUR, contract.Milestones.Select(m => m.Amount)));
        contract.Activate(Later);
        Assert.Equal(ContractStatus.Active, contract.Status);
    }

    [Fact]
    public void A_contract_with_an_empty_plan_cannot_be_activated()
    {
        var contract = ADraftContract("10000.00", []);
        var version = contract.Version;

        var refused = Assert.Throws<DomainException>(() => contract.Activate(Later));

        Assert.Equal(("plan_empty", "milestones"), (refused.Error.Code, refused.Error.Field));
        Assert.False(contract.CheckPlan().AddsUp);
        Assert.Equal((ContractStatus.Draft, version), (contract.Status, contract.Version));
    }

    [Fact]
    public void Changing_the_value_of_a_draft_reallocates_the_percentage_milestones()
    {
        var contract = ADraftContract("10000.00", WebsitePlan());

        contract.SetTerms(contract.Title, Eur("12000.00"), contract.TaxRate, null, 30, null);

        Assert.Equal(["3600.00", "4800.00", "3600.00"], AmountsOf(contract));
        Assert.True(contract.CheckPlan().AddsUp);
    }

    private static string[] AmountsOf(Contract contract) => [.. contract.Milestones.Select(m => m.Amount.ToDecimalString())];
}
