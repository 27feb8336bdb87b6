using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>Every log line the server writes, with its exception and scopes, for tests that look for leaked secrets.</summary>
public class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void Dispose()
    {
        GC.SuppressFinalize(this);
    }

    /// <summary>What a line ends with after its message, state and exception; nothing here.</summary>
    protected virtual string Suffix() => "";

    private sealed class Logger(string category, LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            capture._lines.Enqueue($"scope {category}: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {state} {exception}{capture.Suffix()}");
    }
}

/// <summary>
/// A <see cref="LogCapture"/> whose lines end with the scopes they were logged in, as a console logger
/// with scopes shows them (ASP.NET Core's request scope: <c>RequestId</c>, <c>RequestPath</c>), e.g.
/// <c>" | scopes: RequestPath:/api/v1/invoices RequestId:0HN…"</c>; no <c>"scope …"</c> lines of their own.
/// </summary>
public sealed class ScopedLogCapture : LogCapture, ISupportExternalScope
{
    private IExternalScopeProvider? _scopes;

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    protected override string Suffix()
    {
        var text = new StringBuilder();
        _scopes?.ForEachScope((scope, line) =>
        {
            if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                    line.Append(' ').Append(key).Append(':').Append(value);
            }
            else
            {
                line.Append(' ').Append(scope);
            }
        }, text);
        return text.Length == 0 ? "" : " | scopes:" + text;
    }
}

/// <summary>The emails a server wrote into its pickup folder.</summary>
public static class Mailbox
{
    /// <summary>
    /// All messages, oldest first, once the server's outbox delivered what is due: a pass of its
    /// dispatcher waits for a pass already running, so every email committed before is in the folder.
    /// </summary>
    public static List<MimeMessage> All(CairnApp app)
    {
        Task.Run(() => Deliver(app)).GetAwaiter().GetResult();
        return Read(app.MailDirectory);
    }

    /// <summary>Runs one pass of the server's outbox dispatcher (what it would do on its next wake-up).</summary>
    public static Task<Cairn.Server.Outbox.OutboxReport> Deliver(CairnApp app) =>
        app.Services.GetRequiredService<Cairn.Server.Outbox.OutboxDispatcher>().RunOnceAsync();

    /// <summary>The messages in a pickup folder, oldest first, without delivering anything.</summary>
    public static List<MimeMessage> Read(string folder) =>
        !Directory.Exists(folder) ? [] : Directory.GetFiles(folder, "*.eml").Order().Select(f => MimeMessage.Load(f)).ToList();

    /// <summary>The newest message to an address.</summary>
    public static MimeMessage LastTo(CairnApp app, string address) =>
        All(app).Last(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The first http(s) link in a message's text that starts with <paramref name="prefix"/> (a path like <c>/invite/</c>).</summary>
    public static string LinkIn(MimeMessage message, string prefix)
    {
        var text = message.TextBody ?? "";
        var start = text.IndexOf("http", StringComparison.Ordinal);
        while (start >= 0)
        {
            var end = start;
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
                end++;
            var url = text[start..end];
            if (new Uri(url).AbsolutePath.StartsWith(prefix, StringComparison.Ordinal))
                return url;
            start = text.IndexOf("http", end, StringComparison.Ordinal);
        }

        throw new InvalidOperationException($"No {prefix} link in: {text}");
    }
}

/// <summary>Looks through everything a database stores for a string: every text of every row, and the SQLite files byte by byte.</summary>
public static class DatabaseScan
{
    /// <summary>Whether <paramref name="needle"/> appears anywhere in the database.</summary>
    public static async Task<bool> ContainsAsync(Engine engine, string needle)
    {
        await using var db = engine.NewDb();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = engine.Settings.IsPostgres
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                : "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        }

        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (!await reader.IsDBNullAsync(i) && TextOf(reader, i).Contains(needle, StringComparison.Ordinal))
                        return true;
                }
            }
        }

        await connection.CloseAsync();
        if (!engine.Settings.IsPostgres)
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(engine.Settings.ConnectionString).DataSource;
            var bytes = Encoding.UTF8.GetBytes(needle);
            foreach (var path in new[] { file, file + "-wal" }.Where(File.Exists))
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var memory = new MemoryStream();
                await stream.CopyToAsync(memory);
                if (memory.ToArray().AsSpan().IndexOf(bytes) >= 0)
                    return true;
            }
        }

        return false;
    }

    private static string TextOf(DbDataReader reader, int i) => reader.GetValue(i) switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
