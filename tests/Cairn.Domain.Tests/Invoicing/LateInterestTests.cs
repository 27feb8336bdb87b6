namespace Cairn.Domain.Tests.Invoicing;

/// <summary>Directive 2011/7/EU late-payment interest: reference rate + 8 points, actual days / 365, rounded once.</summary>
public sealed class LateInterestTests
{
    private static readonly ReferenceRates Rates = ReferenceRates.Parse("""
        # half-year start, ECB main refinancing rate
        2025-07-01,2.15
        2026-01-01,2.15
        2026-07-01,1.15
        """);

    private static Money Eur(string amount) => Money.Parse(amount, Currency.EUR);

    [Fact]
    public void The_worked_example_of_issue_14_charges_72_30()
    {
        var result = LateInterest.Compute(Eur("12000.00"), new DateOnly(2026, 3, 2),
            [(new DateOnly(2026, 3, 12), Eur("5000.00")), (new DateOnly(2026, 4, 1), Eur("7000.00"))], new DateOnly(2026, 4, 1), Rates);

        Assert.Equal(Eur("72.30"), result.Interest);
        Assert.Equal(
            [(Eur("12000.00"), 1015, 10), (Eur("7000.00"), 1015, 20)],
            result.Periods.Select(p => (p.Principal, p.Rate.BasisPoints, p.Days)));
        Assert.Equal(Eur("40.00"), result.Compensation);
        Assert.Equal(Eur("112.30"), result.Total);
    }

    [Fact]
    public void Rounding_happens_once_on_the_sum_not_per_period()
    {
        // 17.62 late one day at 10.15% (0.0049) and one day at 9.15% (0.0044): each rounds to 0.00, their sum to 0.01.
        var result = LateInterest.Compute(Eur("17.62"), new DateOnly(2026, 6, 29), [], new DateOnly(2026, 7, 1), Rates);

        Assert.Equal(2, result.Periods.Count);
        Assert.Equal(Eur("0.01"), result.Interest);
    }

    [Fact]
    public void A_stretch_across_1_july_takes_each_half_years_rate()
    {
        var result = LateInterest.Compute(Eur("3650.00"), new DateOnly(2026, 6, 20), [], new DateOnly(2026, 7, 10), Rates);

        Assert.Equal([(10, 1015), (10, 915)], result.Periods.Select(p => (p.Days, p.Rate.BasisPoints)));
        // 3650 × (10.15% × 10 + 9.15% × 10) / 365 = 19.30
        Assert.Equal(Eur("19.30"), result.Interest);
    }

    [Fact]
    public void An_invoice_not_in_euro_gets_no_fixed_compensation()
    {
        var usd = Money.Parse("1000.00", Currency.Of("USD"));

        var result = LateInterest.Compute(usd, new DateOnly(2026, 3, 2), [], new DateOnly(2026, 3, 12), Rates);

        Assert.Null(result.Compensation);
        Assert.Equal(result.Interest, result.Total);
    }

    [Fact]
    public void A_payment_on_time_leaves_nothing_late_and_a_missing_half_year_is_named()
    {
        var paidOnTime = Assert.Throws<DomainException>(() => LateInterest.Compute(Eur("100.00"), new DateOnly(2026, 3, 2), [(new DateOnly(2026, 3, 2), Eur("100.00"))], new DateOnly(2026, 4, 1), Rates));
        Assert.Equal("not_late", paidOnTime.Error.Code);

        var unknown = Assert.Throws<DomainException>(() => LateInterest.Compute(Eur("100.00"), new DateOnly(2027, 3, 2), [], new DateOnly(2027, 4, 1), Rates));
        Assert.Equal("reference_rate_missing", unknown.Error.Code);
    }
}

/// <summary>Interest is charged on a new invoice; the late one never changes.</summary>
public sealed class LateInterestInvoiceTests
{
    [Fact]
    public void The_interest_invoice_is_new_outside_the_scope_of_vat_and_leaves_the_late_invoice_as_it_was()
    {
        var late = StateMachines.Builders.AnIssuedInvoice();
        var hash = late.ContentHash;
        var computation = new LateInterestComputation([], Money.Parse("72.30", Currency.EUR), LateInterest.Compensation);

        var charge = Invoice.ForLateInterest(Guid.CreateVersion7(), late, computation, DateTimeOffset.UnixEpoch);

        Assert.Equal((InvoiceStatus.Draft, late.Id, late.ClientId, (Guid?)null), (charge.Status, charge.LateInterestFor, charge.ClientId, charge.MilestoneId));
        Assert.Equal([(InvoiceLineKind.LateInterest, "72.30"), (InvoiceLineKind.RecoveryCompensation, "40.00")], charge.Lines.Select(l => (l.Kind, l.Net.ToDecimalString())));
        Assert.All(charge.Lines, l => Assert.Equal(TaxCategory.O, l.TaxCategory));
        Assert.Equal(Money.Parse("112.30", Currency.EUR), charge.Gross);
        Assert.Equal(hash, late.ComputeContentHash());
        Assert.Equal("invalid_transition", Assert.Throws<DomainException>(() => Invoice.ForLateInterest(Guid.CreateVersion7(), charge, computation, DateTimeOffset.UnixEpoch)).Error.Code);
    }
}
