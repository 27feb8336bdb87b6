using Cairn.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Server.Data.Mappings;

internal sealed class AttachmentMapping : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> b)
    {
        b.ToTable("attachments");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.OwnerKind).HasConversion<string>();
        b.HasOne<Contract>().WithMany().HasForeignKey(x => x.ContractId);
        b.HasOne<FileBlob>().WithMany().HasForeignKey(x => x.Sha256);
    }
}

internal sealed class FileBlobMapping : IEntityTypeConfiguration<FileBlob>
{
    public void Configure(EntityTypeBuilder<FileBlob> b)
    {
        b.ToTable("file_blobs");
        b.HasKey(x => x.Sha256);
    }
}
