using Cairn.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Hosting;

/// <summary>A bad <c>Cairn:*</c> setting stops start-up with a message naming the key, instead of a silent default.</summary>
public sealed class StartupOptionsTests(SqliteEngine engine) : IClassFixture<SqliteEngine>
{
    [Theory]
    [InlineData("Cairn:Jobs:IntervalSeconds", "abc")]
    [InlineData("Cairn:Jobs:IntervalSeconds", "-5")]
    [InlineData("Cairn:LogFormat", "xml")]
    [InlineData("Cairn:Port", "70000")]
    [InlineData("Cairn:Portal:LinkOpensPerMinute", "0")]
    [InlineData("Cairn:Smtp:UseTls", "maybe")]
    [InlineData("Cairn:Smtp:From", "not an address")]
    [InlineData("Cairn:PublicUrl", "billing.example.com")]
    [InlineData("Cairn:Webhooks:AllowedHosts", "127.0.0.1, not a host!")]
    [InlineData("Cairn:Webhooks:RetryHours", "0")]
    [InlineData("Cairn:Outbox:LeaseSeconds", "5")]
    [InlineData("Cairn:DataProtection:CertificatePath", "/nonexistent/keyring.pfx")]
    [InlineData("Cairn:DataProtection:CertificatePassword", "a password without its file")]
    public async Task A_bad_setting_stops_start_up_with_a_message_naming_the_key(string key, string value)
    {
        await using var app = new CairnApp(engine) { Settings = new Dictionary<string, string?> { [key] = value } };

        var error = Record.Exception(() => app.CreateClient());

        Assert.NotNull(error);
        var messages = string.Join(" | ", Causes(error).Select(e => e.Message));
        Assert.Contains(key, messages, StringComparison.Ordinal);
    }

    /// <summary>Fresh-user trial (session 12): the message named <c>Cairn:PostgresReplica</c> to someone who had typed <c>--postgres-replica</c>.</summary>
    [Theory]
    [InlineData("Cairn:PostgresReplica", "Host=127.0.0.1;Port=5999;Database=cairn", "Cairn:PostgresReplica (--postgres-replica) is set but Cairn:Postgres (--postgres) is not")]
    [InlineData("Cairn:Port", "70000", "Cairn:Port (--port) is 70000")]
    public async Task A_bad_setting_that_has_a_command_line_switch_is_named_with_its_switch(string key, string value, string expected)
    {
        await using var app = new CairnApp(engine) { Settings = new Dictionary<string, string?> { [key] = value } };

        var error = Record.Exception(() => app.CreateClient());

        Assert.NotNull(error);
        Assert.Contains(expected, string.Join(" | ", Causes(error).Select(e => e.Message)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_ring_certificate_with_the_wrong_password_stops_start_up_naming_the_setting_and_not_the_password()
    {
        await using var app = new CairnApp(engine)
        {
            Settings = new Dictionary<string, string?>
            {
                ["Cairn:DataProtection:CertificatePath"] = Identity.TestCertificate.Path.Value,
                ["Cairn:DataProtection:CertificatePassword"] = "WrongPassword123",
            },
        };

        var error = Record.Exception(() => app.CreateClient());

        Assert.NotNull(error);
        var messages = string.Join(" | ", Causes(error).Select(e => e.Message));
        Assert.Contains("Cairn:DataProtection:CertificatePath", messages, StringComparison.Ordinal);
        Assert.DoesNotContain("WrongPassword123", messages, StringComparison.Ordinal);
    }

    /// <summary>
    /// Operator trial: `dotnet Cairn.Server.dll` with a bad setting ended in .NET's unhandled-exception stack trace and
    /// an abort (exit code 134). The process now says why in one line and exits with code 1.
    /// </summary>
    [Fact]
    public async Task The_server_process_refused_a_bad_setting_in_one_line_and_exits_with_code_1()
    {
        var folder = Directory.CreateTempSubdirectory("cairn-refused-").FullName;
        var (server, output) = StartingElsewhereTests<SqliteEngine>.Start(engine, folder, StartingElsewhereTests<SqliteEngine>.FreePort(), "--Cairn:Jobs:IntervalSeconds=abc");
        try
        {
            using var waited = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await server.WaitForExitAsync(waited.Token);
            server.WaitForExit(); // the last lines of output
            var said = string.Join('\n', output);
            Assert.Equal(1, server.ExitCode);
            Assert.Contains("Cairn did not start: ", said, StringComparison.Ordinal);
            Assert.Contains("Cairn:Jobs:IntervalSeconds", said, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", said, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", said, StringComparison.Ordinal);
        }
        finally
        {
            await StartingElsewhereTests<SqliteEngine>.StopAsync(server, folder);
        }
    }

    [Fact]
    public async Task Good_settings_start_the_server_and_are_used()
    {
        await using var app = new CairnApp(engine) { Settings = new Dictionary<string, string?> { ["Cairn:Jobs:IntervalSeconds"] = "300", ["Cairn:LogFormat"] = "json" } };

        var health = await app.CreateClient().GetAsync("/healthz");

        Assert.True(health.IsSuccessStatusCode);
        Assert.Equal(TimeSpan.FromMinutes(5), app.Services.GetRequiredService<Cairn.Server.Jobs.ScheduledBilling>().Interval);
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (var c = (Exception?)e; c is not null; c = c.InnerException)
        {
            yield return c;
            if (c is AggregateException many)
            {
                foreach (var inner in many.InnerExceptions.SelectMany(Causes))
                    yield return inner;
            }
        }
    }
}
