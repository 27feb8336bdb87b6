using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.Invoicing;

/// <summary>
/// The delivery date an invoice states (EN 16931 BT-72, the date of supply VAT law asks for) is the seller's
/// business day on which the work was delivered, not the UTC day: work handed over at half past midnight
/// in Berlin was delivered on that day in Berlin, although it was still the day before in UTC.
/// </summary>
public sealed class DeliveryDateTests
{
    [Fact]
    public void Work_delivered_just_after_midnight_in_the_sellers_time_zone_is_dated_that_day()
    {
        var (contract, design) = AMilestoneIn(MilestoneStatus.InProgress);
        var deliveredAt = new DateTimeOffset(2026, 3, 1, 23, 30, 0, TimeSpan.Zero); // 00:30 on 2 March in Berlin (UTC+1)
        design.Submit("Homepage designs.", ["https://files.example/design.pdf"], ProjectManager, deliveredAt);
        design.Approve(ClientContact, Now);

        var berlin = new Invoice(Guid.CreateVersion7(), contract, design, Now, BusinessCalendar.Of("Europe/Berlin"));
        var utc = new Invoice(Guid.CreateVersion7(), contract, design, Now, BusinessCalendar.Utc);

        Assert.Equal(new DateOnly(2026, 3, 2), berlin.DeliveryDate);
        Assert.Equal(new DateOnly(2026, 3, 1), utc.DeliveryDate);
    }

    [Fact]
    public void A_deposit_delivers_nothing_and_states_no_delivery_date()
    {
        var contract = ADraftContract(plan: [new MilestoneTerms("Deposit", null, null, null, null, Pct("30"), BillingTrigger.OnStart, null, Prepayment: true), ByAmount("Build", "10000.00")]);
        contract.Activate(Now);

        var deposit = new Invoice(Guid.CreateVersion7(), contract, contract.Milestones[0], Now, BusinessCalendar.Of("Europe/Berlin"));

        Assert.Null(deposit.DeliveryDate);
    }
}
