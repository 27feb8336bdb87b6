using System.Security.Cryptography;

namespace Cairn.Domain;

/// <summary>What became of a proposal (see <see cref="Proposal.StatusIn"/>).</summary>
public enum ProposalStatus
{
    /// <summary>Waiting for the contact's answer: it is the contract's pending proposal.</summary>
    Pending,

    /// <summary>The contact accepted it; the contract became Active.</summary>
    Accepted,

    /// <summary>The contact declined it, with a reason; the contract is a draft again.</summary>
    Declined,

    /// <summary>The contact asked for changes, with a reason; the contract is a draft again.</summary>
    ChangesRequested,

    /// <summary>Never answered and no longer the offer: the plan or terms changed, or staff activated or cancelled the contract.</summary>
    Superseded,
}

/// <summary>
/// A draft contract sent to one of its client's contacts for acceptance: the exact PDF they are
/// shown is kept (its bytes and SHA-256), so what was accepted can be proven and recomputed later.
/// </summary>
public sealed class Proposal
{
    /// <summary>The longest reason a contact may give when declining or asking for changes.</summary>
    public const int MaxReasonLength = 2000;

    private Proposal()
    {
    }

    /// <summary>A proposal of <paramref name="contract"/> (already <see cref="Contract.Propose"/>d with <paramref name="id"/>) to a contact, with the PDF it shows.</summary>
    public Proposal(Guid id, Contract contract, Guid contactId, byte[] pdf, Actor proposedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(pdf);
        Id = id;
        OrganizationId = contract.OrganizationId;
        ContractId = contract.Id;
        ContactId = contactId;
        ContractVersion = contract.Version;
        Pdf = pdf;
        PdfSha256 = Sha256Of(pdf);
        ProposedBy = proposedBy.ToString();
        ProposedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid ContractId { get; private set; }

    /// <summary>The client contact it is addressed to; only they may answer it.</summary>
    public Guid ContactId { get; private set; }

    /// <summary>The contract's version when it was proposed.</summary>
    public int ContractVersion { get; private set; }

    /// <summary>The proposal PDF exactly as the contact is shown it.</summary>
    public byte[] Pdf { get; private set; } = [];

    /// <summary>SHA-256 of <see cref="Pdf"/>, lowercase hex.</summary>
    public string PdfSha256 { get; private set; } = "";

    /// <summary>Who proposed it, in the audit log's <c>kind:id</c> form.</summary>
    public string ProposedBy { get; private set; } = "";

    public DateTimeOffset ProposedAt { get; private set; }

    /// <summary>The contact's answer (Accepted, Declined, ChangesRequested); null while unanswered.</summary>
    public ProposalStatus? Outcome { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>Why the contact declined or asked for changes.</summary>
    public string? Reason { get; private set; }

    /// <summary>Where the proposal stands, given its contract: unanswered and no longer pending is <see cref="ProposalStatus.Superseded"/>.</summary>
    public ProposalStatus StatusIn(Contract contract) => StatusOf(Id, Outcome, contract);

    /// <summary>Where proposal <paramref name="id"/> with its <paramref name="outcome"/> stands, given its contract.</summary>
    public static ProposalStatus StatusOf(Guid id, ProposalStatus? outcome, Contract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return outcome ?? (contract.Status == ContractStatus.Proposed && contract.PendingProposalId == id ? ProposalStatus.Pending : ProposalStatus.Superseded);
    }

    /// <summary>Records the contact's answer; a decline or a request for changes needs a reason.</summary>
    /// <exception cref="DomainException"><c>reason_required</c>, <c>reason_too_long</c> (field <c>reason</c>); <c>invalid_transition</c> once answered.</exception>
    public void Answer(ProposalStatus outcome, string? reason, DateTimeOffset now)
    {
        if (outcome is not (ProposalStatus.Accepted or ProposalStatus.Declined or ProposalStatus.ChangesRequested))
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "An answer accepts, declines or asks for changes.");
        if (Outcome is { } answered)
            throw new DomainException(new InvalidTransition("proposal", Id, "answer", answered.ToString(), "A proposal is answered once."));
        var trimmed = reason?.Trim();
        if (outcome != ProposalStatus.Accepted && string.IsNullOrEmpty(trimmed))
            throw new DomainException(new DomainError("reason_required", outcome == ProposalStatus.Declined ? "Say why you decline the proposal." : "Say what should change in the proposal.", "reason"));
        if (trimmed?.Length > MaxReasonLength)
            throw new DomainException(new DomainError("reason_too_long", $"A reason is at most {MaxReasonLength} characters.", "reason"));
        Outcome = outcome;
        Reason = outcome == ProposalStatus.Accepted ? null : trimmed;
        DecidedAt = now;
    }

    /// <summary>SHA-256 of a file, lowercase hex, as acceptance records quote it (anyone can recompute it with <c>sha256sum</c>).</summary>
    public static string Sha256Of(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}

/// <summary>How a contract became Active.</summary>
public enum AcceptanceMethod
{
    /// <summary>The client contact accepted the proposal in the portal, with their typed name.</summary>
    Portal,

    /// <summary>Staff activated it directly (signed elsewhere); no client acceptance in Cairn.</summary>
    Staff,
}

/// <summary>What an acceptance record agrees to: a contract (how it became Active) or a change order (how it was approved).</summary>
public enum AcceptanceOwner
{
    /// <summary>The record of how a contract became Active: its proposal accepted, or staff activation.</summary>
    Contract,

    /// <summary>The record of how a change order was approved: by the client contact in the portal, or by staff.</summary>
    ChangeOrder,
}

/// <summary>Where an acceptance came from: the request's client address, user agent and the portal link of the session.</summary>
/// <param name="IpAddress">The client's IP address as Cairn saw it (after trusted proxies).</param>
/// <param name="UserAgent">The browser's User-Agent header, cut to <see cref="Acceptance.MaxUserAgentLength"/> characters.</param>
/// <param name="PortalLinkId">The portal link that opened the session.</param>
public sealed record AcceptanceEvidence(string? IpAddress, string? UserAgent, Guid? PortalLinkId);

/// <summary>
/// The immutable record of how a contract, or a change order of it (<see cref="Owner"/>), was agreed:
/// by a client contact in the portal (their typed name, the time in UTC, IP address, user agent,
/// portal link, and the SHA-256 of the exact PDF shown: the proposal, or the change order) or by
/// staff directly. Database triggers reject any update or delete; a unique index allows one record
/// per contract and one per change order.
/// </summary>
public sealed class Acceptance
{
    /// <summary>The longest typed name accepted.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The longest user agent kept.</summary>
    public const int MaxUserAgentLength = 500;

    private Acceptance()
    {
    }

    private Acceptance(Contract contract, AcceptanceMethod method, Actor actor, DateTimeOffset now)
        : this(contract.OrganizationId, contract.Id, method, actor, now)
    {
    }

    private Acceptance(Guid organizationId, Guid contractId, AcceptanceMethod method, Actor actor, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        ContractId = contractId;
        Method = method;
        Actor = actor.ToString();
        AcceptedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    /// <summary>The contract agreed to, or whose change order was approved.</summary>
    public Guid ContractId { get; private set; }

    /// <summary>Whether this records the contract's acceptance or a change order's approval.</summary>
    public AcceptanceOwner Owner { get; private set; }

    /// <summary>The change order approved, when <see cref="Owner"/> is <see cref="AcceptanceOwner.ChangeOrder"/>; else null.</summary>
    public Guid? ChangeOrderId { get; private set; }

    public AcceptanceMethod Method { get; private set; }

    /// <summary>Who activated the contract (or approved the change order), in the audit log's <c>kind:id</c> form (the contact, or the staff user or API key).</summary>
    public string Actor { get; private set; } = "";

    /// <summary>When, in UTC.</summary>
    public DateTimeOffset AcceptedAt { get; private set; }

    /// <summary>The proposal accepted; null for a staff activation.</summary>
    public Guid? ProposalId { get; private set; }

    public Guid? ContactId { get; private set; }

    /// <summary>The contact's name in Cairn when they accepted.</summary>
    public string? ContactName { get; private set; }

    /// <summary>The full name the contact typed to sign.</summary>
    public string? TypedName { get; private set; }

    public string? IpAddress { get; private set; }

    public string? UserAgent { get; private set; }

    public Guid? PortalLinkId { get; private set; }

    /// <summary>SHA-256 (lowercase hex) of the PDF the contact was shown and accepted: the proposal PDF, or for a change order the change-order PDF.</summary>
    public string? ProposalPdfSha256 { get; private set; }

    /// <summary>The contract's documents shown with the proposal, each with the SHA-256 of its content; empty for a staff activation.</summary>
    public IReadOnlyList<AcceptedDocument> Documents { get; private set; } = [];

    /// <summary>
    /// A contact's acceptance of <paramref name="proposal"/>, checked before anything changes: the
    /// typed full name is required and the terms must have been agreed to. <paramref name="documents"/>
    /// are the contract's files shown with the proposal (none when null).
    /// </summary>
    /// <exception cref="DomainException"><c>agreement_required</c> (field <c>agree</c>); <c>typed_name_required</c>, <c>typed_name_too_long</c> (field <c>typedName</c>).</exception>
    public static Acceptance ByContact(Contract contract, Proposal proposal, Actor contact, string? typedName, bool agreed, AcceptanceEvidence evidence, DateTimeOffset now, IReadOnlyList<AcceptedDocument>? documents = null)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(evidence);
        var name = Signature(typedName, agreed, "the proposal and its terms");
        return new Acceptance(contract, AcceptanceMethod.Portal, contact, now)
        {
            ProposalId = proposal.Id,
            ContactId = proposal.ContactId,
            ContactName = contact.Name,
            TypedName = name,
            IpAddress = evidence.IpAddress,
            UserAgent = UserAgentOf(evidence),
            PortalLinkId = evidence.PortalLinkId,
            ProposalPdfSha256 = proposal.PdfSha256,
            Documents = documents ?? [],
        };
    }

    /// <summary>
    /// A contact's approval of change order <paramref name="order"/> in the portal, having been shown
    /// <paramref name="document"/>; checked like <see cref="ByContact"/> before anything changes.
    /// </summary>
    /// <exception cref="DomainException"><c>agreement_required</c> (field <c>agree</c>); <c>typed_name_required</c>, <c>typed_name_too_long</c> (field <c>typedName</c>).</exception>
    public static Acceptance OfChangeOrderByContact(ChangeOrder order, ChangeOrderDocument document, Guid contactId, Actor contact, string? typedName, bool agreed, AcceptanceEvidence evidence, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(evidence);
        var name = Signature(typedName, agreed, "the change and its terms");
        return new Acceptance(order.OrganizationId, order.ContractId, AcceptanceMethod.Portal, contact, now)
        {
            Owner = AcceptanceOwner.ChangeOrder,
            ChangeOrderId = order.Id,
            ContactId = contactId,
            ContactName = contact.Name,
            TypedName = name,
            IpAddress = evidence.IpAddress,
            UserAgent = UserAgentOf(evidence),
            PortalLinkId = evidence.PortalLinkId,
            ProposalPdfSha256 = document.PdfSha256,
        };
    }

    /// <summary>Staff (or an API key) approved change order <paramref name="order"/> on the client's behalf (agreed elsewhere), recorded as such.</summary>
    public static Acceptance OfChangeOrderByStaff(ChangeOrder order, Actor staff, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new Acceptance(order.OrganizationId, order.ContractId, AcceptanceMethod.Staff, staff, now) { Owner = AcceptanceOwner.ChangeOrder, ChangeOrderId = order.Id };
    }

    /// <summary>The typed full name, trimmed, once the terms were agreed to.</summary>
    private static string Signature(string? typedName, bool agreed, string what)
    {
        var name = typedName?.Trim() ?? "";
        if (name.Length == 0)
            throw new DomainException(new DomainError("typed_name_required", "Type your full name to sign the acceptance.", "typedName"));
        if (name.Length > MaxNameLength)
            throw new DomainException(new DomainError("typed_name_too_long", $"A name is at most {MaxNameLength} characters.", "typedName"));
        if (!agreed)
            throw new DomainException(new DomainError("agreement_required", $"Tick \"I agree\" to accept {what}.", "agree"));
        return name;
    }

    private static string? UserAgentOf(AcceptanceEvidence evidence) =>
        evidence.UserAgent is { Length: > MaxUserAgentLength } long_ ? long_[..MaxUserAgentLength] : evidence.UserAgent;

    /// <summary>Staff activated the contract directly (signed elsewhere), recorded as such.</summary>
    public static Acceptance ByStaff(Contract contract, Actor staff, DateTimeOffset now) =>
        new(contract, AcceptanceMethod.Staff, staff, now);
}

/// <summary>A document shown with an accepted proposal: the attachment, its file name and the SHA-256 (lowercase hex) of its content.</summary>
public sealed record AcceptedDocument(Guid AttachmentId, string FileName, string Sha256);

/// <summary>An answer to a proposal that is no longer the offer: the plan or terms changed since, or another proposal was sent.</summary>
public sealed record ProposalSuperseded(Guid ContractId, Guid ProposalId)
    : DomainError("proposal_superseded", $"Proposal {ProposalId} of contract {ContractId} is no longer the offer: it was withdrawn or replaced since it was sent (the plan, terms or documents changed, or a newer proposal was sent). Ask for the current proposal.")
{
    /// <inheritdoc />
    public override DomainErrorKind Kind => DomainErrorKind.Conflict;
}
