using System.Collections.Concurrent;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Identity;

/// <summary>
/// The API keys this server instance has authenticated, by hash. A request with a known key reads
/// one row by its primary key (the revocation version, <c>api_key_revocations</c>) instead of
/// looking the key up: revoking or deleting any key raises that version in the revoking
/// transaction (a trigger on <c>api_keys</c>, both engines), so from its commit on every instance
/// on the database finds its cached keys stale and looks them up again. Unknown keys are never
/// cached. Issue 16: authentication was a quarter of the server's CPU on a contract read.
/// </summary>
/// <remarks>
/// Not PostgreSQL <c>LISTEN/NOTIFY</c>: a notification reaches another instance some time after
/// the commit, so a revoked key could still be accepted there for a moment; the version read
/// keeps "revoked means refused from the commit on" exact, on any number of instances. An operator
/// who accepts a bound instead sets <c>Cairn:ApiKeyRevocationCheckMilliseconds</c> (see
/// <see cref="CairnOptions.ApiKeyRevocationCheckMilliseconds"/>): the version is then read at most
/// once per that many milliseconds per instance, and a known key costs no round trip at all.
/// </remarks>
public sealed class ApiKeyCache(IOptions<CairnOptions> options, TimeProvider clock)
{
    // Bounds the memory a flood of distinct valid keys could take; emptied, never evicted one by one.
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _keys = new(StringComparer.Ordinal);
    private readonly TimeSpan _versionLifetime = TimeSpan.FromMilliseconds(options.Value.ApiKeyRevocationCheckMilliseconds);
    private VersionRead? _lastRead;

    /// <summary>The unrevoked key with this SHA-256 hash (<see cref="ApiKey.HashOf"/>), or null. Not tracked; shared between requests.</summary>
    public async Task<ApiKey?> FindAsync(CairnDb db, string hash, CancellationToken cancellationToken)
    {
        // Read first: a key looked up below is then at least as new as this version.
        var version = await VersionAsync(db, cancellationToken);
        if (_keys.TryGetValue(hash, out var cached) && cached.Version == version)
            return cached.Key;

        var key = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(k => k.Hash == hash, cancellationToken);
        if (key is null || key.RevokedAt is not null)
        {
            _keys.TryRemove(hash, out _);
            return null;
        }

        if (_keys.Count >= MaxEntries)
            _keys.Clear();
        _keys[hash] = new Entry(key, version);
        return key;
    }

    private async Task<long> VersionAsync(CairnDb db, CancellationToken cancellationToken)
    {
        if (_versionLifetime > TimeSpan.Zero && Volatile.Read(ref _lastRead) is { } last && clock.GetElapsedTime(last.At) < _versionLifetime)
            return last.Version;
        var at = clock.GetTimestamp();
        var version = (await db.Database.SqlQueryRaw<long>("SELECT version AS \"Value\" FROM api_key_revocations WHERE id = 1").ToListAsync(cancellationToken)).Single();
        Volatile.Write(ref _lastRead, new VersionRead(version, at));
        return version;
    }

    private sealed record Entry(ApiKey Key, long Version);

    private sealed record VersionRead(long Version, long At);
}
