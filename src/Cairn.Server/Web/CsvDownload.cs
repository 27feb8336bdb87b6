using System.Globalization;
using CsvHelper;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Server.Web;

/// <summary>
/// A CSV download (RFC 4180, UTF-8, CRLF) streamed to the response as its rows are read, so an export
/// carries every row that matches, however many. Text cells that a spreadsheet would run as a formula
/// (starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR; OWASP "CSV injection") get a leading
/// <c>'</c>; amounts are written as numbers (<c>-10.00</c>), never as text, so they stay usable in sums.
/// </summary>
public sealed class CsvDownload(string fileName, IReadOnlyList<string> header, Func<CsvWriter, CancellationToken, Task> writeRows) : IActionResult
{
    private static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape };

    /// <summary>Writes an amount (the decimal form of <see cref="Domain.Money"/>, e.g. <c>-10.00</c>) as a number cell.</summary>
    public static void WriteAmount(CsvWriter csv, Domain.Money money) =>
        csv.WriteField(decimal.Parse(money.ToDecimalString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), "");

    /// <summary>Writes an amount as the API gives it as a number cell.</summary>
    public static void WriteAmount(CsvWriter csv, Requests.MoneyJson money) =>
        WriteAmount(csv, Domain.Money.Parse(money.Amount, Domain.Currency.Of(money.Currency)));

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        var cancellationToken = context.HttpContext.RequestAborted;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = fileName, DispositionType = "attachment" }.ToString();
        await using var csv = CsvWriter.Create(response.Body, Options, leaveOpen: true);
        await csv.WriteRecordAsync([.. header], cancellationToken);
        await writeRows(csv, cancellationToken);
        await csv.FlushAsync(cancellationToken);
    }
}
