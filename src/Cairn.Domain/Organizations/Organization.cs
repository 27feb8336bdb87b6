namespace Cairn.Domain;

/// <summary>Whether approval issues the invoice at once or leaves a draft for finance to review.</summary>
public enum InvoiceIssueMode
{
    /// <summary>Approval issues and numbers the invoice in the same transaction.</summary>
    Immediately,

    /// <summary>Approval creates a draft invoice; finance issues it.</summary>
    DraftForReview,
}

/// <summary>The seller: the tenant boundary that owns every row of business data.</summary>
public sealed class Organization
{
    /// <summary>Default invoice number format: a per-year series of six digits.</summary>
    public const string DefaultInvoiceSeries = "INV-{yyyy}-{seq:000000}";

    /// <summary>Default credit-note number format.</summary>
    public const string DefaultCreditNoteSeries = "CN-{yyyy}-{seq:000000}";

    private Organization()
    {
    }

    /// <summary>Creates an organization with the given legal details and defaults for everything else.</summary>
    public Organization(Guid id, string name, Currency defaultCurrency, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Id = id;
        Name = name.Trim();
        DefaultCurrency = defaultCurrency;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    public string Name { get; set; } = "";

    public string Address { get; set; } = "";

    public string TaxId { get; set; } = "";

    public string Email { get; set; } = "";

    public Currency DefaultCurrency { get; set; } = Currency.EUR;

    public int PaymentTermsDays { get; set; } = 30;

    /// <summary>Days a submitted milestone waits for the client before Cairn approves it; null means never.</summary>
    public int? ApprovalWindowDays { get; set; }

    public string InvoiceSeriesFormat { get; set; } = DefaultInvoiceSeries;

    public string CreditNoteSeriesFormat { get; set; } = DefaultCreditNoteSeries;

    public InvoiceIssueMode IssueMode { get; set; } = InvoiceIssueMode.Immediately;

    /// <summary>
    /// Whether every member must sign in with a second factor (TOTP): a member without one is sent to
    /// set it up and can reach nothing else of the organization until they have (ASVS 5.0 V6.3.3).
    /// API keys are not people and are not affected.
    /// </summary>
    public bool RequireTwoFactor { get; set; }

    /// <summary>Bank details or other instructions printed on every invoice.</summary>
    public string PaymentInstructions { get; set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Counts the changes of the settings (1 at creation); the API's ETag for <c>/settings</c>.</summary>
    public int Version { get; private set; } = 1;

    /// <summary>Records that the settings changed: a new version, so an If-Match naming the old one is refused.</summary>
    public void Changed() => Version++;

    /// <summary>The IANA id of the time zone whose days are the organization's business dates (see <see cref="BusinessCalendar"/>).</summary>
    public string TimeZone { get; private set; } = "UTC";

    /// <summary>The organization's calendar: business dates are days in its time zone.</summary>
    public BusinessCalendar Calendar => BusinessCalendar.Of(TimeZone);

    /// <summary>Moves the organization to another time zone (an IANA id); refuses an unknown one naming <paramref name="field"/>.</summary>
    public void ChangeTimeZone(string? timeZoneId, string field = BusinessCalendar.Field) =>
        TimeZone = BusinessCalendar.Of(timeZoneId, field).TimeZoneId;

    /// <summary>The accent colour of the organization's PDFs, portal and emails; null for Cairn's own (<see cref="AccentColour.Default"/>).</summary>
    public AccentColour? Accent { get; set; }

    /// <summary>The accent in use: the organization's, else Cairn's own.</summary>
    public AccentColour AccentOrDefault => Accent ?? AccentColour.Default;

    /// <summary>The SHA-256 (lowercase hex) of the logo's stored bytes; null when the organization has no logo.</summary>
    public string? LogoSha256 { get; private set; }

    /// <summary>The logo's media type, <c>image/png</c> or <c>image/jpeg</c>; null without a logo.</summary>
    public string? LogoMediaType { get; private set; }

    /// <summary>Puts a checked logo (<see cref="Logo.Check"/>) on the organization's documents, portal and emails.</summary>
    public void ChangeLogo(LogoImage logo, string sha256)
    {
        ArgumentNullException.ThrowIfNull(logo);
        ArgumentException.ThrowIfNullOrWhiteSpace(sha256);
        LogoSha256 = sha256;
        LogoMediaType = logo.Type.MediaType;
    }

    /// <summary>Takes the logo off; documents show the organization's name alone again.</summary>
    public void RemoveLogo()
    {
        LogoSha256 = null;
        LogoMediaType = null;
    }

    /// <summary>The seller's structured details for e-invoices (EN 16931 BG-4); <see cref="TaxId"/> is its VAT id (BT-31).</summary>
    public PartyDetails Party { get; set; } = PartyDetails.Empty;

    /// <summary>The seller's country (BT-40): the one set, else the prefix of its VAT id; null when neither says.</summary>
    public string? CountryCode => Party.CountryCode ?? Countries.OfVatId(TaxId);

    /// <summary>The seller block frozen onto each invoice at issue, with its country resolved.</summary>
    public PartySnapshot ToSnapshot() => new(Name, Address, TaxId, Email)
    {
        Details = Party with { LegalName = Party.LegalName ?? Name, CountryCode = CountryCode },
    };
}

/// <summary>Seller or buyer details as they were when a document was issued.</summary>
public sealed record PartySnapshot(string Name, string Address, string TaxId, string Email)
{
    /// <summary>The structured details (EN 16931 BG-4/BG-7) at issue; null on documents issued before parties were structured.</summary>
    public PartyDetails? Details { get; init; }

    /// <summary>
    /// The postal address as documents print it, one entry a line: the structured street lines,
    /// postcode and city, region and country code when the snapshot has a structured address, else the
    /// lines of the free-text address. Cairn keeps no list of country names, so the country is its ISO code.
    /// </summary>
    public IReadOnlyList<string> AddressLines()
    {
        if (Details is { } d && new[] { d.AddressLine1, d.AddressLine2, d.PostalCode, d.City }.Any(p => !string.IsNullOrWhiteSpace(p)))
        {
            string?[] lines = [d.AddressLine1, d.AddressLine2, $"{d.PostalCode?.Trim()} {d.City?.Trim()}", d.CountrySubdivision, d.CountryCode];
            return [.. lines.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l!.Trim())];
        }

        return [.. Address.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];
    }
}
