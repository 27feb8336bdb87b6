using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cairn.Bench;

/// <summary>pgbench: its TPC-B-like transaction or a script of ours (the approve floor), run against the same PostgreSQL server as Cairn, with per-transaction latencies from its log.</summary>
internal static partial class PgBench
{
    /// <summary>Creates the pgbench tables at a scale factor in the database of <paramref name="connectionString"/>.</summary>
    public static async Task InitAsync(string pgbench, string connectionString, int scale)
    {
        var (status, _, error) = await Databases.RunAsync(pgbench, [.. Connection(connectionString), "-i", "-q", "-s", scale.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(20));
        if (status != 0)
            throw new InvalidOperationException($"pgbench -i failed: {error}");
    }

    /// <summary>A warm-up run, then a measured run of whole seconds with per-transaction logging.</summary>
    /// <param name="script">Extra pgbench options choosing the transaction (e.g. <c>-M prepared -f script.sql -D …</c>); the built-in TPC-B-like script when empty.</param>
    public static async Task<LoadResult> RunAsync(string pgbench, string connectionString, int clients, TimeSpan warmup, TimeSpan duration, string workDirectory, params string[] script)
    {
        var threads = Math.Min(clients, 2).ToString(CultureInfo.InvariantCulture);
        var c = clients.ToString(CultureInfo.InvariantCulture);
        // pgbench counts whole seconds; a warm-up under one second (the smoke run) is left out.
        if (warmup >= TimeSpan.FromSeconds(1))
        {
            var warm = ((int)Math.Round(warmup.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await Databases.RunAsync(pgbench, [.. Connection(connectionString), .. script, "-n", "-c", c, "-j", threads, "-T", warm], TimeSpan.FromMinutes(5));
        }

        var folder = Directory.CreateDirectory(Path.Combine(workDirectory, $"pgbench-{clients}-{Guid.NewGuid():N}")).FullName;
        var seconds = Math.Max(1, (int)Math.Round(duration.TotalSeconds));
        var (status, output, error) = await Databases.RunAsync(pgbench,
            [.. Connection(connectionString), .. script, "-n", "-c", c, "-j", threads, "-T", seconds.ToString(CultureInfo.InvariantCulture), "-l", "--log-prefix", Path.Combine(folder, "pgbench")],
            TimeSpan.FromSeconds(seconds + 300), folder);
        if (status != 0)
            throw new InvalidOperationException($"pgbench failed ({status}): {error}");
        var processed = long.Parse(Processed().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var failed = Failed().Match(output) is { Success: true } f ? long.Parse(f.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

        // Log lines: client_id transaction_no latency_us script_no epoch_s epoch_us
        var latencies = new List<double>((int)processed);
        foreach (var file in Directory.EnumerateFiles(folder, "pgbench*"))
        {
            foreach (var line in File.ReadLines(file))
            {
                var fields = line.Split(' ');
                if (fields.Length >= 3 && double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var micros))
                    latencies.Add(micros / 1000.0);
            }
        }

        Directory.Delete(folder, recursive: true);
        return LoadResult.Of(clients, processed, seconds, latencies, failed);
    }

    /// <summary>The pgbench server version line, e.g. <c>pgbench (PostgreSQL) 15.x</c>.</summary>
    public static async Task<string> VersionAsync(string pgbench) => (await Databases.RunAsync(pgbench, ["--version"], TimeSpan.FromSeconds(30))).Output.Trim();

    private static string[] Connection(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return ["-h", builder.Host ?? "127.0.0.1", "-p", builder.Port.ToString(CultureInfo.InvariantCulture), "-U", builder.Username ?? "postgres", builder.Database ?? "postgres"];
    }

    [GeneratedRegex(@"number of transactions actually processed: (\d+)")]
    private static partial Regex Processed();

    [GeneratedRegex(@"number of failed transactions: (\d+)")]
    private static partial Regex Failed();
}

/// <summary>The SQLite reference: single-row INSERTs, each its own committed transaction, into a WAL database file with synchronous=FULL (Cairn's settings).</summary>
internal sealed class SqliteInserts : IDisposable
{
    private readonly List<(SqliteConnection Connection, SqliteCommand Insert)> _workers = [];

    public SqliteInserts(string file, int workers)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 30 }.ToString();
        for (var i = 0; i < workers; i++)
        {
            var connection = new SqliteConnection(connectionString);
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; CREATE TABLE IF NOT EXISTS entries (id INTEGER PRIMARY KEY, worker INTEGER NOT NULL, body TEXT NOT NULL, at TEXT NOT NULL);";
                pragmas.ExecuteNonQuery();
            }

            var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO entries (worker, body, at) VALUES ($worker, $body, $at)";
            insert.Parameters.AddWithValue("$worker", i);
            insert.Parameters.AddWithValue("$body", "An invoice-sized row of text, roughly what one business record holds.");
            insert.Parameters.AddWithValue("$at", "");
            insert.Prepare();
            _workers.Add((connection, insert));
        }
    }

    /// <summary>One committed single-row insert by a worker.</summary>
    public bool Insert(int worker)
    {
        var insert = _workers[worker].Insert;
        insert.Parameters["$at"].Value = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        return insert.ExecuteNonQuery() == 1;
    }

    public void Dispose()
    {
        foreach (var (connection, insert) in _workers)
        {
            insert.Dispose();
            connection.Dispose();
        }
    }
}
