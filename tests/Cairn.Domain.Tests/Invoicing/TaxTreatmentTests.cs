using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.Invoicing;

/// <summary>Tax categories (UNCL5305), VATEX exemption codes and rates with four decimals, per EN 16931.</summary>
public sealed class TaxTreatmentTests
{
    [Fact]
    public void Quebec_QST_at_9_975_percent_of_8180_is_815_96_rounded_once()
    {
        var rate = TaxRate.Parse("9.975");

        Assert.Equal(99_750, rate.PerMillion);
        Assert.Equal("9.975", rate.ToDecimalString());
        Assert.Equal(Eur("815.96"), rate.Of(Eur("8180.00"), MidpointRounding.AwayFromZero));
    }

    [Theory]
    [InlineData("9.97512")]
    [InlineData("100.0001")]
    [InlineData("-1")]
    [InlineData("20%")]
    [InlineData(".5")]
    [InlineData("")]
    public void A_rate_that_is_not_a_percentage_with_at_most_four_decimals_is_refused(string text)
    {
        var error = Assert.Throws<DomainException>(() => TaxRate.Parse(text)).Error;

        Assert.Equal(("invalid_percentage", "taxRate"), (error.Code, error.Field));
    }

    [Fact]
    public void A_zero_rate_without_category_is_exempt_and_needs_a_reason()
    {
        var error = Assert.Throws<DomainException>(() => TaxTreatment.Of(null, TaxRate.Zero, null, null)).Error;
        Assert.Equal(("tax_exemption_reason_required", "taxExemptionReason"), (error.Code, error.Field));

        var exempt = TaxTreatment.Of(null, TaxRate.Zero, null, "Exempt: education");
        Assert.Equal((TaxCategory.E, (string?)null, "Exempt: education"), (exempt.Category, exempt.ExemptionCode, exempt.ExemptionReason));
    }

    [Theory]
    [InlineData(TaxCategory.AE, "VATEX-EU-AE", "Reverse charge")]
    [InlineData(TaxCategory.K, "VATEX-EU-IC", "Intra-Community supply")]
    [InlineData(TaxCategory.G, "VATEX-EU-G", "Export outside the EU")]
    [InlineData(TaxCategory.O, "VATEX-EU-O", "Not subject to VAT")]
    public void Categories_with_one_reason_take_its_code_and_standard_text(TaxCategory category, string code, string text)
    {
        var tax = TaxTreatment.Of(category, TaxRate.Zero, null, null);

        Assert.Equal((category, code, text), (tax.Category, tax.ExemptionCode, tax.ExemptionReason));
    }

    [Fact]
    public void A_VATEX_code_that_does_not_fit_its_category_is_refused()
    {
        var error = Assert.Throws<DomainException>(() => TaxTreatment.Of(TaxCategory.AE, TaxRate.Zero, "VATEX-EU-132", null)).Error;

        Assert.Equal(("tax_exemption_code_mismatch", "taxExemptionCode"), (error.Code, error.Field));
        Assert.Contains("category E", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_code_alone_gives_its_category()
    {
        var tax = TaxTreatment.Of(null, TaxRate.Zero, "VATEX-EU-132", null);

        Assert.Equal((TaxCategory.E, "Exempt based on article 132 of Council Directive 2006/112/EC"), (tax.Category, tax.ExemptionReason));
    }

    [Theory]
    [InlineData(TaxCategory.S, "0", null, "tax_rate_required", "taxRate")]
    [InlineData(TaxCategory.S, "20", "VATEX-EU-AE", "tax_exemption_not_allowed", "taxExemptionCode")]
    [InlineData(TaxCategory.Z, "0", "VATEX-EU-132", "tax_exemption_not_allowed", "taxExemptionCode")]
    [InlineData(TaxCategory.AE, "20", null, "tax_rate_must_be_zero", "taxRate")]
    [InlineData(TaxCategory.E, "0", "VATEX-XX-NOPE", "unknown_tax_exemption_code", "taxExemptionCode")]
    public void Treatments_that_break_the_EN16931_category_rules_are_refused(TaxCategory category, string rate, string? code, string expectedCode, string field)
    {
        var error = Assert.Throws<DomainException>(() => TaxTreatment.Of(category, TaxRate.Parse(rate), code, null)).Error;

        Assert.Equal((expectedCode, field), (error.Code, error.Field));
    }

    [Fact]
    public void Lines_are_grouped_per_category_and_rate_with_tax_rounded_once_per_group()
    {
        var totals = InvoiceTotals.Compute(Currency.EUR, new[]
        {
            (Eur("5000.00"), TaxTreatment.Standard(TaxRate.Parse("20"))),
            (Eur("2000.00"), TaxTreatment.Standard(TaxRate.Parse("10"))),
            (Eur("3000.00"), TaxTreatment.Standard(TaxRate.Parse("20"))),
            (Eur("500.00"), TaxTreatment.Of(TaxCategory.E, TaxRate.Zero, "VATEX-EU-132", null)),
            (Eur("400.00"), TaxTreatment.Of(TaxCategory.Z, TaxRate.Zero, null, null)),
        });

        Assert.Equal(["S 20 8000.00 1600.00", "S 10 2000.00 200.00", "Z 0 400.00 0.00", "E 0 500.00 0.00"],
            totals.PerRate.Select(g => $"{g.Category} {g.Rate.ToDecimalString()} {g.Net.ToDecimalString()} {g.Tax.ToDecimalString()}"));
        Assert.Equal((Eur("10900.00"), Eur("1800.00"), Eur("12700.00")), (totals.Net, totals.Tax, totals.Gross));
    }

    [Fact]
    public void A_contract_at_0_percent_with_its_reason_is_created_and_a_milestone_can_override_its_tax()
    {
        var contract = new Contract(Guid.CreateVersion7(), OrganizationId, ClientId, "School training", Eur("1000.00"), TaxRate.Zero, 30, Now, "Exempt: education");
        var milestone = contract.AddMilestone(Guid.CreateVersion7(), ByAmount("Workbook", "1000.00"));

        contract.SetMilestoneTax(milestone.Id, TaxTreatment.Standard(TaxRate.Parse("5.5")));

        Assert.Equal(TaxCategory.E, contract.Tax.Category);
        Assert.Equal((TaxCategory.S, "5.5"), (contract.TaxFor(milestone).Category, contract.TaxFor(milestone).Rate.ToDecimalString()));
    }
}
