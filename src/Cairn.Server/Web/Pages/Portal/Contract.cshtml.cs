using Cairn.Domain;
using Cairn.Server.Api;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Portal;

/// <summary>
/// One contract of the contact's client: a proposal waiting for their answer (accept with a typed
/// name and "I agree", decline or ask for changes with a reason), each milestone's acceptance
/// criteria and submitted deliverables, and the client's decisions on submitted work (approve,
/// request changes, dispute), made through the same services as the API. Any other client's
/// contract or milestone is a 404. The contact downloads the contract's documents, and may attach
/// files to a request for changes of the proposal and to a dispute.
/// </summary>
[AcceptsFiles]
public sealed class PortalContractModel(CairnDb db, Milestones milestones, ChangeOrders changeOrders, Proposals proposals, Attachments attachments, Comments comments, TimeProvider clock, BusinessDays businessDays) : PortalPage
{
    public Contract Contract { get; private set; } = null!;

    public string OrganizationName { get; private set; } = "";

    public MilestoneBilling Billing { get; private set; } = null!;

    /// <summary>The business day, for what each milestone allows now.</summary>
    public DateOnly Today { get; private set; }

    public ILookup<Guid, MilestoneEvent> History { get; private set; } = null!;

    public ActorNames Names { get; private set; } = null!;

    /// <summary>Change orders proposed to the client and waiting for their decision.</summary>
    public IReadOnlyList<ChangeOrder> Proposed { get; private set; } = [];

    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>Files the contact attaches to a request for changes or a dispute.</summary>
    [BindProperty]
    public List<IFormFile> Files { get; set; } = [];

    /// <summary>The documents of the contract the contact may see and download.</summary>
    public IReadOnlyList<Attachment> Documents { get; private set; } = [];

    /// <summary>A comment's text, posted or edited.</summary>
    [BindProperty]
    public string? Body { get; set; }

    /// <summary>The conversation on each milestone and change order, by its id.</summary>
    public ILookup<Guid, CommentEntry> Threads { get; private set; } = null!;

    /// <summary>The contact looking, and now: for whether a comment can still be edited.</summary>
    public Actor Viewer { get; private set; } = null!;

    public DateTimeOffset Now { get; private set; }

    /// <summary>The contact comments on a milestone or change order of their own client's contract.</summary>
    public Task<IActionResult> OnPostCommentAsync(Guid id, CommentSubject subject, Guid subjectId, CancellationToken ct) =>
        CommentAsync(id, $"comment-{subjectId}", Text.FlashCommentPosted, contact =>
            comments.AddAsync(subject, subjectId, new Commenter(contact.Actor, contact.ClientId), Body, PublicUrl.Of(HttpContext), ct), ct);

    /// <summary>The contact edits their own comment within its edit window.</summary>
    public Task<IActionResult> OnPostEditCommentAsync(Guid id, CommentSubject subject, Guid subjectId, Guid commentId, CancellationToken ct) =>
        CommentAsync(id, $"edit-{commentId}", Text.FlashCommentEdited, contact =>
            comments.EditAsync(subject, subjectId, commentId, new Commenter(contact.Actor, contact.ClientId), Body, ct), ct);

    private async Task<IActionResult> CommentAsync(Guid id, string form, string done, Func<Caller, Task> work, CancellationToken ct)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();
        if (!await PortalAccess.ContractsOf(db, contact).AnyAsync(c => c.Id == id && c.Status != ContractStatus.Draft, ct))
            return NotFound();
        if (await TryChangeAsync(db, form, () => work(contact)))
        {
            Flash = done;
            return Redirect($"/portal/contracts/{id}");
        }

        return await LoadAsync(contact, id, ct) ? Page() : NotFound();
    }

    /// <summary>The full name the contact types to sign an acceptance.</summary>
    [BindProperty]
    public string? TypedName { get; set; }

    /// <summary>The "I agree" checkbox placed after the terms.</summary>
    [BindProperty]
    public bool Agree { get; set; }

    /// <summary>The proposal waiting for an answer while the contract is Proposed, else null.</summary>
    public ProposalSummary? PendingProposal { get; private set; }

    /// <summary>Whether the pending proposal is addressed to this contact (only they may answer it).</summary>
    public bool ProposalIsTheirs { get; private set; }

    /// <summary>How the contract became Active, once it did.</summary>
    public Acceptance? Acceptance { get; private set; }

    /// <summary>How each approved change order of the contract was approved (by the client in the portal, or by staff), by change order.</summary>
    public IReadOnlyDictionary<Guid, Acceptance> ChangeOrderAcceptances { get; private set; } = new Dictionary<Guid, Acceptance>();

    /// <summary>The titles of the contract's change orders, by id.</summary>
    public IReadOnlyDictionary<Guid, string> ChangeOrderTitles { get; private set; } = new Dictionary<Guid, string>();

    public Task<IActionResult> OnPostAcceptAsync(Guid id, Guid proposalId, CancellationToken ct) =>
        AnswerProposalAsync(id, proposalId, "accept", Text.FlashProposalAccepted, async (contact, evidence) =>
            await proposals.AcceptAsync(id, proposalId, contact.ClientId!.Value, contact.Actor, TypedName, Agree, evidence, ct), ct);

    public Task<IActionResult> OnPostDeclineAsync(Guid id, Guid proposalId, CancellationToken ct) =>
        AnswerProposalAsync(id, proposalId, "decline", Text.FlashProposalDeclined, (contact, _) =>
            proposals.AnswerAsync(id, proposalId, contact.ClientId!.Value, contact.Actor, ProposalStatus.Declined, Reason, null, ct), ct);

    public Task<IActionResult> OnPostRequestChangesAsync(Guid id, Guid proposalId, CancellationToken ct) =>
        AnswerProposalAsync(id, proposalId, "revise", Text.FlashProposalChanges, async (contact, _) =>
            await proposals.AnswerAsync(id, proposalId, contact.ClientId!.Value, contact.Actor, ProposalStatus.ChangesRequested, Reason, await UploadedAsync(ct), ct), ct);

    private async Task<IActionResult> AnswerProposalAsync(Guid id, Guid proposalId, string form, string done, Func<Caller, AcceptanceEvidence, Task> answer, CancellationToken ct)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();

        // Only a proposal of the contact's own client's contract is there for them.
        if (!await PortalAccess.ContractsOf(db, contact).AsNoTracking().AnyAsync(c => c.Id == id && db.Proposals.Any(p => p.Id == proposalId && p.ContractId == c.Id), ct))
            return NotFound();
        var evidence = await HttpContext.AcceptanceEvidenceAsync();
        if (await TryChangeAsync(db, form, () => answer(contact, evidence)))
        {
            Flash = done;
            return Redirect(form == "accept" ? $"/portal/contracts/{id}" : "/portal");
        }

        if (await LoadAsync(contact, id, ct))
            return Page();

        // Withdrawn while the contact read it, the contract is a draft again and not shown: the answer is the refusal alone (409).
        Withdrawn = Response.StatusCode == StatusCodes.Status409Conflict;
        return Withdrawn ? Page() : NotFound();
    }

    /// <summary>The proposal answered was withdrawn and the contract is being revised: the page shows only why the answer was refused.</summary>
    public bool Withdrawn { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();
        return await LoadAsync(contact, id, cancellationToken) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostApproveAsync(Guid id, Guid milestoneId, CancellationToken ct) =>
        DecideAsync(id, milestoneId, "approve", Text.FlashApproved, (c, m, actor) => milestones.ApproveAsync(c, m, actor, ct), ct);

    public Task<IActionResult> OnPostChangesAsync(Guid id, Guid milestoneId, CancellationToken ct) =>
        DecideAsync(id, milestoneId, "changes", Text.FlashChangesRequested, (c, m, actor) => milestones.RequestChangesAsync(c, m, Reason ?? "", actor, ct), ct);

    public Task<IActionResult> OnPostDisputeAsync(Guid id, Guid milestoneId, CancellationToken ct) =>
        DecideAsync(id, milestoneId, "dispute", Text.FlashDisputed, async (c, m, actor) =>
        {
            var dispute = await milestones.DisputeAsync(c, m, Reason ?? "", actor, ct);
            await attachments.AttachAllAsync(AttachmentOwnerKind.Dispute, dispute.Id, await UploadedAsync(ct), actor, ct);
        }, ct);

    /// <summary>The files of the posted form, read whole (each is limited in size by the upload rules).</summary>
    private async Task<IReadOnlyList<UploadedFile>> UploadedAsync(CancellationToken ct)
    {
        var files = new List<UploadedFile>();
        foreach (var file in Files.Where(f => f.Length > 0 || f.FileName.Length > 0))
            files.Add(await Uploads.ReadAsync(file, ct));
        return files;
    }

    private async Task<IActionResult> DecideAsync(Guid id, Guid milestoneId, string action, string done, Func<Contract, Milestone, Actor, Task> decide, CancellationToken ct)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();

        // A contact acts only on their own client's milestones: anything else is not there for them.
        var theirs = await PortalAccess.ContractsOf(db, contact).AsNoTracking().AnyAsync(c => c.Id == id && c.Milestones.Any(m => m.Id == milestoneId), ct);
        if (!theirs)
            return NotFound();
        var ok = await TryChangeAsync(db, $"{action}-{milestoneId}", async () =>
        {
            var (contract, milestone) = await milestones.LoadForChangeAsync(milestoneId, ct);
            await decide(contract, milestone, contact.Actor);
        });
        if (ok)
        {
            Flash = done;
            return Redirect($"/portal/contracts/{id}#m-{milestoneId}");
        }

        return await LoadAsync(contact, id, ct) ? Page() : NotFound();
    }

    /// <summary>The contact approves a proposed change order with their typed full name and "I agree"; the acceptance record keeps the SHA-256 of the change-order PDF shown.</summary>
    public Task<IActionResult> OnPostApproveChangeAsync(Guid id, Guid changeOrderId, CancellationToken ct) =>
        DecideChangeAsync(id, changeOrderId, Text.FlashChangeApproved, async contact =>
            await changeOrders.ApproveByContactAsync(changeOrderId, contact.ClientId!.Value, contact.Actor, TypedName, Agree, await HttpContext.AcceptanceEvidenceAsync(), ct), ct);

    public Task<IActionResult> OnPostRejectChangeAsync(Guid id, Guid changeOrderId, CancellationToken ct) =>
        DecideChangeAsync(id, changeOrderId, Text.FlashChangeRejected, contact => changeOrders.RejectAsync(contact.OrganizationId, changeOrderId, contact.Actor, ct), ct);

    private async Task<IActionResult> DecideChangeAsync(Guid id, Guid changeOrderId, string done, Func<Caller, Task> decide, CancellationToken ct)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();

        // Only a change order proposed on a contract of the contact's own client is theirs to decide.
        var theirs = await PortalAccess.ContractsOf(db, contact).AnyAsync(c => c.Id == id, ct)
            && await db.ChangeOrders.AnyAsync(o => o.Id == changeOrderId && o.ContractId == id && o.Status != ChangeOrderStatus.Draft, ct);
        if (!theirs)
            return NotFound();
        if (await TryChangeAsync(db, $"co-{changeOrderId}", () => decide(contact)))
        {
            Flash = done;
            return Redirect($"/portal/contracts/{id}");
        }

        return await LoadAsync(contact, id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Caller contact, Guid id, CancellationToken ct)
    {
        if (await PortalAccess.ContractForContactAsync(db, contact, id, ct) is not { } contract || contract.Status == ContractStatus.Draft)
            return false;
        Contract = contract;
        if (contract.PendingProposalId is { } pending)
        {
            PendingProposal = (await proposals.OfContractAsync(id, ct)).Single(p => p.Id == pending);
            ProposalIsTheirs = PendingProposal.ContactId.ToString() == contact.Actor.Id;
        }

        Acceptance = await db.Acceptances.AsNoTracking().SingleOrDefaultAsync(a => a.ContractId == id && a.Owner == AcceptanceOwner.Contract, ct);
        ChangeOrderAcceptances = await db.Acceptances.AsNoTracking().Where(a => a.ContractId == id && a.Owner == AcceptanceOwner.ChangeOrder).ToDictionaryAsync(a => a.ChangeOrderId!.Value, ct);
        Billing = await MilestoneBilling.ForContractAsync(db, id, ct);
        Today = await businessDays.TodayAsync(ct);
        var ids = contract.Milestones.Select(m => m.Id).ToList();
        History = (await db.MilestoneEvents.AsNoTracking().Where(e => ids.Contains(e.MilestoneId)).ToListAsync(ct))
            .OrderBy(e => e.At).ThenBy(e => e.Id).ToLookup(e => e.MilestoneId);
        OrganizationName = await db.Organizations.AsNoTracking().Select(o => o.Name).SingleAsync(ct);
        ViewData["PortalTitle"] = Localization.Wording.Format(Text.PortalOf, OrganizationName);
        Names = await ActorNames.LoadAsync(db, ct, Text);
        Proposed = await db.ChangeOrders.AsNoTracking().Include(o => o.Items).Where(o => o.ContractId == id && o.Status == ChangeOrderStatus.Proposed).OrderBy(o => o.Id).ToListAsync(ct);
        Documents = [.. (await attachments.VisibleToContact(PortalAccess.ContractsOf(db, contact)).Where(a => a.ContractId == id).ToListAsync(ct)).OrderBy(a => a.UploadedAt).ThenBy(a => a.Id)];
        Threads = await comments.OfContractAsync(id, ct);
        Viewer = contact.Actor;
        Now = clock.GetUtcNow();
        ChangeOrderTitles = await db.ChangeOrders.AsNoTracking().Where(o => o.ContractId == id && o.Status != ChangeOrderStatus.Draft).ToDictionaryAsync(o => o.Id, o => o.Title, ct);
        return true;
    }
}
