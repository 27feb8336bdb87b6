using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.FirstHour;

/// <summary>
/// Issue 12, stumble 10: the contract page draws its milestones on a time axis (server-rendered SVG:
/// due dates, today, status and billing), with the same facts in a table; chart axes name months.
/// </summary>
public abstract class TimelineTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task The_contract_timeline_places_each_milestone_at_its_due_date_beside_today_with_month_names()
    {
        var email = Staff.Email("owner");
        var org = await _app.NewStaffOrganizationAsync(email);
        var contract = await Plans.ContractAsync(org.Api, "10000.00", Plans.WebsiteTemplate);
        var id = contract.Str("id");
        var ids = Plans.MilestoneIds(contract);
        await org.Api.PatchOkAsync($"/api/v1/milestones/{ids[0]}", new { dueDate = "2026-10-15" });
        await org.Api.PatchOkAsync($"/api/v1/milestones/{ids[1]}", new { dueDate = "2026-12-20" });
        await org.Api.PostOkAsync($"/api/v1/contracts/{id}/activate");
        await Plans.DeliverAsync(org.Api, ids[0]);
        await org.Api.PostOkAsync($"/api/v1/milestones/{ids[0]}/approve");

        var browser = new Browser(_app);
        await browser.SignInAsync(email, Staff.Password);
        var page = await browser.GetAsync($"/contracts/{id}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var html = page.Html;
        Assert.Contains("<svg class=\"chart timeline-chart\"", html);
        Assert.Matches("<circle class=\"marker st-approved bill-invoiced\"[^>]*data-due=\"2026-10-15\"", html);
        Assert.Matches("<circle class=\"marker st-planned bill-unbilled\"[^>]*data-due=\"2026-12-20\"", html);
        Assert.Contains("data-today=\"2026-11-02\"", html);
        foreach (var month in new[] { "Oct 2026", "Nov 2026", "Dec 2026" })
            Assert.Contains($">{month}</text>", html);

        // Today's line sits between the two due dates.
        double X(string pattern) => double.Parse(System.Text.RegularExpressions.Regex.Match(html, pattern).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var first = X("cx=\"([0-9.]+)\"[^>]*data-due=\"2026-10-15\"");
        var second = X("cx=\"([0-9.]+)\"[^>]*data-due=\"2026-12-20\"");
        var today = X("x1=\"([0-9.]+)\"[^>]*data-today=");
        Assert.True(first < today && today < second, $"today at {today} is not between {first} and {second}");

        // The table says the same in words, the milestone without a due date included.
        var table = html[html.IndexOf("data-timeline", StringComparison.Ordinal)..];
        Assert.Contains("<time datetime=\"2026-10-15\">", table);
        Assert.Contains("no due date", table);
        Assert.Contains("badge-invoiced", table);

        // The dashboard's bar chart names its months too.
        Assert.Contains(">Nov 2026</text>", (await browser.GetAsync("/")).Html);
    }
}

public sealed class SqliteTimeline(SqliteEngine engine) : TimelineTests<SqliteEngine>(engine);

public sealed class PostgresTimeline(PostgresEngine engine) : TimelineTests<PostgresEngine>(engine);
