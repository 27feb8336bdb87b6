using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Cairn.Web.Tests;

/// <summary>
/// The real Cairn server on a real loopback port (Kestrel, port chosen by the OS) with a fresh,
/// empty SQLite database, so the browser starts at first-run setup. Emails go to a pickup folder
/// the test reads.
/// </summary>
public sealed class WebServer : WebApplicationFactory<Program>, IAsyncLifetime, ICairnServer
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cairn-web-tests", Guid.NewGuid().ToString("N"));

    public WebServer() => UseKestrel(0);

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The folder the server writes its emails to as .eml files.</summary>
    public string MailDirectory => Path.Combine(_root, "mail");

    public Task InitializeAsync()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp folder; a file still held open must not fail the run.
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("Cairn:DataDirectory", Path.Combine(_root, "data"));
        builder.UseSetting("Cairn:Mail:PickupDirectory", MailDirectory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    /// <inheritdoc/>
    public string LinkInLastMailTo(string address, string prefix)
    {
        // Emails leave through the outbox after the commit: one pass delivers what is due (and waits for a pass under way).
        Task.Run(() => Services.GetRequiredService<Cairn.Server.Outbox.OutboxDispatcher>().RunOnceAsync()).GetAwaiter().GetResult();
        return Mailbox.LinkInLastMailTo(MailDirectory, address, prefix);
    }
}

/// <summary>A running Cairn server a browser story talks to: in-process (<see cref="WebServer"/>) or the published build (<see cref="PublishedServer"/>).</summary>
public interface ICairnServer
{
    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    string BaseUrl { get; }

    /// <summary>The link with this path prefix (e.g. <c>/portal/</c>) in the newest email to an address.</summary>
    string LinkInLastMailTo(string address, string prefix);
}

/// <summary>The .eml files of a pickup folder, read as a person reads them.</summary>
public static class Mailbox
{
    /// <summary>The link with this path prefix (e.g. <c>/portal/</c>) in the newest email to an address in the folder.</summary>
    public static string LinkInLastMailTo(string mailDirectory, string address, string prefix)
    {
        var message = Directory.Exists(mailDirectory)
            ? Directory.GetFiles(mailDirectory, "*.eml").Select(f => (File: f, Message: MimeMessage.Load(f)))
                .Where(m => m.Message.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(m => File.GetLastWriteTimeUtc(m.File)).Select(m => m.Message).LastOrDefault()
            : null;
        Assert.True(message is not null, $"no email to {address} in {mailDirectory}");
        return LinkIn(message!, prefix);
    }

    /// <summary>The link with this path prefix (e.g. <c>/portal/</c>) in an email's plain-text part, as a reader would copy it.</summary>
    public static string LinkIn(MimeMessage message, string prefix)
    {
        var link = (message.TextBody ?? "").Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(w => w.StartsWith("http", StringComparison.Ordinal) && new Uri(w).AbsolutePath.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(link is not null, $"no {prefix} link in the email to {message.To}: {message.TextBody}");
        return link!;
    }

    /// <summary>
    /// The email to an address with this subject, once the server (another process, whose outbox sends
    /// after the commit) has written it to the folder; fails after a minute without it.
    /// </summary>
    public static async Task<MimeMessage> WaitForAsync(string mailDirectory, string address, string subject)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var found = Directory.Exists(mailDirectory)
                ? Directory.GetFiles(mailDirectory, "*.eml").Select(f => MimeMessage.Load(f))
                    .FirstOrDefault(m => m.Subject == subject && m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))
                : null;
            if (found is not null)
                return found;
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), $"no email “{subject}” to {address} in {mailDirectory}");
            await Task.Delay(200);
        }
    }
}
