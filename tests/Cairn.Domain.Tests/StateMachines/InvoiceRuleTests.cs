using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.StateMachines;

/// <summary>Payments never exceed what an invoice owes; credit notes never exceed what is left to credit; overdue is derived.</summary>
public sealed class InvoiceRuleTests
{
    [Fact]
    public void Applying_more_than_the_balance_is_refused_and_changes_nothing()
    {
        var invoice = APartlyPaidInvoice();

        var refused = Assert.Throws<DomainException>(() => invoice.ApplyPayment(Eur("3000.01")));

        Assert.Equal(("exceeds_balance", "amount"), (refused.Error.Code, refused.Error.Field));
        Assert.Equal("Invoice INV-2026-000042 has 3000.00 EUR open; 3000.01 cannot be applied to it.", refused.Message);
        Assert.Equal((InvoiceStatus.Issued, Eur("600.00"), Eur("3000.00")), (invoice.Status, invoice.Paid, invoice.Balance));
    }

    [Fact]
    public void Applying_exactly_the_balance_pays_the_invoice()
    {
        var invoice = APartlyPaidInvoice();

        invoice.ApplyPayment(Eur("3000.00"));

        Assert.Equal((InvoiceStatus.Paid, Eur("0.00")), (invoice.Status, invoice.Balance));
    }

    [Fact]
    public void A_partial_credit_then_a_full_credit_voids_the_invoice_and_the_credit_notes_mirror_it()
    {
        var invoice = AnIssuedInvoice();

        var partial = ACreditNote(invoice, [], Eur("100.00"), 1);
        invoice.Credit(partial.Gross);
        Assert.Equal((InvoiceStatus.Issued, Eur("3500.00")), (invoice.Status, invoice.Balance));

        var rest = ACreditNote(invoice, [partial], invoice.Creditable, 2);
        invoice.Credit(rest.Gross);

        Assert.Equal(InvoiceStatus.Void, invoice.Status);
        Assert.Equal((Eur("83.33"), Eur("16.67")), (partial.Net, partial.Tax));
        Assert.Equal(invoice.Net, partial.Net + rest.Net);
        Assert.Equal(invoice.Tax, partial.Tax + rest.Tax);
        Assert.Equal(invoice.Gross, partial.Gross + rest.Gross);
        Assert.Equal(("CN-2026-000001", "CN-2026-000002"), (partial.Number, rest.Number));
    }

    [Fact]
    public void A_credit_beyond_what_is_left_to_credit_is_refused_and_changes_nothing()
    {
        var invoice = AnIssuedInvoice();
        invoice.Credit(Eur("100.00"));

        var refused = Assert.Throws<DomainException>(() => invoice.Credit(Eur("3500.01")));

        Assert.Equal(("exceeds_creditable", "amount"), (refused.Error.Code, refused.Error.Field));
        Assert.Contains("3500.00 EUR left to credit", refused.Message, StringComparison.Ordinal);
        Assert.Equal((InvoiceStatus.Issued, Eur("100.00"), Eur("3500.00")), (invoice.Status, invoice.Credited, invoice.Creditable));
    }

    [Fact]
    public void A_credit_over_a_paid_invoice_returns_what_was_overpaid_and_the_invoice_stays_paid()
    {
        var invoice = APaidInvoice();

        var toTakeBack = invoice.Credit(Eur("600.00"));

        Assert.Equal(Eur("600.00"), toTakeBack);
        Assert.Equal(InvoiceStatus.Paid, invoice.Status);
        Assert.Equal((Eur("3000.00"), Eur("600.00"), Eur("0.00")), (invoice.Paid, invoice.Credited, invoice.Balance));
    }

    [Fact]
    public void Crediting_the_rest_of_a_paid_invoice_returns_everything_paid_and_voids_it()
    {
        var invoice = APaidInvoice();
        invoice.Credit(Eur("600.00"));

        var toTakeBack = invoice.Credit(invoice.Creditable);

        Assert.Equal(Eur("3000.00"), toTakeBack);
        Assert.Equal(InvoiceStatus.Void, invoice.Status);
        Assert.Equal((Eur("0.00"), Eur("3600.00"), Eur("0.00")), (invoice.Paid, invoice.Credited, invoice.Balance));
    }

    [Fact]
    public void A_credit_beyond_the_open_balance_of_a_partly_paid_invoice_returns_the_excess_and_settles_it()
    {
        var invoice = AnIssuedInvoice();
        invoice.ApplyPayment(Eur("3000.00"));

        var toTakeBack = invoice.Credit(Eur("1000.00"));

        // 3,600.00 - 1,000.00 credited leaves 2,600.00 owed, of which 3,000.00 was paid: 400.00 goes back.
        Assert.Equal(Eur("400.00"), toTakeBack);
        Assert.Equal(InvoiceStatus.Paid, invoice.Status);
        Assert.Equal((Eur("2600.00"), Eur("0.00")), (invoice.Paid, invoice.Balance));
    }

    [Fact]
    public void A_credit_within_the_open_balance_returns_nothing_and_leaves_the_invoice_issued()
    {
        var invoice = APartlyPaidInvoice();

        var toTakeBack = invoice.Credit(Eur("1000.00"));

        Assert.Equal(Eur("0.00"), toTakeBack);
        Assert.Equal((InvoiceStatus.Issued, Eur("600.00"), Eur("2000.00")), (invoice.Status, invoice.Paid, invoice.Balance));
    }

    [Fact]
    public void An_issued_invoice_with_a_balance_is_overdue_from_the_day_after_its_due_date()
    {
        var invoice = APartlyPaidInvoice();

        Assert.Equal(new DateOnly(2026, 4, 1), invoice.DueDate);
        Assert.False(invoice.IsOverdue(new DateOnly(2026, 4, 1)));
        Assert.True(invoice.IsOverdue(new DateOnly(2026, 4, 2)));
    }

    [Fact]
    public void Draft_paid_and_void_invoices_are_never_overdue()
    {
        var longAfter = new DateOnly(2027, 1, 1);

        Assert.False(ADraftInvoice().IsOverdue(longAfter));
        Assert.False(APaidInvoice().IsOverdue(longAfter));
        Assert.False(AVoidInvoice().IsOverdue(longAfter));
    }

    [Fact]
    public void The_default_series_numbers_the_42nd_invoice_of_2026_as_INV_2026_000042()
    {
        var number = NumberFormat.Parse("INV-{yyyy}-{seq:000000}").Number(new DateOnly(2026, 6, 30), 42);

        Assert.Equal(new InvoiceNumber("INV-2026-{seq}", 42, "INV-2026-000042"), number);
    }

    [Fact]
    public void A_yearly_series_starts_again_in_a_new_year()
    {
        var format = NumberFormat.Parse("INV-{yyyy}-{seq:000000}");

        Assert.NotEqual(format.SeriesFor(new DateOnly(2026, 12, 31)), format.SeriesFor(new DateOnly(2027, 1, 1)));
        Assert.Equal("INV-2027-000001", format.Number(new DateOnly(2027, 1, 1), 1).Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("INV-{yyyy}")]
    [InlineData("INV-{seq}-{seq}")]
    [InlineData("INV-{dd}-{seq}")]
    [InlineData("INV-{seq:###}")]
    [InlineData("INV-{yyyy}-{seq}}")]
    [InlineData("INV-{yyyy-{seq}")]
    [InlineData("INV-{seq:000000}-0123456789012345678901234567890123456789012345")]
    public void A_bad_number_format_is_refused_naming_the_setting(string pattern)
    {
        var refused = Assert.Throws<DomainException>(() => NumberFormat.Parse(pattern));

        Assert.Equal(("invalid_series_format", "invoiceSeriesFormat"), (refused.Error.Code, refused.Error.Field));
    }
}
