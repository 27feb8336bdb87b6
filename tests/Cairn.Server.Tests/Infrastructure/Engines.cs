using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>
/// A real database for one test class: a fresh SQLite file, or a fresh database on the
/// PostgreSQL server that ./test.sh starts (its connection string in CAIRN_TEST_POSTGRES).
/// </summary>
public abstract class Engine : IAsyncLifetime
{
    /// <summary>The settings the server and the tests use to reach this database.</summary>
    public DatabaseSettings Settings { get; protected set; } = null!;

    /// <summary>A new unit of work for a tenant (or none, to see nothing).</summary>
    public CairnDb NewDb(Guid tenantId = default)
    {
        var options = new DbContextOptionsBuilder<CairnDb>();
        Settings.Configure(options);
        return new CairnDb(options.Options) { TenantId = tenantId };
    }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    /// <summary>Creates the schema through the real migrations.</summary>
    protected async Task MigrateAsync()
    {
        await using var db = NewDb();
        await Migrator.MigrateAsync(db);
    }
}

/// <summary>A SQLite database file in a temporary folder, deleted afterwards.</summary>
public sealed class SqliteEngine : Engine
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cairn-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The folder holding the database file.</summary>
    public string Directory => _directory;

    public override async Task InitializeAsync()
    {
        Settings = DatabaseSettings.Sqlite(Path.Combine(_directory, "cairn.db"));
        await MigrateAsync();
    }

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A server still shutting down may hold the file for a moment; the temp folder is cleaned by the OS.
        }

        return Task.CompletedTask;
    }
}

/// <summary>A fresh database on the test PostgreSQL server, dropped afterwards.</summary>
public sealed class PostgresEngine : Engine
{
    private readonly string _name = "cairn_" + Guid.NewGuid().ToString("N");
    private string _admin = "";

    public override async Task InitializeAsync()
    {
        _admin = Environment.GetEnvironmentVariable("CAIRN_TEST_POSTGRES")
            ?? throw new InvalidOperationException("CAIRN_TEST_POSTGRES is not set: run the tests through ./test.sh, which starts a throwaway PostgreSQL server.");
        await ExecuteAsync($"CREATE DATABASE {_name}");
        var builder = new NpgsqlConnectionStringBuilder(_admin) { Database = _name };
        Settings = new DatabaseSettings("postgres", builder.ToString());
        await MigrateAsync();
    }

    public override async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
