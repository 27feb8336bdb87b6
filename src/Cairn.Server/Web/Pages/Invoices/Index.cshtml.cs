using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Invoices;

/// <summary>The invoices, filtered by status, client and overdue, as a table or a CSV download.</summary>
public sealed class InvoicesIndexModel(CairnDb db, BusinessDays businessDays) : StaffPage
{
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? ClientId { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Overdue { get; set; }

    public IReadOnlyList<Client> Clients { get; private set; } = [];

    public IReadOnlyList<(Invoice Invoice, string Client, string Contract)> Rows { get; private set; } = [];

    public DateOnly Today { get; private set; }

    /// <summary>The query string of the current filters, for the CSV link.</summary>
    public string FilterQuery => string.Join('&', new[]
    {
        Status is { Length: > 0 } ? $"status={Uri.EscapeDataString(Status)}" : null,
        ClientId is { } c ? $"clientId={c}" : null,
        Overdue ? "overdue=true" : null,
    }.Where(p => p is not null));

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        if (!Can(Permission.Export))
            return StatusCode(StatusCodes.Status403Forbidden);
        await LoadAsync(cancellationToken);
        var rows = Rows.Select(r => new[]
        {
            r.Invoice.Number, Inputs.NameOf(r.Invoice.Status), r.Invoice.IsOverdue(Today) ? "yes" : "no", r.Invoice.Disputed ? "yes" : "no",
            r.Client, r.Contract, Ui.Date(r.Invoice.IssueDate), Ui.Date(r.Invoice.DueDate), r.Invoice.Currency.Code,
            r.Invoice.Net.ToDecimalString(), r.Invoice.Tax.ToDecimalString(), r.Invoice.Gross.ToDecimalString(),
            r.Invoice.Paid.ToDecimalString(), r.Invoice.Credited.ToDecimalString(), r.Invoice.Balance.ToDecimalString(),
        });
        string?[] header = ["number", "status", "overdue", "disputed", "client", "contract", "issue_date", "due_date", "currency", "net", "tax", "gross", "paid", "credited", "balance"];
        return File(Ui.CsvFile(rows.Prepend(header)), "text/csv; charset=utf-8", $"invoices-{Ui.Date(Today)}.csv");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        ViewData["Section"] = "invoices";
        Today = await businessDays.TodayAsync(cancellationToken);
        var today = Today;
        Clients = await db.Clients.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
        var query = db.Invoices.AsNoTracking();
        var status = Enum.GetValues<InvoiceStatus>().Cast<InvoiceStatus?>().FirstOrDefault(s => Inputs.NameOf(s!.Value) == Status);
        if (status is not null)
            query = query.Where(i => i.Status == status);
        if (ClientId is { } clientId)
            query = query.Where(i => i.ClientId == clientId);
        if (Overdue)
            query = query.Where(i => i.Status == InvoiceStatus.Issued && i.DueDate < today && i.GrossMinor - i.PaidMinor - i.CreditedMinor > 0);
        var invoices = await query.OrderByDescending(i => i.Id).Take(1000).ToListAsync(cancellationToken);
        var contractIds = invoices.Select(i => i.ContractId).Distinct().ToList();
        var contracts = await db.Contracts.AsNoTracking().Where(c => contractIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Title, cancellationToken);
        var names = Clients.ToDictionary(c => c.Id, c => c.Name);
        Rows = invoices.Select(i => (i, names.GetValueOrDefault(i.ClientId, ""), contracts.GetValueOrDefault(i.ContractId, ""))).ToList();
    }
}
