using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary><c>/clients</c> and their contacts.</summary>
public static class ClientsEndpoints
{
    public static void MapClients(this RouteGroupBuilder api)
    {
        var clients = api.MapGroup("/clients").WithTags("Clients");

        clients.MapGet("/", async (ReadDatabase reads, string? limit, string? cursor, CancellationToken ct) =>
        {
            var (take, after) = Cursor.Read(limit, cursor);
            var db = await reads.OpenAsync(ct);
            var rows = await db.Clients.AsNoTracking().Where(c => after == null || c.Id.CompareTo(after.Value) > 0).OrderBy(c => c.Id).Take(take + 1).ToListAsync(ct);
            return Results.Json(Cursor.Page(rows, take, c => c.Id, ClientJson.Of), ApiJson.Options);
        }).Requires(Permission.Read).Produces<Page<ClientJson>>();

        clients.MapPost("/", async (ClientInput input, HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var now = clock.GetUtcNow();
            var client = new Client(Guid.CreateVersion7(), caller.OrganizationId, Inputs.Required(input.Name, "name"), now);
            input.ApplyTo(client);
            db.Clients.Add(client);
            Audit.Record(db, caller.OrganizationId, "client", client.Id, "created", caller.Actor, now, after: ClientJson.Of(client));
            await db.SaveChangesAsync(ct);
            return Http.Created(http, $"/api/v1/clients/{client.Id}", ClientJson.Of(client), client.Version);
        }).Requires(Permission.ManageClients).Produces<ClientJson>(StatusCodes.Status201Created);

        clients.MapGet("/{id:guid}", async (Guid id, HttpContext http, CairnDb db, CancellationToken ct) =>
            await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) is { } client
                ? Http.WithETag(http, ClientJson.Of(client), client.Version)
                : Problems.NotFound("client", id.ToString()).ToResult())
            .Requires(Permission.Read).Produces<ClientJson>();

        clients.MapPatch("/{id:guid}", async (Guid id, ClientInput input, HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (await db.Clients.SingleOrDefaultAsync(c => c.Id == id, ct) is not { } client)
                return Problems.NotFound("client", id.ToString()).ToResult();
            if (Http.CheckIfMatch(http, client.Version) is { } stale)
                return stale;
            input.Change(db, client, caller, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return Http.WithETag(http, ClientJson.Of(client), client.Version);
        }).Requires(Permission.ManageClients).Produces<ClientJson>();

        clients.MapGet("/{id:guid}/contacts", async (Guid id, CairnDb db, CancellationToken ct) =>
        {
            if (!await db.Clients.AnyAsync(c => c.Id == id, ct))
                return Problems.NotFound("client", id.ToString()).ToResult();
            var contacts = await db.Contacts.AsNoTracking().Where(c => c.ClientId == id).OrderBy(c => c.Id).ToListAsync(ct);
            return Results.Json(new Page<ContactJson>(contacts.Select(ContactJson.Of).ToList(), null), ApiJson.Options);
        }).Requires(Permission.Read).Produces<Page<ContactJson>>();

        clients.MapPost("/{id:guid}/contacts", async (Guid id, ContactInput input, HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (!await db.Clients.AnyAsync(c => c.Id == id, ct))
                return Problems.NotFound("client", id.ToString()).ToResult();
            var now = clock.GetUtcNow();
            var contact = new Contact(Guid.CreateVersion7(), caller.OrganizationId, id, Inputs.Required(input.Name, "name"), Inputs.Email(input.Email, "email", required: true), now);
            db.Contacts.Add(contact);
            Audit.Record(db, caller.OrganizationId, "contact", contact.Id, "created", caller.Actor, now, after: ContactJson.Of(contact));
            await db.SaveChangesAsync(ct);
            return Http.Created(http, $"/api/v1/clients/{id}/contacts/{contact.Id}", ContactJson.Of(contact));
        }).Requires(Permission.ManageClients).Produces<ContactJson>(StatusCodes.Status201Created);
    }
}

/// <summary>A client as the API shows it.</summary>
/// <param name="Language">The language of the client's documents and portal, ISO 639-1: <c>en</c>, <c>de</c>, <c>fr</c>, <c>nl</c> or <c>es</c>.</param>
/// <remarks><c>taxId</c> is the VAT id (BT-48); <c>party</c> the structured details (BG-7); <c>eInvoiceProfile</c> is <c>en16931</c>, <c>peppol</c> or <c>xrechnung</c>.</remarks>
public sealed record ClientJson(Guid Id, string Name, string Email, string Address, string TaxId, DateTimeOffset CreatedAt, PartyJson Party, EInvoiceProfile EInvoiceProfile, string Language)
{
    public static ClientJson Of(Client c) => new(c.Id, c.Name, c.Email, c.Address, c.TaxId, c.CreatedAt, PartyJson.Of(c.Party), c.EInvoiceProfile, Inputs.NameOf(c.Language));
}

/// <summary>Fields to create or change a client; on PATCH, absent fields stay as they are.</summary>
/// <param name="Language">The language of the client's invoices, credit notes and portal (ISO 639-1: <c>en</c> by default, <c>de</c>, <c>fr</c>, <c>nl</c>, <c>es</c>); anything else is a 400 naming <c>language</c>.</param>
public sealed record ClientInput(string? Name, string? Email, string? Address, string? TaxId, PartyJson? Party = null, string? EInvoiceProfile = null, string? Language = null)
{
    /// <summary>
    /// Changes an existing client (the API's PATCH and the client page's edit form): the given fields,
    /// a new version, and the change with its before and after in the audit log. Bad input throws a
    /// <see cref="DomainException"/> naming the field before anything is recorded.
    /// </summary>
    public void Change(CairnDb db, Client client, Caller caller, DateTimeOffset now)
    {
        var before = ClientJson.Of(client);
        if (Name is not null)
            client.Name = Inputs.Required(Name, "name");
        ApplyTo(client);
        client.Version++;
        Audit.Record(db, caller.OrganizationId, "client", client.Id, "updated", caller.Actor, now, before, ClientJson.Of(client));
    }

    public void ApplyTo(Client client)
    {
        var party = Party?.ApplyTo(client.Party) ?? client.Party;
        var vatId = PartyJson.VatId(TaxId, party);
        var profile = Inputs.OptionalEnum<EInvoiceProfile>(EInvoiceProfile, "eInvoiceProfile");
        client.Party = party;
        client.EInvoiceProfile = profile ?? client.EInvoiceProfile;
        if (vatId is not null)
            client.TaxId = vatId;
        if (Email is not null)
            client.Email = Inputs.Email(Email, "email", required: false);
        if (Address is not null)
            client.Address = Inputs.Optional(Address, "address", 1000)!;
        if (Inputs.OptionalEnum<Language>(Language, "language") is { } language)
            client.Language = language;
    }
}

/// <summary>A client contact as the API shows it.</summary>
public sealed record ContactJson(Guid Id, Guid ClientId, string Name, string Email)
{
    public static ContactJson Of(Contact c) => new(c.Id, c.ClientId, c.Name, c.Email);
}

/// <summary>Fields of a new contact.</summary>
public sealed record ContactInput(string? Name, string? Email);
