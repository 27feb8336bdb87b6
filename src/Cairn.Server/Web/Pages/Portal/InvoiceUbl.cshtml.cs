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
        try
        {
            var written = format == "cii" ? EInvoiceFiles.InvoiceCiiAsync(db, id, cancellationToken) : EInvoiceFiles.InvoiceUblAsync(db, id, cancellationToken);
            if (await written is not { } file)
                return NotFound();
            return File(file.Content, Ubl.ContentType, file.FileName);
        }
        catch (DomainException e) when (e.Error.Code == "amount_not_representable")
        {
            // This invoice has no e-invoice form (EN 16931 writes two decimals); say why instead of rounding.
            return new ContentResult { StatusCode = StatusCodes.Status409Conflict, Content = e.Error.Message, ContentType = "text/plain" };
        }
    }
}
