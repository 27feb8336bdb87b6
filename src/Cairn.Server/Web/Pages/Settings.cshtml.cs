using System.Text.Json;
using Cairn.Domain;
using Cairn.Server.Api;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages;

/// <summary>
/// The organization's details and billing settings, its users and their roles, and its API keys;
/// each part changes only for a role allowed to change it, with the same checks and audit as the API.
/// </summary>
public sealed class SettingsModel(CairnDb db, Invitations invitations, TimeProvider clock) : StaffPage
{
    public Organization Organization { get; private set; } = null!;

    public IReadOnlyList<StaffUser> Users { get; private set; } = [];

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
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public string? InviteEmail { get; set; }
    [BindProperty] public string? InviteName { get; set; }
    [BindProperty] public string? KeyName { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostOrganizationAsync(CancellationToken ct)
    {
        var ok = await TryChangeAsync(db, "organization", Permission.ManageSettings, "change the settings", async () =>
        {
            var organization = await db.Organizations.SingleAsync(ct);
            var before = SettingsJson.Of(organization);
            var window = JsonSerializer.SerializeToElement(ApprovalWindowDays);
            new SettingsInput(Name ?? "", Address ?? "", TaxId ?? "", Email ?? "", IssueMode, InvoiceSeriesFormat ?? "", CreditNoteSeriesFormat ?? "", PaymentTermsDays, window, PaymentInstructions ?? "", TimeZone ?? "")
                .ApplyTo(organization, organization.Calendar.Today(clock));
            Billing.Audit.Record(db, Caller.OrganizationId, "organization", organization.Id, "settings_updated", Caller.Actor, clock.GetUtcNow(), before, SettingsJson.Of(organization));
        });
        return await AfterAsync(ok, "Settings saved.", ct);
    }

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken ct)
    {
        string? url = null;
        var emailed = false;
        var ok = await TryChangeAsync(db, "invite", Permission.ManageUsers, "invite users", async () =>
        {
            var now = clock.GetUtcNow();
            var email = Inputs.Email(InviteEmail, "email", required: true);
            var role = UsersEndpoints.RoleOf(Role, "role");
            if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.NormalizedEmail == StaffUser.Normalize(email), ct))
                throw new DomainException(new IdentityConflict("email_taken", $"A user with the email {email} already exists.", "email"));
            var (user, token) = StaffUser.Invite(Caller.OrganizationId, email, Inputs.Optional(InviteName, "displayName", 100), role, now);
            db.Users.Add(user);
            Billing.Audit.Record(db, Caller.OrganizationId, "user", user.Id, "invited", Caller.Actor, now, after: UserJson.Of(user));
            await db.SaveChangesAsync(ct);
            var organization = await db.Organizations.AsNoTracking().SingleAsync(ct);
            url = Invitations.UrlOf(PublicUrl.Of(HttpContext), token);
            emailed = await invitations.SendAsync(user, organization.Name, url, ct);
        });
        if (ok && !emailed)
        {
            (Secret, SecretLabel) = (url, "The invitation email could not be sent. Pass this link on yourself; it is shown only now:");
            await LoadAsync(ct);
            return Page();
        }

        return await AfterAsync(ok, $"Invitation emailed to {InviteEmail}.", ct);
    }

    public async Task<IActionResult> OnPostRoleAsync(Guid userId, CancellationToken ct)
    {
        var ok = await TryChangeAsync(db, $"role-{userId}", Permission.ManageUsers, "change roles", async () =>
        {
            var user = await FindUserAsync(userId, ct);
            var before = UserJson.Of(user);
            var role = UsersEndpoints.RoleOf(Role, "role");
            if (user.Role == Identity.Role.Owner && role != Identity.Role.Owner && user.IsActive)
                await UsersEndpoints.EnsureAnotherOwnerAsync(db, user, ct);
            user.ChangeRole(role);
            Billing.Audit.Record(db, Caller.OrganizationId, "user", user.Id, "updated", Caller.Actor, clock.GetUtcNow(), before, UserJson.Of(user));
        });
        return await AfterAsync(ok, "Role changed.", ct);
    }

    public async Task<IActionResult> OnPostDeactivateAsync(Guid userId, CancellationToken ct)
    {
        var ok = await TryChangeAsync(db, $"access-{userId}", Permission.ManageUsers, "deactivate users", async () =>
            await UsersEndpoints.DeactivateAsync(db, await FindUserAsync(userId, ct), Caller, clock.GetUtcNow(), ct));
        return await AfterAsync(ok, "User deactivated: they can no longer sign in.", ct);
    }

    public async Task<IActionResult> OnPostReactivateAsync(Guid userId, CancellationToken ct)
    {
        var ok = await TryChangeAsync(db, $"access-{userId}", Permission.ManageUsers, "reactivate users", async () =>
            UsersEndpoints.Reactivate(db, await FindUserAsync(userId, ct), Caller, clock.GetUtcNow()));
        return await AfterAsync(ok, "User reactivated: they can sign in again.", ct);
    }

    private async Task<StaffUser> FindUserAsync(Guid userId, CancellationToken ct) =>
        await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct) ?? throw new DomainException(new NotFound("user", userId));

    public async Task<IActionResult> OnPostApiKeyAsync(CancellationToken ct)
    {
        string? secret = null;
        var ok = await TryChangeAsync(db, "api-key", Permission.ManageApiKeys, "create API keys", () =>
        {
            var now = clock.GetUtcNow();
            var name = Inputs.Required(KeyName, "name", 100);
            var role = UsersEndpoints.RoleOf(Role, "role");
            Guid? createdBy = Guid.TryParse(Caller.Actor.Id, out var id) ? id : null;
            var (key, plain) = ApiKey.Create(Caller.OrganizationId, name, role, createdBy, now);
            db.ApiKeys.Add(key);
            Billing.Audit.Record(db, Caller.OrganizationId, "api_key", key.Id, "created", Caller.Actor, now, after: ApiKeyJson.Of(key));
            secret = plain;
            return Task.CompletedTask;
        });
        if (!ok)
            return await AfterAsync(ok, "", ct);

        // The secret is shown in this answer only: it is never stored and never put in a redirect.
        Response.Headers.CacheControl = "no-store";
        (Secret, SecretLabel) = (secret, $"The API key {KeyName}: copy it now, it is shown only once. Use it as Authorization: Bearer <key>.");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeKeyAsync(Guid keyId, CancellationToken ct)
    {
        var ok = await TryChangeAsync(db, $"revoke-{keyId}", Permission.ManageApiKeys, "revoke API keys", async () =>
        {
            var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId, ct) ?? throw new DomainException(new NotFound("API key", keyId));
            var before = ApiKeyJson.Of(key);
            var now = clock.GetUtcNow();
            key.Revoke(now);
            Billing.Audit.Record(db, Caller.OrganizationId, "api_key", key.Id, "revoked", Caller.Actor, now, before, ApiKeyJson.Of(key));
        });
        return await AfterAsync(ok, "API key revoked.", ct);
    }

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
        Users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        ApiKeys = Can(Permission.ManageApiKeys) ? await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(ct) : [];
        if (keepInput && PostedForm == "organization")
            return;
        var o = Organization;
        (Name, Address, TaxId, Email, IssueMode) = (o.Name, o.Address, o.TaxId, o.Email, Inputs.NameOf(o.IssueMode));
        (InvoiceSeriesFormat, CreditNoteSeriesFormat, PaymentTermsDays, ApprovalWindowDays, PaymentInstructions, TimeZone) =
            (o.InvoiceSeriesFormat, o.CreditNoteSeriesFormat, o.PaymentTermsDays, o.ApprovalWindowDays, o.PaymentInstructions, o.TimeZone);
    }
}
