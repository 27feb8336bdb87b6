using Cairn.Server.Data;
using Cairn.Server.Documents;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Portal;

/// <summary>A proposal PDF, byte for byte as stored, for a contact of the contract's client; anything else is a 404.</summary>
public sealed class PortalProposalPdfModel(CairnDb db) : WebPage
{
    public async Task<IActionResult> OnGetAsync(Guid id, Guid proposalId, CancellationToken cancellationToken)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();
        var contracts = PortalAccess.ContractsOf(db, contact);
        var pdf = await db.Proposals.AsNoTracking()
            .Where(p => p.Id == proposalId && p.ContractId == id && contracts.Any(c => c.Id == id))
            .Select(p => p.Pdf).SingleOrDefaultAsync(cancellationToken);
        if (pdf is null)
            return NotFound();
        Response.Headers.CacheControl = "private, no-cache";
        return File(pdf, "application/pdf", DocumentFiles.FileName($"proposal-{proposalId}"));
    }
}
