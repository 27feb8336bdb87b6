using System.Data.Common;
using System.Runtime.CompilerServices;
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
    /// The connection string as Cairn connects with it. On PostgreSQL, unless the string says
    /// otherwise: statements used more than once are prepared on the server (parsed and planned once
    /// per connection instead of on every query), and a connection returned to the pool is not reset
    /// with <c>DISCARD ALL</c> (Cairn leaves no session state behind), which saved a round trip per query.
    /// </summary>
    public string EffectiveConnectionString { get; } = Engine == "postgres" ? TunedForPostgres(ConnectionString) : ConnectionString;

    private static string TunedForPostgres(string connectionString)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey is true for every keyword it knows, so ask the plain parser what was written.
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Says(string keyword) => written.ContainsKey(keyword) || written.ContainsKey(keyword.Replace(" ", "", StringComparison.Ordinal));
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!Says("Max Auto Prepare"))
            builder.MaxAutoPrepare = 128;
        if (!Says("Auto Prepare Min Usages"))
            builder.AutoPrepareMinUsages = 2;
        if (!Says("No Reset On Close"))
            builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    /// <summary>
    /// Reads the settings: a PostgreSQL connection string from <c>Cairn:Postgres</c> (the
    /// <c>--postgres</c> option or <c>CAIRN_POSTGRES</c>), else a SQLite file in
    /// <c>Cairn:DataDirectory</c> (<c>--data-dir</c> or <c>CAIRN_DATA_DIR</c>, default <c>./data</c>).
    /// </summary>
    public static DatabaseSettings From(IConfiguration configuration)
    {
        var options = CairnOptions.From(configuration);
        if (!string.IsNullOrWhiteSpace(options.Postgres))
            return new DatabaseSettings("postgres", options.Postgres);
        return Sqlite(Path.Combine(Path.GetFullPath(options.DataDirectory), "cairn.db"));
    }

    /// <summary>
    /// Where the data is, for people (no credentials): the SQLite file's full path, or the
    /// PostgreSQL host, port and database name.
    /// </summary>
    public string Location
    {
        get
        {
            if (!IsPostgres)
                return Path.GetFullPath(new SqliteConnectionStringBuilder(ConnectionString).DataSource);
            var postgres = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
            return $"PostgreSQL database {postgres.Database} on {postgres.Host}:{postgres.Port}";
        }
    }

    /// <summary>The full path of the data folder: <c>Cairn:DataDirectory</c>, or <c>data</c> in the working directory.</summary>
    public static string DataDirectory(IConfiguration configuration) =>
        Path.GetFullPath(CairnOptions.From(configuration).DataDirectory);

    /// <summary>Settings for a SQLite database file, creating its folder if needed.</summary>
    public static DatabaseSettings Sqlite(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var builder = new SqliteConnectionStringBuilder { DataSource = file, Pooling = true, DefaultTimeout = 30 };
        return new DatabaseSettings("sqlite", builder.ToString());
    }

    /// <summary>
    /// Opens a plain ADO.NET connection (SQLite with Cairn's pragmas), without EF Core: start-up
    /// migrates and answers <c>/healthz</c> through it while EF Core builds its model.
    /// </summary>
    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        DbConnection connection = IsPostgres ? new Npgsql.NpgsqlConnection(EffectiveConnectionString) : new SqliteConnection(EffectiveConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (!IsPostgres)
                await SqlitePragmas.ApplyAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Configures EF Core for the engine.</summary>
    public void Configure(DbContextOptionsBuilder options)
    {
        // EF Core writes every failed command, query, save, connection and transaction at Error with its
        // stack trace, also those Cairn handles: a lost race answered 409, a unique violation or a lost
        // connection run again, a transient failure answered 503. Cairn logs what it does not handle itself
        // (ErrorHandling, the job loops) with the stack trace, so EF Core's copies are written at Debug.
        options.ConfigureWarnings(w => w.Log(
            (RelationalEventId.CommandError, LogLevel.Debug),
            (CoreEventId.QueryIterationFailed, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (RelationalEventId.ConnectionError, LogLevel.Debug),
            (RelationalEventId.TransactionError, LogLevel.Debug)));
        if (IsPostgres)
        {
            // A query that includes several collections (a payment with its applications and refunds) is one
            // statement, as EF Core does by default; saying so keeps EF Core from warning (20504) on each such read.
            options.UseNpgsql(EffectiveConnectionString, o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery));
            options.AddInterceptors(RequestStatements.Instance, PositionalParameters.Instance);
            IntegerSums.AddTo(options);
        }
        else
        {
            options.UseSqlite(ConnectionString, o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery));
            options.AddInterceptors(SqlitePragmas.Instance, SqliteWriteGate.Instance);
        }
    }
}

/// <summary>
/// Sets the SQLite pragmas on every physical connection: WAL journal (survives crashes, lets readers run
/// beside the writer), foreign keys on, a busy timeout so a writer of another process (the
/// <c>cairn</c> CLI) waits instead of failing (this process's writers queue first in
/// <see cref="SqliteWriteGate"/>), and <c>synchronous=FULL</c> so an acknowledged commit survives power loss.
/// </summary>
/// <remarks>
/// The pragmas stay set on a connection for its life, and Microsoft.Data.Sqlite's pool hands the same
/// physical connection (its <c>sqlite3</c> handle) to one logical open after another, so they are set
/// once per handle, not on every open: EF Core opens a connection per unit of work, and preparing and
/// running the four pragmas each time was part of every approval (issue 16).
/// </remarks>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    /// <summary>How long a writer waits for another to finish before it is told "busy, try again".</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private static readonly string Pragmas = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous=FULL;");

    // The physical connections whose pragmas are set; an entry goes with its handle.
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Applied = new();
    private static readonly object Marker = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsSet(connection))
            return;
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        MarkSet(connection);
    }

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
        ApplyAsync(connection, cancellationToken);

    /// <summary>Sets the pragmas on an open connection, unless its physical connection has them already.</summary>
    public static async Task ApplyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (IsSet(connection))
            return;
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        MarkSet(connection);
    }

    private static bool IsSet(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && Applied.TryGetValue(handle, out _);

    private static void MarkSet(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
            Applied.AddOrUpdate(handle, Marker);
    }
}
