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
        var line = final.DeductPrepayment(prepayment, Assert.Single(account.ShareFor(contract, build, PlanBilling.Of([prepayment]))));

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
        var share = Assert.Single(PrepaymentAccount.Of(prepayment, 100_000, [prepayment]).ShareFor(contract, design, PlanBilling.Of([prepayment])));
        Assert.Equal(Eur("999.90"), share.Net);
        first.DeductPrepayment(prepayment, share);

        var invoices = new[] { prepayment, first };
        var account = PrepaymentAccount.Of(prepayment, 100_000, invoices);
        Assert.Equal((Eur("3000.00"), Eur("999.90"), Eur("2000.10")), (account.Deductible, account.Deducted, account.Left));
        Assert.Equal(Eur("2000.10"), Assert.Single(account.ShareFor(contract, build, PlanBilling.Of(invoices))).Net);
    }

    [Fact]
    public void A_deduction_never_exceeds_what_is_left_nor_the_milestone_and_a_credit_never_takes_back_what_was_deducted()
    {
        var contract = ADraftContract(plan: [new("Deposit", null, null, null, Eur("9000.00"), null, BillingTrigger.OnStart, null, Prepayment: true), ByAmount("Design", "1000.00"), ByAmount("Build", "9000.00")]);
        contract.Activate(Now);
        var prepayment = AnIssued(new Invoice(Guid.CreateVersion7(), contract, contract.Milestones[0], Now), 1);
        var design = new Invoice(Guid.CreateVersion7(), contract, contract.Milestones[1], Now);
        design.DeductPrepayment(prepayment, Standard("900.00"));

        var account = PrepaymentAccount.Of(prepayment, 0, [prepayment, design]);

        Assert.Equal(Eur("8100.00"), account.Left);
        Assert.Equal(Eur("8100.00"), Assert.Single(account.ShareFor(contract, contract.Milestones[2], PlanBilling.Of([prepayment, design]))).Net);
        Assert.Equal("deduction_exceeds_prepayment", Assert.Throws<DomainException>(() => account.RequireRoomFor([Standard("8100.01")])).Error.Code);
        Assert.Equal("prepayment_already_deducted", Assert.Throws<DomainException>(() => account.RequireCredit(Eur("8100.01"))).Error.Code);
        account.RequireCredit(Eur("8100.00"));
        Assert.Empty(PrepaymentAccount.Of(prepayment, 900_000, [prepayment, design]).ShareFor(contract, contract.Milestones[2], PlanBilling.Of([prepayment, design])));
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

        Assert.Equal("not_a_prepayment", Assert.Throws<DomainException>(() => final.DeductPrepayment(draftPrepayment, Standard("1.00"))).Error.Code);
        Assert.Equal("not_a_prepayment", Assert.Throws<DomainException>(() => final.DeductPrepayment(ordinary, Standard("1.00"))).Error.Code);
        Assert.Single(final.Lines);
    }

    [Fact]
    public void A_deposit_on_a_plan_in_two_VAT_groups_is_invoiced_per_group_and_each_invoice_deducts_in_its_own_group()
    {
        // 10,000.00 of which 7,000.01 at 20% and 2,999.99 at 10%: the 40% deposit (4,000.00) splits 2,800.00 / 1,200.00 by largest remainder.
        var contract = ADraftContract(plan: [Deposit("40"), ByAmount("Build", "4000.01"), ByAmount("Training", "2999.99"), ByAmount("Launch", "3000.00")]);
        contract.SetMilestoneTax(contract.Milestones[2].Id, TaxTreatment.Standard(TaxRate.Parse("10")));
        contract.Activate(Now);
        var (deposit, build, training, launch) = (contract.Milestones[0], contract.Milestones[1], contract.Milestones[2], contract.Milestones[3]);
        var prepayment = AnIssued(new Invoice(Guid.CreateVersion7(), contract, deposit, Now), 1);

        Assert.Equal(["2800.00 S 20", "1200.00 S 10"], prepayment.Lines.Select(l => $"{l.Net.ToDecimalString()} {l.TaxCategory} {l.TaxRate.ToDecimalString()}"));
        Assert.Equal((Eur("4000.00"), Eur("680.00")), (prepayment.Net, prepayment.Tax));

        // Training is the only milestone at 10%: it deducts all of that group, in that group, and nothing at 20%.
        var trainingInvoice = new Invoice(Guid.CreateVersion7(), contract, training, Now);
        foreach (var share in PrepaymentAccount.Of(prepayment, 0, [prepayment]).ShareFor(contract, training, PlanBilling.Of([prepayment])))
            trainingInvoice.DeductPrepayment(prepayment, share);
        Assert.Equal(["2999.99 S 10", "-1200.00 S 10"], trainingInvoice.Lines.Select(l => $"{l.Net.ToDecimalString()} {l.TaxCategory} {l.TaxRate.ToDecimalString()}"));
        Assert.Equal("Deduction of prepayment invoice INV-2026-000001 (S 10%)", trainingInvoice.Lines[1].Description);

        // Build takes its share of the 20% group (2,800.00 × 4,000.01 / 7,000.01, half away from zero); Launch, the last, the rest.
        var billed = new List<Invoice> { prepayment, AnIssued(trainingInvoice, 2) };
        var buildShares = PrepaymentAccount.Of(prepayment, 0, billed).ShareFor(contract, build, PlanBilling.Of(billed));
        Assert.Equal(["1600.00 S 20"], buildShares.Select(s => $"{s.Net.ToDecimalString()} {s.Tax.Category} {s.Tax.Rate.ToDecimalString()}"));
        var buildInvoice = new Invoice(Guid.CreateVersion7(), contract, build, Now);
        buildInvoice.DeductPrepayment(prepayment, buildShares[0]);
        billed.Add(AnIssued(buildInvoice, 3));
        var account = PrepaymentAccount.Of(prepayment, 0, billed);
        Assert.Equal(["1200.00 S 20"], account.ShareFor(contract, launch, PlanBilling.Of(billed)).Select(s => $"{s.Net.ToDecimalString()} {s.Tax.Category} {s.Tax.Rate.ToDecimalString()}"));
        Assert.Equal((Eur("2800.00"), Eur("1200.00")), (account.Deducted, account.Left));

        // No deduction in a group the prepayment did not bill, nor more than a group has left.
        Assert.Equal("not_a_prepayment", Assert.Throws<DomainException>(() => new Invoice(Guid.CreateVersion7(), contract, launch, Now).DeductPrepayment(prepayment, new PrepaymentShare(TaxTreatment.Standard(TaxRate.Parse("5.5")), Eur("1.00")))).Error.Code);
        Assert.Equal("deduction_exceeds_prepayment", Assert.Throws<DomainException>(() => account.RequireRoomFor([new PrepaymentShare(TaxTreatment.Standard(TaxRate.Parse("10")), Eur("0.01"))])).Error.Code);
        account.RequireRoomFor([Standard("1200.00")]);

        // A credit is shared among the groups as they were invoiced (70/30): 1,000.00 would take back 300.00 of the 10% group, all deducted.
        Assert.Equal("prepayment_already_deducted", Assert.Throws<DomainException>(() => account.RequireCredit(Eur("1000.00"))).Error.Code);
    }

    private static PrepaymentShare Standard(string net) => new(TaxTreatment.Standard(TaxRate.Parse("20")), Eur(net));

    private static Invoice AnIssued(Invoice invoice, long sequence)
    {
        invoice.Issue(InvoiceNumber(sequence), Today, Seller, Buyer, Now);
        return invoice;
    }
}
