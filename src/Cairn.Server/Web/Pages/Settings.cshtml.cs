using System.Text.Json;
using Cairn.Domain;
using Cairn.Server.Api;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Requests;
using Cairn.Server.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages;

/// <summary>
/// The organization's details and billing settings, its users and their roles, and its API keys;
/// each part changes only for a role allowed to change it, with the same checks and audit as the API.
/// </summary>
[Requests.AcceptsFiles]
public sealed class SettingsModel(CairnDb db, UserAdministration admin, Branding branding, TimeProvider clock) : StaffPage
{
    public Organization Organization { get; private set; } = null!;

    /// <summary>The organization's members as the API shows them (name and status per organization).</summary>
    public IReadOnlyList<UserJson> Users { get; private set; } = [];

    public IReadOnlyList<ApiKey> ApiKeys { get; private set; } = [];

    /// <summary>A new API key's secret or an unsent invitation link, shown once.</summary>
    public string? Secret { get; private set; }

    public string? SecretLabel { get; private set; }

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Address { get; set; }
    [BindProperty] public string? TaxId { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? IssueMode { get; set; }
    [BindProperty] public string? InvoiceSeriesFormat { get; set; }
    [BindProperty] public string? CreditNoteSeriesFormat { get; set; }
    [BindProperty] public int? PaymentTermsDays { get; set; }
    [BindProperty] public int? ApprovalWindowDays { get; set; }
    [BindProperty] public string? PaymentInstructions { get; set; }
    [BindProperty] public string? TimeZone { get; set; }
    [BindProperty] public bool RequireTwoFactor { get; set; }
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public string? InviteEmail { get; set; }
    [BindProperty] public string? InviteName { get; set; }
    [BindProperty] public string? KeyName { get; set; }

    /// <summary>The accent colour typed in the Branding form (<c>#1f4e79</c>); empty for Cairn's own.</summary>
    [BindProperty] public string? AccentColour { get; set; }

    /// <summary>A new logo chosen in the Branding form.</summary>
    [BindProperty] public IFormFile? Logo { get; set; }

    [BindProperty] public bool RemoveLogo { get; set; }

    /// <summary>The seller's structured details (BG-4), posted as Party.*.</summary>
    [BindProperty] public PartyFields Party { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostOrganizationAsync(CancellationToken ct)
    {
        var ok = await TryChangeAsync(db, "organization", Permission.ManageSettings, "change the settings", async () =>
        {
            var organization = await db.Organizations.SingleAsync(ct);
            var before = SettingsJson.Of(organization);
            var window = JsonSerializer.SerializeToElement(ApprovalWindowDays);
            new SettingsInput(Name ?? "", Address ?? "", TaxId ?? "", Email ?? "", IssueMode, InvoiceSeriesFormat ?? "", CreditNoteSeriesFormat ?? "", PaymentTermsDays, window, PaymentInstructions ?? "", TimeZone ?? "", PostedParty(), RequireTwoFactor)
                .ApplyTo(organization, organization.Calendar.Today(clock));
            Billing.Audit.Record(db, Caller.OrganizationId, "organization", organization.Id, "settings_updated", Caller.Actor, clock.GetUtcNow(), before, SettingsJson.Of(organization));
        });
        return await AfterAsync(ok, "Settings saved.", ct);
    }

    /// <summary>The accent colour and the logo, with the API's rules (<see cref="Domain.AccentColour"/>, <see cref="Branding"/>): nothing changes when either is refused.</summary>
    public async Task<IActionResult> OnPostBrandingAsync(CancellationToken ct)
    {
        var ok = await TryChangeAsync(db, "branding", Permission.ManageSettings, "change the branding", async () =>
        {
            var accent = string.IsNullOrWhiteSpace(AccentColour) ? (Domain.AccentColour?)null : Domain.AccentColour.Parse(AccentColour);
            var organization = await db.Organizations.SingleAsync(ct);
            if (organization.Accent != accent)
            {
                var before = SettingsJson.Of(organization);
                organization.Accent = accent;
                organization.Changed();
                Billing.Audit.Record(db, Caller.OrganizationId, "organization", organization.Id, "settings_updated", Caller.Actor, clock.GetUtcNow(), before, SettingsJson.Of(organization));
            }

            if (Logo is not null)
            {
                var file = await Requests.Uploads.ReadAsync(Logo, ct);
                await branding.ChangeLogoAsync(file.FileName, file.Content, Caller.Actor, ct);
            }
            else if (RemoveLogo)
            {
                await branding.RemoveLogoAsync(Caller.Actor, ct);
            }

            await db.SaveChangesAsync(ct);
        });
        return await AfterAsync(ok, "Branding saved.", ct);
    }

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken ct)
    {
        var ok = await TryChangeAsync(db, "invite", Permission.ManageUsers, "invite users", async () =>
        {
            var email = Inputs.Email(InviteEmail, "email", required: true);
            var role = UsersEndpoints.RoleOf(Role, "role");
            await admin.InviteAsync(Caller, email, role, Inputs.Optional(InviteName, "displayName", 100), PublicUrl.Of(HttpContext), ct);
        });
        return await AfterAsync(ok, $"Invitation emailed to {InviteEmail}.", ct);
    }

    public async Task<IActionResult> OnPostRoleAsync(Guid userId, CancellationToken ct)
    {
        var ok = await TryChangeAsync(db, $"role-{userId}", Permission.ManageUsers, "change roles", async () =>
            await admin.UpdateAsync(Caller, userId, UsersEndpoints.RoleOf(Role, "role"), null, ct));
        return await AfterAsync(ok, "Role changed.", ct);
    }

    public async Task<IActionResult> OnPostDeactivateAsync(Guid userId, CancellationToken ct)
    {
        var ok = await TryChangeAsync(db, $"access-{userId}", Permission.ManageUsers, "deactivate users", async () =>
            await admin.DeactivateAsync(Caller, userId, ct));
        return await AfterAsync(ok, "User deactivated: they can no longer sign in.", ct);
    }

    public async Task<IActionResult> OnPostReactivateAsync(Guid userId, CancellationToken ct)
    {
        var ok = await TryChangeAsync(db, $"access-{userId}", Permission.ManageUsers, "reactivate users", async () =>
            await admin.ReactivateAsync(Caller, userId, ct));
        return await AfterAsync(ok, "User reactivated: they can sign in again.", ct);
    }

    public async Task<IActionResult> OnPostApiKeyAsync(CancellationToken ct)
    {
        string? secret = null;
        var ok = await TryChangeAsync(db, "api-key", Permission.ManageApiKeys, "create API keys", () =>
        {
            (_, secret) = admin.CreateApiKey(Caller, Inputs.Required(KeyName, "name", 100), UsersEndpoints.RoleOf(Role, "role"));
            return Task.CompletedTask;
        });
        if (!ok)
            return await AfterAsync(ok, "", ct);

        // The secret is shown in this answer only: it is never stored and never put in a redirect.
        Response.DoNotStore();
        (Secret, SecretLabel) = (secret, $"The API key {KeyName}: copy it now, it is shown only once. Use it as Authorization: Bearer <key>.");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeKeyAsync(Guid keyId, CancellationToken ct)
    {
        var ok = await TryChangeAsync(db, $"revoke-{keyId}", Permission.ManageApiKeys, "revoke API keys", async () =>
            await admin.RevokeApiKeyAsync(Caller, keyId, ct));
        return await AfterAsync(ok, "API key revoked.", ct);
    }

    // The form carries every party field, and an emptied one clears it; a post without any leaves them as they are.
    private PartyJson? PostedParty() =>
        Request.Form.Keys.Any(k => k.StartsWith("Party.", StringComparison.OrdinalIgnoreCase)) ? Party.ToJson(clearEmpty: true) : null;

    private async Task<IActionResult> AfterAsync(bool ok, string done, CancellationToken ct)
    {
        if (ok)
        {
            Flash = done;
            return Redirect("/settings");
        }

        await LoadAsync(ct, keepInput: true);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct, bool keepInput = false)
    {
        ViewData["Section"] = "settings";
        Organization = await db.Organizations.AsNoTracking().SingleAsync(ct);
        Users = (await (from m in db.Memberships.AsNoTracking()
                        join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                        orderby u.Email
                        select new Member(u, m)).ToListAsync(ct)).Select(UserJson.Of).ToList();
        ApiKeys = Can(Permission.ManageApiKeys) ? await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(ct) : [];
        if (keepInput && PostedForm is "organization" or "branding")
            return;
        AccentColour = Organization.Accent?.Hex;
        var o = Organization;
        (Name, Address, TaxId, Email, IssueMode, RequireTwoFactor) = (o.Name, o.Address, o.TaxId, o.Email, Inputs.NameOf(o.IssueMode), o.RequireTwoFactor);
        Party = PartyFields.Of(o.Party);
        (InvoiceSeriesFormat, CreditNoteSeriesFormat, PaymentTermsDays, ApprovalWindowDays, PaymentInstructions, TimeZone) =
            (o.InvoiceSeriesFormat, o.CreditNoteSeriesFormat, o.PaymentTermsDays, o.ApprovalWindowDays, o.PaymentInstructions, o.TimeZone);
    }
}
