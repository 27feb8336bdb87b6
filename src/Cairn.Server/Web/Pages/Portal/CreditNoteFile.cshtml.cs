using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Documents;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Portal;

/// <summary>A credit note as a PDF or a UBL or CII e-invoice (<c>format</c> pdf, ubl or cii) for the contact whose client it was issued to; any other credit note is a 404.</summary>
public sealed class PortalCreditNoteFileModel(CairnDb db) : WebPage
{
    public async Task<IActionResult> OnGetAsync(Guid id, string format, CancellationToken cancellationToken)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();
        db.ScopeTo(contact);
        if (!await db.CreditNotes.AnyAsync(n => n.Id == id && n.ClientId == contact.ClientId, cancellationToken))
            return NotFound();
        if (format == "pdf")
        {
            if (await DocumentFiles.CreditNoteAsync(db, id, null, cancellationToken) is not { } pdf)
                return NotFound();
            Response.Headers.CacheControl = "private, no-cache";
            return File(pdf.Content, "application/pdf", pdf.FileName);
        }

        return await PortalEInvoice.AnswerAsync(format == "cii" ? EInvoiceFiles.CreditNoteCiiAsync(db, id, cancellationToken) : EInvoiceFiles.CreditNoteUblAsync(db, id, cancellationToken));
    }
}
