using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.StateMachines;

/// <summary>A refund takes only unapplied credit, oldest payment first, and reversing it gives the credit back; the open balance has one rule.</summary>
public sealed class RefundRuleTests
{
    [Fact]
    public void A_refund_takes_the_oldest_credit_first_and_never_more_than_the_credit()
    {
        var older = APayment("200.00");
        var newer = APayment("100.00");
        var tooMuch = new Refund(Guid.CreateVersion7(), OrganizationId, ClientId, Eur("300.01"), Today, "bank_transfer", null, Now);

        var refused = Assert.Throws<DomainException>(() => tooMuch.TakeFrom([older, newer], Now));

        Assert.Equal(("exceeds_unapplied", "amount"), (refused.Error.Code, refused.Error.Field));
        Assert.Equal((Eur("200.00"), Eur("100.00")), (older.Unapplied, newer.Unapplied));

        var refund = new Refund(Guid.CreateVersion7(), OrganizationId, ClientId, Eur("250.00"), Today, "bank_transfer", "RF-1", Now);
        var parts = refund.TakeFrom([older, newer], Now);

        Assert.Equal([(older.Id, 20_000L), (newer.Id, 5_000L)], parts.Select(p => (p.PaymentId, p.AmountMinor)));
        Assert.Equal((Eur("0.00"), Eur("50.00"), Eur("200.00")), (older.Unapplied, newer.Unapplied, older.Refunded));
        Assert.Equal("invalid_transition", Assert.Throws<DomainException>(() => older.Reverse("Bounced", new Dictionary<Guid, Invoice>(), Later)).Error.Code);

        var restored = refund.Reverse("Transfer returned", [older, newer], Later);

        Assert.Equal([-20_000L, -5_000L], restored.Select(p => p.AmountMinor));
        Assert.Equal((RefundStatus.Reversed, Eur("200.00"), Eur("100.00")), (refund.Status, older.Unapplied, newer.Unapplied));
        Assert.Equal("invalid_transition", Assert.Throws<DomainException>(() => refund.Reverse("Again", [older, newer], Later)).Error.Code);
    }

    [Fact]
    public void The_balance_in_memory_and_the_rule_given_to_the_database_agree()
    {
        var invoice = AnIssuedInvoice();
        invoice.ApplyPayment(Eur("600.00"));
        invoice.Credit(Eur("100.00"));

        Assert.Equal(invoice.Balance.Minor, Invoice.BalanceMinorRule.Compile()(invoice));
        Assert.Equal(invoice.Gross - invoice.Paid - invoice.Credited, invoice.Balance);
    }

    [Theory]
    [InlineData("EUR", "9229999999999990770", "92299999999999907.70")]
    [InlineData("JPY", "9229999999999990770", "9229999999999990770")]
    [InlineData("BHD", "-1005", "-1.005")]
    [InlineData("EUR", "0", "0.00")]
    public void A_total_beyond_64_bits_is_written_exactly(string currency, string minor, string text) =>
        Assert.Equal(text, new MoneyTotal(decimal.Parse(minor, System.Globalization.CultureInfo.InvariantCulture), Currency.Of(currency)).ToDecimalString());

    private static Payment APayment(string amount) =>
        new(Guid.CreateVersion7(), OrganizationId, ClientId, Eur(amount), Today, "bank_transfer", null, Now);
}
