using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.StateMachines;

/// <summary>
/// Invoice: Draft → Issued → Paid when its balance reaches zero; payments can be taken back;
/// Issued or Paid → Void only through credit notes of everything. The Issued state here is the
/// 3,600.00 Design invoice with 600.00 paid, so that there is something to take back.
/// </summary>
public sealed class InvoiceTransitionTests
{
    public enum InvoiceAction
    {
        Issue,
        ApplyPartOfBalance,
        ApplyWholeBalance,
        UnapplyPayment,
        CreditPart,
        CreditEverythingLeft,
    }

    public static TheoryData<InvoiceStatus, InvoiceAction, InvoiceStatus> AllowedTransitions => new()
    {
        { InvoiceStatus.Draft, InvoiceAction.Issue, InvoiceStatus.Issued },
        { InvoiceStatus.Issued, InvoiceAction.ApplyPartOfBalance, InvoiceStatus.Issued },
        { InvoiceStatus.Issued, InvoiceAction.ApplyWholeBalance, InvoiceStatus.Paid },
        { InvoiceStatus.Issued, InvoiceAction.UnapplyPayment, InvoiceStatus.Issued },
        { InvoiceStatus.Issued, InvoiceAction.CreditPart, InvoiceStatus.Issued },
        { InvoiceStatus.Issued, InvoiceAction.CreditEverythingLeft, InvoiceStatus.Void },
        { InvoiceStatus.Paid, InvoiceAction.UnapplyPayment, InvoiceStatus.Issued },
        { InvoiceStatus.Paid, InvoiceAction.CreditPart, InvoiceStatus.Paid },
        { InvoiceStatus.Paid, InvoiceAction.CreditEverythingLeft, InvoiceStatus.Void },
    };

    /// <summary>Forbidden pairs, with the action as the error names it.</summary>
    public static TheoryData<InvoiceStatus, InvoiceAction, string> ForbiddenTransitions => new()
    {
        { InvoiceStatus.Draft, InvoiceAction.ApplyPartOfBalance, "apply a payment to" },
        { InvoiceStatus.Draft, InvoiceAction.ApplyWholeBalance, "apply a payment to" },
        { InvoiceStatus.Draft, InvoiceAction.UnapplyPayment, "unapply a payment from" },
        { InvoiceStatus.Draft, InvoiceAction.CreditPart, "credit" },
        { InvoiceStatus.Draft, InvoiceAction.CreditEverythingLeft, "credit" },
        { InvoiceStatus.Issued, InvoiceAction.Issue, "issue" },
        { InvoiceStatus.Paid, InvoiceAction.Issue, "issue" },
        { InvoiceStatus.Paid, InvoiceAction.ApplyPartOfBalance, "apply a payment to" },
        { InvoiceStatus.Paid, InvoiceAction.ApplyWholeBalance, "apply a payment to" },
        { InvoiceStatus.Void, InvoiceAction.Issue, "issue" },
        { InvoiceStatus.Void, InvoiceAction.ApplyPartOfBalance, "apply a payment to" },
        { InvoiceStatus.Void, InvoiceAction.ApplyWholeBalance, "apply a payment to" },
        { InvoiceStatus.Void, InvoiceAction.UnapplyPayment, "unapply a payment from" },
        { InvoiceStatus.Void, InvoiceAction.CreditPart, "credit" },
        { InvoiceStatus.Void, InvoiceAction.CreditEverythingLeft, "credit" },
    };

    [Fact]
    public void The_tables_name_every_state_and_action_exactly_once()
    {
        Assert.Equal(
            Transitions.EveryPair<InvoiceStatus, InvoiceAction>(),
            Transitions.PairsIn<InvoiceStatus, InvoiceAction>(AllowedTransitions, ForbiddenTransitions));
    }

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public void An_allowed_action_moves_the_invoice_to_its_next_state(InvoiceStatus from, InvoiceAction action, InvoiceStatus to)
    {
        var invoice = AnInvoiceIn(from);

        Do(action, invoice);

        Assert.Equal(to, invoice.Status);
        Assert.Equal(invoice.GrossMinor - invoice.PaidMinor - invoice.CreditedMinor, invoice.Balance.Minor);
        Assert.InRange(invoice.PaidMinor + invoice.CreditedMinor, 0, invoice.GrossMinor);
    }

    [Theory]
    [MemberData(nameof(ForbiddenTransitions))]
    public void A_forbidden_action_is_refused_as_an_invalid_transition_and_changes_nothing(InvoiceStatus from, InvoiceAction action, string attempted)
    {
        var invoice = AnInvoiceIn(from);
        var before = StateOf(invoice);

        var refused = Assert.Throws<DomainException>(() => Do(action, invoice));

        Transitions.AssertInvalidTransition(refused, "invoice", invoice.Id, attempted, from.ToString());
        Assert.Equal(before, StateOf(invoice));
    }

    [Fact]
    public void Issuing_numbers_the_invoice_and_sets_its_due_date_from_the_payment_terms()
    {
        var invoice = ADraftInvoice();

        invoice.Issue(InvoiceNumber(42), Today, Seller, Buyer, Later);

        Assert.Equal("INV-2026-000042", invoice.Number);
        Assert.Equal(("INV-2026-{seq}", 42L), (invoice.Series, invoice.Sequence!.Value));
        Assert.Equal(new DateOnly(2026, 4, 1), invoice.DueDate);
        Assert.Equal(invoice.ComputeContentHash(), invoice.ContentHash);
    }

    [Fact]
    public void Taking_back_part_of_the_payment_of_a_paid_invoice_reopens_it_with_that_balance()
    {
        var invoice = APaidInvoice();

        invoice.UnapplyPayment(Eur("100.00"));

        Assert.Equal(InvoiceStatus.Issued, invoice.Status);
        Assert.Equal(Eur("100.00"), invoice.Balance);
        Assert.Equal(BillingStatus.PartiallyPaid, invoice.BillingStatus);
    }

    [Theory]
    [InlineData(InvoiceStatus.Draft, BillingStatus.Unbilled)]
    [InlineData(InvoiceStatus.Issued, BillingStatus.PartiallyPaid)]
    [InlineData(InvoiceStatus.Paid, BillingStatus.Paid)]
    [InlineData(InvoiceStatus.Void, BillingStatus.Credited)]
    public void The_milestone_billing_status_follows_from_the_invoice(InvoiceStatus status, BillingStatus billing)
    {
        Assert.Equal(billing, AnInvoiceIn(status).BillingStatus);
    }

    [Fact]
    public void An_issued_invoice_with_nothing_paid_bills_its_milestone_as_invoiced()
    {
        Assert.Equal(BillingStatus.Invoiced, AnIssuedInvoice().BillingStatus);
    }

    private static Invoice AnInvoiceIn(InvoiceStatus status) => status switch
    {
        InvoiceStatus.Draft => ADraftInvoice(),
        InvoiceStatus.Issued => APartlyPaidInvoice(),
        InvoiceStatus.Paid => APaidInvoice(),
        InvoiceStatus.Void => AVoidInvoice(),
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static void Do(InvoiceAction action, Invoice invoice)
    {
        switch (action)
        {
            case InvoiceAction.Issue:
                invoice.Issue(InvoiceNumber(43), Today, Seller, Buyer, Later);
                break;
            case InvoiceAction.ApplyPartOfBalance:
                invoice.ApplyPayment(Eur("100.00"));
                break;
            case InvoiceAction.ApplyWholeBalance:
                invoice.ApplyPayment(invoice.Balance);
                break;
            case InvoiceAction.UnapplyPayment:
                invoice.UnapplyPayment(Eur("100.00"));
                break;
            case InvoiceAction.CreditPart:
                invoice.Credit(Eur("100.00"));
                break;
            case InvoiceAction.CreditEverythingLeft:
                invoice.Credit(invoice.Creditable);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }

    private static InvoiceState StateOf(Invoice i) =>
        new(i.Status, i.Number, i.Series, i.Sequence, i.IssueDate, i.DueDate, i.NetMinor, i.TaxMinor, i.GrossMinor, i.PaidMinor, i.CreditedMinor, i.ContentHash, i.IssuedAt);

    private sealed record InvoiceState(
        InvoiceStatus Status,
        string? Number,
        string? Series,
        long? Sequence,
        DateOnly? IssueDate,
        DateOnly? DueDate,
        long NetMinor,
        long TaxMinor,
        long GrossMinor,
        long PaidMinor,
        long CreditedMinor,
        string? ContentHash,
        DateTimeOffset? IssuedAt);
}
