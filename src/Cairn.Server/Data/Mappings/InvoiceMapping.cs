using Cairn.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Server.Data.Mappings;

internal sealed class InvoiceMapping : IEntityTypeConfiguration<Invoice>
{
    public void Configure(EntityTypeBuilder<Invoice> b)
    {
        b.ToTable("invoices");
        b.HasKey(x => x.Id);
        b.Property(x => x.Status).HasConversion<string>();
        b.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.InvoiceId);
        b.Navigation(x => x.Lines).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Ignore(x => x.Deductions);
        b.HasOne<Contract>().WithMany().HasForeignKey(x => x.ContractId);
        b.HasOne<Milestone>().WithMany().HasForeignKey(x => x.MilestoneId);
        b.HasOne<Client>().WithMany().HasForeignKey(x => x.ClientId);
    }
}

internal sealed class InvoiceLineMapping : IEntityTypeConfiguration<InvoiceLine>
{
    public void Configure(EntityTypeBuilder<InvoiceLine> b)
    {
        b.ToTable("invoice_lines");
        b.HasKey(x => x.Id);

        // Ids come from the domain: a line added to a tracked draft is new, not an existing row to update.
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.TaxCategory).HasConversion<string>();
        // Stored as work, late_interest, recovery_compensation.
        b.Property(x => x.Kind).HasConversion(v => v == InvoiceLineKind.LateInterest ? "late_interest" : v == InvoiceLineKind.RecoveryCompensation ? "recovery_compensation" : "work",
            v => v == "late_interest" ? InvoiceLineKind.LateInterest : v == "recovery_compensation" ? InvoiceLineKind.RecoveryCompensation : InvoiceLineKind.Work);
    }
}

internal sealed class CreditNoteMapping : IEntityTypeConfiguration<CreditNote>
{
    public void Configure(EntityTypeBuilder<CreditNote> b)
    {
        b.ToTable("credit_notes");
        b.HasKey(x => x.Id);
        b.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.CreditNoteId);
        // A credit note is read whole: its lines are its content (hash, e-invoice, PDF).
        b.Navigation(x => x.Lines).UsePropertyAccessMode(PropertyAccessMode.Field).AutoInclude();
        b.HasOne<Invoice>().WithMany().HasForeignKey(x => x.InvoiceId);
        b.HasOne<Client>().WithMany().HasForeignKey(x => x.ClientId);
    }
}

internal sealed class CreditNoteLineMapping : IEntityTypeConfiguration<CreditNoteLine>
{
    public void Configure(EntityTypeBuilder<CreditNoteLine> b)
    {
        b.ToTable("credit_note_lines");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.TaxCategory).HasConversion<string>();
        b.Ignore(x => x.Subtotal);
    }
}

internal sealed class PaymentMapping : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> b)
    {
        b.ToTable("payments");
        b.HasKey(x => x.Id);
        b.Property(x => x.Status).HasConversion<string>();
        b.HasMany(x => x.Applications).WithOne().HasForeignKey(a => a.PaymentId);
        b.Navigation(x => x.Applications).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasMany(x => x.RefundParts).WithOne().HasForeignKey(r => r.PaymentId);
        b.Navigation(x => x.RefundParts).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasOne<Client>().WithMany().HasForeignKey(x => x.ClientId);
    }
}

internal sealed class RefundMapping : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> b)
    {
        b.ToTable("refunds");
        b.HasKey(x => x.Id);
        b.Property(x => x.Status).HasConversion<string>();
        b.HasOne<Client>().WithMany().HasForeignKey(x => x.ClientId);
    }
}

internal sealed class RefundPartMapping : IEntityTypeConfiguration<RefundPart>
{
    public void Configure(EntityTypeBuilder<RefundPart> b)
    {
        b.ToTable("refund_parts");
        b.HasKey(x => x.Id);
        b.HasOne<Refund>().WithMany().HasForeignKey(x => x.RefundId);
    }
}

internal sealed class PaymentApplicationMapping : IEntityTypeConfiguration<PaymentApplication>
{
    public void Configure(EntityTypeBuilder<PaymentApplication> b)
    {
        b.ToTable("payment_applications");
        b.HasKey(x => x.Id);
        b.HasOne<Invoice>().WithMany().HasForeignKey(x => x.InvoiceId);
    }
}

internal sealed class AuditEntryMapping : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_log");
        b.HasKey(x => x.Id);
        b.HasIndex(x => new { x.OrganizationId, x.EntityType, x.EntityId });
    }
}
