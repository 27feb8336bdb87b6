using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.StateMachines;

/// <summary>
/// Payment: Recorded → Reversed when it bounced. A recorded payment is applied to invoices and
/// can take back part of an application; a reversed one does neither. The payment here is
/// 2,000.00 EUR with 1,000.00 applied to the 3,600.00 Design invoice.
/// </summary>
public sealed class PaymentTransitionTests
{
    public enum PaymentAction
    {
        ApplyToInvoice,
        TakeBack,
        Reverse,
    }

    public static TheoryData<PaymentStatus, PaymentAction, PaymentStatus> AllowedTransitions => new()
    {
        { PaymentStatus.Recorded, PaymentAction.ApplyToInvoice, PaymentStatus.Recorded },
        { PaymentStatus.Recorded, PaymentAction.TakeBack, PaymentStatus.Recorded },
        { PaymentStatus.Recorded, PaymentAction.Reverse, PaymentStatus.Reversed },
    };

    /// <summary>Forbidden pairs, with the action as the error names it.</summary>
    public static TheoryData<PaymentStatus, PaymentAction, string> ForbiddenTransitions => new()
    {
        { PaymentStatus.Reversed, PaymentAction.ApplyToInvoice, "apply" },
        { PaymentStatus.Reversed, PaymentAction.TakeBack, "take back" },
        { PaymentStatus.Reversed, PaymentAction.Reverse, "reverse" },
    };

    [Fact]
    public void The_tables_name_every_state_and_action_exactly_once()
    {
        Assert.Equal(
            Transitions.EveryPair<PaymentStatus, PaymentAction>(),
            Transitions.PairsIn<PaymentStatus, PaymentAction>(AllowedTransitions, ForbiddenTransitions));
    }

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public void An_allowed_action_moves_the_payment_to_its_next_state_and_keeps_the_money_accounted_for(PaymentStatus from, PaymentAction action, PaymentStatus to)
    {
        var (payment, invoice) = APaymentIn(from);

        Do(action, payment, invoice);

        Assert.Equal(to, payment.Status);
        if (to == PaymentStatus.Recorded)
            Assert.Equal(payment.Amount, payment.Applied + payment.Unapplied);
    }

    [Theory]
    [MemberData(nameof(ForbiddenTransitions))]
    public void A_forbidden_action_is_refused_as_an_invalid_transition_and_changes_nothing(PaymentStatus from, PaymentAction action, string attempted)
    {
        var (payment, invoice) = APaymentIn(from);
        var before = StateOf(payment, invoice);

        var refused = Assert.Throws<DomainException>(() => Do(action, payment, invoice));

        Transitions.AssertInvalidTransition(refused, "payment", payment.Id, attempted, from.ToString());
        Assert.Equal(before, StateOf(payment, invoice));
    }

    private static (Payment Payment, Invoice Invoice) APaymentIn(PaymentStatus status)
    {
        var invoice = AnIssuedInvoice();
        var payment = APayment("2000.00");
        payment.ApplyTo(invoice, Eur("1000.00"), Now);
        if (status == PaymentStatus.Reversed)
            payment.Reverse("Bounced: insufficient funds.", new Dictionary<Guid, Invoice> { [invoice.Id] = invoice }, Now);
        return (payment, invoice);
    }

    private static void Do(PaymentAction action, Payment payment, Invoice invoice)
    {
        switch (action)
        {
            case PaymentAction.ApplyToInvoice:
                payment.ApplyTo(invoice, Eur("500.00"), Later);
                break;
            case PaymentAction.TakeBack:
                // The payment's side of a credit note over the paid part; the invoice's side is in PaymentRuleTests.
                payment.TakeBack(invoice, Eur("300.00"), Later);
                break;
            case PaymentAction.Reverse:
                payment.Reverse("Bounced: account closed.", new Dictionary<Guid, Invoice> { [invoice.Id] = invoice }, Later);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }

    private static PaymentState StateOf(Payment p, Invoice i) =>
        new(p.Status, p.Applied.Minor, p.Unapplied.Minor, p.Applications.Count, p.ReversedAt, p.ReversalReason, i.Status, i.PaidMinor);

    private sealed record PaymentState(
        PaymentStatus Status,
        long AppliedMinor,
        long UnappliedMinor,
        int ApplicationCount,
        DateTimeOffset? ReversedAt,
        string? ReversalReason,
        InvoiceStatus InvoiceStatus,
        long InvoicePaidMinor);
}
