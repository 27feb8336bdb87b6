using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cairn.Server.Tests.Documents;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Api;

/// <summary>
/// Issue 15: staff propose a draft contract to a client contact, who accepts it in the portal with a
/// typed name (the contract activates, deposits invoiced, an immutable acceptance record bound to the
/// SHA-256 of the PDF shown), declines it or asks for changes; a changed plan withdraws the proposal.
/// </summary>
public abstract class ProposalTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Accepting_the_proposal_in_the_portal_activates_the_contract_invoices_the_deposit_and_records_the_hash_of_the_PDF_shown()
    {
        var deal = await ProposedDealAsync();
        Assert.Equal("proposed", deal.Proposed.Str("status"));
        var browser = await deal.PortalAsync(_app);
        var page = await browser.GetAsync($"/portal/contracts/{deal.ContractId}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Proposal for your acceptance", page.Html, StringComparison.Ordinal);
        Assert.Contains("Each invoice is due 30 days after its issue date.", page.Html, StringComparison.Ordinal);
        var pdfAnswer = await browser.Http.GetAsync($"/portal/contracts/{deal.ContractId}/proposals/{deal.ProposalId}/pdf");
        Assert.Equal(HttpStatusCode.OK, pdfAnswer.StatusCode);
        var shown = await pdfAnswer.Content.ReadAsByteArrayAsync();
        var text = PdfText.Read(shown);
        text.Shows("PROPOSAL");
        text.Shows("Website relaunch");
        text.Shows("4,000.00");

        var accepted = await AcceptAsync(browser, deal, "Xena Warrior");

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var contract = await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}");
        Assert.Equal("active", contract.Str("status"));
        var invoices = (await deal.Api.GetOkAsync($"/api/v1/invoices?contractId={deal.ContractId}"))["data"]!.AsArray();
        var deposit = Assert.Single(invoices);
        Assert.Equal("4800.00", deposit!.Str("gross.amount"));
        var record = await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}/acceptance");
        Assert.Equal("portal", record.Str("method"));
        Assert.Equal("Xena Warrior", record.Str("typedName"));
        Assert.Equal("Xena", record.Str("contactName"));
        Assert.Equal(deal.ContactId, record.Str("contactId"));
        Assert.Equal(deal.ProposalId, record.Str("proposalId"));
        Assert.Equal(deal.LinkId, record.Str("portalLinkId"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(shown)), record.Str("proposalPdfSha256"));
        Assert.Equal(Seed.Now, DateTimeOffset.Parse(record.Str("acceptedAt"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("proposal-test/1.0", record.Str("userAgent"));
        var proposals = (await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}/proposals"))["data"]!.AsArray();
        Assert.Equal("accepted", Assert.Single(proposals)!.Str("status"));

        // The record is on the contract page, in the portal, and printed on the signed copy.
        var portal = await browser.GetAsync($"/portal/contracts/{deal.ContractId}");
        Assert.Contains(record.Str("proposalPdfSha256"), portal.Html, StringComparison.Ordinal);
        var staff = new Browser(_app);
        await staff.SignInAsync(deal.OwnerEmail, Infrastructure.Staff.Password);
        Assert.Contains(record.Str("proposalPdfSha256"), (await staff.GetAsync($"/contracts/{deal.ContractId}")).Html, StringComparison.Ordinal);
        var signed = await (await browser.Http.GetAsync($"/portal/contracts/{deal.ContractId}/acceptance/pdf")).Content.ReadAsByteArrayAsync();
        var signedText = PdfText.Read(signed);
        signedText.Shows("Xena Warrior");
        signedText.Shows(record.Str("proposalPdfSha256"));
        Assert.Equal(text.Pages.Count + 1, signedText.Pages.Count);
        PdfText.Read(await (await deal.Api.GetAsync($"/api/v1/contracts/{deal.ContractId}/acceptance/pdf")).Content.ReadAsByteArrayAsync()).Shows(record.Str("proposalPdfSha256"));
    }

    [Fact]
    public async Task A_name_with_an_ampersand_and_angle_brackets_leaves_the_XMP_of_the_proposal_and_its_signed_copy_well_formed()
    {
        var deal = await ProposedDealAsync(propose: false);
        const string name = "Smith & Sons <Ltd>";
        await deal.Api.PatchOkAsync("/api/v1/settings", new { name });
        await deal.Api.PatchOkAsync($"/api/v1/contracts/{deal.ContractId}", new { title = name });
        var proposed = await deal.Api.PostOkAsync($"/api/v1/contracts/{deal.ContractId}/propose", new { contactId = deal.ContactId });
        deal = deal with { ProposalId = proposed.Str("pendingProposalId") };
        var browser = await deal.PortalAsync(_app);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/portal/contracts/{deal.ContractId}")).Status);
        var proposal = await (await browser.Http.GetAsync($"/portal/contracts/{deal.ContractId}/proposals/{deal.ProposalId}/pdf")).Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await AcceptAsync(browser, deal, "Xena Warrior")).StatusCode);
        var signed = await (await deal.Api.GetAsync($"/api/v1/contracts/{deal.ContractId}/acceptance/pdf")).Content.ReadAsByteArrayAsync();

        foreach (var pdf in new[] { proposal, signed })
        {
            // poppler, an independent reader, shows the newest metadata stream; it parses as XML and keeps the name as typed.
            var xmp = System.Xml.Linq.XDocument.Parse(Poppler.Run("pdfinfo", pdf, "-meta").Trim());
            System.Xml.Linq.XNamespace dc = "http://purl.org/dc/elements/1.1/";
            Assert.Contains(name, xmp.Descendants(dc + "title").Single().Value, StringComparison.Ordinal);
            Assert.Equal(name, xmp.Descendants(dc + "creator").Single().Value.Trim());
            Assert.Matches($@"Author:\s+{System.Text.RegularExpressions.Regex.Escape(name)}\n", Poppler.Run("pdfinfo", pdf));
        }
    }

    [Fact]
    public async Task Proposing_emails_the_contact_the_plan_summary_and_a_portal_link_that_opens_the_proposal()
    {
        var deal = await ProposedDealAsync();

        var mail = Mailbox.All(_app).Last(m => m.To.Mailboxes.Any(b => b.Name == "Xena"));

        Assert.Contains("Website relaunch", mail.Subject, StringComparison.Ordinal);
        var text = mail.TextBody;
        Assert.Contains("Hello Xena,", text, StringComparison.Ordinal);
        Assert.Contains("4,000.00 EUR", text, StringComparison.Ordinal);
        Assert.Contains("Contract value (before tax): 10,000.00 EUR", text, StringComparison.Ordinal);
        Assert.Contains("Each invoice is due 30 days after its issue date.", text, StringComparison.Ordinal);
        Assert.Contains("Contract value (before tax): 10,000.00 EUR", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("Acme Studio", mail.From.Mailboxes.Single().Name);
        var browser = new Browser(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(new Uri(Mailbox.LinkIn(mail, "/portal/")).PathAndQuery)).Status);
        Assert.Contains($"data-waiting-proposal=\"{deal.ContractId}\"", (await browser.GetAsync("/portal")).Html, StringComparison.Ordinal);
        Assert.Contains("data-accept-form", (await browser.GetAsync($"/portal/contracts/{deal.ContractId}")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepting_twice_concurrently_activates_once_and_bills_the_deposit_once()
    {
        var deal = await ProposedDealAsync();
        var first = await deal.PortalAsync(_app);
        var second = await deal.PortalAsync(_app);
        await first.GetAsync($"/portal/contracts/{deal.ContractId}");
        await second.GetAsync($"/portal/contracts/{deal.ContractId}");

        var answers = await Task.WhenAll(AcceptAsync(first, deal, "Xena Warrior"), AcceptAsync(second, deal, "Xena Warrior"));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Redirect);
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Conflict);
        Assert.Single((await deal.Api.GetOkAsync($"/api/v1/invoices?contractId={deal.ContractId}"))["data"]!.AsArray());
        await using var db = engine.NewDb(deal.Api.OrganizationId);
        Assert.Equal(1, await db.Acceptances.CountAsync());
        Assert.Equal(Domain.ContractStatus.Active, (await db.Contracts.SingleAsync()).Status);
    }

    [Fact]
    public async Task A_changed_plan_withdraws_the_pending_proposal_and_its_acceptance_is_refused()
    {
        var deal = await ProposedDealAsync();
        var browser = await deal.PortalAsync(_app);
        await browser.GetAsync($"/portal/contracts/{deal.ContractId}");

        var changed = await deal.Api.PatchOkAsync($"/api/v1/contracts/{deal.ContractId}", new { paymentTermsDays = 14 });
        var stale = await AcceptAsync(browser, deal, "Xena Warrior");

        Assert.Equal("draft", changed.Str("status"));
        Assert.Null(changed["pendingProposalId"]);
        // Issue 15: the contact is told the proposal was withdrawn, not that it does not exist.
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("is no longer the offer", System.Net.WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync()));
        var declined = await browser.PostFormAsync($"/portal/contracts/{deal.ContractId}?handler=Decline", new Dictionary<string, string> { ["proposalId"] = deal.ProposalId, ["Reason"] = "Too late." });
        Assert.Equal(HttpStatusCode.Conflict, declined.StatusCode);
        Assert.Contains("is no longer the offer", System.Net.WebUtility.HtmlDecode(await declined.Content.ReadAsStringAsync()));
        Assert.Equal("draft", (await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}")).Str("status"));
        await Json.ProblemAsync(await deal.Api.GetAsync($"/api/v1/contracts/{deal.ContractId}/acceptance"), 404, "not_found");
        Assert.Empty((await deal.Api.GetOkAsync($"/api/v1/invoices?contractId={deal.ContractId}"))["data"]!.AsArray());
        var old = Assert.Single((await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}/proposals"))["data"]!.AsArray());
        Assert.Equal("superseded", old!.Str("status"));

        // Proposed again, the new proposal shows the new terms; the old one is still refused.
        var again = await deal.Api.PostOkAsync($"/api/v1/contracts/{deal.ContractId}/propose", new { contactId = deal.ContactId });
        await browser.GetAsync($"/portal/contracts/{deal.ContractId}");
        var replaced = await AcceptAsync(browser, deal, "Xena Warrior");
        Assert.Equal(HttpStatusCode.Conflict, replaced.StatusCode);
        Assert.Contains("is no longer the offer", System.Net.WebUtility.HtmlDecode(await replaced.Content.ReadAsStringAsync()));
        var renewed = deal with { ProposalId = again.Str("pendingProposalId") };
        Assert.Equal(HttpStatusCode.Redirect, (await AcceptAsync(browser, renewed, "Xena Warrior")).StatusCode);
        Assert.Equal("active", (await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}")).Str("status"));
    }

    [Fact]
    public async Task Asking_for_changes_or_declining_returns_the_contract_to_draft_with_the_reason()
    {
        var deal = await ProposedDealAsync();
        var browser = await deal.PortalAsync(_app);
        await browser.GetAsync($"/portal/contracts/{deal.ContractId}");

        var empty = await browser.PostFormAsync($"/portal/contracts/{deal.ContractId}?handler=RequestChanges", new Dictionary<string, string> { ["proposalId"] = deal.ProposalId, ["Reason"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("Say what should change in the proposal.", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("proposed", (await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}")).Str("status"));

        var asked = await browser.PostFormAsync($"/portal/contracts/{deal.ContractId}?handler=RequestChanges", new Dictionary<string, string> { ["proposalId"] = deal.ProposalId, ["Reason"] = "Split the design milestone in two." });
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        Assert.Equal("draft", (await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}")).Str("status"));
        var first = Assert.Single((await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}/proposals"))["data"]!.AsArray())!;
        Assert.Equal("changes_requested", first.Str("status"));
        Assert.Equal("Split the design milestone in two.", first.Str("reason"));

        var again = await deal.Api.PostOkAsync($"/api/v1/contracts/{deal.ContractId}/propose", new { contactId = deal.ContactId });
        await browser.GetAsync($"/portal/contracts/{deal.ContractId}");
        var declined = await browser.PostFormAsync($"/portal/contracts/{deal.ContractId}?handler=Decline", new Dictionary<string, string> { ["proposalId"] = again.Str("pendingProposalId"), ["Reason"] = "Over budget." });
        Assert.Equal(HttpStatusCode.Redirect, declined.StatusCode);
        var latest = (await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}/proposals"))["data"]!.AsArray()[0]!;
        Assert.Equal("declined", latest.Str("status"));
        Assert.Equal("draft", (await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}")).Str("status"));
    }

    [Fact]
    public async Task An_acceptance_without_a_typed_name_or_the_agreement_is_refused_naming_the_field_and_changes_nothing()
    {
        var deal = await ProposedDealAsync();
        var browser = await deal.PortalAsync(_app);
        await browser.GetAsync($"/portal/contracts/{deal.ContractId}");

        var nameless = await AcceptAsync(browser, deal, "  ");
        var unagreed = await browser.PostFormAsync($"/portal/contracts/{deal.ContractId}?handler=Accept", new Dictionary<string, string> { ["proposalId"] = deal.ProposalId, ["TypedName"] = "Xena Warrior" });

        Assert.Equal(HttpStatusCode.BadRequest, nameless.StatusCode);
        Assert.Contains("id=\"typed-name-error\"", await nameless.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unagreed.StatusCode);
        Assert.Contains("id=\"agree-error\"", await unagreed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("proposed", (await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}")).Str("status"));
        await using var db = engine.NewDb(deal.Api.OrganizationId);
        Assert.Equal(0, await db.Acceptances.CountAsync());
    }

    [Fact]
    public async Task Staff_activating_directly_is_recorded_as_such()
    {
        var deal = await ProposedDealAsync();

        var active = await deal.Api.PostOkAsync($"/api/v1/contracts/{deal.ContractId}/activate");

        Assert.Equal("active", active.Str("status"));
        var record = await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}/acceptance");
        Assert.Equal("staff", record.Str("method"));
        Assert.StartsWith("apikey:", record.Str("actor"), StringComparison.Ordinal);
        Assert.Null(record["typedName"]);
        Assert.Equal("superseded", (await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}/proposals"))["data"]![0]!.Str("status"));
        await Json.ProblemAsync(await deal.Api.GetAsync($"/api/v1/contracts/{deal.ContractId}/acceptance/pdf"), 404, "not_found");
    }

    [Fact]
    public async Task Proposing_a_contract_whose_invoices_could_not_be_issued_in_the_clients_e_invoice_profile_is_refused_naming_the_field()
    {
        var deal = await ProposedDealAsync(propose: false);
        // XRechnung needs a buyer reference (the Leitweg-ID) this contract lacks, and electronic addresses.
        await deal.Api.PatchOkAsync($"/api/v1/clients/{deal.ClientId}", new { eInvoiceProfile = "xrechnung" });

        var refused = await Json.ProblemAsync(await deal.Api.PostAsync($"/api/v1/contracts/{deal.ContractId}/propose", new { contactId = deal.ContactId }), 400, "einvoice_incomplete");
        Assert.False(string.IsNullOrEmpty(refused.Str("field")), "the problem names the field to fill in");
        Assert.Contains($"Fill in {refused.Str("field")}", refused.Str("detail"), StringComparison.Ordinal);

        Assert.Equal("draft", (await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}")).Str("status"));
        Assert.Empty((await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}/proposals"))["data"]!.AsArray());

        // Back to a plain EN 16931 profile the same contract is proposed.
        await deal.Api.PatchOkAsync($"/api/v1/clients/{deal.ClientId}", new { eInvoiceProfile = "en16931" });
        Assert.Equal("proposed", (await deal.Api.PostOkAsync($"/api/v1/contracts/{deal.ContractId}/propose", new { contactId = deal.ContactId })).Str("status"));
    }

    [Fact]
    public async Task Proposing_needs_a_contact_of_the_contracts_own_client_and_a_plan_that_adds_up()
    {
        var deal = await ProposedDealAsync(propose: false);
        var otherClient = await Plans.ClientAsync(deal.Api, "Initech");
        var stranger = (await deal.Api.PostOkAsync($"/api/v1/clients/{otherClient}/contacts", new { name = "Yuri", email = Infrastructure.Staff.Email("yuri") })).Str("id");

        await Json.ProblemAsync(await deal.Api.PostAsync($"/api/v1/contracts/{deal.ContractId}/propose", new { contactId = stranger }), 400, "unknown_contact", "contactId");
        await Json.ProblemAsync(await deal.Api.PostAsync($"/api/v1/contracts/{deal.ContractId}/propose", new { }), 400, "required", "contactId");
        await deal.Api.PatchOkAsync($"/api/v1/contracts/{deal.ContractId}", new { value = new { amount = "12000.00", currency = "EUR" } });
        var milestone = Plans.MilestoneIds(await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}"))[0];
        await deal.Api.PatchOkAsync($"/api/v1/milestones/{milestone}", new { percentage = "10" });
        var unbalanced = await deal.Api.PostAsync($"/api/v1/contracts/{deal.ContractId}/propose", new { contactId = deal.ContactId });

        Assert.Contains("short of", (await Json.ProblemAsync(unbalanced, 409)).Str("detail"), StringComparison.Ordinal);
        Assert.Equal("draft", (await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}")).Str("status"));
    }

    [Fact]
    public async Task Another_clients_contact_another_contact_and_another_organization_get_404()
    {
        var deal = await ProposedDealAsync();
        var otherClient = await Plans.ClientAsync(deal.Api, "Initech");
        var yuri = (await deal.Api.PostOkAsync($"/api/v1/clients/{otherClient}/contacts", new { name = "Yuri", email = Infrastructure.Staff.Email("yuri") })).Str("id");
        var colleague = (await deal.Api.PostOkAsync($"/api/v1/clients/{deal.ClientId}/contacts", new { name = "Zoe", email = Infrastructure.Staff.Email("zoe") })).Str("id");
        var other = await _app.NewOrganizationAsync("Other");

        var outsider = await PortalOfAsync(deal.Api, otherClient, yuri);
        await outsider.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/portal/contracts/{deal.ContractId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/portal/contracts/{deal.ContractId}/proposals/{deal.ProposalId}/pdf")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/portal/contracts/{deal.ContractId}/acceptance/pdf")).Status);

        // Yuri has a proposal of his own, so his page carries a real form and its antiforgery token.
        var his = await deal.Api.PostOkAsync("/api/v1/contracts", new { clientId = otherClient, title = "Initech migration", value = new { amount = "5000.00", currency = "EUR" }, taxRate = "20", templateId = Plans.FixedFeeTemplate });
        await deal.Api.PostOkAsync($"/api/v1/contracts/{his.Str("id")}/propose", new { contactId = yuri });
        Assert.Contains("data-accept-form", (await outsider.GetAsync($"/portal/contracts/{his.Str("id")}")).Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await AcceptAsync(outsider, deal, "Yuri")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostFormAsync($"/portal/contracts/{his.Str("id")}?handler=Accept", new Dictionary<string, string> { ["proposalId"] = deal.ProposalId, ["TypedName"] = "Yuri", ["Agree"] = "true" })).StatusCode);

        var sameClient = await PortalOfAsync(deal.Api, deal.ClientId, colleague);
        var seen = await sameClient.GetAsync($"/portal/contracts/{deal.ContractId}");
        Assert.Contains("This proposal is addressed to Xena", seen.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-accept-form", seen.Html, StringComparison.Ordinal);
        var hers = await deal.Api.PostOkAsync("/api/v1/contracts", new { clientId = deal.ClientId, title = "Support", value = new { amount = "5000.00", currency = "EUR" }, taxRate = "20", templateId = Plans.FixedFeeTemplate });
        await deal.Api.PostOkAsync($"/api/v1/contracts/{hers.Str("id")}/propose", new { contactId = colleague });
        Assert.Contains("data-accept-form", (await sameClient.GetAsync($"/portal/contracts/{hers.Str("id")}")).Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await AcceptAsync(sameClient, deal, "Zoe")).StatusCode);

        foreach (var path in new[] { "proposals", $"proposals/{deal.ProposalId}/pdf", "acceptance", "acceptance/pdf" })
            await Json.ProblemAsync(await other.GetAsync($"/api/v1/contracts/{deal.ContractId}/{path}"), 404, "not_found");
        await Json.ProblemAsync(await other.PostAsync($"/api/v1/contracts/{deal.ContractId}/propose", new { contactId = deal.ContactId }), 404, "not_found");
        Assert.Equal("proposed", (await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}")).Str("status"));
    }

    [Fact]
    public async Task The_acceptance_record_and_the_proposal_shown_cannot_be_changed_or_deleted()
    {
        var deal = await ProposedDealAsync();
        var browser = await deal.PortalAsync(_app);
        await browser.GetAsync($"/portal/contracts/{deal.ContractId}");
        Assert.Equal(HttpStatusCode.Redirect, (await AcceptAsync(browser, deal, "Xena Warrior")).StatusCode);

        await using var db = engine.NewDb(deal.Api.OrganizationId);
        foreach (var sql in new[]
        {
            "UPDATE acceptances SET typed_name = 'Someone else'",
            "DELETE FROM acceptances",
            "UPDATE proposals SET pdf_sha256 = '0000000000000000000000000000000000000000000000000000000000000000'",
            "UPDATE proposals SET reason = 'rewritten'",
            "DELETE FROM proposals",
        })
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync(sql));
            Assert.Contains("immutable", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_portal_home_lists_what_waits_for_the_client_first_then_their_contracts_with_progress()
    {
        var deal = await ProposedDealAsync();
        var website = await deal.Api.PostOkAsync("/api/v1/contracts", new { clientId = deal.ClientId, title = "Website", value = new { amount = "10000.00", currency = "EUR" }, taxRate = "20", templateId = Plans.WebsiteTemplate });
        var milestones = Plans.MilestoneIds(await deal.Api.PostOkAsync($"/api/v1/contracts/{website.Str("id")}/activate"));
        await Plans.DeliverAsync(deal.Api, milestones[0]);
        var invoice = (await deal.Api.PostOkAsync($"/api/v1/milestones/{milestones[0]}/approve")).Str("invoice.id");
        await Plans.DeliverAsync(deal.Api, milestones[1]);
        var order = (await deal.Api.PostOkAsync($"/api/v1/contracts/{website.Str("id")}/change-orders", new { title = "Drop the launch", items = new[] { new { kind = "cancel", milestoneId = milestones[2] } } })).Str("id");
        await deal.Api.PostOkAsync($"/api/v1/change-orders/{order}/propose");
        await deal.Api.PostOkAsync($"/api/v1/payments", new { clientId = deal.ClientId, amount = new { amount = "1200.00", currency = "EUR" }, receivedOn = "2026-11-20", method = "bank_transfer" });
        await deal.Api.PostOkAsync($"/api/v1/milestones/{milestones[1]}/comments", new { body = "Staging is up for review." });
        var browser = await deal.PortalAsync(_app);

        var home = (await browser.GetAsync("/portal")).Html;

        var waiting = home.IndexOf("Waiting for you", StringComparison.Ordinal);
        Assert.True(waiting >= 0 && waiting < home.IndexOf("id=\"contracts-heading\"", StringComparison.Ordinal), "what waits comes first");
        Assert.Contains($"data-waiting-proposal=\"{deal.ContractId}\"", home, StringComparison.Ordinal);
        Assert.Contains($"data-waiting-review=\"{milestones[1]}\"", home, StringComparison.Ordinal);
        Assert.Contains("Delivered as agreed.", home, StringComparison.Ordinal);
        Assert.Contains("4,800.00", home, StringComparison.Ordinal);
        Assert.Contains($"data-waiting-change=\"{order}\"", home, StringComparison.Ordinal);
        Assert.Contains($"data-waiting-invoice=\"{invoice}\"", home, StringComparison.Ordinal);
        Assert.Contains($"progress-delivered-{website.Str("id")}", home, StringComparison.Ordinal);

        // Each waiting item has its amount and a button; contracts show paid of billed, their documents, then the latest comments.
        Assert.Contains("Review and accept", home, StringComparison.Ordinal);
        Assert.Contains("Review the work", home, StringComparison.Ordinal);
        Assert.Contains("the contract value goes from 10,000.00 EUR to <span data-change-value-after>7,000.00 EUR</span> (3,000.00 EUR less, before tax)", home, StringComparison.Ordinal);
        Assert.Contains("Review the change", home, StringComparison.Ordinal);
        Assert.Contains("Paid 1,200.00 EUR of 3,600.00 EUR billed", home, StringComparison.Ordinal);
        Assert.Contains($"data-documents=\"{website.Str("id")}\">2<", home, StringComparison.Ordinal);
        Assert.Contains($"data-documents=\"{deal.ContractId}\">1<", home, StringComparison.Ordinal);
        var comments = home.IndexOf("data-latest-comments", StringComparison.Ordinal);
        Assert.True(comments > home.IndexOf("id=\"contracts-heading\"", StringComparison.Ordinal), "comments follow the contracts");
        Assert.Contains("Staging is up for review.", home[comments..], StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> AcceptAsync(Browser browser, Deal deal, string typedName) =>
        browser.PostFormAsync($"/portal/contracts/{deal.ContractId}?handler=Accept", new Dictionary<string, string>
        {
            ["proposalId"] = deal.ProposalId,
            ["TypedName"] = typedName,
            ["Agree"] = "true",
        });

    private async Task<Browser> PortalOfAsync(ApiClient api, string clientId, string contactId) => (await OpenPortalAsync(_app, api, clientId, contactId)).Browser;

    private static Task<(Browser Browser, string LinkId)> OpenPortalAsync(CairnApp app, ApiClient api, string clientId, string contactId) =>
        Plans.OpenPortalAsync(app, api, clientId, contactId, "proposal-test/1.0");

    /// <summary>An organization, its client Globex with contact Xena, and a 10,000.00 EUR contract on the 40/30/30 template (a deposit first), proposed to Xena.</summary>
    private async Task<Deal> ProposedDealAsync(bool propose = true)
    {
        var staff = await _app.NewStaffOrganizationAsync(Infrastructure.Staff.Email("owner"));
        var api = staff.Api;
        var contract = await Plans.ContractAsync(api, "10000.00", Plans.FixedFeeTemplate);
        var clientId = contract.Str("clientId");
        var contactId = (await api.PostOkAsync($"/api/v1/clients/{clientId}/contacts", new { name = "Xena", email = Infrastructure.Staff.Email("xena") })).Str("id");
        var id = contract.Str("id");
        JsonNode proposed = contract;
        if (propose)
            proposed = await api.PostOkAsync($"/api/v1/contracts/{id}/propose", new { contactId });
        return new Deal(api, staff.OwnerEmail, clientId, contactId, id, proposed, (string?)proposed["pendingProposalId"] ?? "");
    }

    private sealed record Deal(ApiClient Api, string OwnerEmail, string ClientId, string ContactId, string ContractId, JsonNode Proposed, string ProposalId)
    {
        public string LinkId { get; private set; } = "";

        public async Task<Browser> PortalAsync(CairnApp app)
        {
            (var browser, LinkId) = await OpenPortalAsync(app, Api, ClientId, ContactId);
            return browser;
        }
    }
}

public sealed class SqliteProposals(SqliteEngine engine) : ProposalTests<SqliteEngine>(engine);

public sealed class PostgresProposals(PostgresEngine engine) : ProposalTests<PostgresEngine>(engine);
