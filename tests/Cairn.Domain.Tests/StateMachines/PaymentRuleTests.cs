using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.StateMachines;

/// <summary>Money in = applied + unapplied credit; a payment only pays its own client's invoices; a reversal reopens what it paid.</summary>
public sealed class PaymentRuleTests
{
    [Fact]
    public void Applying_a_payment_to_an_invoice_of_another_client_is_refused_and_changes_nothing()
    {
        var invoice = AnIssuedInvoice();
        var payment = APayment("3600.00", AnotherClientId);

        var refused = Assert.Throws<DomainException>(() => payment.ApplyTo(invoice, Eur("3600.00"), Later));

        Assert.Equal(("invoice_of_another_client", "invoiceIds"), (refused.Error.Code, refused.Error.Field));
        Assert.Equal((Eur("0.00"), Eur("3600.00")), (payment.Applied, payment.Unapplied));
        Assert.Empty(payment.Applications);
        Assert.Equal((InvoiceStatus.Issued, Eur("3600.00")), (invoice.Status, invoice.Balance));
    }

    [Fact]
    public void Applying_more_than_is_unapplied_is_refused_and_changes_nothing()
    {
        var invoice = AnIssuedInvoice();
        var payment = APayment("1000.00");
        payment.ApplyTo(invoice, Eur("800.00"), Now);

        var refused = Assert.Throws<DomainException>(() => payment.ApplyTo(invoice, Eur("200.01"), Later));

        Assert.Equal(("exceeds_unapplied", "amount"), (refused.Error.Code, refused.Error.Field));
        Assert.Equal("Only 200.00 EUR of this payment is unapplied.", refused.Message);
        Assert.Equal((Eur("800.00"), Eur("200.00")), (payment.Applied, payment.Unapplied));
        Assert.Single(payment.Applications);
        Assert.Equal(Eur("800.00"), invoice.Paid);
    }

    [Fact]
    public void What_is_not_applied_stays_as_the_clients_credit()
    {
        var invoice = AnIssuedInvoice();
        var payment = APayment("5000.00");

        payment.ApplyTo(invoice, invoice.Balance, Later);

        Assert.Equal(InvoiceStatus.Paid, invoice.Status);
        Assert.Equal((Eur("3600.00"), Eur("1400.00")), (payment.Applied, payment.Unapplied));
    }

    [Fact]
    public void Reversing_a_payment_reopens_the_invoices_it_paid_and_leaves_no_credit()
    {
        var older = AnIssuedInvoice();
        var newer = AnIssuedInvoice();
        var payment = APayment("5000.00");
        payment.ApplyTo(older, older.Balance, Now);
        payment.ApplyTo(newer, Eur("1000.00"), Now);

        var takeBacks = payment.Reverse("Bounced: account closed.", new Dictionary<Guid, Invoice> { [older.Id] = older, [newer.Id] = newer }, Later);

        Assert.Equal(PaymentStatus.Reversed, payment.Status);
        Assert.Equal((InvoiceStatus.Issued, Eur("3600.00")), (older.Status, older.Balance));
        Assert.Equal((InvoiceStatus.Issued, Eur("3600.00")), (newer.Status, newer.Balance));
        Assert.Equal((Eur("0.00"), Eur("0.00")), (payment.Applied, payment.Unapplied));
        Assert.Equal([-360000L, -100000L], takeBacks.Select(t => t.AmountMinor));
        Assert.Equal(4, payment.Applications.Count);
        Assert.Equal(("Bounced: account closed.", (DateTimeOffset?)Later), (payment.ReversalReason, payment.ReversedAt));
    }

    [Fact]
    public void Reversing_without_a_reason_is_refused_and_changes_nothing()
    {
        var invoice = AnIssuedInvoice();
        var payment = APayment("3600.00");
        payment.ApplyTo(invoice, invoice.Balance, Now);

        var refused = Assert.Throws<DomainException>(() => payment.Reverse(" ", new Dictionary<Guid, Invoice> { [invoice.Id] = invoice }, Later));

        Assert.Equal(("reason_required", "reason"), (refused.Error.Code, refused.Error.Field));
        Assert.Equal((PaymentStatus.Recorded, InvoiceStatus.Paid), (payment.Status, invoice.Status));
    }

    [Fact]
    public void What_a_credit_note_takes_back_from_a_paid_invoice_becomes_the_clients_credit_again()
    {
        var invoice = AnIssuedInvoice();
        var payment = APayment("3600.00");
        payment.ApplyTo(invoice, invoice.Balance, Now);

        var overpaid = invoice.Credit(Eur("600.00"));
        payment.TakeBack(invoice, overpaid, Later);

        Assert.Equal((Eur("3000.00"), Eur("600.00")), (payment.Applied, payment.Unapplied));
        Assert.Equal(payment.Applied, invoice.Paid);
    }

    [Fact]
    public void Taking_back_more_than_was_applied_to_the_invoice_is_refused()
    {
        var invoice = AnIssuedInvoice();
        var payment = APayment("3600.00");
        payment.ApplyTo(invoice, Eur("1000.00"), Now);

        var refused = Assert.Throws<DomainException>(() => payment.TakeBack(invoice, Eur("1000.01"), Later));

        Assert.Equal("exceeds_applied", refused.Error.Code);
        Assert.Equal(Eur("1000.00"), payment.Applied);
    }
}
