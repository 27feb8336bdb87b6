using Cairn.Server.Api;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Requests;
using Cairn.Server.Webhooks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages;

/// <summary>
/// Settings → Webhooks (owners): the organization's webhook endpoints, a new endpoint's or a rotated
/// secret shown once, and an endpoint's delivery log with a resend button; the same
/// <see cref="Subscriptions"/> and checks as <c>/api/v1/webhook-endpoints</c>.
/// </summary>
public sealed class WebhooksModel(CairnDb db, Subscriptions subscriptions) : StaffPage
{
    /// <summary>How many deliveries of an endpoint the log shows, newest first.</summary>
    public const int LogSize = 50;

    public IReadOnlyList<WebhookEndpoint> Endpoints { get; private set; } = [];

    /// <summary>The endpoint whose log is shown.</summary>
    public WebhookEndpoint? Selected { get; private set; }

    /// <summary>The selected endpoint's newest deliveries with their attempts.</summary>
    public IReadOnlyList<WebhookDeliveryJson> Log { get; private set; } = [];

    /// <summary>A new or rotated secret, shown in this answer only.</summary>
    public string? Secret { get; private set; }

    [BindProperty] public string? EndpointUrl { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public List<string> Types { get; set; } = [];

    [BindProperty(SupportsGet = true)] public Guid? Endpoint { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        string? secret = null;
        var ok = await TryChangeAsync(db, "create", Permission.ManageSettings, "manage webhooks", async () =>
            (_, secret) = await subscriptions.CreateAsync(Caller.OrganizationId, Caller.Actor, new EndpointChange(EndpointUrl, Types, Description, true), ct));
        return ok ? await ShowSecretAsync(secret!, ct) : await AfterAsync(ok, "", ct);
    }

    public async Task<IActionResult> OnPostRotateAsync(Guid endpointId, CancellationToken ct)
    {
        string? secret = null;
        var ok = await TryChangeAsync(db, $"endpoint-{endpointId}", Permission.ManageSettings, "manage webhooks", async () =>
            (_, secret) = await subscriptions.RotateSecretAsync(await FindAsync(endpointId, ct), Caller.Actor, ct));
        return ok ? await ShowSecretAsync(secret!, ct) : await AfterAsync(ok, "", ct);
    }

    public async Task<IActionResult> OnPostEnableAsync(Guid endpointId, bool enabled, CancellationToken ct)
    {
        var ok = await TryChangeAsync(db, $"endpoint-{endpointId}", Permission.ManageSettings, "manage webhooks", async () =>
            await subscriptions.UpdateAsync(await FindAsync(endpointId, ct), Caller.Actor, new EndpointChange(null, null, null, enabled), ct));
        return await AfterAsync(ok, enabled ? "Endpoint enabled." : "Endpoint disabled.", ct);
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid endpointId, CancellationToken ct)
    {
        var ok = await TryChangeAsync(db, $"endpoint-{endpointId}", Permission.ManageSettings, "manage webhooks", async () =>
            await subscriptions.DeleteAsync(await FindAsync(endpointId, ct), Caller.Actor, ct));
        Endpoint = null;
        return await AfterAsync(ok, "Endpoint deleted.", ct);
    }

    public async Task<IActionResult> OnPostResendAsync(Guid deliveryId, CancellationToken ct)
    {
        var ok = await TryChangeAsync(db, $"delivery-{deliveryId}", Permission.ManageSettings, "manage webhooks", async () =>
            await subscriptions.ResendAsync(deliveryId, Caller.Actor, ct));
        return await AfterAsync(ok, "Delivery queued to be sent again.", ct);
    }

    private async Task<WebhookEndpoint> FindAsync(Guid id, CancellationToken ct) =>
        await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id && e.DeletedAt == null, ct) ?? throw Billing.EntityNotFound.Of("webhook endpoint", id);

    private async Task<IActionResult> ShowSecretAsync(string secret, CancellationToken ct)
    {
        // Shown in this answer only: never stored readable, never put in a redirect.
        Response.DoNotStore();
        Secret = secret;
        (EndpointUrl, Description, Types) = (null, null, []);
        await LoadAsync(ct);
        return Page();
    }

    private async Task<IActionResult> AfterAsync(bool ok, string done, CancellationToken ct)
    {
        if (ok)
        {
            Flash = done;
            return Redirect(Endpoint is { } id ? $"/settings/webhooks?endpoint={id}" : "/settings/webhooks");
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        ViewData["Section"] = "settings";
        if (!Can(Permission.ManageSettings))
            return;
        Endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => e.DeletedAt == null).OrderBy(e => e.Id).ToListAsync(ct);
        Selected = Endpoints.FirstOrDefault(e => e.Id == Endpoint);
        if (Selected is null)
            return;
        var deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == Selected.Id).OrderByDescending(d => d.Id).Take(LogSize).ToListAsync(ct);
        var ids = deliveries.Select(d => d.Id).ToList();
        var attempts = (await db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).ToListAsync(ct)).ToLookup(a => a.DeliveryId);
        Log = deliveries.Select(d => WebhookDeliveryJson.Of(d, attempts[d.Id])).ToList();
    }
}
