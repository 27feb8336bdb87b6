using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Portal;

/// <summary>
/// The client's confirmation step before approving delivered work (issue 12, stumble 4): what was
/// delivered, what "done" means, and the invoice approving issues (net, VAT, gross from the
/// domain, and when it is due). The approval itself is the contract page's POST. Another client's
/// milestone, or one not waiting for approval, is not there for the contact.
/// </summary>
public sealed class PortalApproveModel(CairnDb db) : PortalPage
{
    public Contract Contract { get; private set; } = null!;

    public Milestone Milestone { get; private set; } = null!;

    public MilestoneEvent? Submission { get; private set; }

    public InvoiceTotals Totals { get; private set; } = null!;

    public InvoiceIssueMode IssueMode { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, Guid milestoneId, CancellationToken ct)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();
        if (await PortalAccess.ContractForContactAsync(db, contact, id, ct) is not { Status: not ContractStatus.Draft } contract
            || contract.Milestones.SingleOrDefault(m => m.Id == milestoneId) is not { } milestone)
            return NotFound();
        if (milestone.Status != MilestoneStatus.Submitted)
            return Redirect($"/portal/contracts/{id}#m-{milestoneId}");
        Contract = contract;
        Milestone = milestone;
        Submission = (await db.MilestoneEvents.AsNoTracking().Where(e => e.MilestoneId == milestoneId && e.Kind == MilestoneEventKind.Submitted).ToListAsync(ct))
            .OrderBy(e => e.At).ThenBy(e => e.Id).LastOrDefault();
        Totals = Invoice.TotalsFor(contract, milestone);
        var organization = await db.Organizations.AsNoTracking().Select(o => new { o.Name, o.IssueMode }).SingleAsync(ct);
        IssueMode = organization.IssueMode;
        ViewData["PortalTitle"] = Localization.Wording.Format(Text.PortalOf, organization.Name);
        return Page();
    }
}
