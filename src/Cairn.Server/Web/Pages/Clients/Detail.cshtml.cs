using Cairn.Domain;
using Cairn.Server.Api;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Localization;
using Cairn.Server.Outbox;
using Cairn.Server.Reminders;
using Cairn.Server.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Clients;

/// <summary>One client: details (editable), contacts (each can be sent a portal link), contracts, account balance, and refunds of unapplied credit.</summary>
public sealed class ClientDetailModel(CairnDb db, Payments payments, MailQueue mail, BusinessDays businessDays, ReminderRules reminderRules, TimeProvider clock) : StaffPage, IClientForm
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public string? TaxId { get; set; }

    /// <summary>The structured details (BG-7), posted as Party.*.</summary>
    [BindProperty]
    public PartyFields Party { get; set; } = new();

    [BindProperty]
    public string? EInvoiceProfile { get; set; }

    [BindProperty]
    public string? Language { get; set; }

    public Client Client { get; private set; } = null!;

    public IReadOnlyList<Contact> Contacts { get; private set; } = [];

    public IReadOnlyList<Contract> Contracts { get; private set; } = [];

    public IReadOnlyList<ClientBalance> Balances { get; private set; } = [];

    public IReadOnlyList<Refund> Refunds { get; private set; } = [];

    /// <summary>How the client is reminded: its override of the organization's schedule, in a sentence.</summary>
    public string RemindersSummary { get; private set; } = "";

    /// <summary>The reminder steps sent or skipped for the client's invoices.</summary>
    public IReadOnlyList<ReminderTrailRow> ReminderTrail { get; private set; } = [];

    [BindProperty]
    public string? RefundAmount { get; set; }

    [BindProperty]
    public string? RefundCurrency { get; set; }

    [BindProperty]
    public string? RefundedOn { get; set; }

    [BindProperty]
    public string? RefundMethod { get; set; }

    [BindProperty]
    public string? RefundReference { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? ContactName { get; set; }

    [BindProperty]
    public string? ContactEmail { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    /// <summary>The edit form: the same change as <c>PATCH /api/v1/clients/{id}</c>; an emptied field is cleared.</summary>
    public async Task<IActionResult> OnPostEditAsync(Guid id, CancellationToken cancellationToken)
    {
        var ok = await TryChangeAsync(db, "client", Permission.ManageClients, "edit clients", async () =>
        {
            var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new DomainException(new NotFound("client", id));
            ((IClientForm)this).ToInput(clearEmpty: true).Change(db, client, Caller, clock.GetUtcNow());
        });
        if (!ok)
            return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        Flash = "Client details saved. Invoices already issued keep the details they were issued with.";
        return Redirect($"/clients/{id}");
    }

    public async Task<IActionResult> OnPostContactAsync(Guid id, CancellationToken cancellationToken)
    {
        var ok = await TryChangeAsync(db, "contact", Permission.ManageClients, "add contacts", async () =>
        {
            if (!await db.Clients.AnyAsync(c => c.Id == id, cancellationToken))
                throw new DomainException(new NotFound("client", id));
            var now = clock.GetUtcNow();
            var contact = new Contact(Guid.CreateVersion7(), Caller.OrganizationId, id, Inputs.Required(ContactName, "name"), Inputs.Email(ContactEmail, "email", required: true), now);
            db.Contacts.Add(contact);
            Audit.Record(db, Caller.OrganizationId, "contact", contact.Id, "created", Caller.Actor, now, after: ContactJson.Of(contact));
        });
        if (!ok)
            return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        Flash = $"Contact {ContactName} added.";
        return Redirect($"/clients/{id}");
    }

    public async Task<IActionResult> OnPostPortalLinkAsync(Guid id, Guid contactId, CancellationToken cancellationToken)
    {
        PortalInvitation? invitation = null;
        Contact? contact = null;
        var ok = await TryChangeAsync(db, "portal-link", Permission.ManageClients, "send portal links", async () =>
        {
            contact = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == contactId && c.ClientId == id, cancellationToken)
                ?? throw new DomainException(new NotFound("contact", contactId));
            invitation = await PortalInvitations.CreateAsync(db, mail, contact, Caller, clock.GetUtcNow(), PublicUrl.Of(HttpContext), null, true, cancellationToken);
        });
        if (!ok)
            return await LoadAsync(id, cancellationToken) ? Page() : NotFound();

        // The email is queued with the link and leaves once the change committed.
        Flash = $"Portal link emailed to {contact!.Name} ({contact.Email}); it works until {Formats.MomentWithZone(invitation!.Link.ExpiresAt, Cairn.Domain.Language.En, PageClock.Of(ViewData))}.";
        return Redirect($"/clients/{id}");
    }

    public async Task<IActionResult> OnPostRefundAsync(Guid id, CancellationToken cancellationToken)
    {
        var ok = await TryChangeAsync(db, "refund", Permission.ManagePayments, "refund credit", async () =>
        {
            var currency = Currency.TryFind(RefundCurrency ?? "", out var c) ? c : throw new DomainException(new DomainError("unknown_currency", "Choose the currency of the credit to refund.", "currency"));
            var amount = Money.Parse(RefundAmount?.Trim(), currency, "amount");
            var refundedOn = Inputs.Date(RefundedOn, "refundedOn");
            await payments.RefundAsync(Caller.OrganizationId, id, amount, refundedOn, Inputs.Required(RefundMethod, "method", 50), Inputs.Optional(RefundReference, "reference", 200), Caller.Actor, cancellationToken);
        });
        if (!ok)
            return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        Flash = $"Refund of {RefundAmount} {RefundCurrency} recorded.";
        return Redirect($"/clients/{id}");
    }

    public async Task<IActionResult> OnPostReverseRefundAsync(Guid id, Guid refundId, CancellationToken cancellationToken)
    {
        var ok = await TryChangeAsync(db, $"reverse-refund-{refundId}", Permission.ManagePayments, "reverse refunds", async () =>
        {
            // Only a refund of this client is reversed from its page.
            if (!await db.Refunds.AnyAsync(r => r.Id == refundId && r.ClientId == id, cancellationToken))
                throw new DomainException(new NotFound("refund", refundId));
            await payments.ReverseRefundAsync(Caller.OrganizationId, refundId, Inputs.Optional(Reason, "reason", 1000), Caller.Actor, cancellationToken);
        });
        if (!ok)
            return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        Flash = "Refund reversed: its amount is the client's credit again.";
        return Redirect($"/clients/{id}");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        ViewData["Section"] = "clients";
        if (await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken) is not { } client)
            return false;
        Client = client;
        Contacts = await db.Contacts.AsNoTracking().Where(c => c.ClientId == id).OrderBy(c => c.Name).ToListAsync(cancellationToken);
        Contracts = await db.Contracts.AsNoTracking().Where(c => c.ClientId == id).OrderByDescending(c => c.Id).ToListAsync(cancellationToken);
        Balances = await payments.BalanceAsync(id, cancellationToken);
        Refunds = await db.Refunds.AsNoTracking().Where(r => r.ClientId == id).OrderByDescending(r => r.Id).ToListAsync(cancellationToken);
        RemindersSummary = ClientRemindersModel.Summary(await reminderRules.OfClientAsync(id, cancellationToken));
        ReminderTrail = await ReminderTrailRow.OfAsync(db, db.Invoices.Where(i => i.ClientId == id), cancellationToken);
        if (PostedForm != "client")
        {
            (Name, Email, Address, TaxId) = (client.Name, client.Email, client.Address, client.TaxId);
            Party = PartyFields.Of(client.Party);
            (EInvoiceProfile, Language) = (Inputs.NameOf(client.EInvoiceProfile), Inputs.NameOf(client.Language));
        }

        if (PostedForm is null)
            RefundedOn = Ui.Date(await businessDays.TodayAsync(cancellationToken));
        return true;
    }
}
