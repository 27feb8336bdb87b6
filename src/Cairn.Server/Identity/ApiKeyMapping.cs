using Cairn.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Server.Identity;

internal sealed class ApiKeyMapping : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("api_keys");
        b.HasKey(x => x.Id);
        b.Property(x => x.Role).HasConversion<string>();
        b.HasIndex(x => x.Hash).IsUnique();
    }
}

internal sealed class StaffUserMapping : IEntityTypeConfiguration<StaffUser>
{
    public void Configure(EntityTypeBuilder<StaffUser> b)
    {
        b.ToTable("users");
        b.HasKey(x => x.Id);
        b.Property(x => x.LastOrganizationId).HasColumnName("organization_id");
        b.Property(x => x.Language).HasConversion(v => v.ToString().ToLowerInvariant(), v => Enum.Parse<Language>(v, true));
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.NormalizedEmail).IsUnique();
        b.Ignore(x => x.Actor);
        b.Ignore(x => x.HasTwoFactor);
        b.Ignore(x => x.NeedsPassword);
    }
}

internal sealed class MembershipMapping : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> b)
    {
        b.ToTable("memberships");
        b.HasKey(x => new { x.OrganizationId, x.UserId });
        b.Property(x => x.Role).HasConversion<string>();
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<StaffUser>().WithMany().HasForeignKey(x => x.UserId);
        b.HasIndex(x => x.InviteTokenHash).IsUnique();
        b.Ignore(x => x.IsActive);
        b.Ignore(x => x.IsAccepted);
        b.Ignore(x => x.Status);
    }
}

internal sealed class PortalLinkMapping : IEntityTypeConfiguration<PortalLink>
{
    public void Configure(EntityTypeBuilder<PortalLink> b)
    {
        b.ToTable("portal_links");
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.TokenHash).IsUnique();
        b.HasOne<Domain.Contact>().WithMany().HasForeignKey(x => x.ContactId);
        b.HasOne<Domain.Client>().WithMany().HasForeignKey(x => x.ClientId);
    }
}
