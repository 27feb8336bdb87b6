using System.Collections.Concurrent;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Identity;

/// <summary>
/// The API keys this server instance has authenticated, by hash, each with the revocation version
/// (<c>api_key_revocations</c>) it was looked up at. Revoking or deleting any key raises that version
/// in the revoking transaction (a trigger on <c>api_keys</c>, both engines), so a cached key whose
/// version is no longer the current one is looked up again. Unknown keys are never cached.
/// Issue 16: authentication was a quarter of the server's CPU on a contract read.
/// </summary>
/// <remarks>
/// Where the current version comes from:
/// <list type="bullet">
/// <item>PostgreSQL, <c>Cairn:ApiKeyRevocationListen</c> (the default): <see cref="ApiKeyRevocationListener"/>
/// keeps one connection listening on <c>cairn_api_key_revoked</c>, whose notifications carry the new version
/// and arrive when the revoking transaction commits. A known key then costs no round trip. The revoking
/// instance forgets the key itself (<see cref="Forget"/>), so it refuses it at once; another instance as
/// soon as the notification reaches it. While the listening connection is down the version is read as below.</item>
/// <item>Otherwise: read on every request (one primary-key read), so a revoked key is refused by every
/// instance from the commit on, or at most once per <c>Cairn:ApiKeyRevocationCheckMilliseconds</c>
/// (see <see cref="CairnOptions.ApiKeyRevocationCheckMilliseconds"/>) when an operator accepts that bound.</item>
/// </list>
/// </remarks>
public sealed class ApiKeyCache(IOptions<CairnOptions> options, TimeProvider clock)
{
    // Bounds the memory a flood of distinct valid keys could take; emptied, never evicted one by one.
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _keys = new(StringComparer.Ordinal);
    private readonly TimeSpan _versionLifetime = TimeSpan.FromMilliseconds(options.Value.ApiKeyRevocationCheckMilliseconds);
    private VersionRead? _lastRead;

    // The version the listener has seen; null while no listening connection is up.
    private Heard? _heard;

    /// <summary>Whether a listening connection currently keeps this cache current (PostgreSQL).</summary>
    public bool IsListening => Volatile.Read(ref _heard) is not null;

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

    /// <summary>Drops a key this instance is revoking or deleting, so that it refuses it without waiting for a notification.</summary>
    public void Forget(Guid keyId)
    {
        foreach (var (hash, entry) in _keys)
        {
            if (entry.Key.Id == keyId)
                _keys.TryRemove(hash, out _);
        }
    }

    /// <summary>The listener is up: <c>LISTEN</c> was acknowledged, then the version read on its connection.</summary>
    internal void StartedListening(long version) => Volatile.Write(ref _heard, new Heard(version));

    /// <summary>A notification: a revocation with this version committed.</summary>
    internal void Revoked(long version)
    {
        // Notifications arrive in commit order on one connection, but never let the version go back.
        while (Volatile.Read(ref _heard) is { } heard && heard.Version < version)
        {
            if (Interlocked.CompareExchange(ref _heard, new Heard(version), heard) == heard)
                return;
        }
    }

    /// <summary>The listening connection is gone: notifications may be missed, so the version is read again.</summary>
    internal void StoppedListening() => Volatile.Write(ref _heard, null);

    private async Task<long> VersionAsync(CairnDb db, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _heard) is { } heard)
            return heard.Version;
        if (_versionLifetime > TimeSpan.Zero && Volatile.Read(ref _lastRead) is { } last && clock.GetElapsedTime(last.At) < _versionLifetime)
            return last.Version;
        var at = clock.GetTimestamp();
        var version = (await db.Database.SqlQueryRaw<long>("SELECT version AS \"Value\" FROM api_key_revocations WHERE id = 1").ToListAsync(cancellationToken)).Single();
        Volatile.Write(ref _lastRead, new VersionRead(version, at));
        return version;
    }

    private sealed record Entry(ApiKey Key, long Version);

    private sealed record VersionRead(long Version, long At);

    private sealed record Heard(long Version);
}
