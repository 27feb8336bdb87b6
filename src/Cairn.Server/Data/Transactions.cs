using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Data;

/// <summary>
/// The one transaction runner of the API's unit of work, the web pages and the scheduled jobs: a
/// change runs in one database transaction that commits only when the work says it succeeded,
/// and rolls back whole otherwise, so a refused or failed change leaves nothing behind.
/// </summary>
public static class Transactions
{
    /// <summary>
    /// Runs <paramref name="work"/> in one transaction on <paramref name="db"/>. When it returns
    /// true the pending changes are saved and the transaction commits; when it returns false or
    /// throws, the transaction rolls back and the change tracker is cleared (the exception is
    /// rethrown for the caller to map, see <see cref="Requests.Failure"/>). Returns whether it committed.
    /// </summary>
    public static async Task<bool> RunAsync(CairnDb db, Func<Task<bool>> work, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            if (!await work())
            {
                await transaction.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
                return false;
            }

            await db.SaveChangesAsync(cancellationToken);

            // Once the work is done the answer is decided: commit even if the caller stopped waiting.
            await transaction.CommitAsync(CancellationToken.None);
            return true;
        }
        catch
        {
            db.ChangeTracker.Clear();
            await RollBackQuietlyAsync(transaction);
            throw;
        }
    }

    private static async Task RollBackQuietlyAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The connection that failed may be gone; its transaction is rolled back by the server then.
        }
    }
}

/// <summary>What a database error means for the one who asked: a duplicate, or "busy, try again".</summary>
public static class DatabaseFailures
{
    /// <summary>Whether a save failed on a unique index (SQLite 2067/1555, PostgreSQL 23505).</summary>
    public static bool IsUniqueViolation(Exception e) => Causes(e).Any(c => c switch
    {
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteExtendedErrorCode is 2067 or 1555,
        Npgsql.PostgresException p => p.SqlState == "23505",
        _ => false,
    });

    /// <summary>
    /// Whether a save failed on a unique index or primary key of one table: PostgreSQL names the
    /// table, SQLite names its columns as <c>table.column</c>. A batch that writes several tables
    /// tells this way which of its rows lost the race.
    /// </summary>
    public static bool IsUniqueViolation(Exception e, string table) => Causes(e).Any(c => c switch
    {
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteExtendedErrorCode is 2067 or 1555 && s.Message.Contains($" {table}.", StringComparison.Ordinal),
        Npgsql.PostgresException p => p.SqlState == "23505" && p.TableName == table,
        _ => false,
    });

    /// <summary>
    /// Whether an error (or one it wraps, as EF Core and its execution strategy do) is a transient
    /// failure of the database that a retry may not meet: SQLite busy or locked (5, 6); on
    /// PostgreSQL a serialization failure (40001), deadlock (40P01), lock timeout (55P03), the server
    /// shutting down or refusing connections (57P01–57P03, 53300) and whatever Npgsql itself marks
    /// transient (lost connections, timeouts, an exhausted pool).
    /// </summary>
    public static bool IsTransient(Exception e) => e is not OperationCanceledException && Causes(e).Any(c => c switch
    {
        Npgsql.PostgresException p => p.IsTransient || p.SqlState is "40001" or "40P01" or "55P03" or "57P01" or "57P02" or "57P03" or "53300",
        Npgsql.NpgsqlException n => n.IsTransient,
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteErrorCode is 5 or 6,
        _ => false,
    });

    /// <summary>
    /// Whether the connection to PostgreSQL died under the request: the server ended the session
    /// (57P01 terminated by an administrator or a restart, 57P02 crash, class 08 connection
    /// exception) or the socket broke while reading or writing. Npgsql drops a broken connection
    /// from its pool and clears the pool's other idle connections with it, so a retry gets a fresh one.
    /// </summary>
    public static bool IsConnectionLost(Exception e) => e is not OperationCanceledException && Causes(e).Any(c => c switch
    {
        Npgsql.PostgresException p => p.SqlState is "57P01" or "57P02" || p.SqlState.StartsWith("08", StringComparison.Ordinal),
        Npgsql.NpgsqlException n => n.InnerException is IOException or System.Net.Sockets.SocketException,
        _ => false,
    });

    /// <summary>
    /// Whether PostgreSQL did not answer in time: a connection that could not be opened within its
    /// <c>Timeout</c>, or a command not answered within its <c>Command Timeout</c> (Npgsql wraps a
    /// <see cref="TimeoutException"/>). Not a request that was cancelled.
    /// </summary>
    public static bool IsTimedOut(Exception e) => e is not OperationCanceledException && Causes(e).Any(c => c is TimeoutException or Npgsql.NpgsqlException { InnerException: TimeoutException });

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (var c = (Exception?)e; c is not null; c = c.InnerException)
            yield return c;
    }
}
