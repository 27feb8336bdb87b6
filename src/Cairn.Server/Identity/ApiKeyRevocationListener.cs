using Cairn.Server.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cairn.Server.Identity;

/// <summary>
/// PostgreSQL, <c>Cairn:ApiKeyRevocationListen</c>: one connection per server instance that
/// <c>LISTEN</c>s on <see cref="Channel"/> and hands each notification's version to <see cref="ApiKeyCache"/>,
/// so a request with a known API key sends nothing to the database to authenticate.
/// </summary>
/// <remarks>
/// Order matters for safety: <c>LISTEN</c> first, then read the version on the same connection, then
/// tell the cache; a revocation committed in between is in the version read or in a notification.
/// When the connection fails (the server restarts, the backend is terminated, a keepalive goes
/// unanswered) the cache is told at once and reads the version per request until the listener
/// is back; it retries after 1 s, doubling up to 30 s.
/// </remarks>
public sealed class ApiKeyRevocationListener(
    DatabaseSettings settings,
    ApiKeyCache cache,
    IOptions<CairnOptions> options,
    ILogger<ApiKeyRevocationListener> log) : BackgroundService
{
    /// <summary>The notification channel; the payload is the new revocation version (migration 0117).</summary>
    public const string Channel = "cairn_api_key_revoked";

    /// <summary>The <c>application_name</c> of the listening connection, as <c>pg_stat_activity</c> shows it.</summary>
    public const string ApplicationName = "cairn-api-key-revocations";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.IsPostgres)
            return;
        if (!options.Value.ApiKeyRevocationListen)
        {
            log.LogInformation("Not listening for API-key revocations (Cairn:ApiKeyRevocationListen=false): each request reads the revocation version");
            return;
        }

        var connectionString = new NpgsqlConnectionStringBuilder(settings.ConnectionString)
        {
            Pooling = false,
            ApplicationName = ApplicationName,
            // A silently dead connection would miss notifications: an idle one is probed every 10 s.
            KeepAlive = 10,
        }.ConnectionString;
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
            {
                // A connection that had been listening starts a new outage: its first retry comes after the first wait again.
                if (cache.IsListening)
                    retry = FirstRetry;
                log.LogWarning("Not listening for API-key revocations ({Reason}); reading the revocation version per request, trying again in {Seconds} s",
                    e.GetType().Name + ": " + e.Message, retry.TotalSeconds);
            }
            finally
            {
                cache.StoppedListening();
            }

            try
            {
                await Task.Delay(retry, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
        }
    }

    private async Task ListenAsync(string connectionString, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        connection.Notification += (_, e) =>
        {
            if (e.Channel == Channel && long.TryParse(e.Payload, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
                cache.Revoked(version);
        };
        await connection.OpenAsync(stoppingToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
            await listen.ExecuteNonQueryAsync(stoppingToken);
        await using (var read = new NpgsqlCommand("SELECT version FROM api_key_revocations WHERE id = 1", connection))
            cache.StartedListening((long)(await read.ExecuteScalarAsync(stoppingToken))!);
        log.LogInformation("Listening for API-key revocations");
        while (true)
            await connection.WaitAsync(stoppingToken);
    }
}
