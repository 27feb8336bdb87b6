using System.Net;
using System.Net.Sockets;
using System.Text;
using Cairn.Server.Mail;
using Microsoft.Extensions.Configuration;

namespace Cairn.Server.Tests.Mail;

/// <summary>The SMTP sender speaks real SMTP (to a minimal server on a loopback port) and is chosen when a host is configured.</summary>
public sealed class SmtpMailSenderTests
{
    [Fact]
    public async Task An_email_is_delivered_over_smtp_with_its_sender_recipient_and_link()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var settings = MailSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Cairn:Smtp:Host"] = "127.0.0.1", ["Cairn:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Cairn:Smtp:UseTls"] = "false", ["Cairn:Smtp:From"] = "Acme billing <billing@acme.test>",
            }).Build());
            var server = ReceiveOneAsync(listener);

            await new SmtpMailSender(settings, TimeProvider.System).SendAsync(new OutgoingMail("bob@globex.test", "Bob", "Your portal", "Open https://cairn.test/portal/abc"));

            var (from, to, data) = await server.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("<billing@acme.test>", from);
            Assert.Equal("<bob@globex.test>", to);
            Assert.Contains("Subject: Your portal", data);
            Assert.Contains("https://cairn.test/portal/abc", data);
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Just enough of RFC 5321 to accept one message.</summary>
    private static async Task<(string From, string To, string Data)> ReceiveOneAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        string from = "", to = "";
        var data = new StringBuilder();
        await writer.WriteLineAsync("220 test ESMTP");
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', ':')[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO" or "HELO":
                    await writer.WriteLineAsync("250 test");
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
                    while (await reader.ReadLineAsync() is { } body && body != ".")
                        data.AppendLine(body);
                    await writer.WriteLineAsync("250 queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 bye");
                    return (from, to, data.ToString());
                default:
                    await writer.WriteLineAsync("250 OK");
                    break;
            }
        }

        return (from, to, data.ToString());
    }
}
