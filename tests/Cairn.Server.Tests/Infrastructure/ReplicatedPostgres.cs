using System.Diagnostics;
using System.Globalization;
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
    private int _primaryPid;
    private int _standbyPid;
    private string _directory = "";

    /// <summary>The migrated database, on the standby.</summary>
    public string StandbyConnectionString { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        var lines = await PgShAsync("PG_DIR=''; PG_PID=''; pg_prerequisites >&2; start_postgres >&2; start_standby >&2; printf '%s\\n' \"$CAIRN_TEST_POSTGRES\" \"$CAIRN_TEST_POSTGRES_STANDBY\" \"$PG_PID\" \"$STANDBY_PID\" \"$PG_DIR\"");
        if (lines.Length != 5)
            throw new InvalidOperationException("scripts/pg.sh could not start a primary and a standby: " + string.Join('\n', lines));
        (_primaryPid, _standbyPid) = (int.Parse(lines[2], CultureInfo.InvariantCulture), int.Parse(lines[3], CultureInfo.InvariantCulture));
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

    /// <summary>Stops the standby (PostgreSQL's fast shutdown, which ends its sessions) and waits until it has exited.</summary>
    public async Task StopStandbyAsync()
    {
        await StopAsync(_standbyPid);
        for (var i = 0; i < 100 && Running(_standbyPid); i++)
            await Task.Delay(100);
        if (Running(_standbyPid))
            throw new InvalidOperationException($"The standby (pid {_standbyPid}) did not stop within 10 s.");
        // The fixture's own pooled connections to it are dead too.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(StandbyConnectionString));
    }

    /// <summary>Starts the standby again, on its port, after <see cref="StopStandbyAsync"/> (nothing when it runs); it resumes streaming from the primary.</summary>
    public async Task StartStandbyAsync()
    {
        if (Running(_standbyPid))
            return;
        var port = new NpgsqlConnectionStringBuilder(StandbyConnectionString).Port;
        var lines = await PgShAsync($"PG_DIR='{_directory}'; PG_BIN=\"$(find_pg_bin)\"; restart_standby {port} >&2; echo \"$STANDBY_PID\"");
        _standbyPid = int.Parse(lines.Single(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Freezes every process of the standby (SIGSTOP to its postmaster and its children): it keeps
    /// accepting TCP connections in the kernel and answers nothing, as a hung host does.
    /// </summary>
    public async Task HangStandbyAsync() => await SignalStandbyAsync("-STOP");

    /// <summary>Lets a standby frozen by <see cref="HangStandbyAsync"/> run again (SIGCONT).</summary>
    public async Task ResumeStandbyAsync() => await SignalStandbyAsync("-CONT");

    private async Task SignalStandbyAsync(string signal)
    {
        var children = Directory.GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == _standbyPid);
        foreach (var pid in children.Prepend(_standbyPid))
        {
            using var kill = Process.Start("kill", [signal, pid.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }
    }

    private static int ParentOf(int pid)
    {
        try
        {
            return int.Parse(File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    public override async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ResumeStandbyAsync();
        int[] pids = [_primaryPid, _standbyPid];
        foreach (var pid in pids)
            await StopAsync(pid);

        for (var i = 0; i < 100 && pids.Any(Running); i++)
            await Task.Delay(100);
        if (_directory.StartsWith("/tmp/cairn-pg.", StringComparison.Ordinal))
            Directory.Delete(_directory, recursive: true);
    }

    // SIGINT: PostgreSQL's fast shutdown. Only pids this fixture started.
    private static async Task StopAsync(int pid)
    {
        if (pid <= 0 || !Running(pid))
            return;
        using var kill = Process.Start("kill", ["-INT", pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    // Runs bash with scripts/pg.sh sourced (set -e); returns its standard output's lines, or throws with its errors.
    private static async Task<string[]> PgShAsync(string commands)
    {
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { "-c", "set -e; source \"$0\"; " + commands, Path.Combine(Repository.Root, "scripts", "pg.sh") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await bash.WaitForExitAsync(timeout.Token);
        if (bash.ExitCode != 0)
            throw new InvalidOperationException("scripts/pg.sh failed:\n" + await errors);
        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static bool Running(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].StartsWith('Z');
}
