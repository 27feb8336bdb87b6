using Cairn.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Server.Data.Mappings;

internal sealed class OrganizationMapping : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> b)
    {
        b.ToTable("organizations");
        b.HasKey(x => x.Id);
        b.Property(x => x.IssueMode).HasConversion<string>();
        b.Property(x => x.Party).HasConversion(new JsonConverter<PartyDetails>(), new JsonComparer<PartyDetails>());
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Accent).HasColumnName("accent_colour")
            .HasConversion(new Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<AccentColour, string>(v => v.Hex, v => AccentColour.Parse(v, AccentColour.Field)));
        b.Ignore(x => x.AccentOrDefault);
    }
}

internal sealed class ClientMapping : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> b)
    {
        b.ToTable("clients");
        b.HasKey(x => x.Id);
        // Stored as the ISO 639-1 code the API shows: en, de, fr, nl, es.
        b.Property(x => x.Language).HasConversion(v => v.ToString().ToLowerInvariant(), v => Enum.Parse<Language>(v, true));
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.OrganizationId);
        b.Property(x => x.Party).HasConversion(new JsonConverter<PartyDetails>(), new JsonComparer<PartyDetails>());
        b.Property(x => x.EInvoiceProfile).HasConversion<string>().HasColumnName("einvoice_profile");
    }
}

internal sealed class ContactMapping : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> b)
    {
        b.ToTable("contacts");
        b.HasKey(x => x.Id);
    }
}

internal sealed class TemplateMapping : IEntityTypeConfiguration<Template>
{
    public void Configure(EntityTypeBuilder<Template> b)
    {
        b.ToTable("templates");
        b.HasKey(x => x.Id);
        b.Ignore(x => x.Milestones);
        b.Property<List<TemplateMilestone>>("_milestones")
            .HasColumnName("plan")
            .HasConversion(new JsonConverter<List<TemplateMilestone>>(), new JsonComparer<List<TemplateMilestone>>());
        b.Property(x => x.Version).IsConcurrencyToken();
    }
}
