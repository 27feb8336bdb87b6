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
        string[] header = ["currency", "client", "current", "days_1_30", "days_31_60", "days_61_90", "over_90", "total"];
        return new CsvDownload($"aging-{Ui.Date(Report.Today)}.csv", header, async (csv, ct) =>
        {
            foreach (var c in Report.Currencies)
            {
                foreach (var r in c.Clients)
                    await WriteRowAsync(csv, c.Currency, r.ClientName, r.Buckets, ct);
                await WriteRowAsync(csv, c.Currency, "Total", c.Totals, ct);
            }
        });
    }

    private static async Task WriteRowAsync(CsvHelper.CsvWriter csv, string currency, string client, AgingBuckets b, CancellationToken cancellationToken)
    {
        csv.WriteField(currency);
        csv.WriteField(client);
        foreach (var amount in new[] { b.Current, b.Days1To30, b.Days31To60, b.Days61To90, b.Over90, b.Total })
            CsvDownload.WriteAmount(csv, amount);
        await csv.EndRecordAsync(cancellationToken);
    }
}
