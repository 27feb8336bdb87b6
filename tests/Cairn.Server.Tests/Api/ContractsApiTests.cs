using System.Net;
using System.Text.Json.Nodes;
using Cairn.Domain;
using Cairn.Server.Identity;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Api;

/// <summary>The billing workflow over the API: a contract's plan, its activation, and the work on each milestone up to its invoice.</summary>
public abstract class ContractsApiTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task A_website_contract_from_the_30_40_30_template_is_billed_milestone_by_milestone_and_completes()
    {
        var api = await _app.NewOrganizationAsync();

        var draft = await Plans.ContractAsync(api, "10000.00", Plans.WebsiteTemplate);
        Assert.Equal("draft", draft.Str("status"));
        Assert.Equal(["3000.00", "4000.00", "3000.00"], draft["milestones"]!.AsArray().Select(m => m!.Str("amount.amount")));
        Assert.Equal(["30", "40", "30"], draft["milestones"]!.AsArray().Select(m => m!.Str("percentage")));
        Assert.True((bool)draft["plan"]!["addsUp"]!);
        Assert.Equal("0.00", draft.Str("plan.difference.amount"));

        var active = await api.PostOkAsync($"/api/v1/contracts/{draft.Str("id")}/activate");
        Assert.Equal("active", active.Str("status"));

        var invoices = new List<JsonNode>();
        foreach (var id in Plans.MilestoneIds(active))
        {
            await Plans.DeliverAsync(api, id);
            var approved = await api.PostOkAsync($"/api/v1/milestones/{id}/approve");
            Assert.Equal("approved", approved.Str("status"));
            Assert.Equal("invoiced", approved.Str("billingStatus"));
            invoices.Add(approved["invoice"]!);
        }

        Assert.Equal(["INV-2026-000001", "INV-2026-000002", "INV-2026-000003"], invoices.Select(i => i.Str("number")));
        Assert.Equal(["3000.00", "4000.00", "3000.00"], invoices.Select(i => i.Str("net.amount")));
        Assert.Equal(["600.00", "800.00", "600.00"], invoices.Select(i => i.Str("tax.amount")));
        Assert.Equal(["3600.00", "4800.00", "3600.00"], invoices.Select(i => i.Str("gross.amount")));
        await using (var db = engine.NewDb(api.OrganizationId))
        {
            Assert.Equal([1L, 2L, 3L], await db.Invoices.OrderBy(i => i.Sequence).Select(i => i.Sequence!.Value).ToListAsync());
            Assert.All(await db.Invoices.ToListAsync(), i => Assert.Equal(InvoiceStatus.Issued, i.Status));
        }

        var completed = await api.GetOkAsync($"/api/v1/contracts/{draft.Str("id")}");
        Assert.Equal("completed", completed.Str("status"));
        Assert.All(completed["milestones"]!.AsArray(), m => Assert.Equal("invoiced", m!.Str("billingStatus")));
        var history = (await api.GetOkAsync($"/api/v1/milestones/{Plans.MilestoneIds(active)[0]}"))["history"]!.AsArray();
        Assert.Equal(["started", "submitted", "approved"], history.Select(h => h!.Str("kind")));
        Assert.Equal("https://files.example.test/delivery.zip", history[1]!.Str("links.0"));
    }

    [Fact]
    public async Task A_plan_that_is_off_by_100_is_refused_at_activation_saying_by_how_much()
    {
        var api = await _app.NewOrganizationAsync();
        var contract = await Plans.ContractAsync(api, "10000.00");
        var id = contract.Str("id");
        foreach (var amount in new[] { "3000.00", "4000.00", "2900.00" })
            await api.PostOkAsync($"/api/v1/contracts/{id}/milestones", new { title = $"Part {amount}", amount = new { amount, currency = "EUR" } });

        var plan = (await api.GetOkAsync($"/api/v1/contracts/{id}"))["plan"]!;
        Assert.False((bool)plan["addsUp"]!);
        Assert.Equal("9900.00", plan.Str("plannedTotal.amount"));
        Assert.Equal("-100.00", plan.Str("difference.amount"));

        var problem = await Json.ProblemAsync(await api.PostAsync($"/api/v1/contracts/{id}/activate", new { }), 409, "plan_does_not_add_up");
        Assert.Contains("100.00 EUR short of", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("-100.00", problem.Str("difference.amount"));
        Assert.Equal("draft", (await api.GetOkAsync($"/api/v1/contracts/{id}")).Str("status"));

        var last = (await api.GetOkAsync($"/api/v1/contracts/{id}/milestones"))["data"]![2]!.Str("id");
        await api.PatchOkAsync($"/api/v1/milestones/{last}", new { amount = new { amount = "3000.00", currency = "EUR" } });
        Assert.Equal("active", (await api.PostOkAsync($"/api/v1/contracts/{id}/activate")).Str("status"));
    }

    [Fact]
    public async Task A_deposit_is_invoiced_when_the_contract_is_activated()
    {
        var api = await _app.NewOrganizationAsync();
        var contract = await Plans.ContractAsync(api, "5000.00", Plans.FixedFeeTemplate);

        var active = await api.PostOkAsync($"/api/v1/contracts/{contract.Str("id")}/activate");

        var deposit = active["milestones"]![0]!;
        Assert.Equal("on_start", deposit.Str("trigger"));
        Assert.Equal("2000.00", deposit.Str("amount.amount"));
        Assert.Equal("invoiced", deposit.Str("billingStatus"));
        Assert.Equal("INV-2026-000001", deposit.Str("invoice.number"));
        Assert.Equal("2400.00", deposit.Str("invoice.gross.amount"));
        Assert.Equal(["unbilled", "unbilled"], active["milestones"]!.AsArray().Skip(1).Select(m => m!.Str("billingStatus")));
        Assert.Equal("active", active.Str("status"));
    }

    [Fact]
    public async Task Forbidden_transitions_answer_409_invalid_transition_and_change_nothing()
    {
        var api = await _app.NewOrganizationAsync();
        var draft = await Plans.ContractAsync(api, "10000.00", Plans.WebsiteTemplate);
        var first = Plans.MilestoneIds(draft)[0];

        await Json.ProblemAsync(await api.PostAsync($"/api/v1/milestones/{first}/start", new { }), 409, "invalid_transition");
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/contracts/{draft.Str("id")}/complete", new { }), 409, "invalid_transition");
        await api.PostOkAsync($"/api/v1/contracts/{draft.Str("id")}/activate");
        var before = await api.GetOkAsync($"/api/v1/milestones/{first}");

        await Json.ProblemAsync(await api.PostAsync($"/api/v1/milestones/{first}/approve", new { }), 409, "invalid_transition");
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/milestones/{first}/submit", new { note = "Done", links = Array.Empty<string>() }), 409, "invalid_transition");
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/milestones/{first}/request-changes", new { reason = "More blue" }), 409, "invalid_transition");
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/milestones/{first}/dispute", new { reason = "Not done" }), 409, "invalid_transition");
        await Json.ProblemAsync(await api.PatchAsync($"/api/v1/milestones/{first}", new { title = "Renamed" }), 409, "invalid_transition");
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/contracts/{draft.Str("id")}/milestones", new { title = "Extra", percentage = "10" }), 409, "invalid_transition");
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/contracts/{draft.Str("id")}/activate", new { }), 409, "invalid_transition");
        var problem = await Json.ProblemAsync(await api.PostAsync($"/api/v1/contracts/{draft.Str("id")}/complete", new { }), 409, "invalid_transition");
        Assert.Contains("3 milestone(s) are not billed yet", problem.Str("detail"), StringComparison.Ordinal);

        var after = await api.GetOkAsync($"/api/v1/milestones/{first}");
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
        Assert.Equal("active", (await api.GetOkAsync($"/api/v1/contracts/{draft.Str("id")}")).Str("status"));
        await using var db = engine.NewDb(api.OrganizationId);
        Assert.Equal(0, await db.Invoices.CountAsync());
    }

    [Fact]
    public async Task Requesting_changes_sends_the_work_back_and_a_dispute_flags_the_invoice()
    {
        var api = await _app.NewOrganizationAsync();
        var active = await Plans.ActiveWebsiteContractAsync(api);
        var (first, second) = (Plans.MilestoneIds(active)[0], Plans.MilestoneIds(active)[1]);

        await Plans.DeliverAsync(api, first);
        var reworked = await api.PostOkAsync($"/api/v1/milestones/{first}/request-changes", new { reason = "The logo must be larger." });
        Assert.Equal("in_progress", reworked.Str("status"));
        Assert.Equal("The logo must be larger.", reworked["history"]!.AsArray().Last()!.Str("note"));
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/milestones/{first}/request-changes", new { reason = "" }), 409, "invalid_transition");

        await api.PostOkAsync($"/api/v1/milestones/{first}/submit", new { note = "Logo enlarged.", links = new[] { "https://files.example.test/v2.pdf" } });
        await api.PostOkAsync($"/api/v1/milestones/{first}/approve");
        var disputed = await api.PostOkAsync($"/api/v1/milestones/{first}/dispute", new { reason = "The launch page is missing." });

        Assert.Equal("disputed", disputed.Str("status"));
        Assert.True((bool)disputed["invoice"]!["disputed"]!);
        Assert.Equal("The launch page is missing.", disputed.Str("openDispute.reason"));
        await using var db = engine.NewDb(api.OrganizationId);
        var dispute = await db.Disputes.SingleAsync();
        Assert.Equal(Guid.Parse(disputed.Str("invoice.id")), dispute.InvoiceId);

        await Plans.DeliverAsync(api, second);
        await api.PostOkAsync($"/api/v1/milestones/{second}/dispute", new { reason = "Wrong colours." });
        Assert.Null((await db.Disputes.AsNoTracking().SingleAsync(d => d.MilestoneId == Guid.Parse(second))).InvoiceId);
    }

    [Fact]
    public async Task Submissions_need_a_note_and_at_most_20_absolute_web_links()
    {
        var api = await _app.NewOrganizationAsync();
        var id = Plans.MilestoneIds(await Plans.ActiveWebsiteContractAsync(api))[0];
        await api.PostOkAsync($"/api/v1/milestones/{id}/start");

        await Json.ProblemAsync(await api.PostAsync($"/api/v1/milestones/{id}/submit", new { note = "", links = Array.Empty<string>() }), 400, "note_required", "note");
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/milestones/{id}/submit", new { note = "Done", links = new[] { "https://ok.example/a", "javascript:alert(1)" } }), 400, "invalid_link", "links[1]");
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/milestones/{id}/submit", new { note = "Done", links = new[] { "/relative/path" } }), 400, "invalid_link", "links[0]");
        var tooMany = Enumerable.Range(1, 21).Select(i => $"https://files.example/{i}").ToArray();
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/milestones/{id}/submit", new { note = "Done", links = tooMany }), 400, "too_many_links", "links");

        Assert.Equal("in_progress", (await api.GetOkAsync($"/api/v1/milestones/{id}")).Str("status"));
        var submitted = await api.PostOkAsync($"/api/v1/milestones/{id}/submit", new { note = "Done", links = tooMany[..20] });
        Assert.Equal(20, submitted["history"]!.AsArray().Last()!["links"]!.AsArray().Count);
    }

    [Fact]
    public async Task Fifty_concurrent_approvals_of_one_milestone_issue_one_invoice_and_take_one_number()
    {
        var api = await _app.NewOrganizationAsync();
        var active = await Plans.ActiveWebsiteContractAsync(api);
        var (first, second) = (Plans.MilestoneIds(active)[0], Plans.MilestoneIds(active)[1]);
        await Plans.DeliverAsync(api, first);
        await Plans.DeliverAsync(api, second);

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => api.PostAsync($"/api/v1/milestones/{first}/approve", new { }))));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
            Assert.Contains("already approved", (await Json.ProblemAsync(refused, 409, "invalid_transition")).Str("detail"), StringComparison.Ordinal);
        await using (var db = engine.NewDb(api.OrganizationId))
        {
            var invoice = await db.Invoices.SingleAsync();
            Assert.Equal("INV-2026-000001", invoice.Number);
        }

        var next = await api.PostOkAsync($"/api/v1/milestones/{second}/approve");
        Assert.Equal("INV-2026-000002", next.Str("invoice.number"));
    }

    // Issue 16 item 2: an approval locks, then reads; a read in the locking statement would see the books
    // as they were before the other approval committed, and neither would complete the contract.
    [Fact]
    public async Task Approving_the_last_two_milestones_concurrently_bills_both_and_completes_the_contract()
    {
        var api = await _app.NewOrganizationAsync();
        var contracts = new List<string>();
        var lastTwo = new List<(string, string)>();
        for (var i = 0; i < 4; i++)
        {
            var active = await Plans.ActiveWebsiteContractAsync(api);
            var ids = Plans.MilestoneIds(active);
            foreach (var id in ids)
                await Plans.DeliverAsync(api, id);
            await api.PostOkAsync($"/api/v1/milestones/{ids[0]}/approve");
            contracts.Add(active.Str("id"));
            lastTwo.Add((ids[1], ids[2]));
        }

        foreach (var (contract, (second, third)) in contracts.Zip(lastTwo))
        {
            var answers = await Task.WhenAll(new[] { second, third }.Select(id => Task.Run(() => api.PostAsync($"/api/v1/milestones/{id}/approve", new { }))));

            foreach (var answer in answers)
                Assert.Equal("invoiced", (await Json.OkAsync(answer)).Str("billingStatus"));
            Assert.Equal("completed", (await api.GetOkAsync($"/api/v1/contracts/{contract}")).Str("status"));
        }

        await using var db = engine.NewDb(api.OrganizationId);
        Assert.Equal(Enumerable.Range(1, 12).Select(n => $"INV-2026-{n:000000}"), (await db.Invoices.Select(i => i.Number!).ToListAsync()).Order());
    }

    [Fact]
    public async Task An_approval_retried_with_its_idempotency_key_bills_once_and_gets_the_same_answer()
    {
        var api = await _app.NewOrganizationAsync();
        var first = Plans.MilestoneIds(await Plans.ActiveWebsiteContractAsync(api))[0];
        await Plans.DeliverAsync(api, first);
        var key = Guid.NewGuid().ToString();

        var answer = await api.PostAsync($"/api/v1/milestones/{first}/approve", new { }, key);
        var retry = await api.PostAsync($"/api/v1/milestones/{first}/approve", new { }, key);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(await answer.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        await using var db = engine.NewDb(api.OrganizationId);
        Assert.Equal(1, await db.Invoices.CountAsync());
    }

    [Fact]
    public async Task A_change_with_a_stale_etag_is_refused_with_412()
    {
        var api = await _app.NewOrganizationAsync();
        var contract = await Plans.ContractAsync(api, "10000.00", Plans.WebsiteTemplate);
        var id = contract.Str("id");
        var read = await api.GetAsync($"/api/v1/contracts/{id}");
        var etag = read.Headers.ETag!.ToString();

        var changed = await api.PatchAsync($"/api/v1/contracts/{id}", new { value = new { amount = "20000.00", currency = "EUR" } }, etag);
        var body = await Json.OkAsync(changed);
        Assert.Equal(["6000.00", "8000.00", "6000.00"], body["milestones"]!.AsArray().Select(m => m!.Str("amount.amount")));
        Assert.NotEqual(etag, changed.Headers.ETag!.ToString());
        await Json.ProblemAsync(await api.PatchAsync($"/api/v1/contracts/{id}", new { title = "Stale" }, etag), 412, "stale_version");

        var milestone = Plans.MilestoneIds(contract)[0];
        var milestoneEtag = (await api.GetAsync($"/api/v1/milestones/{milestone}")).Headers.ETag!.ToString();
        await api.PatchOkAsync($"/api/v1/milestones/{milestone}", new { dueDate = "2026-12-15" }, milestoneEtag);
        await Json.ProblemAsync(await api.PatchAsync($"/api/v1/milestones/{milestone}", new { dueDate = "2026-12-31" }, milestoneEtag), 412, "stale_version");
        Assert.Equal("2026-12-15", (await api.GetOkAsync($"/api/v1/milestones/{milestone}")).Str("dueDate"));
        Assert.Equal("20000.00", (await api.GetOkAsync($"/api/v1/contracts/{id}")).Str("value.amount"));
    }

    [Fact]
    public async Task A_project_manager_runs_the_work_and_a_viewer_only_reads()
    {
        var owner = await _app.NewOrganizationAsync();
        var pm = await _app.WithRoleAsync(owner, Role.ProjectManager);
        var viewer = await _app.WithRoleAsync(owner, Role.Viewer);
        var active = await Plans.ActiveWebsiteContractAsync(pm);
        var first = Plans.MilestoneIds(active)[0];
        await Plans.DeliverAsync(pm, first);

        await Json.ProblemAsync(await viewer.PostAsync($"/api/v1/milestones/{first}/approve", new { }), 403, "forbidden");
        await Json.ProblemAsync(await viewer.PostAsync("/api/v1/contracts", new { title = "X" }), 403, "forbidden");
        Assert.Equal("submitted", (await viewer.GetOkAsync($"/api/v1/milestones/{first}")).Str("status"));

        var approved = await pm.PostOkAsync($"/api/v1/milestones/{first}/approve");
        Assert.Equal("INV-2026-000001", approved.Str("invoice.number"));
        Assert.Single((await viewer.GetOkAsync("/api/v1/contracts?status=active"))["data"]!.AsArray());
    }

    [Fact]
    public async Task Another_organization_gets_404_on_every_contract_and_milestone_route()
    {
        var owner = await _app.NewOrganizationAsync();
        var stranger = await _app.NewOrganizationAsync("Other Ltd");
        var active = await Plans.ActiveWebsiteContractAsync(owner);
        var contract = active.Str("id");
        var milestone = Plans.MilestoneIds(active)[0];
        await Plans.DeliverAsync(owner, milestone);

        var routes = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, $"/api/v1/contracts/{contract}", null),
            (HttpMethod.Patch, $"/api/v1/contracts/{contract}", new { title = "Mine" }),
            (HttpMethod.Post, $"/api/v1/contracts/{contract}/activate", new { }),
            (HttpMethod.Post, $"/api/v1/contracts/{contract}/cancel", new { }),
            (HttpMethod.Post, $"/api/v1/contracts/{contract}/complete", new { }),
            (HttpMethod.Get, $"/api/v1/contracts/{contract}/milestones", null),
            (HttpMethod.Post, $"/api/v1/contracts/{contract}/milestones", new { title = "Extra", percentage = "10" }),
            (HttpMethod.Get, $"/api/v1/milestones/{milestone}", null),
            (HttpMethod.Patch, $"/api/v1/milestones/{milestone}", new { title = "Mine" }),
            (HttpMethod.Post, $"/api/v1/milestones/{milestone}/start", new { }),
            (HttpMethod.Post, $"/api/v1/milestones/{milestone}/submit", new { note = "Mine", links = Array.Empty<string>() }),
            (HttpMethod.Post, $"/api/v1/milestones/{milestone}/approve", new { }),
            (HttpMethod.Post, $"/api/v1/milestones/{milestone}/request-changes", new { reason = "Mine" }),
            (HttpMethod.Post, $"/api/v1/milestones/{milestone}/dispute", new { reason = "Mine" }),
        };
        foreach (var (method, path, body) in routes)
            await Json.ProblemAsync(await stranger.SendAsync(method, path, body), 404, "not_found");

        Assert.Empty((await stranger.GetOkAsync("/api/v1/contracts"))["data"]!.AsArray());
        Assert.Equal("submitted", (await owner.GetOkAsync($"/api/v1/milestones/{milestone}")).Str("status"));
        Assert.Equal("active", (await owner.GetOkAsync($"/api/v1/contracts/{contract}")).Str("status"));
    }

    [Fact]
    public async Task Contracts_are_listed_in_pages_and_filtered_by_status_and_client()
    {
        var api = await _app.NewOrganizationAsync();
        var first = await Plans.ContractAsync(api, "1000.00", Plans.WebsiteTemplate);
        await Plans.ContractAsync(api, "2000.00", Plans.WebsiteTemplate);
        var third = await Plans.ContractAsync(api, "3000.00", Plans.WebsiteTemplate);
        await api.PostOkAsync($"/api/v1/contracts/{third.Str("id")}/cancel");

        var page = await api.GetOkAsync("/api/v1/contracts?limit=2");
        Assert.Equal(2, page["data"]!.AsArray().Count);
        var rest = await api.GetOkAsync($"/api/v1/contracts?limit=2&cursor={Uri.EscapeDataString(page.Str("nextCursor"))}");
        Assert.Single(rest["data"]!.AsArray());
        Assert.Null(rest["nextCursor"]);
        Assert.Equal(third.Str("id"), (await api.GetOkAsync("/api/v1/contracts?status=cancelled"))["data"]!.AsArray().Single()!.Str("id"));
        Assert.Equal(first.Str("id"), (await api.GetOkAsync($"/api/v1/contracts?clientId={first.Str("clientId")}"))["data"]!.AsArray().Single()!.Str("id"));
        await Json.ProblemAsync(await api.GetAsync("/api/v1/contracts?status=paused"), 400, "invalid_status", "status");
    }

    [Fact]
    public async Task Bad_contract_input_is_refused_naming_the_field()
    {
        var api = await _app.NewOrganizationAsync();
        var clientId = await Plans.ClientAsync(api);

        await Json.ProblemAsync(await api.PostAsync("/api/v1/contracts", new { title = "X", value = new { amount = "10.00", currency = "EUR" }, taxRate = "20" }), 400, "required", "clientId");
        await Json.ProblemAsync(await api.PostAsync("/api/v1/contracts", new { clientId, title = "X", value = new { amount = "10.001", currency = "EUR" }, taxRate = "20" }), 400, "invalid_amount", "value.amount");
        await Json.ProblemAsync(await api.PostAsync("/api/v1/contracts", new { clientId, title = "X", value = new { amount = "10.00", currency = "EUR" }, taxRate = "20%" }), 400, "invalid_percentage", "taxRate");
        await Json.ProblemAsync(await api.PostAsync("/api/v1/contracts", new { clientId, title = "X", value = new { amount = "10.00", currency = "EUR" }, taxRate = "0" }), 400, "tax_exemption_reason_required", "taxExemptionReason");
        await Json.ProblemAsync(await api.PostAsync("/api/v1/contracts", new { clientId = Guid.NewGuid(), title = "X", value = new { amount = "10.00", currency = "EUR" }, taxRate = "20" }), 400, "unknown_client", "clientId");
        await Json.ProblemAsync(await api.PostAsync("/api/v1/contracts", new { clientId, title = "X", value = new { amount = "10.00", currency = "EUR" }, taxRate = "20", templateId = Guid.NewGuid() }), 400, "unknown_template", "templateId");
        var contract = await Plans.ContractAsync(api);
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/contracts/{contract.Str("id")}/milestones", new { title = "Both", percentage = "10", amount = new { amount = "1.00", currency = "EUR" } }), 400, "price_required");
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/contracts/{contract.Str("id")}/milestones", new { title = "Dated", percentage = "10", trigger = "on_date" }), 400, "billing_date_required", "billingDate");
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/contracts/{contract.Str("id")}/milestones", new { title = "Dated", percentage = "10", dueDate = "31/12/2026" }), 400, "invalid_date", "dueDate");
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/contracts/{contract.Str("id")}/milestones", "{\"title\": \"T\", \"percentage\": \"10\", \"trigger\": \"whenever\"}"), 400, "malformed_json", "trigger");

        Assert.Single((await api.GetOkAsync("/api/v1/contracts"))["data"]!.AsArray());
        Assert.Empty((await api.GetOkAsync($"/api/v1/contracts/{contract.Str("id")}/milestones"))["data"]!.AsArray());
    }

    [Fact]
    public async Task Every_change_of_state_is_in_the_audit_log_with_before_and_after()
    {
        var api = await _app.NewOrganizationAsync();
        var active = await Plans.ActiveWebsiteContractAsync(api);
        var first = Plans.MilestoneIds(active)[0];
        await Plans.DeliverAsync(api, first);
        await api.PostOkAsync($"/api/v1/milestones/{first}/approve");

        await using var db = engine.NewDb(api.OrganizationId);
        var entries = await db.AuditLog.Where(a => a.EntityId == Guid.Parse(first)).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["created", "started", "submitted", "approved"], entries.Select(e => e.Action));
        var approval = entries[^1];
        Assert.Contains("\"Submitted\"", approval.Before!, StringComparison.Ordinal);
        Assert.Contains("\"Approved\"", approval.After!, StringComparison.Ordinal);
        Assert.Contains(await db.AuditLog.Where(a => a.EntityId == Guid.Parse(active.Str("id"))).Select(a => a.Action).ToListAsync(), a => a == "activated");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_template_contract_and_milestone_routes()
    {
        var document = await Json.OkAsync(await _app.CreateClient().GetAsync("/openapi/v1.json"));
        var paths = document["paths"]!.AsObject();

        foreach (var path in new[] { "/api/v1/templates", "/api/v1/templates/{id}", "/api/v1/contracts", "/api/v1/contracts/{id}", "/api/v1/contracts/{id}/activate", "/api/v1/contracts/{contractId}/milestones", "/api/v1/milestones/{id}", "/api/v1/milestones/{id}/approve", "/api/v1/milestones/{id}/dispute" })
            Assert.True(paths.ContainsKey(path), $"{path} is missing from the OpenAPI document");
        Assert.NotNull(Json.Walk(document, "components.schemas.MilestoneJson"));
    }
}

public sealed class SqliteContractsApi(SqliteEngine engine) : ContractsApiTests<SqliteEngine>(engine);

public sealed class PostgresContractsApi(PostgresEngine engine) : ContractsApiTests<PostgresEngine>(engine);
