using System.Diagnostics;
using Cairn.Server.Data;
using Npgsql;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL primary and a hot standby streaming from it, both throwaway clusters on loopback
/// started by <c>scripts/pg.sh</c> (<c>start_postgres</c>, <c>start_standby</c>) for one test class,
/// and stopped by their pids afterwards. <see cref="Engine.Settings"/> names a migrated database on
/// the primary; <see cref="StandbyConnectionString"/> the same database on the standby.
/// </summary>
public sealed class ReplicatedPostgres : Engine
{
    private readonly List<int> _pids = [];
    private string _directory = "";

    /// <summary>The migrated database, on the standby.</summary>
    public string StandbyConnectionString { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        var script = Path.Combine(Repository.Root, "scripts", "pg.sh");
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { "-c", "set -e; source \"$0\"; PG_DIR=''; PG_PID=''; pg_prerequisites >&2; start_postgres >&2; start_standby >&2; printf '%s\\n' \"$CAIRN_TEST_POSTGRES\" \"$CAIRN_TEST_POSTGRES_STANDBY\" \"$PG_PID\" \"$STANDBY_PID\" \"$PG_DIR\"", script },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await bash.WaitForExitAsync(timeout.Token);
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (bash.ExitCode != 0 || lines.Length != 5)
            throw new InvalidOperationException("scripts/pg.sh could not start a primary and a standby:\n" + await errors);
        _pids.AddRange([int.Parse(lines[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(lines[3], System.Globalization.CultureInfo.InvariantCulture)]);
        _directory = lines[4];

        const string name = "cairn_replicated";
        await using (var admin = new NpgsqlConnection(lines[0]))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        Settings = new DatabaseSettings("postgres", new NpgsqlConnectionStringBuilder(lines[0]) { Database = name }.ConnectionString);
        StandbyConnectionString = new NpgsqlConnectionStringBuilder(lines[1]) { Database = name }.ConnectionString;
        await MigrateAsync();
    }

    /// <summary>Runs <paramref name="sql"/> on the standby and returns its single value.</summary>
    public async Task<object?> OnStandbyAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(StandbyConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public override async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var pid in _pids)
        {
            // SIGINT: PostgreSQL's fast shutdown.
            using var kill = Process.Start("kill", ["-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }

        for (var i = 0; i < 100 && _pids.Any(Running); i++)
            await Task.Delay(100);
        if (_directory.StartsWith("/tmp/cairn-pg.", StringComparison.Ordinal))
            Directory.Delete(_directory, recursive: true);
    }

    private static bool Running(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].StartsWith('Z');
}
