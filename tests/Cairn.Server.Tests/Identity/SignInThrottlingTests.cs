using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Identity;

/// <summary>
/// Password guessing (issue 11, findings 1 and 3): a burst of concurrent guesses checks no more
/// passwords than the lockout allows, many emails from one address are throttled, and a locked
/// account looks exactly like an unknown email.
/// </summary>
public abstract class SignInThrottlingTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        // A generous per-address budget, so only the per-email lockout is at work in the bursts.
        _app = new CairnApp(engine) { Settings = new Dictionary<string, string?> { ["Cairn:SignIn:AttemptsPerAddressPerMinute"] = "1000" } };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Forty_simultaneous_guesses_check_at_most_five_passwords_and_then_even_the_right_one_is_refused()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));

        var answers = await BurstAsync(org.OwnerEmail, 40);

        Assert.Equal(4, answers.Count(a => a == HttpStatusCode.Unauthorized));
        Assert.Equal(36, answers.Count(a => a == HttpStatusCode.TooManyRequests));
        var right = await new Browser(_app).SignInAsync(org.OwnerEmail, org.OwnerPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(15), right.Headers.RetryAfter?.Delta);
        Assert.DoesNotContain(right.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("cairn_staff=", StringComparison.Ordinal));

        _app.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.Redirect, (await new Browser(_app).SignInAsync(org.OwnerEmail, org.OwnerPassword)).StatusCode);
    }

    [Fact]
    public async Task The_right_password_in_a_burst_of_wrong_ones_gets_in_only_among_the_first_five_checked()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var browsers = Enumerable.Range(0, 40).Select(_ => new Browser(_app)).ToList();
        await Task.WhenAll(browsers.Select(b => b.GetAsync("/signin")));

        var answers = await Task.WhenAll(browsers.Select((b, i) => b.PostFormAsync("/signin", new Dictionary<string, string>
        {
            ["Email"] = org.OwnerEmail,
            ["Password"] = i == 39 ? org.OwnerPassword : $"wrong guess number {i}",
        })));

        var checkedPasswords = answers.Count(a => a.StatusCode != HttpStatusCode.TooManyRequests);
        Assert.InRange(checkedPasswords, 1, 5);
        Assert.All(answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests), a => Assert.NotNull(a.Headers.RetryAfter));
    }

    [Fact]
    public async Task A_locked_account_and_an_unknown_email_get_the_same_status_words_and_wait()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var unknown = Staff.Email("nobody");

        var known = await SequenceAsync(org.OwnerEmail, 6);
        var stranger = await SequenceAsync(unknown, 6);

        Assert.Equal(known.Select(a => a.Status), stranger.Select(a => a.Status));
        Assert.Equal([401, 401, 401, 401, 429, 429], known.Select(a => a.Status));
        Assert.Equal(known.Select(a => a.RetryAfter), stranger.Select(a => a.RetryAfter));
        Assert.Equal(known.Select(a => a.Error), stranger.Select(a => a.Error));
        Assert.Contains("locked for 15 minutes", known[^1].Error);
    }

    private async Task<List<(int Status, TimeSpan? RetryAfter, string Error)>> SequenceAsync(string email, int attempts)
    {
        var answers = new List<(int, TimeSpan?, string)>();
        for (var i = 0; i < attempts; i++)
        {
            var response = await new Browser(_app).SignInAsync(email, "not the password");
            var html = await response.Content.ReadAsStringAsync();
            var error = System.Text.RegularExpressions.Regex.Match(html, "<p class=\"error\"[^>]*>([^<]*)</p>").Groups[1].Value;
            answers.Add(((int)response.StatusCode, response.Headers.RetryAfter?.Delta, error));
        }

        return answers;
    }

    private async Task<HttpStatusCode[]> BurstAsync(string email, int count)
    {
        var browsers = Enumerable.Range(0, count).Select(_ => new Browser(_app)).ToList();
        await Task.WhenAll(browsers.Select(b => b.GetAsync("/signin")));
        var answers = await Task.WhenAll(browsers.Select((b, i) => b.PostFormAsync("/signin", new Dictionary<string, string> { ["Email"] = email, ["Password"] = $"wrong guess number {i}" })));
        return answers.Select(a => a.StatusCode).ToArray();
    }
}

public sealed class SqliteSignInThrottling(SqliteEngine engine) : SignInThrottlingTests<SqliteEngine>(engine);

public sealed class PostgresSignInThrottling(PostgresEngine engine) : SignInThrottlingTests<PostgresEngine>(engine);

/// <summary>Many sign-ins from one client address, each for a different email, are throttled per address.</summary>
public abstract class SignInPerAddressTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Sixty_sign_ins_for_sixty_emails_from_one_address_are_throttled_after_ten_a_minute()
    {
        await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var browser = new Browser(_app);
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 60; i++)
            answers.Add(await browser.SignInAsync(Staff.Email($"guess{i}"), "Summer2026!"));

        // Ten a minute: the first ten are checked; of the rest, at most ten more (if the minute turned during the test).
        Assert.All(answers.Take(10), a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        Assert.True(answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests) >= 40);
        var refused = answers[^1];
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        await Json.ProblemAsync(refused, 429, "rate_limited");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/signin")).Status);
    }
}

public sealed class SqliteSignInPerAddress(SqliteEngine engine) : SignInPerAddressTests<SqliteEngine>(engine);

public sealed class PostgresSignInPerAddress(PostgresEngine engine) : SignInPerAddressTests<PostgresEngine>(engine);
