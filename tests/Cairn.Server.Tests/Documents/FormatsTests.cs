using Cairn.Domain;
using Cairn.Server.Localization;
using Cairn.Server.Web;

namespace Cairn.Server.Tests.Documents;

/// <summary>One way of writing amounts and dates for people, shared by the web app and the PDFs.</summary>
public sealed class FormatsTests
{
    [Theory]
    [InlineData("3600.00", "EUR", Language.En, "3,600.00 EUR")]
    [InlineData("3600.00", "EUR", Language.De, "3.600,00 EUR")]
    [InlineData("3600.00", "EUR", Language.Fr, "3\u00A0600,00 EUR")]
    [InlineData("3600.00", "EUR", Language.Nl, "3.600,00 EUR")]
    [InlineData("3600.00", "EUR", Language.Es, "3.600,00 EUR")]
    [InlineData("1234567", "JPY", Language.En, "1,234,567 JPY")]
    [InlineData("-1234.567", "BHD", Language.De, "-1.234,567 BHD")]
    [InlineData("0.05", "EUR", Language.En, "0.05 EUR")]
    [InlineData("9999999999999.99", "EUR", Language.En, "9,999,999,999,999.99 EUR")]
    public void Amounts_are_grouped_and_pointed_the_way_the_reader_writes_them(string amount, string currency, Language language, string expected) =>
        Assert.Equal(expected, Formats.Amount(Money.Parse(amount, Currency.Of(currency)), language));

    [Fact]
    public void The_most_negative_amount_is_written_without_overflow() =>
        Assert.Equal("-92,233,720,368,547,758.08 EUR", Formats.Amount(Money.Of(long.MinValue, Currency.EUR)));

    [Theory]
    [InlineData(Language.En, "2026-11-02")]
    [InlineData(Language.De, "02.11.2026")]
    [InlineData(Language.Fr, "02/11/2026")]
    [InlineData(Language.Nl, "02-11-2026")]
    [InlineData(Language.Es, "02/11/2026")]
    public void Dates_follow_the_reader(Language language, string expected) =>
        Assert.Equal(expected, Formats.Date(new DateOnly(2026, 11, 2), language));

    [Fact]
    public void The_web_app_writes_amounts_and_dates_as_the_pdf_does()
    {
        var amount = Money.Parse("12000.00", Currency.EUR);
        Assert.Equal("12,000.00 EUR", Ui.Money(amount));
        Assert.Equal(Formats.Amount(amount), Ui.Money(amount));
        Assert.Equal(Formats.Date(new DateOnly(2026, 11, 2)), Ui.Date(new DateOnly(2026, 11, 2)));
    }
}
