using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>
/// Records every database round trip (statement, commit) and every <c>SaveChanges</c> that the
/// server's contexts make while answering a request whose path starts with <see cref="Path"/>:
/// background work (the outbox dispatcher, jobs) is not counted.
/// </summary>
public sealed class Statements : DbCommandInterceptor, ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private IHttpContextAccessor? _http;

    /// <summary>The request path prefix to record, e.g. <c>/api/v1/milestones/</c>; nothing is recorded while null.</summary>
    public string? Path { get; set; }

    /// <summary>Also records what is sent outside any request (the scheduled jobs), while true.</summary>
    public bool OutsideRequests { get; set; }

    /// <summary>The statements sent, in order, with copies of their parameters.</summary>
    public ConcurrentQueue<Statement> Sent { get; } = new();

    /// <summary>How many times <c>SaveChanges</c> ran.</summary>
    public int SaveChangesCalls => _saves;

    /// <summary>How many commits were sent.</summary>
    public int Commits => _commits;

    private int _saves;
    private int _commits;

    /// <summary>Adds the recorder to the server's contexts (for <see cref="CairnApp.TestServices"/>).</summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.ConfigureDbContext<Data.CairnDb>((sp, options) =>
        {
            _http ??= sp.GetRequiredService<IHttpContextAccessor>();
            options.AddInterceptors(this);
        });
    }

    /// <summary>
    /// The open connection of <paramref name="db"/>, ready to plan statements again: PostgreSQL is told to avoid
    /// sequential scans, so on a test's few rows it scans only where no index can serve.
    /// </summary>
    public static async Task<DbConnection> PlanningConnectionAsync(Data.CairnDb db)
    {
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        if (db.IsPostgres)
        {
            await using var off = connection.CreateCommand();
            off.CommandText = "SET enable_seqscan = off";
            await off.ExecuteNonQueryAsync();
        }

        return connection;
    }

    /// <summary>Forgets what was recorded.</summary>
    public void Clear()
    {
        Sent.Clear();
        _saves = 0;
        _commits = 0;
    }

    /// <summary>Round trips: statements plus commits.</summary>
    public int RoundTrips => Sent.Count + Commits;

    private bool Recording => _http?.HttpContext is not { } http ? OutsideRequests : Path is { } path && http.Request.Path.StartsWithSegments(path);

    private void Record(DbCommand command)
    {
        if (Recording)
            Sent.Enqueue(new Statement(command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value, p.DbType)).ToList()));
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Record(command);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (Recording)
            Interlocked.Increment(ref _saves);
        return ValueTask.FromResult(result);
    }

    public ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (Recording)
            Interlocked.Increment(ref _commits);
        return ValueTask.FromResult(result);
    }

    /// <summary>A statement as sent, with its parameters, so a test can ask the database for its plan.</summary>
    public sealed record Statement(string Sql, IReadOnlyList<(string Name, object? Value, System.Data.DbType Type)> Parameters)
    {
        public override string ToString() => Sql;

        /// <summary>The plan the database makes of this statement with its own parameters (<c>EXPLAIN</c>, or SQLite's <c>EXPLAIN QUERY PLAN</c>), one line per row.</summary>
        public async Task<string> PlanAsync(DbConnection connection, bool postgres)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = (postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + Sql;
            foreach (var (name, value, type) in Parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                if (!postgres)
                    parameter.DbType = type;
                command.Parameters.Add(parameter);
            }

            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                lines.Add(reader.GetValue(reader.FieldCount - 1)?.ToString() ?? "");
            return string.Join('\n', lines);
        }
    }
}
