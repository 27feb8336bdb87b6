using System.Text;
using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Api;

/// <summary>
/// The IDOR sweep: organization A's owner walks every route of the OpenAPI document with the ids
/// of organization B's data, with bodies that would be valid for B (files as multipart uploads). Every answer is 404 (or
/// 403), never data, and B's data is exactly as before.
/// </summary>
public abstract class IdorSweepTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        // Organization B's webhook endpoint listens on loopback (a closed port: nothing leaves the machine).
        _app = new CairnApp(engine) { Settings = new Dictionary<string, string?> { ["Cairn:Webhooks:AllowedHosts"] = "127.0.0.1" } };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Organization_A_gets_404_on_every_route_with_organization_B_ids_and_B_is_untouched()
    {
        var a = await _app.NewOrganizationAsync("Acme");
        await Plans.ActiveWebsiteContractAsync(a);
        var b = await _app.NewOrganizationAsync("Bravo");
        var ids = await WorldOfAsync(_app, b);
        var before = await FingerprintAsync();
        var document = await a.GetOkAsync("/openapi/v1.json");
        var leaks = new List<string>();
        var swept = 0;

        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            if (!template.StartsWith("/api/v1", StringComparison.Ordinal))
                continue;
            foreach (var (verb, _) in item!.AsObject())
            {
                if (verb is not ("get" or "post" or "patch" or "delete"))
                    continue;
                var method = new HttpMethod(verb.ToUpperInvariant());
                foreach (var (path, body) in Requests(method, template, ids))
                {
                    swept++;
                    using var response = await a.SendAsync(method, path, body);
                    var status = (int)response.StatusCode;
                    var text = await response.Content.ReadAsStringAsync();

                    // An id of B named in a body gets the same answer as an id that exists nowhere.
                    var unknownInBody = status == 400 && text.Contains("\"code\":\"unknown_", StringComparison.Ordinal);
                    if (status is not (404 or 403) && !unknownInBody)
                        leaks.Add($"{status} {method} {path}: {Shorten(text)}");
                }
            }
        }

        Assert.True(leaks.Count == 0, $"{leaks.Count} of {swept} cross-organization requests were not refused:\n" + string.Join("\n", leaks));
        Assert.True(swept >= 40, $"only {swept} routes swept");
        Assert.Equal(before, await FingerprintAsync());
    }

    /// <summary>The requests for one route: its path filled with B's ids, with a body B could send; plus ids of B named in the body of A's own collections.</summary>
    private static IEnumerable<(string Path, object? Body)> Requests(HttpMethod method, string template, Dictionary<string, string> ids)
    {
        var key = $"{method.Method} {template}";
        if (!template.Contains('{', StringComparison.Ordinal))
        {
            switch (key)
            {
                case "GET /api/v1/audit":
                    yield return ($"/api/v1/audit?entity=contract&id={ids["contracts"]}", null);
                    yield return ($"/api/v1/audit?entity=invoice&id={ids["invoices"]}", null);
                    break;
                case "POST /api/v1/payments":
                    yield return (template, new { clientId = ids["clients"], amount = Money("10.00"), receivedOn = "2026-11-20", method = "bank_transfer" });
                    yield return (template, new { clientId = ids["ownClient"], amount = Money("10.00"), receivedOn = "2026-11-20", method = "bank_transfer", invoiceIds = new[] { ids["invoices"] } });
                    break;
                case "POST /api/v1/contracts":
                    yield return (template, new { clientId = ids["clients"], title = "Stolen", value = Money("100.00"), taxRate = "20" });
                    yield return (template, new { clientId = ids["ownClient"], title = "Stolen", value = Money("100.00"), taxRate = "20", templateId = ids["templates"] });
                    break;
                case "POST /api/v1/refunds":
                    yield return (template, new { clientId = ids["clients"], amount = Money("10.00"), refundedOn = "2026-11-20", method = "bank_transfer" });
                    break;
                case "POST /api/v1/templates":
                    yield return (template, new { name = "Copy", copyFrom = ids["templates"] });
                    break;
            }

            yield break;
        }

        var path = FillPath(template, ids);
        if (method == HttpMethod.Get)
        {
            yield return (path, null);
            yield break;
        }

        if (method == HttpMethod.Post && template.EndsWith("/attachments", StringComparison.Ordinal))
        {
            // An upload B could send: a real PDF as multipart/form-data.
            yield return (path, Multipart.Of("sow.pdf", "%PDF-1.7\nsweep\n"u8.ToArray()));
            yield break;
        }

        yield return (path, key switch
        {
            "PATCH /api/v1/clients/{id}" => new { name = "Hacked" },
            "POST /api/v1/clients/{id}/contacts" => new { name = "Eve", email = "eve@example.test" },
            "PATCH /api/v1/users/{id}" => new { role = "owner" },
            "POST /api/v1/contracts/{id}/change-orders" => new { title = "Hijack", items = new[] { new { kind = "cancel", milestoneId = ids["plannedMilestone"] } } },
            "PATCH /api/v1/templates/{id}" => new { name = "Hacked" },
            "PATCH /api/v1/contracts/{id}" => new { title = "Hacked" },
            "POST /api/v1/contracts/{id}/propose" => new { contactId = ids["contacts"] },
            "POST /api/v1/contracts/{contractId}/milestones" => new { title = "Extra", amount = Money("1.00") },
            "POST /api/v1/invoices/{id}/lines" => new { description = "Extra", amount = Money("1.00"), tax = new { rate = "20" } },
            "PATCH /api/v1/milestones/{id}" => new { title = "Hacked" },
            "POST /api/v1/milestones/{id}/submit" => new { note = "Done", links = Array.Empty<string>() },
            "POST /api/v1/milestones/{id}/request-changes" or "POST /api/v1/milestones/{id}/dispute" => new { reason = "Because" },
            "POST /api/v1/invoices/{id}/credit-notes" => new { amount = Money("1.00"), reason = "Because" },
            "POST /api/v1/payments/{id}/reverse" => new { reason = "Bounced" },
            "POST /api/v1/refunds/{id}/reverse" => new { reason = "Returned" },
            "POST /api/v1/invoices/{id}/apply-credit" => new { },
            "POST /api/v1/disputes/{id}/resolve" => new { outcome = "accepted" },
            "POST /api/v1/milestones/{id}/comments" or "POST /api/v1/change-orders/{id}/comments" => new { body = "Hello @Grace" },
            "PATCH /api/v1/milestones/{id}/comments/{commentId}" or "PATCH /api/v1/change-orders/{id}/comments/{commentId}" => new { body = "Hacked" },
            "PATCH /api/v1/webhook-endpoints/{id}" => new { description = "Hacked" },
            _ => null,
        });
    }

    private static object Money(string amount) => new { amount, currency = "EUR" };

    private static string FillPath(string template, Dictionary<string, string> ids)
    {
        var parts = template.Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].StartsWith('{'))
                parts[i] = ids.TryGetValue(parts[i - 1], out var id) ? id : throw new InvalidOperationException($"The sweep has no id of organization B for '{parts[i - 1]}' in {template}; add one.");
        }

        return string.Join('/', parts);
    }

    /// <summary>Organization B with one of everything, made over its own API; returns the ids by collection name.</summary>
    private static async Task<Dictionary<string, string>> WorldOfAsync(CairnApp app, ApiClient b)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        ids["webhook-endpoints"] = (await b.PostOkAsync("/api/v1/webhook-endpoints", new { url = "http://127.0.0.1:9/hooks", eventTypes = new[] { "*" }, description = "Bravo's ERP" })).Str("endpoint.id");
        var contract = await Plans.ActiveWebsiteContractAsync(b);
        var milestones = Plans.MilestoneIds(contract);
        ids["contracts"] = contract.Str("id");
        ids["clients"] = contract.Str("clientId");
        ids["contacts"] = (await b.PostOkAsync($"/api/v1/clients/{ids["clients"]}/contacts", new { name = "Grace", email = "grace@bravo.test" })).Str("id");
        var proposed = await b.PostOkAsync("/api/v1/contracts", new { clientId = ids["clients"], title = "Bravo proposal", value = Money("1000.00"), taxRate = "20", templateId = Plans.WebsiteTemplate });
        ids["proposals"] = (await b.PostOkAsync($"/api/v1/contracts/{proposed.Str("id")}/propose", new { contactId = ids["contacts"] })).Str("pendingProposalId");
        ids["portal-links"] = (await b.PostOkAsync($"/api/v1/clients/{ids["clients"]}/contacts/{ids["contacts"]}/portal-links", new { sendEmail = false })).Str("link.id");
        ids["templates"] = (await b.PostOkAsync("/api/v1/templates", new { name = "Bravo plan", copyFrom = Plans.WebsiteTemplate })).Str("id");
        await Plans.DeliverAsync(b, milestones[0]);
        ids["invoices"] = (await b.PostOkAsync($"/api/v1/milestones/{milestones[0]}/approve")).Str("invoice.id");
        ids["credit-notes"] = (await b.PostOkAsync($"/api/v1/invoices/{ids["invoices"]}/credit-notes", new { amount = Money("100.00"), reason = "Goodwill" })).Str("id");
        ids["payments"] = (await b.PostOkAsync("/api/v1/payments", new { clientId = ids["clients"], amount = Money("500.00"), receivedOn = "2026-11-20", method = "bank_transfer" })).Str("id");
        await b.PostOkAsync("/api/v1/payments", new { clientId = ids["clients"], amount = new { amount = "50.00", currency = "USD" }, receivedOn = "2026-11-20", method = "bank_transfer" });
        ids["refunds"] = (await b.PostOkAsync("/api/v1/refunds", new { clientId = ids["clients"], amount = new { amount = "10.00", currency = "USD" }, refundedOn = "2026-11-21", method = "bank_transfer" })).Str("id");
        await Plans.DeliverAsync(b, milestones[1]);
        ids["milestones"] = milestones[1];
        ids["disputes"] = (await b.PostOkAsync($"/api/v1/milestones/{milestones[1]}/dispute", new { reason = "Not what we asked for" })).Str("openDispute.id");
        ids["plannedMilestone"] = milestones[2];
        ids["change-orders"] = (await b.PostOkAsync($"/api/v1/contracts/{ids["contracts"]}/change-orders", new { title = "Extra page", items = new[] { new { kind = "add", terms = new { title = "Extra page", amount = Money("100.00") } } } })).Str("id");
        await b.PostOkAsync($"/api/v1/change-orders/{ids["change-orders"]}/propose");
        await b.PostOkAsync($"/api/v1/change-orders/{ids["change-orders"]}/approve");
        ids["comments"] = (await b.PostOkAsync($"/api/v1/milestones/{milestones[1]}/comments", new { body = "Bravo's own words" })).Str("id");
        await b.PostOkAsync($"/api/v1/change-orders/{ids["change-orders"]}/comments", new { body = "About the extra page" });
        ids["users"] = (await b.PostOkAsync("/api/v1/users/invitations", new { email = "viewer@bravo.test", role = "viewer" })).Str("user.id");
        ids["api-keys"] = (await b.PostOkAsync("/api/v1/api-keys", new { name = "integration", role = "viewer" })).Str("key.id");
        ids["attachments"] = (await Json.OkAsync(await b.UploadAsync($"/api/v1/contracts/{ids["contracts"]}/attachments", "signed.pdf", "%PDF-1.7\nBravo\n"u8.ToArray()))).Str("id");
        await Mailbox.Deliver(app);
        ids["webhook-deliveries"] = (await b.GetOkAsync($"/api/v1/webhook-endpoints/{ids["webhook-endpoints"]}/deliveries"))["data"]!.AsArray()[0]!.Str("id");
        ids["ownClient"] = ids["clients"];
        return ids;
    }

    private async Task<string> FingerprintAsync()
    {
        await using var db = engine.NewDb();
        await db.Database.OpenConnectionAsync();
        var text = new StringBuilder();
        foreach (var table in new[] { "clients", "contacts", "templates", "contracts", "milestones", "milestone_events", "invoices", "credit_notes", "payments", "payment_applications", "refunds", "refund_parts", "change_orders", "disputes", "users", "api_keys", "portal_links", "audit_log", "proposals", "acceptances", "attachments", "file_blobs", "change_order_documents", "comments", "comment_edits", "webhook_endpoints" })
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table}";
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{table}={await command.ExecuteScalarAsync()};");
        }

        await using var versions = db.Database.GetDbConnection().CreateCommand();
        versions.CommandText = "SELECT (SELECT COALESCE(SUM(version), 0) FROM contracts) + (SELECT COALESCE(SUM(version), 0) FROM milestones) + (SELECT COALESCE(SUM(version), 0) FROM clients) + (SELECT COALESCE(SUM(version), 0) FROM templates) + (SELECT COUNT(*) FROM comments WHERE edited_at IS NOT NULL), (SELECT COALESCE(SUM(paid_minor + credited_minor), 0) FROM invoices)";
        await using var reader = await versions.ExecuteReaderAsync();
        await reader.ReadAsync();
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"versions={reader.GetValue(0)};settled={reader.GetValue(1)}");
        return text.ToString();
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}

public sealed class SqliteIdorSweep(SqliteEngine engine) : IdorSweepTests<SqliteEngine>(engine);

public sealed class PostgresIdorSweep(PostgresEngine engine) : IdorSweepTests<PostgresEngine>(engine);
