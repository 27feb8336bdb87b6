using System.Net;
using Cairn.Domain;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Web;

/// <summary>
/// The invoice and aging CSV downloads: every matching row, however many, and no cell a
/// spreadsheet would run as a formula (OWASP CSV injection), while amounts stay numbers.
/// </summary>
public abstract class CsvExportTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private const string Formula = "-1+cmd|' /C calc'!A0";

    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_invoice_export_carries_every_matching_invoice_past_a_thousand()
    {
        var (browser, organizationId) = await SignedInAsync();
        var client = await SeedBilling.ClientAsync(engine, organizationId, "Globex", Seed.Now);
        await DraftInvoicesAsync(organizationId, client.Id, 1_234);
        var other = await SeedBilling.ClientAsync(engine, organizationId, "Initech", Seed.Now);
        await DraftInvoicesAsync(organizationId, other.Id, 3);

        var all = await CsvAsync(browser, "/invoices?handler=Csv");
        var filtered = await CsvAsync(browser, $"/invoices?handler=Csv&clientId={client.Id}");

        Assert.Equal(1 + 1_237, all.Length);
        Assert.Equal(1 + 1_234, filtered.Length);
        Assert.All(filtered.Skip(1), row => Assert.Equal("Globex", Cells(row)[4]));
    }

    [Fact]
    public async Task A_formula_in_a_name_is_exported_as_text_and_amounts_stay_numbers()
    {
        var (browser, organizationId) = await SignedInAsync();
        var client = await SeedBilling.ClientAsync(engine, organizationId, Formula, Seed.Now);
        var contract = await SeedBilling.ActiveContractAsync(engine, organizationId, client.Id, Currency.EUR, 30, [10_000], null, Seed.Now);
        await using (var db = engine.NewDb(organizationId))
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE contracts SET title = {"=HYPERLINK(\"http://evil.test\",\"x\")"} WHERE id = {contract.Id}");

        await SeedBilling.ApproveAndBillAsync(engine, organizationId, contract.Milestones[0].Id, _app.Clock);

        var invoices = await CsvAsync(browser, "/invoices?handler=Csv");
        var aging = await CsvAsync(browser, "/aging?handler=Csv");

        var invoice = Cells(invoices[1]);
        Assert.Equal("'" + Formula, invoice[4]);
        Assert.Equal("'=HYPERLINK(\"http://evil.test\",\"x\")", invoice[5]);
        Assert.Equal(["100.00", "20.00", "120.00", "0.00", "0.00", "120.00"], invoice[9..]);
        var agingRow = Cells(aging.Single(r => r.Contains("calc", StringComparison.Ordinal)));
        Assert.Equal("'" + Formula, agingRow[1]);
        Assert.Equal("120.00", agingRow[7]);
    }

    private async Task<(Browser Browser, Guid OrganizationId)> SignedInAsync()
    {
        var staff = await _app.NewStaffOrganizationAsync(Staff.Email("owner"));
        var browser = new Browser(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(staff.OwnerEmail, staff.OwnerPassword)).StatusCode);
        return (browser, staff.Api.OrganizationId);
    }

    private async Task DraftInvoicesAsync(Guid organizationId, Guid clientId, int count)
    {
        var contract = await SeedBilling.ActiveContractAsync(engine, organizationId, clientId, Currency.EUR, 30, Enumerable.Repeat(10_000L, count).ToList(), null, Seed.Now);
        await using var db = engine.NewDb(organizationId);
        var loaded = await db.Contracts.Include(c => c.Milestones).SingleAsync(c => c.Id == contract.Id);
        foreach (var milestone in loaded.Milestones)
        {
            milestone.Start(SeedBilling.ProjectManager, Seed.Now);
            milestone.Submit("Delivered", ["https://example.test/deliverable"], SeedBilling.ProjectManager, Seed.Now);
            milestone.Approve(Seed.Client, Seed.Now);
            db.Invoices.Add(new Invoice(Guid.CreateVersion7(), loaded, milestone, Seed.Now));
        }

        await db.SaveChangesAsync();
    }

    private static async Task<string[]> CsvAsync(Browser browser, string path)
    {
        var response = await browser.Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        return text[..^2].Split("\r\n");
    }

    /// <summary>The cells of one RFC 4180 record without line breaks inside fields.</summary>
    private static string[] Cells(string record)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < record.Length; i++)
        {
            var c = record[i];
            if (quoted && c == '"' && i + 1 < record.Length && record[i + 1] == '"')
            {
                cell.Append('"');
                i++;
            }
            else if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
                cell.Append(c);
        }

        cells.Add(cell.ToString());
        return [.. cells];
    }
}

public sealed class SqliteCsvExport(SqliteEngine engine) : CsvExportTests<SqliteEngine>(engine);

public sealed class PostgresCsvExport(PostgresEngine engine) : CsvExportTests<PostgresEngine>(engine);
