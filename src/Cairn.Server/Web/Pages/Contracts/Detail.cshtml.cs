using Cairn.Domain;
using Cairn.Server.Api;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Contracts;

/// <summary>
/// One contract: the plan with each milestone's work and billing status and its actions, a
/// timeline by due date, progress, invoices, payments, change orders, disputes and history.
/// Every action calls the same service as the API route that does it, in one transaction.
/// Documents: files of the contract, its milestones' submissions and its change orders are uploaded,
/// listed and removed here (the same rules as the API, <see cref="Attachments"/>).
/// </summary>
[AcceptsFiles]
public sealed class ContractDetailModel(CairnDb db, Billing.Contracts contracts, Proposals proposals, Milestones milestones, Disputes disputes, Billing.ChangeOrders changeOrders, Attachments attachments, Comments comments, TimeProvider clock, BusinessDays businessDays, Microsoft.Extensions.Options.IOptions<CairnOptions> options) : StaffPage
{
    /// <summary>The per-file upload limit, for the form.</summary>
    public int MaxFileMegabytes => options.Value.Documents.MaxFileMegabytes;

    /// <summary>The form name of the documents section.</summary>
    public const string DocumentsForm = "documents";

    /// <summary>Every live file of the contract (its own, milestones', change orders', the client's requests' and disputes').</summary>
    public IReadOnlyList<Attachment> Documents { get; private set; } = [];

    /// <summary>What an uploaded file is attached to: <c>contract</c>, <c>milestone:{id}</c> or <c>change_order:{id}</c>.</summary>
    [BindProperty]
    public string? DocumentOwner { get; set; }

    /// <summary>The file uploaded with the documents form.</summary>
    [BindProperty]
    public IFormFile? Upload { get; set; }

    /// <summary>Where staff download a file: the API route, which signed-in staff may use.</summary>
    public static string DownloadHref(Attachment document) => $"/api/v1/attachments/{document.Id}/content";

    /// <summary>Whether a file of this owner may still be removed (as <see cref="AttachmentRules"/> decides).</summary>
    public bool MayRemove(Attachment document) => document.OwnerKind switch
    {
        AttachmentOwnerKind.Contract => AttachmentRules.IsOpen(Contract),
        AttachmentOwnerKind.Milestone => Contract.Milestones.FirstOrDefault(m => m.Id == document.OwnerId) is { } m && AttachmentRules.IsOpen(m),
        AttachmentOwnerKind.ChangeOrder => ChangeOrders.FirstOrDefault(o => o.Id == document.OwnerId) is { } o && AttachmentRules.IsOpen(o),
        _ => false,
    };

    public Contract Contract { get; private set; } = null!;

    public string ClientName { get; private set; } = "";

    public MilestoneBilling Billing { get; private set; } = null!;

    public ILookup<Guid, MilestoneEvent> History { get; private set; } = null!;

    public ActorNames Names { get; private set; } = null!;

    /// <summary>The history entries as sentences with names, titles and invoice numbers.</summary>
    public HistorySentences Sentences { get; private set; } = null!;

    public IReadOnlyList<Invoice> Invoices { get; private set; } = [];

    public IReadOnlyList<(Payment Payment, string? InvoiceNumber, Money Applied)> Payments { get; private set; } = [];

    public IReadOnlyList<ChangeOrder> ChangeOrders { get; private set; } = [];

    /// <summary>The conversation on each milestone and change order, by its id.</summary>
    public ILookup<Guid, CommentEntry> Threads { get; private set; } = null!;

    /// <summary>Now, for whether a comment can still be edited.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>A comment's text, posted or edited.</summary>
    [BindProperty]
    public string? Body { get; set; }

    /// <summary>Posts a comment on a milestone or change order of this contract.</summary>
    public Task<IActionResult> OnPostCommentAsync(Guid id, CommentSubject subject, Guid subjectId, CancellationToken ct) =>
        ChangeAsync(id, $"comment-{subjectId}", Permission.Read, "comment", "Comment posted.", () =>
            comments.AddAsync(subject, subjectId, new Commenter(Caller.Actor, null), Body, PublicUrl.Of(HttpContext), ct), ct);

    /// <summary>Edits one's own comment within its edit window.</summary>
    public Task<IActionResult> OnPostEditCommentAsync(Guid id, CommentSubject subject, Guid subjectId, Guid commentId, CancellationToken ct) =>
        ChangeAsync(id, $"edit-{commentId}", Permission.Read, "edit comments", "Comment edited.", () =>
            comments.EditAsync(subject, subjectId, commentId, new Commenter(Caller.Actor, null), Body, ct), ct);

    public IReadOnlyList<Dispute> Disputes { get; private set; } = [];

    public IReadOnlyList<AuditEntry> Audit { get; private set; } = [];

    /// <summary>Delivered, billed, credited, collected and outstanding, as the domain defines them.</summary>
    public BillingFigures Figures { get; private set; } = null!;

    public DateOnly Today { get; private set; }

    /// <summary>The client's contacts, one of whom a draft is proposed to.</summary>
    public IReadOnlyList<Contact> Contacts { get; private set; } = [];

    /// <summary>The contract's proposals, newest first.</summary>
    public IReadOnlyList<ProposalSummary> Proposals { get; private set; } = [];

    /// <summary>How the contract became Active, once it did.</summary>
    public Acceptance? Acceptance { get; private set; }

    /// <summary>How each approved change order of the contract was approved (by the client in the portal, or by staff), by change order.</summary>
    public IReadOnlyDictionary<Guid, Acceptance> ChangeOrderAcceptances { get; private set; } = new Dictionary<Guid, Acceptance>();

    /// <summary>The contact a draft is proposed to.</summary>
    [BindProperty]
    public Guid? ContactId { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public string? Links { get; set; }

    [BindProperty]
    public string? DueDate { get; set; }

    [BindProperty]
    public string? MilestoneTitle { get; set; }

    [BindProperty]
    public string? Deliverable { get; set; }

    [BindProperty]
    public string? AcceptanceCriteria { get; set; }

    [BindProperty]
    public string? Outcome { get; set; }

    [BindProperty]
    public string? Settlement { get; set; }

    /// <summary>The change order being drafted.</summary>
    [BindProperty]
    public ChangeOrderForm Draft { get; set; } = new();

    /// <summary>The buyer reference (EN 16931 BT-10, e.g. a Leitweg-ID) the invoices still to come carry; empty clears it.</summary>
    [BindProperty]
    public string? BuyerReference { get; set; }

    /// <summary>The buyer's purchase order reference (BT-13) the invoices still to come carry; empty clears it.</summary>
    [BindProperty]
    public string? PurchaseOrderReference { get; set; }

    /// <summary>The form name of the references form.</summary>
    public const string ReferencesForm = "references";

    /// <summary>The buyer and purchase-order references of the invoices still to come (the same change as <c>PATCH /api/v1/contracts/{id}</c>).</summary>
    public Task<IActionResult> OnPostReferencesAsync(Guid id, CancellationToken ct) =>
        ContractChangeAsync(id, ReferencesForm, "change contracts", "References saved: the invoices still to come carry them.",
            c => contracts.SetReferencesAsync(c, BuyerReference ?? "", PurchaseOrderReference ?? "", Caller.Actor, ct), ct);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostActivateAsync(Guid id, CancellationToken ct) =>
        ContractChangeAsync(id, "contract", "activate contracts", "Contract activated: work can start.", c => contracts.ActivateAsync(c, Caller.Actor, cancellationToken: ct), ct);

    public Task<IActionResult> OnPostProposeAsync(Guid id, CancellationToken ct) =>
        ContractChangeAsync(id, "propose", "propose contracts", "Proposed to the client: they accept it, decline it or ask for changes in the portal.", async c =>
            await proposals.ProposeAsync(c, ContactId ?? throw new DomainException(new DomainError("required", "Choose the contact who will accept the proposal.", "contactId")), Caller.Actor, PublicUrl.Of(HttpContext), ct), ct);

    public Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct) =>
        ContractChangeAsync(id, "contract", "cancel contracts", "Contract cancelled.", c => contracts.CancelAsync(c, Caller.Actor, ct), ct);

    /// <summary>A draft's milestone: title, deliverable, acceptance criteria and due date (the same change as <c>PATCH /api/v1/milestones/{id}</c>); an emptied field is cleared.</summary>
    public Task<IActionResult> OnPostMilestoneAsync(Guid id, Guid milestoneId, CancellationToken ct) =>
        ChangeAsync(id, $"due-{milestoneId}", Permission.ManageContracts, "change the plan", "Milestone saved.", async () =>
        {
            var (contract, milestone) = await milestones.LoadWithPlanAsync(milestoneId, ct);
            CheckBelongs(contract, id, milestoneId);
            var terms = new MilestoneInput(MilestoneTitle ?? "", Deliverable ?? "", AcceptanceCriteria ?? "", DueDate?.Trim() ?? "", null, null, null, null).ToTerms(milestone.Terms);
            await contracts.ChangeMilestoneAsync(contract, milestone, terms, Caller.Actor, ct);
        }, ct);

    public Task<IActionResult> OnPostStartAsync(Guid id, Guid milestoneId, CancellationToken ct) =>
        MilestoneChangeAsync(id, milestoneId, "start", "Work started.", (c, m) => milestones.StartAsync(c, m, Caller.Actor, ct), ct);

    public Task<IActionResult> OnPostSubmitAsync(Guid id, Guid milestoneId, CancellationToken ct) =>
        MilestoneChangeAsync(id, milestoneId, "submit", "Submitted to the client for approval.", (c, m) =>
        {
            var links = (Links ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            return milestones.SubmitAsync(c, m, Note ?? "", links, Caller.Actor, ct);
        }, ct);

    public Task<IActionResult> OnPostApproveAsync(Guid id, Guid milestoneId, CancellationToken ct) =>
        MilestoneChangeAsync(id, milestoneId, "approve", "Approved on the client's behalf.", (c, m) => milestones.ApproveAsync(c, m, Caller.Actor, ct), ct);

    public Task<IActionResult> OnPostRebillAsync(Guid id, Guid milestoneId, CancellationToken ct) =>
        ChangeAsync(id, $"rebill-{milestoneId}", Permission.ManageInvoices, "bill milestones again", "Billed again: a new invoice replaces the one credited in full.", async () =>
        {
            var (contract, milestone) = await milestones.LoadForChangeAsync(milestoneId, ct);
            CheckBelongs(contract, id, milestoneId);
            await milestones.RebillAsync(contract, milestone, Caller.Actor, ct);
        }, ct);

    public Task<IActionResult> OnPostResolveAsync(Guid id, Guid disputeId, CancellationToken ct) =>
        ChangeAsync(id, $"resolve-{disputeId}", Permission.ResolveDisputes, "resolve disputes", "Dispute resolved.", async () =>
        {
            var outcome = Inputs.EnumValue<DisputeOutcome>(Outcome, "outcome");
            var contract = await db.Contracts.AsNoTracking().SingleAsync(c => c.Id == id, ct);
            Money? settlement = outcome == DisputeOutcome.Settled || !string.IsNullOrWhiteSpace(Settlement)
                ? Money.Parse(FormNumbers.Amount(Settlement, contract.Currency.Code), contract.Currency, "settlement")
                : null;
            if (!await db.Disputes.AnyAsync(d => d.Id == disputeId && d.ContractId == id, ct))
                throw new DomainException(new NotFound("dispute", disputeId));
            await disputes.ResolveAsync(disputeId, outcome, settlement, Inputs.Optional(Note, "note"), Caller.Actor, ct);
        }, ct);

    public Task<IActionResult> OnPostChangeOrderAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(id, ChangeOrderForm.Name, Permission.ManageChangeOrders, "draft change orders", "Change order drafted: check its effect below, then propose it to the client.", async () =>
        {
            try
            {
                var currency = await db.Contracts.Where(c => c.Id == id).Select(c => c.Currency).SingleAsync(ct);
                var (title, reason, items) = Draft.ToRequests(currency);
                await changeOrders.DraftAsync(Caller.OrganizationId, id, title, reason, items, Caller.Actor, ct);
            }
            catch (DomainException e)
            {
                throw new DomainException(Draft.ForRows(e.Error));
            }
        }, ct);

    public Task<IActionResult> OnPostProposeChangeAsync(Guid id, Guid changeOrderId, CancellationToken ct) =>
        ChangeOrderDecisionAsync(id, changeOrderId, "propose", "Change order proposed to the client.", () => changeOrders.ProposeAsync(Caller.OrganizationId, changeOrderId, Caller.Actor, ct), ct);

    public Task<IActionResult> OnPostApproveChangeAsync(Guid id, Guid changeOrderId, CancellationToken ct) =>
        ChangeOrderDecisionAsync(id, changeOrderId, "approve", "Change order approved: the plan and the contract value are updated.", () => changeOrders.ApproveAsync(Caller.OrganizationId, changeOrderId, Caller.Actor, ct), ct);

    public Task<IActionResult> OnPostRejectChangeAsync(Guid id, Guid changeOrderId, CancellationToken ct) =>
        ChangeOrderDecisionAsync(id, changeOrderId, "reject", "Change order rejected: the contract stays as it is.", () => changeOrders.RejectAsync(Caller.OrganizationId, changeOrderId, Caller.Actor, ct), ct);

    /// <summary>Attaches the uploaded file to the contract, one of its milestones or one of its change orders (the same change as the API's upload routes).</summary>
    public Task<IActionResult> OnPostUploadAsync(Guid id, CancellationToken ct)
    {
        var (kind, ownerId) = ParseOwner(id, DocumentOwner);
        return ChangeAsync(id, DocumentsForm, ManagePermissionOf(kind), "attach files here", "File attached.", async () =>
        {
            await CheckOwnerAsync(id, kind, ownerId, ct);
            if (Upload is null)
                throw new DomainException(new DomainError("file_required", "Choose a file to attach.", "file"));
            var file = await Uploads.ReadAsync(Upload, ct);
            await attachments.AttachAsync(kind, ownerId, file.FileName, file.Content, Caller.Actor, ct);
        }, ct);
    }

    /// <summary>Removes a file of the contract, a milestone or a change order, while what it belongs to is open.</summary>
    public async Task<IActionResult> OnPostRemoveDocumentAsync(Guid id, Guid attachmentId, CancellationToken ct)
    {
        var document = await db.Attachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attachmentId && a.ContractId == id, ct);
        var kind = document?.OwnerKind ?? AttachmentOwnerKind.Contract;
        return await ChangeAsync(id, DocumentsForm, ManagePermissionOf(kind), "remove these files", "File removed.", async () =>
        {
            if (document is null)
                throw new DomainException(new NotFound("attachment", attachmentId));
            await attachments.RemoveAsync(document.OwnerKind, document.OwnerId, attachmentId, Caller.Actor, ct);
        }, ct);
    }

    private static (AttachmentOwnerKind Kind, Guid OwnerId) ParseOwner(Guid contractId, string? owner)
    {
        var parts = (owner ?? "contract").Split(':', 2);
        var id = parts.Length == 2 && Guid.TryParse(parts[1], out var parsed) ? parsed : contractId;
        return parts[0] switch
        {
            "milestone" when parts.Length == 2 => (AttachmentOwnerKind.Milestone, id),
            "change_order" when parts.Length == 2 => (AttachmentOwnerKind.ChangeOrder, id),
            _ => (AttachmentOwnerKind.Contract, contractId),
        };
    }

    private static Permission ManagePermissionOf(AttachmentOwnerKind kind) => kind switch
    {
        AttachmentOwnerKind.Milestone => Permission.ManageMilestones,
        AttachmentOwnerKind.ChangeOrder => Permission.ManageChangeOrders,
        _ => Permission.ManageContracts,
    };

    // A milestone or change order named in the form must be of this contract.
    private async Task CheckOwnerAsync(Guid id, AttachmentOwnerKind kind, Guid ownerId, CancellationToken ct)
    {
        var belongs = kind switch
        {
            AttachmentOwnerKind.Milestone => await db.Milestones.AnyAsync(m => m.Id == ownerId && m.ContractId == id, ct),
            AttachmentOwnerKind.ChangeOrder => await db.ChangeOrders.AnyAsync(o => o.Id == ownerId && o.ContractId == id, ct),
            _ => true,
        };
        if (!belongs)
            throw new DomainException(new DomainError("unknown_owner", "Choose the contract, one of its milestones or one of its change orders.", "documentOwner"));
    }

    private Task<IActionResult> ChangeOrderDecisionAsync(Guid id, Guid changeOrderId, string action, string done, Func<Task<ChangeOrder>> decide, CancellationToken ct) =>
        ChangeAsync(id, $"co-{changeOrderId}", Permission.ManageChangeOrders, $"{action} change orders", done, async () =>
        {
            if (!await db.ChangeOrders.AnyAsync(o => o.Id == changeOrderId && o.ContractId == id, ct))
                throw new DomainException(new NotFound("change order", changeOrderId));
            await decide();
        }, ct);

    private Task<IActionResult> ContractChangeAsync(Guid id, string form, string what, string done, Func<Contract, Task> change, CancellationToken ct) =>
        ChangeAsync(id, form, Permission.ManageContracts, what, done, async () => await change(await contracts.LoadForChangeAsync(id, ct)), ct);

    private Task<IActionResult> MilestoneChangeAsync(Guid id, Guid milestoneId, string action, string done, Func<Contract, Milestone, Task> change, CancellationToken ct) =>
        ChangeAsync(id, $"{action}-{milestoneId}", Permission.ManageMilestones, $"{action} milestones", done, async () =>
        {
            var (contract, milestone) = await milestones.LoadForChangeAsync(milestoneId, ct);
            CheckBelongs(contract, id, milestoneId);
            await change(contract, milestone);
        }, ct);

    private async Task<IActionResult> ChangeAsync(Guid id, string form, Permission permission, string what, string done, Func<Task> work, CancellationToken ct)
    {
        if (await TryChangeAsync(db, form, permission, what, work))
        {
            Flash = done;
            return Redirect($"/contracts/{id}");
        }

        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private static void CheckBelongs(Contract contract, Guid contractId, Guid milestoneId)
    {
        if (contract.Id != contractId)
            throw new DomainException(new NotFound("milestone", milestoneId));
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        ViewData["Section"] = "contracts";
        Today = await businessDays.TodayAsync(ct);
        if (await db.Contracts.AsNoTracking().Include(c => c.Milestones).SingleOrDefaultAsync(c => c.Id == id, ct) is not { } contract)
            return false;
        Contract = contract;
        ClientName = await db.Clients.AsNoTracking().Where(c => c.Id == contract.ClientId).Select(c => c.Name).SingleAsync(ct);
        Billing = await MilestoneBilling.ForContractAsync(db, id, ct);
        var milestoneIds = contract.Milestones.Select(m => m.Id).ToList();
        History = (await db.MilestoneEvents.AsNoTracking().Where(e => milestoneIds.Contains(e.MilestoneId)).ToListAsync(ct))
            .OrderBy(e => e.At).ThenBy(e => e.Id).ToLookup(e => e.MilestoneId);
        Invoices = await db.Invoices.AsNoTracking().Where(i => i.ContractId == id).OrderBy(i => i.Id).ToListAsync(ct);
        var invoiceIds = Invoices.Select(i => i.Id).ToList();
        var applied = await db.PaymentApplications.AsNoTracking().Where(a => invoiceIds.Contains(a.InvoiceId))
            .GroupBy(a => new { a.PaymentId, a.InvoiceId }).Select(g => new { g.Key.PaymentId, g.Key.InvoiceId, Minor = g.Sum(a => a.AmountMinor) })
            .ToListAsync(ct);
        var paymentIds = applied.Select(a => a.PaymentId).Distinct().ToList();
        var payments = await db.Payments.AsNoTracking().Where(p => paymentIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        Payments = applied.Where(a => a.Minor != 0 || payments[a.PaymentId].Status == PaymentStatus.Reversed)
            .Select(a => (payments[a.PaymentId], Invoices.Single(i => i.Id == a.InvoiceId).Number, new Money(a.Minor, contract.Currency)))
            .OrderBy(p => p.Item1.ReceivedOn).ToList();
        ChangeOrders = await db.ChangeOrders.AsNoTracking().Include(c => c.Items).Where(c => c.ContractId == id).OrderBy(c => c.Id).ToListAsync(ct);
        Threads = await comments.OfContractAsync(id, ct);
        Now = clock.GetUtcNow();
        Disputes = await db.Disputes.AsNoTracking().Where(d => d.ContractId == id).OrderBy(d => d.Id).ToListAsync(ct);
        var entities = milestoneIds.Append(id).Concat(invoiceIds).Concat(Disputes.Select(d => d.Id)).ToList();
        Audit = await db.AuditLog.AsNoTracking().Where(a => entities.Contains(a.EntityId)).OrderByDescending(a => a.Id).Take(100).ToListAsync(ct);
        var creditNotes = await db.CreditNotes.AsNoTracking().Where(n => invoiceIds.Contains(n.InvoiceId)).ToListAsync(ct);
        Figures = BillingFigures.Of(contract, contract.Milestones, Invoices, creditNotes);
        Contacts = await db.Contacts.AsNoTracking().Where(c => c.ClientId == contract.ClientId).OrderBy(c => c.Name).ToListAsync(ct);
        Proposals = await proposals.OfContractAsync(id, ct);
        Acceptance = await db.Acceptances.AsNoTracking().SingleOrDefaultAsync(a => a.ContractId == id && a.Owner == AcceptanceOwner.Contract, ct);
        ChangeOrderAcceptances = await db.Acceptances.AsNoTracking().Where(a => a.ContractId == id && a.Owner == AcceptanceOwner.ChangeOrder).ToDictionaryAsync(a => a.ChangeOrderId!.Value, ct);
        Documents = await attachments.OfContractAsync(id, ct);
        Names = await ActorNames.LoadAsync(db, ct);
        var subjects = new Dictionary<Guid, string> { [id] = $"the contract “{contract.Title}”" };
        foreach (var m in contract.Milestones)
            subjects[m.Id] = $"“{m.Title}”";
        foreach (var i in Invoices)
            subjects[i.Id] = i.Number is { } number ? $"invoice {number}, {Ui.Money(i.Gross)}" : $"a draft invoice of {Ui.Money(i.Gross)}";
        foreach (var d in Disputes)
            subjects[d.Id] = $"a dispute on “{contract.Milestones.FirstOrDefault(m => m.Id == d.MilestoneId)?.Title}”";
        Sentences = new HistorySentences(Names, subjects);
        return true;
    }
}
