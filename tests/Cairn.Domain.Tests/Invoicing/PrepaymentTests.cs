using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.Invoicing;

/// <summary>
/// A deposit that prepays the whole contract: outside the plan, invoiced as a prepayment invoice
/// (type 386), deducted by the later invoices in the same tax category, never more than was
/// invoiced and not credited.
/// </summary>
public sealed class PrepaymentTests
{
    private static MilestoneTerms Deposit(string percentage) =>
        new("Deposit", null, null, null, null, Pct(percentage), BillingTrigger.OnStart, null, Prepayment: true);

    [Fact]
    public void The_worked_example_deposit_of_40_percent_is_deducted_whole_by_the_final_invoice()
    {
        var contract = ADraftContract(plan: [Deposit("40"), ByAmount("Build", "10000.00")]);
        contract.Activate(Now);
        var (deposit, build) = (contract.Milestones[0], contract.Milestones[1]);
        var prepayment = AnIssued(new Invoice(Guid.CreateVersion7(), contract, deposit, Now), 1);

        Assert.Equal((true, Eur("4000.00"), Eur("800.00"), Eur("4800.00")), (prepayment.Prepayment, prepayment.Net, prepayment.Tax, prepayment.Gross));

        var final = new Invoice(Guid.CreateVersion7(), contract, build, Now);
        var account = PrepaymentAccount.Of(prepayment, 0, [prepayment]);
        var line = final.DeductPrepayment(prepayment, account.ShareFor(contract, build, PlanBilling.Of([prepayment])));

        Assert.Equal((Eur("-4000.00"), "Deduction of prepayment invoice INV-2026-000001", prepayment.Id, "INV-2026-000001"), (line.Net, line.Description, line.PrepaymentInvoiceId, line.PrepaymentNumber));
        Assert.Equal((TaxCategory.S, TaxRate.Parse("20")), (line.TaxCategory, line.TaxRate));
        Assert.Equal((Eur("6000.00"), Eur("1200.00"), Eur("7200.00")), (final.Net, final.Tax, final.Gross));
        Assert.False(final.Prepayment);
    }

    [Fact]
    public void The_prepayment_stands_outside_the_plan_which_must_still_add_up_to_the_contract_value()
    {
        var contract = ADraftContract(plan: [Deposit("40"), ByPercent("Design", "30"), ByPercent("Build", "70")]);

        Assert.Equal([Eur("4000.00"), Eur("3000.00"), Eur("7000.00")], contract.Milestones.Select(m => m.Amount));
        Assert.True(contract.CheckPlan().AddsUp);
        contract.Activate(Now);
        Assert.Same(contract.Milestones[0], contract.PrepaymentMilestone);
    }

    [Fact]
    public void Each_invoice_deducts_its_share_of_what_was_not_credited_and_the_last_one_the_rest()
    {
        var contract = ADraftContract(plan: [Deposit("40"), ByPercent("Design", "33.33"), ByPercent("Build", "66.67")]);
        contract.Activate(Now);
        var (deposit, design, build) = (contract.Milestones[0], contract.Milestones[1], contract.Milestones[2]);
        var prepayment = AnIssued(new Invoice(Guid.CreateVersion7(), contract, deposit, Now), 1);

        // 1,000.00 net of the 4,000.00 deposit was credited: 3,000.00 is left to deduct, 33.33% of it first.
        var first = new Invoice(Guid.CreateVersion7(), contract, design, Now);
        var share = PrepaymentAccount.Of(prepayment, 100_000, [prepayment]).ShareFor(contract, design, PlanBilling.Of([prepayment]));
        Assert.Equal(Eur("999.90"), share);
        first.DeductPrepayment(prepayment, share);

        var invoices = new[] { prepayment, first };
        var account = PrepaymentAccount.Of(prepayment, 100_000, invoices);
        Assert.Equal((Eur("3000.00"), Eur("999.90"), Eur("2000.10")), (account.Deductible, account.Deducted, account.Left));
        Assert.Equal(Eur("2000.10"), account.ShareFor(contract, build, PlanBilling.Of(invoices)));
    }

    [Fact]
    public void A_deduction_never_exceeds_what_is_left_nor_the_milestone_and_a_credit_never_takes_back_what_was_deducted()
    {
        var contract = ADraftContract(plan: [new("Deposit", null, null, null, Eur("9000.00"), null, BillingTrigger.OnStart, null, Prepayment: true), ByAmount("Design", "1000.00"), ByAmount("Build", "9000.00")]);
        contract.Activate(Now);
        var prepayment = AnIssued(new Invoice(Guid.CreateVersion7(), contract, contract.Milestones[0], Now), 1);
        var design = new Invoice(Guid.CreateVersion7(), contract, contract.Milestones[1], Now);
        design.DeductPrepayment(prepayment, Eur("900.00"));

        var account = PrepaymentAccount.Of(prepayment, 0, [prepayment, design]);

        Assert.Equal(Eur("8100.00"), account.Left);
        Assert.Equal(Eur("8100.00"), account.ShareFor(contract, contract.Milestones[2], PlanBilling.Of([prepayment, design])));
        Assert.Equal("deduction_exceeds_prepayment", Assert.Throws<DomainException>(() => account.RequireRoomFor(Eur("8100.01"))).Error.Code);
        Assert.Equal("prepayment_already_deducted", Assert.Throws<DomainException>(() => account.RequireCredit(Eur("8100.01"))).Error.Code);
        account.RequireCredit(Eur("8100.00"));
        Assert.Equal(Eur("0.00"), PrepaymentAccount.Of(prepayment, 900_000, [prepayment, design]).ShareFor(contract, contract.Milestones[2], PlanBilling.Of([prepayment, design])));
    }

    [Fact]
    public void A_prepayment_is_an_on_start_deposit_one_per_contract_never_above_the_contract_value()
    {
        Assert.Equal("prepayment_needs_on_start", Assert.Throws<DomainException>(() => ADraftContract(plan: [ByAmount("Build", "10000.00") with { Prepayment = true }])).Error.Code);
        Assert.Equal("prepayment_exists", Assert.Throws<DomainException>(() => ADraftContract(plan: [Deposit("10"), Deposit("20"), ByAmount("Build", "10000.00")])).Error.Code);
        var tooMuch = ADraftContract(plan: [Deposit("100") with { Percentage = null, FixedAmount = Eur("10000.01") }, ByAmount("Build", "10000.00")]);
        Assert.Equal("prepayment_exceeds_value", Assert.Throws<DomainException>(() => tooMuch.Activate(Now)).Error.Code);
    }

    [Fact]
    public void Only_an_issued_prepayment_invoice_of_the_same_contract_can_be_deducted()
    {
        var contract = ADraftContract(plan: [Deposit("40"), ByAmount("Build", "10000.00")]);
        contract.Activate(Now);
        var draftPrepayment = new Invoice(Guid.CreateVersion7(), contract, contract.Milestones[0], Now);
        var ordinary = AnIssued(new Invoice(Guid.CreateVersion7(), contract, contract.Milestones[1], Now), 2);
        var final = new Invoice(Guid.CreateVersion7(), contract, contract.Milestones[1], Now);

        Assert.Equal("not_a_prepayment", Assert.Throws<DomainException>(() => final.DeductPrepayment(draftPrepayment, Eur("1.00"))).Error.Code);
        Assert.Equal("not_a_prepayment", Assert.Throws<DomainException>(() => final.DeductPrepayment(ordinary, Eur("1.00"))).Error.Code);
        Assert.Single(final.Lines);
    }

    private static Invoice AnIssued(Invoice invoice, long sequence)
    {
        invoice.Issue(InvoiceNumber(sequence), Today, Seller, Buyer, Now);
        return invoice;
    }
}
