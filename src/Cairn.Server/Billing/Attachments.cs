using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Billing;

/// <summary>
/// Files attached to contracts, change orders, milestone submissions, a contact's request for
/// changes and disputes: the one home of the upload rules (size limits from
/// <see cref="DocumentsOptions"/>, the type recognized by content with <see cref="FileTypes"/>, which
/// owners accept files and when a file may be removed, <see cref="AttachmentRules"/>). The bytes are
/// stored once per distinct content (<see cref="FileBlob"/>). Runs inside the caller's transaction,
/// with the contract locked so that its size limit holds under concurrent uploads; every change is audited.
/// </summary>
public sealed class Attachments(CairnDb db, Contracts contracts, IOptions<CairnOptions> options, TimeProvider clock)
{
    /// <summary>
    /// Attaches <paramref name="content"/> named <paramref name="fileName"/> to an owner of the current
    /// tenant. A file of the contract itself while it is Draft or Proposed changes the offer: a pending
    /// proposal is withdrawn (<see cref="Contract.DocumentsChanged"/>).
    /// </summary>
    /// <exception cref="DomainException">Not found (404) for another organization's owner; <c>invalid_transition</c> (409) when the owner takes no files now; a <see cref="FileRefused"/> (400, field <c>file</c>, naming the file): <c>file_name_invalid</c>, <c>file_empty</c>, <c>file_too_large</c>, <c>contract_files_too_large</c>, <c>file_type_not_allowed</c>, <c>file_type_mismatch</c>.</exception>
    public async Task<Attachment> AttachAsync(AttachmentOwnerKind kind, Guid ownerId, string? fileName, byte[] content, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var owner = await LoadOwnerAsync(kind, ownerId, cancellationToken);
        if (!owner.AcceptsFiles)
            throw new DomainException(new InvalidTransition(Describe(kind), ownerId, "attach files to", owner.State, "Files are attached while it is open; once accepted, submitted or decided it stays as it was."));
        var name = Attachment.NameOf(fileName);
        var used = await db.Attachments.Where(a => a.ContractId == owner.Contract.Id && a.RemovedAt == null).SumAsync(a => (long?)a.SizeBytes, cancellationToken) ?? 0;
        options.Value.Documents.Limits.Check(name, content.LongLength, used);
        var type = FileTypes.Identify(name, content);

        var sha256 = Proposal.Sha256Of(content);
        await FileBlob.StoreAsync(db, sha256, content, cancellationToken);
        var now = clock.GetUtcNow();
        var attachment = new Attachment(Guid.CreateVersion7(), owner.Contract.OrganizationId, owner.Contract.Id, kind, ownerId, name, type, content.LongLength, sha256, actor, now);
        db.Attachments.Add(attachment);
        Audit.Record(db, attachment.OrganizationId, "attachment", attachment.Id, "attached", actor, now, null, AttachmentState.Of(attachment));
        if (kind == AttachmentOwnerKind.Contract)
            DocumentsChanged(owner.Contract, actor, now);
        await db.SaveChangesAsync(cancellationToken);
        return attachment;
    }

    /// <summary>Attaches several files to one owner, each by <see cref="AttachAsync"/>: the first refused file refuses the whole change.</summary>
    public async Task AttachAllAsync(AttachmentOwnerKind kind, Guid ownerId, IReadOnlyList<UploadedFile> files, Actor actor, CancellationToken cancellationToken = default)
    {
        foreach (var file in files)
            await AttachAsync(kind, ownerId, file.FileName, file.Content, actor, cancellationToken);
    }

    /// <summary>Removes a live file of <paramref name="ownerKind"/> <paramref name="ownerId"/> of the current tenant, unless what it belongs to was accepted, approved, submitted or issued.</summary>
    /// <exception cref="DomainException">Not found (404), also for a file of another owner or one removed already; <c>attachment_locked</c> (409).</exception>
    public async Task<Attachment> RemoveAsync(AttachmentOwnerKind ownerKind, Guid ownerId, Guid attachmentId, Actor actor, CancellationToken cancellationToken = default)
    {
        if (!await db.Attachments.AnyAsync(a => a.Id == attachmentId && a.OwnerKind == ownerKind && a.OwnerId == ownerId && a.RemovedAt == null, cancellationToken))
            throw new DomainException(new NotFound("attachment", attachmentId));
        var owner = await LoadOwnerAsync(ownerKind, ownerId, cancellationToken);
        var attachment = await db.Attachments.SingleAsync(a => a.Id == attachmentId, cancellationToken);
        var before = AttachmentState.Of(attachment);
        var now = clock.GetUtcNow();
        attachment.Remove(owner.RemovesFiles, actor, now);
        Audit.Record(db, attachment.OrganizationId, "attachment", attachment.Id, "removed", actor, now, before, AttachmentState.Of(attachment));
        if (attachment.OwnerKind == AttachmentOwnerKind.Contract)
            DocumentsChanged(owner.Contract, actor, now);
        await db.SaveChangesAsync(cancellationToken);
        return attachment;
    }

    /// <summary>The live files of one owner of the current tenant, oldest first; null when there is no such owner.</summary>
    public async Task<List<Attachment>?> OfOwnerAsync(AttachmentOwnerKind kind, Guid ownerId, CancellationToken cancellationToken = default)
    {
        if (!await OwnerExistsAsync(kind, ownerId, cancellationToken))
            return null;
        return Ordered(await db.Attachments.AsNoTracking().Where(a => a.OwnerKind == kind && a.OwnerId == ownerId && a.RemovedAt == null).ToListAsync(cancellationToken));
    }

    /// <summary>Every live file of a contract of the current tenant (its own and its change orders', milestones', requests' and disputes'), oldest first.</summary>
    public async Task<List<Attachment>> OfContractAsync(Guid contractId, CancellationToken cancellationToken = default) =>
        Ordered(await db.Attachments.AsNoTracking().Where(a => a.ContractId == contractId && a.RemovedAt == null).ToListAsync(cancellationToken));

    /// <summary>
    /// The live files a client contact may see, of the contracts in <paramref name="theirContracts"/>
    /// (the portal's scope): not of drafts, not of draft change orders, and deliverables once submitted.
    /// </summary>
    public IQueryable<Attachment> VisibleToContact(IQueryable<Contract> theirContracts) =>
        db.Attachments.AsNoTracking().Where(a => a.RemovedAt == null
            && theirContracts.Any(c => c.Id == a.ContractId && c.Status != ContractStatus.Draft)
            && (a.OwnerKind != AttachmentOwnerKind.ChangeOrder || db.ChangeOrders.Any(o => o.Id == a.OwnerId && o.Status != ChangeOrderStatus.Draft))
            && (a.OwnerKind != AttachmentOwnerKind.Milestone || db.Milestones.Any(m => m.Id == a.OwnerId && m.Status != MilestoneStatus.Planned && m.Status != MilestoneStatus.InProgress)));

    /// <summary>The contract's own files as shown with its proposal, for the acceptance record.</summary>
    public async Task<List<AcceptedDocument>> ShownWithProposalAsync(Guid contractId, CancellationToken cancellationToken = default) =>
        (await OfOwnerAsync(AttachmentOwnerKind.Contract, contractId, cancellationToken) ?? [])
            .Select(a => new AcceptedDocument(a.Id, a.FileName, a.Sha256)).ToList();

    /// <summary>A live file of <paramref name="attachments"/> with its bytes; null when there is none.</summary>
    public async Task<AttachmentFile?> FileAsync(IQueryable<Attachment> attachments, Guid attachmentId, CancellationToken cancellationToken = default)
    {
        var attachment = await attachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attachmentId && a.RemovedAt == null, cancellationToken);
        if (attachment is null)
            return null;
        var content = await db.FileBlobs.AsNoTracking().Where(b => b.Sha256 == attachment.Sha256).Select(b => b.Content).SingleAsync(cancellationToken);
        return new AttachmentFile(attachment, content);
    }

    // A contract's own files are part of the offer while it is Draft or Proposed.
    private void DocumentsChanged(Contract contract, Actor actor, DateTimeOffset now)
    {
        var before = ContractState.Of(contract);
        contract.DocumentsChanged();
        if (before.Status != contract.Status.ToString())
            Audit.Record(db, contract.OrganizationId, "contract", contract.Id, "proposal_withdrawn", actor, now, before, ContractState.Of(contract));
    }

    private static List<Attachment> Ordered(List<Attachment> rows) =>
        // Ordered here, as SQLite cannot order by a DateTimeOffset.
        [.. rows.OrderBy(a => a.UploadedAt).ThenBy(a => a.Id)];

    private async Task<bool> OwnerExistsAsync(AttachmentOwnerKind kind, Guid ownerId, CancellationToken cancellationToken) => kind switch
    {
        AttachmentOwnerKind.Contract => await db.Contracts.AnyAsync(c => c.Id == ownerId, cancellationToken),
        AttachmentOwnerKind.ChangeOrder => await db.ChangeOrders.AnyAsync(o => o.Id == ownerId, cancellationToken),
        AttachmentOwnerKind.Milestone => await db.Milestones.AnyAsync(m => m.Id == ownerId, cancellationToken),
        AttachmentOwnerKind.ChangeRequest => await db.Proposals.AnyAsync(p => p.Id == ownerId, cancellationToken),
        AttachmentOwnerKind.Dispute => await db.Disputes.AnyAsync(d => d.Id == ownerId, cancellationToken),
        _ => false,
    };

    /// <summary>Locks and loads the contract of an owner of the current tenant, with what the owner allows now.</summary>
    private async Task<Owner> LoadOwnerAsync(AttachmentOwnerKind kind, Guid ownerId, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case AttachmentOwnerKind.Contract:
            {
                var contract = await contracts.LoadForChangeAsync(ownerId, cancellationToken);
                return new Owner(contract, contract.Status.ToString(), AttachmentRules.AcceptsFiles(contract), AttachmentRules.IsOpen(contract));
            }

            case AttachmentOwnerKind.ChangeOrder:
            {
                var contractId = await db.ChangeOrders.Where(o => o.Id == ownerId).Select(o => (Guid?)o.ContractId).SingleOrDefaultAsync(cancellationToken)
                    ?? throw new DomainException(new NotFound("change order", ownerId));
                var contract = await contracts.LoadForChangeAsync(contractId, cancellationToken);
                var order = await db.ChangeOrders.AsNoTracking().SingleAsync(o => o.Id == ownerId, cancellationToken);
                return new Owner(contract, order.Status.ToString(), AttachmentRules.IsOpen(order), AttachmentRules.IsOpen(order));
            }

            case AttachmentOwnerKind.Milestone:
            {
                var contractId = await db.Milestones.Where(m => m.Id == ownerId).Select(m => (Guid?)m.ContractId).SingleOrDefaultAsync(cancellationToken)
                    ?? throw new DomainException(new NotFound("milestone", ownerId));
                var contract = await contracts.LoadForChangeAsync(contractId, cancellationToken);
                var milestone = contract.Milestones.Single(m => m.Id == ownerId);
                var open = AttachmentRules.IsOpen(milestone) && contract.AllowsWork;
                return new Owner(contract, milestone.Status.ToString(), open, AttachmentRules.IsOpen(milestone));
            }

            case AttachmentOwnerKind.ChangeRequest:
            {
                // The contact attaches files while asking for changes, in the same transaction; they stay with the request.
                var proposal = await db.Proposals.AsNoTracking().SingleOrDefaultAsync(p => p.Id == ownerId, cancellationToken)
                    ?? throw new DomainException(new NotFound("proposal", ownerId));
                var contract = await contracts.LoadForChangeAsync(proposal.ContractId, cancellationToken);
                return new Owner(contract, proposal.Outcome?.ToString() ?? "Pending", proposal.Outcome == ProposalStatus.ChangesRequested, false);
            }

            case AttachmentOwnerKind.Dispute:
            {
                var dispute = await db.Disputes.AsNoTracking().SingleOrDefaultAsync(d => d.Id == ownerId, cancellationToken)
                    ?? throw new DomainException(new NotFound("dispute", ownerId));
                var contract = await contracts.LoadForChangeAsync(dispute.ContractId, cancellationToken);
                return new Owner(contract, dispute.Status.ToString(), dispute.Status == DisputeStatus.Open, false);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static string Describe(AttachmentOwnerKind kind) => kind switch
    {
        AttachmentOwnerKind.ChangeOrder => "change order",
        AttachmentOwnerKind.ChangeRequest => "request for changes",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private sealed record Owner(Contract Contract, string State, bool AcceptsFiles, bool RemovesFiles);
}

/// <summary>A file as a form or request sent it: its name and bytes.</summary>
public sealed record UploadedFile(string FileName, byte[] Content);

/// <summary>A stored file with its bytes, as a download serves it.</summary>
public sealed record AttachmentFile(Attachment Attachment, byte[] Content);

/// <summary>What the audit log keeps of an attachment.</summary>
public sealed record AttachmentState(AttachmentOwnerKind OwnerKind, Guid OwnerId, string FileName, string MediaType, long SizeBytes, string Sha256, DateTimeOffset? RemovedAt)
{
    public static AttachmentState Of(Attachment a) => new(a.OwnerKind, a.OwnerId, a.FileName, a.MediaType, a.SizeBytes, a.Sha256, a.RemovedAt);
}
