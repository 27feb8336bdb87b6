namespace Cairn.Domain;

/// <summary>What a file is attached to.</summary>
public enum AttachmentOwnerKind
{
    /// <summary>The contract itself (a statement of work, the signed contract); shown with its proposal.</summary>
    Contract,

    /// <summary>A change order.</summary>
    ChangeOrder,

    /// <summary>A milestone's submission: the deliverables themselves, beside the links.</summary>
    Milestone,

    /// <summary>A client contact's request for changes to a proposal (the owner id is the proposal's).</summary>
    ChangeRequest,

    /// <summary>A dispute of a milestone.</summary>
    Dispute,
}

/// <summary>The size limits of uploads, in bytes: per file, and for all live files of one contract together.</summary>
/// <param name="MaxFileBytes">The largest file accepted.</param>
/// <param name="MaxContractBytes">The most all live files of one contract (its own, its change orders', milestones', requests' and disputes') may add up to.</param>
public readonly record struct UploadLimits(long MaxFileBytes, long MaxContractBytes)
{
    /// <summary>Refuses a file of <paramref name="size"/> bytes over the per-file limit, or that would take the contract's files (<paramref name="contractBytes"/> so far) over theirs.</summary>
    /// <exception cref="DomainException"><c>file_too_large</c>, <c>contract_files_too_large</c>: a <see cref="FileRefused"/> naming the file.</exception>
    public void Check(string fileName, long size, long contractBytes)
    {
        if (size > MaxFileBytes)
            throw new DomainException(new FileRefused("file_too_large", $"{fileName} is {Megabytes(size)}; a file may be at most {Megabytes(MaxFileBytes)}.", fileName));
        if (contractBytes + size > MaxContractBytes)
            throw new DomainException(new FileRefused("contract_files_too_large", $"{fileName} ({Megabytes(size)}) would take the contract's files to {Megabytes(contractBytes + size)}; a contract's files may add up to {Megabytes(MaxContractBytes)}. Remove files it no longer needs, or link to large files instead.", fileName));
    }

    private static string Megabytes(long bytes) => (bytes / 1048576m).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " MB";
}

/// <summary>
/// A file attached to a contract, change order, milestone submission, request for changes or
/// dispute. The bytes are stored once per distinct content, keyed by <see cref="Sha256"/>; the
/// attachment names them. Removing keeps the row (and the history) and hides the file.
/// </summary>
public sealed class Attachment
{
    /// <summary>The longest file name kept.</summary>
    public const int MaxFileNameLength = 255;

    private Attachment()
    {
    }

    /// <summary>A file of <paramref name="type"/> attached to <paramref name="ownerKind"/> <paramref name="ownerId"/> of <paramref name="contractId"/>.</summary>
    /// <exception cref="DomainException"><c>file_name_invalid</c>: a name that is empty, too long, or holds a path or control characters.</exception>
    public Attachment(Guid id, Guid organizationId, Guid contractId, AttachmentOwnerKind ownerKind, Guid ownerId, string fileName, FileType type, long sizeBytes, string sha256, Actor uploadedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(type);
        Id = id;
        OrganizationId = organizationId;
        ContractId = contractId;
        OwnerKind = ownerKind;
        OwnerId = ownerId;
        FileName = NameOf(fileName);
        MediaType = type.MediaType;
        SizeBytes = sizeBytes;
        Sha256 = sha256;
        UploadedBy = uploadedBy.ToString();
        UploadedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    /// <summary>The contract the owner belongs to: who may see the file, and whose size limit it counts against.</summary>
    public Guid ContractId { get; private set; }

    public AttachmentOwnerKind OwnerKind { get; private set; }

    public Guid OwnerId { get; private set; }

    /// <summary>The file name as uploaded, without any path.</summary>
    public string FileName { get; private set; } = "";

    /// <summary>The media type of the content as Cairn recognized it (see <see cref="FileTypes"/>), served with the file.</summary>
    public string MediaType { get; private set; } = "";

    public long SizeBytes { get; private set; }

    /// <summary>SHA-256 of the content, lowercase hex: the key of the stored bytes, and the file's ETag.</summary>
    public string Sha256 { get; private set; } = "";

    /// <summary>Who uploaded it, in the audit log's <c>kind:id</c> form: a staff user, an API key or a client contact.</summary>
    public string UploadedBy { get; private set; } = "";

    public DateTimeOffset UploadedAt { get; private set; }

    public DateTimeOffset? RemovedAt { get; private set; }

    public string? RemovedBy { get; private set; }

    /// <summary>
    /// Removes the file. <paramref name="ownerStillOpen"/> says whether its owner is still open to
    /// change (see <see cref="AttachmentRules"/>): a file of something accepted, approved, submitted
    /// or issued stays, as it is part of what was agreed or delivered.
    /// </summary>
    /// <exception cref="DomainException"><c>attachment_locked</c> (409) when the owner is no longer open; <c>invalid_transition</c> when already removed.</exception>
    public void Remove(bool ownerStillOpen, Actor by, DateTimeOffset now)
    {
        if (RemovedAt is not null)
            throw new DomainException(new InvalidTransition("attachment", Id, "remove", "removed", "It was removed already."));
        if (!ownerStillOpen)
            throw new DomainException(new AttachmentLocked(Id, FileName, OwnerKind));
        RemovedAt = now;
        RemovedBy = by.ToString();
    }

    /// <summary>The name a file is kept under: the last part of what was sent (no path), trimmed.</summary>
    /// <exception cref="DomainException"><c>file_name_invalid</c>: empty, longer than <see cref="MaxFileNameLength"/>, or with control characters.</exception>
    public static string NameOf(string? fileName)
    {
        // Browsers on Windows used to send the full path: keep the last part only.
        var name = (fileName ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..].Trim();
        if (name.Length == 0 || name.Length > MaxFileNameLength || name.Any(char.IsControl) || name is "." or "..")
            throw new DomainException(new FileRefused("file_name_invalid", $"A file needs a name of 1 to {MaxFileNameLength} characters without control characters; \"{name}\" is not one.", fileName ?? ""));
        return name;
    }
}

/// <summary>Whether files of an owner may still be removed: only while what they belong to is open to change.</summary>
public static class AttachmentRules
{
    /// <summary>A contract's own files may be removed while it is Draft or Proposed (removing one withdraws the proposal); once agreed they are part of the agreement.</summary>
    public static bool IsOpen(Contract contract) => contract.Status is ContractStatus.Draft or ContractStatus.Proposed;

    /// <summary>A change order's files may be removed until the client decides it.</summary>
    public static bool IsOpen(ChangeOrder order) => order.Status is ChangeOrderStatus.Draft or ChangeOrderStatus.Proposed;

    /// <summary>A milestone's deliverables may be removed until they are submitted (again after changes are requested).</summary>
    public static bool IsOpen(Milestone milestone) => milestone.Status is MilestoneStatus.Planned or MilestoneStatus.InProgress;

    /// <summary>Files may be added to a contract that is not Cancelled (a signed contract after activation, too).</summary>
    public static bool AcceptsFiles(Contract contract) => contract.Status != ContractStatus.Cancelled;
}

/// <summary>A file whose owner was accepted, approved, submitted or issued cannot be removed.</summary>
public sealed record AttachmentLocked(Guid AttachmentId, string FileName, AttachmentOwnerKind OwnerKind)
    : DomainError("attachment_locked", $"{FileName} can no longer be removed: the {OwnerKind.ToString().ToLowerInvariant()} it belongs to was accepted, approved, submitted or issued, and the file is part of that record.")
{
    /// <inheritdoc />
    public override DomainErrorKind Kind => DomainErrorKind.Conflict;
}
