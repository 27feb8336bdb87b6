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

    /// <summary>The keys, as XML documents written by ASP.NET Core Data Protection.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<DataProtectionKey>(b =>
        {
            b.ToTable("data_protection_keys");
            b.HasKey(k => k.Id);
            b.Property(k => k.Id).HasColumnName("id");
            b.Property(k => k.FriendlyName).HasColumnName("friendly_name");
            b.Property(k => k.Xml).HasColumnName("xml");
        });
}

/// <summary>Registers the database key ring.</summary>
public static class KeyRingServices
{
    /// <summary>Data Protection with its keys in the database described by <see cref="Data.DatabaseSettings"/>.</summary>
    public static void AddCairnKeyRing(this IServiceCollection services)
    {
        services.AddDbContext<KeyRingDb>((sp, options) => sp.GetRequiredService<Data.DatabaseSettings>().Configure(options), optionsLifetime: ServiceLifetime.Singleton);
        services.AddDataProtection().SetApplicationName(KeyRingDb.ApplicationName).PersistKeysToDbContext<KeyRingDb>();
    }
}
