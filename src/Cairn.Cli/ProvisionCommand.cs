using System.CommandLine;
using Cairn.Domain;
using Cairn.Server;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cairn.Cli;

/// <summary>
/// <c>cairn provision</c>: creates an organization, its owner and an owner API key with no
/// browser, migrating the database first. Prints the API key alone on standard output.
/// </summary>
public static class ProvisionCommand
{
    /// <summary>The command with its options.</summary>
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "The organization's name.", Required = true };
        var currency = new Option<string>("--currency") { Description = "Default currency (ISO 4217 code, e.g. EUR).", Required = true };
        var ownerEmail = new Option<string>("--owner-email") { Description = "The owner's email: their sign-in name.", Required = true };
        var ownerName = new Option<string?>("--owner-name") { Description = "The owner's display name (default: the part of the email before @)." };
        var ownerPassword = new Option<string?>("--owner-password") { Description = "The owner's password; without it the owner is emailed an invitation link to choose one." };
        var address = new Option<string?>("--address") { Description = "The organization's postal address." };
        var taxId = new Option<string?>("--tax-id") { Description = "The organization's tax id (VAT number)." };
        var terms = new Option<int>("--payment-terms") { Description = "Days until an invoice is due.", DefaultValueFactory = _ => 30 };
        var timeZone = new Option<string?>("--time-zone") { Description = "The organization's time zone, an IANA id such as Europe/Paris: business dates are days there (default: the server's zone)." };
        var keyName = new Option<string>("--key-name") { Description = "A name for the API key.", DefaultValueFactory = _ => "provisioning" };
        var postgres = new Option<string?>("--postgres") { Description = "A PostgreSQL connection string (default: SQLite in the data directory)." };
        var dataDir = new Option<string?>("--data-dir") { Description = "The folder of the SQLite database (default: ./data)." };
        var url = new Option<string?>("--url") { Description = "The address people reach Cairn at, for the invitation link (default: Cairn:PublicUrl or http://localhost:5080)." };

        var command = new Command("provision", "Create an organization with its owner and print an owner API key.")
        {
            name, currency, ownerEmail, ownerName, ownerPassword, address, taxId, terms, timeZone, keyName, postgres, dataDir, url,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (parse.GetValue(postgres) is { Length: > 0 } p)
                settings["Cairn:Postgres"] = p;
            if (parse.GetValue(dataDir) is { Length: > 0 } d)
                settings["Cairn:DataDirectory"] = d;
            if (parse.GetValue(url) is { Length: > 0 } u)
                settings["Cairn:PublicUrl"] = u;
            var configuration = new ConfigurationManager();
            configuration.AddEnvironmentVariables();
            configuration.AddCairnSources([]);
            configuration.AddInMemoryCollection(settings);

            await using var services = Services(configuration);
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
            try
            {
                await Migrator.MigrateAsync(db, cancellationToken);
                var provisioned = await scope.ServiceProvider.GetRequiredService<Provisioning>().ProvisionAsync(
                    new OrganizationDetails(parse.GetValue(name)!, parse.GetValue(address), parse.GetValue(taxId), null, parse.GetValue(currency)!.Trim().ToUpperInvariant(), parse.GetValue(terms), parse.GetValue(timeZone)),
                    new OwnerDetails(parse.GetValue(ownerEmail)!, parse.GetValue(ownerName), parse.GetValue(ownerPassword)),
                    parse.GetValue(keyName)!,
                    cancellationToken);

                var owner = provisioned.Owner;
                await Console.Error.WriteLineAsync($"Created organization '{provisioned.Organization.Name}' ({provisioned.Organization.Id}) with owner {owner.Email}.");
                if (provisioned.InviteToken is { } token)
                {
                    var baseUrl = CairnOptions.From(configuration).PublicUrl is { Length: > 0 } configured ? configured : $"http://localhost:{Hosting.DefaultPort}";
                    var emailed = await scope.ServiceProvider.GetRequiredService<Invitations>().SendAsync(new Member(owner, provisioned.OwnerMembership), provisioned.Organization.Name, Invitations.UrlOf(baseUrl, token), cancellationToken);
                    await Console.Error.WriteLineAsync(emailed
                        ? $"An invitation to choose a password was emailed to {owner.Email}."
                        : $"The invitation email to {owner.Email} could not be sent; create a new invitation once the server runs.");
                }

                await Console.Error.WriteLineAsync("The owner API key (shown once):");
                Console.WriteLine(provisioned.ApiKey);
                return 0;
            }
            catch (DomainException e)
            {
                await Console.Error.WriteLineAsync($"cairn provision: {e.Error.Message}");
                return 1;
            }
        });
        return command;
    }

    private static ServiceProvider Services(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(l => l.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Error));
        services.AddSingleton(TimeProvider.System);
        services.AddCairnData(configuration);
        services.AddCairnBilling();
        services.AddCairnIdentity(configuration);
        return services.BuildServiceProvider();
    }
}
