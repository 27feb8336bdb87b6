using System.Diagnostics;
using System.Net;

using Cairn.Server.Identity;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Cairn.Server.Tests.Identity;

/// <summary>Headless provisioning: an organization, its owner and an owner API key, with no browser.</summary>
public abstract class ProvisioningTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Provisioning_creates_an_owner_who_signs_in_and_a_key_that_drives_the_api()
    {
        var email = Staff.Email("ada");
        using var scope = _app.Services.CreateScope();

        var provisioned = await scope.ServiceProvider.GetRequiredService<Provisioning>().ProvisionAsync(
            new OrganizationDetails("Acme Studio", "1 Rue de la Paix", "FR40123456789", null, "EUR", 14),
            new OwnerDetails(email, "Ada", Staff.Password),
            "automation");

        var api = new ApiClient(_app.CreateClient(), provisioned.ApiKey, provisioned.Organization.Id);
        await Json.OkAsync(await api.PostAsync("/api/v1/clients", new { name = "Globex" }));
        var users = await api.GetOkAsync("/api/v1/users");
        Assert.Equal("owner", users.Str("data.0.role"));
        Assert.Equal(HttpStatusCode.Redirect, (await new Browser(_app).SignInAsync(email, Staff.Password)).StatusCode);
        await using var db = engine.NewDb(provisioned.Organization.Id);
        Assert.Equal(
            ["api_key:created", "organization:created", "user:created"],
            (await db.AuditLog.Where(e => e.Actor == "system:system").Select(e => e.EntityType + ":" + e.Action).ToListAsync()).Order());
    }

    [Fact]
    public async Task An_owner_provisioned_without_a_password_is_invited_and_the_same_email_cannot_be_provisioned_twice()
    {
        var email = Staff.Email("ada");
        using var scope = _app.Services.CreateScope();
        var provisioning = scope.ServiceProvider.GetRequiredService<Provisioning>();

        var provisioned = await provisioning.ProvisionAsync(new OrganizationDetails("Acme", null, null, null, "JPY"), new OwnerDetails(email, null, null), "automation");

        Assert.NotNull(provisioned.InviteToken);
        Assert.Equal(HttpStatusCode.OK, (await new Browser(_app).GetAsync($"/invite/{provisioned.InviteToken}")).Status);
        var again = await Assert.ThrowsAsync<Domain.DomainException>(() => scope.ServiceProvider.GetRequiredService<Provisioning>()
            .ProvisionAsync(new OrganizationDetails("Acme again", null, null, null, "EUR"), new OwnerDetails(email.ToUpperInvariant(), null, Staff.Password), "automation"));
        Assert.Equal("email_taken", again.Error.Code);
    }
}

public sealed class SqliteProvisioning(SqliteEngine engine) : ProvisioningTests<SqliteEngine>(engine);

public sealed class PostgresProvisioning(PostgresEngine engine) : ProvisioningTests<PostgresEngine>(engine);

/// <summary>The real <c>cairn provision</c> tool, run as a process against a database that does not exist yet.</summary>
public sealed class CliProvisionTests
{
    [Fact]
    public async Task Cairn_provision_on_a_fresh_Sqlite_directory_prints_a_working_owner_key_and_nothing_else()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cairn-tests", "cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exit, output, errors) = await RunCairnAsync("provision", "--name", "Acme", "--currency", "EUR", "--owner-email", "ada@acme.test", "--owner-password", Staff.Password, "--time-zone", "America/Los_Angeles", "--data-dir", directory);

            Assert.True(exit == 0, errors);
            var key = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.StartsWith(ApiKey.Prefix, key);
            Assert.DoesNotContain(Staff.Password, output + errors);
            await AssertKeyWorksAsync(Data.DatabaseSettings.Sqlite(Path.Combine(directory, "cairn.db")), key, "ada@acme.test", "America/Los_Angeles");
            Assert.False(Directory.Exists(Path.Combine(directory, "mail")));

            var (again, _, refusal) = await RunCairnAsync("provision", "--name", "Acme", "--currency", "EUR", "--owner-email", "ADA@acme.test", "--data-dir", directory);
            Assert.Equal(1, again);
            Assert.Contains("already exists", refusal);
            var (unknownZone, _, zoneRefusal) = await RunCairnAsync("provision", "--name", "Acme", "--currency", "EUR", "--owner-email", "bob@acme.test", "--time-zone", "Mars/Olympus_Mons", "--data-dir", directory);
            Assert.Equal(1, unknownZone);
            Assert.Contains("not an IANA time zone", zoneRefusal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Cairn_provision_on_a_fresh_Postgres_database_without_a_password_emails_the_owner_an_invitation()
    {
        var admin = Environment.GetEnvironmentVariable("CAIRN_TEST_POSTGRES") ?? throw new InvalidOperationException("CAIRN_TEST_POSTGRES is not set: run the tests through ./test.sh.");
        var name = "cairn_cli_" + Guid.NewGuid().ToString("N");
        var mail = Path.Combine(Path.GetTempPath(), "cairn-tests", "cli-mail-" + Guid.NewGuid().ToString("N"));
        await ExecuteAsync(admin, $"CREATE DATABASE {name}");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
            var (exit, output, errors) = await RunCairnAsync(
                new Dictionary<string, string> { ["Cairn__Mail__PickupDirectory"] = mail },
                "provision", "--name", "Acme", "--currency", "EUR", "--owner-email", "ada@acme.test", "--postgres", connectionString, "--url", "https://billing.acme.test");

            Assert.True(exit == 0, errors);
            var key = output.Trim();
            await AssertKeyWorksAsync(new Data.DatabaseSettings("postgres", connectionString), key, "ada@acme.test", Domain.BusinessCalendar.ServerTimeZoneId());
            var invitation = MimeKit.MimeMessage.Load(Assert.Single(Directory.GetFiles(mail, "*.eml")));
            Assert.StartsWith("https://billing.acme.test/invite/", Mailbox.LinkIn(invitation, "/invite/"));
            Assert.DoesNotContain(Mailbox.LinkIn(invitation, "/invite/"), output + errors);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            if (Directory.Exists(mail))
                Directory.Delete(mail, recursive: true);
        }
    }

    private static async Task AssertKeyWorksAsync(Data.DatabaseSettings settings, string key, string ownerEmail, string timeZone)
    {
        var options = new DbContextOptionsBuilder<Data.CairnDb>();
        settings.Configure(options);
        await using var db = new Data.CairnDb(options.Options);
        var stored = await db.ApiKeys.IgnoreQueryFilters().SingleAsync(k => k.Hash == ApiKey.HashOf(key));
        Assert.Equal(Role.Owner, stored.Role);
        var owner = await db.Users.IgnoreQueryFilters().SingleAsync();
        Assert.Equal(ownerEmail, owner.Email);
        var membership = await db.Memberships.IgnoreQueryFilters().SingleAsync();
        Assert.Equal(Role.Owner, membership.Role);
        Assert.Equal((stored.OrganizationId, owner.Id), (membership.OrganizationId, membership.UserId));
        var organization = await db.Organizations.IgnoreQueryFilters().SingleAsync();
        Assert.Equal("Acme", organization.Name);
        Assert.Equal(timeZone, organization.TimeZone);
    }

    private static Task<(int Exit, string Output, string Errors)> RunCairnAsync(params string[] args) => RunCairnAsync(new Dictionary<string, string>(), args);

    private static async Task<(int Exit, string Output, string Errors)> RunCairnAsync(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(CairnDll());
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment.Remove("CAIRN_POSTGRES");
        start.Environment.Remove("CAIRN_DATA_DIR");
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>The built cairn.dll of the same configuration as these tests.</summary>
    private static string CairnDll()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = here.Parent!.Name;
        var dll = Path.Combine(Repository.Root, "src", "Cairn.Cli", "bin", configuration, here.Name, "cairn.dll");
        Assert.True(File.Exists(dll), $"build the solution first: {dll} is missing");
        return dll;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
