using System.Net;
using System.Text.RegularExpressions;
using Cairn.Server.Localization;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.FirstHour;

/// <summary>
/// Issue 12, localization: a client whose language is German walks through the whole portal (home,
/// contract, the approval step, approving, the flash, a refused form, an expired link) and the
/// proposal email, and reads German texts with German numbers; no English text of the portal's
/// catalogue shows on any page (so a page that hard-codes English fails this test).
/// </summary>
public abstract partial class GermanPortalWalkTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private CairnApp _app = null!;

    // What the seller wrote (titles, deliverables, acceptance criteria of the template): shown as written, in any language.
    private readonly List<string> _written = [];

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_german_client_walks_from_home_to_approval_and_an_expired_link_in_german()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("owner"));
        // Website 30/40/30 of 12,000.00 at 20% VAT: the first milestone is 3,600.00 net, 4,320.00 gross.
        var contract = await Plans.ActiveWebsiteContractAsync(org.Api, "12000.00");
        var id = contract.Str("id");
        var milestone = Plans.MilestoneIds(contract)[0];
        await org.Api.PostOkAsync($"/api/v1/milestones/{milestone}/start");
        await org.Api.PostOkAsync($"/api/v1/milestones/{milestone}/submit", new { note = "Wie vereinbart geliefert.", links = new[] { "https://files.example.test/lieferung.zip" } });
        var clientId = contract.Str("clientId");
        Written(contract);
        await org.Api.PatchOkAsync($"/api/v1/clients/{clientId}", new { language = "de" });
        var contact = (await org.Api.PostOkAsync($"/api/v1/clients/{clientId}/contacts", new { name = "Greta", email = Staff.Email("greta") })).Str("id");
        var link = await org.Api.PostOkAsync($"/api/v1/clients/{clientId}/contacts/{contact}/portal-links", new { sendEmail = false });
        var browser = new Browser(_app);
        await browser.GetAsync(new Uri(link.Str("url")).PathAndQuery);

        var milestones = Plans.MilestoneIds(contract);
        var order = (await org.Api.PostOkAsync($"/api/v1/contracts/{id}/change-orders", new { title = "Start streichen", reason = "Den Start übernehmen wir selbst.", items = new[] { new { kind = "cancel", milestoneId = milestones[2] } } })).Str("id");
        await org.Api.PostOkAsync($"/api/v1/change-orders/{order}/propose");
        await org.Api.PostOkAsync($"/api/v1/milestones/{milestone}/comments", new { body = "Die Entwürfe liegen bereit." });
        await Json.OkAsync(await org.Api.UploadAsync($"/api/v1/contracts/{id}/attachments", "vertrag.pdf", "%PDF-1.7\nVertrag\n"u8.ToArray()));

        var home = await GermanPageAsync(browser, "/portal");
        Assert.Contains("Wartet auf Sie", home);
        Assert.Contains("Arbeit prüfen", home);
        Assert.Contains("Mit der Freigabe werden 4.320,00 EUR in Rechnung gestellt (3.600,00 EUR netto).", home);
        Assert.Contains(">aktiv</span>", home);
        Assert.Contains("Neueste Kommentare", home);
        Assert.Contains("Änderung zur Entscheidung:", home);
        Assert.Contains("der Vertragswert ändert sich von 12.000,00 EUR auf <span data-change-value-after>8.400,00 EUR</span> (3.600,00 EUR weniger, netto)", home);

        var page = await GermanPageAsync(browser, $"/portal/contracts/{id}");
        Assert.Contains("Alle Verträge und Rechnungen", page);
        Assert.Contains("Wert 12.000,00 EUR (netto)", page);
        Assert.Contains(">geliefert</span>", page);
        Assert.Contains("Abnahmekriterien", page);
        Assert.Contains("Änderungen anfordern", page);
        Assert.Contains("Diesen Meilenstein beanstanden", page);
        Assert.Contains("aria-label=\"Unterhaltung zu ", page);
        Assert.Contains("<h4>Unterhaltung (1)</h4>", page);
        Assert.Contains("Vorgeschlagene Änderung: Start streichen", page);
        Assert.Contains("<caption>Nach Freigabe lautet der Plan</caption>", page);
        Assert.Contains("Planprüfung: Die Meilensteine ergeben genau den neuen Vertragswert von 8.400,00 EUR (3.600,00 EUR weniger als bisher).", page);
        Assert.Contains("aria-label=\"Änderung Start streichen freigeben\"", page);
        Assert.Contains("Verlauf von ", page);
        Assert.Contains("17 Byte · ", page);

        var approvePath = $"/portal/contracts/{id}/milestones/{milestone}/approve";
        var confirm = await GermanPageAsync(browser, approvePath);
        Assert.Contains("Was die Freigabe bewirkt", confirm);
        Assert.Contains("<td class=\"num\" data-net>3.600,00 EUR</td>", confirm);
        Assert.Contains("<th scope=\"row\">Zu zahlen</th><td class=\"num\" data-gross>4.320,00 EUR</td>", confirm);
        Assert.Contains("Freigeben und die Rechnung über 4.320,00 EUR erhalten", confirm);
        Assert.Contains("<title>", confirm);

        // A refused comment says why in German, above the form that was posted.
        var empty = await browser.PostFormAsync($"/portal/contracts/{id}?handler=Comment", new Dictionary<string, string> { ["subject"] = "Milestone", ["subjectId"] = milestone, ["Body"] = " " });
        var refused = Decoded(await empty.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("Bitte korrigieren Sie dies", refused);
        Assert.Contains("Schreiben Sie einen Kommentar.", refused);
        NoEnglishIn(refused);

        var approved = await browser.PostFormAsync($"/portal/contracts/{id}?handler=Approve", new Dictionary<string, string> { ["milestoneId"] = milestone });
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var after = await GermanPageAsync(browser, approved.Headers.Location!.OriginalString);
        Assert.Contains("<p class=\"flash\" role=\"status\">Vielen Dank: Der Meilenstein ist freigegeben.</p>", after);
        Assert.Contains(">freigegeben</span>", after);
        Assert.Contains(">berechnet</span>", after);
        var invoices = await GermanPageAsync(browser, "/portal");
        Assert.Contains("Zu zahlende Rechnung:", invoices);
        Assert.Contains("4.320,00 EUR fällig am ", invoices);

        // An expired link still names its client: the styled page says so in German, and not why.
        var shortLink = await org.Api.PostOkAsync($"/api/v1/clients/{clientId}/contacts/{contact}/portal-links", new { expiresInDays = 1, sendEmail = false });
        _app.Clock.Advance(TimeSpan.FromDays(2));
        var expired = await new Browser(_app).GetAsync(new Uri(shortLink.Str("url")).PathAndQuery);
        var expiredHtml = Decoded(expired.Html);
        Assert.Equal(HttpStatusCode.NotFound, expired.Status);
        Assert.Contains("<html lang=\"de\">", expiredHtml);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/cairn.css", expiredHtml);
        Assert.Contains("<h1>Dieser Link ist nicht gültig</h1>", expiredHtml);
        Assert.Contains("<title>Dieser Link ist nicht gültig · Cairn</title>", expiredHtml);
        NoEnglishIn(expiredHtml);

        // A link that names no one stays English.
        var unknown = await new Browser(_app).GetAsync("/portal/" + new string('x', 43));
        Assert.Contains("<html lang=\"en\">", unknown.Html);
        Assert.Contains("<h1>This link is not valid</h1>", unknown.Html);
    }

    [Fact]
    public async Task A_german_contact_receives_the_proposal_email_and_answers_the_proposal_in_german()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("owner"));
        var contract = await Plans.ContractAsync(org.Api, "10000.00", Plans.FixedFeeTemplate);
        var id = contract.Str("id");
        var clientId = contract.Str("clientId");
        Written(contract);
        await org.Api.PatchOkAsync($"/api/v1/clients/{clientId}", new { language = "de" });
        var contact = (await org.Api.PostOkAsync($"/api/v1/clients/{clientId}/contacts", new { name = "Xena", email = Staff.Email("xena") })).Str("id");
        var proposed = await org.Api.PostOkAsync($"/api/v1/contracts/{id}/propose", new { contactId = contact });

        var mail = Mailbox.All(_app).Last(m => m.To.Mailboxes.Any(b => b.Name == "Xena"));
        Assert.StartsWith("Angebot von ", mail.Subject, StringComparison.Ordinal);
        Assert.EndsWith(": Website relaunch", mail.Subject, StringComparison.Ordinal);
        foreach (var body in new[] { mail.TextBody, Decoded(mail.HtmlBody ?? "") })
        {
            Assert.Contains("Guten Tag Xena,", body, StringComparison.Ordinal);
            Assert.Contains("legt Ihnen „Website relaunch“ zur Annahme vor:", body, StringComparison.Ordinal);
            Assert.Contains("4.000,00 EUR", body, StringComparison.Ordinal);
            Assert.Contains("Vertragswert (netto): 10.000,00 EUR", body, StringComparison.Ordinal);
            Assert.Contains("Jede Rechnung ist 30 Tage nach ihrem Ausstellungsdatum fällig.", body, StringComparison.Ordinal);
            Assert.Contains("Sie brauchen kein Passwort", body, StringComparison.Ordinal);
            Assert.DoesNotContain("10,000.00", body, StringComparison.Ordinal);
            foreach (var english in new[] { "Hello", "proposes", "Contract value", "Each invoice", "password" })
                Assert.DoesNotContain(english, body, StringComparison.Ordinal);
        }

        var browser = new Browser(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(new Uri(Mailbox.LinkIn(mail, "/portal/")).PathAndQuery)).Status);
        var page = await GermanPageAsync(browser, $"/portal/contracts/{id}");
        Assert.Contains("Angebot zu Ihrer Annahme", page);
        Assert.Contains("Geben Sie zum Unterschreiben Ihren vollständigen Namen ein", page);
        Assert.Contains("Ich stimme diesem Angebot, seinem Plan und seinen Bedingungen zu", page);

        var unagreed = await browser.PostFormAsync($"/portal/contracts/{id}?handler=Accept", new Dictionary<string, string> { ["proposalId"] = proposed.Str("pendingProposalId"), ["TypedName"] = "Xena Warrior" });
        var refused = Decoded(await unagreed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, unagreed.StatusCode);
        Assert.Contains("Setzen Sie das Häkchen bei „Ich stimme zu“, um anzunehmen.", refused);
        NoEnglishIn(refused);
    }

    /// <summary>Opens a portal page, checks it is German and free of English catalogue texts, and gives its HTML decoded.</summary>
    private async Task<string> GermanPageAsync(Browser browser, string path)
    {
        var (status, html, _) = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        var page = Decoded(html);
        Assert.Contains("<html lang=\"de\">", page);
        Assert.Contains("Kundenportal", page);
        NoEnglishIn(page);
        return page;
    }

    private static string Decoded(string html) => WebUtility.HtmlDecode(html);

    private void Written(System.Text.Json.Nodes.JsonNode contract)
    {
        _written.Add(contract.Str("title"));
        foreach (var milestone in contract["milestones"]!.AsArray())
            _written.AddRange(new[] { "title", "deliverable", "acceptanceCriteria" }.Select(field => milestone!.Str(field)).Where(text => text.Length > 0));
    }

    /// <summary>
    /// Fails when a text of the English portal catalogue (each literal part of at least six letters, as a
    /// whole phrase) shows in what a person reads or hears: the page's text, its title and its aria-labels.
    /// English amounts (1,234.56) fail too.
    /// </summary>
    private void NoEnglishIn(string html)
    {
        var visible = Tags().Replace(Scripts().Replace(html, " "), " ");
        var heard = string.Join(" ", AriaLabels().Matches(html).Select(m => m.Groups[1].Value));
        var read = _written.Aggregate(visible + " " + heard, (text, written) => text.Replace(written, " ", StringComparison.Ordinal));
        foreach (var phrase in EnglishPhrases.Value)
        {
            var leak = Regex.Match(read, $@"(?<![\p{{L}}]){Regex.Escape(phrase)}(?![\p{{L}}])");
            Assert.False(leak.Success, $"English \"{phrase}\" on a German page: …{read[Math.Max(0, leak.Index - 60)..Math.Min(read.Length, leak.Index + 60)]}…");
        }
        Assert.DoesNotMatch(@"\d,\d{3}\.\d{2}", read);
    }

    private static readonly Lazy<IReadOnlyList<string>> EnglishPhrases = new(() =>
    {
        var english = PortalWording.English;
        var german = PortalWording.German;
        var texts = typeof(PortalWording).GetProperties().Where(p => p.PropertyType == typeof(string))
            .Select(p => ((string)p.GetValue(english)!, (string)p.GetValue(german)!))
            .Concat(english.States.Select(s => (s.Value, german.States[s.Key])));
        return [.. texts.Where(t => t.Item1 != t.Item2)
            .SelectMany(t => Placeholders().Split(t.Item1))
            .Select(part => part.Trim(' ', ',', '.', ':', '(', ')', '"', '?'))
            .Where(part => part.Count(char.IsLetter) >= 6 && part != "SHA-256")
            .Distinct()];
    });

    [GeneratedRegex(@"<script[\s\S]*?</script>")]
    private static partial Regex Scripts();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex("(?:aria-label|title)=\"([^\"]*)\"")]
    private static partial Regex AriaLabels();

    [GeneratedRegex(@"\{\d\}")]
    private static partial Regex Placeholders();
}

public sealed class SqliteGermanPortalWalk(SqliteEngine engine) : GermanPortalWalkTests<SqliteEngine>(engine);

public sealed class PostgresGermanPortalWalk(PostgresEngine engine) : GermanPortalWalkTests<PostgresEngine>(engine);
