using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>A message an <see cref="SmtpReceiver"/> accepted: the envelope and the raw DATA.</summary>
public sealed record ReceivedMail(string From, string To, string Data);

/// <summary>
/// Just enough of RFC 5321 on a loopback port to accept messages, one session after another; it can
/// refuse the next sessions with a transient 451 (as a busy or greylisting server does).
/// </summary>
public sealed class SmtpReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private int _refusals;

    public SmtpReceiver()
    {
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every message accepted, in order.</summary>
    public ConcurrentQueue<ReceivedMail> Received { get; } = new();

    /// <summary>The server settings that send Cairn's mail here.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Cairn:Smtp:Host"] = "127.0.0.1",
        ["Cairn:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Cairn:Smtp:UseTls"] = "false",
        ["Cairn:Smtp:From"] = "Acme billing <billing@acme.test>",
    };

    /// <summary>Answers the next <paramref name="sessions"/> MAIL commands with 451, so those deliveries fail.</summary>
    public void RefuseNext(int sessions) => Interlocked.Exchange(ref _refusals, sessions);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            await SessionAsync(client);
        }
    }

    private async Task SessionAsync(TcpClient client)
    {
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        string from = "", to = "";
        await writer.WriteLineAsync("220 test ESMTP");
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', ':')[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO" or "HELO":
                    await writer.WriteLineAsync("250 test");
                    break;
                case "MAIL" when Interlocked.Decrement(ref _refusals) >= 0:
                    await writer.WriteLineAsync("451 4.3.0 Try again later");
                    break;
                case "MAIL":
                    from = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0];
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RCPT":
                    to = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0];
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 go ahead");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } body && body != ".")
                        data.AppendLine(body);
                    Received.Enqueue(new ReceivedMail(from, to, data.ToString()));
                    await writer.WriteLineAsync("250 queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 bye");
                    return;
                default:
                    await writer.WriteLineAsync("250 OK");
                    break;
            }
        }
    }
}
