namespace Cairn.Domain;

/// <summary>A buyer of project work; contracts, invoices and payments belong to one client.</summary>
public sealed class Client
{
    private Client()
    {
    }

    /// <summary>Creates a client of an organization.</summary>
    public Client(Guid id, Guid organizationId, string name, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Id = id;
        OrganizationId = organizationId;
        Name = name.Trim();
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    public string Address { get; set; } = "";

    public string TaxId { get; set; } = "";

    /// <summary>The language of the client's documents and portal: labels, dates and number formats.</summary>
    public Language Language { get; set; } = Language.En;

    /// <summary>Optimistic-concurrency version, surfaced as the ETag.</summary>
    public int Version { get; set; } = 1;

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The buyer's structured details for e-invoices (EN 16931 BG-7); <see cref="TaxId"/> is its VAT id (BT-48).</summary>
    public PartyDetails Party { get; set; } = PartyDetails.Empty;

    /// <summary>The e-invoice profile the client receives its invoices in.</summary>
    public EInvoiceProfile EInvoiceProfile { get; set; }

    /// <summary>The client asked for the UBL e-invoice beside the PDF in invoice emails.</summary>
    public bool EmailUbl { get; set; }

    /// <summary>
    /// Whether emailed invoices carry the UBL 2.1 e-invoice too: always for a Peppol or XRechnung
    /// client (their inbox processes the XML), else when the client asked for it.
    /// </summary>
    public bool WantsUblByEmail => EInvoiceProfile is EInvoiceProfile.Peppol or EInvoiceProfile.Xrechnung || EmailUbl;

    /// <summary>The buyer's country (BT-55): the one set, else the prefix of its VAT id, else the seller's country.</summary>
    public string? CountryCode(string? sellerCountry) => Party.CountryCode ?? Countries.OfVatId(TaxId) ?? sellerCountry;

    /// <summary>The buyer block frozen onto each invoice at issue, with its country resolved.</summary>
    public PartySnapshot ToSnapshot(string? sellerCountry) => new(Name, Address, TaxId, Email)
    {
        Details = Party with { LegalName = Party.LegalName ?? Name, CountryCode = CountryCode(sellerCountry) },
    };
}

/// <summary>A person at a client who reviews deliverables and approves milestones through the portal.</summary>
public sealed class Contact
{
    private Contact()
    {
    }

    /// <summary>Creates a contact of a client.</summary>
    public Contact(Guid id, Guid organizationId, Guid clientId, string name, string email, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Id = id;
        OrganizationId = organizationId;
        ClientId = clientId;
        Name = name.Trim();
        Email = email.Trim();
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid ClientId { get; private set; }

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }
}
