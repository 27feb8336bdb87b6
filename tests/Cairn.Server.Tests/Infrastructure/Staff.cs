using Cairn.Server.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>An organization provisioned with an owner user who has a password, and the owner's API key.</summary>
public sealed record StaffOrganization(ApiClient Api, Guid OwnerId, string OwnerEmail, string OwnerPassword);

/// <summary>Builders for staff users.</summary>
public static class Staff
{
    public const string Password = "correct horse battery staple";

    /// <summary>Provisions an organization whose owner signs in with <see cref="Password"/>.</summary>
    public static async Task<StaffOrganization> NewStaffOrganizationAsync(this CairnApp app, string ownerEmail, string name = "Acme Studio")
    {
        using var scope = app.Services.CreateScope();
        var provisioned = await scope.ServiceProvider.GetRequiredService<Provisioning>().ProvisionAsync(
            new OrganizationDetails(name, "1 Rue de la Paix, Paris", "FR40123456789", null, "EUR"),
            new OwnerDetails(ownerEmail, "Ada Owner", Password),
            "tests");
        return new StaffOrganization(new ApiClient(app.CreateClient(), provisioned.ApiKey, provisioned.Organization.Id), provisioned.Owner.Id, ownerEmail, Password);
    }

    /// <summary>A user of <paramref name="role"/> (e.g. <c>viewer</c>) invited to the organization, who accepted in a new browser and is signed in there.</summary>
    public static async Task<Browser> SignedInWithRoleAsync(this CairnApp app, ApiClient owner, string role)
    {
        var invited = await Json.OkAsync(await owner.PostAsync("/api/v1/users/invitations", new { email = Email(role), role }));
        var browser = new Browser(app);
        var path = new Uri(invited.Str("inviteUrl")).PathAndQuery;
        await browser.GetAsync(path);
        await browser.PostFormAsync(path, new Dictionary<string, string> { ["DisplayName"] = role, ["Password"] = Password, ["ConfirmPassword"] = Password });
        return browser;
    }

    /// <summary>A unique email for a test.</summary>
    public static string Email(string who = "user") => $"{who}-{Guid.NewGuid():N}@acme.test";
}
