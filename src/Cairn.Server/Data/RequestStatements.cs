using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cairn.Server.Data;

/// <summary>
/// Counts the database statements of the current request that PostgreSQL answered, so that a
/// request whose connection died can tell whether any of its work reached the database: one that
/// had none can be run again on a fresh connection without doing anything twice
/// (<see cref="Requests.ConnectionLossRetry"/>). Outside a tracked request it counts nothing.
/// </summary>
internal sealed class RequestStatements : DbCommandInterceptor
{
    public static readonly RequestStatements Instance = new();

    private static readonly AsyncLocal<Tally?> Current = new();

    /// <summary>Starts counting for the calling flow (a request); returns the tally its statements add to.</summary>
    public static Tally Track() => Current.Value = new Tally();

    /// <summary>The statements answered so far in one request.</summary>
    public sealed class Tally
    {
        private int _answered;

        /// <summary>How many statements the database answered.</summary>
        public int Answered => Volatile.Read(ref _answered);

        internal void Add() => Interlocked.Increment(ref _answered);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Current.Value?.Add();
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Current.Value?.Add();
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Current.Value?.Add();
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Current.Value?.Add();
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Current.Value?.Add();
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Current.Value?.Add();
        return ValueTask.FromResult(result);
    }
}
