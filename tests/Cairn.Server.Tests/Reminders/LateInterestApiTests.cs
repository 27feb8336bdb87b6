using Cairn.Server.Tests.EInvoicing;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Reminders;

/// <summary>Issue 14 item 4: Directive 2011/7/EU late-payment interest, charged on a new invoice by a staff action over the API.</summary>
public abstract class LateInterestApiTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Interest_on_a_late_invoice_is_charged_once_on_a_new_valid_invoice_and_the_late_one_is_unchanged()
    {
        var api = await _app.NewOrganizationAsync();
        var contract = await Plans.ActiveWebsiteContractAsync(api);
        var clientId = contract.Str("clientId");
        var first = Plans.MilestoneIds(contract)[0];
        await Plans.DeliverAsync(api, first);
        var late = (await api.PostOkAsync($"/api/v1/milestones/{first}/approve")).Str("invoice.id"); // 3,600.00 due 2026-12-02
        _app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 22, 12, 0, 0, TimeSpan.Zero));
        await api.PostOkAsync("/api/v1/payments", new { clientId, amount = new { amount = "1000.00", currency = "EUR" }, receivedOn = "2026-12-12", method = "bank_transfer", reference = "PART-1" });
        await api.PostOkAsync("/api/v1/payments", new { clientId, amount = new { amount = "2600.00", currency = "EUR" }, receivedOn = "2026-12-22", method = "bank_transfer", reference = "PART-2" });
        var before = await api.GetOkAsync($"/api/v1/invoices/{late}");

        await Json.ProblemAsync(await api.PostAsync($"/api/v1/invoices/{late}/late-interest", new { }), 409, "late_interest_off");
        await Json.OkAsync(await api.SendAsync(HttpMethod.Put, "/api/v1/settings/reminders", new { steps = (object?)null, chargeLateInterest = true }));
        // Outside the scope of VAT an e-invoice names the seller by its legal registration id, not its VAT id (BR-O-02).
        await api.PatchOkAsync("/api/v1/settings", new { party = new { legalId = "12345678900012" } });

        var preview = await api.GetOkAsync($"/api/v1/invoices/{late}/late-interest");
        Assert.Equal([("3600.00", "10.15", 10), ("2600.00", "10.15", 10)], preview["periods"]!.AsArray().Select(p => (p!.Str("principal.amount"), p!.Str("ratePercent"), (int)p!["days"]!)));
        // 3,600.00 × 10.15% × 10/365 + 2,600.00 × 10.15% × 10/365 = 17.2410… → 17.24, plus the fixed 40.00 EUR.
        Assert.Equal(("17.24", "40.00", "57.24"), (preview.Str("interest.amount"), preview.Str("compensation.amount"), preview.Str("total.amount")));

        var charged = await Json.OkAsync(await api.PostAsync($"/api/v1/invoices/{late}/late-interest", new { }));
        Assert.Equal(("INV-2026-000002", "issued", "57.24"), (charged.Str("number"), charged.Str("status"), charged.Str("gross.amount")));
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/invoices/{late}/late-interest", new { }), 409, "late_interest_charged");
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/invoices/{charged.Str("interestInvoiceId")}/late-interest", new { }), 409, "invalid_transition");

        var after = await api.GetOkAsync($"/api/v1/invoices/{late}");
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
        var interestInvoice = await api.GetOkAsync($"/api/v1/invoices/{charged.Str("interestInvoiceId")}");
        Assert.Null(interestInvoice["milestoneId"]);
        var response = await api.GetAsync($"/api/v1/invoices/{charged.Str("interestInvoiceId")}/ubl");
        var ubl = await response.Content.ReadAsByteArrayAsync();
        var findings = Validator.Ubl(new Dictionary<string, byte[]> { ["late-interest"] = ubl });
        Assert.True(findings["late-interest"].Count == 0, string.Join("; ", findings["late-interest"]));
    }

    [Fact]
    public async Task An_invoice_paid_on_time_has_no_interest_and_an_unknown_one_is_not_found()
    {
        var api = await _app.NewOrganizationAsync();
        var contract = await Plans.ActiveWebsiteContractAsync(api);
        var first = Plans.MilestoneIds(contract)[0];
        await Plans.DeliverAsync(api, first);
        var invoice = (await api.PostOkAsync($"/api/v1/milestones/{first}/approve")).Str("invoice.id");
        await api.PostOkAsync("/api/v1/payments", new { clientId = contract.Str("clientId"), amount = new { amount = "3600.00", currency = "EUR" }, receivedOn = "2026-11-02", method = "bank_transfer", reference = "ON-TIME" });

        await Json.ProblemAsync(await api.GetAsync($"/api/v1/invoices/{invoice}/late-interest"), 400, "not_late");
        await Json.ProblemAsync(await api.GetAsync($"/api/v1/invoices/{Guid.CreateVersion7()}/late-interest"), 404);
    }
}

public sealed class SqliteLateInterestApi(SqliteEngine engine) : LateInterestApiTests<SqliteEngine>(engine);

public sealed class PostgresLateInterestApi(PostgresEngine engine) : LateInterestApiTests<PostgresEngine>(engine);
