using Cairn.Server.Billing;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Server.Web.Pages;

/// <summary>Accounts receivable aging per currency and client, as a table or a CSV download.</summary>
public sealed class AgingModel(Reports reports) : StaffPage
{
    public AgingReport Report { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ViewData["Section"] = "aging";
        Report = await reports.AgingAsync(cancellationToken);
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        if (!Can(Permission.Export))
            return StatusCode(StatusCodes.Status403Forbidden);
        Report = await reports.AgingAsync(cancellationToken);
        var rows = Report.Currencies.SelectMany(c => c.Clients.Select(r => Row(c.Currency, r.ClientName, r.Buckets)).Append(Row(c.Currency, "Total", c.Totals)));
        string?[] header = ["currency", "client", "current", "days_1_30", "days_31_60", "days_61_90", "over_90", "total"];
        return File(Ui.CsvFile(rows.Prepend(header)), "text/csv; charset=utf-8", $"aging-{Ui.Date(Report.Today)}.csv");
    }

    private static string?[] Row(string currency, string client, AgingBuckets b) =>
        [currency, client, b.Current.Amount, b.Days1To30.Amount, b.Days31To60.Amount, b.Days61To90.Amount, b.Over90.Amount, b.Total.Amount];
}
