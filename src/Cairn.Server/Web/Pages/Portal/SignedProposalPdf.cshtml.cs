using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Portal;

/// <summary>The signed copy of an accepted proposal for a contact of the contract's client; anything else is a 404.</summary>
public sealed class PortalSignedProposalPdfModel(CairnDb db, Proposals proposals) : WebPage
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();
        if (!await PortalAccess.ContractsOf(db, contact).AnyAsync(c => c.Id == id, cancellationToken)
            || await proposals.SignedCopyAsync(id, cancellationToken) is not { } file)
            return NotFound();
        Response.Headers.CacheControl = "private, no-cache";
        return File(file.Content, "application/pdf", file.FileName);
    }
}
