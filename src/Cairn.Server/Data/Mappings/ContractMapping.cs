using Cairn.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Server.Data.Mappings;

internal sealed class ContractMapping : IEntityTypeConfiguration<Contract>
{
    public void Configure(EntityTypeBuilder<Contract> b)
    {
        b.ToTable("contracts");
        b.HasKey(x => x.Id);
        b.Property(x => x.Status).HasConversion<string>();
        b.Property(x => x.TaxCategory).HasConversion<string>();
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasMany(x => x.Milestones).WithOne().HasForeignKey(m => m.ContractId);
        b.Navigation(x => x.Milestones).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasOne<Client>().WithMany().HasForeignKey(x => x.ClientId);
    }
}

internal sealed class MilestoneMapping : IEntityTypeConfiguration<Milestone>
{
    public void Configure(EntityTypeBuilder<Milestone> b)
    {
        b.ToTable("milestones");
        b.HasKey(x => x.Id);

        // Ids come from the domain: a milestone added to a tracked contract is new, not an existing row to update.
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Status).HasConversion<string>();
        b.Property(x => x.Trigger).HasConversion<string>();
        b.Property(x => x.TaxCategory).HasConversion<string>();
        b.Ignore(x => x.TaxOverride);
        b.Property(x => x.Version).IsConcurrencyToken();

        // The contract's status, copied onto the milestone by database triggers (migration 0111) so that
        // partial indexes answer "open milestones of active contracts" alone; never written from here.
        var contractStatus = b.Property<ContractStatus>(MilestoneBillingQueries.ContractStatusOfMilestone).HasConversion<string>().Metadata;
        contractStatus.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
        contractStatus.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        b.HasMany(x => x.History).WithOne().HasForeignKey(e => e.MilestoneId);
        b.Navigation(x => x.History).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class MilestoneEventMapping : IEntityTypeConfiguration<MilestoneEvent>
{
    public void Configure(EntityTypeBuilder<MilestoneEvent> b)
    {
        b.ToTable("milestone_events");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Kind).HasConversion<string>();
        b.Property(x => x.From).HasConversion<string>().HasColumnName("from_status");
        b.Property(x => x.To).HasConversion<string>().HasColumnName("to_status");
        b.Property(x => x.Links).HasConversion(new JsonConverter<IReadOnlyList<string>>(), new JsonComparer<IReadOnlyList<string>>());
    }
}

internal sealed class ChangeOrderMapping : IEntityTypeConfiguration<ChangeOrder>
{
    public void Configure(EntityTypeBuilder<ChangeOrder> b)
    {
        b.ToTable("change_orders");
        b.HasKey(x => x.Id);
        b.Property(x => x.Status).HasConversion<string>();
        b.HasMany(x => x.Items).WithOne().HasForeignKey(i => i.ChangeOrderId);
        b.Navigation(x => x.Items).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasOne<Contract>().WithMany().HasForeignKey(x => x.ContractId);
    }
}

internal sealed class ChangeOrderItemMapping : IEntityTypeConfiguration<ChangeOrderItem>
{
    public void Configure(EntityTypeBuilder<ChangeOrderItem> b)
    {
        b.ToTable("change_order_items");
        b.HasKey(x => x.Id);
        b.Property(x => x.Kind).HasConversion<string>();
        b.HasOne<Milestone>().WithMany().HasForeignKey(x => x.MilestoneId);
        b.Property(x => x.Terms).HasConversion(
            t => MilestoneTermsJson.Write(t, ""),
            s => MilestoneTermsJson.Read(s));
    }
}

internal sealed class DisputeMapping : IEntityTypeConfiguration<Dispute>
{
    public void Configure(EntityTypeBuilder<Dispute> b)
    {
        b.ToTable("disputes");
        b.HasKey(x => x.Id);
        b.Property(x => x.Status).HasConversion<string>();
        b.Property(x => x.Outcome).HasConversion<string>();
        b.HasOne<Milestone>().WithMany().HasForeignKey(x => x.MilestoneId);
        b.HasOne<Contract>().WithMany().HasForeignKey(x => x.ContractId);
        b.HasOne<Invoice>().WithMany().HasForeignKey(x => x.InvoiceId);
    }
}

internal sealed class ProposalMapping : IEntityTypeConfiguration<Proposal>
{
    public void Configure(EntityTypeBuilder<Proposal> b)
    {
        b.ToTable("proposals");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Outcome).HasConversion<string>();
        b.HasOne<Contract>().WithMany().HasForeignKey(x => x.ContractId);
        b.HasOne<Contact>().WithMany().HasForeignKey(x => x.ContactId);
    }
}

internal sealed class AcceptanceMapping : IEntityTypeConfiguration<Acceptance>
{
    public void Configure(EntityTypeBuilder<Acceptance> b)
    {
        b.ToTable("acceptances");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Method).HasConversion<string>();
        b.Property(x => x.Documents).HasConversion(new JsonConverter<IReadOnlyList<AcceptedDocument>>(), new JsonComparer<IReadOnlyList<AcceptedDocument>>());
        b.Property(x => x.Owner).HasConversion<string>();
        b.HasOne<Contract>().WithMany().HasForeignKey(x => x.ContractId);
        b.HasOne<ChangeOrder>().WithMany().HasForeignKey(x => x.ChangeOrderId);
        b.HasOne<Proposal>().WithMany().HasForeignKey(x => x.ProposalId);
        b.HasOne<Contact>().WithMany().HasForeignKey(x => x.ContactId);
    }
}

internal sealed class ChangeOrderDocumentMapping : IEntityTypeConfiguration<ChangeOrderDocument>
{
    public void Configure(EntityTypeBuilder<ChangeOrderDocument> b)
    {
        b.ToTable("change_order_documents");
        b.HasKey(x => x.ChangeOrderId);
        b.Property(x => x.ChangeOrderId).ValueGeneratedNever();
        b.HasOne<ChangeOrder>().WithOne().HasForeignKey<ChangeOrderDocument>(x => x.ChangeOrderId);
    }
}

internal sealed class CommentMapping : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> b)
    {
        b.ToTable("comments");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Subject).HasConversion<string>();
        b.HasOne<Contract>().WithMany().HasForeignKey(x => x.ContractId);
    }
}

internal sealed class CommentEditMapping : IEntityTypeConfiguration<CommentEdit>
{
    public void Configure(EntityTypeBuilder<CommentEdit> b)
    {
        b.ToTable("comment_edits");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasOne<Comment>().WithMany().HasForeignKey(x => x.CommentId);
    }
}
