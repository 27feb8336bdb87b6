using System.Net;
using Cairn.Domain;
using Cairn.Server.Identity;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Identity;

/// <summary>Weak passwords (issue 11, finding 7; ASVS 5.0 V6.2) are refused wherever a password is chosen, saying why.</summary>
public abstract class PasswordPolicyTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Accepting_an_invitation_with_a_weak_or_common_password_is_refused_with_the_reason_and_a_strong_one_works()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var email = Staff.Email("bob");
        var invited = await Json.OkAsync(await org.Api.PostAsync("/api/v1/users/invitations", new { email, role = "viewer" }));
        var path = new Uri(invited.Str("inviteUrl")).PathAndQuery;
        var browser = new Browser(_app);
        await browser.GetAsync(path);

        async Task<string> TryAsync(string password) => WebUtility.HtmlDecode(await (await browser.PostFormAsync(path,
            new Dictionary<string, string> { ["DisplayName"] = "Bob Builder", ["Password"] = password, ["ConfirmPassword"] = password })).Content.ReadAsStringAsync());

        Assert.Contains("repeated characters like \"aaaaaaaaaaaa\" are easy to guess", await TryAsync("aaaaaaaaaaaa"));
        Assert.Contains("one of the most common passwords", await TryAsync("qwertyuiop"));
        Assert.Contains("sequences like \"1234567890\" are easy to guess", await TryAsync("1234567890"));
        Assert.Contains("built from your own email or name", await TryAsync("bobbuilder1"));
        await using (var db = engine.NewDb(org.Api.OrganizationId))
            Assert.Null((await db.Users.SingleAsync(u => u.Email == email)).PasswordHash);

        var accepted = await browser.PostFormAsync(path, new Dictionary<string, string> { ["DisplayName"] = "Bob Builder", ["Password"] = "walnut ledger kettle orbit", ["ConfirmPassword"] = "walnut ledger kettle orbit" });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
    }

    [Fact]
    public async Task Provisioning_with_a_common_owner_password_is_refused_naming_the_field()
    {
        using var scope = _app.Services.CreateScope();
        var provisioning = scope.ServiceProvider.GetRequiredService<Provisioning>();

        var refused = await Assert.ThrowsAsync<DomainException>(() => provisioning.ProvisionAsync(
            new OrganizationDetails("Acme", null, null, null, "EUR"), new OwnerDetails(Staff.Email("ada"), "Ada", "password123"), "key"));

        Assert.Equal("weak_password", refused.Error.Code);
        Assert.Equal("password", refused.Error.Field);
    }
}

public sealed class SqlitePasswordPolicy(SqliteEngine engine) : PasswordPolicyTests<SqliteEngine>(engine);

public sealed class PostgresPasswordPolicy(PostgresEngine engine) : PasswordPolicyTests<PostgresEngine>(engine);

/// <summary>The first-run setup (on an empty database of its own) refuses a weak owner password.</summary>
public abstract class PasswordAtSetupTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task The_first_run_setup_refuses_a_password_of_twelve_a_and_creates_nothing()
    {
        var browser = new Browser(_app);
        await browser.GetAsync("/setup");
        var form = new Dictionary<string, string>
        {
            ["Name"] = "Acme Studio", ["DefaultCurrency"] = "EUR", ["PaymentTermsDays"] = "14",
            ["OwnerName"] = "Ada Owner", ["OwnerEmail"] = "ada@acme.test", ["Password"] = "aaaaaaaaaaaa", ["ConfirmPassword"] = "aaaaaaaaaaaa",
        };

        var refused = await browser.PostFormAsync("/setup", form);

        Assert.NotEqual(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("too easy to guess", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        await using var db = engine.NewDb();
        Assert.False(await db.Organizations.IgnoreQueryFilters().AnyAsync());
    }
}

public sealed class SqlitePasswordAtSetup(SqliteEngine engine) : PasswordAtSetupTests<SqliteEngine>(engine);

public sealed class PostgresPasswordAtSetup(PostgresEngine engine) : PasswordAtSetupTests<PostgresEngine>(engine);

/// <summary>The policy itself: what it refuses and what it lets through.</summary>
public sealed class PasswordPolicyRules
{
    [Theory]
    [InlineData("aaaaaaaaaaaa")]
    [InlineData("password123")]
    [InlineData("1234567890")]
    [InlineData("qwertyuiop")]
    [InlineData("abcdefghijkl")]
    [InlineData("short")]
    public void Weak_passwords_are_refused_with_a_reason(string password) =>
        Assert.NotNull(PasswordPolicy.Reason(password, ["ada@acme.test", "Ada Lovelace"]));

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("walnut ledger kettle orbit")]
    [InlineData("Zebra-Unicorn-Password-42")]
    public void Phrases_of_unrelated_words_are_accepted(string password) =>
        Assert.Null(PasswordPolicy.Reason(password, ["ada@acme.test", "Ada Lovelace"]));

    [Fact]
    public void A_password_made_of_the_persons_own_email_is_refused() =>
        Assert.Contains("own email or name", PasswordPolicy.Reason("lovelace1815", ["ada.lovelace@acme.test", "Ada"]));
}
