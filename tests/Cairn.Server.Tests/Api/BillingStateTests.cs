using System.Text.Json.Nodes;
using Cairn.Server.Jobs;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Api;

/// <summary>
/// A milestone's billing state has one home: a milestone credited in full is not billed again
/// unless staff re-bill it, a 0.00 checkpoint bills nothing, and a contract completes after every
/// change that leaves nothing to bill.
/// </summary>
public abstract class BillingStateTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task A_fully_credited_instalment_is_not_billed_again_by_the_scheduler_until_staff_re_bill_it()
    {
        var api = await _app.NewOrganizationAsync();
        var (contractId, instalment, _) = await InstalmentContractAsync(api);
        await Scheduler.RunOnceAsync();
        var first = await api.GetOkAsync($"/api/v1/milestones/{instalment}");
        Assert.Equal(("INV-2026-000001", "360.00"), (first.Str("invoice.number"), first.Str("invoice.gross.amount")));

        await api.PostOkAsync($"/api/v1/invoices/{first.Str("invoice.id")}/credit-notes", new { amount = Eur("360.00"), reason = "Billed in error" });
        await Scheduler.RunOnceAsync();
        _app.Clock.Advance(TimeSpan.FromDays(1));
        await Scheduler.RunOnceAsync();

        var credited = await api.GetOkAsync($"/api/v1/milestones/{instalment}");
        Assert.Equal(("credited", "void"), (credited.Str("billingStatus"), credited.Str("invoice.status")));
        Assert.Single((await api.GetOkAsync($"/api/v1/invoices?contractId={contractId}"))["data"]!.AsArray());

        var rebilled = await api.PostOkAsync($"/api/v1/milestones/{instalment}/rebill");

        Assert.Equal(("invoiced", "INV-2026-000002", "360.00"), (rebilled.Str("billingStatus"), rebilled.Str("invoice.number"), rebilled.Str("invoice.gross.amount")));
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/milestones/{instalment}/rebill", new { }), 409, "invalid_transition");
        await Scheduler.RunOnceAsync();
        Assert.Equal(2, (await api.GetOkAsync($"/api/v1/invoices?contractId={contractId}"))["data"]!.AsArray().Count);
        var figures = (await api.GetOkAsync($"/api/v1/contracts/{contractId}"))["figures"]!;
        Assert.Equal(
            ("0.00", "300.00", "360.00", "360.00", "0.00", "360.00"),
            (figures.Str("delivered.amount"), figures.Str("billedNet.amount"), figures.Str("billed.amount"), figures.Str("credited.amount"), figures.Str("collected.amount"), figures.Str("outstanding.amount")));
        var audit = await api.GetOkAsync($"/api/v1/audit?entity=milestone&id={instalment}");
        var entry = audit["data"]!.AsArray().Single(e => e!.Str("action") == "rebilled")!;
        Assert.Equal(("INV-2026-000001", "INV-2026-000002"), (entry.Str("before.creditedNumber"), entry.Str("after.number")));
    }

    [Fact]
    public async Task Staff_bill_a_credited_instalment_again_with_the_button_on_the_contract_page()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var (contractId, instalment, _) = await InstalmentContractAsync(org.Api);
        await Scheduler.RunOnceAsync();
        var browser = new Browser(_app);
        await browser.SignInAsync(org.OwnerEmail, org.OwnerPassword);
        const string button = "Bill <span class=\"visually-hidden\">Instalment </span>again</button>";
        Assert.DoesNotContain(button, (await browser.GetAsync($"/contracts/{contractId}")).Html, StringComparison.Ordinal);
        var invoiceId = (await org.Api.GetOkAsync($"/api/v1/milestones/{instalment}")).Str("invoice.id");
        await org.Api.PostOkAsync($"/api/v1/invoices/{invoiceId}/credit-notes", new { amount = Eur("360.00"), reason = "Billed in error" });

        var page = await browser.GetAsync($"/contracts/{contractId}");
        Assert.Contains(button, page.Html, StringComparison.Ordinal);
        var posted = await browser.PostFormAsync($"/contracts/{contractId}?handler=Rebill", new Dictionary<string, string> { ["milestoneId"] = instalment });

        Assert.Equal(System.Net.HttpStatusCode.Redirect, posted.StatusCode);
        var rebilled = await org.Api.GetOkAsync($"/api/v1/milestones/{instalment}");
        Assert.Equal(("invoiced", "INV-2026-000002"), (rebilled.Str("billingStatus"), rebilled.Str("invoice.number")));
        Assert.DoesNotContain(button, (await browser.GetAsync($"/contracts/{contractId}")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_a_credited_milestone_can_be_re_billed()
    {
        var api = await _app.NewOrganizationAsync();
        var (_, instalment, onApproval) = await InstalmentContractAsync(api);

        await Json.ProblemAsync(await api.PostAsync($"/api/v1/milestones/{onApproval}/rebill", new { }), 409, "invalid_transition");
        await Scheduler.RunOnceAsync();
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/milestones/{instalment}/rebill", new { }), 409, "invalid_transition");
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/milestones/{Guid.CreateVersion7()}/rebill", new { }), 404);
    }

    [Fact]
    public async Task A_credited_instalment_can_be_cancelled_by_change_order_and_the_rest_of_the_plan_completes_the_contract()
    {
        var api = await _app.NewOrganizationAsync();
        var (contractId, instalment, onApproval) = await InstalmentContractAsync(api);
        await Scheduler.RunOnceAsync();
        var invoiceId = (await api.GetOkAsync($"/api/v1/milestones/{instalment}")).Str("invoice.id");
        await api.PostOkAsync($"/api/v1/invoices/{invoiceId}/credit-notes", new { amount = Eur("360.00"), reason = "Instalment dropped" });

        await ApproveChangeOrderAsync(api, contractId, new { kind = "cancel", milestoneId = instalment });

        var amended = await api.GetOkAsync($"/api/v1/contracts/{contractId}");
        Assert.Equal(("active", "700.00", "cancelled"), (amended.Str("status"), amended.Str("value.amount"), amended.Str("milestones.0.status")));
        await Plans.DeliverAsync(api, onApproval);
        await api.PostOkAsync($"/api/v1/milestones/{onApproval}/approve");
        Assert.Equal("completed", (await api.GetOkAsync($"/api/v1/contracts/{contractId}")).Str("status"));
    }

    [Fact]
    public async Task Cancelling_the_last_milestone_left_to_bill_completes_the_contract()
    {
        var api = await _app.NewOrganizationAsync();
        var contractId = (await Plans.ContractAsync(api, "1000.00")).Str("id");
        var design = (await api.PostOkAsync($"/api/v1/contracts/{contractId}/milestones", new { title = "Design", amount = Eur("400.00") })).Str("id");
        var build = (await api.PostOkAsync($"/api/v1/contracts/{contractId}/milestones", new { title = "Build", amount = Eur("600.00") })).Str("id");
        await api.PostOkAsync($"/api/v1/contracts/{contractId}/activate");
        await Plans.DeliverAsync(api, design);
        await api.PostOkAsync($"/api/v1/milestones/{design}/approve");
        Assert.Equal("active", (await api.GetOkAsync($"/api/v1/contracts/{contractId}")).Str("status"));

        await ApproveChangeOrderAsync(api, contractId, new { kind = "cancel", milestoneId = build });

        var contract = await api.GetOkAsync($"/api/v1/contracts/{contractId}");
        Assert.Equal(("completed", "400.00"), (contract.Str("status"), contract.Str("value.amount")));
    }

    [Fact]
    public async Task Accepting_a_dispute_over_the_last_milestone_completes_the_contract()
    {
        var api = await _app.NewOrganizationAsync();
        var contractId = (await Plans.ContractAsync(api, "1000.00")).Str("id");
        var only = (await api.PostOkAsync($"/api/v1/contracts/{contractId}/milestones", new { title = "Everything", amount = Eur("1000.00") })).Str("id");
        await api.PostOkAsync($"/api/v1/contracts/{contractId}/activate");
        await Plans.DeliverAsync(api, only);
        var disputed = await api.PostOkAsync($"/api/v1/milestones/{only}/dispute", new { reason = "The footer is missing" });

        await api.PostOkAsync($"/api/v1/disputes/{disputed.Str("openDispute.id")}/resolve", new { outcome = "accepted", note = "The footer was never in scope" });

        var contract = await api.GetOkAsync($"/api/v1/contracts/{contractId}");
        Assert.Equal(("completed", "invoiced"), (contract.Str("status"), contract.Str("milestones.0.billingStatus")));
    }

    [Fact]
    public async Task Approving_a_checkpoint_issues_no_invoice_and_approving_the_last_one_completes_the_contract()
    {
        var api = await _app.NewOrganizationAsync();
        var contractId = (await Plans.ContractAsync(api, "1000.00")).Str("id");
        var build = (await api.PostOkAsync($"/api/v1/contracts/{contractId}/milestones", new { title = "Build", amount = Eur("1000.00") })).Str("id");
        var signOff = (await api.PostOkAsync($"/api/v1/contracts/{contractId}/milestones", new { title = "Sign-off", amount = Eur("0.00") })).Str("id");
        await api.PostOkAsync($"/api/v1/contracts/{contractId}/activate");
        Assert.Equal("checkpoint", (await api.GetOkAsync($"/api/v1/milestones/{signOff}")).Str("billingStatus"));
        await Plans.DeliverAsync(api, build);
        await api.PostOkAsync($"/api/v1/milestones/{build}/approve");
        Assert.Equal("active", (await api.GetOkAsync($"/api/v1/contracts/{contractId}")).Str("status"));

        await Plans.DeliverAsync(api, signOff);
        var approved = await api.PostOkAsync($"/api/v1/milestones/{signOff}/approve");

        Assert.Equal(("approved", "checkpoint"), (approved.Str("status"), approved.Str("billingStatus")));
        Assert.Null(approved["invoice"]);
        Assert.Single((await api.GetOkAsync($"/api/v1/invoices?contractId={contractId}"))["data"]!.AsArray());
        Assert.Equal("completed", (await api.GetOkAsync($"/api/v1/contracts/{contractId}")).Str("status"));
    }

    [Fact]
    public async Task A_deposit_and_an_instalment_worth_nothing_issue_no_invoice()
    {
        var api = await _app.NewOrganizationAsync();
        var contractId = (await Plans.ContractAsync(api, "1000.00")).Str("id");
        await api.PostOkAsync($"/api/v1/contracts/{contractId}/milestones", new { title = "Deposit", amount = Eur("0.00"), trigger = "on_start" });
        await api.PostOkAsync($"/api/v1/contracts/{contractId}/milestones", new { title = "Kick-off", amount = Eur("0.00"), trigger = "on_date", billingDate = "2026-11-02" });
        await api.PostOkAsync($"/api/v1/contracts/{contractId}/milestones", new { title = "Build", amount = Eur("1000.00") });

        await api.PostOkAsync($"/api/v1/contracts/{contractId}/activate");
        var report = await Scheduler.RunOnceAsync();

        Assert.Equal(0, report.InstalmentsBilled);
        await using var db = engine.NewDb(api.OrganizationId);
        Assert.Equal(0, await db.Invoices.CountAsync());
        var contract = await api.GetOkAsync($"/api/v1/contracts/{contractId}");
        Assert.Equal(["checkpoint", "checkpoint", "unbilled"], contract["milestones"]!.AsArray().Select(m => m!.Str("billingStatus")));
        Assert.Equal("active", contract.Str("status"));
    }

    private static object Eur(string amount) => new { amount, currency = "EUR" };

    /// <summary>1,000.00 EUR at 20%: an on_date instalment of 300.00 billed today, then 700.00 on approval.</summary>
    private async Task<(string ContractId, string Instalment, string OnApproval)> InstalmentContractAsync(ApiClient api)
    {
        var contractId = (await Plans.ContractAsync(api, "1000.00")).Str("id");
        var today = DateOnly.FromDateTime(_app.Clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd");
        var instalment = (await api.PostOkAsync($"/api/v1/contracts/{contractId}/milestones", new { title = "Instalment", amount = Eur("300.00"), trigger = "on_date", billingDate = today })).Str("id");
        var onApproval = (await api.PostOkAsync($"/api/v1/contracts/{contractId}/milestones", new { title = "Delivery", amount = Eur("700.00") })).Str("id");
        await api.PostOkAsync($"/api/v1/contracts/{contractId}/activate");
        return (contractId, instalment, onApproval);
    }

    private static async Task<JsonNode> ApproveChangeOrderAsync(ApiClient api, string contractId, params object[] items)
    {
        var order = await api.PostOkAsync($"/api/v1/contracts/{contractId}/change-orders", new { title = "Scope change", items });
        await api.PostOkAsync($"/api/v1/change-orders/{order.Str("id")}/propose");
        return await api.PostOkAsync($"/api/v1/change-orders/{order.Str("id")}/approve");
    }
}

public sealed class SqliteBillingState(SqliteEngine engine) : BillingStateTests<SqliteEngine>(engine);

public sealed class PostgresBillingState(PostgresEngine engine) : BillingStateTests<PostgresEngine>(engine);
