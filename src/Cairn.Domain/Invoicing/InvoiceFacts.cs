namespace Cairn.Domain;

/// <summary>
/// What the billing rules (<see cref="MilestoneBillingState{TInvoice}"/>, <see cref="BillingFigures"/>)
/// and the views of a plan read of an invoice: its amounts and status, none of its lines or parties.
/// <see cref="Invoice"/> provides them, and so does a read model that projects only these columns
/// (the contract read, issue 16), so the rules keep one home whichever shape asks.
/// </summary>
public interface IInvoiceFacts
{
    Guid Id { get; }

    Guid ContractId { get; }

    Guid? MilestoneId { get; }

    InvoiceStatus Status { get; }

    /// <summary>Null until issued.</summary>
    string? Number { get; }

    Currency Currency { get; }

    long NetMinor { get; }

    long TaxMinor { get; }

    long GrossMinor { get; }

    long PaidMinor { get; }

    long CreditedMinor { get; }

    /// <summary>Whether an open dispute holds the invoice.</summary>
    bool Disputed { get; }

    DateTimeOffset CreatedAt { get; }

    /// <summary>What the invoice says of its milestone's billing status (<see cref="InvoiceFacts.BillingStatusOf"/>).</summary>
    BillingStatus BillingStatus { get; }
}

/// <summary>What the billing figures read of a credit note: the invoice it credits and its net.</summary>
public interface ICreditNoteFacts
{
    Guid InvoiceId { get; }

    long NetMinor { get; }
}

/// <summary>Rules over <see cref="IInvoiceFacts"/>, each stated once.</summary>
public static class InvoiceFacts
{
    /// <summary>
    /// The billing status an invoice gives its milestone: <c>Credited</c> once void (credited in
    /// full), <c>Paid</c>, <c>PartiallyPaid</c> while issued with a payment, <c>Invoiced</c> while
    /// issued, and a draft is still <c>Unbilled</c>.
    /// </summary>
    public static BillingStatus BillingStatusOf(InvoiceStatus status, long paidMinor) => status switch
    {
        InvoiceStatus.Void => BillingStatus.Credited,
        InvoiceStatus.Paid => BillingStatus.Paid,
        InvoiceStatus.Issued when paidMinor > 0 => BillingStatus.PartiallyPaid,
        InvoiceStatus.Issued => BillingStatus.Invoiced,
        _ => BillingStatus.Unbilled,
    };

    public static Money Net(this IInvoiceFacts invoice) => new(invoice.NetMinor, invoice.Currency);

    public static Money Tax(this IInvoiceFacts invoice) => new(invoice.TaxMinor, invoice.Currency);

    public static Money Gross(this IInvoiceFacts invoice) => new(invoice.GrossMinor, invoice.Currency);
}
