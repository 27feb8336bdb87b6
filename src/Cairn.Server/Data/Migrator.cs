using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Data;

/// <summary>
/// Applies the versioned SQL migrations of the engine in use (Data/Migrations/Sqlite or
/// /Postgres), each in its own transaction, recording them in <c>schema_migrations</c>. A
/// database made by an older version is brought up to date at start-up. On PostgreSQL an
/// advisory lock makes several instances starting together take turns.
/// </summary>
public static class Migrator
{
    private const long PostgresLockKey = 0x43_41_49_52_4E; // "CAIRN"

    /// <summary>The migrations shipped with this build, in order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations(bool postgres)
    {
        var assembly = typeof(Migrator).Assembly;
        var folder = postgres ? ".Data.Migrations.Postgres." : ".Data.Migrations.Sqlite.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.Contains(folder, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[(n.IndexOf(folder, StringComparison.Ordinal) + folder.Length)..^4];
                var version = int.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
                return (version, file, Read(assembly, n));
            })
            .OrderBy(m => m.version)
            .ToList();
    }

    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestVersion(bool postgres) => Migrations(postgres)[^1].Version;

    /// <summary>Brings the database up to the latest version; returns the version it is at.</summary>
    public static Task<int> MigrateAsync(CairnDb db, CancellationToken cancellationToken = default) =>
        MigrateAsync(db, int.MaxValue, cancellationToken);

    /// <summary>Brings the database up to <paramref name="targetVersion"/> (used to build old databases in upgrade tests).</summary>
    public static async Task<int> MigrateAsync(CairnDb db, int targetVersion, CancellationToken cancellationToken = default)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await MigrateAsync(db.Database.GetDbConnection(), db.IsPostgres, targetVersion, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Brings the database up to date over a plain connection, without building EF Core's model (start-up does this).</summary>
    public static async Task<int> MigrateAsync(DatabaseSettings settings, CancellationToken cancellationToken = default)
    {
        await using var connection = await settings.OpenConnectionAsync(cancellationToken);
        return await MigrateAsync(connection, settings.IsPostgres, int.MaxValue, cancellationToken);
    }

    private static async Task<int> MigrateAsync(DbConnection connection, bool postgres, int targetVersion, CancellationToken cancellationToken)
    {
        try
        {
            if (postgres)
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({PostgresLockKey})", cancellationToken);
            await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)", cancellationToken);
            var applied = await AppliedVersionsAsync(connection, cancellationToken);
            foreach (var (version, name, sql) in Migrations(postgres))
            {
                if (applied.Contains(version) || version > targetVersion)
                    continue;
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, sql, cancellationToken);
                await using var record = connection.CreateCommand();
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)";
                AddParameter(record, "@v", version);
                AddParameter(record, "@n", name);
                AddParameter(record, "@t", DateTimeOffset.UtcNow.ToString("O"));
                await record.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            return await CurrentVersionAsync(connection, cancellationToken);
        }
        finally
        {
            if (postgres)
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({PostgresLockKey})", CancellationToken.None);
        }
    }

    /// <summary>The schema version of an open database (0 when it has never been migrated).</summary>
    public static async Task<int> CurrentVersionAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<HashSet<int>> AppliedVersionsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_migrations";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new HashSet<int>();
        while (await reader.ReadAsync(cancellationToken))
            versions.Add(reader.GetInt32(0));
        return versions;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
