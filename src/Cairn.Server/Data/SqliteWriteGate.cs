using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cairn.Server.Data;

/// <summary>
/// One in-process queue of writers per SQLite file. SQLite lets one writer at a time hold the file's
/// write lock; a writer that finds it taken waits in SQLite's busy handler, which blocks a thread and
/// polls with sleeps of up to 100 ms, so under load waiting writers slept past the moment the lock
/// came free, blocked the thread pool, and more clients made approvals slower (issue 16). Every EF
/// Core write on a SQLite connection first awaits this gate instead: a transaction from its
/// <c>BEGIN</c> to its commit or rollback, a <c>SaveChanges</c> without a transaction, and a
/// statement (<c>ExecuteUpdate</c>, <c>ExecuteSql</c>) run outside one. Waiting writers queue
/// without holding a thread and the next one starts as soon as the previous one ends.
/// The file lock stays the real guard: another process (the <c>cairn</c> CLI) still writes
/// through the busy timeout, and reads never wait here (WAL readers do not block the writer).
/// </summary>
internal sealed class SqliteWriteGate : IDbTransactionInterceptor, ISaveChangesInterceptor, IDbCommandInterceptor, IDbConnectionInterceptor
{
    /// <summary>The one instance, registered on every SQLite context.</summary>
    public static readonly SqliteWriteGate Instance = new();

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> ByFile = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> ByConnectionString = new(StringComparer.Ordinal);
    private static readonly ConditionalWeakTable<DbConnection, Hold> Holds = new();

    /// <summary>What a connection holds the gate for; it is released when none of them is left.</summary>
    [Flags]
    private enum Reason
    {
        None = 0,
        Transaction = 1,
        Save = 2,
        Statement = 4,
    }

    private sealed class Hold(SemaphoreSlim gate)
    {
        public SemaphoreSlim Gate { get; } = gate;

        public Reason Reasons { get; set; }
    }

    /// <summary>The gate of the file a connection opens: one per full path, looked up by connection string.</summary>
    private static SemaphoreSlim GateOf(DbConnection connection) =>
        ByConnectionString.GetOrAdd(connection.ConnectionString, c =>
            ByFile.GetOrAdd(Path.GetFullPath(new SqliteConnectionStringBuilder(c).DataSource), _ => new SemaphoreSlim(1, 1)));

    private static async ValueTask EnterAsync(DbConnection connection, Reason reason, CancellationToken cancellationToken)
    {
        var hold = Holds.GetValue(connection, c => new Hold(GateOf(c)));
        if (hold.Reasons == Reason.None && !await hold.Gate.WaitAsync(SqlitePragmas.BusyTimeout, cancellationToken))
            throw Busy();
        hold.Reasons |= reason;
    }

    private static void Enter(DbConnection connection, Reason reason)
    {
        var hold = Holds.GetValue(connection, c => new Hold(GateOf(c)));
        if (hold.Reasons == Reason.None && !hold.Gate.Wait(SqlitePragmas.BusyTimeout))
            throw Busy();
        hold.Reasons |= reason;
    }

    private static void Exit(DbConnection? connection, Reason reason)
    {
        if (connection is null || !Holds.TryGetValue(connection, out var hold) || (hold.Reasons & reason) == Reason.None)
            return;
        hold.Reasons &= ~reason;
        if (hold.Reasons == Reason.None)
            hold.Gate.Release();
    }

    // The same answer SQLite gives a writer that waited out its busy timeout: transient, "try again".
    private static SqliteException Busy() => new(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The database is busy: another write did not finish within {SqlitePragmas.BusyTimeout.TotalSeconds:0} s."), 5, 5);

    private static bool WritesOutsideTransaction(DbCommand command) => command.Transaction is null;

    // Transactions: from BEGIN IMMEDIATE (a writer from its first statement, so it never has to upgrade a
    // read snapshot another writer has made stale) to COMMIT or ROLLBACK. A BEGIN that fails holds nothing.
    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await EnterAsync(connection, Reason.Transaction, cancellationToken);
        return Begin(connection, eventData);
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Enter(connection, Reason.Transaction);
        return Begin(connection, eventData);
    }

    private static InterceptionResult<DbTransaction> Begin(DbConnection connection, TransactionStartingEventData eventData)
    {
        try
        {
            return InterceptionResult<DbTransaction>.SuppressWithResult(((SqliteConnection)connection).BeginTransaction(eventData.IsolationLevel, deferred: false));
        }
        catch
        {
            Exit(connection, Reason.Transaction);
            throw;
        }
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Exit(ConnectionOf(transaction, eventData), Reason.Transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Exit(ConnectionOf(transaction, eventData), Reason.Transaction);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }

    // A committed SqliteTransaction forgets its connection; the context still knows it.
    private static DbConnection? ConnectionOf(DbTransaction transaction, TransactionEventData eventData) =>
        eventData.Context?.Database.GetDbConnection() ?? transaction.Connection;

    // A failed ROLLBACK ends the transaction; a failed COMMIT leaves it open for the rollback that follows.
    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData)
    {
        if (eventData.Action == "Rollback")
            Exit(ConnectionOf(transaction, eventData), Reason.Transaction);
    }

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionFailed(transaction, eventData);
        return Task.CompletedTask;
    }

    // SaveChanges without a transaction of the caller's: EF writes one statement, or begins its own transaction
    // inside. One with nothing to save writes nothing and takes no place in the queue.
    public async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (SavesAlone(eventData.Context))
            await EnterAsync(eventData.Context.Database.GetDbConnection(), Reason.Save, cancellationToken);
        return result;
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (SavesAlone(eventData.Context))
            Enter(eventData.Context.Database.GetDbConnection(), Reason.Save);
        return result;
    }

    private static bool SavesAlone([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] DbContext? context) =>
        context is not null && context.Database.CurrentTransaction is null && context.ChangeTracker.HasChanges();

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        ExitSave(eventData);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ExitSave(eventData);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => ExitSave(eventData);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ExitSave(eventData);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => ExitSave(eventData);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        ExitSave(eventData);
        return Task.CompletedTask;
    }

    private static void ExitSave(DbContextEventData eventData)
    {
        if (eventData.Context is not null)
            Exit(eventData.Context.Database.GetDbConnection(), Reason.Save);
    }

    // A statement outside a transaction (ExecuteUpdate, ExecuteDelete, ExecuteSql) is its own write transaction.
    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (WritesOutsideTransaction(command))
            await EnterAsync(command.Connection!, Reason.Statement, cancellationToken);
        return result;
    }

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        if (WritesOutsideTransaction(command))
            Enter(command.Connection!, Reason.Statement);
        return result;
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Exit(command.Connection, Reason.Statement);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Exit(command.Connection, Reason.Statement);
        return ValueTask.FromResult(result);
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Exit(command.Connection, Reason.Statement);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Exit(command.Connection, Reason.Statement);
        return Task.CompletedTask;
    }

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Exit(command.Connection, Reason.Statement);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Exit(command.Connection, Reason.Statement);
        return Task.CompletedTask;
    }

    // The safety net: a connection that closes holds no write lock, so it holds no place in the queue either
    // (a transaction disposed without commit or rollback is rolled back by SQLite when EF closes its connection).
    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Exit(connection, Reason.Transaction | Reason.Save | Reason.Statement);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        ConnectionClosed(connection, eventData);
        return Task.CompletedTask;
    }
}
