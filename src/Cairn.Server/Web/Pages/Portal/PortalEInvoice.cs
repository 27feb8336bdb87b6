using Cairn.Domain;
using Cairn.Server.Documents;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Server.Web.Pages.Portal;

/// <summary>The answer of a portal e-invoice download: the UBL or CII file, a 404 when there is none, a 409 saying why when the document has no e-invoice form.</summary>
internal static class PortalEInvoice
{
    public static async Task<IActionResult> AnswerAsync(Task<XmlFile?> written)
    {
        try
        {
            return await written is { } file
                ? new FileContentResult(file.Content, Ubl.ContentType) { FileDownloadName = file.FileName }
                : new NotFoundResult();
        }
        catch (DomainException e) when (e.Error.Code == "amount_not_representable")
        {
            // This document has no e-invoice form (EN 16931 writes two decimals); say why instead of rounding.
            return new ContentResult { StatusCode = StatusCodes.Status409Conflict, Content = e.Error.Message, ContentType = "text/plain" };
        }
    }
}
