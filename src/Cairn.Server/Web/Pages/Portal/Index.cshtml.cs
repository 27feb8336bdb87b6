using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Portal;

/// <summary>The client portal's start page: the contracts of the contact's own client, nothing else.</summary>
public sealed class PortalIndexModel(CairnDb db) : PageModel
{
    public Caller? Contact { get; private set; }

    public string ClientName { get; private set; } = "";

    public string OrganizationName { get; private set; } = "";

    public IReadOnlyList<PortalContractRow> Contracts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Contact = await HttpContext.PortalCallerAsync();
        if (Contact is null)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        var contracts = await PortalAccess.ContractsOf(db, Contact).AsNoTracking().OrderBy(c => c.Id).ToListAsync(cancellationToken);
        Contracts = contracts.Select(c => new PortalContractRow(c.Id, c.Title, c.Status.ToString(), c.Value.ToString())).ToList();
        ClientName = (await db.Clients.AsNoTracking().SingleAsync(c => c.Id == Contact.ClientId, cancellationToken)).Name;
        OrganizationName = (await db.Organizations.AsNoTracking().SingleAsync(cancellationToken)).Name;
        return Page();
    }
}

/// <summary>One contract as the portal lists it.</summary>
public sealed record PortalContractRow(Guid Id, string Title, string Status, string Value);
