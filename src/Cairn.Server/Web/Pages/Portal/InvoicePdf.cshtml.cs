using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Documents;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Portal;

/// <summary>An invoice PDF for the contact whose client it was issued to; any other invoice is a 404.</summary>
public sealed class PortalInvoicePdfModel(CairnDb db) : WebPage
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();
        db.ScopeTo(contact);
        if (!await db.Invoices.AnyAsync(i => i.Id == id && i.ClientId == contact.ClientId && i.Status != InvoiceStatus.Draft, cancellationToken)
            || await DocumentFiles.InvoiceAsync(db, id, null, cancellationToken) is not { } file)
            return NotFound();
        Response.Headers.CacheControl = "private, no-cache";
        return File(file.Content, "application/pdf", file.FileName);
    }
}
