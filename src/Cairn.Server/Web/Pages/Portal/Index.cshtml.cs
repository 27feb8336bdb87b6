using Cairn.Domain;
using Cairn.Server.Api;
using Cairn.Server.Billing;
using Cairn.Server.Calendar;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Portal;

/// <summary>The client portal's start page: the contact's own client's contracts, invoices and balance due, nothing else.</summary>
public sealed class PortalIndexModel(CairnDb db, Payments payments, BusinessDays businessDays, TimeProvider clock) : WebPage
{
    public bool HasCalendarFeed { get; private set; }

    /// <summary>The contact's new calendar feed URL, shown only in the answer that made it.</summary>
    public string? NewCalendarUrl { get; private set; }

    public Caller? Contact { get; private set; }

    public string ClientName { get; private set; } = "";

    public string OrganizationName { get; private set; } = "";

    public IReadOnlyList<PortalContractRow> Contracts { get; private set; } = [];

    public IReadOnlyList<Invoice> Invoices { get; private set; } = [];

    public IReadOnlyList<ClientBalance> Balances { get; private set; } = [];

    public DateOnly Today { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        ViewData["Portal"] = true;
        Contact = await HttpContext.PortalCallerAsync();
        if (Contact is null)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        return await ShowAsync(Contact, cancellationToken);
    }

    /// <summary>Makes the contact's calendar feed (revoking an older one) and shows its URL once.</summary>
    public async Task<IActionResult> OnPostCalendarAsync(CancellationToken cancellationToken)
    {
        ViewData["Portal"] = true;
        Contact = await HttpContext.PortalCallerAsync();
        if (Contact is null)
            return Unauthorized();
        db.ScopeTo(Contact);
        var contactId = Guid.Parse(Contact.Actor.Id);
        await TryChangeAsync(db, "calendar", async () =>
        {
            var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == contactId && c.ClientId == Contact.ClientId, cancellationToken);
            NewCalendarUrl = (await CalendarFeeds.RenewForContactAsync(db, contact, Contact.Actor, clock.GetUtcNow(), PublicUrl.Of(HttpContext), cancellationToken)).Url;
        });
        Response.Headers.CacheControl = "no-store";
        return await ShowAsync(Contact, cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(Caller contact, CancellationToken cancellationToken)
    {
        Contact = contact;
        db.ScopeTo(contact);
        HasCalendarFeed = await CalendarFeeds.LiveOfContactAsync(db, Guid.Parse(contact.Actor.Id), cancellationToken) is not null;

        var clientId = Contact.ClientId!.Value;
        var contracts = await PortalAccess.ContractsOf(db, Contact).AsNoTracking().Where(c => c.Status != ContractStatus.Draft).OrderBy(c => c.Id).ToListAsync(cancellationToken);

        // After ContractsOf, which scopes the unit of work to the contact's organization.
        Today = await businessDays.TodayAsync(cancellationToken);
        Contracts = contracts.Select(c => new PortalContractRow(c.Id, c.Title, c.Status.ToString(), Ui.Money(c.Value), c.Status)).ToList();
        Invoices = await db.Invoices.AsNoTracking().Where(i => i.ClientId == clientId && i.Status != InvoiceStatus.Draft).OrderByDescending(i => i.IssueDate).ThenByDescending(i => i.Sequence).ToListAsync(cancellationToken);
        Balances = await payments.BalanceAsync(clientId, cancellationToken);
        ClientName = (await db.Clients.AsNoTracking().SingleAsync(c => c.Id == clientId, cancellationToken)).Name;
        OrganizationName = (await db.Organizations.AsNoTracking().SingleAsync(cancellationToken)).Name;
        ViewData["PortalTitle"] = $"{OrganizationName} · client portal";
        return Page();
    }
}

/// <summary>One contract as the portal lists it.</summary>
public sealed record PortalContractRow(Guid Id, string Title, string Status, string Value, ContractStatus State);
