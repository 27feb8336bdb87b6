using Cairn.Server.Data;
using Cairn.Server.Documents;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Portal;

/// <summary>A change-order PDF, byte for byte as shown when it was proposed, for a contact of the contract's client; anything else is a 404.</summary>
public sealed class PortalChangeOrderPdfModel(CairnDb db) : WebPage
{
    public async Task<IActionResult> OnGetAsync(Guid id, Guid changeOrderId, CancellationToken cancellationToken)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();
        var contracts = PortalAccess.ContractsOf(db, contact);
        var pdf = await db.ChangeOrderDocuments.AsNoTracking()
            .Where(d => d.ChangeOrderId == changeOrderId && db.ChangeOrders.Any(o => o.Id == changeOrderId && o.ContractId == id) && contracts.Any(c => c.Id == id))
            .Select(d => d.Pdf).SingleOrDefaultAsync(cancellationToken);
        if (pdf is null)
            return NotFound();
        Response.Headers.CacheControl = "private, no-cache";
        return File(pdf, "application/pdf", DocumentFiles.FileName($"change-order-{changeOrderId}"));
    }
}
