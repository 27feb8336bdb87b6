using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Identity;

/// <summary>
/// The Data Protection key ring (the keys that sign and encrypt staff and portal cookies and
/// antiforgery tokens), kept in the database's <c>data_protection_keys</c> table so every instance
/// on one database reads and writes the same keys: a cookie or form token issued by one instance
/// is accepted by any other (ASVS 5.0 V13.3.1: keys in one managed store). A context of its own,
/// without the organization filter, because the keys belong to the whole installation.
/// </summary>
public sealed class KeyRingDb(DbContextOptions<KeyRingDb> options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>The application name every instance shares: keys are isolated per application name.</summary>
    public const string ApplicationName = "Cairn";

    /// <summary>The table of the keys (migration-created; one row per key, its XML in <c>xml</c>).</summary>
    public const string Table = "data_protection_keys";

    /// <summary>The keys, as XML documents written by ASP.NET Core Data Protection.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<DataProtectionKey>(b =>
        {
            b.ToTable(Table);
            b.HasKey(k => k.Id);
            b.Property(k => k.Id).HasColumnName("id");
            b.Property(k => k.FriendlyName).HasColumnName("friendly_name");
            b.Property(k => k.Xml).HasColumnName("xml");
        });
}

/// <summary>Registers the database key ring.</summary>
public static class KeyRingServices
{
    /// <summary>
    /// Data Protection with its keys in the database described by <see cref="Data.DatabaseSettings"/>,
    /// encrypted with the certificate of <c>Cairn:DataProtection:CertificatePath</c> when one is set.
    /// Without one ASP.NET Core would warn "No XML encryptor configured" at the first start, a line an
    /// operator cannot act on; Cairn says it in its own words instead (<see cref="CheckKeyRingProtectionAsync"/>).
    /// </summary>
    public static void AddCairnKeyRing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDbContext<KeyRingDb>((sp, options) => sp.GetRequiredService<Data.DatabaseSettings>().Configure(options), optionsLifetime: ServiceLifetime.Singleton);
        var dataProtection = services.AddDataProtection().SetApplicationName(KeyRingDb.ApplicationName).PersistKeysToDbContext<KeyRingDb>();
        var certificate = KeyRingCertificate.Load(CairnOptions.From(configuration).DataProtection);
        if (certificate is not null)
            dataProtection.ProtectKeysWithCertificate(certificate);
        else
            services.AddLogging(l => l.AddFilter(UnencryptedWarningCategory, LogLevel.Error));
        services.AddSingleton(new KeyRingCertificate(certificate));
    }

    /// <summary>
    /// At start-up, before any key is used: says whether the key ring is encrypted, and what to do when
    /// it is not. Refuses to start without the certificate when the stored key ring is encrypted: such an
    /// instance cannot read the keys and would write a new, unencrypted one that every instance would then
    /// use (a silent downgrade during a partial roll-out). With the certificate, names the keys written
    /// before encryption was turned on, which stay unencrypted and in use until they expire.
    /// </summary>
    /// <exception cref="StartupRefusedException">The stored key ring is encrypted and no certificate is configured.</exception>
    public static async Task CheckKeyRingProtectionAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        var stored = StoredKey.ReadAll(await ReadKeyDocumentsAsync(app.Services.GetRequiredService<Data.DatabaseSettings>(), cancellationToken));
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (app.Services.GetRequiredService<KeyRingCertificate>().Certificate is not { } certificate)
        {
            if (stored.Count(k => k.Encrypted) is > 0 and var encrypted)
                throw new StartupRefusedException($"The session and form-token keys in the database ({encrypted} of them) are encrypted with a certificate, and this instance has none: set Cairn:DataProtection:CertificatePath and Cairn:DataProtection:CertificatePassword to the same .pfx as the other instances. Without it this instance could read no key and would write an unencrypted one that every instance would then use.");
            app.Logger.LogWarning("Session and form-token keys (the Data Protection key ring in the database) are stored unencrypted: whoever can read the database can forge staff and portal sessions. Set Cairn:DataProtection:CertificatePath (a .pfx with its private key, the same on every instance) to encrypt them; see the README, \"Protecting the session keys\"");
            return;
        }

        app.Logger.LogInformation("New session and form-token keys (the Data Protection key ring in the database) are encrypted with the certificate {Subject} ({Thumbprint}, valid until {NotAfter:yyyy-MM-dd})",
            certificate.Subject, certificate.Thumbprint, certificate.NotAfter);
        var plain = stored.Where(k => !k.Encrypted && k.ExpiresAt > now).ToList();
        if (plain.Count > 0)
            app.Logger.LogWarning("{Count} session and form-token key(s) in the database were stored before encryption was turned on and are not encrypted; they stay in use until {Until:yyyy-MM-dd} and whoever can read the database can use them until then (see the README, \"Protecting the session keys\")",
                plain.Count, plain.Max(k => k.ExpiresAt));
    }

    // Over a plain connection, as the migrations: at this point of start-up EF Core is still building its
    // models on another thread, and a query through KeyRingDb would wait for them (StartupModels).
    private static async Task<List<string?>> ReadKeyDocumentsAsync(Data.DatabaseSettings settings, CancellationToken cancellationToken)
    {
        await using var connection = await settings.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT xml FROM {KeyRingDb.Table}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var documents = new List<string?>();
        while (await reader.ReadAsync(cancellationToken))
            documents.Add(await reader.IsDBNullAsync(0, cancellationToken) ? null : reader.GetString(0));
        return documents;
    }

    // The framework's XmlKeyManager writes "No XML encryptor configured" here; its errors (a key it cannot read) still pass.
    private const string UnencryptedWarningCategory = "Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager";
}

/// <summary>
/// What start-up needs to know of a stored key (ASP.NET Core Data Protection's key XML): whether its
/// secret is encrypted (an <c>encryptedSecret</c> element) and when it expires (<c>expirationDate</c>).
/// </summary>
internal sealed record StoredKey(bool Encrypted, DateTimeOffset ExpiresAt)
{
    public static List<StoredKey> ReadAll(IEnumerable<string?> documents) =>
        documents.OfType<string>().Select(xml =>
        {
            var key = System.Xml.Linq.XElement.Parse(xml);
            var expires = DateTimeOffset.TryParse(key.Element("expirationDate")?.Value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.MaxValue;
            return new StoredKey(key.Descendants().Any(e => e.Name.LocalName == "encryptedSecret"), expires);
        }).ToList();
}

/// <summary>The certificate that encrypts the key ring, or null when it is stored unencrypted.</summary>
/// <param name="Certificate">The certificate with its private key.</param>
public sealed record KeyRingCertificate(X509Certificate2? Certificate)
{
    /// <summary>Loads the configured certificate, or returns null when none is configured; throws when it cannot be used (see <see cref="ProblemWith"/>).</summary>
    public static X509Certificate2? Load(KeyRingProtectionOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
            return null;
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        using var privateKey = certificate.GetRSAPrivateKey();
        if (privateKey is null)
        {
            certificate.Dispose();
            throw new CryptographicException("the file holds no RSA private key");
        }

        return certificate;
    }

    /// <summary>What is wrong with the configured certificate, naming the setting, or null when it loads (or none is configured).</summary>
    public static string? ProblemWith(KeyRingProtectionOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
            return string.IsNullOrEmpty(options.CertificatePassword) ? null : "Cairn:DataProtection:CertificatePassword is set but Cairn:DataProtection:CertificatePath is not; name the .pfx file the password opens.";
        if (!File.Exists(options.CertificatePath))
            return $"Cairn:DataProtection:CertificatePath is '{options.CertificatePath}'; no such file.";
        try
        {
            Load(options)?.Dispose();
            return null;
        }
        catch (CryptographicException e)
        {
            // The message says "wrong password" or what else is wrong; it never contains the password.
            return $"Cairn:DataProtection:CertificatePath '{options.CertificatePath}' cannot be used: {e.Message.TrimEnd('.')}. It must be a PKCS#12 (.pfx) file with an RSA certificate and its private key, opened by Cairn:DataProtection:CertificatePassword.";
        }
    }
}
