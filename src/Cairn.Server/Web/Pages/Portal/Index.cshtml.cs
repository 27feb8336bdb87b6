using Cairn.Domain;
using Cairn.Server.Api;
using Cairn.Server.Billing;
using Cairn.Server.Calendar;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Localization;
using Cairn.Server.Requests;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Portal;

/// <summary>
/// The client portal's start page, for the contact's own client only: first what waits for them (a
/// proposal to accept, delivered milestones to review with what approving will invoice, change
/// orders to decide, invoices due), then their contracts with progress, invoices and balance due.
/// </summary>
public sealed class PortalIndexModel(CairnDb db, Payments payments, Comments comments, BusinessDays businessDays, TimeProvider clock) : PortalPage
{
    public bool HasCalendarFeed { get; private set; }

    /// <summary>The contact's new calendar feed URL, shown only in the answer that made it.</summary>
    public string? NewCalendarUrl { get; private set; }

    public Caller? Contact { get; private set; }

    public string ClientName { get; private set; } = "";

    public string OrganizationName { get; private set; } = "";

    public IReadOnlyList<PortalContractRow> Contracts { get; private set; } = [];

    public IReadOnlyList<Invoice> Invoices { get; private set; } = [];

    /// <summary>The client's credit notes, the latest first.</summary>
    public IReadOnlyList<CreditNote> CreditNotes { get; private set; } = [];

    /// <summary>The number of the invoice a credit note credits.</summary>
    public string? CreditedInvoiceNumber(CreditNote note) => Invoices.FirstOrDefault(i => i.Id == note.InvoiceId)?.Number;

    public IReadOnlyList<ClientBalance> Balances { get; private set; } = [];

    public DateOnly Today { get; private set; }

    /// <summary>Contracts proposed to the client, waiting for acceptance.</summary>
    public IReadOnlyList<Contract> ProposalsWaiting { get; private set; } = [];

    /// <summary>Delivered milestones waiting for the client's review, with their submission and what approving will invoice.</summary>
    public IReadOnlyList<(Contract Contract, Milestone Milestone, MilestoneEvent? Submission, InvoiceTotals Totals)> ToReview { get; private set; } = [];

    /// <summary>Change orders proposed to the client, with their contract's title and what approving does to the contract value.</summary>
    public IReadOnlyList<(ChangeOrder Order, string ContractTitle, ChangeOrderEffect Effect)> ChangesWaiting { get; private set; } = [];

    /// <summary>How many documents each contract has for the client: issued invoices and credit notes, proposal and change-order PDFs.</summary>
    public IReadOnlyDictionary<Guid, int> DocumentCounts { get; private set; } = new Dictionary<Guid, int>();

    /// <summary>The newest comments on the client's contracts, newest first, with the contract's title.</summary>
    public IReadOnlyList<(Comment Comment, string ContractTitle)> LatestComments { get; private set; } = [];

    /// <summary>Issued invoices with a balance left, the earliest due first.</summary>
    public IReadOnlyList<Invoice> InvoicesDue { get; private set; } = [];

    /// <summary>Whether anything waits for the client.</summary>
    public bool AnythingWaiting => ProposalsWaiting.Count + ToReview.Count + ChangesWaiting.Count + InvoicesDue.Count > 0;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Contact = await HttpContext.PortalCallerAsync();
        if (Contact is null)
        {
            // Just signed out: say so in the language the session spoke; any other visit without a session has ended.
            var language = Array.FindIndex(Wording.Languages.ToArray(), l => l.Code == Request.Query["signedOut"].ToString());
            SignedOut = language >= 0;
            if (SignedOut)
                Speak((Language)language);
            else
                Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        return await ShowAsync(Contact, cancellationToken);
    }

    /// <summary>Whether the page answers a sign-out (no session, and none expected).</summary>
    public bool SignedOut { get; private set; }

    /// <summary>
    /// Ends the contact's portal session on this browser (a POST with antiforgery, so no other site can);
    /// the links in their emails keep working. The page after it speaks the session's language.
    /// </summary>
    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HttpContext.SignOutAsync(SignInSchemes.Portal);
        return Redirect("/portal?signedOut=" + Wording.Languages[(int)Language].Code);
    }

    /// <summary>Makes the contact's calendar feed (revoking an older one) and shows its URL once.</summary>
    public async Task<IActionResult> OnPostCalendarAsync(CancellationToken cancellationToken)
    {
        Contact = await HttpContext.PortalCallerAsync();
        if (Contact is null)
            return Unauthorized();
        db.ScopeTo(Contact);
        var contactId = Guid.Parse(Contact.Actor.Id);
        await TryChangeAsync(db, "calendar", async () =>
        {
            var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == contactId && c.ClientId == Contact.ClientId, cancellationToken);
            NewCalendarUrl = (await CalendarFeeds.RenewForContactAsync(db, contact, Contact.Actor, clock.GetUtcNow(), PublicUrl.Of(HttpContext), cancellationToken)).Url;
        });
        Response.DoNotStore();
        return await ShowAsync(Contact, cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(Caller contact, CancellationToken cancellationToken)
    {
        Contact = contact;
        db.ScopeTo(contact);
        HasCalendarFeed = await CalendarFeeds.LiveOfContactAsync(db, Guid.Parse(contact.Actor.Id), cancellationToken) is not null;

        var clientId = Contact.ClientId!.Value;
        var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == clientId, cancellationToken);
        ClientName = client.Name;
        var contracts = await PortalAccess.ContractsOf(db, Contact).AsNoTracking().Include(c => c.Milestones).Where(c => c.Status != ContractStatus.Draft).OrderBy(c => c.Id).ToListAsync(cancellationToken);

        // After ContractsOf, which scopes the unit of work to the contact's organization.
        Today = await businessDays.TodayAsync(cancellationToken);
        Invoices = await db.Invoices.AsNoTracking().Where(i => i.ClientId == clientId && i.Status != InvoiceStatus.Draft).OrderByDescending(i => i.IssueDate).ThenByDescending(i => i.Sequence).ToListAsync(cancellationToken);
        var creditNotes = await db.CreditNotes.AsNoTracking().Where(n => n.ClientId == clientId).ToListAsync(cancellationToken);
        CreditNotes = creditNotes.OrderByDescending(n => n.IssueDate).ThenByDescending(n => n.Sequence).ToList();
        Contracts = contracts.Select(c =>
        {
            var figures = BillingFigures.Of(c, c.Milestones, Invoices.Where(i => i.ContractId == c.Id), creditNotes.Where(n => Invoices.Any(i => i.Id == n.InvoiceId && i.ContractId == c.Id)));
            return new PortalContractRow(c.Id, c.Title, c.Status.ToString(), Formats.Amount(c.Value, Language), c.Status, figures, c.ValueMinor);
        }).ToList();

        ProposalsWaiting = contracts.Where(c => c.Status == ContractStatus.Proposed).ToList();
        var submitted = contracts.Where(c => c.AllowsWork).SelectMany(c => c.Milestones.Where(m => m.Status == MilestoneStatus.Submitted).Select(m => (Contract: c, Milestone: m))).ToList();
        var submittedIds = submitted.Select(x => x.Milestone.Id).ToList();
        var submissions = (await db.MilestoneEvents.AsNoTracking().Where(e => submittedIds.Contains(e.MilestoneId) && e.Kind == MilestoneEventKind.Submitted).ToListAsync(cancellationToken))
            .OrderBy(e => e.At).ThenBy(e => e.Id).ToLookup(e => e.MilestoneId);
        ToReview = submitted.Select(x => (x.Contract, x.Milestone, submissions[x.Milestone.Id].LastOrDefault(), Invoice.TotalsFor(x.Contract, x.Milestone))).ToList();
        var contractIds = contracts.Select(c => c.Id).ToList();
        ChangesWaiting = (await db.ChangeOrders.AsNoTracking().Include(o => o.Items).Where(o => contractIds.Contains(o.ContractId) && o.Status == ChangeOrderStatus.Proposed).OrderBy(o => o.Id).ToListAsync(cancellationToken))
            .Select(o =>
            {
                var contract = contracts.Single(c => c.Id == o.ContractId);
                return (o, contract.Title, contract.EffectOf(o));
            }).ToList();
        var proposalPdfs = await db.Proposals.AsNoTracking().Where(p => contractIds.Contains(p.ContractId)).GroupBy(p => p.ContractId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var changeOrderPdfs = await db.ChangeOrderDocuments.AsNoTracking()
            .Join(db.ChangeOrders.Where(o => contractIds.Contains(o.ContractId)), d => d.ChangeOrderId, o => o.Id, (d, o) => o.ContractId)
            .GroupBy(contractId => contractId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        DocumentCounts = contractIds.ToDictionary(id => id, id =>
            Invoices.Count(i => i.ContractId == id)
            + creditNotes.Count(n => Invoices.Any(i => i.Id == n.InvoiceId && i.ContractId == id))
            + (proposalPdfs.FirstOrDefault(p => p.Key == id)?.Count ?? 0)
            + (changeOrderPdfs.FirstOrDefault(p => p.Key == id)?.Count ?? 0));
        LatestComments = (await comments.LatestOfClientAsync(clientId, 5, cancellationToken))
            .Select(c => (c, contracts.FirstOrDefault(k => k.Id == c.ContractId)?.Title ?? "")).ToList();
        InvoicesDue = Invoices.Where(i => i.Balance.IsPositive && i.Status != InvoiceStatus.Void).OrderBy(i => i.DueDate).ThenBy(i => i.Sequence).ToList();
        Balances = await payments.BalanceAsync(clientId, cancellationToken);
        OrganizationName = (await db.Organizations.AsNoTracking().SingleAsync(cancellationToken)).Name;
        ViewData["PortalTitle"] = Wording.Format(Words.Portal.PortalOf, OrganizationName);
        return Page();
    }
}

/// <summary>One contract as the portal lists it, with how far it has come (<see cref="BillingFigures"/>).</summary>
public sealed record PortalContractRow(Guid Id, string Title, string Status, string Value, ContractStatus State, BillingFigures Figures, long ValueMinor);
