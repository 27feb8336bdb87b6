using System.Text.Json.Nodes;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>Small builders for contracts and milestones, made through the API as a user would.</summary>
public static class Plans
{
    /// <summary>Cairn's built-in "Website 30/40/30" template.</summary>
    public const string WebsiteTemplate = "0190a000-0000-7000-8000-000000000001";

    /// <summary>Cairn's built-in "Fixed fee 40/30/30" template, whose first milestone is a deposit.</summary>
    public const string FixedFeeTemplate = "0190a000-0000-7000-8000-000000000005";

    /// <summary>Creates a client; returns its id.</summary>
    public static async Task<string> ClientAsync(ApiClient api, string name = "Globex") =>
        (await api.PostOkAsync("/api/v1/clients", new { name, email = "ap@globex.test", address = "2 Main St" })).Str("id");

    /// <summary>Creates a draft contract for a new client, optionally from a template.</summary>
    public static async Task<JsonNode> ContractAsync(ApiClient api, string value = "10000.00", string? templateId = null, int? approvalWindowDays = null, string taxRate = "20")
    {
        var clientId = await ClientAsync(api);
        return await api.PostOkAsync("/api/v1/contracts", new
        {
            clientId,
            title = "Website relaunch",
            value = new { amount = value, currency = "EUR" },
            taxRate,
            paymentTermsDays = 30,
            approvalWindowDays,
            templateId,
        });
    }

    /// <summary>An active contract from the Website 30/40/30 template; returns it with its milestones.</summary>
    public static async Task<JsonNode> ActiveWebsiteContractAsync(ApiClient api, string value = "10000.00", int? approvalWindowDays = null)
    {
        var contract = await ContractAsync(api, value, WebsiteTemplate, approvalWindowDays);
        return await api.PostOkAsync($"/api/v1/contracts/{contract.Str("id")}/activate");
    }

    /// <summary>Starts and submits a milestone with a note and a link.</summary>
    public static async Task<JsonNode> DeliverAsync(ApiClient api, string milestoneId)
    {
        await api.PostOkAsync($"/api/v1/milestones/{milestoneId}/start");
        return await api.PostOkAsync($"/api/v1/milestones/{milestoneId}/submit", new { note = "Delivered as agreed.", links = new[] { "https://files.example.test/delivery.zip" } });
    }

    /// <summary>The ids of a contract's milestones, in plan order.</summary>
    public static List<string> MilestoneIds(JsonNode contract) =>
        contract["milestones"]!.AsArray().Select(m => m!.Str("id")).ToList();

    /// <summary>Opens the portal as a contact through a new link (not emailed), with a known user agent; returns the browser and the link's id.</summary>
    public static async Task<(Browser Browser, string LinkId)> OpenPortalAsync(CairnApp app, ApiClient api, string clientId, string contactId, string userAgent)
    {
        var created = await api.PostOkAsync($"/api/v1/clients/{clientId}/contacts/{contactId}/portal-links", new { sendEmail = false });
        var browser = new Browser(app);
        browser.Http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await browser.GetAsync(new Uri(created.Str("url")).PathAndQuery)).Status);
        return (browser, created.Str("link.id"));
    }
}
