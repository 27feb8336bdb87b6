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
        b.Property(x => x.Role).HasConversion<string>();
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.NormalizedEmail).IsUnique();
        b.Ignore(x => x.Actor);
        b.Ignore(x => x.Caller);
        b.Ignore(x => x.IsActive);
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
