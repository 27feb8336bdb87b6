using System.Net;

namespace Cairn.Server.Identity;

/// <summary>
/// Refused API keys, counted per source address. The operator learns of them as one Warning per
/// address at most every <see cref="ReportEvery"/>, saying how many were refused since the last,
/// instead of a line per request that a flood of bad keys would turn into a flood of log lines.
/// Nothing of a presented key is written. Memory is bounded: at most <see cref="MaxAddresses"/>
/// addresses are followed; when they are all taken, those not reported within the last
/// <see cref="ReportEvery"/> are forgotten, and beyond that refusals are counted together as "other addresses".
/// </summary>
public sealed class RefusedKeys(TimeProvider clock, ILogger<RefusedKeys> logger)
{
    /// <summary>How often at most one address is reported.</summary>
    public static readonly TimeSpan ReportEvery = TimeSpan.FromMinutes(5);

    /// <summary>How many addresses are followed at once.</summary>
    public const int MaxAddresses = 1024;

    private const string OtherAddresses = "other addresses";
    private readonly Dictionary<string, Tally> _tallies = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Counts one refused key from <paramref name="address"/>; writes the address's Warning when one is due.</summary>
    public void Record(IPAddress? address, bool malformed)
    {
        var now = clock.GetUtcNow();
        var from = address?.ToString() ?? "an unknown address";
        int unknown, badlyFormed;
        DateTimeOffset? since;
        lock (_lock)
        {
            var tally = TallyOf(from, now, ref from);
            if (malformed)
                tally.Malformed++;
            else
                tally.Unknown++;
            if (tally.LastReported is { } last && now - last < ReportEvery)
                return;
            (unknown, badlyFormed, since) = (tally.Unknown, tally.Malformed, tally.LastReported);
            (tally.Unknown, tally.Malformed, tally.LastReported) = (0, 0, now);
        }

        if (since is null)
            logger.LogWarning("Refused an API key from {Address} ({Reason}); further refusals from this address are reported as a count at most every {Minutes} minutes",
                from, malformed ? "malformed" : "unknown or revoked", (int)ReportEvery.TotalMinutes);
        else
            logger.LogWarning("Refused {Count} API key(s) from {Address} in the last {Minutes} minutes ({Unknown} unknown or revoked, {Malformed} malformed)",
                unknown + badlyFormed, from, (int)Math.Round((now - since.Value).TotalMinutes, MidpointRounding.AwayFromZero), unknown, badlyFormed);
    }

    private Tally TallyOf(string address, DateTimeOffset now, ref string reportedAs)
    {
        if (_tallies.TryGetValue(address, out var tally))
            return tally;
        if (_tallies.Count >= MaxAddresses)
        {
            foreach (var (key, stale) in _tallies)
            {
                if (stale.LastReported is { } last && now - last >= ReportEvery)
                    _tallies.Remove(key);
            }
        }

        if (_tallies.Count >= MaxAddresses)
        {
            reportedAs = OtherAddresses;
            return _tallies.TryGetValue(OtherAddresses, out var others) ? others : _tallies[OtherAddresses] = new Tally();
        }

        return _tallies[address] = new Tally();
    }

    private sealed class Tally
    {
        public int Unknown { get; set; }

        public int Malformed { get; set; }

        public DateTimeOffset? LastReported { get; set; }
    }
}

/// <summary>
/// ASP.NET Core's authentication handler logs every refused request at Information: the credential
/// refused (event 7, "… was not authenticated. Failure message: …"), the 401 (12, "… was challenged")
/// and the 403 (13, "… was forbidden"), a line per request that a flood of bad keys turns into a
/// flood of log lines. This factory gives a handler loggers that write them at Debug;
/// <see cref="RefusedKeys"/> tells the operator about refused keys instead.
/// </summary>
internal sealed class RefusalsAtDebug(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        // The inner factory belongs to the host.
    }

    private sealed class Logger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(Lowered(logLevel));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(Lowered(logLevel), eventId, state, exception, formatter);

        private static LogLevel Lowered(LogLevel level) => level == LogLevel.Information ? LogLevel.Debug : level;
    }
}
