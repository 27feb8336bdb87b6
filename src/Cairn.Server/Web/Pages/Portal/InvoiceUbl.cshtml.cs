using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Documents;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Portal;

/// <summary>An invoice as a UBL or CII e-invoice (<c>format</c> ubl or cii) for the contact whose client it was issued to; any other invoice is a 404.</summary>
public sealed class PortalInvoiceUblModel(CairnDb db) : WebPage
{
    public async Task<IActionResult> OnGetAsync(Guid id, string format, CancellationToken cancellationToken)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();
        db.ScopeTo(contact);
        if (!await db.Invoices.AnyAsync(i => i.Id == id && i.ClientId == contact.ClientId && i.Status != InvoiceStatus.Draft, cancellationToken))
            return NotFound();
        return await PortalEInvoice.AnswerAsync(format == "cii" ? EInvoiceFiles.InvoiceCiiAsync(db, id, cancellationToken) : EInvoiceFiles.InvoiceUblAsync(db, id, cancellationToken));
    }
}
