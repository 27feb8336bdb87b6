using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Identity;

/// <summary>
/// Several instances behind a load balancer (issue 11, finding 12): the Data Protection key ring
/// lives in the database, so a staff cookie and a form token issued by one instance work on another.
/// </summary>
public abstract partial class KeyRingTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private CairnApp _first = null!;
    private CairnApp _second = null!;

    /// <summary>The settings both instances start with.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    /// <summary>Captures the first instance's log at the levels the server ships with.</summary>
    protected LogCapture Logs { get; } = new();

    protected CairnApp First => _first;

    /// <summary>The database both instances share.</summary>
    protected TEngine Database => engine;

    protected CairnApp Second => _second;

    public Task InitializeAsync()
    {
        _first = new CairnApp(engine) { Settings = Settings, Logs = Logs, LogsAtShippedLevels = true };
        _second = new CairnApp(engine) { Settings = Settings };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task Signed_in_on_one_instance_a_colleague_acts_on_the_other_with_the_form_token_of_the_first()
    {
        var org = await _first.NewStaffOrganizationAsync(Staff.Email("ada"));
        var first = _first.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var second = _second.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var cookies = new Dictionary<string, string>();

        var signInPage = await SendAsync(first, HttpMethod.Get, "/signin", cookies);
        var signIn = await SendAsync(first, HttpMethod.Post, "/signin", cookies, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = org.OwnerEmail, ["Password"] = org.OwnerPassword, ["__RequestVerificationToken"] = FormToken().Match(await signInPage.Content.ReadAsStringAsync()).Groups[1].Value,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var dashboard = await SendAsync(first, HttpMethod.Get, "/", cookies);
        var token = WebUtility.HtmlDecode(MetaToken().Match(await dashboard.Content.ReadAsStringAsync()).Groups[1].Value);

        var onSecond = await SendAsync(second, HttpMethod.Get, "/clients", cookies);
        Assert.Equal(HttpStatusCode.OK, onSecond.StatusCode);
        var created = await SendAsync(second, HttpMethod.Post, "/api/v1/clients", cookies, JsonContent.Create(new { name = "Globex" }), token);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await using var db = engine.NewDb(org.Api.OrganizationId);
        Assert.Equal("Globex", (await db.Clients.SingleAsync()).Name);
        await using var keys = engine.NewDb();
        Assert.True(await keys.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM data_protection_keys").SingleAsync() >= 1);
    }

    [Fact]
    public async Task The_operator_hears_once_in_cairns_words_whether_the_key_ring_is_encrypted()
    {
        await _first.NewOrganizationAsync();
        await _second.NewOrganizationAsync();
        var lines = Logs.Lines.Where(l => !l.StartsWith("scope ", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(lines, l => l.Contains("No XML encryptor configured", StringComparison.Ordinal));
        var said = Assert.Single(lines, l => l.Contains("key ring", StringComparison.OrdinalIgnoreCase) && l.Contains("Cairn.Server", StringComparison.Ordinal));
        Assert.StartsWith(Settings.Count == 0 ? "Warning" : "Information", said, StringComparison.Ordinal);
        Assert.Contains(Settings.Count == 0 ? "Cairn:DataProtection:CertificatePath" : "encrypted with the certificate", said, StringComparison.Ordinal);
    }

    /// <summary>The key XML documents as stored in the database.</summary>
    protected async Task<List<string>> StoredKeysAsync()
    {
        await using var keys = engine.NewDb();
        return await keys.Database.SqlQuery<string>($"SELECT xml AS \"Value\" FROM data_protection_keys").ToListAsync();
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, Dictionary<string, string> cookies, HttpContent? content = null, string? csrf = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (cookies.Count > 0)
            request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        if (csrf is not null)
            request.Headers.Add("X-CSRF-TOKEN", csrf);
        var response = await client.SendAsync(request);
        foreach (var set in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            var pair = set[..set.IndexOf(';', StringComparison.Ordinal)];
            cookies[pair[..pair.IndexOf('=', StringComparison.Ordinal)]] = pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..];
        }

        return response;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex MetaToken();
}

/// <summary>
/// The same stories with the key ring encrypted by a certificate (Cairn:DataProtection:CertificatePath):
/// whoever reads the database sees no key, and sessions still work on every instance.
/// </summary>
public abstract class EncryptedKeyRingTests<TEngine>(TEngine engine) : KeyRingTests<TEngine>(engine)
    where TEngine : Engine
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = TestCertificate.Settings();

    [Fact]
    public async Task An_instance_without_the_certificate_refuses_to_start_on_the_encrypted_key_ring_and_writes_no_key()
    {
        Assert.Equal(HttpStatusCode.OK, (await new Browser(First).GetAsync("/signin")).Status);
        var before = await StoredKeysAsync();

        // A partial roll-out: one instance started without the certificate. It could read no key and
        // would write an unencrypted one that the others would then sign cookies with.
        await using var withoutCertificate = new CairnApp(Database);
        var refused = Assert.ThrowsAny<Exception>(() => withoutCertificate.CreateClient());

        Assert.Contains("are encrypted with a certificate, and this instance has none: set Cairn:DataProtection:CertificatePath", refused.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await StoredKeysAsync());
        Assert.Equal(HttpStatusCode.OK, (await new Browser(Second).GetAsync("/signin")).Status);
    }

    [Fact]
    public async Task With_a_certificate_the_stored_keys_are_encrypted_and_show_no_key_material()
    {
        // The sign-in form's antiforgery token needs a key: the first instance makes one, the second reads it.
        Assert.Equal(HttpStatusCode.OK, (await new Browser(First).GetAsync("/signin")).Status);
        Assert.Equal(HttpStatusCode.OK, (await new Browser(Second).GetAsync("/signin")).Status);

        var stored = await StoredKeysAsync();
        Assert.NotEmpty(stored);
        Assert.All(stored, xml =>
        {
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        });
    }
}

/// <summary>A throwaway self-signed certificate with its private key, as a password-protected PFX file, shared by the test run.</summary>
internal static class TestCertificate
{
    public const string Password = "test-only-pfx-password";

    /// <summary>The settings that encrypt the key ring with this certificate.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["Cairn:DataProtection:CertificatePath"] = Path.Value,
        ["Cairn:DataProtection:CertificatePassword"] = Password,
    };

    public static readonly Lazy<string> Path = new(() =>
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Cairn key ring (tests)", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cairn-tests", $"keyring-{Guid.NewGuid():N}.pfx");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, Password));
        return path;
    });
}

/// <summary>Encryption turned on for books whose key ring was stored unencrypted (the upgrade path), on a database of its own.</summary>
public abstract class KeyRingUpgradeTests<TEngine>(TEngine engine) : IClassFixture<TEngine>
    where TEngine : Engine
{
    [Fact]
    public async Task Turning_encryption_on_later_says_which_keys_stay_unencrypted_until_when()
    {
        await using (var before = new CairnApp(engine))
        {
            await before.NewOrganizationAsync();
            Assert.Equal(HttpStatusCode.OK, (await new Browser(before).GetAsync("/signin")).Status);
        }

        var logs = new LogCapture();
        await using var encrypted = new CairnApp(engine) { Settings = TestCertificate.Settings(), Logs = logs, LogsAtShippedLevels = true };
        Assert.Equal(HttpStatusCode.OK, (await new Browser(encrypted).GetAsync("/signin")).Status);

        var lines = logs.Lines.Where(l => !l.StartsWith("scope ", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.StartsWith("Information", StringComparison.Ordinal) && l.Contains("New session and form-token keys", StringComparison.Ordinal) && l.Contains("encrypted with the certificate", StringComparison.Ordinal));
        var warning = Assert.Single(lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("stored before encryption was turned on", StringComparison.Ordinal));
        Assert.Matches(@"^Warning.*\b1 session and form-token key\(s\).*stay in use until \d{4}-\d{2}-\d{2}", warning);
    }
}

public sealed class SqliteKeyRingUpgrade(SqliteEngine engine) : KeyRingUpgradeTests<SqliteEngine>(engine);

public sealed class PostgresKeyRingUpgrade(PostgresEngine engine) : KeyRingUpgradeTests<PostgresEngine>(engine);

public sealed class SqliteKeyRing(SqliteEngine engine) : KeyRingTests<SqliteEngine>(engine);

public sealed class PostgresKeyRing(PostgresEngine engine) : KeyRingTests<PostgresEngine>(engine);

public sealed class SqliteEncryptedKeyRing(SqliteEngine engine) : EncryptedKeyRingTests<SqliteEngine>(engine);

public sealed class PostgresEncryptedKeyRing(PostgresEngine engine) : EncryptedKeyRingTests<PostgresEngine>(engine);
