using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Server.Outbox;
using Cairn.Server.Tests.Infrastructure;
using Cairn.Server.Webhooks;

namespace Cairn.Server.Tests.Webhooks;

/// <summary>Issue 14 item 5: signed webhooks to a real receiver on loopback, retried, disabled, rotated, and kept from internal addresses.</summary>
public abstract class WebhookTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private WebhookReceiver _receiver = null!;
    private CairnApp _app = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _app = new CairnApp(engine) { Settings = WebhookReceiver.AllowLoopback() };
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Every_subscribed_event_arrives_signed_and_a_body_changed_by_one_byte_does_not_verify()
    {
        var api = await _app.NewOrganizationAsync();
        var created = await api.PostOkAsync("/api/v1/webhook-endpoints", new { url = _receiver.Url, eventTypes = new[] { EventTypes.MilestoneApproved, EventTypes.InvoiceIssued }, description = "ERP" });
        var secret = created.Str("secret");
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        _receiver.Secret = secret;

        var approved = await ApproveFirstMilestoneAsync(api);
        await Mailbox.Deliver(_app);

        var received = _receiver.Received.ToList();
        // Each event is its own delivery, retried on its own: they may arrive in either order.
        Assert.Equal([EventTypes.InvoiceIssued, EventTypes.MilestoneApproved], received.Select(r => JsonNode.Parse(r.Body)!.Str("type")).Order(StringComparer.Ordinal));
        Assert.All(received, r => Assert.Equal(200, r.Answered));
        Assert.All(received, r => Assert.True(WebhookReceiver.Verifies(r, secret)));
        var issued = received.Single(r => JsonNode.Parse(r.Body)!.Str("type") == EventTypes.InvoiceIssued);
        var invoice = JsonNode.Parse(issued.Body)!;
        Assert.Equal(approved.Str("invoice.id"), invoice.Str("data.invoiceId"));
        Assert.Equal("3600.00", invoice.Str("data.gross.amount"));
        // One byte of the body changed: the StandardWebhooks verifier refuses it.
        var tampered = issued.Body.Replace("3600.00", "3600.01", StringComparison.Ordinal);
        Assert.False(WebhookReceiver.Verifies(issued, secret, tampered));

        // The secret is shown once, and stored only encrypted.
        var endpoint = await api.GetOkAsync($"/api/v1/webhook-endpoints/{created.Str("endpoint.id")}");
        Assert.Null(endpoint["secret"]);
        Assert.False(await DatabaseScan.ContainsAsync(engine, secret));
        var log = await api.GetOkAsync($"/api/v1/webhook-endpoints/{created.Str("endpoint.id")}/deliveries");
        var first = log["data"]!.AsArray().Single(d => d!.Str("eventType") == EventTypes.InvoiceIssued)!;
        Assert.Equal("delivered", first.Str("status"));
        Assert.Equal(issued.Id, first.Str("webhookId"));
        Assert.Equal(200, (int)first["attemptLog"]![0]!["statusCode"]!);
        Assert.Equal("thanks", first["attemptLog"]![0]!.Str("response"));
    }

    [Fact]
    public async Task A_failing_delivery_is_retried_on_its_backoff_with_the_same_webhook_id_signed_afresh_each_time()
    {
        var api = await _app.NewOrganizationAsync();
        var (endpointId, secret) = await EndpointAsync(api, EventTypes.MilestoneApproved);
        _receiver.AnswerNext(500);
        _receiver.AnswerNext(502);

        await ApproveFirstMilestoneAsync(api);
        await Mailbox.Deliver(_app);
        var delivery = await OnlyDeliveryAsync(api, endpointId);
        Assert.Equal("pending", delivery.Str("status"));
        var webhookId = delivery.Str("webhookId");
        var firstWait = WebhookDispatcher.Backoff(1, webhookId, 30);
        Assert.InRange(firstWait, TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(36));
        Assert.Equal(_app.Clock.GetUtcNow() + firstWait, DateTimeOffset.Parse(delivery.Str("nextAttemptAt"), CultureInfo.InvariantCulture));

        // Not due yet: nothing is sent.
        _app.Clock.Advance(firstWait - TimeSpan.FromSeconds(1));
        await Mailbox.Deliver(_app);
        Assert.Single(_receiver.Received);

        _app.Clock.Advance(TimeSpan.FromSeconds(1));
        await Mailbox.Deliver(_app);
        var secondWait = WebhookDispatcher.Backoff(2, webhookId, 30);
        Assert.InRange(secondWait, TimeSpan.FromSeconds(48), TimeSpan.FromSeconds(72));
        _app.Clock.Advance(secondWait);
        await Mailbox.Deliver(_app);

        var received = _receiver.Received.ToList();
        Assert.Equal([500, 502, 200], received.Select(r => r.Answered));
        Assert.Equal([1, 2, 3], received.Select(r => r.Attempt));
        Assert.All(received, r => Assert.Equal(webhookId, r.Id));
        Assert.All(received, r => Assert.True(WebhookReceiver.Verifies(r, secret)));
        delivery = await OnlyDeliveryAsync(api, endpointId);
        Assert.Equal("delivered", delivery.Str("status"));
        Assert.Equal([500, 502, 200], delivery["attemptLog"]!.AsArray().Select(a => (int)a!["statusCode"]!));
        Assert.Equal("HTTP 500 Internal Server Error", delivery["attemptLog"]![0]!.Str("error"));
    }

    [Fact]
    public async Task Retry_After_is_honoured_in_seconds_and_as_an_HTTP_date()
    {
        var api = await _app.NewOrganizationAsync();
        var (endpointId, _) = await EndpointAsync(api, EventTypes.MilestoneApproved);
        _receiver.AnswerNext(503, retryAfter: "120");
        _receiver.AnswerNext(429, retryAfter: (_app.Clock.GetUtcNow() + TimeSpan.FromMinutes(120)).ToString("R", CultureInfo.InvariantCulture));

        await ApproveFirstMilestoneAsync(api);
        await Mailbox.Deliver(_app);
        Assert.Equal(_app.Clock.GetUtcNow() + TimeSpan.FromSeconds(120), NextAttempt(await OnlyDeliveryAsync(api, endpointId)));

        _app.Clock.Advance(TimeSpan.FromSeconds(119));
        await Mailbox.Deliver(_app);
        Assert.Single(_receiver.Received);
        _app.Clock.Advance(TimeSpan.FromSeconds(1));
        await Mailbox.Deliver(_app);
        Assert.Equal(2, _receiver.Received.Count);
        // The date said two hours after the test began; two minutes of it have passed.
        Assert.Equal(_app.Clock.GetUtcNow() + TimeSpan.FromMinutes(118), NextAttempt(await OnlyDeliveryAsync(api, endpointId)));
    }

    [Fact]
    public async Task A_410_disables_the_endpoint_and_later_events_are_not_sent_to_it()
    {
        var api = await _app.NewOrganizationAsync();
        var (endpointId, _) = await EndpointAsync(api);
        _receiver.DefaultStatus = 410;

        var contract = await Plans.ActiveWebsiteContractAsync(api);
        await Mailbox.Deliver(_app);
        var endpoint = await api.GetOkAsync($"/api/v1/webhook-endpoints/{endpointId}");
        Assert.False((bool)endpoint["enabled"]!);
        Assert.Contains("410", endpoint.Str("disabledReason"), StringComparison.Ordinal);
        var sent = _receiver.Received.Count;

        await Plans.DeliverAsync(api, Plans.MilestoneIds(contract)[0]);
        await Mailbox.Deliver(_app);
        Assert.Equal(sent, _receiver.Received.Count);
        // Resending is refused until a person enables it again.
        var delivery = (await api.GetOkAsync($"/api/v1/webhook-endpoints/{endpointId}/deliveries"))["data"]![0]!;
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/webhook-deliveries/{delivery.Str("id")}/resend", new { }), 409);
    }

    [Fact]
    public async Task Deliveries_failing_for_the_whole_retry_window_disable_the_endpoint_and_email_the_owner()
    {
        await using var app = new CairnApp(engine) { Settings = new Dictionary<string, string?>(WebhookReceiver.AllowLoopback()) { ["Cairn:Webhooks:RetryHours"] = "1" } };
        var api = await app.NewOrganizationAsync();
        var (endpointId, _) = await EndpointAsync(api, EventTypes.MilestoneApproved);
        _receiver.DefaultStatus = 500;

        await ApproveFirstMilestoneAsync(api);
        await Mailbox.Deliver(app);
        var start = app.Clock.GetUtcNow();
        for (var i = 0; i < 30 && (await OnlyDeliveryAsync(api, endpointId)).Str("status") == "pending"; i++)
        {
            app.Clock.SetUtcNow(NextAttempt(await OnlyDeliveryAsync(api, endpointId)));
            await Mailbox.Deliver(app);
        }

        var delivery = await OnlyDeliveryAsync(api, endpointId);
        Assert.Equal("failed", delivery.Str("status"));
        // 30 s doubling with jitter: the last attempt is within the hour, the next would not be.
        Assert.InRange(app.Clock.GetUtcNow() - start, TimeSpan.FromMinutes(20), TimeSpan.FromHours(1));
        Assert.Equal(delivery["attemptLog"]!.AsArray().Count, _receiver.Received.Count);
        var endpoint = await api.GetOkAsync($"/api/v1/webhook-endpoints/{endpointId}");
        Assert.False((bool)endpoint["enabled"]!);
        var mail = Mailbox.LastTo(app, "billing@acme.test");
        Assert.Contains("Webhook endpoint disabled", mail.Subject, StringComparison.Ordinal);
        Assert.Contains(_receiver.Url, mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_rotation_both_secrets_verify_for_24_hours_then_only_the_new_one()
    {
        var api = await _app.NewOrganizationAsync();
        var (endpointId, oldSecret) = await EndpointAsync(api, EventTypes.ContractActivated);
        var rotated = await api.PostOkAsync($"/api/v1/webhook-endpoints/{endpointId}/rotate-secret");
        var newSecret = rotated.Str("secret");
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(_app.Clock.GetUtcNow() + TimeSpan.FromHours(24), DateTimeOffset.Parse(rotated.Str("endpoint.previousSecretExpiresAt"), CultureInfo.InvariantCulture));

        await Plans.ActiveWebsiteContractAsync(api);
        await Mailbox.Deliver(_app);
        var during = Assert.Single(_receiver.Received);
        Assert.True(WebhookReceiver.Verifies(during, oldSecret));
        Assert.True(WebhookReceiver.Verifies(during, newSecret));

        _app.Clock.Advance(TimeSpan.FromHours(24));
        await Plans.ActiveWebsiteContractAsync(api);
        await Mailbox.Deliver(_app);
        var after = _receiver.Received.Last();
        Assert.NotEqual(during.Id, after.Id);
        Assert.False(WebhookReceiver.Verifies(after, oldSecret));
        Assert.True(WebhookReceiver.Verifies(after, newSecret));
    }

    [Fact]
    public async Task Resend_makes_a_new_attempt_with_the_same_webhook_id()
    {
        var api = await _app.NewOrganizationAsync();
        var (endpointId, _) = await EndpointAsync(api, EventTypes.ContractActivated);
        await Plans.ActiveWebsiteContractAsync(api);
        await Mailbox.Deliver(_app);
        var delivery = await OnlyDeliveryAsync(api, endpointId);

        var resent = await api.PostOkAsync($"/api/v1/webhook-deliveries/{delivery.Str("id")}/resend");
        Assert.Equal("pending", resent.Str("status"));
        await Mailbox.Deliver(_app);

        Assert.Equal([1, 2], _receiver.Received.Select(r => r.Attempt));
        Assert.Single(_receiver.Received.Select(r => r.Id).Distinct());
        Assert.Equal(2, (await OnlyDeliveryAsync(api, endpointId))["attemptLog"]!.AsArray().Count);
    }

    [Fact]
    public async Task Endpoints_are_changed_and_deleted_and_bad_fields_are_named()
    {
        var api = await _app.NewOrganizationAsync();
        await Json.ProblemAsync(await api.PostAsync("/api/v1/webhook-endpoints", new { url = _receiver.Url, eventTypes = new[] { "invoice.emailed" } }), 400, "unknown_event_type", "eventTypes");
        await Json.ProblemAsync(await api.PostAsync("/api/v1/webhook-endpoints", new { url = "ftp://hooks.example.com/x" }), 400, "invalid_url", "url");
        await Json.ProblemAsync(await api.PostAsync("/api/v1/webhook-endpoints", new { url = "http://hooks.example.com/x" }), 400, "https_required", "url");
        await Json.ProblemAsync(await api.PostAsync("/api/v1/webhook-endpoints", new { description = "no url" }), 400, null, "url");
        var (endpointId, _) = await EndpointAsync(api);

        var response = await api.GetAsync($"/api/v1/webhook-endpoints/{endpointId}");
        var changed = await api.PatchOkAsync($"/api/v1/webhook-endpoints/{endpointId}", new { description = "Accounting", eventTypes = new[] { EventTypes.InvoicePaid } }, response.Headers.ETag!.ToString());
        Assert.Equal("Accounting", changed.Str("description"));
        Assert.Equal([EventTypes.InvoicePaid], changed["eventTypes"]!.AsArray().Select(t => (string)t!));
        await Json.ProblemAsync(await api.PatchAsync($"/api/v1/webhook-endpoints/{endpointId}", new { description = "stale" }, response.Headers.ETag!.ToString()), 412);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await api.Http.DeleteAsync($"/api/v1/webhook-endpoints/{endpointId}")).StatusCode);
        await Json.ProblemAsync(await api.GetAsync($"/api/v1/webhook-endpoints/{endpointId}"), 404);
        Assert.Empty((await api.GetOkAsync("/api/v1/webhook-endpoints"))["data"]!.AsArray());
        await Plans.ActiveWebsiteContractAsync(api);
        await Mailbox.Deliver(_app);
        Assert.Empty(_receiver.Received);
        var finance = await _app.WithRoleAsync(api, Cairn.Server.Identity.Role.Finance);
        await Json.ProblemAsync(await finance.GetAsync("/api/v1/webhook-endpoints"), 403);
    }

    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://10.20.30.40/hook")]
    [InlineData("https://192.168.1.10/hook")]
    [InlineData("https://100.64.0.1/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[fd00::1]/hook")]
    [InlineData("https://0.0.0.0/hook")]
    [InlineData("https://localhost/hook")]
    public async Task Urls_reaching_inside_are_refused_without_the_allow_list(string url)
    {
        await using var app = new CairnApp(engine);
        var api = await app.NewOrganizationAsync();

        await Json.ProblemAsync(await api.PostAsync("/api/v1/webhook-endpoints", new { url }), 400, "url_forbidden_address", "url");
        Assert.Empty((await api.GetOkAsync("/api/v1/webhook-endpoints"))["data"]!.AsArray());
    }

    [Fact]
    public async Task An_instance_without_the_allow_list_refuses_to_connect_to_a_loopback_endpoint()
    {
        var api = await _app.NewOrganizationAsync();
        var (endpointId, _) = await EndpointAsync(api, EventTypes.ContractActivated);
        await using var strict = new CairnApp(engine);
        var strictApi = new ApiClient(strict.CreateClient(), api.Key, api.OrganizationId);

        await Plans.ActiveWebsiteContractAsync(strictApi);
        await Mailbox.Deliver(strict);

        Assert.Empty(_receiver.Received);
        var delivery = await OnlyDeliveryAsync(api, endpointId);
        Assert.Equal("pending", delivery.Str("status"));
        Assert.Contains("internal addresses", delivery["attemptLog"]![0]!.Str("error"), StringComparison.Ordinal);
        Assert.Null(delivery["attemptLog"]![0]!["statusCode"]);
    }

    [Fact]
    public async Task Two_instances_on_one_database_deliver_each_event_once_per_endpoint()
    {
        var api = await _app.NewOrganizationAsync();
        var (first, _) = await EndpointAsync(api);
        var (second, _) = await EndpointAsync(api);
        await using var other = new CairnApp(engine) { Settings = WebhookReceiver.AllowLoopback() };
        var contract = await Plans.ActiveWebsiteContractAsync(api);
        foreach (var milestone in Plans.MilestoneIds(contract))
        {
            await Plans.DeliverAsync(api, milestone);
            await api.PostOkAsync($"/api/v1/milestones/{milestone}/approve");
        }

        await Task.WhenAll(Task.Run(() => Mailbox.Deliver(_app)), Task.Run(() => Mailbox.Deliver(other)));
        await Mailbox.Deliver(_app);

        var events = await EventIdsAsync(api);
        var received = _receiver.Received.ToList();
        Assert.All(received, r => Assert.Equal(200, r.Answered));
        Assert.Equal(2 * events.Count, received.Count);
        Assert.Equal(received.Count, received.Select(r => r.Id).Distinct().Count());
        foreach (var endpoint in new[] { first, second })
            Assert.Equal(events.Select(e => $"msg_{e:N}_{Guid.Parse(endpoint):N}").Order(), received.Select(r => r.Id).Where(id => id.EndsWith(Guid.Parse(endpoint).ToString("N"), StringComparison.Ordinal)).Order());
    }

    [Fact]
    public async Task An_owner_adds_an_endpoint_in_Settings_sees_its_secret_once_and_reads_its_delivery_log()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var owner = new Browser(_app);
        await owner.SignInAsync(org.OwnerEmail, org.OwnerPassword);
        await owner.GetAsync("/settings/webhooks");

        var refused = await owner.PostFormAsync("/settings/webhooks?handler=Create", new Dictionary<string, string> { ["EndpointUrl"] = "https://169.254.169.254/latest" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("internal address", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var created = await owner.Http.PostAsync("/settings/webhooks?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["EndpointUrl"] = _receiver.Url, ["Description"] = "Accounting", ["Types"] = EventTypes.ContractActivated, ["__RequestVerificationToken"] = owner.Token!,
        }));
        var html = await created.Content.ReadAsStringAsync();
        // The page HTML-encodes the secret (+ becomes &#x2B;), as any text.
        var secret = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "data-secret>(whsec_[^<]+)<").Groups[1].Value);
        Assert.NotEmpty(secret);
        Assert.True(created.Headers.CacheControl?.NoStore);

        await Plans.ActiveWebsiteContractAsync(org.Api);
        await Mailbox.Deliver(_app);
        Assert.True(WebhookReceiver.Verifies(Assert.Single(_receiver.Received), secret));
        var endpointId = (await org.Api.GetOkAsync("/api/v1/webhook-endpoints"))["data"]![0]!.Str("id");
        var (_, log, _) = await owner.GetAsync($"/settings/webhooks?endpoint={endpointId}");
        Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        Assert.Contains(EventTypes.ContractActivated, log, StringComparison.Ordinal);
        Assert.Contains("200 in", log, StringComparison.Ordinal);
        Assert.Contains("delivered", log, StringComparison.Ordinal);
    }

    private async Task<(string Id, string Secret)> EndpointAsync(ApiClient api, params string[] types)
    {
        var created = await api.PostOkAsync("/api/v1/webhook-endpoints", new { url = _receiver.Url, eventTypes = types });
        return (created.Str("endpoint.id"), created.Str("secret"));
    }

    private static async Task<JsonNode> ApproveFirstMilestoneAsync(ApiClient api)
    {
        var contract = await Plans.ActiveWebsiteContractAsync(api);
        var milestone = Plans.MilestoneIds(contract)[0];
        await Plans.DeliverAsync(api, milestone);
        return await api.PostOkAsync($"/api/v1/milestones/{milestone}/approve");
    }

    private static async Task<JsonNode> OnlyDeliveryAsync(ApiClient api, string endpointId) =>
        Assert.Single((await api.GetOkAsync($"/api/v1/webhook-endpoints/{endpointId}/deliveries"))["data"]!.AsArray())!;

    private static DateTimeOffset NextAttempt(JsonNode delivery) => DateTimeOffset.Parse(delivery.Str("nextAttemptAt"), CultureInfo.InvariantCulture);

    private async Task<List<Guid>> EventIdsAsync(ApiClient api)
    {
        await using var db = engine.NewDb(api.OrganizationId);
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.OutboxMessages.Where(m => m.Kind == OutboxMessage.EventKind).Select(m => m.Id));
    }
}

public sealed class SqliteWebhooks(SqliteEngine engine) : WebhookTests<SqliteEngine>(engine);

public sealed class PostgresWebhooks(PostgresEngine engine) : WebhookTests<PostgresEngine>(engine);
