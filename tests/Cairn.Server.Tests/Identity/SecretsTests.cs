using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Identity;

/// <summary>Passwords are never stored nor logged in clear, whatever happens to them.</summary>
public abstract class SecretsTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Passwords_never_reach_the_database_or_the_logs_in_clear()
    {
        const string Chosen = "Zebra-Unicorn-Password-42";
        const string Mistyped = "Wrong-Guess-Password-99";
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var email = Staff.Email("bob");
        var invited = await Json.OkAsync(await org.Api.PostAsync("/api/v1/users/invitations", new { email, role = "viewer" }));
        var path = new Uri(invited.Str("inviteUrl")).PathAndQuery;
        var browser = new Browser(_app);
        await browser.GetAsync(path);
        await browser.PostFormAsync(path, new Dictionary<string, string> { ["DisplayName"] = "Bob", ["Password"] = "short", ["ConfirmPassword"] = "short" });
        await browser.PostFormAsync(path, new Dictionary<string, string> { ["DisplayName"] = "Bob", ["Password"] = Chosen, ["ConfirmPassword"] = Chosen });

        await new Browser(_app).SignInAsync(email, Mistyped);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await new Browser(_app).SignInAsync(email, Chosen)).StatusCode);

        Assert.NotEmpty(_logs.Lines);
        foreach (var secret in new[] { Chosen, Mistyped, Staff.Password, org.Api.Key! })
        {
            Assert.False(await DatabaseScan.ContainsAsync(engine, secret), $"the database holds '{secret}'");
            Assert.DoesNotContain(_logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        }

        Assert.True(await DatabaseScan.ContainsAsync(engine, email));
    }
}

public sealed class SqliteSecrets(SqliteEngine engine) : SecretsTests<SqliteEngine>(engine);

public sealed class PostgresSecrets(PostgresEngine engine) : SecretsTests<PostgresEngine>(engine);
