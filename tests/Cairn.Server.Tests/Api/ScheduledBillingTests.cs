using Cairn.Server.Jobs;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Api;

/// <summary>Cairn's scheduled work, driven by moving the server's clock: auto-approval and dated instalments.</summary>
public abstract class ScheduledBillingTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private ScheduledBilling Scheduler => _app.Services.GetRequiredService<ScheduledBilling>();

    [Fact]
    public async Task A_submission_left_unanswered_past_the_approval_window_is_approved_by_cairn_and_billed()
    {
        var api = await _app.NewOrganizationAsync();
        var active = await Plans.ActiveWebsiteContractAsync(api, approvalWindowDays: 7);
        var first = Plans.MilestoneIds(active)[0];
        await Plans.DeliverAsync(api, first);

        _app.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        await Scheduler.RunOnceAsync();
        Assert.Equal("submitted", (await api.GetOkAsync($"/api/v1/milestones/{first}")).Str("status"));

        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        await Scheduler.RunOnceAsync();
        var approved = await api.GetOkAsync($"/api/v1/milestones/{first}");

        Assert.Equal("approved", approved.Str("status"));
        Assert.Equal("system:system", approved.Str("approvedBy"));
        Assert.Equal("auto_approved", approved["history"]!.AsArray().Last()!.Str("kind"));
        Assert.Equal("INV-2026-000001", approved.Str("invoice.number"));
        Assert.Equal("invoiced", approved.Str("billingStatus"));

        var again = await Scheduler.RunOnceAsync();
        Assert.Equal(0, again.AutoApproved);
        await using var db = engine.NewDb(api.OrganizationId);
        Assert.Equal(1, await db.Invoices.CountAsync());
    }

    [Fact]
    public async Task Without_an_approval_window_a_submission_waits_for_the_client()
    {
        var api = await _app.NewOrganizationAsync();
        var active = await Plans.ActiveWebsiteContractAsync(api);
        var first = Plans.MilestoneIds(active)[0];
        await Plans.DeliverAsync(api, first);

        _app.Clock.Advance(TimeSpan.FromDays(400));
        await Scheduler.RunOnceAsync();

        Assert.Equal("submitted", (await api.GetOkAsync($"/api/v1/milestones/{first}")).Str("status"));
    }

    [Fact]
    public async Task An_instalment_is_billed_on_its_billing_date_and_the_last_one_completes_the_contract()
    {
        var api = await _app.NewOrganizationAsync();
        var contract = await Plans.ContractAsync(api, "1200.00");
        var id = contract.Str("id");
        await api.PostOkAsync($"/api/v1/contracts/{id}/milestones", new { title = "December", percentage = "50", trigger = "on_date", billingDate = "2026-12-01" });
        await api.PostOkAsync($"/api/v1/contracts/{id}/milestones", new { title = "January", percentage = "50", trigger = "on_date", billingDate = "2027-01-01" });
        await api.PostOkAsync($"/api/v1/contracts/{id}/activate");

        await Scheduler.RunOnceAsync();
        Assert.All((await api.GetOkAsync($"/api/v1/contracts/{id}"))["milestones"]!.AsArray(), m => Assert.Equal("unbilled", m!.Str("billingStatus")));

        _app.Clock.Advance(TimeSpan.FromDays(29));
        await Scheduler.RunOnceAsync();
        var december = await api.GetOkAsync($"/api/v1/contracts/{id}");
        Assert.Equal(["invoiced", "unbilled"], december["milestones"]!.AsArray().Select(m => m!.Str("billingStatus")));
        Assert.Equal("INV-2026-000001", december.Str("milestones.0.invoice.number"));
        Assert.Equal("720.00", december.Str("milestones.0.invoice.gross.amount"));
        Assert.Equal("active", december.Str("status"));

        _app.Clock.Advance(TimeSpan.FromDays(31));
        await Scheduler.RunOnceAsync();
        var january = await api.GetOkAsync($"/api/v1/contracts/{id}");
        Assert.Equal("INV-2027-000001", january.Str("milestones.1.invoice.number"));
        Assert.Equal("completed", january.Str("status"));
    }

    [Fact]
    public async Task Two_scheduler_passes_at_once_bill_each_instalment_once()
    {
        var api = await _app.NewOrganizationAsync();
        var contract = await Plans.ContractAsync(api, "1000.00");
        var id = contract.Str("id");
        for (var i = 0; i < 4; i++)
            await api.PostOkAsync($"/api/v1/contracts/{id}/milestones", new { title = $"Week {i + 1}", percentage = "25", trigger = "on_date", billingDate = "2026-11-10" });
        await api.PostOkAsync($"/api/v1/contracts/{id}/activate");

        _app.Clock.Advance(TimeSpan.FromDays(8));
        var reports = await Task.WhenAll(Task.Run(() => Scheduler.RunOnceAsync()), Task.Run(() => Scheduler.RunOnceAsync()));

        await using var db = engine.NewDb(api.OrganizationId);
        Assert.Equal([1L, 2L, 3L, 4L], await db.Invoices.OrderBy(i => i.Sequence).Select(i => i.Sequence!.Value).ToListAsync());
        Assert.True(reports.Sum(r => r.InstalmentsBilled) <= 4);
        Assert.Equal("completed", (await api.GetOkAsync($"/api/v1/contracts/{id}")).Str("status"));
    }
}

public sealed class SqliteScheduledBilling(SqliteEngine engine) : ScheduledBillingTests<SqliteEngine>(engine);

public sealed class PostgresScheduledBilling(PostgresEngine engine) : ScheduledBillingTests<PostgresEngine>(engine);
