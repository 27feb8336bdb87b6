using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Cairn.Server.Data;

/// <summary>
/// Whether the PostgreSQL hot standby named by <c>Cairn:PostgresReplica</c> may serve reads now.
/// Every <see cref="CheckEvery"/>, in the background, it notes the primary's current WAL position
/// (<c>pg_current_wal_insert_lsn()</c>: the insert position, which every committed transaction's
/// commit record precedes even under <c>synchronous_commit = off</c>, where the write position can
/// lag behind an acknowledged commit) with the time, and asks the standby how far it has replayed
/// (<c>pg_last_wal_replay_lsn()</c>): once the standby has replayed a position noted at time
/// <i>t</i>, it holds every transaction committed before <i>t</i>, so what it answers is at most
/// <c>now − t</c> old. Reads go to the standby only while that bound is within
/// <c>Cairn:ReplicaMaxLagSeconds</c>; a standby that falls behind, stops replaying or cannot be
/// reached is left alone (reads go to the primary) until it catches up. No request waits for a
/// check: a request that finds one due starts it and reads the primary unless the last completed
/// check vouches for the standby; a check that fails is tried again after 2, 4, 8 … up to 30 s,
/// so a standby that hangs costs one connection attempt at a time, not one per request. A read
/// that loses its connection to the standby, or cannot open one, withdraws the last check's word
/// at once (<see cref="Distrust"/>): the request's retry after a lost connection, and every read
/// after it, go to the primary until a check finds the standby current again. The
/// standby only ever receives reads: its contexts refuse to save (<see cref="ReadOnlyContext"/>),
/// and PostgreSQL refuses writes on a hot standby anyway.
/// </summary>
public sealed class ReplicaFreshness : IDisposable
{
    /// <summary>The longest a standby may take to accept a connection or answer a check (seconds).</summary>
    private const int AnswerWithinSeconds = 3;

    /// <summary>The longest a read on the standby may take before it runs again on the primary (seconds).</summary>
    public const int ReadWithinSeconds = 5;

    /// <summary>The longest pause between checks of a standby whose checks keep failing.</summary>
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly DatabaseSettings _primary;
    private readonly string? _replica;
    private readonly string? _replicaPool;
    private readonly TimeSpan _maxLag;
    private readonly TimeProvider _clock;
    private readonly ILogger<ReplicaFreshness> _logger;
    private readonly DbContextOptions<CairnDb>? _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Queue<(long AtTicks, NpgsqlLogSequenceNumber Position)> _marks = new();
    private long _freshAsOfTicks;
    private long _nextCheckTicks;
    private int _checking;
    private int _failures;
    private readonly string _where = "";
    private int _outageLogged;
    private int _distrusts;

    /// <summary>Reads the replica settings; without <c>Cairn:PostgresReplica</c> every read goes to the primary.</summary>
    public ReplicaFreshness(DatabaseSettings primary, Microsoft.Extensions.Options.IOptions<CairnOptions> settings, TimeProvider clock, ILogger<ReplicaFreshness> logger)
    {
        var options = settings.Value;
        (_primary, _clock, _logger) = (primary, clock, logger);
        _maxLag = TimeSpan.FromSeconds(options.ReplicaMaxLagSeconds);
        if (string.IsNullOrWhiteSpace(options.PostgresReplica) || !primary.IsPostgres)
            return;

        // A standby that does not answer quickly is not worth waiting for: the primary can answer.
        // (Timeout = 0 would mean no limit at all.)
        var connection = new NpgsqlConnectionStringBuilder(options.PostgresReplica);
        connection.Timeout = connection.Timeout is > 0 and < AnswerWithinSeconds ? connection.Timeout : AnswerWithinSeconds;
        // A read that the standby does not answer in time runs again on the primary (ConnectionLossRetry):
        // it waits ReadWithinSeconds at most, and not a moment more for the cancellation of the query.
        connection.CommandTimeout = connection.CommandTimeout is > 0 and < ReadWithinSeconds ? connection.CommandTimeout : ReadWithinSeconds;
        connection.CancellationTimeout = -1;
        _replica = connection.ConnectionString;
        _where = $"{connection.Host}:{connection.Port}";
        Location = $"database {connection.Database} on {_where}";
        var builder = new DbContextOptionsBuilder<CairnDb>();
        var reads = new DatabaseSettings("postgres", _replica);
        _replicaPool = reads.EffectiveConnectionString;
        reads.Configure(builder);
        builder.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        builder.AddInterceptors(ReadOnlyContext.Instance, new LostStandby(this));
        _options = builder.Options;
    }

    /// <summary>Where the standby is, for operators: its database, host and port (never the credentials); null without one.</summary>
    public string? Location { get; }

    /// <summary>Whether a replica is configured at all.</summary>
    public bool Configured => _options is not null;

    /// <summary>How often the standby's position is compared with the primary's while it answers: every second, or a quarter of the bound if that is shorter.</summary>
    public TimeSpan CheckEvery => TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, _maxLag.Ticks / 4));

    /// <summary>Whether a check is running now (for tests).</summary>
    internal bool Checking => Volatile.Read(ref _checking) == 1;

    /// <summary>How old the standby's data may be at most, as of the last check; null when it has never been (or is no longer) known to be current.</summary>
    public TimeSpan? Staleness => Volatile.Read(ref _freshAsOfTicks) is var ticks and not 0 ? TimeSpan.FromTicks(_clock.GetUtcNow().UtcTicks - ticks) : null;

    /// <summary>
    /// Whether the standby is within the staleness bound now, as of the last completed check. Never
    /// waits: when a check is due and none is running, it starts one in the background.
    /// </summary>
    public bool IsFresh()
    {
        if (!Configured)
            return false;
        var now = _clock.GetUtcNow().UtcTicks;
        if (now >= Volatile.Read(ref _nextCheckTicks) && Interlocked.CompareExchange(ref _checking, 1, 0) == 0)
        {
            // Read again once this caller holds the turn: a check that ended between the first read and the
            // turn has set a later time (before it let go of the turn), and starting another now would not wait for it.
            if (now < Volatile.Read(ref _nextCheckTicks))
            {
                Volatile.Write(ref _checking, 0);
            }
            else
            {
                // The check is nobody's request: it runs without the execution context of the one that started it,
                // so its log lines carry no request's scope (ConnectionId, RequestId, path) or trace.
                using (ExecutionContext.SuppressFlow())
                    _ = Task.Run(CheckInBackgroundAsync);
            }
        }
        var freshAsOf = Volatile.Read(ref _freshAsOfTicks);
        return freshAsOf != 0 && now - freshAsOf <= _maxLag.Ticks;
    }

    /// <summary>
    /// Withdraws the last check's word after a read on the standby failed: it lost its connection,
    /// could not open one, or was not answered within <see cref="ReadWithinSeconds"/>. Reads go to the
    /// primary at once, the standby's idle pooled connections (dead, when it stopped) are dropped, and
    /// a check is due, which vouches for the standby again once it is back and current. A check
    /// already under way cannot vouch for it. <paramref name="reason"/> (an exception's type and
    /// message, never a connection string) goes into the one Warning of the outage.
    /// </summary>
    public void Distrust(string reason)
    {
        Interlocked.Increment(ref _distrusts);
        Interlocked.Exchange(ref _freshAsOfTicks, 0);
        if (Interlocked.Exchange(ref _outageLogged, 1) == 0)
            _logger.LogWarning("A read on the PostgreSQL replica at {Replica} failed ({Reason}); reports and lists read the primary until a check finds the replica current again", _where, reason);
        Volatile.Write(ref _nextCheckTicks, 0);
        ClearReplicaPool();
    }

    // The pool's idle connections to a standby that failed are likely dead: the next read or check opens a new one.
    private void ClearReplicaPool()
    {
        using var pooled = new NpgsqlConnection(_replicaPool);
        NpgsqlConnection.ClearPool(pooled);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>An exception and its causes in one line (type and message each, e.g. "NpgsqlException: Exception while reading from stream ← TimeoutException: Timeout during reading attempt"): never a connection string.</summary>
    public static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var cause = (Exception?)exception; cause is not null && parts.Count < 4; cause = cause.InnerException)
            parts.Add($"{cause.GetType().Name}: {cause.Message}");
        return string.Join(" ← ", parts);
    }

    /// <summary>Whether <paramref name="exception"/> says the standby failed a read (its connection lost, refused or timed out), rather than the read itself being wrong.</summary>
    public static bool IsStandbyFailure(Exception exception) =>
        DatabaseFailures.IsConnectionLost(exception) || DatabaseFailures.IsTimedOut(exception);

    /// <summary>A read-only, non-tracking context on the standby, filtered to <paramref name="tenantId"/>.</summary>
    public CairnDb NewContext(Guid tenantId) =>
        new(_options ?? throw new InvalidOperationException("No PostgreSQL replica is configured.")) { TenantId = tenantId };

    // One check at a time (_checking); the next is due CheckEvery after this one ends, or later after failures.
    private async Task CheckInBackgroundAsync()
    {
        try
        {
            await Task.Yield();
            var distrusts = Volatile.Read(ref _distrusts);
            bool answered;
            try
            {
                answered = await CheckAsync(_clock.GetUtcNow().UtcTicks, distrusts, _stopping.Token);
            }
            catch (Exception e) when (e is not (OperationCanceledException or ObjectDisposedException))
            {
                // Anything else the check meets is a failed check too: logged, never seen by a request
                // (nothing awaits this task), and followed by the same pause as any failure.
                if (Interlocked.Exchange(ref _outageLogged, 1) == 0)
                    _logger.LogWarning(e, "Checking the PostgreSQL replica at {Replica} failed; reports and lists read the primary until it answers again", _where);
                Volatile.Write(ref _freshAsOfTicks, 0);
                answered = false;
            }

            // One Warning per outage, whoever noticed it first (a read or a check), and one line when it ends.
            if (answered && Volatile.Read(ref _distrusts) == distrusts && Interlocked.Exchange(ref _outageLogged, 0) == 1)
                _logger.LogInformation("The PostgreSQL replica at {Replica} answers again", _where);
            _failures = answered ? 0 : Math.Min(_failures + 1, 16);
            var pause = answered ? CheckEvery : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, TimeSpan.TicksPerSecond << Math.Min(_failures, 5)));
            // A read lost the standby while this check ran: its answer is already out of date, so check again at once.
            if (Volatile.Read(ref _distrusts) != distrusts)
            {
                Volatile.Write(ref _freshAsOfTicks, 0);
                pause = TimeSpan.Zero;
            }

            Volatile.Write(ref _nextCheckTicks, _clock.GetUtcNow().UtcTicks + pause.Ticks);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The server is stopping.
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

    // True when the standby answered (whether or not it is current).
    private async Task<bool> CheckAsync(long now, int distrusts, CancellationToken cancellationToken)
    {
        try
        {
            await using (var primary = new NpgsqlConnection(_primary.EffectiveConnectionString))
            {
                await primary.OpenAsync(cancellationToken);
                await using var written = new NpgsqlCommand("SELECT pg_current_wal_insert_lsn()", primary);
                _marks.Enqueue((now, (NpgsqlLogSequenceNumber)(await written.ExecuteScalarAsync(cancellationToken))!));
            }

            // Bounded: a standby that stays behind for long keeps only the latest ten minutes of marks.
            while (_marks.Count > 600)
                _marks.Dequeue();

            await using var replica = new NpgsqlConnection(_replica);
            await replica.OpenAsync(cancellationToken);
            await using var replayed = new NpgsqlCommand("SELECT pg_last_wal_replay_lsn()", replica) { CommandTimeout = AnswerWithinSeconds };
            if (await replayed.ExecuteScalarAsync(cancellationToken) is not NpgsqlLogSequenceNumber position)
            {
                if (Interlocked.Exchange(ref _outageLogged, 1) == 0)
                    _logger.LogWarning("Cairn:PostgresReplica (--postgres-replica) names a server that is not a standby ({Replica}); reports and lists read the primary", _where);
                Volatile.Write(ref _freshAsOfTicks, 0);
                return false;
            }

            // A read that lost the standby while this check ran has the last word.
            while (_marks.TryPeek(out var mark) && mark.Position <= position && Volatile.Read(ref _distrusts) == distrusts)
                Volatile.Write(ref _freshAsOfTicks, _marks.Dequeue().AtTicks);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or System.Net.Sockets.SocketException)
        {
            // Once per outage, not once per check. The message names the host, never the credentials.
            if (Interlocked.Exchange(ref _outageLogged, 1) == 0)
                _logger.LogWarning("The PostgreSQL replica at {Replica} cannot be checked ({Reason}); reports and lists read the primary until it answers again", _where, Describe(e));
            Volatile.Write(ref _freshAsOfTicks, 0);
            ClearReplicaPool();
            return false;
        }
    }
}

/// <summary>
/// The context a report or a list reads through: the standby while <see cref="ReplicaFreshness"/>
/// says it is within the staleness bound, else the request's own context on the primary. Only
/// reads go through it; every change uses the request's <see cref="CairnDb"/>.
/// </summary>
public sealed class ReadDatabase(CairnDb primary, ReplicaFreshness freshness) : IAsyncDisposable
{
    private CairnDb? _replica;

    /// <summary>Whether this request's reads went to the standby.</summary>
    public bool OnStandby => _replica is not null;

    /// <summary>The context to read from, for the organization the request acts for.</summary>
    public ValueTask<CairnDb> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_replica is null && freshness.IsFresh())
            _replica = freshness.NewContext(primary.TenantId);
        return ValueTask.FromResult(_replica ?? primary);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _replica?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>Refuses to save through a context on the standby: the replica serves reads only.</summary>
internal sealed class ReadOnlyContext : SaveChangesInterceptor
{
    public static readonly ReadOnlyContext Instance = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        throw new InvalidOperationException("A context on the PostgreSQL replica is read-only; changes go through the request's own context.");

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("A context on the PostgreSQL replica is read-only; changes go through the request's own context.");
}

/// <summary>
/// Tells <see cref="ReplicaFreshness"/> when a read on the standby lost its connection or could not
/// open one (<see cref="DatabaseFailures.IsConnectionLost"/>), or timed out, before the error reaches the request.
/// </summary>
internal sealed class LostStandby(ReplicaFreshness freshness) : IDbCommandInterceptor, IDbConnectionInterceptor
{
    public void CommandFailed(System.Data.Common.DbCommand command, CommandErrorEventData eventData) => Notice(eventData.Exception);

    public Task CommandFailedAsync(System.Data.Common.DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Notice(eventData.Exception);
        return Task.CompletedTask;
    }

    public void ConnectionFailed(System.Data.Common.DbConnection connection, ConnectionErrorEventData eventData) => Notice(eventData.Exception);

    public Task ConnectionFailedAsync(System.Data.Common.DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Notice(eventData.Exception);
        return Task.CompletedTask;
    }

    // A lost or refused connection, or a standby that stopped answering in time: the primary can answer instead.
    private void Notice(Exception exception)
    {
        if (ReplicaFreshness.IsStandbyFailure(exception))
            freshness.Distrust(ReplicaFreshness.Describe(exception));
    }
}
