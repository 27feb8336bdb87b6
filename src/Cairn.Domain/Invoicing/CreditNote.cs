namespace Cairn.Domain;

/// <summary>
/// A correction of an issued invoice: numbered in its own series, immutable once written, never
/// more than what is left to credit. A credit of the whole remainder voids the invoice.
/// </summary>
public sealed class CreditNote : ICreditNoteFacts
{
    private CreditNote()
    {
    }

    /// <summary>
    /// Creates a credit note that takes back <paramref name="groups"/> of an invoice, one line per tax group
    /// (EN 16931 BG-23), as <see cref="CreditSplit"/> computed them from what is left to credit in each group.
    /// </summary>
    /// <exception cref="DomainException"><c>reason_required</c>, <c>reason_too_long</c>.</exception>
    public CreditNote(Guid id, Invoice invoice, IReadOnlyList<TaxSubtotal> groups, string reason, InvoiceNumber number, DateOnly issueDate, PartySnapshot seller, PartySnapshot buyer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(groups);
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException(new DomainError("reason_required", "A credit note needs a reason.", "reason"));
        if (reason.Length > 1000)
            throw new DomainException(new DomainError("reason_too_long", "A reason is at most 1000 characters.", "reason"));
        Id = id;
        OrganizationId = invoice.OrganizationId;
        InvoiceId = invoice.Id;
        ClientId = invoice.ClientId;
        Currency = invoice.Currency;
        foreach (var group in groups)
            _lines.Add(new CreditNoteLine(Guid.CreateVersion7(), id, _lines.Count + 1, group));
        NetMinor = groups.Sum(g => g.Net.Minor);
        TaxMinor = groups.Sum(g => g.Tax.Minor);
        GrossMinor = NetMinor + TaxMinor;
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

    private readonly List<CreditNoteLine> _lines = [];

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
    /// <remarks>Credit notes from before their lines were stored (no lines) hash as they always did, so they keep their hash.</remarks>
    public string ComputeContentHash()
    {
        var content = DocumentHash.Of(Id, InvoiceId, Number, Currency.Code, NetMinor, TaxMinor, GrossMinor, Reason, IssueDate, Seller, Buyer);
        return _lines.Count == 0 ? content : DocumentHash.Of(content, string.Join('|', _lines.OrderBy(l => l.Position).Select(l => l.HashPart())));
    }

    /// <summary>What the credit note takes back in each tax group of its invoice (EN 16931 BG-23), one line each; empty for a credit note issued before they were stored.</summary>
    public IReadOnlyList<CreditNoteLine> Lines => _lines;

    /// <summary>
    /// The tax groups the credit note takes back: its lines; for one issued before lines were stored, the invoice's one
    /// group with the note's net and tax, or every group when it credited the whole invoice; null when such an old note
    /// took back part of an invoice with several groups without saying how much of each.
    /// </summary>
    public IReadOnlyList<TaxSubtotal>? GroupsOn(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        if (_lines.Count > 0)
            return _lines.OrderBy(l => l.Position).Select(l => l.Subtotal).ToList();
        var groups = invoice.Totals.PerRate;
        if (groups.Count == 1)
            return [groups[0] with { Net = Net, Tax = Tax }];
        return NetMinor == invoice.NetMinor && TaxMinor == invoice.TaxMinor ? groups : null;
    }

    public Money Net => new(NetMinor, Currency);

    public Money Tax => new(TaxMinor, Currency);

    public Money Gross => new(GrossMinor, Currency);
}

/// <summary>What a credit note takes back in one tax group (category, rate) of its invoice: a credit-note line (EN 16931 BG-25 with its BG-23).</summary>
public sealed class CreditNoteLine
{
    private CreditNoteLine()
    {
    }

    /// <summary>Creates the line that takes back <paramref name="group"/>.</summary>
    public CreditNoteLine(Guid id, Guid creditNoteId, int position, TaxSubtotal group)
    {
        ArgumentNullException.ThrowIfNull(group);
        Id = id;
        CreditNoteId = creditNoteId;
        Position = position;
        TaxCategory = group.Category;
        TaxRatePerMillion = group.Rate.PerMillion;
        TaxExemptionCode = group.ExemptionCode;
        TaxExemptionReason = group.ExemptionReason;
        Currency = group.Net.Currency;
        NetMinor = group.Net.Minor;
        TaxMinor = group.Tax.Minor;
    }

    public Guid Id { get; private set; }

    public Guid CreditNoteId { get; private set; }

    public int Position { get; private set; }

    /// <summary>The UNCL5305 category of the group (BT-118).</summary>
    public TaxCategory TaxCategory { get; private set; }

    /// <summary>The rate in parts per million (BT-119).</summary>
    public int TaxRatePerMillion { get; private set; }

    /// <summary>The VATEX code of the exemption (BT-121), for untaxed categories.</summary>
    public string? TaxExemptionCode { get; private set; }

    /// <summary>The exemption reason text (BT-120), for untaxed categories.</summary>
    public string? TaxExemptionReason { get; private set; }

    public Currency Currency { get; private set; } = Currency.EUR;

    /// <summary>The net taken back in the group (BT-116).</summary>
    public long NetMinor { get; private set; }

    /// <summary>The tax taken back in the group (BT-117).</summary>
    public long TaxMinor { get; private set; }

    /// <summary>The line as a tax subtotal of the credit note.</summary>
    public TaxSubtotal Subtotal => new(new TaxRate(TaxRatePerMillion), new Money(NetMinor, Currency), new Money(TaxMinor, Currency))
    {
        Category = TaxCategory,
        ExemptionCode = TaxExemptionCode,
        ExemptionReason = TaxExemptionReason,
    };

    internal string HashPart() => DocumentHash.Of(Position, TaxCategory.ToString(), TaxRatePerMillion, TaxExemptionCode, TaxExemptionReason, NetMinor, TaxMinor);
}
