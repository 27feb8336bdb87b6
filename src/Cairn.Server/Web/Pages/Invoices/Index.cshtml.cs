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
        Today = await businessDays.TodayAsync(cancellationToken);
        string[] header = ["number", "status", "overdue", "disputed", "client", "contract", "issue_date", "due_date", "currency", "net", "tax", "gross", "paid", "credited", "balance"];
        return new CsvDownload($"invoices-{Ui.Date(Today)}.csv", header, WriteRowsAsync);
    }

    /// <summary>Every matching invoice, newest first, read in batches by id (keyset) so no export is cut short or held in memory.</summary>
    private async Task WriteRowsAsync(CsvHelper.CsvWriter csv, CancellationToken cancellationToken)
    {
        const int batch = 500;
        Guid? before = null;
        while (true)
        {
            var invoices = await Filtered().Where(i => before == null || i.Id.CompareTo(before.Value) < 0).OrderByDescending(i => i.Id).Take(batch).ToListAsync(cancellationToken);
            if (invoices.Count == 0)
                return;
            var contractIds = invoices.Select(i => i.ContractId).Distinct().ToList();
            var clientIds = invoices.Select(i => i.ClientId).Distinct().ToList();
            var contracts = await db.Contracts.AsNoTracking().Where(c => contractIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Title, cancellationToken);
            var clients = await db.Clients.AsNoTracking().Where(c => clientIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
            foreach (var i in invoices)
            {
                foreach (var text in new[] { i.Number ?? "", Inputs.NameOf(i.Status), i.IsOverdue(Today) ? "yes" : "no", i.Disputed ? "yes" : "no", clients.GetValueOrDefault(i.ClientId, ""), contracts.GetValueOrDefault(i.ContractId, ""), Ui.Date(i.IssueDate), Ui.Date(i.DueDate), i.Currency.Code })
                    csv.WriteField(text);
                foreach (var amount in new[] { i.Net, i.Tax, i.Gross, i.Paid, i.Credited, i.Balance })
                    CsvDownload.WriteAmount(csv, amount);
                await csv.EndRecordAsync(cancellationToken);
            }

            await csv.FlushAsync(cancellationToken);
            if (invoices.Count < batch)
                return;
            before = invoices[^1].Id;
        }
    }

    /// <summary>The invoices that match the filters.</summary>
    private IQueryable<Invoice> Filtered()
    {
        var today = Today;
        var query = db.Invoices.AsNoTracking();
        var status = Enum.GetValues<InvoiceStatus>().Cast<InvoiceStatus?>().FirstOrDefault(s => Inputs.NameOf(s!.Value) == Status);
        if (status is not null)
            query = query.Where(i => i.Status == status);
        if (ClientId is { } clientId)
            query = query.Where(i => i.ClientId == clientId);
        if (Overdue)
            query = query.Overdue(today);
        return query;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        ViewData["Section"] = "invoices";
        Today = await businessDays.TodayAsync(cancellationToken);
        Clients = await db.Clients.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
        var invoices = await Filtered().OrderByDescending(i => i.Id).Take(1000).ToListAsync(cancellationToken);
        var contractIds = invoices.Select(i => i.ContractId).Distinct().ToList();
        var contracts = await db.Contracts.AsNoTracking().Where(c => contractIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Title, cancellationToken);
        var names = Clients.ToDictionary(c => c.Id, c => c.Name);
        Rows = invoices.Select(i => (i, names.GetValueOrDefault(i.ClientId, ""), contracts.GetValueOrDefault(i.ContractId, ""))).ToList();
    }
}
