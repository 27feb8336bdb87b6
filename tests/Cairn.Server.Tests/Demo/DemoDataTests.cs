using Cairn.Domain;
using Cairn.Server.Demo;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Demo;

/// <summary>The --demo organization shows every part of Cairn, and its books are sound.</summary>
public abstract class DemoDataTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_demo_organization_has_every_state_a_new_user_should_see_and_passes_verify()
    {
        // The class's tests share one database: whichever runs first seeds it, and seeding again changes nothing.
        await ActivatorUtilities.CreateInstance<DemoData>(_app.Services).SeedAsync();
        Assert.False(await ActivatorUtilities.CreateInstance<DemoData>(_app.Services).SeedAsync());

        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.CairnDb>();
        db.TenantId = await db.Organizations.IgnoreQueryFilters().Where(o => o.Name.EndsWith("(demo)")).Select(o => o.Id).SingleAsync();
        var today = DateOnly.FromDateTime(_app.Clock.GetUtcNow().UtcDateTime);

        var states = await db.Milestones.Select(m => m.Status).Distinct().ToListAsync();
        Assert.Equal(Enum.GetValues<MilestoneStatus>().Order(), states.Order());
        var invoices = await db.Invoices.ToListAsync();
        Assert.Contains(invoices, i => i.Status == InvoiceStatus.Paid);
        Assert.Contains(invoices, i => i.Status == InvoiceStatus.Issued && i.PaidMinor > 0);
        Assert.Contains(invoices, i => i.Status == InvoiceStatus.Void);
        Assert.Contains(invoices, i => i.Status == InvoiceStatus.Issued && i.CreditedMinor > 0);
        Assert.Contains(invoices, i => i.IsOverdue(today));
        Assert.Equal(Enumerable.Range(1, invoices.Count).Select(i => (long)i), invoices.Select(i => i.Sequence!.Value).Order());
        Assert.True(invoices.OrderBy(i => i.Sequence).Select(i => i.IssueDate).SequenceEqual(invoices.Select(i => i.IssueDate).Order()), "invoice numbers follow their dates");
        Assert.Contains(await db.Disputes.ToListAsync(), d => d.Status == DisputeStatus.Open);
        Assert.Contains(await db.ChangeOrders.ToListAsync(), c => c.Status == ChangeOrderStatus.Approved);
        Assert.Contains(await db.Contracts.Select(c => c.Status).ToListAsync(), s => s == ContractStatus.Draft);
        Assert.Empty(await new Cairn.Server.Verification.InvariantChecker(db).CheckAsync());

        // What the demo shows as collected is what its clients paid.
        var website = await db.Contracts.Include(c => c.Milestones).SingleAsync(c => c.Title == "Website relaunch");
        var websiteInvoices = await db.Invoices.Where(i => i.ContractId == website.Id).ToListAsync();
        var ids = websiteInvoices.Select(i => i.Id).ToList();
        var paid = await db.Payments.Where(p => p.ClientId == website.ClientId && p.Status == PaymentStatus.Recorded).SumAsync(p => p.AmountMinor);
        var figures = BillingFigures.Of(website, website.Milestones, websiteInvoices, await db.CreditNotes.Where(n => ids.Contains(n.InvoiceId)).ToListAsync());

        // Globex paid 8,640.00 and 5,000.00 against the website's two invoices; the page once showed "Paid 11,366.66", a net share nobody paid.
        Assert.Equal(("13640.00", paid), (figures.Collected.ToDecimalString(), figures.Collected.Minor));
        Assert.Equal(("16800.00", "20160.00", "6520.00"), (figures.BilledNet.ToDecimalString(), figures.Billed.ToDecimalString(), figures.Outstanding.ToDecimalString()));
    }

    /// <summary>Issue 12, stumble 9: no empty panel on the demo's dashboard, and its open dispute counts as disputed.</summary>
    [Fact]
    public async Task The_demo_dashboard_has_data_in_every_panel_and_its_open_dispute_counts_as_disputed()
    {
        await ActivatorUtilities.CreateInstance<DemoData>(_app.Services).SeedAsync();
        var browser = new Browser(_app);
        await browser.SignInAsync(DemoData.OwnerEmail, DemoData.OwnerPassword);

        var (status, html, _) = await browser.GetAsync("/");

        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        foreach (var empty in new[] { "No invoice is overdue.", "Every approved milestone is billed.", "No milestone falls due in the next 30 days.", "No open invoices: nothing to collect." })
            Assert.DoesNotContain(empty, html);
        string Figure(string name) => System.Text.RegularExpressions.Regex.Match(html, $"data-figure=\"{name}\">([^<]*)<").Groups[1].Value;
        foreach (var figure in new[] { "contract-value", "billed", "collected", "outstanding", "overdue", "approved-unbilled", "due-next-30-days" })
            Assert.False(Figure(figure) is "" or "0.00 EUR", $"{figure} is {Figure(figure)}");
        Assert.Matches(@"^[1-9]\d* · ", Figure("milestones-due"));

        // The brand identity's second stage (30% of 12,000.00) was disputed before it was billed: that is what the client contests.
        Assert.Equal("3,600.00 EUR", Figure("disputed"));

        // Every active contract's timeline has its milestones on the time axis.
        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.CairnDb>();
        db.TenantId = await db.Organizations.IgnoreQueryFilters().Where(o => o.Name.EndsWith("(demo)")).Select(o => o.Id).SingleAsync();
        Assert.DoesNotContain(await db.Milestones.Select(m => m.DueDate).ToListAsync(), d => d is null);
    }
}

public sealed class SqliteDemoData(SqliteEngine engine) : DemoDataTests<SqliteEngine>(engine);

public sealed class PostgresDemoData(PostgresEngine engine) : DemoDataTests<PostgresEngine>(engine);
