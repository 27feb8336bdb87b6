using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.Invoicing;

/// <summary>A draft invoice can get more lines before it is issued; an issued one never changes.</summary>
public sealed class InvoiceLineTests
{
    [Fact]
    public void A_line_added_to_a_draft_is_numbered_next_and_the_totals_follow_per_rate()
    {
        var invoice = ADraftInvoice();

        var line = invoice.AddLine("  Hosting, first year  ", Eur("100.00"), Pct("7"));

        Assert.Equal((2, "Hosting, first year"), (line.Position, line.Description));
        Assert.Equal((Eur("3100.00"), Eur("607.00"), Eur("3707.00")), (invoice.Net, invoice.Tax, invoice.Gross));
        Assert.Equal([(TaxRate.Parse("20"), Eur("3000.00"), Eur("600.00")), (TaxRate.Parse("7"), Eur("100.00"), Eur("7.00"))], invoice.Totals.PerRate.Select(r => (r.Rate, r.Net, r.Tax)));
    }

    [Theory]
    [InlineData(InvoiceStatus.Issued)]
    [InlineData(InvoiceStatus.Paid)]
    [InlineData(InvoiceStatus.Void)]
    public void A_line_cannot_be_added_once_issued(InvoiceStatus status)
    {
        var invoice = status switch
        {
            InvoiceStatus.Issued => AnIssuedInvoice(),
            InvoiceStatus.Paid => APaidInvoice(),
            _ => AVoidInvoice(),
        };

        var refused = Assert.Throws<DomainException>(() => invoice.AddLine("Extra", Eur("1.00"), Pct("20")));

        Assert.Equal("invalid_transition", refused.Error.Code);
        Assert.Equal((1, Eur("3600.00")), (invoice.Lines.Count, invoice.Gross));
    }

    [Fact]
    public void A_line_needs_a_description_and_the_invoice_currency()
    {
        var invoice = ADraftInvoice();

        Assert.Equal("invalid_description", Assert.Throws<DomainException>(() => invoice.AddLine(" ", Eur("1.00"), Pct("20"))).Error.Code);
        Assert.Equal("currency_mismatch", Assert.Throws<DomainException>(() => invoice.AddLine("Extra", Money.Parse("1.00", Currency.USD), Pct("20"))).Error.Code);
        Assert.Single(invoice.Lines);
    }
}
