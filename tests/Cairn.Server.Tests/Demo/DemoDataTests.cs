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
        var demo = ActivatorUtilities.CreateInstance<DemoData>(_app.Services);
        Assert.True(await demo.SeedAsync());
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
}

public sealed class SqliteDemoData(SqliteEngine engine) : DemoDataTests<SqliteEngine>(engine);

public sealed class PostgresDemoData(PostgresEngine engine) : DemoDataTests<PostgresEngine>(engine);
