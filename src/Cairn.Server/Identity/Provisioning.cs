using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Identity;

/// <summary>Creates an organization with its first owner credential, for the setup page and headless automation.</summary>
public sealed class Provisioning(CairnDb db, TimeProvider clock, IPasswordHasher<StaffUser> hasher)
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

    /// <summary>
    /// Creates an organization, its owner user and (when <paramref name="keyName"/> is given) an
    /// owner API key. An owner without a password gets an invitation token to choose one.
    /// </summary>
    public async Task<ProvisionedOrganization> ProvisionAsync(OrganizationDetails details, OwnerDetails owner, string? keyName, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var organization = details.ToOrganization(Guid.CreateVersion7(), now);
        var email = Inputs.Email(owner.Email, "ownerEmail", required: true);
        if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.NormalizedEmail == StaffUser.Normalize(email), cancellationToken))
            throw new DomainException(new IdentityConflict("email_taken", $"A user with the email {email} already exists.", "ownerEmail"));
        db.TenantId = organization.Id;
        db.Organizations.Add(organization);

        StaffUser user;
        Membership membership;
        string? inviteToken = null;
        if (owner.Password is { } password)
        {
            user = StaffUser.WithPassword(organization.Id, email, StaffUser.NameFor(email, owner.DisplayName), password, hasher, now);
            membership = Membership.Accepted(user, organization.Id, Role.Owner, now);
        }
        else
        {
            user = StaffUser.Invited(organization.Id, email, owner.DisplayName, now);
            (membership, inviteToken) = Membership.Invite(organization.Id, user.Id, user.DisplayName, Role.Owner, now);
        }

        db.Users.Add(user);
        db.Memberships.Add(membership);
        Audit.Record(db, organization.Id, "organization", organization.Id, "created", Actor.System, now, after: new { organization.Name, DefaultCurrency = organization.DefaultCurrency.Code });
        Audit.Record(db, organization.Id, "user", user.Id, "created", Actor.System, now, after: new { user.Email, user.DisplayName, membership.Role });

        string? secret = null;
        if (keyName is not null)
        {
            (var key, secret) = ApiKey.Create(organization.Id, keyName, Role.Owner, user.Id, now);
            db.ApiKeys.Add(key);
            Audit.Record(db, organization.Id, "api_key", key.Id, "created", Actor.System, now, after: new { key.Name, key.Role, key.Hint });
        }

        await db.SaveChangesAsync(cancellationToken);
        return new ProvisionedOrganization(organization, user, secret, inviteToken) { OwnerMembership = membership };
    }

    /// <summary>
    /// The first-run setup: creates the organization and its owner only while the database has
    /// no organization at all, checked and written in one transaction so two setups cannot both win.
    /// </summary>
    public async Task<ProvisionedOrganization> SetUpFirstOrganizationAsync(OrganizationDetails details, OwnerDetails owner, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.IsPostgres)
            await db.Database.ExecuteSqlRawAsync("LOCK TABLE organizations IN EXCLUSIVE MODE", cancellationToken);
        if (await IsSetUpAsync(cancellationToken))
            throw new DomainException(new IdentityConflict("already_set_up", "Cairn is already set up."));
        var provisioned = await ProvisionAsync(details, owner, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return provisioned;
    }

    /// <summary>Whether the database holds any organization (the setup page is gone once it does).</summary>
    public Task<bool> IsSetUpAsync(CancellationToken cancellationToken = default) =>
        db.Organizations.IgnoreQueryFilters().AnyAsync(cancellationToken);
}

/// <summary>The first owner of a new organization; without a password they are invited to choose one.</summary>
public sealed record OwnerDetails(string Email, string? DisplayName, string? Password);

/// <summary>What provisioning created; the API key and invitation token are secrets shown once.</summary>
public sealed record ProvisionedOrganization(Organization Organization, StaffUser Owner, string? ApiKey, string? InviteToken)
{
    /// <summary>The owner's membership of the new organization (role Owner; invited when no password was given).</summary>
    public required Membership OwnerMembership { get; init; }
}

/// <summary>
/// The legal and billing details of a new organization. <paramref name="TimeZone"/> is the IANA id
/// of the zone whose days are its business dates; null or empty takes the server's zone.
/// <paramref name="PaymentInstructions"/> is how clients pay (see <see cref="PaymentDetails.Compose"/>).
/// <paramref name="Party"/> is the seller's structured details (EN 16931 BG-4), already checked field by field;
/// the VAT id (<paramref name="TaxId"/>) is checked against its country as Settings checks it.
/// </summary>
public sealed record OrganizationDetails(string Name, string? Address, string? TaxId, string? Email, string DefaultCurrency, int PaymentTermsDays = 30, string? TimeZone = null, string? PaymentInstructions = null, PartyDetails? Party = null)
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
        var calendar = BusinessCalendar.Of(string.IsNullOrWhiteSpace(TimeZone) ? BusinessCalendar.ServerTimeZoneId() : TimeZone);
        var party = Party ?? PartyDetails.Empty;
        var organization = new Organization(id, Name, currency, now)
        {
            Address = Address?.Trim() ?? "",
            TaxId = string.IsNullOrWhiteSpace(TaxId) ? "" : Countries.CheckVatId(TaxId, party.CountryCode, "taxId"),
            Party = party,
            Email = Email?.Trim() ?? "",
            PaymentTermsDays = PaymentTermsDays,
            PaymentInstructions = PaymentInstructions?.Trim() ?? "",
        };
        organization.ChangeTimeZone(calendar.TimeZoneId);
        return organization;
    }
}
