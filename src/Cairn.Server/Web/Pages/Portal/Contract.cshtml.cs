using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Cairn.Server.Web.Pages.Portal;

/// <summary>One contract of the contact's client with its milestones; any other contract is a 404.</summary>
public sealed class PortalContractModel(CairnDb db) : PageModel
{
    public Contract Contract { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();
        if (await PortalAccess.ContractForContactAsync(db, contact, id, cancellationToken) is not { } contract)
            return NotFound();
        Contract = contract;
        return Page();
    }
}
