using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Identity;

/// <summary>
/// An API key made on the settings page is shown once, in an answer no cache keeps, and making it
/// leaves no warning in the server's log (session 12's fresh-user trial: ASP.NET Core's antiforgery
/// logged a Warning that it had overridden the page's Cache-Control on every key made).
/// </summary>
public sealed class ApiKeyPageTests(SqliteEngine engine) : IClassFixture<SqliteEngine>
{
    [Fact]
    public async Task A_key_made_on_the_settings_page_is_shown_once_in_an_uncached_answer_and_logs_no_warning()
    {
        var logs = new LogCapture();
        await using var app = new CairnApp(engine) { Logs = logs, LogsAtShippedLevels = true };
        var owner = await app.NewStaffOrganizationAsync(Staff.Email("owner"));
        var browser = new Browser(app);
        await browser.SignInAsync(owner.OwnerEmail, owner.OwnerPassword);
        var (_, settings, _) = await browser.GetAsync("/settings");
        var fields = Browser.FieldsOf(settings, "handler=ApiKey");
        fields["KeyName"] = "Accounting export";
        fields["Role"] = "viewer";

        var answer = await browser.PostFormAsync("/settings?handler=ApiKey", fields);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("The API key Accounting export: copy it now", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(answer.Headers.CacheControl is { NoStore: true }, $"Cache-Control: {answer.Headers.CacheControl}");
        Assert.DoesNotContain(logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal) && !line.Contains("Cairn:PublicUrl", StringComparison.Ordinal) && !line.Contains("key ring", StringComparison.OrdinalIgnoreCase));
    }
}
