using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cairn.Server.Data;

/// <summary>Which engine Cairn stores its data in, and where.</summary>
/// <param name="Engine">Either <c>sqlite</c> or <c>postgres</c>.</param>
/// <param name="ConnectionString">The provider connection string.</param>
public sealed record DatabaseSettings(string Engine, string ConnectionString)
{
    /// <summary>Whether the engine is PostgreSQL.</summary>
    public bool IsPostgres => Engine == "postgres";

    /// <summary>
    /// Reads the settings: a PostgreSQL connection string from <c>Cairn:Postgres</c> (the
    /// <c>--postgres</c> option or <c>CAIRN_POSTGRES</c>), else a SQLite file in
    /// <c>Cairn:DataDirectory</c> (<c>--data-dir</c> or <c>CAIRN_DATA_DIR</c>, default <c>./data</c>).
    /// </summary>
    public static DatabaseSettings From(IConfiguration configuration)
    {
        var postgres = configuration["Cairn:Postgres"];
        if (!string.IsNullOrWhiteSpace(postgres))
            return new DatabaseSettings("postgres", postgres);
        var directory = Path.GetFullPath(configuration["Cairn:DataDirectory"] is { Length: > 0 } d ? d : "data");
        return Sqlite(Path.Combine(directory, "cairn.db"));
    }

    /// <summary>Settings for a SQLite database file, creating its folder if needed.</summary>
    public static DatabaseSettings Sqlite(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var builder = new SqliteConnectionStringBuilder { DataSource = file, Pooling = true, DefaultTimeout = 30 };
        return new DatabaseSettings("sqlite", builder.ToString());
    }

    /// <summary>Configures EF Core for the engine.</summary>
    public void Configure(DbContextOptionsBuilder options)
    {
        if (IsPostgres)
        {
            options.UseNpgsql(ConnectionString);
        }
        else
        {
            options.UseSqlite(ConnectionString);
            options.AddInterceptors(SqlitePragmas.Instance);
        }
    }
}

/// <summary>
/// Sets the SQLite pragmas on every connection: WAL journal (survives crashes, lets readers run
/// beside the writer), foreign keys on, a busy timeout so writers queue instead of failing, and
/// <c>synchronous=FULL</c> so an acknowledged commit survives power loss.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; PRAGMA synchronous=FULL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
