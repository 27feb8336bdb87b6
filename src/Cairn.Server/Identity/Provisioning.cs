using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;

namespace Cairn.Server.Identity;

/// <summary>Creates an organization with its first owner credential, for the setup page and headless automation.</summary>
public sealed class Provisioning(CairnDb db, TimeProvider clock)
{
    /// <summary>Creates an organization and an owner API key; returns the key's secret, shown once.</summary>
    public async Task<(Organization Organization, string ApiKey)> CreateOrganizationAsync(OrganizationDetails details, string keyName, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var organization = details.ToOrganization(Guid.CreateVersion7(), now);
        db.TenantId = organization.Id;
        db.Organizations.Add(organization);
        var (key, secret) = ApiKey.Create(organization.Id, keyName, Role.Owner, null, now);
        db.ApiKeys.Add(key);
        Audit.Record(db, organization.Id, "organization", organization.Id, "created", Actor.System, now, after: new { organization.Name, DefaultCurrency = organization.DefaultCurrency.Code });
        Audit.Record(db, organization.Id, "api_key", key.Id, "created", Actor.System, now, after: new { key.Name, key.Role, key.Hint });
        await db.SaveChangesAsync(cancellationToken);
        return (organization, secret);
    }
}

/// <summary>The legal and billing details of a new organization.</summary>
public sealed record OrganizationDetails(string Name, string? Address, string? TaxId, string? Email, string DefaultCurrency, int PaymentTermsDays = 30)
{
    /// <summary>Validates the details and builds the organization.</summary>
    public Organization ToOrganization(Guid id, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200)
            throw new DomainException(new DomainError("name_required", "The organization needs a name of at most 200 characters.", "name"));
        if (!Currency.TryFind(DefaultCurrency, out var currency))
            throw new DomainException(new DomainError("unknown_currency", $"'{DefaultCurrency}' is not an ISO 4217 currency code.", "defaultCurrency"));
        if (PaymentTermsDays is < 0 or > 365)
            throw new DomainException(new DomainError("payment_terms_out_of_range", "Payment terms are between 0 and 365 days.", "paymentTermsDays"));
        return new Organization(id, Name, currency, now)
        {
            Address = Address?.Trim() ?? "",
            TaxId = TaxId?.Trim() ?? "",
            Email = Email?.Trim() ?? "",
            PaymentTermsDays = PaymentTermsDays,
        };
    }
}
