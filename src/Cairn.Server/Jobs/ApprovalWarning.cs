using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Server.Jobs;

/// <summary>
/// The record that <c>milestone.auto_approval_due</c> was emitted for one submission of a milestone
/// (its approval window's end): a unique key, so the warning goes out once even when several
/// instances run the scheduled job at the same moment.
/// </summary>
public sealed class ApprovalWarning
{
    private ApprovalWarning()
    {
    }

    internal ApprovalWarning(Guid organizationId, Guid milestoneId, DateTimeOffset windowEndsAt, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        MilestoneId = milestoneId;
        WindowEndsAt = windowEndsAt;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid MilestoneId { get; private set; }

    /// <summary>When the approval window the warning is about runs out (<see cref="Domain.Contract.ApprovalWindowEnds"/>).</summary>
    public DateTimeOffset WindowEndsAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}

internal sealed class ApprovalWarningMapping : IEntityTypeConfiguration<ApprovalWarning>
{
    public void Configure(EntityTypeBuilder<ApprovalWarning> b)
    {
        b.ToTable("approval_warnings");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasIndex(x => new { x.MilestoneId, x.WindowEndsAt }).IsUnique();
    }
}
