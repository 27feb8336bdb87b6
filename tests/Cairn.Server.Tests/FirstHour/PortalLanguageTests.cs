using System.Net;
using Cairn.Domain;
using Cairn.Server.Localization;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.FirstHour;

/// <summary>Issue 12, localization: the portal speaks the client's language, with its dates and number formats.</summary>
public abstract class PortalLanguageTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task A_german_client_reads_its_portal_in_german_with_german_numbers_and_dates()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("owner"));
        // Website 30/40/30 of 4,115.20: the first milestone is 1,234.56 net.
        var contract = await Plans.ActiveWebsiteContractAsync(org.Api, "4115.20");
        var milestone = Plans.MilestoneIds(contract)[0];
        await Plans.DeliverAsync(org.Api, milestone);
        var clientId = contract.Str("clientId");
        await org.Api.PatchOkAsync($"/api/v1/clients/{clientId}", new { language = "de" });
        var contact = (await org.Api.PostOkAsync($"/api/v1/clients/{clientId}/contacts", new { name = "Greta", email = Staff.Email("greta") })).Str("id");
        var link = await org.Api.PostOkAsync($"/api/v1/clients/{clientId}/contacts/{contact}/portal-links", new { sendEmail = false });
        var browser = new Browser(_app);
        await browser.GetAsync(new Uri(link.Str("url")).PathAndQuery);

        var (status, page, _) = await browser.GetAsync("/portal");
        var html = WebUtility.HtmlDecode(page);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<html lang=\"de\">", html);
        Assert.Contains("Wartet auf Sie", html);
        Assert.Contains("Gelieferte Arbeit zur Prüfung:", html);
        Assert.Contains("(1.234,56 EUR netto)", html);
        Assert.Contains("Verträge", html);
        Assert.Contains("4.115,20 EUR", html);
        Assert.DoesNotContain("Waiting for you", html);
        Assert.DoesNotContain("1,234.56", html);

        // The same portal in English for an English client: one catalogue, chosen per client.
        await org.Api.PatchOkAsync($"/api/v1/clients/{clientId}", new { language = "en" });
        var english = WebUtility.HtmlDecode((await browser.GetAsync("/portal")).Html);
        Assert.Contains("<html lang=\"en\">", english);
        Assert.Contains("Waiting for you", english);
        Assert.Contains("(1,234.56 EUR net)", english);
    }

    [Fact]
    public async Task Each_language_shows_the_contract_page_and_the_approval_step_in_its_own_words_and_numbers()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("owner"));
        var contract = await Plans.ActiveWebsiteContractAsync(org.Api, "12000.00");
        var id = contract.Str("id");
        var milestone = Plans.MilestoneIds(contract)[0];
        await Plans.DeliverAsync(org.Api, milestone);
        var clientId = contract.Str("clientId");
        var contact = (await org.Api.PostOkAsync($"/api/v1/clients/{clientId}/contacts", new { name = "Greta", email = Staff.Email("greta") })).Str("id");
        var link = await org.Api.PostOkAsync($"/api/v1/clients/{clientId}/contacts/{contact}/portal-links", new { sendEmail = false });
        var browser = new Browser(_app);
        await browser.GetAsync(new Uri(link.Str("url")).PathAndQuery);

        foreach (var (code, language, gross) in new[] { ("fr", Language.Fr, "4\u00A0320,00 EUR"), ("nl", Language.Nl, "4.320,00 EUR"), ("es", Language.Es, "4.320,00 EUR") })
        {
            await org.Api.PatchOkAsync($"/api/v1/clients/{clientId}", new { language = code });
            var words = Wording.For(language).Portal;
            var page = WebUtility.HtmlDecode((await browser.GetAsync($"/portal/contracts/{id}")).Html);
            var confirm = await browser.GetAsync($"/portal/contracts/{id}/milestones/{milestone}/approve");
            var step = WebUtility.HtmlDecode(confirm.Html);

            Assert.Contains($"<html lang=\"{code}\">", page);
            Assert.Contains(words.AllContracts, page);
            Assert.Contains($">{words.States["submitted"]}</span>", page);
            Assert.Equal(HttpStatusCode.OK, confirm.Status);
            Assert.Contains(words.WhatApprovingDoes, step);
            Assert.Contains(Wording.Format(words.ApproveAndReceive, gross), step);
            Assert.DoesNotContain("4,320.00", step);
        }
    }
}

public sealed class SqlitePortalLanguage(SqliteEngine engine) : PortalLanguageTests<SqliteEngine>(engine);

public sealed class PostgresPortalLanguage(PostgresEngine engine) : PortalLanguageTests<PostgresEngine>(engine);
