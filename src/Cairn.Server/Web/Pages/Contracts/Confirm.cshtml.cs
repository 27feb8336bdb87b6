using Cairn.Domain;
using Cairn.Server.Api;
using Cairn.Server.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Contracts;

/// <summary>
/// The confirmation step before a binding contract action (issue 12, stumble 4): activating shows
/// the deposit invoices it issues at once (net, VAT, gross from the domain); cancelling shows what
/// stops (the milestones that will never be billed, scheduled billing) and what stays (issued
/// invoices). The action itself is the contract page's POST, reached only from this page's button.
/// </summary>
public sealed class ContractConfirmModel(CairnDb db) : StaffPage
{
    public Contract Contract { get; private set; } = null!;

    public string Action { get; private set; } = "";

    public string ClientName { get; private set; } = "";

    public InvoiceIssueMode IssueMode { get; private set; }

    /// <summary>For activation: the deposits billed at once, with what each invoices.</summary>
    public IReadOnlyList<(Milestone Milestone, InvoiceTotals Totals)> Deposits { get; private set; } = [];

    /// <summary>For cancellation: the milestones not yet billed, which will never be billed.</summary>
    public IReadOnlyList<Milestone> Unbilled { get; private set; } = [];

    /// <summary>For cancellation: the contract's issued invoices, which stay payable.</summary>
    public IReadOnlyList<Invoice> Issued { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, string verb, CancellationToken ct)
    {
        ViewData["Section"] = "contracts";
        if (await db.Contracts.AsNoTracking().Include(c => c.Milestones).SingleOrDefaultAsync(c => c.Id == id, ct) is not { } contract)
            return NotFound();
        var possible = verb switch
        {
            "activate" => contract.MayBeActivated,
            "cancel" => contract.MayBeCancelled,
            _ => false,
        };
        if (!possible || !Can(Identity.Permission.ManageContracts))
            return Redirect($"/contracts/{id}");
        Contract = contract;
        Action = verb;
        ClientName = await db.Clients.AsNoTracking().Where(c => c.Id == contract.ClientId).Select(c => c.Name).SingleAsync(ct);
        IssueMode = await db.Organizations.AsNoTracking().Select(o => o.IssueMode).SingleAsync(ct);
        var live = contract.Milestones.Where(m => m.Status != MilestoneStatus.Cancelled).OrderBy(m => m.Position).ToList();
        Deposits = live.Where(m => m.Trigger == BillingTrigger.OnStart).Select(m => (m, Invoice.TotalsFor(contract, m))).ToList();
        var billing = await MilestoneBilling.ForContractAsync(db, id, ct);
        Unbilled = live.Where(m => billing.For(m).Billing.LiveInvoice is null).ToList();
        Issued = await db.Invoices.AsNoTracking().Where(i => i.ContractId == id && i.Status != InvoiceStatus.Draft && i.Status != InvoiceStatus.Void).OrderBy(i => i.Id).ToListAsync(ct);
        return Page();
    }
}
