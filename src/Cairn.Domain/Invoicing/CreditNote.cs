namespace Cairn.Domain;

/// <summary>
/// A correction of an issued invoice: numbered in its own series, immutable once written, never
/// more than what is left to credit. A credit of the whole remainder voids the invoice.
/// </summary>
public sealed class CreditNote
{
    private CreditNote()
    {
    }

    /// <summary>Creates a credit note of a gross amount against an invoice, splitting it into net and tax at the invoice's rate.</summary>
    /// <remarks><paramref name="creditedSoFar"/> is the net and tax of the invoice's earlier credit notes.</remarks>
    public CreditNote(Guid id, Invoice invoice, (long Net, long Tax) creditedSoFar, Money gross, string reason, InvoiceNumber number, DateOnly issueDate, PartySnapshot seller, PartySnapshot buyer, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException(new DomainError("reason_required", "A credit note needs a reason.", "reason"));
        if (reason.Length > 1000)
            throw new DomainException(new DomainError("reason_too_long", "A reason is at most 1000 characters.", "reason"));
        Id = id;
        OrganizationId = invoice.OrganizationId;
        InvoiceId = invoice.Id;
        ClientId = invoice.ClientId;
        Currency = invoice.Currency;
        (NetMinor, TaxMinor) = SplitOf(invoice, creditedSoFar, gross);
        GrossMinor = gross.Minor;
        Reason = reason.Trim();
        Series = number.Series;
        Sequence = number.Sequence;
        Number = number.Text;
        IssueDate = issueDate;
        Seller = seller;
        Buyer = buyer;
        CreatedAt = now;
        ContentHash = ComputeContentHash();
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid InvoiceId { get; private set; }

    public Guid ClientId { get; private set; }

    public string Series { get; private set; } = "";

    public long Sequence { get; private set; }

    public string Number { get; private set; } = "";

    public Currency Currency { get; private set; } = Currency.EUR;

    public long NetMinor { get; private set; }

    public long TaxMinor { get; private set; }

    public long GrossMinor { get; private set; }

    public string Reason { get; private set; } = "";

    public DateOnly IssueDate { get; private set; }

    public PartySnapshot? Seller { get; private set; }

    public PartySnapshot? Buyer { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>SHA-256 of the content; a credit note never changes once written.</summary>
    public string ContentHash { get; private set; } = "";

    /// <summary>Hashes the credit note's content in a fixed canonical form.</summary>
    public string ComputeContentHash() => DocumentHash.Of(Id, InvoiceId, Number, Currency.Code, NetMinor, TaxMinor, GrossMinor, Reason, IssueDate, Seller, Buyer);

    public Money Net => new(NetMinor, Currency);

    public Money Tax => new(TaxMinor, Currency);

    public Money Gross => new(GrossMinor, Currency);

    /// <summary>
    /// Splits a credited gross amount into net and tax. Crediting everything that is left takes
    /// back exactly the invoice's remaining net and tax, so a full credit mirrors the invoice.
    /// </summary>
    public static (long Net, long Tax) SplitOf(Invoice invoice, (long Net, long Tax) creditedSoFar, Money gross)
    {
        if (gross == invoice.Creditable)
            return (invoice.NetMinor - creditedSoFar.Net, invoice.TaxMinor - creditedSoFar.Tax);

        var net = invoice.GrossMinor == 0 ? gross.Minor : (long)decimal.Round((decimal)gross.Minor * invoice.NetMinor / invoice.GrossMinor, 0, MidpointRounding.AwayFromZero);
        return (net, gross.Minor - net);
    }
}
