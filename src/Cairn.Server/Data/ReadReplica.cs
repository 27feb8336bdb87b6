using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Cairn.Server.Data;

/// <summary>
/// Whether the PostgreSQL hot standby named by <c>Cairn:PostgresReplica</c> may serve reads now.
/// At most once per <see cref="CheckEvery"/> it notes the primary's current WAL position
/// (<c>pg_current_wal_lsn()</c>) with the time, and asks the standby how far it has replayed
/// (<c>pg_last_wal_replay_lsn()</c>): once the standby has replayed a position noted at time
/// <i>t</i>, it holds every transaction committed before <i>t</i>, so what it answers is at most
/// <c>now − t</c> old. Reads go to the standby only while that bound is within
/// <c>Cairn:ReplicaMaxLagSeconds</c>; a standby that falls behind, stops replaying or cannot be
/// reached is left alone (reads go to the primary) until it catches up. The standby only ever
/// receives reads: its contexts refuse to save (<see cref="ReadOnlyContext"/>), and PostgreSQL
/// refuses writes on a hot standby anyway.
/// </summary>
public sealed class ReplicaFreshness : IDisposable
{
    private readonly DatabaseSettings _primary;
    private readonly string? _replica;
    private readonly TimeSpan _maxLag;
    private readonly TimeProvider _clock;
    private readonly ILogger<ReplicaFreshness> _logger;
    private readonly DbContextOptions<CairnDb>? _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Queue<(long AtTicks, NpgsqlLogSequenceNumber Position)> _marks = new();
    private long _freshAsOfTicks;
    private long _checkedAtTicks;

    /// <summary>Reads the replica settings; without <c>Cairn:PostgresReplica</c> every read goes to the primary.</summary>
    public ReplicaFreshness(DatabaseSettings primary, Microsoft.Extensions.Options.IOptions<CairnOptions> settings, TimeProvider clock, ILogger<ReplicaFreshness> logger)
    {
        var options = settings.Value;
        (_primary, _clock, _logger) = (primary, clock, logger);
        _maxLag = TimeSpan.FromSeconds(options.ReplicaMaxLagSeconds);
        if (string.IsNullOrWhiteSpace(options.PostgresReplica) || !primary.IsPostgres)
            return;

        // A standby that does not answer quickly is not worth waiting for: the primary can answer.
        var connection = new NpgsqlConnectionStringBuilder(options.PostgresReplica);
        connection.Timeout = Math.Min(connection.Timeout, 3);
        _replica = connection.ConnectionString;
        var builder = new DbContextOptionsBuilder<CairnDb>();
        new DatabaseSettings("postgres", _replica).Configure(builder);
        builder.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        builder.AddInterceptors(ReadOnlyContext.Instance);
        _options = builder.Options;
    }

    /// <summary>Whether a replica is configured at all.</summary>
    public bool Configured => _options is not null;

    /// <summary>How often the standby's position is compared with the primary's: every second, or a quarter of the bound if that is shorter.</summary>
    public TimeSpan CheckEvery => TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, _maxLag.Ticks / 4));

    /// <summary>How old the standby's data may be at most, as of the last check; null when it has never been (or is no longer) known to be current.</summary>
    public TimeSpan? Staleness => Volatile.Read(ref _freshAsOfTicks) is var ticks and not 0 ? TimeSpan.FromTicks(_clock.GetUtcNow().UtcTicks - ticks) : null;

    /// <summary>Whether the standby is within the staleness bound now (checking it if the last check is older than <see cref="CheckEvery"/>).</summary>
    public async ValueTask<bool> IsFreshAsync(CancellationToken cancellationToken)
    {
        if (!Configured)
            return false;
        if (_clock.GetUtcNow().UtcTicks - Volatile.Read(ref _checkedAtTicks) >= CheckEvery.Ticks)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                var now = _clock.GetUtcNow().UtcTicks;
                if (now - _checkedAtTicks >= CheckEvery.Ticks)
                {
                    await CheckAsync(now, cancellationToken);
                    Volatile.Write(ref _checkedAtTicks, now);
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        var freshAsOf = Volatile.Read(ref _freshAsOfTicks);
        return freshAsOf != 0 && _clock.GetUtcNow().UtcTicks - freshAsOf <= _maxLag.Ticks;
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    /// <summary>A read-only, non-tracking context on the standby, filtered to <paramref name="tenantId"/>.</summary>
    public CairnDb NewContext(Guid tenantId) =>
        new(_options ?? throw new InvalidOperationException("No PostgreSQL replica is configured.")) { TenantId = tenantId };

    private async Task CheckAsync(long now, CancellationToken cancellationToken)
    {
        try
        {
            await using (var primary = new NpgsqlConnection(_primary.EffectiveConnectionString))
            {
                await primary.OpenAsync(cancellationToken);
                await using var written = new NpgsqlCommand("SELECT pg_current_wal_lsn()", primary);
                _marks.Enqueue((now, (NpgsqlLogSequenceNumber)(await written.ExecuteScalarAsync(cancellationToken))!));
            }

            // Bounded: a standby that stays behind for long keeps only the latest ten minutes of marks.
            while (_marks.Count > 600)
                _marks.Dequeue();

            await using var replica = new NpgsqlConnection(_replica);
            await replica.OpenAsync(cancellationToken);
            await using var replayed = new NpgsqlCommand("SELECT pg_last_wal_replay_lsn()", replica);
            if (await replayed.ExecuteScalarAsync(cancellationToken) is not NpgsqlLogSequenceNumber position)
            {
                _logger.LogWarning("Cairn:PostgresReplica names a server that is not a standby; reports and lists read the primary");
                Volatile.Write(ref _freshAsOfTicks, 0);
                return;
            }

            while (_marks.TryPeek(out var mark) && mark.Position <= position)
                Volatile.Write(ref _freshAsOfTicks, _marks.Dequeue().AtTicks);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or System.Net.Sockets.SocketException)
        {
            // The message names the host, never the credentials.
            _logger.LogWarning("The PostgreSQL replica cannot be checked ({Reason}); reports and lists read the primary", e.Message);
            Volatile.Write(ref _freshAsOfTicks, 0);
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

    /// <summary>The context to read from, for the organization the request acts for.</summary>
    public async ValueTask<CairnDb> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_replica is not null)
            return _replica;
        if (!await freshness.IsFreshAsync(cancellationToken))
            return primary;
        return _replica = freshness.NewContext(primary.TenantId);
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
