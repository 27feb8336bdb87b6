using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.FirstHour;

/// <summary>
/// Issue 12, stumble 7 (dead ends): "Forgot your password?" on the sign-in page emails a link that
/// sets a new password once, within an hour; an unknown address gets the same answer and no email;
/// only the token's hash is stored, and neither the token nor the new password reaches the log.
/// </summary>
public abstract class ForgotPasswordTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private readonly LogCapture _logs = new();
    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine) { Logs = _logs };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_forgotten_password_is_reset_once_by_the_emailed_link_and_an_unknown_address_learns_nothing()
    {
        const string NewPassword = "pebble lantern quartz harbour";
        var email = Staff.Email("owner");
        await _app.NewStaffOrganizationAsync(email);
        var person = new Browser(_app);
        Assert.Contains("<a href=\"/forgot-password\">Forgot your password?</a>", (await person.GetAsync("/signin")).Html);

        await person.GetAsync("/forgot-password");
        var known = await person.PostFormAsync("/forgot-password", new Dictionary<string, string> { ["Email"] = email.ToUpperInvariant() });
        var unknown = await person.PostFormAsync("/forgot-password", new Dictionary<string, string> { ["Email"] = "nobody@acme.test" });
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        var knownHtml = (await known.Content.ReadAsStringAsync()).Replace(email.ToUpperInvariant(), "ADDRESS", StringComparison.Ordinal);
        var unknownHtml = (await unknown.Content.ReadAsStringAsync()).Replace("nobody@acme.test", "ADDRESS", StringComparison.Ordinal);
        Assert.Contains("a link to choose a new password is on its way there", knownHtml);
        Assert.Equal(Without(knownHtml, "__RequestVerificationToken"), Without(unknownHtml, "__RequestVerificationToken"));
        Assert.DoesNotContain(Mailbox.All(_app), m => m.To.Mailboxes.Any(b => b.Address == "nobody@acme.test"));

        var link = Mailbox.LinkIn(Mailbox.LastTo(_app, email), "/reset-password/");
        var path = new Uri(link).AbsolutePath;
        var token = path["/reset-password/".Length..];

        // The database keeps the token's hash, never the token.
        using (var scope = _app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Cairn.Server.Data.CairnDb>();
            var hashes = await db.Users.IgnoreQueryFilters().Where(u => u.ResetTokenHash != null).Select(u => u.ResetTokenHash!).ToListAsync();
            Assert.Equal(Cairn.Server.Identity.Tokens.Hash(token), Assert.Single(hashes));
        }

        var form = await person.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Contains("<h1>Choose a new password</h1>", form.Html);
        var differ = await person.PostFormAsync(path, new Dictionary<string, string> { ["Password"] = NewPassword, ["ConfirmPassword"] = NewPassword + "x" });
        Assert.Equal(HttpStatusCode.BadRequest, differ.StatusCode);
        Assert.Contains("The two passwords differ.", await differ.Content.ReadAsStringAsync());
        var saved = await person.PostFormAsync(path, new Dictionary<string, string> { ["Password"] = NewPassword, ["ConfirmPassword"] = NewPassword });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/signin?reset=done", saved.Headers.Location?.OriginalString);

        // The new password signs in, the old one no longer does, and the link works only once.
        Assert.Equal(HttpStatusCode.Redirect, (await new Browser(_app).SignInAsync(email, NewPassword)).StatusCode);
        Assert.NotEqual(HttpStatusCode.Redirect, (await new Browser(_app).SignInAsync(email, Staff.Password)).StatusCode);
        var used = await new Browser(_app).GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, used.Status);
        Assert.Contains("<h1>This link is not valid</h1>", used.Html);
        Assert.Contains("<a href=\"/forgot-password\">Ask for a new link</a>", used.Html);

        // A link not used within the hour stops working.
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        await person.GetAsync("/forgot-password");
        await person.PostFormAsync("/forgot-password", new Dictionary<string, string> { ["Email"] = email });
        var late = new Uri(Mailbox.LinkIn(Mailbox.LastTo(_app, email), "/reset-password/")).AbsolutePath;
        Assert.NotEqual(path, late);
        _app.Clock.Advance(TimeSpan.FromMinutes(61));
        var expired = await new Browser(_app).GetAsync(late);
        Assert.Equal(HttpStatusCode.NotFound, expired.Status);
        Assert.Contains("<h1>This link is not valid</h1>", expired.Html);

        var log = string.Join('\n', _logs.Lines);
        Assert.DoesNotContain(token, log);
        Assert.DoesNotContain(late["/reset-password/".Length..], log);
        Assert.DoesNotContain(NewPassword, log);
    }

    [Fact]
    public async Task An_empty_address_is_refused_next_to_the_field()
    {
        await _app.NewStaffOrganizationAsync(Staff.Email("owner"));
        var person = new Browser(_app);
        await person.GetAsync("/forgot-password");
        var refused = await person.PostFormAsync("/forgot-password", new Dictionary<string, string> { ["Email"] = "not an address" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("id=\"email-error\"", html);
        Assert.Contains("aria-invalid=\"true\"", html);
    }

    // The page less its per-request antiforgery token.
    private static string Without(string html, string field) =>
        System.Text.RegularExpressions.Regex.Replace(html, $"name=\"{field}\" type=\"hidden\" value=\"[^\"]+\"", "");
}

public sealed class SqliteForgotPassword(SqliteEngine engine) : ForgotPasswordTests<SqliteEngine>(engine);

public sealed class PostgresForgotPassword(PostgresEngine engine) : ForgotPasswordTests<PostgresEngine>(engine);
