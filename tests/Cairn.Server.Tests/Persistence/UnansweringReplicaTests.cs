using System.Net;
using System.Net.Sockets;
using Cairn.Server.Data;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Persistence;

/// <summary>
/// A configured standby that accepts connections and then never answers (a hung host, a proxy in
/// front of a dead server) holds up no request: lists and reports answer from the primary while
/// its check hangs, a check in progress is not started again by every request, and one that
/// failed is not tried again at once (issue 16, item 6; found by a fresh user's trial: every list
/// waited 3 s for the check, and four at once queued one behind another for 3, 6, 9 and 12 s).
/// </summary>
public sealed class UnansweringReplicaTests(PostgresEngine engine) : IClassFixture<PostgresEngine>, IAsyncLifetime
{
    private readonly SilentServer _standby = new();
    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine)
        {
            Settings = new Dictionary<string, string?>
            {
                ["Cairn:PostgresReplica"] = $"Host=127.0.0.1;Port={_standby.Port};Username=postgres;Database=cairn;Timeout=3",
                ["Cairn:ReplicaMaxLagSeconds"] = "5",
            },
        };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _standby.Dispose();
    }

    [Fact]
    public async Task Lists_and_reports_answer_from_the_primary_while_the_standbys_check_hangs_and_a_failed_check_waits_its_turn()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var freshness = _app.Services.GetRequiredService<ReplicaFreshness>();
        // Whatever check the set-up started has given up, and recorded its pause, before the test begins (bounded waits).
        await _standby.WhenEveryConnectionIsClosedAsync();
        await WhenNoCheckRunsAsync(freshness);
        var before = _standby.Accepted;

        // A check is due; the request starts it and answers without waiting for it.
        _app.Clock.Advance(TimeSpan.FromSeconds(60));
        var clients = await books.Owner.GetOkAsync("/api/v1/clients");
        Assert.Contains(clients["data"]!.AsArray(), c => c!.Str("id") == client.Id.ToString());
        // (Whether that check still hangs when the next requests come depends on the machine's load: it gives up after 3 s.)
        await _standby.WhenAcceptedAsync(before + 1);

        // Four at once, and a report, while that check runs (or after it gave up): all answer, none starts a second check.
        // (The server's clock stays put: a check that gave up meanwhile is due again only 2 s later by that clock.)
        var lists = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => books.Owner.GetOkAsync("/api/v1/invoices")));
        Assert.All(lists, l => Assert.NotNull(l["data"]));
        await books.Owner.GetOkAsync("/api/v1/reports/dashboard");
        Assert.Equal(before + 1, _standby.Accepted);

        // Once the check gives up, the next one waits longer than the usual second: reads stay on the primary meanwhile.
        await _standby.WhenEveryConnectionIsClosedAsync();
        await WhenNoCheckRunsAsync(freshness);
        _app.Clock.Advance(freshness.CheckEvery);
        await books.Owner.GetOkAsync("/api/v1/clients");
        Assert.Equal(before + 1, _standby.Accepted);
        _app.Clock.Advance(TimeSpan.FromSeconds(60));
        await books.Owner.GetOkAsync("/api/v1/clients");
        await _standby.WhenAcceptedAsync(before + 2);
    }

    // A check ends (and records when the next is due) a moment after its connection closes; at most 15 s.
    private static async Task WhenNoCheckRunsAsync(ReplicaFreshness freshness)
    {
        for (var i = 0; i < 300 && freshness.Checking; i++)
            await Task.Delay(50);
        Assert.False(freshness.Checking, "a check of the standby did not end within 15 s");
    }

    /// <summary>A TCP server on loopback that accepts every connection, reads what it is sent and never answers.</summary>
    private sealed class SilentServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private int _accepted;
        private int _open;

        public SilentServer()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        /// <summary>Connections accepted so far.</summary>
        public int Accepted => Volatile.Read(ref _accepted);

        /// <summary>Connections accepted and not yet closed by the other side.</summary>
        public int OpenConnections => Volatile.Read(ref _open);

        public Task WhenAcceptedAsync(int count) => UntilAsync(() => Accepted >= count, $"{count} connections accepted");

        public Task WhenEveryConnectionIsClosedAsync() => UntilAsync(() => OpenConnections == 0, "every connection closed by Cairn");

        private static async Task UntilAsync(Func<bool> condition, string what)
        {
            for (var i = 0; i < 300 && !condition(); i++)
                await Task.Delay(50);
            Assert.True(condition(), $"not within 15 s: {what}");
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }

                Interlocked.Increment(ref _accepted);
                Interlocked.Increment(ref _open);
                _ = HoldAsync(socket);
            }
        }

        // Reads (and drops) what the client sends until it closes the connection; never writes a byte.
        private async Task HoldAsync(Socket socket)
        {
            var buffer = new byte[4096];
            try
            {
                while (await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) > 0)
                {
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
            finally
            {
                Interlocked.Decrement(ref _open);
                socket.Dispose();
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
