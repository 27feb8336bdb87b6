using System.Net;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Api;

/// <summary>
/// Issue 15: a conversation on each milestone and change order between staff and the client's
/// contacts, in the API, the staff pages and the portal; mentions email the person mentioned;
/// the author may edit for 15 minutes, every edit is kept; comments never change money or status.
/// </summary>
public abstract class CommentsTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Staff_and_the_clients_contact_talk_on_a_milestone_and_a_mention_emails_the_contact_in_their_language()
    {
        var talk = await ThreadAsync();
        await talk.Api.PatchOkAsync($"/api/v1/clients/{talk.ClientId}", new { language = "de" });
        var before = await talk.Api.GetOkAsync($"/api/v1/milestones/{talk.MilestoneId}");

        var posted = await talk.Api.PostOkAsync($"/api/v1/milestones/{talk.MilestoneId}/comments", new { body = "Hi @Xena, the mock-ups are at https://files.example.test/mock?a=1&b=2. <b>Thanks</b>" });

        Assert.Equal("milestone", posted.Str("subject"));
        Assert.True((bool)posted["editable"]!);
        Assert.Null(posted["editedAt"]);
        // The contact also gets other emails (the change order proposed to them): this is the mention.
        var mail = Mailbox.All(_app).Last(m => m.To.Mailboxes.Any(b => b.Name == "Xena") && m.Subject?.Contains("hat Sie erwähnt", StringComparison.Ordinal) == true);
        Assert.NotNull(mail.HtmlBody);
        Assert.Contains("the mock-ups are at", mail.TextBody, StringComparison.Ordinal);
        // Issue 15: the contact's link carries a portal token of its own (as the milestone.submitted email's does) and opens the contract.
        var link = Mailbox.LinkIn(mail, "/portal/");
        var follower = new Browser(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await follower.GetAsync(new Uri(link).PathAndQuery)).Status);
        var opened = await follower.GetAsync($"/portal/contracts/{talk.ContractId}");
        Assert.Equal(HttpStatusCode.OK, opened.Status);
        Assert.Contains("the mock-ups are at", opened.Html, StringComparison.Ordinal);

        // The contact sees it in the portal, links rendered as links and nothing else as markup, and answers.
        var (browser, _) = await Plans.OpenPortalAsync(_app, talk.Api, talk.ClientId, talk.ContactId, "comments-test/1.0");
        var page = await browser.GetAsync($"/portal/contracts/{talk.ContractId}");
        Assert.Contains("<a href=\"https://files.example.test/mock?a=1&amp;b=2\" rel=\"noopener nofollow ugc\">", page.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Thanks&lt;/b&gt;", page.Html, StringComparison.Ordinal);
        var answered = await browser.PostFormAsync($"/portal/contracts/{talk.ContractId}?handler=Comment", new Dictionary<string, string> { ["subject"] = "Milestone", ["subjectId"] = talk.MilestoneId, ["Body"] = "Looks good." });
        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);

        var thread = (await talk.Api.GetOkAsync($"/api/v1/milestones/{talk.MilestoneId}/comments"))["data"]!.AsArray();
        Assert.Equal(["Hi @Xena, the mock-ups are at https://files.example.test/mock?a=1&b=2. <b>Thanks</b>", "Looks good."], thread.Select(c => c!.Str("body")).ToArray());
        Assert.Equal("Xena", thread[1]!.Str("authorName"));
        Assert.StartsWith("contact:", thread[1]!.Str("author"), StringComparison.Ordinal);
        Assert.False((bool)thread[1]!["editable"]!);
        var staff = new Browser(_app);
        await staff.SignInAsync(talk.OwnerEmail, Infrastructure.Staff.Password);
        Assert.Contains("Looks good.", (await staff.GetAsync($"/contracts/{talk.ContractId}")).Html, StringComparison.Ordinal);
        Assert.Contains("Looks good.", (await browser.GetAsync("/portal")).Html, StringComparison.Ordinal);

        // Nothing about money or status moved; each comment wrote its event.
        var after = await talk.Api.GetOkAsync($"/api/v1/milestones/{talk.MilestoneId}");
        Assert.Equal((before.Str("status"), before.Str("amount.amount")), (after.Str("status"), after.Str("amount.amount")));
        Assert.Empty((await talk.Api.GetOkAsync($"/api/v1/invoices?contractId={talk.ContractId}"))["data"]!.AsArray());
        await using var db = engine.NewDb(talk.Api.OrganizationId);
        Assert.Equal(2, await db.OutboxMessages.CountAsync(m => m.Kind == "event" && m.Type == "comment.created"));
    }

    [Fact]
    public async Task A_comment_can_be_edited_by_its_author_for_15_minutes_then_it_is_frozen_and_every_edit_is_kept()
    {
        var talk = await ThreadAsync();
        var comment = await talk.Api.PostOkAsync($"/api/v1/change-orders/{talk.ChangeOrderId}/comments", new { body = "Frist draft" });
        var path = $"/api/v1/change-orders/{talk.ChangeOrderId}/comments/{comment.Str("id")}";

        _app.Clock.Advance(TimeSpan.FromMinutes(10));
        var edited = await talk.Api.PatchOkAsync(path, new { body = "First draft" });
        Assert.Equal("First draft", edited.Str("body"));
        Assert.Equal("Frist draft", edited.Str("edits.0.previousBody"));
        Assert.NotNull(edited["editedAt"]);

        _app.Clock.Advance(TimeSpan.FromMinutes(6));
        await Json.ProblemAsync(await talk.Api.PatchAsync(path, new { body = "Rewritten later" }), 409, "comment_frozen");

        var thread = (await talk.Api.GetOkAsync($"/api/v1/change-orders/{talk.ChangeOrderId}/comments"))["data"]!.AsArray();
        var kept = Assert.Single(thread)!;
        Assert.Equal("First draft", kept.Str("body"));
        Assert.Single(kept["edits"]!.AsArray());
        Assert.False((bool)kept["editable"]!);
        var staff = new Browser(_app);
        await staff.SignInAsync(talk.OwnerEmail, Infrastructure.Staff.Password);
        var html = (await staff.GetAsync($"/contracts/{talk.ContractId}")).Html;
        Assert.Contains("data-edited", html, StringComparison.Ordinal);
        Assert.Contains("Frist draft", html, StringComparison.Ordinal);
        await using var db = engine.NewDb(talk.Api.OrganizationId);
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE comment_edits SET previous_body = 'rewritten'"));
        Assert.Contains("immutable", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_author_may_edit_and_an_empty_comment_is_refused_naming_the_body_and_changing_nothing()
    {
        var talk = await ThreadAsync();
        var comment = await talk.Api.PostOkAsync($"/api/v1/milestones/{talk.MilestoneId}/comments", new { body = "Ours" });
        var finance = await _app.WithRoleAsync(talk.Api, Cairn.Server.Identity.Role.Finance);

        await Json.ProblemAsync(await finance.PatchAsync($"/api/v1/milestones/{talk.MilestoneId}/comments/{comment.Str("id")}", new { body = "Theirs" }), 409, "not_comment_author");
        await Json.ProblemAsync(await talk.Api.PostAsync($"/api/v1/milestones/{talk.MilestoneId}/comments", new { body = "  " }), 400, "body_required", "body");
        await Json.ProblemAsync(await talk.Api.PostAsync($"/api/v1/milestones/{talk.MilestoneId}/comments", new { body = new string('x', 5001) }), 400, "body_too_long", "body");

        var thread = (await talk.Api.GetOkAsync($"/api/v1/milestones/{talk.MilestoneId}/comments"))["data"]!.AsArray();
        Assert.Equal("Ours", Assert.Single(thread)!.Str("body"));
    }

    [Fact]
    public async Task Another_organization_and_another_clients_contact_get_404_for_every_comment_route()
    {
        var talk = await ThreadAsync();
        var comment = await talk.Api.PostOkAsync($"/api/v1/milestones/{talk.MilestoneId}/comments", new { body = "Private" });
        var other = await _app.NewOrganizationAsync("Other");
        foreach (var (kind, id) in new[] { ("milestones", talk.MilestoneId), ("change-orders", talk.ChangeOrderId) })
        {
            await Json.ProblemAsync(await other.GetAsync($"/api/v1/{kind}/{id}/comments"), 404, "not_found");
            await Json.ProblemAsync(await other.PostAsync($"/api/v1/{kind}/{id}/comments", new { body = "Hello" }), 404, "not_found");
            await Json.ProblemAsync(await other.PatchAsync($"/api/v1/{kind}/{id}/comments/{comment.Str("id")}", new { body = "Hello" }), 404, "not_found");
        }

        var otherClient = await Plans.ClientAsync(talk.Api, "Initech");
        var yuri = (await talk.Api.PostOkAsync($"/api/v1/clients/{otherClient}/contacts", new { name = "Yuri", email = Infrastructure.Staff.Email("yuri") })).Str("id");
        var theirs = await Plans.ActiveWebsiteContractAsync(talk.Api);
        var (outsider, _) = await Plans.OpenPortalAsync(_app, talk.Api, otherClient, yuri, "comments-test/1.0");
        await outsider.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/portal/contracts/{talk.ContractId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostFormAsync($"/portal/contracts/{talk.ContractId}?handler=Comment", new Dictionary<string, string> { ["subject"] = "Milestone", ["subjectId"] = talk.MilestoneId, ["Body"] = "Hijack" })).StatusCode);

        // Through a contract that is not theirs either, the thread of this milestone stays out of reach.
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostFormAsync($"/portal/contracts/{theirs.Str("id")}?handler=Comment", new Dictionary<string, string> { ["subject"] = "Milestone", ["subjectId"] = talk.MilestoneId, ["Body"] = "Hijack" })).StatusCode);
        Assert.DoesNotContain("Private", (await outsider.GetAsync("/portal")).Html, StringComparison.Ordinal);
        Assert.Single((await talk.Api.GetOkAsync($"/api/v1/milestones/{talk.MilestoneId}/comments"))["data"]!.AsArray());
    }

    /// <summary>An active website contract of client Globex (contact Xena) with a proposed change order; returns its first milestone and the change order.</summary>
    private async Task<Talk> ThreadAsync()
    {
        var staff = await _app.NewStaffOrganizationAsync(Infrastructure.Staff.Email("owner"));
        var api = staff.Api;
        var contract = await Plans.ActiveWebsiteContractAsync(api);
        var clientId = contract.Str("clientId");
        var contactId = (await api.PostOkAsync($"/api/v1/clients/{clientId}/contacts", new { name = "Xena", email = Infrastructure.Staff.Email("xena") })).Str("id");
        var milestones = Plans.MilestoneIds(contract);
        var order = (await api.PostOkAsync($"/api/v1/contracts/{contract.Str("id")}/change-orders", new { title = "Drop the launch", items = new[] { new { kind = "cancel", milestoneId = milestones[2] } } })).Str("id");
        await api.PostOkAsync($"/api/v1/change-orders/{order}/propose");
        return new Talk(api, staff.OwnerEmail, clientId, contactId, contract.Str("id"), milestones[0], order);
    }

    private sealed record Talk(ApiClient Api, string OwnerEmail, string ClientId, string ContactId, string ContractId, string MilestoneId, string ChangeOrderId);
}

public sealed class SqliteComments(SqliteEngine engine) : CommentsTests<SqliteEngine>(engine);

public sealed class PostgresComments(PostgresEngine engine) : CommentsTests<PostgresEngine>(engine);
