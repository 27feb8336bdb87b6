using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests;

/// <summary>A credit note over an invoice with several tax groups says how much of each it takes back, exact to the cent.</summary>
public sealed class CreditSplitTests
{
    private static readonly TaxTreatment Reduced = TaxTreatment.ForRate(TaxRate.Parse("10"));
    private static readonly TaxTreatment Exempt = TaxTreatment.Of(TaxCategory.E, TaxRate.Zero, "VATEX-EU-132", null);

    // The Design invoice (3,000.00 at 20%) with 1,000.00 at 10% and 500.00 exempt: 3,600.00 + 1,100.00 + 500.00 = 5,200.00.
    private static Invoice AnInvoiceOfThreeGroups()
    {
        var invoice = ADraftInvoice();
        invoice.AddLine("Travel", Eur("1000.00"), Reduced);
        invoice.AddLine("Training", Eur("500.00"), Exempt);
        invoice.Issue(InvoiceNumber(42), Today, Seller, Buyer, Now);
        return invoice;
    }

    private static (string Group, string Net, string Tax)[] Shown(IEnumerable<TaxSubtotal> groups) =>
        [.. groups.Select(g => ($"{g.Category} {g.Rate.ToDecimalString()}", g.Net.ToDecimalString(), g.Tax.ToDecimalString()))];

    [Fact]
    public void A_gross_amount_is_split_in_proportion_to_what_is_left_in_each_group_with_tax_rounded_once_per_group()
    {
        var invoice = AnInvoiceOfThreeGroups();

        var split = CreditSplit.Proportional(CreditSplit.Remaining(invoice, []), Eur("520.00"));

        Assert.Equal([("S 20", "300.00", "60.00"), ("S 10", "100.00", "10.00"), ("E 0", "50.00", "0.00")], Shown(split));
    }

    [Fact]
    public void The_cent_that_does_not_divide_goes_to_the_group_with_the_largest_remainder()
    {
        var invoice = AnInvoiceOfThreeGroups();

        // 1.00 of 5,200.00: 3,600 → 0.6923, 1,100 → 0.2115, 500 → 0.0962; floors 0.69 + 0.21 + 0.09 = 0.99, the cent to 0.0962.
        var split = CreditSplit.Proportional(CreditSplit.Remaining(invoice, []), Eur("1.00"));

        Assert.Equal([("S 20", "0.57", "0.12"), ("S 10", "0.19", "0.02"), ("E 0", "0.10", "0.00")], Shown(split));
        Assert.Equal(100, split.Sum(g => g.Net.Minor + g.Tax.Minor));
    }

    [Fact]
    public void Every_gross_amount_is_credited_to_the_cent_and_no_group_beyond_what_is_left_in_it()
    {
        var invoice = AnInvoiceOfThreeGroups();
        var first = ACreditNote(invoice, [], Eur("1234.57"), 1);
        var remaining = CreditSplit.Remaining(invoice, [first]);

        for (var minor = 1L; minor <= invoice.GrossMinor - first.GrossMinor; minor += 997)
        {
            var split = CreditSplit.Proportional(remaining, new Money(minor, Currency.EUR));

            Assert.Equal(minor, split.Sum(g => g.Net.Minor + g.Tax.Minor));
            Assert.All(split, g =>
            {
                var left = remaining.Single(r => r.Category == g.Category && r.Rate == g.Rate);
                Assert.InRange(g.Net.Minor, 0, left.Net.Minor);
                Assert.InRange(g.Tax.Minor, 0, left.Tax.Minor);
            });
        }
    }

    [Fact]
    public void Crediting_what_is_left_after_a_partial_credit_takes_back_each_group_exactly()
    {
        var invoice = AnInvoiceOfThreeGroups();
        var partial = ACreditNote(invoice, [], Eur("777.77"), 1);
        invoice.Credit(partial.Gross);

        var rest = ACreditNote(invoice, [partial], invoice.Creditable, 2);

        Assert.Equal(Shown(invoice.Totals.PerRate),
            Shown(partial.GroupsOn(invoice)!.Zip(rest.GroupsOn(invoice)!, (a, b) => a with { Net = a.Net + b.Net, Tax = a.Tax + b.Tax })));
    }

    [Fact]
    public void A_split_asked_for_takes_each_named_group_with_its_tax_at_the_group_rate()
    {
        var invoice = AnInvoiceOfThreeGroups();

        var split = CreditSplit.Requested(CreditSplit.Remaining(invoice, []),
            [new CreditedGroup(TaxCategory.E, TaxRate.Zero, Eur("500.00")), new CreditedGroup(TaxCategory.S, TaxRate.Parse("10"), Eur("0.05"))]);

        Assert.Equal([("S 10", "0.05", "0.01"), ("E 0", "500.00", "0.00")], Shown(split));
    }

    [Fact]
    public void A_group_is_never_credited_beyond_what_is_left_in_it()
    {
        var invoice = AnInvoiceOfThreeGroups();
        var first = ACreditNote(invoice, [], Eur("520.00"), 1);
        var remaining = CreditSplit.Remaining(invoice, [first]);

        var refused = Assert.Throws<DomainException>(() => CreditSplit.Requested(remaining,
            [new CreditedGroup(TaxCategory.S, TaxRate.Parse("20"), Eur("100.00")), new CreditedGroup(TaxCategory.S, TaxRate.Parse("10"), Eur("900.01"))]));
        Assert.Equal(("exceeds_creditable", "lines[1].net"), (refused.Error.Code, refused.Error.Field));

        var unknown = Assert.Throws<DomainException>(() => CreditSplit.Requested(remaining, [new CreditedGroup(TaxCategory.S, TaxRate.Parse("7"), Eur("1.00"))]));
        Assert.Equal(("not_a_tax_group", "lines[0].taxRate"), (unknown.Error.Code, unknown.Error.Field));
        Assert.Equal(("S 10", "900.00", "90.00"), Shown(remaining)[1]);
    }
}
