using Cairn.Domain;
using Cairn.Server.Api;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Clients;

/// <summary>The clients, and a form for a new one.</summary>
public sealed class ClientsIndexModel(CairnDb db, TimeProvider clock) : StaffPage, IClientForm
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public string? TaxId { get; set; }

    /// <summary>The client's language, ISO 639-1 (en, de, fr, nl, es).</summary>
    [BindProperty]
    public string? Language { get; set; }

    /// <summary>The structured details (BG-7), posted as Party.*.</summary>
    [BindProperty]
    public PartyFields Party { get; set; } = new();

    /// <summary>en16931, peppol or xrechnung.</summary>
    [BindProperty]
    public string? EInvoiceProfile { get; set; }

    public IReadOnlyList<ClientListRow> Clients { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Client? client = null;
        var ok = await TryChangeAsync(db, "client", Permission.ManageClients, "add clients", () =>
        {
            var caller = Caller;
            var now = clock.GetUtcNow();
            client = new Client(Guid.CreateVersion7(), caller.OrganizationId, Inputs.Required(Name, "name"), now);
            ((IClientForm)this).ToInput(clearEmpty: false).ApplyTo(client);
            db.Clients.Add(client);
            Audit.Record(db, caller.OrganizationId, "client", client.Id, "created", caller.Actor, now, after: ClientJson.Of(client));
            return Task.CompletedTask;
        });
        if (!ok)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }

        Flash = $"Client {client!.Name} added. Add a contact to send them a portal link.";
        return Redirect($"/clients/{client.Id}");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        ViewData["Section"] = "clients";
        var clients = await db.Clients.AsNoTracking().OrderBy(c => c.Name).Take(500).ToListAsync(cancellationToken);
        var contracts = await db.Contracts.AsNoTracking().GroupBy(c => c.ClientId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        Clients = clients.Select(c => new ClientListRow(c.Id, c.Name, c.Email, contracts.GetValueOrDefault(c.Id))).ToList();
    }
}

/// <summary>A client in the list.</summary>
public sealed record ClientListRow(Guid Id, string Name, string Email, int Contracts);
