using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages;

/// <summary>
/// The start page: setup on an empty database, sign-in without a session, else the dashboard:
/// the report figures per currency, billed vs collected and the cash forecast as charts, and the
/// lists that need attention (overdue invoices, approved but unbilled work, milestones due soon).
/// </summary>
public sealed class IndexModel(CairnDb db, Provisioning provisioning, Reports reports, BusinessDays businessDays) : WebPage
{
    public Caller? Caller { get; private set; }

    public string OrganizationName { get; private set; } = "";

    /// <summary>Whether the organization has not said how clients pay it (its invoices carry no payment instructions).</summary>
    public bool PaymentDetailsMissing { get; private set; }

    public Dashboard Figures { get; private set; } = null!;

    public BilledCollected Monthly { get; private set; } = null!;

    public CashForecast Forecast { get; private set; } = null!;

    public IReadOnlyList<InvoiceRow> Overdue { get; private set; } = [];

    public IReadOnlyList<MilestoneRow> ApprovedUnbilled { get; private set; } = [];

    public IReadOnlyList<MilestoneRow> DueSoon { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await provisioning.IsSetUpAsync(cancellationToken))
            return Redirect("/setup");
        Caller = Identity.Caller.From(User);
        if (Caller is null || Caller.IsContact)
            return Redirect("/signin");
        var organization = await db.Organizations.AsNoTracking().SingleAsync(cancellationToken);
        OrganizationName = organization.Name;
        PaymentDetailsMissing = !PaymentDetails.AreGiven(organization.PaymentInstructions);
        Figures = await reports.DashboardAsync(cancellationToken);
        Monthly = await reports.BilledCollectedAsync(6, cancellationToken);
        Forecast = await reports.CashForecastAsync(cancellationToken);

        var today = await businessDays.TodayAsync(cancellationToken);
        var horizon = today.AddDays(Reports.LookAheadDays);
        var clients = await db.Clients.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var overdue = await db.Invoices.AsNoTracking()
            .Overdue(today)
            .OrderBy(i => i.DueDate).Take(20).ToListAsync(cancellationToken);
        Overdue = overdue.Select(i => new InvoiceRow(i.Id, i.Number ?? "draft", clients.GetValueOrDefault(i.ClientId, ""), i.DueDate, i.Balance, i.Disputed, today.DayNumber - (i.DueDate ?? today).DayNumber)).ToList();

        var unbilled = await db.Milestones.AsNoTracking().ApprovedAwaitingInvoice(db)
            .OrderBy(m => m.Id).Take(20).ToListAsync(cancellationToken);
        var dueSoon = await db.Milestones.AsNoTracking().ComingDue(today, horizon)
            .OrderBy(m => m.DueDate).Take(20).ToListAsync(cancellationToken);
        var contractIds = unbilled.Concat(dueSoon).Select(m => m.ContractId).Distinct().ToList();
        var contracts = await db.Contracts.AsNoTracking().Where(c => contractIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        MilestoneRow Row(Milestone m) => new(m.Id, m.Title, m.ContractId, contracts[m.ContractId].Title, clients.GetValueOrDefault(contracts[m.ContractId].ClientId, ""), m.DueDate, m.Amount, m.Status);
        ApprovedUnbilled = unbilled.Select(Row).ToList();
        DueSoon = dueSoon.Select(Row).ToList();
        ViewData["Section"] = "dashboard";
        return Page();
    }
}

/// <summary>An invoice in a dashboard list.</summary>
public sealed record InvoiceRow(Guid Id, string Number, string Client, DateOnly? DueDate, Money Balance, bool Disputed, int DaysLate);

/// <summary>A milestone in a dashboard list.</summary>
public sealed record MilestoneRow(Guid Id, string Title, Guid ContractId, string Contract, string Client, DateOnly? DueDate, Money Amount, MilestoneStatus Status);
