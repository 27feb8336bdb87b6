using Cairn.Domain;
using Cairn.Server.Data;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>Small builders that put realistic rows into a real database.</summary>
public static class Seed
{
    public static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    public static readonly Actor Client = new(ActorKind.Contact, "contact-1", "Client contact");

    /// <summary>An organization with one client, saved.</summary>
    public static async Task<(Organization Organization, Client Client)> OrganizationAsync(Engine engine, string name = "Acme Studio")
    {
        var organization = new Organization(Guid.CreateVersion7(), name, Currency.EUR, Now) { Address = "1 Rue de la Paix, Paris", TaxId = "FR123" };
        await using var db = engine.NewDb(organization.Id);
        db.Organizations.Add(organization);
        var client = new Client(Guid.CreateVersion7(), organization.Id, "Globex", Now) { Address = "2 Main St", Email = "ap@globex.test" };
        db.Clients.Add(client);
        await db.SaveChangesAsync();
        return (organization, client);
    }

    /// <summary>An active contract of <paramref name="milestones"/> fixed milestones of 100.00 EUR each, all approved by the client, saved.</summary>
    public static async Task<Contract> ContractWithApprovedMilestonesAsync(Engine engine, Organization organization, Client client, int milestones)
    {
        await using var db = engine.NewDb(organization.Id);
        var contract = new Contract(Guid.CreateVersion7(), organization.Id, client.Id, "Website rebuild", new Money(10_000L * milestones, Currency.EUR), Percentage.FromBasisPoints(2000), 30, Now);
        for (var i = 0; i < milestones; i++)
            contract.AddMilestone(Guid.CreateVersion7(), new MilestoneTerms($"Milestone {i + 1}", "Work", "Accepted by client", null, new Money(10_000, Currency.EUR), null));
        contract.Activate(Now);
        var seller = new Actor(ActorKind.User, "pm", "PM");
        foreach (var m in contract.Milestones)
        {
            m.Start(seller, Now);
            m.Submit("Delivered", ["https://example.test/deliverable"], seller, Now);
            m.Approve(Client, Now);
        }

        db.Contracts.Add(contract);
        await db.SaveChangesAsync();
        return contract;
    }
}
